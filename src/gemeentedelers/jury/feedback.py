"""The jury's tips and tops per finalist: written beside the ranking, mailed to the finalists after the
announcement instead of a bare place.

A juror writes, for each finalist of a category they rank, what is strong (*tops*) and what could be better
(*tips*), saved with their ranking in the same ballot write. Contact data (``entries/anonymity.py``) is refused at
once, with the field's message, so the juror rewrites the sentence instead of the system mangling it; what reaches
the finalist is every active juror's text once, without who wrote it, scrubbed again in case an older ballot
holds some.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from google.cloud import firestore

from gemeentedelers.entries.anonymity import EMAIL, PHONE, scrubbed
from gemeentedelers.platform import layout

FIELDS = ("tops", "tips")
MAX_LENGTH = 600
"""Characters per text: a few sentences, what a mail can carry for every juror."""


def check(entries: Sequence[str], form: Mapping[str, str]) -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """The tips and tops of ``entries`` from ``tops_<sid>`` / ``tips_<sid>``, and the problems (field name to a
    code: ``long``, ``contact``)."""
    notes: dict[str, dict[str, str]] = {}
    errors: dict[str, str] = {}
    for sid in entries:
        for field in FIELDS:
            name = f"{field}_{sid}"
            text = " ".join((form.get(name) or "").split())  # one paragraph: no control characters or breaks
            if len(text) > MAX_LENGTH:
                errors[name] = "long"
            elif EMAIL.search(text) or PHONE.search(text):
                errors[name] = "contact"
            notes.setdefault(sid, {})[field] = text
    return notes, errors



def for_finalists(db: firestore.Client, edition: str,
                  counts: Callable[[str, str], bool]) -> dict[str, dict[str, list[str]]]:
    """Per finalist, the jury's tops and tips: the text of every juror ``counts(juror, finalist)`` allows (serving,
    no conflict) once, in the jurors' order, without who wrote it."""
    found: dict[str, dict[str, list[str]]] = {}
    for snapshot in layout.jury_ballots(db, edition).order_by("__name__").stream():
        ballot: dict[str, Any] = snapshot.to_dict() or {}
        for sid, given in sorted((ballot.get("feedback") or {}).items()):
            if not counts(snapshot.id, sid):
                continue
            bucket = found.setdefault(sid, {field: [] for field in FIELDS})
            for field in FIELDS:
                text = scrubbed(str((given or {}).get(field) or ""))
                if text and text not in bucket[field]:
                    bucket[field].append(text)
    return found

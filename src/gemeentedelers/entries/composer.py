"""The feedback composer: organisers review, edit and approve every entrant's tips and tops before they go out.

Each round stores one feedback document per entrant (``layout.feedback``: from the scorers after round 1, the
assessors' report after round 2, the jury after round 3). Nothing is mailed until an organiser approved it
(``feedback.due``): per entrant or all at once. The composer flags what must not reach the entrant: contact data
(``entries/anonymity.py``) and the names of people known in the edition (scorers, assessors, jurors, contact
persons). An edit is recorded in the audit trail with its before and after, in the same transaction; so is the
approval. Approving publishes ``feedback.ready`` through the outbox, so an entrant approved after the round's
outcome is out gets the mail at once; one approved before gets it when the outcome is released.

A round holds a document per entrant (1,000 and more), so the composer shows a page at a time (:func:`page`, 50 by
submission id, all or only those waiting for approval or flagged) and never reads a whole collection per view:
each writer stores the feedback with ``approved: False`` and its flags (:func:`reviewed`, from the edition's names,
read once per round's decision), an edit stores them anew, and a page counts with aggregation queries.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.entries import feedback
from gemeentedelers.entries.anonymity import EMAIL, PHONE
from gemeentedelers.platform import audit, layout, outbox
from gemeentedelers.plugins.api import Text
from gemeentedelers.web.refusals import Refusal

ROUNDS = (1, 2, 3)
MAX_SUMMARY = 2000
MAX_ITEM = 600
MAX_ITEMS = 30
FIELD_LABELS = {"summary": Text("Samenvatting", "Summary"), "tops": Text("Tops", "Tops"), "tips": Text("Tips", "Tips")}
"""How a refusal names a draft's field to its reader (``field`` stays the form's name, for the page to mark)."""
PAGE_SIZE = 50
SHOWS = ("all", "waiting", "flagged")
"""What a page lists: every entrant, those not approved yet, or those with a flag."""
NAMES_TTL = 60.0
"""Seconds an instance keeps an edition's names for edits (people come and go rarely; edits come in streams)."""


class FeedbackRefused(Refusal):
    """An edit or approval the composer cannot do: no such feedback, already approved, or an invalid text."""


@dataclass(frozen=True)
class Draft:
    """One entrant's feedback as the composer shows it."""

    submission_id: str
    title: str
    municipality: str
    advanced: bool
    summary: str
    tops: list[str]
    tips: list[str]
    approved: bool
    approved_by: str | None
    flags: list[str] = field(default_factory=list)


def texts_of(doc: Mapping[str, Any]) -> list[str]:
    return [str(doc.get("summary") or ""), *map(str, doc.get("tops") or []), *map(str, doc.get("tips") or [])]


def flags(texts: Iterable[str], names: Iterable[str]) -> list[str]:
    """What the composer warns about: ``contact`` (an e-mail address or phone number), ``name:<name>`` (a name of
    a person known in the edition, as a whole word)."""
    joined = "\n".join(texts)
    found = ["contact"] if EMAIL.search(joined) or PHONE.search(joined) else []
    for name in sorted(set(names)):
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", joined):
            found.append(f"name:{name}")
    return found


def reviewed(doc: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """``doc`` as a round's writer stores it: not approved yet, with what the composer flags in it."""
    found = flags(texts_of(doc), names)
    return {**doc, "approved": False, "flags": found, "flagged": bool(found)}


_names_lock = threading.Lock()
_names_cache: dict[str, tuple[float, tuple[int, ...], set[str]]] = {}


def _people_counts(db: firestore.Client, edition: str) -> tuple[int, ...]:
    return tuple(int(c.count().get()[0][0].value) for c in (
        layout.scorers(db, edition), layout.assessors(db, edition), layout.jurors(db, edition),
        layout.submissions(db, edition)))


def cached_names(db: firestore.Client, edition: str) -> set[str]:
    """:func:`known_names`, kept per instance for :data:`NAMES_TTL` seconds while the edition's numbers of people
    stay the same (four count queries), so a stream of edits does not read every person once an edit."""
    counts = _people_counts(db, edition)
    with _names_lock:
        kept = _names_cache.get(edition)
        if kept is not None and kept[1] == counts and time.monotonic() - kept[0] < NAMES_TTL:
            return kept[2]
    names = known_names(db, edition)
    with _names_lock:
        _names_cache[edition] = (time.monotonic(), counts, names)
    return names


def known_names(db: firestore.Client, edition: str) -> set[str]:
    """Names of the edition's people: every full name and first name (3 letters or more) of scorers, assessors,
    jurors and entrants' contact persons."""
    people: list[str] = []
    for collection, key in ((layout.scorers(db, edition), "name"), (layout.assessors(db, edition), "name"),
                            (layout.jurors(db, edition), "name")):
        people += [str((d.to_dict() or {}).get(key) or "") for d in collection.select([key]).stream()]
    people += [str(((d.to_dict() or {}).get("contact") or {}).get("name") or "")
               for d in layout.submissions(db, edition).select(["contact.name"]).stream()]
    names = set()
    for person in people:
        person = " ".join(person.split())
        if len(person) >= 3:
            names.add(person)
            first = person.split()[0]
            if len(first) >= 3 and first[0].isupper():
                names.add(first)
    return names


@dataclass(frozen=True)
class Page:
    """One page of a round's feedback: its drafts, the round's counts, and the cursors to the pages around it."""

    drafts: list[Draft]
    total: int
    waiting: int
    flagged: int
    shown: int
    next_after: str | None
    previous_before: str | None


def _filtered(db: firestore.Client, edition: str, round: int, show: str) -> firestore.Query:
    query = layout.feedback_of_round(db, edition, round)
    if show == "waiting":
        return query.where(filter=firestore.FieldFilter("approved", "==", False))
    if show == "flagged":
        return query.where(filter=firestore.FieldFilter("flagged", "==", True))
    return query


def _count(query: firestore.Query) -> int:
    return int(query.count().get()[0][0].value)


def _drafts(db: firestore.Client, edition: str, docs: Sequence[Mapping[str, Any]]) -> list[Draft]:
    refs = [layout.submissions(db, edition).document(str(d.get("submission_id", "-")) or "-") for d in docs]
    records = {s.id: s.to_dict() or {} for s in db.get_all(refs, field_paths=["title", "municipality"])} \
        if refs else {}
    unstamped = [d for d in docs if "flags" not in d]  # stored before flags were: flagged as they are shown
    names = cached_names(db, edition) if unstamped else set()
    found = []
    for doc in docs:
        sid = str(doc.get("submission_id", ""))
        record = records.get(sid, {})
        found.append(Draft(sid, str(record.get("title", sid)), str(record.get("municipality", "")),
                           bool(doc.get("advanced")), str(doc.get("summary") or ""), list(doc.get("tops") or []),
                           list(doc.get("tips") or []), bool(doc.get("approved")), doc.get("approved_by"),
                           list(doc["flags"]) if "flags" in doc else flags(texts_of(doc), names)))
    return found


def page(db: firestore.Client, edition: str, round: int, *, show: str = "all", after: str | None = None,
         before: str | None = None, size: int = PAGE_SIZE) -> Page:
    """A page of ``round``'s feedback by submission id: the first, the one after ``after`` or the one before
    ``before`` (both submission ids); ``show`` one of :data:`SHOWS`. Reads the page's documents, its entries'
    titles and four counts, whatever the round's size."""
    if show not in SHOWS:
        show = "all"
    query = _filtered(db, edition, round, show)
    if before:
        ordered = query.order_by("submission_id", direction=firestore.Query.DESCENDING).start_after(
            {"submission_id": before})
        docs = [d.to_dict() or {} for d in ordered.limit(size + 1).stream()]
        more_before = len(docs) > size
        docs = docs[:size][::-1]
        next_after = str(docs[-1]["submission_id"]) if docs else None
        previous = str(docs[0]["submission_id"]) if docs and more_before else None
    else:
        ordered = query.order_by("submission_id")
        if after:
            ordered = ordered.start_after({"submission_id": after})
        docs = [d.to_dict() or {} for d in ordered.limit(size + 1).stream()]
        more_after = len(docs) > size
        docs = docs[:size]
        next_after = str(docs[-1]["submission_id"]) if docs and more_after else None
        previous = str(docs[0]["submission_id"]) if docs and after else None
    round_query = layout.feedback_of_round(db, edition, round)
    total = _count(round_query)
    approved = _count(round_query.where(filter=firestore.FieldFilter("approved", "==", True)))
    flagged = _count(_filtered(db, edition, round, "flagged"))
    shown = total if show == "all" else (total - approved if show == "waiting" else flagged)
    return Page(_drafts(db, edition, docs), total, total - approved, flagged, shown, next_after, previous)


def drafts(db: firestore.Client, edition: str, round: int) -> list[Draft]:
    """Every entrant's feedback of ``round``, flagged, by submission id (for tools; pages use :func:`page`)."""
    found: list[Draft] = []
    after: str | None = None
    while True:
        chunk = page(db, edition, round, after=after, size=500)
        found += chunk.drafts
        if chunk.next_after is None:
            return found
        after = chunk.next_after


def lines(text: str) -> list[str]:
    """A text area's items: one per line, blank lines dropped, spaces collapsed."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def check(values: Mapping[str, Any]) -> dict[str, Any]:
    """An edit's fields (``summary`` text, ``tops`` and ``tips`` lists), or refused with the field that is wrong."""
    summary = " ".join(str(values.get("summary") or "").split())
    tops, tips = list(values.get("tops") or []), list(values.get("tips") or [])
    if len(summary) > MAX_SUMMARY:
        raise FeedbackRefused("composer_too_long", field="summary", label=FIELD_LABELS["summary"], n=MAX_SUMMARY)
    for name, items in (("tops", tops), ("tips", tips)):
        if len(items) > MAX_ITEMS:
            raise FeedbackRefused("composer_too_many", field=name, label=FIELD_LABELS[name], n=MAX_ITEMS)
        if any(len(item) > MAX_ITEM for item in items):
            raise FeedbackRefused("composer_too_long", field=name, label=FIELD_LABELS[name], n=MAX_ITEM)
    return {"summary": summary, "tops": tops, "tips": tips}


def _ref(db: firestore.Client, edition: str, round: int, sid: str) -> firestore.DocumentReference:
    if round not in ROUNDS or not sid or "/" in sid:
        raise FeedbackRefused("composer_no_feedback", round=round)
    return layout.feedback(db, edition, round, sid)


def edit(db: firestore.Client, edition: str, round: int, sid: str, values: Mapping[str, Any], *, by: str) -> bool:
    """Change an entrant's feedback before it is approved; ``True`` when something changed (and was audited)."""
    changed = check(values)
    ref = _ref(db, edition, round, sid)
    names = cached_names(db, edition)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> bool:
        doc = ref.get(transaction=transaction).to_dict()
        if doc is None:
            raise FeedbackRefused("composer_no_feedback", round=round)
        if doc.get("approved"):
            raise FeedbackRefused("composer_already_approved")
        before = {k: doc.get(k, "" if k == "summary" else []) for k in changed if doc.get(k) != changed[k]}
        after = {k: changed[k] for k in before}
        if not before:
            return False
        now_flagged = flags(texts_of({**doc, **after}), names)
        transaction.update(ref, {**after, "flags": now_flagged, "flagged": bool(now_flagged), "edited_by": by,
                                 "edited_at": datetime.now(UTC)})
        audit.record(db, actor=by, action="feedback.edited", target=f"{edition}/feedback/r{round}-{sid}",
                     before=before, after=after, edition=edition, writer=transaction)
        return True

    return write(db.transaction())


def approve(db: firestore.Client, edition: str, round: int, sids: Sequence[str], *, by: str) -> list[str]:
    """Approve the feedback of ``sids``; returns those newly approved. Each approval is audited in its own
    transaction with its ``feedback.ready`` (mailed once the round's outcome is out; notify checks)."""
    done = []
    for sid in sids:
        ref = _ref(db, edition, round, sid)
        event = feedback.events(edition, round, [sid])

        @firestore.transactional
        def write(transaction: firestore.Transaction, ref: Any = ref, sid: str = sid, event: Any = event) -> bool:
            doc = ref.get(transaction=transaction).to_dict()
            if doc is None:
                raise FeedbackRefused("composer_no_feedback", round=round)
            if doc.get("approved"):
                return False
            transaction.update(ref, {"approved": True, "approved_by": by, "approved_at": datetime.now(UTC)})
            audit.record(db, actor=by, action="feedback.approved", target=f"{edition}/feedback/r{round}-{sid}",
                         before={"approved": False}, after={"approved": True, "edited": bool(doc.get("edited_by"))},
                         edition=edition, writer=transaction)
            outbox.stage(transaction, db, event, service="notify")
            return True

        if write(db.transaction()):
            done.append(sid)
    outbox.publish(db, feedback.events(edition, round, done))
    return done


def approve_all(db: firestore.Client, edition: str, round: int, *, by: str) -> list[str]:
    """Approve every entrant's feedback of ``round`` not approved yet."""
    waiting = [str(doc.get("submission_id")) for doc in (d.to_dict() or {} for d in
                                                       layout.feedback_of_round(db, edition, round).select(
                                                           ["submission_id", "approved"]).stream())
               if not doc.get("approved")]
    return approve(db, edition, round, sorted(waiting), by=by)

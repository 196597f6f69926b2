"""The feedback composer: organisers review, edit and approve every entrant's tips and tops before they go out.

Each round stores one feedback document per entrant (``layout.feedback``: from the scorers after round 1, the
assessors' report after round 2, the jury after round 3). Nothing is mailed until an organiser approved it
(``feedback.due``): per entrant or all at once. The composer flags what must not reach the entrant: contact data
(``entries/anonymity.py``) and the names of people known in the edition (scorers, assessors, jurors, contact
persons). An edit is recorded in the audit trail with its before and after, in the same transaction; so is the
approval. Approving publishes ``feedback.ready`` through the outbox, so an entrant approved after the round's
outcome is out gets the mail at once; one approved before gets it when the outcome is released.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.entries import feedback
from gemeentedelers.entries.anonymity import EMAIL, PHONE
from gemeentedelers.platform import audit, layout, outbox
from gemeentedelers.web.refusals import Refusal

ROUNDS = (1, 2, 3)
MAX_SUMMARY = 2000
MAX_ITEM = 600
MAX_ITEMS = 30


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


def drafts(db: firestore.Client, edition: str, round: int) -> list[Draft]:
    """Every entrant's feedback of ``round``, flagged, by title."""
    names = known_names(db, edition)
    records = {d.id: d.to_dict() or {} for d in layout.submissions(db, edition).select(
        ["title", "municipality"]).stream()}
    found = []
    for snapshot in layout.feedback_of_round(db, edition, round).stream():
        doc = snapshot.to_dict() or {}
        sid = str(doc.get("submission_id", ""))
        record = records.get(sid, {})
        found.append(Draft(sid, str(record.get("title", sid)), str(record.get("municipality", "")),
                           bool(doc.get("advanced")), str(doc.get("summary") or ""), list(doc.get("tops") or []),
                           list(doc.get("tips") or []), bool(doc.get("approved")), doc.get("approved_by"),
                           flags(texts_of(doc), names)))
    return sorted(found, key=lambda d: (d.title.lower(), d.submission_id))


def lines(text: str) -> list[str]:
    """A text area's items: one per line, blank lines dropped, spaces collapsed."""
    return [" ".join(line.split()) for line in (text or "").splitlines() if line.strip()]


def check(values: Mapping[str, Any]) -> dict[str, Any]:
    """An edit's fields (``summary`` text, ``tops`` and ``tips`` lists), or refused with the field that is wrong."""
    summary = " ".join(str(values.get("summary") or "").split())
    tops, tips = list(values.get("tops") or []), list(values.get("tips") or [])
    if len(summary) > MAX_SUMMARY:
        raise FeedbackRefused("composer_too_long", field="summary", n=MAX_SUMMARY)
    for name, items in (("tops", tops), ("tips", tips)):
        if len(items) > MAX_ITEMS:
            raise FeedbackRefused("composer_too_many", field=name, n=MAX_ITEMS)
        if any(len(item) > MAX_ITEM for item in items):
            raise FeedbackRefused("composer_too_long", field=name, n=MAX_ITEM)
    return {"summary": summary, "tops": tops, "tips": tips}


def _ref(db: firestore.Client, edition: str, round: int, sid: str) -> firestore.DocumentReference:
    if round not in ROUNDS or not sid or "/" in sid:
        raise FeedbackRefused("composer_no_feedback", round=round)
    return layout.feedback(db, edition, round, sid)


def edit(db: firestore.Client, edition: str, round: int, sid: str, values: Mapping[str, Any], *, by: str) -> bool:
    """Change an entrant's feedback before it is approved; ``True`` when something changed (and was audited)."""
    changed = check(values)
    ref = _ref(db, edition, round, sid)

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
        transaction.update(ref, {**after, "edited_by": by, "edited_at": datetime.now(UTC)})
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
                                                       layout.feedback_of_round(db, edition, round).stream())
               if not doc.get("approved")]
    return approve(db, edition, round, sorted(waiting), by=by)

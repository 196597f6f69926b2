"""Round 3's jurors: imported by an organiser from CSV, exactly one chair, and their personal links.

A juror's id is derived from the e-mail address, so importing the same file twice finds the same people.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore
from marshmallow import fields

from gemeentedelers.editions import Edition
from gemeentedelers.people.csv_import import PeopleCsvError, PersonSchema, clean_person, person_id, read_people
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import create_once
from gemeentedelers.web import links
from gemeentedelers.web.refusals import Refusal

TRUE = {"1", "true", "yes", "ja", "y", "j", "x"}


LINK_VALID_DAYS = 60
"""How long a juror's personal link works (the pages check it, the mail says it)."""


def juror_id(email: str) -> str:
    return person_id("ju", email)


class JurorSchema(PersonSchema):
    is_chair = fields.Boolean(load_default=False)


_schema = JurorSchema()


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    """A validated juror; ``is_chair`` also accepts the Dutch and spreadsheet ways of saying yes."""
    chair = raw.get("is_chair")
    if isinstance(chair, str) and chair.strip():
        raw = {**raw, "is_chair": chair.strip().casefold() in TRUE}
    return clean_person(_schema, raw)


def import_csv(db: firestore.Client, edition: str, text: str, *, source: str = "jurors.csv",
               by: str = audit.system("jury")) -> tuple[list[str], list[str]]:
    """Import jurors (``name,email,organisation,is_chair[,language]``); ``(created, existing)`` ids.

    Every row is checked first, so a bad file stores nothing. The jury has exactly one chair: in the file, and
    together with the jurors already stored.
    """
    rows = read_people(text, clean, ("name", "email", "organisation", "is_chair"), source=source)
    emails = [r["email"].casefold() for r in rows]
    stored = {j["juror_id"]: j for j in all_jurors(db, edition)}
    chairs = {juror_id(r["email"]) for r in rows if r["is_chair"]}
    chairs |= {jid for jid, j in stored.items() if j.get("is_chair") and jid not in {juror_id(e) for e in emails}}
    if len(chairs) != 1:
        raise PeopleCsvError("r3_csv_one_chair", source=source, n=len(chairs))
    (chair,) = chairs
    if stored.get(chair, {}).get("status") == "withdrawn":
        raise PeopleCsvError("r3_csv_chair_withdrawn", source=source, name=stored[chair]["name"])
    created, existing = [], []
    now = datetime.now(UTC)
    for row in rows:
        jid = juror_id(row["email"])
        record = {**row, "juror_id": jid, "status": "active", "imported_at": now, "link_version": 1}
        if create_once(layout.jurors(db, edition).document(jid), record):
            created.append(jid)
        else:
            layout.jurors(db, edition).document(jid).update({k: row[k] for k in ("name", "organisation", "is_chair",
                                                                                  "language")})
            existing.append(jid)
    audit.record(db, actor=by, action="round3.jurors_imported", target=f"{edition}/jurors",
                 after={"source": source, "created": len(created), "existing": len(existing),
                        "chair": audit.person("juror", chair)}, edition=edition)
    return created, existing


def all_jurors(db: firestore.Client, edition: str) -> list[dict[str, Any]]:
    """Every juror ever imported, withdrawn ones included (the organiser page lists them), by name."""
    return sorted((d.to_dict() for d in layout.jurors(db, edition).stream()), key=lambda j: j["name"])


def serving(jurors: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The jurors who judge: not withdrawn. Only their ballots count and only they are invited."""
    return [dict(j) for j in jurors if j.get("status", "active") == "active"]


class WithdrawRefused(Refusal):
    """A juror cannot be withdrawn now (the outcome is being confirmed, or they chair the jury)."""


ROUND = 3


def withdraw(db: firestore.Client, edition: str, jid: str, by: str = audit.system("jury")) -> bool:
    """Withdraw a juror who drops out: their link stops working, their ballot (kept) no longer counts, and the
    chair can confirm without them. ``False`` when they were withdrawn already. Refused once the chair confirms
    (in one transaction with the round's state, as ballots are) and for the chair: appoint another chair first
    by importing the jury CSV again with ``is_chair`` moved."""
    ref = layout.jurors(db, edition).document(jid)
    state_ref = layout.round_state(db, edition, ROUND)

    @firestore.transactional
    def run(transaction: firestore.Transaction) -> bool:
        status = (state_ref.get(transaction=transaction).to_dict() or {}).get("status", "not_opened")
        juror = ref.get(transaction=transaction).to_dict()
        if juror is None:
            raise WithdrawRefused("r3_err_unknown_juror")
        if juror.get("status") == "withdrawn":
            return False
        if status in ("confirming", "confirmed"):
            raise WithdrawRefused("r3_err_confirmed")
        if juror.get("is_chair"):
            raise WithdrawRefused("r3_err_withdraw_chair", name=juror["name"])
        transaction.update(ref, {"status": "withdrawn", "withdrawn_by": by, "withdrawn_at": datetime.now(UTC),
                                 "link_version": firestore.Increment(1)})
        audit.record(db, actor=by, action="round3.juror_withdrawn", target=audit.person("juror", jid),
                     before={"status": juror.get("status", "active")}, after={"status": "withdrawn"},
                     edition=edition, writer=transaction)
        return True

    return run(db.transaction())


def get(db: firestore.Client, edition: str, jid: str) -> dict[str, Any] | None:
    return layout.jurors(db, edition).document(jid).get().to_dict()


class NoSingleChair(Refusal, LookupError):
    """The jury has no chair, or more than one: nobody could confirm its decision or break a tie."""


def chair_of(jurors: Sequence[Mapping[str, Any]]) -> str:
    chairs = [j["juror_id"] for j in jurors if j.get("is_chair")]
    if len(chairs) != 1:
        raise NoSingleChair("r3_err_one_chair", n=len(chairs))
    return chairs[0]


def conflicts(edition: Edition, juror: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> list[str]:
    """Why ``juror`` may not judge any of ``entries`` (a category's finalists): the edition's reasons and the
    conflicts the juror declared on their page."""
    declared = juror.get("declared_conflicts") or {}
    return [reason for entry in entries for reason in (
        *edition.conflicts_of_interest(juror, entry),
        *((f"declared: {declared[entry['submission_id']]}",) if entry.get("submission_id") in declared else ()))]


def may_judge(edition: Edition, juror: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    return not conflicts(edition, juror, [entry])


REASON_MAX = 500
"""The longest reason for a declared conflict (the form's ``maxlength``; a longer one is refused, not cut)."""


class ConflictInvalid(Refusal):
    """A conflict declaration with problems: ``errors`` maps a field (``submission_id``, ``reason``) to a code."""

    def __init__(self, errors: dict[str, str]) -> None:
        self.errors = errors
        super().__init__("r3_conflict_errors")


def check_conflict(sid: str, reason: str, *, finalists: Collection[str]) -> tuple[str, str]:
    """``(entry, reason)`` cleaned, or every problem at once: checked before anything is stored, so a juror
    never declares a conflict with the wrong entry or loses part of a reason."""
    sid = sid.strip()
    reason = " ".join(reason.split())
    errors: dict[str, str] = {}
    if sid not in finalists:
        errors["submission_id"] = "not_finalist"
    if not reason:
        errors["reason"] = "missing"
    elif len(reason) > REASON_MAX:
        errors["reason"] = "too_long"
    if errors:
        raise ConflictInvalid(errors)
    return sid, reason


def declare_conflict(db: firestore.Client, edition: str, jid: str, sid: str, reason: str, *,
                     finalists: Collection[str]) -> None:
    """A juror declares a conflict of interest with one finalist: from then on they do not rank its category
    nor vote for it for a special prize (``round3.save_ranking``, ``save_votes``, ``outcome``); audited."""
    sid, reason = check_conflict(sid, reason, finalists=finalists)
    ref = layout.jurors(db, edition).document(jid)
    batch = db.batch()
    batch.update(ref, {f"declared_conflicts.`{sid}`": reason})
    audit.record(db, actor=audit.person("juror", jid), action="conflict.declared", target=f"entry:{sid}",
                 after={"reason": reason}, edition=edition, writer=batch)
    batch.commit()


def juror_link(edition: str, jid: str, version: int) -> str:
    token = links.issue("juror-link", links.Holder(edition, jid, version))
    return links.public_url("jury", f"/jury/login?token={token}")

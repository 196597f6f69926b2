"""The crowd of round-1 scorers: sign-up, import by an organiser, approval and dropping out.

A scorer's id is derived from their e-mail address, so signing up twice, or being imported after signing
up, finds the same person instead of creating a second one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore
from marshmallow import fields, validate

from gemeentedelers.people import consent
from gemeentedelers.people.csv_import import PersonSchema, clean_person, person_id, read_people
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import create_once
from gemeentedelers.scoring import changes
from gemeentedelers.web.refusals import Refusal

STATUSES = ("pending", "approved", "dropped")


class UnknownScorer(Refusal, LookupError):
    """No scorer with this id in the edition (a ``LookupError``, as before)."""


def scorer_id(email: str) -> str:
    return person_id("sc", email)


class ScorerSchema(PersonSchema):
    background = fields.String(load_default="", validate=validate.Length(max=500))
    capacity = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1, max=200))


_schema = ScorerSchema()


def clean(raw: dict[str, Any]) -> dict[str, Any]:
    """A validated scorer record; raises ``ValidationError`` naming each bad field."""
    return clean_person(_schema, raw)


def sign_up(db: firestore.Client, edition: str, raw: dict[str, Any], *, approved: bool = False,
            consent_version: str | None = None) -> tuple[str, bool]:
    """Store a new scorer (pending unless ``approved``); ``(id, created)``. Existing scorers are kept as they are.

    A scorer who signs up gave consent (``consent_version``: the version of the text the page showed), recorded
    with the scorer (``consents.scorer``); one an organiser imports has none recorded here (``added_by``)."""
    record = clean(raw)
    sid = scorer_id(record["email"])
    now = datetime.now(UTC)
    consents = ({} if consent_version is None else
                {"scorer": consent.record("scorer", record["language"], now, consent_version)})
    created = create_once(
        layout.scorers(db, edition).document(sid),
        {**record, "scorer_id": sid, "status": "approved" if approved else "pending", "signed_up_at": now,
         "approved_at": now if approved else None, "link_version": 1, "load": 0, "consents": consents,
         "added_by": "sign-up" if consent_version is not None else "organiser"},
    )
    if created:
        changes.touch(db, edition)
    return sid, created


@dataclass(frozen=True)
class ImportResult:
    created: list[str]
    existing: list[str]


def import_csv(db: firestore.Client, edition: str, text: str, *, source: str = "scorers.csv",
               by: str = audit.system("scoring")) -> ImportResult:
    """Import approved scorers from CSV (``name,email,organisation[,background,capacity,language]``).

    Every row is checked before anything is stored, so a bad file stores nothing.
    """
    rows = read_people(text, clean, ("name", "email", "organisation"), source=source)
    created, existing = [], []
    for row in rows:
        sid, new = sign_up(db, edition, row, approved=True)
        (created if new else existing).append(sid)
    audit.record(db, actor=by, action="round1.scorers_imported", target=f"{edition}/scorers",
                 after={"source": source, "created": len(created), "existing": len(existing)}, edition=edition)
    return ImportResult(created, existing)


def approve(db: firestore.Client, edition: str, ids: list[str], *, by: str = audit.system("scoring")) -> int:
    """Approve pending scorers; returns how many changed."""
    changed = 0
    for sid in ids:
        ref = layout.scorers(db, edition).document(sid)
        record = ref.get().to_dict()
        if record is None:
            raise UnknownScorer("scorer_unknown", scorer=sid)
        if record["status"] == "pending":
            batch = db.batch()
            batch.update(ref, {"status": "approved", "approved_at": datetime.now(UTC), "approved_by": by})
            audit.record(db, actor=by, action="round1.scorer_approved", target=audit.person("scorer", sid),
                         before={"status": "pending"}, after={"status": "approved"}, edition=edition, writer=batch)
            changes.touch(db, edition, writer=batch)
            batch.commit()
            changed += 1
    return changed


def all_scorers(db: firestore.Client, edition: str, status: str | None = None) -> list[dict[str, Any]]:
    query = layout.scorers(db, edition)
    if status:
        query = query.where(filter=firestore.FieldFilter("status", "==", status))
    return [doc.to_dict() for doc in query.stream()]


def get(db: firestore.Client, edition: str, sid: str) -> dict[str, Any] | None:
    return layout.scorers(db, edition).document(sid).get().to_dict()

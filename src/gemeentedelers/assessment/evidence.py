"""Round 2's evidence: each advancing team gets a personal link and supplies the edition's evidence fields,
saved as a draft or completed (``rules.check_evidence``), editable until the edition's evidence deadline
(``timeline.evidence_due``, before the visits)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.assessment import rules
from gemeentedelers.editions import Edition
from gemeentedelers.editions.active import read_active
from gemeentedelers.platform import audit, bus, layout
from gemeentedelers.web.refusals import Refusal


class EvidenceClosed(Refusal):
    """The round-2 deadline has passed: evidence can no longer change."""


def invite_teams(edition: str, advancing: list[str]) -> int:
    """On round 1's decision: one ``team.invited`` per advancing entry (notify mails its contact the link)."""
    bus.publish_many(("team.invited", f"team.invited:{edition}:{sid}:1", edition, {"submission_id": sid})
                     for sid in advancing)
    return len(advancing)


def deadline(edition: Edition) -> datetime:
    return edition.timeline.evidence_deadline


def is_open(db: firestore.Client, edition: Edition) -> bool:
    return read_active(db).clock.now() < deadline(edition)


def get(db: firestore.Client, edition: str, sid: str) -> dict[str, Any]:
    return layout.evidence(db, edition).document(sid).get().to_dict() or {}


def from_form(edition: Edition, form: Mapping[str, str]) -> dict[str, str]:
    return {f.key: form.get(f.key, "") for f in edition.evidence_fields}


def save(db: firestore.Client, edition: Edition, sid: str, answers: Mapping[str, object], *,
         complete: bool) -> rules.EvidenceCheck:
    """Store the answers (as a draft even when a field has a problem; ``complete`` only when all is well)."""
    if not is_open(db, edition):
        raise EvidenceClosed("r2_closed")
    check = rules.check_evidence(edition.evidence_fields, answers)
    status = "complete" if complete and check.ok else "draft"
    values = {k: list(v) if isinstance(v, tuple) else v for k, v in check.values.items()}
    batch = db.batch()
    batch.set(layout.evidence(db, edition.key).document(sid),
              {"submission_id": sid, "fields": values, "status": status, "updated_at": datetime.now(UTC)})
    audit.record(db, actor=audit.team(sid), action=f"evidence.{'completed' if status == 'complete' else 'saved'}",
                 target=f"{edition.key}/evidence/{sid}", after={"status": status}, edition=edition.key, writer=batch)
    batch.commit()
    return check

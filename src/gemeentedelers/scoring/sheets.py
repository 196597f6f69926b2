"""A scorer's own sheet: the entries assigned to them, their drafts and scores, and their calibration.

A score is one document per (scorer, entry), so scorers never contend on a shared document; a scorer may
save drafts and change a submitted score until the round closes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.platform import audit, layout
from gemeentedelers.scoring import changes, rounds
from gemeentedelers.web.refusals import Refusal

MAX_TEXT = 2000


class ScoreInvalid(Refusal):
    """Problems with a score, by field (criterion key, ``tops``, ``tips`` or ``status``): each a refusal, so the
    page shows it in the scorer's language; ``str()`` lists them in English."""

    def __init__(self, errors: dict[str, Refusal]):
        self.errors = errors
        super().__init__("score_invalid", fields=", ".join(errors))

    def text(self, language: str) -> str:
        return "; ".join(f"{field}: {why.text(language)}" for field, why in self.errors.items())


class NotAssigned(Refusal, LookupError):
    """The entry is not (or no longer) assigned to this scorer; still a ``LookupError`` for its callers."""


@dataclass(frozen=True)
class SheetRow:
    entry: dict[str, Any]
    score: dict[str, Any] | None

    @property
    def status(self) -> str:
        return self.score["status"] if self.score else "todo"


def sheet(db: firestore.Client, edition: str, scorer_id: str) -> list[SheetRow]:
    """The scorer's assigned entries (public fields only) with their own draft or score, in a stable order."""
    assignments = layout.round1_assignments(db, edition).where(
        filter=firestore.FieldFilter("scorer_id", "==", scorer_id)
    ).stream()
    ids = sorted(a.to_dict()["submission_id"] for a in assignments if a.to_dict()["status"] == "assigned")
    if not ids:
        return []
    entries = db.get_all([layout.round1_entries(db, edition).document(i) for i in ids])
    scores = db.get_all([layout.round1_scores(db, edition).document(layout.pair_id(scorer_id, i)) for i in ids])
    by_entry = {d.id: d.to_dict() for d in entries if d.exists}
    by_score = {d.to_dict()["submission_id"]: d.to_dict() for d in scores if d.exists}
    return [SheetRow(by_entry[i], by_score.get(i)) for i in ids if i in by_entry]


def validate(edition: Edition, values: dict[str, Any], *, final: bool) -> dict[str, Any]:
    """Clean criterion scores, tops and tips; a final (submitted) score needs everything the edition asks."""
    errors: dict[str, Refusal] = {}
    cleaned: dict[str, int] = {}
    for criterion in edition.criteria(1):
        raw = values.get(criterion.key)
        if raw in (None, ""):
            if final:
                errors[criterion.key] = Refusal("required")
            continue
        try:
            score = int(str(raw))
        except ValueError:
            errors[criterion.key] = Refusal("score_not_whole", value=str(raw))
            continue
        if not criterion.scale_min <= score <= criterion.scale_max:
            errors[criterion.key] = Refusal("score_outside_scale", min=criterion.scale_min, max=criterion.scale_max)
            continue
        cleaned[criterion.key] = score
    texts = {}
    for field in ("tops", "tips"):
        text = str(values.get(field) or "").strip()
        if len(text) > MAX_TEXT:
            errors[field] = Refusal("text_too_long", max=MAX_TEXT)
        elif final and not text and edition.round1_rules.require_tips_and_tops:
            errors[field] = Refusal("required")
        texts[field] = text
    if errors:
        raise ScoreInvalid(errors)
    return {"scores": cleaned, **texts}


def save(db: firestore.Client, edition: Edition, scorer_id: str, submission_id: str, values: dict[str, Any], *,
         submit: bool) -> dict[str, Any]:
    """Save a draft or submit a score (again); refused once the round is closed or for unassigned entries."""
    rounds.require_open(db, edition.key, 1)
    pair = layout.pair_id(scorer_id, submission_id)
    assignment = layout.round1_assignments(db, edition.key).document(pair).get().to_dict()
    if assignment is None or assignment["status"] != "assigned":
        raise NotAssigned("entry_not_assigned")
    cleaned = validate(edition, values, final=submit)
    ref = layout.round1_scores(db, edition.key).document(pair)
    now = datetime.now(UTC)
    record = {
        "scorer_id": scorer_id,
        "submission_id": submission_id,
        **cleaned,
        "status": "submitted" if submit else "draft",
        "updated_at": now,
        "revisions": firestore.Increment(1),
    }
    if submit:
        record["submitted_at"] = now

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> None:
        """The score and, for a submitted one, its audit entry with the old values: one document per (scorer,
        entry), so this transaction only ever meets the same scorer in another tab."""
        snapshot = ref.get(transaction=transaction)
        existing = snapshot.to_dict() if snapshot.exists else None
        was_submitted = bool(existing) and existing.get("status") == "submitted"
        if not submit and was_submitted:
            raise ScoreInvalid({"status": Refusal("score_already_submitted")})
        transaction.set(ref, record, merge=True)
        changes.touch(db, edition.key, writer=transaction)
        if submit:
            before = audited(existing) if was_submitted else None
            after = audited(record)
            if before != after:
                audit.record(db, actor=audit.person("scorer", scorer_id),
                             action="score.changed" if was_submitted else "score.submitted",
                             target=f"{edition.key}/round1_scores/{pair}", before=before, after=after,
                             edition=edition.key, writer=transaction)

    write(db.transaction())
    return record


def audited(score: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the audit trail keeps of a score: the criterion scores, tops and tips (no ids, no timestamps)."""
    if score is None:
        return None
    return {"scores": dict(score.get("scores", {})), "tops": score.get("tops", ""), "tips": score.get("tips", "")}

"""Everything an export shows, read once from Firestore into plain dicts (the row builders never touch the store).

What is read is what the rounds store (docs/firestore.md): registrations, round 1's scorers, scores and decision,
round 2's roster, evidence, teams, reports, assessors and decision, round 3's jurors, decision and winners, and
every decision of the edition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import audit, layout


class NoEditionData(LookupError):
    """Nothing is stored for the edition (it was never activated and has no registrations); an organiser reads
    the message on the command line, in English."""


@dataclass
class Stored:
    """One edition as stored, as plain data; ``rounds`` maps 1-3 to the round's state document (empty if none)."""

    edition: str
    submissions: list[dict[str, Any]] = field(default_factory=list)
    scorers: list[dict[str, Any]] = field(default_factory=list)
    scores: list[dict[str, Any]] = field(default_factory=list)
    rounds: dict[int, dict[str, Any]] = field(default_factory=dict)
    decisions: list[dict[str, Any]] = field(default_factory=list)
    roster2: list[str] = field(default_factory=list)
    roster3: list[str] = field(default_factory=list)
    evidence: dict[str, dict[str, Any]] = field(default_factory=dict)
    teams: dict[str, dict[str, Any]] = field(default_factory=dict)
    reports: dict[str, dict[str, Any]] = field(default_factory=dict)
    assessors: list[dict[str, Any]] = field(default_factory=list)
    jurors: list[dict[str, Any]] = field(default_factory=list)
    winners: dict[str, Any] | None = None
    audit: list[dict[str, Any]] = field(default_factory=list)
    """The audit trail of the edition and the organisers' own entries (sign-ins, accounts), oldest first."""

    def decision(self, round: int) -> dict[str, Any] | None:
        """The round's decision: the one its state (or, in round 3, the winners) names, else the latest stored."""
        named = self.rounds.get(round, {}).get("decision_id")
        if round == 3 and self.winners:
            named = self.winners.get("decision_id") or named
        found = [d for d in self.decisions if d.get("round") == round]
        for decision in found:
            if named and decision.get("decision_id") == named:
                return decision
        return max(found, key=lambda d: str(d.get("decided_at") or ""), default=None)


def _all(collection: firestore.CollectionReference) -> list[dict[str, Any]]:
    return [d.to_dict() or {} for d in collection.stream()]


def _by_id(collection: firestore.CollectionReference) -> dict[str, dict[str, Any]]:
    return {d.id: d.to_dict() or {} for d in collection.stream()}


def read(db: firestore.Client, edition: str) -> Stored:
    """The edition's stored data; :class:`NoEditionData` when nothing is stored for it."""
    submissions = _all(layout.submissions(db, edition))
    if not submissions and not layout.edition(db, edition).get().exists:
        raise NoEditionData(f"nothing is stored for edition {edition} (it was never activated and has no "
                           "registrations)")
    return Stored(
        edition=edition,
        submissions=submissions,
        scorers=_all(layout.scorers(db, edition)),
        scores=_all(layout.round1_scores(db, edition)),
        rounds={n: layout.round_state(db, edition, n).get().to_dict() or {} for n in (1, 2, 3)},
        decisions=_all(layout.decisions(db, edition)),
        roster2=sorted(d.id for d in layout.roster(db, edition, 2).stream()),
        roster3=sorted(d.id for d in layout.roster(db, edition, 3).stream()
                       if (d.to_dict() or {}).get("status", "finalist") == "finalist"),
        evidence=_by_id(layout.evidence(db, edition)),
        teams=_by_id(layout.assessment_teams(db, edition)),
        reports=_by_id(layout.reports(db, edition)),
        assessors=_all(layout.assessors(db, edition)),
        jurors=_all(layout.jurors(db, edition)),
        winners=layout.winners(db, edition).document("result").get().to_dict(),
        audit=[e for e in audit.entries(db) if e.get("edition") in (edition, None)],
    )

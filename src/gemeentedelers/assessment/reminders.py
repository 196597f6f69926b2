"""Round 2's reminders: teams whose evidence is not complete, assessors with reports to sign or no ballot yet.

At most one per person per day (``people.reminders``); the mail names the deadline (``timeline.round2_decided``)
and carries the person's link. Only while round 2 is open: once the finalists are being confirmed nothing is due.
"""

from __future__ import annotations

from google.cloud import firestore

from gemeentedelers.assessment import finalists
from gemeentedelers.editions import Edition
from gemeentedelers.editions.active import read_active
from gemeentedelers.people import reminders
from gemeentedelers.platform import audit, bus

SYSTEM = audit.system("assessment")


def _require_open(db: firestore.Client, edition: Edition) -> None:
    finalists._refuse_unless_open(finalists.state(db, edition.key).get("status", "open"))


def remind_teams(db: firestore.Client, edition: Edition, *, by: str = SYSTEM, day: str | None = None) -> list[str]:
    """Remind every team whose evidence is not complete; returns the cases reminded now."""
    from gemeentedelers.console import progress

    _require_open(db, edition)
    today = day or reminders.today()
    behind = [p.person_id for p in progress.round2(db, edition, read_active(db).clock.now()).teams_behind]
    fresh = reminders.due(db, edition.key, "team", behind, today)
    bus.publish_many(("team.reminded", f"team.reminded:{edition.key}:{sid}:{today}", edition.key,
                      {"submission_id": sid, "day": today}) for sid in fresh)
    reminders.mark(db, edition.key, "team", fresh, today, by=by)
    reminders.record(db, edition.key, "team", 2, fresh, by=by, day=today)
    return fresh


def remind_assessors(db: firestore.Client, edition: Edition, *, by: str = SYSTEM,
                     day: str | None = None) -> list[str]:
    """Remind every serving assessor with a report to sign or no ballot yet; returns who was reminded now."""
    from gemeentedelers.console import progress

    _require_open(db, edition)
    today = day or reminders.today()
    found = progress.round2(db, edition, read_active(db).clock.now())
    behind = {p.person_id: p for p in found.assessors_behind}
    fresh = reminders.due(db, edition.key, "assessor", behind, today)
    names_missing = set(found.ballots_missing)
    bus.publish_many(("assessor.reminded", f"assessor.reminded:{edition.key}:{aid}:{today}", edition.key,
                      {"assessor_id": aid, "day": today,
                       "cases": [c for c in behind[aid].detail.split("; ") if c],
                       "ballot_missing": behind[aid].name in names_missing}) for aid in fresh)
    reminders.mark(db, edition.key, "assessor", fresh, today, by=by)
    reminders.record(db, edition.key, "assessor", 2, fresh, by=by, day=today)
    return fresh

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
from gemeentedelers.platform import audit

SYSTEM = audit.system("assessment")


def _require_open(db: firestore.Client, edition: Edition) -> None:
    finalists.refuse_unless_open(finalists.state(db, edition.key).get("status", "open"))


def remind_teams(db: firestore.Client, edition: Edition, *, by: str = SYSTEM, day: str | None = None) -> list[str]:
    """Remind every team whose evidence is not complete; returns the cases reminded now."""
    from gemeentedelers.console import progress

    _require_open(db, edition)
    today = day or reminders.today()
    behind = [p.person_id for p in progress.round2(db, edition, read_active(db).clock.now()).teams_behind]
    return reminders.send(db, edition.key, "team", 2, reminders.due(db, edition.key, "team", behind, today), today,
                          event_type="team.reminded", id_field="submission_id", by=by, service="assessment")


def remind_assessors(db: firestore.Client, edition: Edition, *, by: str = SYSTEM,
                     day: str | None = None) -> list[str]:
    """Remind every serving assessor with a report to sign or no ballot yet; returns who was reminded now."""
    from gemeentedelers.console import progress

    _require_open(db, edition)
    today = day or reminders.today()
    behind = [p.person_id for p in progress.round2(db, edition, read_active(db).clock.now()).assessors_behind]
    return reminders.send(db, edition.key, "assessor", 2, reminders.due(db, edition.key, "assessor", behind, today),
                          today, event_type="assessor.reminded", id_field="assessor_id", by=by,
                          service="assessment")


def open_for(db: firestore.Client, edition: Edition, aid: str) -> tuple[list[str], bool]:
    """What an assessor still has to do, as stored: titles of their cases whose report lacks their sign-off or is
    not complete, and whether their finalist ballot is missing (notify's reminder reads this)."""
    from gemeentedelers.assessment import assessors, reports
    from gemeentedelers.platform import layout

    formed = assessors.teams(db, edition.key)
    titles = {e["submission_id"]: str(e.get("title", e["submission_id"])) for e in assessors.cases(db, edition.key)}
    cases = []
    for sid in assessors.cases_of(formed, aid):
        stored = reports.get(db, edition.key, sid)
        if aid not in stored.get("signed_off", []) or reports.problems(edition, sid, stored, formed.get(sid, [])):
            cases.append(titles.get(sid, sid))
    ballot_missing = not layout.assessment_ballots(db, edition.key).document(aid).get().exists
    return sorted(cases), ballot_missing

"""The finalists' programme: the pitch to the jury, scheduled in one session with a slot per finalist.

An organiser sets the session (start, slot length, place); the finalists (round 3's roster) get consecutive slots
by category and title. The schedule is one document (``layout.pitch_schedule``) with a version that grows with
every change, written with its audit entry and its ``pitch.scheduled`` event (the outbox); notify mails each
finalist's contact their slot and each serving juror the whole session, each with an .ics invitation (RFC 5545,
escaped values, ``assessment.visits.ics``) whose SEQUENCE is the version, so a moved pitch updates the calendar
entry instead of adding one.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.platform import audit, layout, outbox
from gemeentedelers.web.refusals import Refusal

MAX_SLOT_MINUTES = 240


class PitchRefused(Refusal):
    """The pitch schedule cannot be made as asked (no finalists, a bad slot length or place)."""


def slots(finalists: list[dict[str, Any]], start: datetime, minutes: int) -> list[dict[str, Any]]:
    """Consecutive slots of ``minutes`` from ``start``, by category and title."""
    ordered = sorted(finalists, key=lambda e: (str(e.get("category", "")), str(e.get("title", "")).lower(),
                                               e["submission_id"]))
    return [{"submission_id": e["submission_id"], "starts": start + timedelta(minutes=minutes * n),
             "ends": start + timedelta(minutes=minutes * (n + 1))} for n, e in enumerate(ordered)]


def schedule(db: firestore.Client, edition: Edition, *, start: datetime, minutes: int, place: str,
             by: str) -> dict[str, Any]:
    """Store (or move) the pitch session and publish ``pitch.scheduled``; returns the stored schedule."""
    from gemeentedelers.jury.round3 import finalists

    place = " ".join(place.split())
    if not 5 <= minutes <= MAX_SLOT_MINUTES:
        raise PitchRefused("pitch_bad_minutes", max=MAX_SLOT_MINUTES)
    if not 2 <= len(place) <= 200:
        raise PitchRefused("pitch_bad_place")
    if start.tzinfo is None:
        raise PitchRefused("pitch_bad_start")
    shortlist = [e for group in finalists(db, edition).values() for e in group]
    if not shortlist:
        raise PitchRefused("pitch_no_finalists")
    made = slots(shortlist, start.astimezone(UTC), minutes)
    ref = layout.pitch_schedule(db, edition.key)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> dict[str, Any]:
        before = ref.get(transaction=transaction).to_dict() or {}
        version = int(before.get("version", 0)) + 1
        stored = {"version": version, "starts": made[0]["starts"], "ends": made[-1]["ends"], "place": place,
                  "slot_minutes": minutes, "slots": made, "scheduled_by": by, "scheduled_at": datetime.now(UTC)}
        transaction.set(ref, stored)
        audit.record(db, actor=by, action="pitch.scheduled", target=f"{edition.key}/programme/pitch",
                     before={k: before.get(k) for k in ("version", "starts", "place")} if before else None,
                     after={"version": version, "starts": made[0]["starts"].isoformat(), "place": place,
                            "finalists": len(made)}, edition=edition.key, writer=transaction)
        outbox.stage(transaction, db, [event(edition.key, version)], service="jury")
        return stored

    stored = write(db.transaction())
    outbox.publish(db, [event(edition.key, stored["version"])])
    return stored


def event(edition: str, version: int) -> tuple[str, str, str, dict[str, Any]]:
    return ("pitch.scheduled", f"pitch.scheduled:{edition}:{version}", edition, {"version": version})

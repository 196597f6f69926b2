"""The finalists' programme: the pitch to the jury (a session with a slot per finalist), the presentation
training and the promo video tracked per finalist with dates, and the award ceremony's invitation.

An organiser sets the session (start, slot length, place); the finalists (round 3's roster) get consecutive slots
by category and title. The schedule is one document (``layout.pitch_schedule``) with a version that grows with
every change, written with its audit entry and its ``pitch.scheduled`` event (the outbox); notify mails each
finalist's contact their slot and each serving juror the whole session, each with an .ics invitation (RFC 5545,
escaped values, ``assessment.visits.ics``) whose SEQUENCE is the version, so a moved pitch updates the calendar
entry instead of adding one. The ceremony (``timeline.award_ceremony``) is invited to in the same way
(``ceremony.invited``): finalists, serving jurors, and sponsors with a contact address (``notify/sponsors.py``).
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


# -- the presentation training and the promo video, tracked per finalist -----------------------------------------

ITEMS = ("training", "video")
STATES = ("planned", "done")


def track(db: firestore.Client, edition: Edition, sid: str, item: str, *, on: datetime, state: str,
          by: str) -> dict[str, Any]:
    """Record when a finalist's presentation training or promo video is planned or was done (audited)."""
    from gemeentedelers.jury.round3 import finalists

    if item not in ITEMS or state not in STATES:
        raise PitchRefused("programme_bad_item")
    if sid not in {e["submission_id"] for group in finalists(db, edition).values() for e in group}:
        raise PitchRefused("programme_not_a_finalist")
    ref = layout.programme_finalist(db, edition.key, sid)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> dict[str, Any]:
        before = ref.get(transaction=transaction).to_dict() or {}
        value = {"on": on, "state": state, "by": by, "at": datetime.now(UTC)}
        transaction.set(ref, {"submission_id": sid, item: value}, merge=True)
        audit.record(db, actor=by, action=f"programme.{item}", target=f"{edition.key}/programme/finalist-{sid}",
                     before={k: str(v) for k, v in (before.get(item) or {}).items() if k in ("on", "state")} or None,
                     after={"on": on.isoformat(), "state": state}, edition=edition.key, writer=transaction)
        return {**before, item: value}

    return write(db.transaction())


def overview(db: firestore.Client, edition: Edition) -> list[dict[str, Any]]:
    """Per finalist: the pitch slot, the training and the video (what is known of each)."""
    from gemeentedelers.jury.round3 import finalists

    pitch = {s["submission_id"]: s for s in (layout.pitch_schedule(db, edition.key).get().to_dict() or {})
             .get("slots", [])}
    rows = []
    for group in finalists(db, edition).values():
        for entry in group:
            sid = entry["submission_id"]
            tracked = layout.programme_finalist(db, edition.key, sid).get().to_dict() or {}
            rows.append({"submission_id": sid, "title": entry.get("title", ""), "pitch": pitch.get(sid),
                         **{item: tracked.get(item) for item in ITEMS}})
    return sorted(rows, key=lambda r: (str(r["title"]).lower(), r["submission_id"]))


# -- the award ceremony ------------------------------------------------------------------------------------------


def invite_to_ceremony(db: firestore.Client, edition: Edition, *, place: str, by: str) -> dict[str, Any]:
    """Store the ceremony (at ``timeline.award_ceremony``, ``place``) and publish ``ceremony.invited``: notify
    invites the finalists, the serving jurors and the sponsors with a contact address, each with an .ics."""
    place = " ".join(place.split())
    if not 2 <= len(place) <= 200:
        raise PitchRefused("pitch_bad_place")
    ref = layout.ceremony(db, edition.key)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> dict[str, Any]:
        before = ref.get(transaction=transaction).to_dict() or {}
        version = int(before.get("version", 0)) + 1
        stored = {"version": version, "starts": edition.timeline.award_ceremony, "place": place, "invited_by": by,
                  "invited_at": datetime.now(UTC)}
        transaction.set(ref, stored)
        audit.record(db, actor=by, action="ceremony.invited", target=f"{edition.key}/programme/ceremony",
                     before={"version": before.get("version"), "place": before.get("place")} if before else None,
                     after={"version": version, "place": place}, edition=edition.key, writer=transaction)
        outbox.stage(transaction, db, [ceremony_event(edition.key, version)], service="jury")
        return stored

    stored = write(db.transaction())
    outbox.publish(db, [ceremony_event(edition.key, stored["version"])])
    return stored


def ceremony_event(edition: str, version: int) -> tuple[str, str, str, dict[str, Any]]:
    return ("ceremony.invited", f"ceremony.invited:{edition}:{version}", edition, {"version": version})

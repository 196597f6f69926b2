"""At most one reminder per person per day, for every role (scorers, teams, assessors, jurors).

A reminder is marked per (role, person, day) in ``reminders/{role}:{id}:{day}``: :func:`due` says who has not had
one today; :func:`send` writes the markers, the audit entry and the reminder events (the outbox) in one write and
then publishes the events, whose ids name the day too, so the mail ledger sends a repeated publish once. notify
mails only for a marker that is stored, and reads what is still open itself. Two organisers pressing the button
at the same moment publish the same event ids: still one mail each. Scorers' reminders go the way of their
invitations (``scoring.waves.remind``), marked here as well.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import create_once

ROLES = ("scorer", "team", "assessor", "juror")


def today() -> str:
    """Today's date in Amsterdam (real time: a reminder limit is about people's inboxes, not the competition)."""
    from gemeentedelers.web.i18n import AMSTERDAM

    return datetime.now(AMSTERDAM).date().isoformat()


def due(db: firestore.Client, edition: str, role: str, ids: Iterable[str], day: str) -> list[str]:
    """Of ``ids``, those not reminded on ``day`` yet, in order."""
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return []
    refs = [layout.reminder(db, edition, role, pid, day) for pid in wanted]
    done = {snap.reference.id for snap in db.get_all(refs) if snap.exists}
    return [pid for pid, ref in zip(wanted, refs, strict=True) if ref.id not in done]


def mark(db: firestore.Client, edition: str, role: str, ids: Iterable[str], day: str, *, by: str) -> int:
    """Record that ``ids`` were reminded on ``day``; returns how many markers are new."""
    now = datetime.now(UTC)
    return sum(create_once(layout.reminder(db, edition, role, pid, day),
                           {"role": role, "person_id": pid, "day": day, "at": now, "by": by}) for pid in ids)


def record(db: firestore.Client, edition: str, role: str, round_number: int, reminded: list[str], *, by: str,
           day: str, writer: Any = None) -> None:
    """The audit entry of one press of a remind button: who asked, which people (by pseudonym) were reminded."""
    who: list[Any] = [audit.team(pid) if role == "team" else audit.person(role, pid) for pid in reminded]
    audit.record(db, actor=by, action=f"round{round_number}.{role}s_reminded", target=f"{edition}/round{round_number}",
                 after={"day": day, "reminded": who}, edition=edition, writer=writer)


def send(db: firestore.Client, edition: str, role: str, round_number: int, ids: list[str], day: str, *,
         event_type: str, id_field: str, by: str, service: str) -> list[str]:
    """Remind ``ids`` (who are due): markers, audit entry and events in one write, then the events published
    (the outbox's sweeper publishes what this call could not). Returns ``ids``."""
    from gemeentedelers.platform import outbox

    if not ids:
        return []
    events = [(event_type, f"{event_type}:{edition}:{pid}:{day}", edition, {id_field: pid, "day": day})
              for pid in ids]
    now = datetime.now(UTC)
    for start in range(0, len(ids), 200):
        batch = db.batch()
        for pid in ids[start:start + 200]:
            batch.set(layout.reminder(db, edition, role, pid, day),
                      {"role": role, "person_id": pid, "day": day, "at": now, "by": by})
        outbox.stage(batch, db, events[start:start + 200], service=service)
        if start == 0:
            record(db, edition, role, round_number, ids, by=by, day=day, writer=batch)
        batch.commit()
    outbox.publish(db, events)
    return ids


def stored(db: firestore.Client, edition: str, role: str, person_id: str, day: Any) -> bool:
    """Whether a reminder of ``person_id`` on ``day`` was asked for (what notify checks before it mails)."""
    return layout.reminder(db, edition, role, person_id, str(day)).get().exists


def reminded_on(db: firestore.Client, edition: str, day: str) -> set[tuple[str, str]]:
    """``(role, person id)`` of everyone reminded on ``day`` (the console shows it beside their name)."""
    query = layout.reminders(db, edition).where(filter=firestore.FieldFilter("day", "==", day))
    return {(d.get("role"), d.get("person_id")) for d in query.stream()}

"""At most one reminder per person per day, for every role (scorers, teams, assessors, jurors).

A reminder is marked per (role, person, day) in ``reminders/{role}:{id}:{day}``: :func:`due` says who has not had
one today, the caller publishes the reminder events (whose ids name the day too, so the mail ledger sends a
repeated publish once), and :func:`mark` records them with who asked. Two organisers pressing the button at the
same moment publish the same event ids: still one mail each.
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
           day: str) -> None:
    """The audit entry of one press of a remind button: who asked, which people (by pseudonym) were reminded."""
    who: list[Any] = [audit.team(pid) if role == "team" else audit.person(role, pid) for pid in reminded]
    audit.record(db, actor=by, action=f"round{round_number}.{role}s_reminded", target=f"{edition}/round{round_number}",
                 after={"day": day, "reminded": who}, edition=edition)


def reminded_on(db: firestore.Client, edition: str, day: str) -> set[tuple[str, str]]:
    """``(role, person id)`` of everyone reminded on ``day`` (the console shows it beside their name)."""
    query = layout.reminders(db, edition).where(filter=firestore.FieldFilter("day", "==", day))
    return {(d.get("role"), d.get("person_id")) for d in query.stream()}

"""The active edition and the competition clock, as stored in Firestore (``config/active``).

The competition clock is real time plus a stored offset. It decides business dates (is registration open?)
and lets the local cloud, demos and tests stand at any moment of an edition without faking the system
clock. Security checks (signature freshness) always use the real clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from google.cloud import firestore

from gemeentedelers.editions import Edition, get_edition
from gemeentedelers.platform import layout, settings


class NoActiveEdition(LookupError):
    """No edition is active: nothing can be registered yet."""


@dataclass(frozen=True)
class CompetitionClock:
    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass(frozen=True)
class Active:
    edition: Edition
    clock: CompetitionClock


def read_active(db: firestore.Client) -> Active:
    """The active edition (``GD_EDITION`` overrides the stored one) and the competition clock."""
    snapshot = layout.active_config(db).get()
    data = snapshot.to_dict() or {}
    name = settings.current().edition_override or data.get("edition")
    if not name:
        raise NoActiveEdition("no edition is active; an organiser activates one (gemeentedelers edition activate)")
    offset = timedelta(seconds=float(data.get("clock_offset_seconds", 0.0)))
    return Active(edition=get_edition(name), clock=CompetitionClock(offset))


def activate(db: firestore.Client, name: str, *, competition_now: datetime | None = None) -> Edition:
    """Make ``name`` the active edition; optionally set the competition clock to ``competition_now``."""
    edition = get_edition(name)
    data: dict[str, object] = {"edition": name, "activated_at": datetime.now(UTC)}
    if competition_now is not None:
        data["clock_offset_seconds"] = offset_for(competition_now).total_seconds()
    layout.active_config(db).set(data, merge=True)
    layout.edition(db, name).set({"key": name, "activated_at": data["activated_at"]}, merge=True)
    return edition


def set_clock(db: firestore.Client, competition_now: datetime) -> CompetitionClock:
    offset = offset_for(competition_now)
    layout.active_config(db).set({"clock_offset_seconds": offset.total_seconds()}, merge=True)
    return CompetitionClock(offset)


def offset_for(competition_now: datetime) -> timedelta:
    if competition_now.tzinfo is None:
        raise ValueError("competition time must be timezone-aware")
    return competition_now - datetime.now(UTC)

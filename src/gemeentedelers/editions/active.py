"""The active edition (which published version of which edition) and the competition clock: ``config/active``.

The competition clock is real time plus a stored offset. It decides business dates (is registration open?)
and lets the local cloud, demos and tests stand at any moment of an edition without faking the system
clock. Security checks (signature freshness) always use the real clock.

Running functions serve a newly activated version without a restart. ``config/active`` is one small document;
HTTP requests read it through a cache of :data:`CHECK_SECONDS` (the cheap check: most requests read nothing),
events and due jobs read it when they start; a version not seen before is loaded once (``versions.load``,
cached by content hash). Inside a request or event (``editions.pin``) the first read is kept to the end, so one
request or event never mixes two versions. Tools outside a function (the CLI, tests) read it on every call.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition, installed_edition, pin
from gemeentedelers.platform import layout, settings

log = logging.getLogger(__name__)

CHECK_SECONDS = float(os.environ.get("GD_EDITION_CHECK_SECONDS", "2"))
"""How old the active pointer a request uses may be; ``GD_EDITION_CHECK_SECONDS`` sets it per function."""


class NoActiveEdition(LookupError):
    """No edition is active: nothing can be registered yet."""


@dataclass(frozen=True)
class CompetitionClock:
    offset: timedelta = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


@dataclass(frozen=True)
class Pointer:
    """What ``config/active`` says: the edition, its version and hash (absent for an older activation)."""

    edition: str
    version: int | None
    spec_hash: str | None
    clock_offset_seconds: float
    activated_at: Any = None

    @classmethod
    def of(cls, data: dict[str, Any]) -> Pointer:
        if not data.get("edition"):
            raise NoActiveEdition("no edition is active; an organiser activates one (gemeentedelers edition activate)")
        version = data.get("version")
        return cls(str(data["edition"]), int(version) if version else None, data.get("hash"),
                   float(data.get("clock_offset_seconds", 0.0)), data.get("activated_at"))


@dataclass(frozen=True)
class Active:
    edition: Edition
    clock: CompetitionClock
    pointer: Pointer | None = None


_lock = threading.Lock()
_cached: tuple[float, Pointer] | None = None
_last_good: dict[str, Edition] = {}


def forget_cached_pointer() -> None:
    """Drop the cached pointer, so the next request reads ``config/active`` (after an activation here)."""
    global _cached
    with _lock:
        _cached = None


def read_pointer(db: firestore.Client, *, cached: bool = False) -> Pointer:
    """``config/active``, from the cache when ``cached`` and it is younger than :data:`CHECK_SECONDS`."""
    global _cached
    now = time.monotonic()
    with _lock:
        if cached and _cached is not None and now - _cached[0] < CHECK_SECONDS:
            return _cached[1]
    pointer = Pointer.of(layout.active_config(db).get().to_dict() or {})
    with _lock:
        _cached = (now, pointer)
    return pointer


def edition_of(db: firestore.Client, pointer: Pointer) -> Edition:
    """The edition a pointer names: its published version, or (``GD_EDITION``, or an activation from before
    editions were published) the installed one. A version that cannot load here is logged and the last one that
    did keeps serving, rather than every request failing."""
    from gemeentedelers.editions import versions

    override = settings.current().edition_override
    if override:
        return installed_edition(override)
    if pointer.version is None:
        return installed_edition(pointer.edition)
    try:
        edition = versions.load(db, pointer.edition, pointer.version, pointer.spec_hash)
    except Exception:
        fallback = _last_good.get(pointer.edition)
        if fallback is None:
            raise
        log.exception("edition %s version %s does not load here; still serving version %s", pointer.edition,
                      pointer.version, fallback.version)
        return fallback
    _last_good[pointer.edition] = edition
    return edition


def read_active(db: firestore.Client) -> Active:
    """The active edition (``GD_EDITION`` overrides the stored one) and the competition clock, pinned for the
    rest of the request or event this runs in."""
    current = pin.current()
    if current is not None and current.active is not None:
        return current.active
    pointer = read_pointer(db, cached=current is not None and current.cached)
    active = Active(edition_of(db, pointer), CompetitionClock(timedelta(seconds=pointer.clock_offset_seconds)),
                    pointer)
    if current is not None:
        current.active = active
    return active


def served(db: firestore.Client) -> dict[str, Any]:
    """What this function serves now (the built-in ``/edition`` route): key, version, hash, competition time."""
    active = read_active(db)
    return {"edition": active.edition.key, "version": active.edition.version, "hash": active.edition.spec_hash,
            "title": active.edition.info.title.nl, "competition_time": active.clock.now().isoformat(),
            "plugins": list((active.edition.spec or {}).get("plugins", []))}


@dataclass(frozen=True)
class Activation:
    edition: Edition
    forced: bool
    refusals: tuple[str, ...]


def activate(db: firestore.Client, name: str, *, version: int | None = None,
             competition_now: datetime | None = None, force: bool = False, reason: str | None = None,
             by: str = "organiser:cli") -> Activation:
    """Make version ``version`` (the latest by default) of edition ``name`` active; optionally set the clock.

    Refused (``safety.ActivationRefused``) when the version changes what a running or decided round depends on,
    unless ``force`` with a ``reason``; the activation, forced or not, is recorded with its reason in
    ``config/active`` and the audit trail.
    """
    from gemeentedelers.editions import safety, versions
    from gemeentedelers.platform import audit

    if force and not (reason or "").strip():
        raise ValueError("--force needs --reason TEXT: say why the change is made while a round depends on it")
    record = versions.version_record(db, name, version)
    edition = versions.load(db, name, int(record["version"]), record["hash"])
    previous = (layout.active_config(db).get().to_dict() or {})
    concerns = safety.concerns(db, name, edition)
    if concerns and not force:
        raise safety.ActivationRefused(name, edition.version, concerns)
    data: dict[str, Any] = {"edition": name, "version": edition.version, "hash": edition.spec_hash,
                            "activated_at": datetime.now(UTC), "activated_by": by, "forced": bool(concerns),
                            "reason": (reason or "").strip() or None}
    if competition_now is not None:
        data["clock_offset_seconds"] = offset_for(competition_now).total_seconds()
    batch = db.batch()
    batch.set(layout.active_config(db), data, merge=True)
    batch.set(layout.edition(db, name), {"key": name, "activated_at": data["activated_at"],
                                         "activated_version": edition.version}, merge=True)
    before = {k: previous.get(k) for k in ("edition", "version", "hash")} if previous else None
    audit.record(db, actor=by, action="edition.activated", target=f"{name}/versions/{edition.version}",
                 before=before, after={"edition": name, "version": edition.version, "hash": edition.spec_hash,
                                       "forced": bool(concerns), "reason": data["reason"],
                                       "concerns": list(concerns)}, edition=name, writer=batch)
    batch.commit()
    forget_cached_pointer()
    return Activation(edition, bool(concerns), tuple(concerns))


def set_clock(db: firestore.Client, competition_now: datetime) -> CompetitionClock:
    offset = offset_for(competition_now)
    layout.active_config(db).set({"clock_offset_seconds": offset.total_seconds()}, merge=True)
    forget_cached_pointer()
    return CompetitionClock(offset)


def offset_for(competition_now: datetime) -> timedelta:
    if competition_now.tzinfo is None:
        raise ValueError("competition time must be timezone-aware")
    return competition_now - datetime.now(UTC)

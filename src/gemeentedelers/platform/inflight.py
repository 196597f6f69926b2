"""Which event handlers are at work right now, for the local cloud only.

A reset between two tests empties Firestore while a handler of the earlier test may still be running: it then
writes into the fresh database (a mail ledger entry marked sent, say), and the next test's real event finds its
work done. So, where ``GD_INFLIGHT_DIR`` is set (only the local cloud sets it, and only for ``demo-`` projects),
every event handled holds a file named after its process there; ``wait_until_idle`` returns once no living process
holds one. In production the setting is empty and ``held`` does nothing.
"""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

from gemeentedelers.platform import settings


@contextlib.contextmanager
def held(service: str) -> Iterator[None]:
    """Hold a marker in the in-flight folder for the duration of one event's handling (nothing when unset)."""
    folder = settings.current().inflight_dir
    if not folder:
        yield
        return
    marker = Path(folder) / f"{service}.{os.getpid()}.{uuid.uuid4().hex}"
    try:
        marker.touch()
    except OSError:  # the folder went away (the cloud is stopping): handle the event anyway
        marker = None  # type: ignore[assignment]
    try:
        yield
    finally:
        if marker is not None:
            marker.unlink(missing_ok=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def at_work(folder: Path) -> list[str]:
    """The markers of handlers still running: those of processes that died (a function killed mid-event by an
    outage test) are removed, as that work can no longer land."""
    found = []
    for marker in folder.glob("*.*.*"):
        try:
            pid = int(marker.name.split(".")[1])
        except (IndexError, ValueError):
            continue
        if _alive(pid):
            found.append(marker.name)
        else:
            marker.unlink(missing_ok=True)
    return sorted(found)


class StillBusy(RuntimeError):
    """Handlers were still at work when the wait ran out."""


def wait_until_idle(folder: Path, timeout_s: float = 120.0, settle_s: float = 0.2) -> None:
    """Return once no handler holds a marker in ``folder`` on two looks ``settle_s`` apart (a push the emulator
    sent just before its subscription went may still be on its way into a function); raise ``StillBusy`` naming
    them after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    idle_since: float | None = None
    while time.monotonic() < deadline:
        if at_work(folder):
            idle_since = None
        elif idle_since is None:
            idle_since = time.monotonic()
        elif time.monotonic() - idle_since >= settle_s:
            return
        time.sleep(0.05)
    raise StillBusy(f"event handlers still at work after {timeout_s:g} s: {', '.join(at_work(folder))}")

"""One request or event, one edition version: the active edition is read once, when first needed, and kept.

``web.app.serve`` and ``platform.consumer.Consumer`` run every request and event inside :func:`pinned`. The
first ``read_active`` (or ``get_edition`` of the active key) in it resolves the active version and the
competition clock; every later one in the same request or event gets the same, so a version activated
meanwhile is never mixed into a decision halfway. Requests may use the active pointer as it was a few seconds
ago (``cached``: the cheap check); events and due jobs read it when they start.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

_current: ContextVar[Pin | None] = ContextVar("gd_edition_pin", default=None)


@dataclass
class Pin:
    cached: bool
    """Whether the active pointer may come from the few-seconds cache (requests) or is read fresh (events)."""
    active: Any = None
    """The ``editions.active.Active`` this request or event uses, once resolved."""


@contextmanager
def pinned(*, cached: bool) -> Iterator[Pin]:
    pin = Pin(cached=cached)
    token = _current.set(pin)
    try:
        yield pin
    finally:
        _current.reset(token)


def current() -> Pin | None:
    return _current.get()


def edition_named(name: str) -> Any:
    """The pinned edition, when this runs inside a request or event and the active edition is ``name``."""
    pin = _current.get()
    if pin is None:
        return None
    from gemeentedelers.editions.active import NoActiveEdition, read_active
    from gemeentedelers.platform.firestore import db

    try:
        active = read_active(db())
    except NoActiveEdition:
        return None
    return active.edition if active.edition.key == name else None

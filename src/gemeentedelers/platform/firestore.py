"""The Firestore client of this process and the few write patterns every module uses.

The client is created lazily, once, under a lock: functions-framework serves with threads, and a client
made at import time would slow the cold start of code paths that never touch Firestore.
"""

from __future__ import annotations

import threading
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from gemeentedelers.platform import settings

_client: firestore.Client | None = None
_lock = threading.Lock()


def db() -> firestore.Client:
    global _client
    if _client is None:
        with _lock:
            if _client is None:
                _client = firestore.Client(project=settings.current().project)
    return _client


def reset_client() -> None:
    """Forget the client (tools and tests that switch projects)."""
    global _client
    with _lock:
        _client = None


def create_once(ref: firestore.DocumentReference, data: dict[str, Any]) -> bool:
    """Create ``ref`` if absent; ``False`` if it already exists.

    The idempotency primitive: a create is atomic, so of two concurrent duplicates exactly one wins,
    without the read-modify-write transactions the emulator (and production, under contention) handles badly.
    """
    try:
        ref.create(data)
    except gexc.AlreadyExists:
        return False
    return True

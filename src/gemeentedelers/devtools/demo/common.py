"""What every stage of the demo shares: how it prints and how it waits for the local cloud to catch up."""

from __future__ import annotations

import time
from collections.abc import Callable

Echo = Callable[[str], None]


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()

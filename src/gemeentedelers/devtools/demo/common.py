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


ORGANISER_EMAIL = "marieke.jansen@vng.example.org"
ORGANISER_NAME = "Marieke Jansen"
ACTOR = f"organiser:{ORGANISER_EMAIL}"
"""The named organiser (a coordinator) the demo plays the edition as: its decisions and the audit trail name her."""


def bootstrap_organiser(client: object) -> str:
    """The demo's coordinator, bootstrapped as the first organiser (as ``organisers add`` does); her actor."""
    from gemeentedelers.people import organisers

    if organisers.find(client, ORGANISER_EMAIL) is None:  # type: ignore[arg-type]
        organisers.add(client, email=ORGANISER_EMAIL, name=ORGANISER_NAME, role="coordinator", by=None)  # type: ignore[arg-type]
    return ACTOR

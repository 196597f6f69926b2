"""Announcing that entries' feedback for a round is stored, so notify mails it (``feedback.ready``), and deciding
whether a stored feedback may be mailed.

The event names the round and the entry; notify builds the feedback's path itself (``layout.feedback``) and mails
it only when the round's outcome is out: round 1 or 2 decided and its results released on the edition's
announcement moment (``entries/release.py``), round 3's winners announced; and only feedback an organiser approved
in the composer (``entries/composer.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import bus, layout


def event_id(edition: str, round: int, sid: str) -> str:
    return f"feedback.ready:{edition}:{round}:{sid}"


def events(edition: str, round: int, submission_ids: Iterable[str]) -> list[bus.Event]:
    """One ``feedback.ready`` per entry."""
    return [("feedback.ready", event_id(edition, round, sid), edition, {"round": round, "submission_id": sid})
            for sid in submission_ids]


def announce(edition: str, round: int, submission_ids: Iterable[str]) -> None:
    """Publish ``events`` and wait for every confirmation."""
    bus.publish_many(events(edition, round, submission_ids))


def due(client: firestore.Client, edition: str, round: int, sid: str) -> dict[str, Any] | None:
    """The stored feedback of ``sid`` after ``round`` if it may be mailed now, else ``None``."""
    from gemeentedelers.entries import release  # release builds on this module's events

    if not sid or "/" in sid:
        return None
    if round == 3:
        result = layout.winners(client, edition).document("result").get().to_dict() or {}
        if result.get("status") != "announced":
            return None
    elif (layout.round_state(client, edition, round).get().to_dict() or {}).get("status") != "decided":
        return None
    elif not release.released(client, edition, round):
        return None  # decided, held until the announcement moment
    found = layout.feedback(client, edition, round, sid).get().to_dict()
    if found is None or found.get("round") != round or found.get("submission_id") != sid:
        return None
    if not found.get("approved"):
        return None  # an organiser reviews every entrant's feedback first (``entries/composer.py``)
    return found

"""Announcing that entries' feedback for a round is stored, so notify mails it (``feedback.ready``)."""

from __future__ import annotations

from collections.abc import Iterable

from gemeentedelers.platform import bus, layout
from gemeentedelers.platform.firestore import db


def announce(edition: str, round: int, submission_ids: Iterable[str]) -> None:
    """One ``feedback.ready`` per entry, pointing at its ``layout.feedback`` document; confirmed together."""
    client = db()
    bus.publish_many(
        ("feedback.ready", f"feedback.ready:{edition}:{round}:{sid}", edition,
         {"round": round, "submission_id": sid, "feedback_path": layout.feedback(client, edition, round, sid).path})
        for sid in submission_ids
    )

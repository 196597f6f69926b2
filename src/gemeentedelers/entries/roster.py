"""Taking the entries a round decision advanced onto the next round's roster, once each."""

from __future__ import annotations

from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.firestore import create_once, db


def admit_advancing(event: Event, *, from_round: int, status: str) -> int:
    """Create a roster entry for every advancing submission of ``from_round``; returns how many were new."""
    if event.data["round"] != from_round:
        return 0
    roster = layout.roster(db(), event.edition, from_round + 1)
    entry = {"decision_id": event.data["decision_id"], "status": status, "admitted_at": event.data["occurred_at"]}
    return sum(
        create_once(roster.document(sid), {"submission_id": sid, **entry}) for sid in event.data["advancing"]
    )

"""Taking the entries a stored round decision advanced onto the next round's roster, once each.

The decision is read from Firestore, never taken from the event: ``round.decided`` names a decision, and only one
that is stored, of that round and edition, and the one the round's state says it was decided by, is acted on.
"""

from __future__ import annotations

import logging
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.firestore import create_once, db

log = logging.getLogger(__name__)


def stored_decision(client: firestore.Client, edition: str, round: int, decision_id: str) -> dict[str, Any] | None:
    """The decision ``decision_id`` if it is round ``round``'s stored decision of ``edition``, else ``None``."""
    if not decision_id or "/" in decision_id:
        return None
    state = layout.round_state(client, edition, round).get().to_dict() or {}
    if state.get("decision_id") != decision_id or state.get("status") not in ("decided", "confirmed"):
        return None
    decision = layout.decisions(client, edition).document(decision_id).get().to_dict()
    if decision is None or decision.get("round") != round or decision.get("edition") != edition:
        return None
    return decision


def admit_advancing(event: Event, *, from_round: int, status: str) -> list[str]:
    """Create a roster entry for every submission ``from_round``'s stored decision advanced; returns them all
    (new or not), or nothing when the event names no such decision."""
    if event.data["round"] != from_round:
        return []
    client = db()
    decision = stored_decision(client, event.edition, from_round, event.data["decision_id"])
    if decision is None:
        log.warning("round.decided %s names no stored round-%d decision of %s: ignored", event.data["decision_id"],
                    from_round, event.edition)
        return []
    roster = layout.roster(client, event.edition, from_round + 1)
    entry = {"decision_id": decision["decision_id"], "status": status, "admitted_at": decision["decided_at"]}
    advancing = [sid for sid in decision["advancing"] if isinstance(sid, str) and sid]
    for sid in advancing:
        create_once(roster.document(sid), {"submission_id": sid, **entry})
    return advancing

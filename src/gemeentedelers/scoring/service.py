"""Scoring's event handlers: every stored registration becomes an anonymised round-1 entry."""

from __future__ import annotations

import logging

from flask import Request, Response

from gemeentedelers.entries.submissions import public_view, stored
from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Consumer, Event
from gemeentedelers.platform.firestore import create_once, db
from gemeentedelers.web.app import serve

consumer = Consumer("scoring")
log = logging.getLogger(__name__)


@consumer.on("submission.received")
def enter_round1(event: Event) -> None:
    """Scorers see only the stored registration's public fields, never the contact; created once per entry.

    The entry is made from ``submissions/{id}``, not from the message: an event naming no stored registration
    enters nothing."""
    client = db()
    record = stored(client, event.edition, event.data["submission_id"])
    if record is None:
        log.warning("submission.received names %s, not stored in %s: ignored", event.data["submission_id"],
                    event.edition)
        return
    entry = {**public_view(record), "edition": event.edition, "entered_at": record["received_at"]}
    if create_once(layout.round1_entries(client, event.edition).document(record["submission_id"]), entry):
        from gemeentedelers.scoring.changes import touch

        touch(client, event.edition)


def handle(request: Request) -> Response:
    from gemeentedelers.scoring.web import ROUTES  # pages and their imports load on the first HTTP request

    return serve("scoring", ROUTES, request)

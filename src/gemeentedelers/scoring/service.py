"""Scoring's event handlers: every stored registration becomes an anonymised round-1 entry."""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.entries.submissions import PUBLIC_FIELDS
from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Consumer, Event
from gemeentedelers.platform.firestore import create_once, db
from gemeentedelers.web.app import serve

consumer = Consumer("scoring")


@consumer.on("submission.received")
def enter_round1(event: Event) -> None:
    """Scorers see only the registration's public fields, never the contact; created once per entry."""
    entry = {field: event.data.get(field) for field in PUBLIC_FIELDS if field != "edition"}
    entry |= {"edition": event.edition, "entered_at": event.data["occurred_at"]}
    if create_once(layout.round1_entries(db(), event.edition).document(event.data["submission_id"]), entry):
        from gemeentedelers.scoring.changes import touch

        touch(db(), event.edition)


def handle(request: Request) -> Response:
    from gemeentedelers.scoring.web import ROUTES  # pages and their imports load on the first HTTP request

    return serve("scoring", ROUTES, request)

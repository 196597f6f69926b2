"""Assessment's event handlers: the entries round 1 advanced wait for their round-2 evidence."""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.consumer import Consumer, Event
from gemeentedelers.roster import admit_advancing
from gemeentedelers.web import serve

consumer = Consumer("assessment")


@consumer.on("round.decided")
def open_round2_roster(event: Event) -> None:
    admit_advancing(event, from_round=1, status="awaiting_evidence")


def handle(request: Request) -> Response:
    return serve("assessment", {}, request)

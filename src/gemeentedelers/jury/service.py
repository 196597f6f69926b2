"""The jury's event handlers: the finalists round 2 chose are put before the jury."""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.entries.roster import admit_advancing
from gemeentedelers.platform.consumer import Consumer, Event
from gemeentedelers.web.app import serve

consumer = Consumer("jury")


@consumer.on("round.decided")
def open_round3_roster(event: Event) -> None:
    admit_advancing(event, from_round=2, status="finalist")


def handle(request: Request) -> Response:
    from gemeentedelers.jury.web import ROUTES  # pages and their imports load on the first HTTP request

    return serve("jury", ROUTES, request)

"""The jury's event handlers: the finalists round 2 chose are put before the jury; on every tick the winners are
announced once the edition's moment has come."""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.entries.roster import admit_advancing
from gemeentedelers.platform.consumer import Consumer, Event
from gemeentedelers.platform.tick import DueJob, run_due
from gemeentedelers.web.app import serve

consumer = Consumer("jury")


@consumer.on("round.decided")
def open_round3_roster(event: Event) -> None:
    """Round 2's stored decision (never the message's word) puts its finalists on round 3's roster."""
    admit_advancing(event, from_round=2, status="finalist")


def announce_when_due() -> str:
    """The chair's confirmed winners go out at ``timeline.winners_announced`` (competition clock), once."""
    from gemeentedelers.editions.active import NoActiveEdition, read_active
    from gemeentedelers.jury.round3 import announce_if_due
    from gemeentedelers.platform.firestore import db

    try:
        active = read_active(db())
    except NoActiveEdition:
        return "no active edition"
    return announce_if_due(db(), active.edition, active.clock.now()).status


DUE = (DueJob("announce the winners", announce_when_due),)


@consumer.on("tick")
def on_tick(event: Event) -> None:
    run_due("jury", DUE)


def handle(request: Request) -> Response:
    from gemeentedelers.jury.web import ROUTES  # pages and their imports load on the first HTTP request

    return serve("jury", ROUTES, request)

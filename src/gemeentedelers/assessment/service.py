"""Assessment's event handlers: the entries round 1 advanced wait for their round-2 evidence, and each team is
sent its personal link (``team.invited``, mailed by notify)."""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.entries.roster import admit_advancing
from gemeentedelers.platform.consumer import Consumer, Event
from gemeentedelers.web.app import serve

consumer = Consumer("assessment")


@consumer.on("round.decided")
def open_round2_roster(event: Event) -> None:
    """Round 1's stored decision (never the message's word) puts its advancing entries on round 2's roster."""
    advancing = admit_advancing(event, from_round=1, status="awaiting_evidence")
    from gemeentedelers.assessment.evidence import invite_teams

    invite_teams(event.edition, advancing)  # after the roster: a team's link works as soon as its mail arrives


def handle(request: Request) -> Response:
    from gemeentedelers.assessment.web import ROUTES  # pages and their imports load on the first HTTP request

    return serve("assessment", ROUTES, request)

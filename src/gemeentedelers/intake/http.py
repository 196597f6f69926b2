"""The intake HTTP function's routes: one webhook per form tool, with the 1 MiB body limit."""

from __future__ import annotations

from functools import partial

from flask import Request, Response

from gemeentedelers.databank.web import ROUTES as DATABANK_ROUTES
from gemeentedelers.intake import service
from gemeentedelers.intake.signatures import PROVIDERS
from gemeentedelers.web import limits
from gemeentedelers.web.app import error, json_response, serve

MAX_BODY_BYTES = 1024 * 1024


def webhook(provider: str, request: Request) -> Response:
    if request.method != "POST":
        return error(405, "method_not_allowed", "POST a form response here")
    too_large = error(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes")
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        limits.discard_body(request)
        return too_large
    # A bounded read rather than Flask's max_content_length: functions-framework drains the body again
    # after the request, and the limit would turn that drain into a 500.
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:  # a chunked body without a length: the rest is thrown away, not kept
        limits.discard_body(request)
        return too_large
    outcome = service.receive(provider, body, request.headers)
    return json_response(outcome.status, outcome.body)


ROUTES = {f"/webhooks/{provider}": partial(webhook, provider) for provider in PROVIDERS}
ROUTES |= DATABANK_ROUTES  # the databank's public pages and open data (``databank/web.py``)
"""One route per form tool; a rule with a variable would also accept unknown providers."""


def handle(request: Request) -> Response:
    return serve("intake", ROUTES, request)

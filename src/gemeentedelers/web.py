"""What every HTTP function shares: JSON responses, health and contract routes, and a last-resort handler.

Errors people or machines receive are JSON with an ``error`` code and, where it helps, the fields concerned;
an unexpected exception is logged with an id and answered with that id, never with a stack trace.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from flask import Request, Response

from gemeentedelers import __version__
from gemeentedelers.events import CATALOGUE, subscriptions_of

log = logging.getLogger(__name__)


def json_response(status: int, payload: dict[str, Any]) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False, default=str), status=status, mimetype="application/json"
    )


def error(status: int, code: str, message: str, **extra: Any) -> Response:
    return json_response(status, {"error": code, "message": message, **extra})


def contract(service: str, routes: list[str]) -> dict[str, Any]:
    """What a service offers and owns: its routes, the events it publishes and those it consumes."""
    return {
        "service": service,
        "version": __version__,
        "routes": routes,
        "publishes": [t.event_type for t in CATALOGUE if t.publisher == service],
        "subscribes": [t.event_type for t in subscriptions_of(service)],
    }


def serve(service: str, routes: dict[str, Callable[[Request], Response]], request: Request) -> Response:
    """Route a request by path; ``/healthz`` and ``/contract`` are built in."""
    path = "/" + request.path.strip("/")
    try:
        if path == "/healthz":
            return json_response(200, {"status": "ok", "service": service, "version": __version__})
        if path == "/contract":
            return json_response(200, contract(service, ["/healthz", "/contract", *routes]))
        handler = routes.get(path)
        if handler is None:
            return error(404, "not_found", f"no route {path}")
        return handler(request)
    except Exception:
        incident = uuid.uuid4().hex[:12]
        log.exception("%s: unhandled error %s on %s %s", service, incident, request.method, path)
        return error(500, "internal_error", "Something went wrong on our side.", incident=incident)

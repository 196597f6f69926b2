"""What every HTTP function shares: JSON responses, health, contract and edition routes, a last-resort handler.

Every request runs pinned to one edition version (``editions.pin``): the first look at the active edition in
it is kept to the end. ``/edition`` says which version this function serves now (what an operator, the local
cloud and the go-live benchmark read after an activation).

Errors people or machines receive are JSON with an ``error`` code and, where it helps, the fields concerned;
an unexpected exception is logged with an id and answered with that id, never with a stack trace.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Mapping
from typing import Any

from flask import Request, Response
from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from gemeentedelers import __version__
from gemeentedelers.platform import logs, settings
from gemeentedelers.platform.events import CATALOGUE, subscriptions_of
from gemeentedelers.web import limits

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


Handler = Callable[..., Response]
BUILT_IN = ["/healthz", "/contract", "/edition", "/privacy", "/toegankelijkheid", "/assets/<stylesheet>"]
"""Routes every HTTP function serves besides its own: the statements and the pages' stylesheets included."""
_maps: dict[str, tuple[int, Map]] = {}


def _url_map(service: str, routes: Mapping[str, Handler]) -> Map:
    cached = _maps.get(service)
    if cached is None or cached[0] != id(routes):
        cached = (id(routes), Map([Rule(rule, endpoint=rule) for rule in routes], strict_slashes=False))
        _maps[service] = cached
    return cached[1]


def _edition() -> Response:
    from gemeentedelers.editions.active import NoActiveEdition, served
    from gemeentedelers.platform.firestore import db

    try:
        return json_response(200, served(db()))
    except NoActiveEdition as problem:
        return error(404, "no_active_edition", str(problem))


def wants_html(request: Request) -> bool:
    """Whether the request is a browser's (it prefers HTML to JSON), not a program's."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html" and request.accept_mimetypes["text/html"] > request.accept_mimetypes["application/json"]


def remember_language(request: Request, response: Response) -> Response:
    """A page opened with ``?lang=`` (the language link in every page's header) keeps that language for the pages
    after it (the ``gd_lang`` cookie). A form sent to an address with ``?lang=`` answers in that language once."""
    from gemeentedelers.plugins.api import LANGUAGES

    chosen = request.args.get("lang")
    if (request.method == "GET" and chosen in LANGUAGES and response.mimetype == "text/html"
            and request.cookies.get("gd_lang") != chosen):
        from gemeentedelers.web import cookies

        cookies.set_cookie(response, request, "gd_lang", chosen, max_age=365 * 24 * 3600)
    return response


def serve(service: str, routes: Mapping[str, Handler], request: Request) -> Response:
    """Route a request by path (werkzeug rules such as ``/score/entry/<sid>``); ``/healthz`` and
    ``/contract`` are built in. Handlers get the request and the rule's values as keywords."""
    logs.configure(service)
    path = "/" + request.path.strip("/")
    config = settings.current()
    from gemeentedelers.editions.pin import pinned

    with logs.context(trace=logs.trace_of(request.headers.get("X-Cloud-Trace-Context"), config.project)), \
            pinned(cached=True):
        return remember_language(request, _serve(service, routes, request, path, config.build_commit))


def _serve(service: str, routes: Mapping[str, Handler], request: Request, path: str, commit: str) -> Response:
    try:
        if path == "/healthz":
            return json_response(200, {"status": "ok", "service": service, "version": __version__, "commit": commit})
        if path == "/contract":
            return json_response(200, contract(service, [*BUILT_IN, *routes]))
        if path == "/edition":
            return _edition()
        if path in ("/privacy", "/privacyverklaring"):
            from gemeentedelers.people import statement

            return statement.page(request)
        if path in ("/toegankelijkheid", "/accessibility", "/toegankelijkheidsverklaring"):
            from gemeentedelers.web import accessibility

            return accessibility.page(request)
        if path.startswith("/assets/") and request.method in ("GET", "HEAD"):
            from gemeentedelers.web import static

            found = static.serve(request, path.removeprefix("/assets/"))
            if found is not None:
                return found
        refused = limits.body_problem(request, path)
        if refused is not None:
            status, code = refused
            limits.discard_body(request)
            if wants_html(request):
                from gemeentedelers.web.pages import message

                return message(request, status, "body_refused_title", "body_refused")
            return error(status, code, f"the body must have a Content-Length of at most {limits.body_limit(path)} "
                                       "bytes")
        try:
            rule, values = _url_map(service, routes).bind("localhost").match(path, method=request.method)
        except NotFound:
            if wants_html(request):  # a person who followed a wrong or old link: a page in their language
                from gemeentedelers.web.pages import not_found

                return not_found(request)
            return error(404, "not_found", f"no route {path}")
        except MethodNotAllowed:
            return error(405, "method_not_allowed", f"{request.method} is not allowed on {path}")
        return routes[str(rule)](request, **values)
    except Exception:
        incident = uuid.uuid4().hex[:12]
        log.exception("%s: unhandled error %s on %s %s", service, incident, request.method, path)
        return error(500, "internal_error", "Something went wrong on our side.", incident=incident)

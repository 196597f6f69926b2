"""How much a page request may send, and whether cookies must be ``Secure``.

Page functions read forms whole (werkzeug parses them in memory), so every POST carries a ``Content-Length`` under
a limit that fits what its form can hold: 256 KiB for forms people type into, more for the organisers' CSV imports
and edition specs; the form tools' webhooks check their own 1 MiB (``intake/http.py``). A body without a length
(chunked) is refused, since it cannot be bounded before it is read. Cookies are ``Secure`` whenever the deployment
is not the local cloud, whatever scheme a proxy reports.
"""

from __future__ import annotations

from flask import Request

from gemeentedelers.platform import settings

PAGE_BODY_LIMIT = 256 * 1024
"""A form people fill in: a report, evidence, a ranking, a sign-up. Evidence fields are sized by the edition (a few
thousand characters each); URL-encoding can triple what a non-ASCII character costs, hence the room."""
UPLOAD_BODY_LIMIT = 2 * 1024 * 1024
"""An organiser's CSV import or edition spec."""
WEBHOOK_BODY_LIMIT = 1024 * 1024 + 1
"""Checked exactly by intake itself; here only so the page limit does not cut webhooks short."""
UPLOAD_PATHS = ("/import", "/organiser/editions")


def body_limit(path: str) -> int:
    """The largest body a request to ``path`` may send."""
    if path.startswith("/webhooks/"):
        return WEBHOOK_BODY_LIMIT
    if path.endswith(UPLOAD_PATHS[0]) or path.startswith(UPLOAD_PATHS[1]):
        return UPLOAD_BODY_LIMIT
    return PAGE_BODY_LIMIT


def body_problem(request: Request, path: str) -> tuple[int, str] | None:
    """``(status, code)`` when the request's body may not be read: too large (413) or without a length (411)."""
    if request.method not in ("POST", "PUT", "PATCH"):
        return None
    length = request.content_length
    if length is None:
        return (411, "length_required") if request.headers.get("Transfer-Encoding") else None
    return (413, "payload_too_large") if length > body_limit(path) else None


DRAIN_LIMIT = 32 * 1024 * 1024
"""How much of a refused body is read and thrown away: Cloud Run refuses larger HTTP/1 requests itself."""


def discard_body(request: Request, limit: int = DRAIN_LIMIT) -> None:
    """Read what is left of a refused body in small pieces and keep none of it.

    functions-framework reads the whole body after every response (so that a client still sending is not cut off
    with a connection reset) and keeps it in memory: a refused 30 MB body would be held whole after all. Reading it
    here, 64 KiB at a time, and leaving werkzeug's cache empty means nothing of it is kept."""
    stream = request.stream
    left = limit
    while left > 0 and (chunk := stream.read(min(64 * 1024, left))):
        left -= len(chunk)
    request._cached_data = b""  # what functions-framework's get_data() returns instead of reading on


def secure_cookies(request: Request) -> bool:
    """Cookies travel over HTTPS only, except on the local cloud (plain http on loopback)."""
    return request.scheme == "https" or not settings.current().is_local

"""The stylesheets every page loads: the vendored NL Design System CSS and the GemeenteDelers theme.

Served at ``/assets/<name>`` by every HTTP function (``web/app.py``), so a page loads them from its own host (the
pages' Content-Security-Policy allows styles from ``'self'`` only). Files come from the package's ``static``
folder (``scripts/refresh-design-system.sh`` refreshes the vendored ones); only the names :data:`STYLESHEETS`
are served, never a path a request makes up. Addresses carry a digest of the content (``?v=``), so a browser
keeps them for a year and fetches them again only when a file changes; gzip when the browser accepts it.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from importlib import resources

from flask import Request, Response

STYLESHEETS = (
    "voorbeeld-design-tokens.css",
    "utrecht-component-library.css",
    "utrecht-html.css",
    "gemeentedelers.css",
)
"""In the order pages load them: the example tokens, the components, their styling of plain HTML, our theme."""


@cache
def _file(name: str) -> tuple[bytes, bytes, str]:
    """The file's bytes, gzipped bytes and a short digest (the ``?v=`` of its address and its ETag)."""
    body = resources.files("gemeentedelers").joinpath("static", name).read_bytes()
    return body, gzip.compress(body, compresslevel=9, mtime=0), hashlib.sha256(body).hexdigest()[:12]


def href(name: str) -> str:
    """The address a page links to: changes with the file's content."""
    return f"/assets/{name}?v={_file(name)[2]}"


def stylesheets() -> list[str]:
    return [href(name) for name in STYLESHEETS]


def serve(request: Request, name: str) -> Response | None:
    """The stylesheet ``name``, or None when there is no such file (the caller answers 404)."""
    if name not in STYLESHEETS:
        return None
    body, zipped, digest = _file(name)
    headers = {"Cache-Control": "public, max-age=31536000, immutable", "ETag": f'"{digest}"',
               "X-Content-Type-Options": "nosniff", "Vary": "Accept-Encoding"}
    if request.headers.get("If-None-Match") == f'"{digest}"':
        return Response(status=304, headers=headers)
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        headers["Content-Encoding"] = "gzip"
        body = zipped
    return Response(body, status=200, mimetype="text/css", headers=headers)

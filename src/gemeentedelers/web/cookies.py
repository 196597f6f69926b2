"""Every cookie the pages set, with the same rules: ``HttpOnly`` (no script reads a session, a flash, the
language or the sign-in flow), ``SameSite=Lax`` (a form on another site cannot post with them; a link from a mail
or the OpenID provider's redirect back still carries them), ``Secure`` whenever the deployment is not the local
cloud (``limits.secure_cookies``), and a ``Path``. A cookie is cleared with the same attributes it was set with,
so a browser that keeps a ``Secure`` cookie also lets it be removed.
"""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.web import limits

SAMESITE = "Lax"


def set_cookie(response: Response, request: Request, name: str, value: str, *, max_age: int,
               path: str = "/") -> Response:
    response.set_cookie(name, value, max_age=max_age, httponly=True, samesite=SAMESITE,
                        secure=limits.secure_cookies(request), path=path)
    return response


def clear_cookie(response: Response, request: Request, name: str, *, path: str = "/") -> Response:
    response.delete_cookie(name, path=path, httponly=True, samesite=SAMESITE, secure=limits.secure_cookies(request))
    return response

"""Personal links and sessions: signed, expiring, single-purpose tokens (itsdangerous).

A link token is exchanged once for a session cookie and then leaves the address bar (redirect), so it is not
kept in browser history or sent on as a referrer; neither is ever logged. Each purpose has its own salt, so a
session cookie is no link and a scorer's link opens nothing but the scorer's own pages. Bumping a scorer's
``link_version`` revokes every link and session issued before.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from gemeentedelers.platform import settings

SESSION_MAX_AGE_S = 12 * 3600


class BadLink(ValueError):
    """A token that is forged, for another purpose, or expired (``expired`` says which)."""

    def __init__(self, message: str, *, expired: bool = False):
        self.expired = expired
        super().__init__(message)


@dataclass(frozen=True)
class Holder:
    """Who a token was issued to: a person of some role in an edition."""

    edition: str
    person_id: str
    version: int


def _serializer(purpose: str) -> URLSafeTimedSerializer:
    secret = settings.current().link_secret
    if not secret:
        raise RuntimeError("GD_LINK_SECRET is not set: personal links cannot be made or checked")
    return URLSafeTimedSerializer(secret, salt=f"gemeentedelers:{purpose}")


def issue(purpose: str, holder: Holder) -> str:
    return _serializer(purpose).dumps({"e": holder.edition, "p": holder.person_id, "v": holder.version})


def read(purpose: str, token: str, max_age_s: int) -> Holder:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age_s)
    except SignatureExpired:
        raise BadLink("this link has expired", expired=True) from None
    except BadSignature:
        raise BadLink("this link is not valid") from None
    return Holder(str(data["e"]), str(data["p"]), int(data["v"]))


def public_url(service: str, path: str) -> str:
    base = settings.current().public_urls.get(service)
    if not base:
        raise RuntimeError(f"GD_PUBLIC_URL_{service.upper()} is not set")
    return base + path


def scorer_link(edition: str, scorer_id: str, version: int) -> str:
    token = issue("scorer-link", Holder(edition, scorer_id, version))
    return public_url("scoring", f"/score/login?token={token}")

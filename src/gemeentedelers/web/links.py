"""Personal links and sessions: signed, expiring, single-purpose tokens (itsdangerous).

A link token is exchanged once for a session cookie and then leaves the address bar (redirect), so it is not
kept in browser history or sent on as a referrer; neither is ever logged. Each purpose has its own salt, so a
session cookie is no link and a scorer's link opens nothing but the scorer's own pages. Bumping a scorer's
``link_version`` revokes every link and session issued before.

Some links must work once only and briefly (an organiser's sign-in link, the hand-over from one round's host to
another's): :func:`issue_once` adds a random nonce, :func:`redeem_once` checks the signature and age (at most
15 minutes) and then creates a ``used_links`` marker for the nonce atomically, so of two uses exactly one
succeeds, and a link found later in a request log or browser history opens nothing.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from gemeentedelers.platform import settings

SESSION_MAX_AGE_S = 12 * 3600
SINGLE_USE_MAX_AGE_S = 15 * 60
"""How long a single-use link works: long enough to open a mail, short enough that a logged one is worthless."""


class BadLink(ValueError):
    """A token that is forged, for another purpose, or expired (``expired`` says which)."""

    def __init__(self, message: str, *, expired: bool = False, used: bool = False):
        self.expired = expired
        self.used = used
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


def keyed_hash(purpose: str, value: str) -> str:
    """A hex HMAC-SHA256 of ``value`` with the link secret: an id that names a person or an address without
    revealing it, and that nobody without the secret can compute for a guessed address."""
    secret = settings.current().link_secret
    if not secret:
        raise RuntimeError("GD_LINK_SECRET is not set: personal links cannot be made or checked")
    return hmac.new(secret.encode(), f"gemeentedelers:{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def issue(purpose: str, holder: Holder) -> str:
    return _serializer(purpose).dumps({"e": holder.edition, "p": holder.person_id, "v": holder.version})


def read(purpose: str, token: str, max_age_s: int) -> Holder:
    data = loads(purpose, token, max_age_s)
    try:
        return Holder(str(data["e"]), str(data["p"]), int(data["v"]))
    except (KeyError, TypeError, ValueError):
        raise BadLink("this link is not valid") from None


def dumps(purpose: str, payload: dict[str, Any]) -> str:
    """Any small payload signed for ``purpose`` (a page's one-time notice, say), readable only by :func:`loads`."""
    return _serializer(purpose).dumps(payload)


def loads(purpose: str, token: str, max_age_s: int) -> dict[str, Any]:
    try:
        data = _serializer(purpose).loads(token, max_age=max_age_s)
    except SignatureExpired:
        raise BadLink("this link has expired", expired=True) from None
    except BadSignature:
        raise BadLink("this link is not valid") from None
    if not isinstance(data, dict):
        raise BadLink("this link is not valid")
    return data


@dataclass(frozen=True)
class Redeemed:
    """A single-use link that was just redeemed: who it was for and what it carried."""

    holder: Holder
    extra: dict[str, Any] = field(default_factory=dict)


def issue_once(purpose: str, holder: Holder, **extra: Any) -> str:
    """A single-use token for ``purpose`` (see :func:`redeem_once`), carrying ``extra`` (short strings)."""
    payload = {"e": holder.edition, "p": holder.person_id, "v": holder.version, "n": uuid.uuid4().hex, "x": extra}
    return _serializer(purpose).dumps(payload)


def redeem_once(client: Any, purpose: str, token: str, max_age_s: int = SINGLE_USE_MAX_AGE_S) -> Redeemed:
    """Check a single-use token and mark it used, atomically; a second redemption raises ``BadLink(used=True)``.

    The marker keeps ``expires_at`` (``platform/retention.py``: a TTL policy on ``used_links`` deletes it then; the
    token has expired long before, so it cannot be used again)."""
    from gemeentedelers.platform import layout, retention
    from gemeentedelers.platform.firestore import create_once

    holder = read(purpose, token, min(max_age_s, SINGLE_USE_MAX_AGE_S))
    data = loads(purpose, token, SINGLE_USE_MAX_AGE_S)
    nonce = str(data.get("n") or "")
    if not nonce:
        raise BadLink("this link is not valid")
    now = datetime.now(UTC)
    marker = {"purpose": purpose, "person_id": holder.person_id, "used_at": now,
              retention.EXPIRES_AT: retention.expires_at("used_links", now)}
    if not create_once(layout.used_link(client, purpose, nonce), marker):
        raise BadLink("this link was used already", used=True)
    extra = data.get("x") if isinstance(data.get("x"), dict) else {}
    return Redeemed(holder, {str(k): v for k, v in extra.items()})


def public_url(service: str, path: str) -> str:
    base = settings.current().public_urls.get(service)
    if not base:
        raise RuntimeError(f"GD_PUBLIC_URL_{service.upper()} is not set")
    return base + path


def scorer_link(edition: str, scorer_id: str, version: int) -> str:
    token = issue("scorer-link", Holder(edition, scorer_id, version))
    return public_url("scoring", f"/score/login?token={token}")

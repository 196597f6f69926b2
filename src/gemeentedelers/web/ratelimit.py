"""How often a person or a machine may sign up or ask for a sign-in link: fixed-window counters in Firestore.

Every form that stores a person or sends a mail to an address someone types (the scorer sign-up, the organiser's
request for a sign-in link) is limited twice: per address (the e-mail, normalised and hashed with the link secret,
so no address is in a document id) and per client IP. A request counts whether or not the address is known, and
the answer over a limit is the same page for both (429 with ``Retry-After``), so the limit tells nobody who takes
part.

One document per (purpose, key kind, key, window) holds a ``count`` that each request raises with
``firestore.Increment`` (create-if-absent with ``merge``), then reads back: a request is let through when the count
after its own increment is within the limit. Concurrent requests each read a count at least as high as their own
place, so no more than the limit ever pass; none is a read-modify-write transaction, which would be a contended
hot document (pathological in the Firestore emulator, and slow in production). Each document keeps ``expires_at`` (the
window's end plus a day, ``platform/retention.py``): a TTL policy deletes it.

The client IP is ``REMOTE_ADDR`` on the local cloud; behind Cloud Run it is read from ``X-Forwarded-For`` counted
from the right (``GD_CLIENT_IP_HOP``, 1: the address Google's front end saw, which it appends), since a client can
put anything at the left of that header itself.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from flask import Request, Response
from google.cloud import firestore

from gemeentedelers.platform import layout, retention, settings
from gemeentedelers.platform.settings import Limit
from gemeentedelers.web import links


@dataclass(frozen=True)
class Window:
    """The fixed window ``now`` falls in: its start (an epoch second divisible by the window) and end."""

    start: int
    end: int

    @classmethod
    def at(cls, now: datetime, window_s: int) -> Window:
        start = int(now.timestamp()) // window_s * window_s
        return cls(start, start + window_s)

    def retry_after(self, now: datetime) -> int:
        """Whole seconds until the window ends (at least 1), for ``Retry-After``."""
        return max(1, math.ceil(self.end - now.timestamp()))


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after_s: int = 0


def key_hash(kind: str, key: str) -> str:
    """A key as it appears in a document id: an HMAC with the link secret, so the id reveals no address or IP."""
    return links.keyed_hash(f"rate-limit:{kind}", key)[:32]


def document_id(purpose: str, kind: str, key: str, window: Window) -> str:
    return f"{purpose}:{kind}:{key_hash(kind, key)}:{window.start}"


def count_one(db: firestore.Client, purpose: str, kind: str, key: str, limit: Limit,
              now: datetime | None = None) -> Verdict:
    """Count one request of ``purpose`` for ``key`` in the current window; allowed while within ``limit``."""
    now = now or datetime.now(UTC)
    window = Window.at(now, limit.window_s)
    ref = layout.rate_limit(db, document_id(purpose, kind, key, window))
    end = datetime.fromtimestamp(window.end, UTC)
    ref.set({"purpose": purpose, "kind": kind, "window_start": datetime.fromtimestamp(window.start, UTC),
             "count": firestore.Increment(1),
             retention.EXPIRES_AT: end + timedelta(days=retention.TTL_DAYS["rate_limits"])}, merge=True)
    return decide(int((ref.get().to_dict() or {}).get("count", 0)), limit, now)


def decide(counted: int, limit: Limit, now: datetime) -> Verdict:
    """The verdict for a request whose increment made the window's count ``counted``."""
    return Verdict(True) if counted <= limit.count else Verdict(False, Window.at(now, limit.window_s).retry_after(now))


def client_ip(request: Request) -> str:
    """The address the request came from (see the module's docstring for why it is read from the right)."""
    config = settings.current()
    if config.is_local:
        return request.remote_addr or "unknown"
    hops = [h.strip() for h in request.headers.get("X-Forwarded-For", "").split(",") if h.strip()]
    if len(hops) >= config.client_ip_hop:
        return hops[-config.client_ip_hop]
    return request.remote_addr or "unknown"


def normalised_address(email: str) -> str:
    return email.strip().casefold()


def check_ip(db: firestore.Client, purpose: str, request: Request) -> Verdict:
    """Count a request from this client IP, known address or not."""
    return count_one(db, purpose, "ip", client_ip(request), settings.current().rate_limit_ip)


def check_address(db: firestore.Client, purpose: str, email: str) -> Verdict:
    """Count a request for this address, known or not."""
    return count_one(db, purpose, "address", normalised_address(email), settings.current().rate_limit_address)


def refused(request: Request, verdict: Verdict) -> Response:
    """The page over a limit, in the reader's language, with ``Retry-After``."""
    from gemeentedelers.web.pages import language_of, render, translate

    language = language_of(request)
    minutes = max(1, math.ceil(verdict.retry_after_s / 60))
    text = (translate(language, "rate_limited_one") if minutes == 1
            else translate(language, "rate_limited", minutes=minutes))
    response = render("message.html", language, status=429, title=translate(language, "rate_limited_title"),
                      text=text)
    response.headers["Retry-After"] = str(verdict.retry_after_s)
    return response

"""Winners to sponsors' webhooks, for sponsors who do not subscribe to ``gd-winners-announced`` themselves.

Sponsors on Google Cloud subscribe to the public topic directly (docs/events.md). The others register an
HTTPS endpoint (``sponsor_endpoints``), and notify relays every ``winners.announced`` to each of them:

- **fan out** (on ``winners.announced``): store the body to send once, under the event's id
  (``sponsor_events``), then publish one ``sponsor.delivery`` per active endpoint. Every endpoint is retried
  on its own message, so one slow or failing sponsor never holds up the others.
- **deliver** (on ``sponsor.delivery``): claim ``sponsor_deliveries/{event_id}:{endpoint_id}`` with an atomic
  create (as the mail ledger does), POST the signed body up to ``TRIES_PER_RUN`` times with a short backoff,
  record every attempt, and raise on a transient failure so that Pub/Sub redelivers later with the
  subscription's exponential backoff. After ``MAX_ATTEMPTS`` in total the delivery is ``gave_up`` and the
  handler keeps raising, so the dead-letter topic keeps the message. A 4xx other than 408/429 is the
  sponsor refusing the request: recorded as ``failed``, never retried.

A delivered (event, endpoint) is never posted again, however often either event arrives. A sponsor can still
see a duplicate when its 2xx answer was lost on the way back; the stable ``X-GemeenteDelers-Event-Id`` lets it
deduplicate.

- **redeliver** (an organiser, ``gemeentedelers sponsors redeliver``): for a sponsor that was down longer than
  the retries, refused the event through its own bug, or registered after the announcement. The delivery is
  moved to ``queued`` (created when there was none) with a fresh attempt budget and a record of who asked and
  when, only if nobody changed it since it was read; then the same ``sponsor.delivery`` is published again, so
  the same handler posts the same stored body under the same event id. Without ``--force`` only deliveries
  that did not succeed (``failed``, ``gave_up``, none) are redelivered; a delivery in flight never is.
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
import random
import secrets
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Literal
from urllib.parse import urlsplit

import requests
from google.api_core import exceptions as gexc
from google.cloud import firestore

from gemeentedelers import __version__
from gemeentedelers.intake import signatures
from gemeentedelers.notify import safe_http
from gemeentedelers.platform import bus, layout, settings
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.events import topic_for, winners_event_id
from gemeentedelers.platform.firestore import create_once, db

log = logging.getLogger(__name__)

#: POSTs per handler run; the waits between them are ``backoff(1)``, ``backoff(2)``: about 0.5 s and 1 s.
TRIES_PER_RUN = 3
#: POSTs in total before giving up: 8 runs of 3, so ``gave_up`` is recorded before Pub/Sub's 10th delivery
#: moves the message to the dead-letter topic (events.MAX_DELIVERY_ATTEMPTS).
MAX_ATTEMPTS = 24
#: Per POST. A run's worst case (3 x 7 s + the waits, ~23 s) stays under the 30 s ack deadline, so Pub/Sub
#: does not hand the same message to a second instance while the first is still posting.
TIMEOUT_S = (2.0, 5.0)
BACKOFF_BASE_S = 0.5
BACKOFF_CAP_S = 8.0
JITTER = 0.25
#: A claim younger than this is a delivery in progress; an older one was abandoned (the instance died).
CLAIM_TIMEOUT = timedelta(seconds=60)
LOOPBACK_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
RETRYABLE_4XX = frozenset({408, 429})
MIN_SECRET_LENGTH = 16

Outcome = Literal["delivered", "retry", "permanent"]


class InvalidEndpoint(ValueError):
    """An endpoint that may not be registered; the message says why, for the organiser."""


class DeliveryInFlight(RuntimeError):
    """Another delivery of the same (event, endpoint) holds the claim: retry once it has settled."""


class DeliveryFailed(RuntimeError):
    """The sponsor did not take the event in this run; Pub/Sub redelivers later."""


class GaveUp(RuntimeError):
    """Every attempt is used up; raised on every delivery so the dead-letter topic keeps the message."""


class RedeliveryRefused(ValueError):
    """A redelivery that may not, or need not, happen; the message says why, for the organiser."""


# -- pure parts -----------------------------------------------------------------------------------------------


def check_url(url: str, *, local: bool = True, resolver: safe_http.Resolver = safe_http.resolve) -> str:
    """The URL, stripped, if sponsors' events may be posted to it.

    https only: the body is signed, not encrypted, and the signature proves nothing about who reads it.
    Plain http is allowed only for loopback hosts, and only when ``local`` (the local cloud and tests run
    real receivers there); in production a loopback URL would make the function post to itself. The host is
    resolved: every address must be public (``safe_http``); each connect checks again.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname
        parts.port  # noqa: B018 - raises ValueError on a port that is not a number
    except ValueError as problem:
        raise InvalidEndpoint(f"{url!r} is not a valid URL: {problem}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("https", "http") or not host:
        raise InvalidEndpoint(f"{url!r} is not an absolute https:// URL")
    if parts.username is not None or parts.password is not None:
        raise InvalidEndpoint(f"{url!r} carries credentials; sponsors check the X-Signature header instead")
    if parts.fragment:
        raise InvalidEndpoint(f"{url!r} has a #fragment, which is never sent to the server")
    loopback = host.lower() in LOOPBACK_HOSTS
    if loopback and not local:
        raise InvalidEndpoint(f"{url!r} is a loopback address: only the local cloud may post to itself")
    if scheme == "http" and not loopback:
        raise InvalidEndpoint(
            f"{url!r} uses http: sponsor endpoints must use https (plain http only for 127.0.0.1 or localhost, "
            "in the local cloud)"
        )
    try:
        safe_http.vet(host, parts.port or (443 if scheme == "https" else 80), local=local, resolver=resolver)
    except safe_http.BlockedAddress as problem:
        raise InvalidEndpoint(f"{url!r} may not receive the winners: {problem}") from None
    return url


def classify(status_code: int | None) -> Outcome:
    """What an answer means: 2xx delivered; no answer, 5xx, 408 or 429 worth retrying; anything else final.

    A 3xx is final too: redirects are not followed, because a signed body should not travel to a host
    nobody registered; the sponsor registers the URL that answers.
    """
    if status_code is None:
        return "retry"
    if 200 <= status_code < 300:
        return "delivered"
    if status_code >= 500 or status_code in RETRYABLE_4XX:
        return "retry"
    return "permanent"


def backoff(retry: int, rng: random.Random | None = None) -> float:
    """Seconds to wait before retry ``retry`` (1, 2, ...): 0.5, 1, 2, 4, ... up to 8, each ±25 %.

    The jitter keeps the retries of many deliveries that failed together (a sponsor's outage) from
    arriving at the same moment again.
    """
    if retry < 1:
        raise ValueError(f"retry counts from 1, not {retry}")
    delay = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (retry - 1))
    return delay * (1 + (rng or random).uniform(-JITTER, JITTER))


@dataclass(frozen=True)
class Attempt:
    """One POST as recorded: the answer's status code, or the error when there was no answer."""

    at: datetime
    status_code: int | None
    error: str | None
    duration_ms: int
    response: str | None = None  # the start of a non-2xx answer's body, to show the organiser why

    @property
    def outcome(self) -> Outcome:
        return classify(self.status_code)

    def record(self) -> dict[str, Any]:
        return {"at": self.at, "status_code": self.status_code, "error": self.error,
                "duration_ms": self.duration_ms, "response": self.response}


WHSEC_PREFIX = "whsec_"


def whsec(secret: str) -> str:
    """The endpoint's secret in the Standard Webhooks form: ``whsec_`` + base64 of the same key bytes, so a
    sponsor's ``standardwebhooks`` library verifies ``webhook-signature`` with it."""
    return WHSEC_PREFIX + base64.b64encode(secret.encode("utf-8")).decode("ascii")


def standard_signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """Standard Webhooks' ``webhook-signature``: ``v1,`` + base64 HMAC-SHA256 of ``"{id}.{timestamp}.{body}"``."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    return "v1," + base64.b64encode(hmac.digest(secret.encode("utf-8"), signed, "sha256")).decode("ascii")


def signed_headers(secret: str, body: bytes, event_id: str, event_type: str, attempt: int,
                   now: float | None = None, *, edition: str = "", occurred_at: str = "") -> dict[str, str]:
    """The headers of a POST: the generic webhook signature the intake also accepts, the Standard Webhooks
    headers (one secret, two forms), the CloudEvents HTTP binding's (binary mode), and the event's id."""
    timestamp = int(time.time() if now is None else now)
    version = topic_for(event_type).version
    return {
        "Content-Type": "application/json",
        "User-Agent": f"GemeenteDelers-Webhooks/{__version__}",
        "X-GemeenteDelers-Event-Id": event_id,
        "X-GemeenteDelers-Event-Type": event_type,
        "X-GemeenteDelers-Delivery-Attempt": str(attempt),
        **signatures.sign("generic", secret, body, timestamp),
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": standard_signature(secret, event_id, timestamp, body),
        "ce-specversion": bus.CLOUDEVENTS_SPEC,
        "ce-id": event_id,
        "ce-type": f"{bus.CLOUDEVENTS_TYPE_PREFIX}{event_type}.v{version}",
        "ce-source": f"/gemeentedelers/{topic_for(event_type).publisher}/{edition}",
        **({"ce-time": occurred_at} if occurred_at else {}),
    }


def post(url: str, body: bytes, headers: Mapping[str, str],
         timeout: float | tuple[float, float] = TIMEOUT_S, *, local: bool = True) -> Attempt:
    """POST once, to a vetted address only (loopback only when ``local``). Never raises for what the network or
    the sponsor does: that is the attempt's result."""
    at = datetime.now(UTC)
    started = time.monotonic()

    def elapsed() -> int:
        return round((time.monotonic() - started) * 1000)

    try:
        with (safe_http.loopback(local), safe_http.session() as guarded,
              guarded.post(url, data=body, headers=dict(headers), timeout=timeout, allow_redirects=False,
                           stream=True) as answer):
            status = answer.status_code
            excerpt = None if classify(status) == "delivered" else _excerpt(answer)
    except requests.RequestException as problem:
        return Attempt(at, None, f"{type(problem).__name__}: {problem}"[:300], elapsed())
    return Attempt(at, status, None, elapsed(), excerpt)


def _excerpt(answer: requests.Response, limit: int = 200) -> str | None:
    try:
        head = next(answer.iter_content(limit), b"")
    except requests.RequestException:
        return None
    return head.decode("utf-8", "replace") or None


def run_attempts(send: Callable[[int], Attempt], first: int, tries: int, *,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
                 on_attempt: Callable[[Attempt], None] = lambda attempt: None) -> list[Attempt]:
    """Up to ``tries`` attempts numbered from ``first``, with ``backoff()`` between them; stops at the first
    answer that settles the delivery (delivered, or refused for good)."""
    attempts: list[Attempt] = []
    for n in range(tries):
        if n:
            sleep(backoff(n, rng))
        attempt = send(first + n)
        on_attempt(attempt)
        attempts.append(attempt)
        if attempt.outcome != "retry":
            break
    return attempts


def delivery_event_id(winners_event_id: str, endpoint_id: str) -> str:
    return f"sponsor.delivery:{winners_event_id}:{endpoint_id}"


def _doc_id(key: str) -> str:
    """A business key as a Firestore document id (a ``/`` would be read as a path)."""
    return key.replace("%", "%25").replace("/", "%2F")


def delivery_id(event_id: str, endpoint_id: str) -> str:
    return _doc_id(f"{event_id}:{endpoint_id}")


def event_body(event_id: str, edition: str, result: Mapping[str, Any]) -> bytes:
    """The body sponsors receive: the ``winners.announced`` event as its schema defines it (the same fields
    Pub/Sub carries), built from the announced result in Firestore, never from a message."""
    announced_at = result.get("announced_at")
    data = {"event_id": event_id, "event_type": "winners.announced", "schema_version": topic_for(
        "winners.announced").version, "edition": edition,
        "occurred_at": announced_at.isoformat() if isinstance(announced_at, datetime) else announced_at,
        "winners": result["winners"], "finalists": result["finalists"]}
    schema = topic_for("winners.announced").schema()
    return json.dumps(schema.dump(schema.load(data)), ensure_ascii=False).encode("utf-8")


# -- endpoints ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    endpoint_id: str
    name: str
    url: str
    active: bool

    @classmethod
    def of(cls, doc: Mapping[str, Any]) -> Endpoint:
        return cls(doc["endpoint_id"], doc["name"], doc["url"], bool(doc.get("active")))


def register(client: firestore.Client, name: str, url: str, secret: str | None = None, *,
             local: bool = True, contact_email: str | None = None) -> tuple[Endpoint, str]:
    """Store a new active endpoint; returns it and its signing secret (generated when not given). ``contact_email``
    is the sponsor's address for people (the award ceremony's invitation, ``jury/programme.py``)."""
    name = name.strip()
    if not name:
        raise InvalidEndpoint("a sponsor endpoint needs a name")
    contact = check_contact(contact_email)
    url = check_url(url, local=local)
    if secret is not None and len(secret) < MIN_SECRET_LENGTH:
        raise InvalidEndpoint(f"a signing secret needs at least {MIN_SECRET_LENGTH} characters")
    secret = secret or secrets.token_urlsafe(32)
    while True:  # a clash of 40 random bits is unlikely; create_once makes it harmless
        endpoint = Endpoint(f"sp-{secrets.token_hex(5)}", name, url, True)
        doc = {"endpoint_id": endpoint.endpoint_id, "name": name, "url": url, "secret": secret, "active": True,
               "created_at": datetime.now(UTC), "contact_email": contact}
        if create_once(layout.sponsor_endpoints(client).document(endpoint.endpoint_id), doc):
            return endpoint, secret


def check_contact(address: str | None) -> str | None:
    """A sponsor's contact address, checked (one address, no display name), or ``None``."""
    from gemeentedelers.assessment.visits import IcsValueInvalid, mailto

    if address is None or not address.strip():
        return None
    try:
        mailto(address.strip())
    except IcsValueInvalid:
        raise InvalidEndpoint(f"{address!r} is not an e-mail address") from None
    return address.strip()


def set_contact(client: firestore.Client, endpoint_id: str, address: str | None) -> None:
    """Give a sponsor (by its endpoint) the address the ceremony's invitation goes to."""
    contact = check_contact(address)
    try:
        layout.sponsor_endpoints(client).document(endpoint_id).update({"contact_email": contact})
    except gexc.NotFound:
        raise InvalidEndpoint(f"there is no sponsor endpoint {endpoint_id}") from None


def contacts(client: firestore.Client) -> list[dict[str, str]]:
    """The active sponsors with a contact address: ``{endpoint_id, name, email}``."""
    query = layout.sponsor_endpoints(client).where(filter=firestore.FieldFilter("active", "==", True))
    return sorted(({"endpoint_id": d.id, "name": str(doc["name"]), "email": str(doc["contact_email"])}
                   for d in query.stream() if (doc := d.to_dict() or {}).get("contact_email")),
                  key=lambda c: (c["name"].lower(), c["endpoint_id"]))


def endpoints(client: firestore.Client, *, active_only: bool = False) -> list[Endpoint]:
    query: Any = layout.sponsor_endpoints(client)
    if active_only:
        query = query.where(filter=firestore.FieldFilter("active", "==", True))
    found = [Endpoint.of(snapshot.to_dict() or {}) for snapshot in query.stream()]
    return sorted(found, key=lambda e: (e.name.lower(), e.endpoint_id))


def disable(client: firestore.Client, endpoint_id: str) -> Endpoint:
    """Stop sending to an endpoint; deliveries already fanned out to it are dropped when they run."""
    ref = layout.sponsor_endpoints(client).document(endpoint_id)
    try:
        ref.update({"active": False, "disabled_at": datetime.now(UTC)})
    except gexc.NotFound:
        raise LookupError(f"no sponsor endpoint {endpoint_id!r}") from None
    return Endpoint.of(ref.get().to_dict() or {})


def deliveries(client: firestore.Client, event_id: str | None = None) -> list[dict[str, Any]]:
    query: Any = layout.sponsor_deliveries(client)
    if event_id is not None:
        query = query.where(filter=firestore.FieldFilter("event_id", "==", event_id))
    found = [snapshot.to_dict() or {} for snapshot in query.stream()]
    return sorted(found, key=lambda d: (d.get("event_id", ""), d.get("endpoint_id", "")))


# -- the two handlers -----------------------------------------------------------------------------------------


def fan_out(event: Event, result: Mapping[str, Any]) -> int:
    """Store the body once, queue a delivery per active endpoint, then one ``sponsor.delivery`` each; returns how
    many. ``result`` is the announced result read from Firestore (``winners/result``).

    Redelivered or re-published, this runs again: the stored body stays the first one (every retry and
    every endpoint gets the same bytes) and each delivery it publishes again finds its claim settled. A delivery
    is posted only when its record exists (queued here, or by a redelivery), so a forged ``sponsor.delivery``
    posts nothing.
    """
    client = db()
    create_once(layout.sponsor_events(client).document(_doc_id(event.event_id)), {
        "event_id": event.event_id,
        "event_type": event.event_type,
        "edition": event.edition,
        "body": event_body(event.event_id, event.edition, result).decode("utf-8"),
        "stored_at": datetime.now(UTC),
    })
    targets = endpoints(client, active_only=True)
    now = datetime.now(UTC)
    for endpoint in targets:
        create_once(layout.sponsor_deliveries(client).document(delivery_id(event.event_id, endpoint.endpoint_id)),
                    {"event_id": event.event_id, "endpoint_id": endpoint.endpoint_id, "edition": event.edition,
                     "url": endpoint.url, "status": "queued", "queued_at": now, "created_at": now,
                     "attempt_count": 0, "attempts": [], "duplicates": 0, "budget_from": 0})
    bus.publish_many(("sponsor.delivery", delivery_event_id(event.event_id, endpoint.endpoint_id), event.edition,
                      {"winners_event_id": event.event_id, "endpoint_id": endpoint.endpoint_id})
                     for endpoint in targets)
    log.info("%s fanned out to %d sponsor endpoint(s)", event.event_id, len(targets))
    return len(targets)


def deliver(event: Event) -> None:
    """POST one stored event to one endpoint, at most once successfully; raise to be retried later."""
    client = db()
    event_id, endpoint_id = event.data["winners_event_id"], event.data["endpoint_id"]
    endpoint = layout.sponsor_endpoints(client).document(endpoint_id).get().to_dict()
    if endpoint is None or not endpoint.get("active"):
        log.info("sponsor endpoint %s is gone or disabled: %s not sent", endpoint_id, event_id)
        return
    stored = layout.sponsor_events(client).document(_doc_id(event_id)).get().to_dict()
    if stored is None or stored.get("edition") != event.edition:
        log.warning("sponsor.delivery of %s: no such event is stored for %s: nothing sent", event_id, event.edition)
        return
    if not endpoint.get("secret"):
        raise RuntimeError(f"sponsor endpoint {endpoint_id} has no signing secret")
    ref = layout.sponsor_deliveries(client).document(delivery_id(event_id, endpoint_id))
    claimed = _claim(ref)
    if claimed is None:
        return
    done, budget_from = claimed
    try:
        url = check_url(endpoint["url"], local=settings.current().is_local)
    except InvalidEndpoint as problem:  # edited by hand since registration
        ref.update({"status": "failed", "last_error": str(problem), "finished_at": datetime.now(UTC)})
        return
    body = stored["body"].encode("utf-8")

    occurred_at = str(json.loads(body).get("occurred_at") or "")

    def send(number: int) -> Attempt:
        headers = signed_headers(endpoint["secret"], body, event_id, stored["event_type"], number,
                                 edition=stored["edition"], occurred_at=occurred_at)
        return post(url, body, headers, local=settings.current().is_local)

    def note(attempt: Attempt) -> None:
        ref.update({"attempts": firestore.ArrayUnion([attempt.record()]), "attempt_count": firestore.Increment(1),
                    "last_status_code": attempt.status_code, "last_error": attempt.error})

    left = MAX_ATTEMPTS - (done - budget_from)  # a redelivery started a fresh budget at ``budget_from``
    try:
        attempts = run_attempts(send, done + 1, max(0, min(TRIES_PER_RUN, left)), on_attempt=note)
    except Exception:  # release the claim, so the redelivery need not wait for it to look abandoned
        ref.update({"status": "retrying"})
        raise
    _settle(ref, event_id, endpoint_id, attempts, done + len(attempts), budget_from=budget_from)


def _claim(ref: firestore.DocumentReference) -> tuple[int, int] | None:
    """Claim the delivery: the attempts made before and where the current budget started (0, or the
    attempt count when an organiser redelivered it), or ``None`` when it is settled and must not be posted.

    The document is created ``queued`` by the fan-out (or a redelivery) before any message is published; none
    means the message was not ours, and nothing is posted. A delivery may take over a claim that is ``queued``,
    ``retrying`` or abandoned, only if nobody else took it since it read it (of two racing deliveries one wins).
    """
    now = datetime.now(UTC)
    snapshot = ref.get()
    if not snapshot.exists:
        log.warning("sponsor delivery %s was never queued: nothing sent", ref.id)
        return None
    existing = snapshot.to_dict() or {}
    status = existing.get("status")
    if status in ("delivered", "failed"):
        ref.update({"duplicates": firestore.Increment(1)})
        return None
    if status == "gave_up":
        raise GaveUp(f"{ref.id}: gave up after {existing.get('attempt_count')} attempts")
    if status == "delivering" and now - existing["claimed_at"] < CLAIM_TIMEOUT:
        raise DeliveryInFlight(f"{ref.id} is being delivered by another run")
    try:
        ref.update({"status": "delivering", "claimed_at": now},
                   option=db().write_option(last_update_time=snapshot.update_time))
    except (gexc.FailedPrecondition, gexc.Aborted):
        raise DeliveryInFlight(f"{ref.id} was claimed by another run") from None
    return int(existing.get("attempt_count", 0)), int(existing.get("budget_from", 0))


def _settle(ref: firestore.DocumentReference, event_id: str, endpoint_id: str, attempts: list[Attempt],
            total: int, *, budget_from: int = 0) -> None:
    now = datetime.now(UTC)
    last = attempts[-1] if attempts else None
    if last is not None and last.outcome == "delivered":
        ref.update({"status": "delivered", "delivered_at": now, "finished_at": now})
        log.info("%s delivered to %s after %d attempt(s)", event_id, endpoint_id, total)
        return
    if last is not None and last.outcome == "permanent":
        ref.update({"status": "failed", "finished_at": now})
        log.warning("%s refused by %s with %s: not retried", event_id, endpoint_id, last.status_code)
        return
    problem = "no attempt left" if last is None else (last.error or f"HTTP {last.status_code}")
    if total - budget_from >= MAX_ATTEMPTS:
        ref.update({"status": "gave_up", "finished_at": now})
        raise GaveUp(f"{ref.id}: gave up after {total} attempts ({problem})")
    ref.update({"status": "retrying"})
    raise DeliveryFailed(f"{ref.id}: attempt {total} failed ({problem}); Pub/Sub retries later")


# -- redelivery, by an organiser ------------------------------------------------------------------------------

#: What a redelivery picks up unasked: the sponsor did not get the event (and no record: it never was sent).
REDELIVERABLE = frozenset({"failed", "gave_up"})


@dataclass(frozen=True)
class Target:
    """An endpoint a redelivery considered, with its delivery so far and, when it is left alone, why."""

    endpoint: Endpoint
    record: Mapping[str, Any] | None  # the delivery document; None: the event was never sent there
    reason: str | None = None

    @property
    def status(self) -> str:
        return "never delivered" if self.record is None else str(self.record.get("status", "?"))

    @property
    def attempt_count(self) -> int:
        return 0 if self.record is None else int(self.record.get("attempt_count", 0))


@dataclass(frozen=True)
class Plan:
    event_id: str
    send: tuple[Target, ...]
    skipped: tuple[Target, ...]


def redelivery_blocker(record: Mapping[str, Any] | None, *, force: bool, now: datetime) -> str | None:
    """Why a delivery may not be redelivered now, or ``None`` when it may.

    Failed, given up or never sent: always. A claim younger than ``CLAIM_TIMEOUT`` is a POST in progress:
    never, not even forced, so two runs never post at once. Anything else (delivered, a redelivery already
    queued, Pub/Sub still retrying, an abandoned claim) only with ``force``.
    """
    if record is None or record.get("status") in REDELIVERABLE:
        return None
    status = record.get("status")
    claimed_at = record.get("claimed_at")
    if status == "delivering" and claimed_at is not None and now - claimed_at < CLAIM_TIMEOUT:
        return "is being posted right now; see 'sponsors deliveries' once it settled"
    if force:
        return None
    if status == "delivered":
        return "was delivered already; give its endpoint id with --force to send it once more"
    if status == "queued":
        last = record.get("last_redelivery") or {}
        who = f" by {last['by']}" if last.get("by") else ""
        when = f" at {last['at']:%Y-%m-%d %H:%M:%S} UTC" if isinstance(last.get("at"), datetime) else ""
        return f"has a redelivery queued already{who}{when}; --force with its endpoint id if it is stuck"
    return f"is still {status} (Pub/Sub retries it); --force with its endpoint id if it is stuck"


def plan_redelivery(event_id: str, known: Sequence[Endpoint], records: Mapping[str, Mapping[str, Any] | None], *,
                    endpoint_id: str | None = None, force: bool = False, now: datetime | None = None) -> Plan:
    """Which endpoints get ``event_id`` again: ``endpoint_id`` alone, or every active endpoint that did not get
    it. ``records`` maps endpoint ids to their delivery documents (absent or ``None``: never sent).

    Raises :class:`RedeliveryRefused` for an unknown or disabled endpoint, ``--force`` without one, a named
    endpoint that may not be redelivered, and when nothing needs redelivering.
    """
    now = now or datetime.now(UTC)
    if force and endpoint_id is None:
        raise RedeliveryRefused("--force needs an endpoint id: it sends the event once more to that one endpoint")
    if endpoint_id is not None:
        named = next((e for e in known if e.endpoint_id == endpoint_id), None)
        if named is None:
            raise RedeliveryRefused(f"no sponsor endpoint {endpoint_id!r}")
        if not named.active:
            raise RedeliveryRefused(f"sponsor endpoint {endpoint_id} ({named.name}) is disabled: nothing is sent "
                                    "to it")
        candidates = [named]
    else:
        candidates = [e for e in known if e.active]
        if not candidates:
            raise RedeliveryRefused(f"no active sponsor endpoints: nobody to redeliver {event_id} to")
    send: list[Target] = []
    skipped: list[Target] = []
    for endpoint in candidates:
        record = records.get(endpoint.endpoint_id)
        reason = redelivery_blocker(record, force=force, now=now)
        (skipped if reason else send).append(Target(endpoint, record, reason))
    if endpoint_id is not None and skipped:
        raise RedeliveryRefused(f"{event_id} to {endpoint_id} ({skipped[0].endpoint.name}) {skipped[0].reason}")
    if not send:
        left = "; ".join(f"{t.endpoint.endpoint_id} ({t.endpoint.name}) {t.reason}" for t in skipped)
        raise RedeliveryRefused(f"nothing to redeliver: every active endpoint got {event_id} or is still being "
                                f"retried: {left}")
    return Plan(event_id, tuple(send), tuple(skipped))


def redelivery_fields(target: Target, stored: Mapping[str, Any], *, by: str, force: bool,
                      now: datetime) -> dict[str, Any]:
    """The write that queues ``target``'s redelivery: the whole document when it was never sent, else an update.

    ``budget_from`` starts a fresh budget of ``MAX_ATTEMPTS`` (a ``gave_up`` delivery has none left); the
    attempts already made stay, and the attempt header numbers on from them. The request is kept in
    ``redeliveries`` (every one) and ``last_redelivery``.
    """
    request = {"at": now, "by": by, "previous_status": None if target.record is None else target.status,
               "attempts_before": target.attempt_count, "forced": force}
    fields: dict[str, Any] = {"status": "queued", "queued_at": now, "url": target.endpoint.url,
                              "budget_from": target.attempt_count, "last_redelivery": request}
    if target.record is None:
        return {"event_id": stored["event_id"], "endpoint_id": target.endpoint.endpoint_id,
                "edition": stored["edition"], "created_at": now, "attempt_count": 0, "attempts": [],
                "duplicates": 0, **fields, "redeliveries": [request]}
    return {**fields, "redeliveries": firestore.ArrayUnion([request])}


@dataclass(frozen=True)
class Redelivery:
    plan: Plan
    dry_run: bool
    queued: tuple[Target, ...] = ()  # published again
    lost: tuple[Target, ...] = ()  # changed since it was read (another redelivery, the delivery itself): left
    unpublished: tuple[tuple[Target, str], ...] = ()  # the publish failed; the queued status was undone


def redeliver(client: firestore.Client, edition: str, endpoint_id: str | None = None, *, force: bool = False,
              dry_run: bool = False, by: str = "organiser") -> Redelivery:
    """Send an edition's announced winners again, through the ordinary delivery path (see the module's doc).

    Each target is queued with a precondition on the version that was planned on (or created, when it never
    was sent), so of two organisers redelivering at once only one queues it; then its ``sponsor.delivery`` is
    published. A publish that fails undoes its queueing when nothing touched the document since.
    """
    event_id = winners_event_id(edition)
    stored = layout.sponsor_events(client).document(_doc_id(event_id)).get().to_dict()
    if stored is None:
        if layout.winners(client, edition).document("announced").get().exists:
            raise RedeliveryRefused(
                f"the winners of {edition} are announced, but notify has not stored {event_id} yet (it does on "
                "receiving it): try again in a minute; if it stays so, look at notify's logs and gd-dead-letter")
        raise RedeliveryRefused(f"the winners of {edition} are not announced yet: there is nothing to redeliver")
    known = endpoints(client)
    deliveries_ref = layout.sponsor_deliveries(client)
    snapshots = {e.endpoint_id: deliveries_ref.document(delivery_id(event_id, e.endpoint_id)).get()
                 for e in known if e.active and endpoint_id in (None, e.endpoint_id)}
    records = {key: snapshot.to_dict() if snapshot.exists else None for key, snapshot in snapshots.items()}
    plan = plan_redelivery(event_id, known, records, endpoint_id=endpoint_id, force=force)
    if dry_run:
        return Redelivery(plan, dry_run=True)
    queued: list[Target] = []
    lost: list[Target] = []
    unpublished: list[tuple[Target, str]] = []
    for target in plan.send:
        key = target.endpoint.endpoint_id
        ref = deliveries_ref.document(delivery_id(event_id, key))
        now = datetime.now(UTC)
        written = _queue(client, ref, snapshots[key], redelivery_fields(target, stored, by=by, force=force, now=now))
        if written is None:
            lost.append(target)
            continue
        try:
            bus.publish("sponsor.delivery", delivery_event_id(event_id, key), stored["edition"],
                        {"winners_event_id": event_id, "endpoint_id": key})
        except Exception as problem:  # reported to the organiser; the other endpoints go on
            _unqueue(client, ref, target, written)
            unpublished.append((target, f"{type(problem).__name__}: {problem}"))
            continue
        log.info("%s queued again for %s by %s", event_id, key, by)
        queued.append(target)
    return Redelivery(plan, False, tuple(queued), tuple(lost), tuple(unpublished))


def _queue(client: firestore.Client, ref: firestore.DocumentReference, snapshot: Any,
           fields: dict[str, Any]) -> Any:
    """Write ``fields`` if the document is still as ``snapshot`` saw it; the write result, or ``None``."""
    try:
        if not snapshot.exists:
            return ref.create(fields)
        return ref.update(fields, option=client.write_option(last_update_time=snapshot.update_time))
    except (gexc.AlreadyExists, gexc.FailedPrecondition, gexc.Aborted):
        return None


def _unqueue(client: firestore.Client, ref: firestore.DocumentReference, target: Target, written: Any) -> None:
    """Undo a queueing whose publish failed, unless the document changed since (then the delivery moved on)."""
    option = client.write_option(last_update_time=written.update_time)
    try:
        if target.record is None:
            ref.delete(option=option)
        else:
            previous = target.record
            ref.update({"status": previous.get("status"), "budget_from": previous.get("budget_from", 0),
                        "last_redelivery": previous.get("last_redelivery", firestore.DELETE_FIELD),
                        "queued_at": previous.get("queued_at", firestore.DELETE_FIELD),
                        "url": previous.get("url", target.endpoint.url),
                        "redeliveries": previous.get("redeliveries", firestore.DELETE_FIELD)}, option=option)
    except (gexc.FailedPrecondition, gexc.Aborted, gexc.NotFound):
        log.warning("%s changed while its redelivery was undone: left as it is", ref.id)

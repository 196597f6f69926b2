"""Webhook signatures of the form tools that post registrations to us.

Every request to ``/webhooks/<provider>`` must carry an HMAC of its raw body made with the secret
shared with that form tool; without it anyone could register a municipality. Three schemes:

- ``typeform``: ``Typeform-Signature: sha256=<base64 HMAC-SHA256(secret, body)>``
- ``tally``:    ``Tally-Signature: <base64 HMAC-SHA256(secret, body)>``
- ``generic``:  ``X-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "{t}.{body}")>`` (Stripe
  style); several ``v1=`` entries are allowed so a sender can sign with an old and a new secret while
  the secret is rotated, and the timestamp must lie within five minutes of our wall clock, which makes a
  captured request useless for replay later on. A request with an ``Idempotency-Key`` header signs the key
  too: ``"{t}.{key}.{body}"``, so a captured request replayed with other keys does not verify.

Only the standard library is used: this module is imported on a Cloud Function's cold start.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Mapping

__all__ = [
    "HEADERS",
    "PROVIDERS",
    "REASONS",
    "TOLERANCE_SECONDS",
    "SignatureError",
    "get_header",
    "sign",
    "verify",
]

PROVIDERS = ("typeform", "tally", "generic")

#: The header each provider puts its signature in (looked up case-insensitively).
HEADERS: Mapping[str, str] = {
    "typeform": "Typeform-Signature",
    "tally": "Tally-Signature",
    "generic": "X-Signature",
}

#: How far (seconds) a generic signature's timestamp may lie from our clock, in either direction.
TOLERANCE_SECONDS = 300

#: Every reason a SignatureError can carry; safe to show to the caller (none echoes a signature).
REASONS = ("missing_signature", "malformed_signature", "bad_signature", "stale_timestamp", "future_timestamp")

_TYPEFORM_PREFIX = "sha256="
_DIGEST_SIZE = hashlib.sha256().digest_size


class SignatureError(Exception):
    """The request is not signed by the form tool; `reason` is one of REASONS and safe to return."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def get_header(headers: Mapping[str, str], name: str) -> str | None:
    """A header's value, whatever the case of its name.

    Flask's request.headers already ignores case, a plain dict (tests, other callers) does not.
    """
    value = headers.get(name)
    if value is not None:
        return value
    wanted = name.lower()
    for key, candidate in headers.items():
        if key.lower() == wanted:
            return candidate
    return None


IDEMPOTENCY_HEADER = "Idempotency-Key"


def sign(provider: str, secret: bytes | str, body: bytes, now: float | None = None,
         idempotency_key: str | None = None) -> dict[str, str]:
    """The signature header(s) the form tool would send with `body` (for tests and the demo); a generic request
    sent with an ``Idempotency-Key`` header signs it too."""
    key = _key(provider, secret)
    raw = _raw(body)
    if provider == "generic":
        timestamp = int(time.time() if now is None else now)
        digest = _generic_digest(key, timestamp, raw, idempotency_key).hex()
        return {HEADERS[provider]: f"t={timestamp},v1={digest}"}
    encoded = base64.b64encode(hmac.digest(key, raw, "sha256")).decode("ascii")
    prefix = _TYPEFORM_PREFIX if provider == "typeform" else ""
    return {HEADERS[provider]: prefix + encoded}


def verify(
    provider: str,
    secret: bytes | str,
    body: bytes,
    headers: Mapping[str, str],
    now: float | None = None,
) -> None:
    """Return if `body` is signed with `secret` as `provider` signs it, else raise SignatureError.

    `body` must be the raw request body (request.get_data()): re-serialised JSON does not verify.
    `now` replaces the wall clock (time.time()) for the generic freshness check; it is a security
    check and deliberately not tied to the competition's business clock.
    """
    key = _key(provider, secret)
    raw = _raw(body)
    value = get_header(headers, HEADERS[provider])
    if value is None or not value.strip():
        raise SignatureError("missing_signature")
    value = value.strip()
    if provider == "generic":
        idempotency_key = get_header(headers, IDEMPOTENCY_HEADER)
        _verify_generic(key, raw, value, time.time() if now is None else now,
                        idempotency_key.strip() if idempotency_key is not None else None)
        return
    if provider == "typeform":
        if not value.startswith(_TYPEFORM_PREFIX):
            raise SignatureError("malformed_signature")
        value = value[len(_TYPEFORM_PREFIX) :]
    received = _b64_digest(value)
    if not hmac.compare_digest(hmac.digest(key, raw, "sha256"), received):
        raise SignatureError("bad_signature")


def _verify_generic(key: bytes, raw: bytes, value: str, now: float, idempotency_key: str | None) -> None:
    """Check ``t=…,v1=…[,v1=…]``: the signature first (Stripe's order), then the timestamp."""
    timestamp: int | None = None
    candidates: list[bytes] = []
    for part in value.split(","):
        name, sep, item = part.strip().partition("=")
        if not sep:
            raise SignatureError("malformed_signature")
        if name == "t":
            if timestamp is not None or not item.isascii() or not item.isdigit():
                raise SignatureError("malformed_signature")
            timestamp = int(item)
        elif name == "v1":
            candidates.append(_hex_digest(item))
        # Other schemes (v0, a future v2) are ignored, as Stripe does.
    if timestamp is None or not candidates:
        raise SignatureError("malformed_signature")
    expected = _generic_digest(key, timestamp, raw, idempotency_key)
    # Compare against every candidate, without stopping early, so timing tells nothing about which.
    matched = False
    for candidate in candidates:
        matched |= hmac.compare_digest(expected, candidate)
    if not matched:
        raise SignatureError("bad_signature")
    if timestamp < now - TOLERANCE_SECONDS:
        raise SignatureError("stale_timestamp")
    if timestamp > now + TOLERANCE_SECONDS:
        raise SignatureError("future_timestamp")


def _generic_digest(key: bytes, timestamp: int, raw: bytes, idempotency_key: str | None = None) -> bytes:
    signed = str(timestamp).encode("ascii") + b"."
    if idempotency_key is not None:
        signed += idempotency_key.encode("utf-8", "surrogateescape") + b"."
    return hmac.digest(key, signed + raw, "sha256")


def _b64_digest(value: str) -> bytes:
    try:
        decoded = base64.b64decode(value.encode("ascii"), validate=True)
    except (UnicodeEncodeError, binascii.Error):
        raise SignatureError("malformed_signature") from None
    if len(decoded) != _DIGEST_SIZE:
        raise SignatureError("malformed_signature")
    return decoded


def _hex_digest(value: str) -> bytes:
    if len(value) != 2 * _DIGEST_SIZE or not value.isascii():
        raise SignatureError("malformed_signature")
    try:
        return bytes.fromhex(value)
    except ValueError:
        raise SignatureError("malformed_signature") from None


def _key(provider: str, secret: bytes | str) -> bytes:
    """The HMAC key; an unknown provider or an empty secret is a configuration error, not a 401."""
    if provider not in PROVIDERS:
        raise ValueError(f"unknown provider {provider!r}; expected one of {', '.join(PROVIDERS)}")
    key = secret.encode("utf-8") if isinstance(secret, str) else bytes(secret)
    if not key:
        # Anyone can compute an HMAC with an empty key: refuse rather than accept forgeries.
        raise ValueError(f"empty signing secret for {provider}")
    return key


def _raw(body: bytes) -> bytes:
    if not isinstance(body, bytes | bytearray | memoryview):
        # A str means the body was decoded (maybe re-serialised) already: its bytes may differ.
        raise TypeError(f"body must be the raw request bytes, not {type(body).__name__}")
    return bytes(body)

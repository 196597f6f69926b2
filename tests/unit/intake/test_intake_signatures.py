"""Webhook signatures: each provider's scheme, and every way a request can fail to be signed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import pytest

from gemeentedelers.intake.signatures import HEADERS, PROVIDERS, REASONS, SignatureError, sign, verify

SECRET = "whsec_gemeentedelers"
BODY = '{"event_id":"01HX","municipality":"Súdwest-Fryslân"}'.encode()
NOW = 1_760_000_000.0


def _reason(provider: str, headers: dict[str, str], *, body: bytes = BODY, now: float = NOW) -> str:
    with pytest.raises(SignatureError) as caught:
        verify(provider, SECRET, body, headers, now=now)
    assert caught.value.reason in REASONS
    assert str(caught.value) == caught.value.reason  # nothing else, certainly no expected signature
    return caught.value.reason


def _generic_header(t: int, *digests: str) -> dict[str, str]:
    return {"X-Signature": ",".join([f"t={t}", *(f"v1={d}" for d in digests)])}


def _generic_hex(secret: str, t: int, body: bytes = BODY) -> str:
    return hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()


# --- the schemes, against an independent computation -------------------------------------------------


def test_typeform_header_is_sha256_prefixed_base64_hmac_of_the_body() -> None:
    expected = base64.b64encode(hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()).decode()
    assert sign("typeform", SECRET, BODY) == {"Typeform-Signature": f"sha256={expected}"}


def test_tally_header_is_bare_base64_hmac_of_the_body() -> None:
    expected = base64.b64encode(hmac.new(SECRET.encode(), BODY, hashlib.sha256).digest()).decode()
    assert sign("tally", SECRET, BODY) == {"Tally-Signature": expected}


def test_generic_header_signs_timestamp_dot_body_in_hex() -> None:
    t = int(NOW)
    assert sign("generic", SECRET, BODY, now=NOW) == _generic_header(t, _generic_hex(SECRET, t))


# --- every provider ----------------------------------------------------------------------------------


@pytest.mark.parametrize("provider", PROVIDERS)
def test_valid_signature_passes(provider: str) -> None:
    verify(provider, SECRET, BODY, sign(provider, SECRET, BODY, now=NOW), now=NOW)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_str_and_bytes_secrets_are_the_same_key(provider: str) -> None:
    headers = sign(provider, SECRET.encode(), BODY, now=NOW)
    assert headers == sign(provider, SECRET, BODY, now=NOW)
    verify(provider, SECRET, BODY, headers, now=NOW)
    verify(provider, SECRET.encode(), bytearray(BODY), headers, now=NOW)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_tampered_body_is_a_bad_signature(provider: str) -> None:
    headers = sign(provider, SECRET, BODY, now=NOW)
    assert _reason(provider, headers, body=BODY.replace(b"01HX", b"01HY")) == "bad_signature"
    assert _reason(provider, headers, body=BODY + b" ") == "bad_signature"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_wrong_secret_is_a_bad_signature(provider: str) -> None:
    assert _reason(provider, sign(provider, "another-secret", BODY, now=NOW)) == "bad_signature"


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("headers", [{}, {"Content-Type": "application/json"}])
def test_missing_header(provider: str, headers: dict[str, str]) -> None:
    assert _reason(provider, headers) == "missing_signature"


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("value", ["", "   "])
def test_empty_header_counts_as_missing(provider: str, value: str) -> None:
    assert _reason(provider, {HEADERS[provider]: value}) == "missing_signature"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_another_providers_header_counts_as_missing(provider: str) -> None:
    other = next(p for p in PROVIDERS if p != provider)
    assert _reason(provider, sign(other, SECRET, BODY, now=NOW)) == "missing_signature"


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("case", [str.lower, str.upper, str.title])
def test_header_name_is_case_insensitive_in_a_plain_dict(provider: str, case: object) -> None:
    ((name, value),) = sign(provider, SECRET, BODY, now=NOW).items()
    verify(provider, SECRET, BODY, {"Accept": "*/*", case(name): value}, now=NOW)  # type: ignore[operator]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_flask_request_headers_work(provider: str) -> None:
    datastructures = pytest.importorskip("werkzeug.datastructures")
    ((name, value),) = sign(provider, SECRET, BODY, now=NOW).items()
    headers = datastructures.Headers([("Content-Type", "application/json"), (name.lower(), value)])
    verify(provider, SECRET, BODY, headers, now=NOW)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_surrounding_whitespace_in_the_header_is_ignored(provider: str) -> None:
    ((name, value),) = sign(provider, SECRET, BODY, now=NOW).items()
    verify(provider, SECRET, BODY, {name: f"  {value} "}, now=NOW)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_non_ascii_header_is_malformed(provider: str) -> None:
    value = {"typeform": "sha256=ßßß", "tally": "ßßß", "generic": "t=١٢٣,v1=ß"}[provider]
    assert _reason(provider, {HEADERS[provider]: value}) == "malformed_signature"


def test_unknown_provider_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown provider"):
        verify("jotform", SECRET, BODY, {})
    with pytest.raises(ValueError, match="unknown provider"):
        sign("jotform", SECRET, BODY)


@pytest.mark.parametrize("provider", PROVIDERS)
@pytest.mark.parametrize("secret", ["", b""])
def test_empty_secret_is_refused_rather_than_forgeable(provider: str, secret: str | bytes) -> None:
    with pytest.raises(ValueError, match="empty signing secret"):
        verify(provider, secret, BODY, sign(provider, "x", BODY))
    with pytest.raises(ValueError, match="empty signing secret"):
        sign(provider, secret, BODY)


@pytest.mark.parametrize("provider", PROVIDERS)
def test_body_must_be_the_raw_bytes(provider: str) -> None:
    with pytest.raises(TypeError, match="raw request bytes"):
        verify(provider, SECRET, BODY.decode(), sign(provider, SECRET, BODY))  # type: ignore[arg-type]


# --- Typeform and Tally: malformed values -----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        base64.b64encode(b"x" * 32).decode(),  # no sha256= prefix
        "sha1=" + base64.b64encode(b"x" * 20).decode(),
        "SHA256=" + base64.b64encode(b"x" * 32).decode(),
        "sha256=",
        "sha256=not base64!",
        "sha256=" + base64.b64encode(b"x" * 31).decode(),  # valid base64, wrong digest size
        "sha256=" + b"x".hex() * 32,  # hex is not what Typeform sends
    ],
)
def test_typeform_malformed(value: str) -> None:
    assert _reason("typeform", {"Typeform-Signature": value}) == "malformed_signature"


@pytest.mark.parametrize(
    "value",
    [
        "sha256=" + base64.b64encode(b"x" * 32).decode(),  # Typeform's format is not Tally's
        "not base64!",
        base64.b64encode(b"x" * 33).decode(),
        base64.b64encode(b"x" * 32).decode().rstrip("="),  # padding is part of base64
    ],
)
def test_tally_malformed(value: str) -> None:
    assert _reason("tally", {"Tally-Signature": value}) == "malformed_signature"


# --- generic: timestamps, rotation, malformed -----------------------------------------------------


def test_generic_stale_timestamp_is_refused() -> None:
    headers = sign("generic", SECRET, BODY, now=NOW - 301)
    assert _reason("generic", headers) == "stale_timestamp"


def test_generic_future_timestamp_is_refused() -> None:
    headers = sign("generic", SECRET, BODY, now=NOW + 301)
    assert _reason("generic", headers) == "future_timestamp"


@pytest.mark.parametrize("skew", [-300, -1, 0, 1, 300])
def test_generic_timestamp_within_five_minutes_passes(skew: int) -> None:
    verify("generic", SECRET, BODY, sign("generic", SECRET, BODY, now=NOW + skew), now=NOW)


def test_generic_checks_the_signature_before_the_timestamp() -> None:
    headers = sign("generic", "another-secret", BODY, now=NOW - 3600)
    assert _reason("generic", headers) == "bad_signature"


def test_generic_timestamp_is_signed_too() -> None:
    t = int(NOW)
    moved = _generic_header(t + 60, _generic_hex(SECRET, t))
    assert _reason("generic", moved) == "bad_signature"


def test_generic_uses_the_wall_clock_without_now() -> None:
    verify("generic", SECRET, BODY, sign("generic", SECRET, BODY))
    with pytest.raises(SignatureError, match="stale_timestamp"):
        verify("generic", SECRET, BODY, sign("generic", SECRET, BODY, now=time.time() - 3600))


@pytest.mark.parametrize("position", [0, 1])
def test_generic_rotation_any_v1_may_match(position: int) -> None:
    t = int(NOW)
    digests = [_generic_hex("old-secret", t)]
    digests.insert(position, _generic_hex(SECRET, t))
    verify("generic", SECRET, BODY, _generic_header(t, *digests), now=NOW)
    verify("generic", "old-secret", BODY, _generic_header(t, *digests), now=NOW)


def test_generic_rotation_no_v1_matches() -> None:
    t = int(NOW)
    headers = _generic_header(t, _generic_hex("old-secret", t), _generic_hex("older-secret", t))
    assert _reason("generic", headers) == "bad_signature"


def test_generic_ignores_other_schemes_and_spaces() -> None:
    t = int(NOW)
    value = f"t={t}, v0={'0' * 64}, v1={_generic_hex(SECRET, t).upper()}"
    verify("generic", SECRET, BODY, {"x-signature": value}, now=NOW)


@pytest.mark.parametrize(
    "value",
    [
        "v1=" + "0" * 64,  # no timestamp
        f"t={int(NOW)}",  # no signature
        f"t={int(NOW)},v0={'0' * 64}",  # only an unknown scheme
        f"t=soon,v1={'0' * 64}",
        f"t=-5,v1={'0' * 64}",
        f"t=1.5,v1={'0' * 64}",
        f"t={int(NOW)},t={int(NOW)},v1={'0' * 64}",  # two timestamps: which one was signed?
        f"t={int(NOW)},v1={'0' * 63}",
        f"t={int(NOW)},v1={'g' * 64}",
        f"t={int(NOW)},v1",
        "sha256=" + "0" * 64,
        "garbage",
    ],
)
def test_generic_malformed(value: str) -> None:
    assert _reason("generic", {"X-Signature": value}) == "malformed_signature"


def test_a_generic_idempotency_key_is_signed_with_the_body() -> None:
    headers = {**sign("generic", SECRET, BODY, now=NOW, idempotency_key="k-1"), "Idempotency-Key": "k-1"}
    verify("generic", SECRET, BODY, headers, now=NOW)
    without = {k: v for k, v in headers.items() if k != "Idempotency-Key"}
    for changed in ({**headers, "Idempotency-Key": "k-2"}, without):
        with pytest.raises(SignatureError, match="bad_signature"):
            verify("generic", SECRET, BODY, changed, now=NOW)
    unsigned = {**sign("generic", SECRET, BODY, now=NOW), "Idempotency-Key": "k-1"}
    with pytest.raises(SignatureError, match="bad_signature"):
        verify("generic", SECRET, BODY, unsigned, now=NOW)

"""One POST to a real receiver on 127.0.0.1: headers a sponsor can verify, and every answer recorded, never raised."""

from __future__ import annotations

import json
import socket
import time

import pytest
from sponsor_receiver import Receiver

from gemeentedelers.intake import signatures
from gemeentedelers.notify.sponsors import post, signed_headers

SECRET = "s3cret-shared-with-the-sponsor"
BODY = json.dumps({"event_id": "winners.announced:gd2024", "winners": []}).encode()


def _headers(attempt: int = 1) -> dict[str, str]:
    return signed_headers(SECRET, BODY, "winners.announced:gd2024", "winners.announced", attempt)


def test_the_headers_verify_as_the_intake_verifies_generic_webhooks() -> None:
    headers = _headers(attempt=2)
    signatures.verify("generic", SECRET, BODY, headers)
    assert headers["Content-Type"] == "application/json"
    assert headers["X-GemeenteDelers-Event-Id"] == "winners.announced:gd2024"
    assert headers["X-GemeenteDelers-Event-Type"] == "winners.announced"
    assert headers["X-GemeenteDelers-Delivery-Attempt"] == "2"
    with pytest.raises(signatures.SignatureError, match="bad_signature"):
        signatures.verify("generic", "another-secret", BODY, headers)
    with pytest.raises(signatures.SignatureError, match="bad_signature"):
        signatures.verify("generic", SECRET, BODY.replace(b"gd2024", b"gd2025"), headers)


def test_a_2xx_is_recorded_with_its_duration() -> None:
    with Receiver(default=204) as receiver:
        attempt = post(receiver.url, BODY, _headers())
        [got] = receiver.received()
    assert attempt.status_code == 204 and attempt.outcome == "delivered" and attempt.error is None
    assert attempt.response is None and attempt.duration_ms >= 0
    assert got.body == BODY, "the exact bytes that were signed"
    signatures.verify("generic", SECRET, got.body, got.headers)


@pytest.mark.parametrize(("status", "outcome"), [(500, "retry"), (429, "retry"), (400, "permanent")])
def test_a_failure_answer_is_recorded_with_the_start_of_its_body(status: int, outcome: str) -> None:
    with Receiver(default=status) as receiver:
        attempt = post(receiver.url, BODY, _headers())
    assert attempt.status_code == status and attempt.outcome == outcome
    assert attempt.response == '{"error": "scripted failure"}'


def test_a_redirect_is_not_followed() -> None:
    with Receiver(default=302) as receiver:
        attempt = post(receiver.url, BODY, _headers())
        assert len(receiver.received()) == 1
    assert attempt.status_code == 302 and attempt.outcome == "permanent"


def test_a_refused_connection_is_an_error_to_retry() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago and has no listener now
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    attempt = post(f"http://127.0.0.1:{port}/hook", BODY, _headers())
    assert attempt.status_code is None and attempt.outcome == "retry"
    assert attempt.error is not None and attempt.error.startswith("ConnectionError")


def test_a_slow_sponsor_times_out_as_an_error_to_retry() -> None:
    with Receiver(delay_s=1.0) as receiver:
        started = time.monotonic()
        attempt = post(receiver.url, BODY, _headers(), timeout=(1.0, 0.2))
        assert time.monotonic() - started < 0.9
    assert attempt.status_code is None and attempt.outcome == "retry"
    assert attempt.error is not None and "Timeout" in attempt.error
    assert receiver.hung_up == 1  # close() waited for the late answer, which found the sender gone


def test_the_address_is_checked_again_when_connecting() -> None:
    """A URL that passed registration but resolves to loopback outside the local cloud is not connected to."""
    with Receiver() as receiver:
        attempt = post(receiver.url, BODY, _headers(), local=False)
        assert receiver.received() == []
    assert attempt.status_code is None and "refused to connect" in (attempt.error or "")
    assert "loopback" in (attempt.error or "")

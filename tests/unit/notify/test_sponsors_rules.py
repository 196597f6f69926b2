"""The pure rules of sponsor webhooks: which URLs may be registered, which answers are retried, the backoff."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime

import pytest

from gemeentedelers.notify.sponsors import (
    BACKOFF_CAP_S,
    JITTER,
    MAX_ATTEMPTS,
    TRIES_PER_RUN,
    Attempt,
    DeliveryFailed,
    GaveUp,
    InvalidEndpoint,
    _settle,
    backoff,
    check_url,
    classify,
    delivery_event_id,
    delivery_id,
    run_attempts,
)
from gemeentedelers.platform.events import MAX_DELIVERY_ATTEMPTS


@pytest.mark.parametrize("url", [
    "https://sponsor.example.nl/hooks/gd",
    "https://sponsor.example.nl:8443/hooks?team=gd",
    "  https://sponsor.example.nl/hooks  ",
    "http://127.0.0.1:8123/hook",
    "http://localhost/hook",
    "http://[::1]:8000/hook",
    "HTTPS://Sponsor.Example.NL/",
])
def test_acceptable_urls(url: str) -> None:
    assert check_url(url, resolver=public) == url.strip()


@pytest.mark.parametrize(("url", "reason"), [
    ("http://sponsor.example.nl/hook", "must use https"),
    ("http://10.0.0.8/hook", "must use https"),
    ("ftp://sponsor.example.nl/hook", "absolute https"),
    ("sponsor.example.nl/hook", "absolute https"),
    ("https:///hook", "absolute https"),
    ("", "absolute https"),
    ("https://user:pw@sponsor.example.nl/hook", "credentials"),
    ("https://sponsor.example.nl/hook#x", "fragment"),
    ("https://sponsor.example.nl:port/hook", "not a valid URL"),
])
def test_refused_urls_say_why(url: str, reason: str) -> None:
    with pytest.raises(InvalidEndpoint, match=reason):
        check_url(url, resolver=public)


@pytest.mark.parametrize("url", ["http://127.0.0.1:8123/hook", "https://localhost/hook"])
def test_loopback_only_in_the_local_cloud(url: str) -> None:
    with pytest.raises(InvalidEndpoint, match="loopback"):
        check_url(url, local=False, resolver=public)


def public(host: str, port: int) -> list[str]:
    """A resolver that knows the loopback names and makes every other name a public address."""
    if host in ("localhost", "127.0.0.1"):
        return ["127.0.0.1"]
    return [host.strip("[]")] if ":" in host or host[0].isdigit() else ["145.100.100.100"]


@pytest.mark.parametrize(("url", "reason"), [
    ("https://169.254.169.254/computeMetadata/v1/", "link-local"),
    ("https://metadata.google.internal/computeMetadata/v1/", "metadata server"),
    ("https://10.1.2.3/hook", "private"),
    ("https://192.168.1.1/hook", "private"),
    ("https://172.16.0.9/hook", "private"),
    ("https://[fd00:ec2::254]/hook", "private"),
    ("https://[::ffff:169.254.169.254]/hook", "link-local"),
    ("https://100.64.0.1/hook", "not a public address"),
    ("https://0.0.0.0/hook", r"private|not a public"),
])
def test_inside_addresses_are_refused_after_resolving(url: str, reason: str) -> None:
    with pytest.raises(InvalidEndpoint, match=reason):
        check_url(url, local=True, resolver=public)


def test_a_name_that_resolves_inside_is_refused() -> None:
    """Resolved, not lexical: a harmless-looking name pointing at the metadata server (or also inside) is refused."""
    def rebinding(host: str, port: int) -> list[str]:
        return ["145.100.100.100", "169.254.169.254"]

    with pytest.raises(InvalidEndpoint, match=r"169\.254\.169\.254, a link-local"):
        check_url("https://hooks.sponsor.example.nl/gd", local=False, resolver=rebinding)


def test_standard_webhooks_verifies_the_signature_with_the_whsec_secret() -> None:
    from standardwebhooks import Webhook

    from gemeentedelers.notify.sponsors import signed_headers, whsec

    secret, body = "a-secret-agreed-with-the-sponsor", b'{"event_id": "winners.announced:gd2024"}'
    headers = signed_headers(secret, body, "winners.announced:gd2024", "winners.announced", 1)
    payload = Webhook(whsec(secret)).verify(body, {k: v for k, v in headers.items() if k.startswith("webhook-")})
    assert payload == {"event_id": "winners.announced:gd2024"}
    with pytest.raises(Exception, match=r"[Ss]ignature"):
        Webhook(whsec("another-secret-of-16-chars")).verify(body, headers)


@pytest.mark.parametrize(("status", "outcome"), [
    (200, "delivered"), (201, "delivered"), (204, "delivered"),
    (None, "retry"), (500, "retry"), (502, "retry"), (503, "retry"), (408, "retry"), (429, "retry"),
    (400, "permanent"), (401, "permanent"), (403, "permanent"), (404, "permanent"), (410, "permanent"),
    (422, "permanent"), (301, "permanent"), (302, "permanent"),
])
def test_classify(status: int | None, outcome: str) -> None:
    assert classify(status) == outcome


def test_backoff_doubles_from_half_a_second_with_bounded_jitter() -> None:
    rng = random.Random(7)
    for retry, nominal in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (5, 8.0), (9, BACKOFF_CAP_S)]:
        for _ in range(200):
            assert nominal * (1 - JITTER) <= backoff(retry, rng) <= nominal * (1 + JITTER)
    assert len({round(backoff(1, rng), 6) for _ in range(20)}) > 1, "jitter varies the delay"
    with pytest.raises(ValueError):
        backoff(0)


def _attempt(status: int | None) -> Attempt:
    return Attempt(datetime.now(UTC), status, None if status else "ConnectionError: refused", 3)


def _scripted(statuses: list[int | None]) -> tuple[list[int], Callable[[int], Attempt]]:
    numbers: list[int] = []

    def send(number: int) -> Attempt:
        numbers.append(number)
        return _attempt(statuses.pop(0))

    return numbers, send


def test_a_run_retries_transient_failures_with_the_backoff() -> None:
    numbers, send = _scripted([500, None, 200])
    slept: list[float] = []
    recorded: list[Attempt] = []
    attempts = run_attempts(send, 4, 3, sleep=slept.append, rng=random.Random(1), on_attempt=recorded.append)
    assert [a.status_code for a in attempts] == [500, None, 200]
    assert numbers == [4, 5, 6], "attempts are numbered on from earlier runs"
    assert recorded == attempts, "every attempt is recorded as it happens"
    assert len(slept) == 2
    assert 0.375 <= slept[0] <= 0.625 and 0.75 <= slept[1] <= 1.25


@pytest.mark.parametrize("status", [400, 404, 200])
def test_a_run_stops_at_an_answer_that_settles_it(status: int) -> None:
    numbers, send = _scripted([status, 200, 200])
    slept: list[float] = []
    attempts = run_attempts(send, 1, 3, sleep=slept.append)
    assert [a.status_code for a in attempts] == [status] and slept == [] and numbers == [1]


def test_a_run_gives_back_after_its_tries() -> None:
    _, send = _scripted([503, 429, 408, 200])
    attempts = run_attempts(send, 1, 3, sleep=lambda s: None)
    assert [a.outcome for a in attempts] == ["retry"] * 3


def test_ids() -> None:
    assert delivery_event_id("winners.announced:gd2024", "sp-0a1b2c3d4e") == (
        "sponsor.delivery:winners.announced:gd2024:sp-0a1b2c3d4e")
    assert delivery_id("winners.announced:gd2024", "sp-1") == "winners.announced:gd2024:sp-1"
    assert delivery_id("a/b%c", "sp-1") == "a%2Fb%25c:sp-1", "a slash would make a Firestore path"


class FakeRef:
    """Stands in for the delivery document: _settle only writes field updates to it."""

    id = "winners.announced:gd2024:sp-1"

    def __init__(self) -> None:
        self.updates: list[dict[str, object]] = []

    def update(self, fields: dict[str, object]) -> None:
        self.updates.append(fields)


@pytest.mark.parametrize(("statuses", "total", "status", "raised"), [
    ([500, 200], 2, "delivered", None),
    ([400], 1, "failed", None),
    ([500, None, 503], 3, "retrying", DeliveryFailed),
    ([500, 500, 500], MAX_ATTEMPTS, "gave_up", GaveUp),
    ([], MAX_ATTEMPTS, "gave_up", GaveUp),  # a run that found the budget spent
])
def test_how_a_run_settles_the_delivery(statuses: list[int | None], total: int, status: str,
                                        raised: type[Exception] | None) -> None:
    ref = FakeRef()
    attempts = [_attempt(s) for s in statuses]
    if raised is None:
        _settle(ref, "winners.announced:gd2024", "sp-1", attempts, total)  # type: ignore[arg-type]
    else:
        with pytest.raises(raised):
            _settle(ref, "winners.announced:gd2024", "sp-1", attempts, total)  # type: ignore[arg-type]
    assert ref.updates[-1]["status"] == status


def test_gave_up_comes_before_pubsub_dead_letters_the_message() -> None:
    assert MAX_ATTEMPTS % TRIES_PER_RUN == 0
    assert MAX_ATTEMPTS // TRIES_PER_RUN < MAX_DELIVERY_ATTEMPTS

"""The rate limit's window logic: fixed windows, the verdict, Retry-After, the limits as settings, and the client
IP read from the right of X-Forwarded-For (a client controls the left)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from flask import Flask

from gemeentedelers.platform import settings
from gemeentedelers.platform.settings import Limit, load
from gemeentedelers.web import ratelimit
from gemeentedelers.web.ratelimit import Window, decide

EMULATORS = {"FIRESTORE_EMULATOR_HOST": "127.0.0.1:1", "PUBSUB_EMULATOR_HOST": "127.0.0.1:2"}
NOON = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def test_a_window_starts_on_a_multiple_of_its_length_and_ends_one_length_later() -> None:
    hour = Window.at(NOON + timedelta(minutes=59, seconds=59), 3600)
    assert hour.start == int(NOON.timestamp()) and hour.end == hour.start + 3600
    assert Window.at(NOON + timedelta(hours=1), 3600).start == hour.end  # the next window begins where it ends
    assert Window.at(NOON + timedelta(minutes=7), 600).start == int(NOON.timestamp())


def test_retry_after_counts_the_whole_seconds_left_and_is_never_zero() -> None:
    window = Window.at(NOON, 600)
    assert window.retry_after(NOON) == 600
    assert window.retry_after(NOON + timedelta(minutes=9, seconds=59, milliseconds=500)) == 1
    assert window.retry_after(NOON + timedelta(seconds=599.9)) == 1


def test_the_limit_lets_through_exactly_its_count() -> None:
    limit = Limit(5, 3600)
    verdicts = [decide(n, limit, NOON + timedelta(minutes=30)) for n in range(1, 8)]
    assert [v.allowed for v in verdicts] == [True] * 5 + [False] * 2
    assert verdicts[5].retry_after_s == 1800


def test_limits_are_settings_with_defaults() -> None:
    default = load({"GOOGLE_CLOUD_PROJECT": "demo-x", **EMULATORS})
    assert default.rate_limit_address == Limit(5, 3600) and default.rate_limit_ip == Limit(30, 600)
    assert default.client_ip_hop == 1
    chosen = load({"GOOGLE_CLOUD_PROJECT": "demo-x", **EMULATORS, "GD_RATE_LIMIT_ADDRESS": "3/60",
                   "GD_RATE_LIMIT_IP": "100/3600", "GD_CLIENT_IP_HOP": "2"})
    assert chosen.rate_limit_address == Limit(3, 60) and chosen.rate_limit_ip == Limit(100, 3600)
    assert chosen.client_ip_hop == 2


@pytest.mark.parametrize(("variable", "value"), [("GD_RATE_LIMIT_ADDRESS", "5"), ("GD_RATE_LIMIT_IP", "x/600"),
                                                 ("GD_RATE_LIMIT_IP", "0/600"), ("GD_CLIENT_IP_HOP", "0")])
def test_a_bad_limit_is_refused_by_name(variable: str, value: str) -> None:
    with pytest.raises(ValueError, match=variable):
        load({"GOOGLE_CLOUD_PROJECT": "demo-x", **EMULATORS, variable: value})


@pytest.fixture
def production(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(settings, "_current", load({"GOOGLE_CLOUD_PROJECT": "vng-prod", "GD_LINK_SECRET": "s"}))
    yield
    settings.reset_cache()


def _ip(headers: dict[str, str], remote: str = "10.0.0.9") -> str:
    with Flask(__name__).test_request_context("/", headers=headers, environ_base={"REMOTE_ADDR": remote}) as ctx:
        return ratelimit.client_ip(ctx.request)


def test_behind_cloud_run_the_client_is_the_entry_its_front_end_appended(production: None) -> None:
    assert _ip({"X-Forwarded-For": "203.0.113.7"}) == "203.0.113.7"
    assert _ip({"X-Forwarded-For": "1.2.3.4, 203.0.113.7"}) == "203.0.113.7"  # a forged first hop changes nothing
    assert _ip({}) == "10.0.0.9"


def test_locally_the_client_is_the_socket_peer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "_current", load({"GOOGLE_CLOUD_PROJECT": "demo-x", **EMULATORS}))
    try:
        assert _ip({"X-Forwarded-For": "203.0.113.7"}, remote="127.0.0.1") == "127.0.0.1"
    finally:
        settings.reset_cache()


def test_document_ids_hold_no_address_and_one_per_window(production: None) -> None:
    first = ratelimit.document_id("scorer-signup", "address", "sanne@example.org", Window.at(NOON, 3600))
    later = ratelimit.document_id("scorer-signup", "address", "sanne@example.org",
                                  Window.at(NOON + timedelta(hours=1), 3600))
    assert "sanne" not in first and "example" not in first and first != later
    assert first.startswith("scorer-signup:address:") and first.endswith(f":{int(NOON.timestamp())}")
    assert ratelimit.document_id("scorer-signup", "address", "other@example.org", Window.at(NOON, 3600)) != first

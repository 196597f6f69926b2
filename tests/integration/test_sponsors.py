"""Winners to sponsors' webhooks on the real local cloud: each endpoint gets the event once, signed, retried on
its own after 5xx, refused for good after a 400, however often the event is published."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from cloudtest import wait_for
from unit.notify.sponsor_receiver import Receiver

from gemeentedelers import bus, layout
from gemeentedelers.firestore import db
from gemeentedelers.intake import signatures
from gemeentedelers.localcloud.cloud import LocalCloud
from gemeentedelers.notify.sponsors_cli import sponsors

EVENT_ID = "winners.announced:gd2024"
WINNERS = {
    "winners": [
        {"category": "direct", "prize": "GemeenteDelers 2024, categorie Direct",
         "submission_id": "sub-aaaaaaaaaaaaaaaa", "title": "Samen sterk in de wijk",
         "description": "Buurtteams die samen met bewoners plannen maken.",
         "municipality": "Zwolle"},
    ],
    "finalists": [
        {"category": "direct", "submission_id": "sub-aaaaaaaaaaaaaaaa", "title": "Samen sterk in de wijk",
         "municipality": "Zwolle"},
        {"category": "indirect", "submission_id": "sub-bbbbbbbbbbbbbbbb", "title": "Eén loket voor ondernemers",
         "municipality": "Assen"},
    ],
}


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for receiver in made:
        receiver.close()


def receiver(made: list[Receiver], *script: int, default: int = 200) -> Receiver:
    made.append(Receiver(script, default=default))
    return made[-1]


def cli(*args: str) -> str:
    result = CliRunner().invoke(sponsors, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def add(name: str, url: str, secret: str | None = None) -> tuple[str, str]:
    """Register through the CLI as an organiser would; the endpoint's id and its secret."""
    output = cli("add", "--name", name, "--url", url, *(["--secret", secret] if secret else []))
    endpoint_id = re.search(r"Registered (sp-[0-9a-f]+)", output)
    assert endpoint_id, output
    if secret is None:
        shown = re.search(r"shown only now; give it to the sponsor\): (\S+)", output)
        assert shown, output
        secret = shown[1]
    return endpoint_id[1], secret


def delivery(endpoint_id: str) -> dict[str, Any]:
    return layout.sponsor_deliveries(db()).document(f"{EVENT_ID}:{endpoint_id}").get().to_dict() or {}


def settled(endpoint_id: str, status: str, duplicates: int = 0) -> bool:
    record = delivery(endpoint_id)
    return record.get("status") == status and record.get("duplicates", 0) >= duplicates


def publish() -> None:
    bus.publish("winners.announced", EVENT_ID, "gd2024", WINNERS)


def test_each_sponsor_gets_the_winners_once_signed_and_retried_on_its_own(
        fresh: LocalCloud, receivers: list[Receiver]) -> None:
    flaky = receiver(receivers, 500, 500)  # then 200: the handler's own retries get it through
    steady = receiver(receivers)
    down = receiver(receivers, 503, 503, 503, 503)  # then 200: needs a Pub/Sub redelivery, a second run
    flaky_id, flaky_secret = add("Flaky Sponsor BV", flaky.url)
    steady_id, steady_secret = add("Steady Sponsor NV", steady.url, secret="a-secret-agreed-with-steady-nv")
    down_id, _ = add("Briefly Down BV", down.url)

    publish()
    publish()  # a re-publish under the same event id races the first
    ids = (flaky_id, steady_id, down_id)
    wait_for(lambda: all(settled(i, "delivered") for i in ids), timeout_s=20, what="every delivery")
    publish()  # and one more after all were delivered
    wait_for(lambda: all(settled(i, "delivered", 2) for i in ids), timeout_s=20,
             what="the two later deliveries found settled")

    assert flaky.accepted() == steady.accepted() == down.accepted() == {EVENT_ID: 1}
    assert [r.answered for r in flaky.received()] == [500, 500, 200]
    assert [r.answered for r in steady.received()] == [200]
    for got, secret in [*((r, flaky_secret) for r in flaky.received()), (steady.received()[0], steady_secret)]:
        signatures.verify("generic", secret, got.body, got.headers)
        assert got.headers["X-GemeenteDelers-Event-Type"] == "winners.announced"
        assert got.headers["Content-Type"] == "application/json"
        body = json.loads(got.body)
        assert body["event_id"] == EVENT_ID and body["edition"] == "gd2024" and body["schema_version"] == 1
        assert body["winners"] == WINNERS["winners"] and body["finalists"] == WINNERS["finalists"]
    assert len({r.body for r in flaky.received()}) == 1, "every attempt sends the same stored bytes"
    assert [r.headers["X-GemeenteDelers-Delivery-Attempt"] for r in flaky.received()] == ["1", "2", "3"]

    flaky_record, steady_record = delivery(flaky_id), delivery(steady_id)
    assert flaky_record["attempt_count"] == 3 and steady_record["attempt_count"] == 1
    attempts = sorted(flaky_record["attempts"], key=lambda a: a["at"])
    assert [a["status_code"] for a in attempts] == [500, 500, 200]
    assert all(a["duration_ms"] >= 0 and a["error"] is None for a in attempts)
    assert (attempts[1]["at"] - attempts[0]["at"]).total_seconds() >= 0.3, "the backoff waited between tries"
    assert [a["status_code"] for a in steady_record["attempts"]] == [200]
    assert flaky_record["url"] == flaky.url and steady_record["event_id"] == EVENT_ID

    down_record = delivery(down_id)
    assert [r.answered for r in down.received()] == [503, 503, 503, 503, 200]
    assert [r.headers["X-GemeenteDelers-Delivery-Attempt"] for r in down.received()] == ["1", "2", "3", "4", "5"]
    assert down_record["attempt_count"] == 5
    assert [a["status_code"] for a in sorted(down_record["attempts"], key=lambda a: a["at"])] == [503] * 4 + [200]


def test_a_400_is_refused_for_good_and_a_disabled_sponsor_gets_nothing(
        fresh: LocalCloud, receivers: list[Receiver]) -> None:
    refusing = receiver(receivers, default=400)
    disabled = receiver(receivers)
    refusing_id, _ = add("Strict Sponsor", refusing.url)
    disabled_id, _ = add("Former Sponsor", disabled.url)
    assert f"Disabled {disabled_id}" in cli("disable", disabled_id)
    listed = cli("list")
    assert re.search(rf"{refusing_id}\s+active\s+Strict Sponsor", listed)
    assert re.search(rf"{disabled_id}\s+disabled\s+Former Sponsor", listed)

    publish()
    wait_for(lambda: settled(refusing_id, "failed"), timeout_s=20, what="the refused delivery")
    publish()
    wait_for(lambda: settled(refusing_id, "failed", 1), timeout_s=20, what="the re-published event found it settled")

    assert [r.answered for r in refusing.received()] == [400], "a 400 is never retried"
    record = delivery(refusing_id)
    assert record["attempt_count"] == 1 and [a["status_code"] for a in record["attempts"]] == [400]
    assert "scripted failure" in record["attempts"][0]["response"]
    assert disabled.received() == [] and delivery(disabled_id) == {}
    shown = cli("deliveries", "--event", EVENT_ID)
    assert re.search(rf"{EVENT_ID}\s+{refusing_id}\s+failed\s+1 attempt\(s\)\s+last: HTTP 400", shown), shown


def test_registering_a_plain_http_url_is_refused(fresh: LocalCloud) -> None:
    result = CliRunner().invoke(sponsors, ["add", "--name", "Careless", "--url", "http://sponsor.example.nl/h"])
    assert result.exit_code == 1
    assert "must use https" in result.output
    assert list(layout.sponsor_endpoints(db()).stream()) == []


def test_disabling_an_unknown_endpoint_says_so(fresh: LocalCloud) -> None:
    result = CliRunner().invoke(sponsors, ["disable", "sp-0000000000"])
    assert result.exit_code == 1 and "no sponsor endpoint 'sp-0000000000'" in result.output

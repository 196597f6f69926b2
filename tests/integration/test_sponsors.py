"""Winners to sponsors' webhooks on the real local cloud: each endpoint gets the event once, signed, retried on
its own after 5xx, refused for good after a 400, however often the event is published."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner
from cloudtest import wait_for
from unit.notify.sponsor_receiver import Receiver

from gemeentedelers.cli.sponsors import sponsors
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.intake import signatures
from gemeentedelers.notify import sponsors as core
from gemeentedelers.notify.sponsors import MAX_ATTEMPTS
from gemeentedelers.platform import bus, layout
from gemeentedelers.platform.firestore import db

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
    """Announce as the jury does: the result stored as announced, then the event (notify reads the result)."""
    from datetime import UTC, datetime

    layout.winners(db(), "gd2024").document("result").set(
        {"status": "announced", "confirmed": True, "announced_at": datetime.now(UTC), "decision_id": "r3-test",
         **WINNERS}, merge=True)
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


# -- redelivery by an organiser -----------------------------------------------------------------------------------


def refused(*args: str) -> str:
    """Run a CLI command that must be refused: exit code 1, the reason, no traceback."""
    result = CliRunner().invoke(sponsors, list(args))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # click's exit, not an error raised
    assert result.output.startswith("Error: ") and "Traceback" not in result.output, result.output
    return result.output


def redelivered(endpoint_id: str, count: int = 1) -> bool:
    record = delivery(endpoint_id)
    return record.get("status") == "delivered" and len(record.get("redeliveries", [])) == count


def test_a_sponsor_that_was_down_past_the_retries_gets_the_winners_once_when_redelivered(
        fresh: LocalCloud, receivers: list[Receiver]) -> None:
    down = receiver(receivers, default=500)
    steady = receiver(receivers)
    down_id, down_secret = add("Down All Day BV", down.url)
    steady_id, steady_secret = add("Steady Sponsor NV", steady.url)

    publish()
    wait_for(lambda: settled(steady_id, "delivered"), timeout_s=20, what="the steady sponsor's delivery")
    wait_for(lambda: settled(down_id, "gave_up"), timeout_s=120, what="the down sponsor's delivery to give up")
    assert [r.answered for r in down.received()] == [500] * MAX_ATTEMPTS
    original = down.received()[0]

    wait_for(lambda: any(d.to_dict().get("event_id") == core.delivery_event_id(EVENT_ID, down_id)
                         for d in layout.dead_letters(db()).stream()), timeout_s=60,
             what="the message in gd-dead-letter, kept by notify")
    down.set_default(200)  # the sponsor fixed its system
    shown = cli("redeliver", "--dry-run")
    assert f"Dry run: {EVENT_ID} would be redelivered to 1 endpoint(s):" in shown
    assert re.search(rf"{down_id}  Down All Day BV  <{re.escape(down.url)}>  \(gave_up, 24 attempt\(s\), "
                     r"last: HTTP 500\)", shown), shown
    assert f"Left alone: {steady_id} (Steady Sponsor NV) was delivered already" in shown
    assert delivery(down_id)["status"] == "gave_up", "a dry run changes nothing"

    done = cli("redeliver", "--by", "anna")
    assert f"Redelivering {EVENT_ID} to {down_id}" in done and steady_id in done  # steady: left alone
    wait_for(lambda: redelivered(down_id), timeout_s=20, what="the redelivery")

    assert down.accepted() == {EVENT_ID: 1} and steady.accepted() == {EVENT_ID: 1}
    assert [r.answered for r in down.received()] == [500] * MAX_ATTEMPTS + [200]
    got = down.received()[-1]
    signatures.verify("generic", down_secret, got.body, got.headers)
    assert got.event_id == EVENT_ID and got.body == original.body, "the same stored bytes, the same event id"
    assert got.headers["X-GemeenteDelers-Delivery-Attempt"] == str(MAX_ATTEMPTS + 1)
    record = delivery(down_id)
    assert record["attempt_count"] == MAX_ATTEMPTS + 1 and record["budget_from"] == MAX_ATTEMPTS
    [request] = record["redeliveries"]
    assert request["by"] == "anna" and request["previous_status"] == "gave_up" and request["forced"] is False
    assert request["attempts_before"] == MAX_ATTEMPTS and record["last_redelivery"] == request
    assert re.search(rf"{down_id}\s+delivered\s+25 attempt\(s\)\s+last: HTTP 200\s+redelivered by anna at ",
                     cli("deliveries", "--event", EVENT_ID))

    # nothing left to redeliver; a delivered endpoint only when named, with --force
    assert "nothing to redeliver" in refused("redeliver")
    assert "was delivered already; give its endpoint id with --force" in refused("redeliver", steady_id)
    assert "--force needs an endpoint id" in refused("redeliver", "--force")
    assert f"Redelivering {EVENT_ID} to {steady_id}" in cli("redeliver", steady_id, "--force", "--by", "ben")
    wait_for(lambda: redelivered(steady_id), timeout_s=20, what="the forced redelivery")
    assert steady.accepted() == {EVENT_ID: 2}, "forced: sent once more, under the same event id"
    for got in steady.received():
        signatures.verify("generic", steady_secret, got.body, got.headers)
    forced = delivery(steady_id)["last_redelivery"]
    assert forced["by"] == "ben" and forced["forced"] is True and forced["previous_status"] == "delivered"
    assert down.accepted() == {EVENT_ID: 1}


def test_redelivering_a_refused_event_and_to_a_late_sponsor_once_however_often_asked(
        fresh: LocalCloud, receivers: list[Receiver], monkeypatch: pytest.MonkeyPatch) -> None:
    strict = receiver(receivers, 400)  # a bug on the sponsor's side, fixed after the announcement
    steady = receiver(receivers)
    former = receiver(receivers)
    strict_id, strict_secret = add("Strict Sponsor", strict.url)
    steady_id, _ = add("Steady Sponsor NV", steady.url)
    former_id, _ = add("Former Sponsor", former.url)
    cli("disable", former_id)
    assert "the winners of gd2024 are not announced yet" in refused("redeliver")
    assert "not announced yet" in refused("redeliver", strict_id, "--edition", "gd2024")

    publish()
    wait_for(lambda: settled(strict_id, "failed") and settled(steady_id, "delivered"), timeout_s=20,
             what="the announcement's deliveries")
    late = receiver(receivers)
    late_id, late_secret = add("Late Sponsor", late.url)  # registered after the announcement

    assert "no sponsor endpoint 'sp-0000000000'" in refused("redeliver", "sp-0000000000")
    assert f"sponsor endpoint {former_id} (Former Sponsor) is disabled" in refused("redeliver", former_id)
    shown = cli("redeliver", "--dry-run")
    assert "would be redelivered to 2 endpoint(s)" in shown
    assert f"{strict_id}  Strict Sponsor" in shown and "(failed, 1 attempt(s), last: HTTP 400)" in shown
    assert f"{late_id}  Late Sponsor  <{late.url}>  (never delivered)" in shown
    assert former_id not in shown and delivery(late_id) == {}

    # a publish that fails undoes the queueing, so running it again is all it takes
    with monkeypatch.context() as broken:
        def down(*args: object) -> str:
            raise bus.PublishFailed("1 of 1 publishes failed: deadline exceeded")

        broken.setattr(core.bus, "publish", down)
        result = CliRunner().invoke(sponsors, ["redeliver"])
    assert result.exit_code == 1 and result.output.count("publishing failed (PublishFailed: 1 of 1") == 2, result.output
    assert delivery(late_id) == {} and delivery(strict_id)["status"] == "failed"
    undone = delivery(strict_id)
    assert "redeliveries" not in undone and "last_redelivery" not in undone and undone["budget_from"] == 0

    # two organisers redeliver at the same moment: each endpoint is queued, and posted, once
    outcomes: list[object] = []

    def organiser(name: str) -> None:
        try:
            outcomes.append(core.redeliver(db(), "gd2024", by=name))
        except core.RedeliveryRefused as problem:
            outcomes.append(problem)

    both = [threading.Thread(target=organiser, args=(name,)) for name in ("anna", "ben")]
    for thread in both:
        thread.start()
    for thread in both:
        thread.join()
    queued = [t.endpoint.endpoint_id for o in outcomes if isinstance(o, core.Redelivery) for t in o.queued]
    assert sorted(queued) == sorted([strict_id, late_id]), outcomes
    wait_for(lambda: redelivered(strict_id) and redelivered(late_id), timeout_s=20, what="both redeliveries")
    assert "nothing to redeliver" in refused("redeliver")

    assert strict.accepted() == late.accepted() == steady.accepted() == {EVENT_ID: 1}
    assert [r.answered for r in strict.received()] == [400, 200]
    for got, secret in [(strict.received()[-1], strict_secret), (late.received()[0], late_secret)]:
        signatures.verify("generic", secret, got.body, got.headers)
        assert got.event_id == EVENT_ID and json.loads(got.body)["winners"] == WINNERS["winners"]
    assert former.received() == []
    strict_record, late_record = delivery(strict_id), delivery(late_id)
    assert strict_record["attempt_count"] == 2 and strict_record["last_redelivery"]["previous_status"] == "failed"
    assert late_record["attempt_count"] == 1 and late_record["last_redelivery"]["previous_status"] is None
    assert {strict_record["last_redelivery"]["by"], late_record["last_redelivery"]["by"]} <= {"anna", "ben"}


def test_the_real_announcement_matches_the_published_schema_and_standard_tools_verify_it(
        fresh: LocalCloud, receivers: list[Receiver]) -> None:
    """The jury's own announcement: a sponsor's subscription gets a message valid against the committed JSON
    Schema, with CloudEvents attributes; the webhook verifies with ``standardwebhooks`` and the ``whsec_`` secret
    ``sponsors add`` printed, and the cloudevents SDK reads its headers."""
    import base64
    from datetime import timedelta

    import jsonschema
    import requests
    from cloudevents.http import from_http
    from standardwebhooks import Webhook

    from gemeentedelers.devtools import schemas
    from gemeentedelers.editions import get_edition
    from gemeentedelers.jury.round3 import announce_if_due

    webhook = receiver(receivers)
    output = cli("add", "--name", "Standard Sponsor BV", "--url", webhook.url)
    whsec = re.search(r"\(webhook-signature\): (whsec_\S+)", output)
    assert whsec, output
    pubsub = f"http://{fresh.state['pubsub_emulator_host']}/v1/projects/{fresh.project}"
    requests.put(f"{pubsub}/subscriptions/sponsor-own-winners", timeout=10,
                 json={"topic": f"projects/{fresh.project}/topics/gd-winners-announced"}).raise_for_status()
    edition = get_edition("gd2024")
    layout.winners(db(), "gd2024").document("result").set(
        {"status": "embargoed", "confirmed": True, "decision_id": "r3-test", **WINNERS})
    assert announce_if_due(db(), edition, edition.timeline.winners_announced + timedelta(minutes=1)).status == \
        "announced"

    def pulled() -> list[dict[str, Any]]:
        answer = requests.post(f"{pubsub}/subscriptions/sponsor-own-winners:pull", timeout=10,
                               json={"maxMessages": 10, "returnImmediately": True})
        return list(answer.json().get("receivedMessages", []))

    [message] = wait_for(pulled, what="the message on the sponsor's own subscription")
    data = json.loads(base64.b64decode(message["message"]["data"]))
    jsonschema.validate(data, json.loads(schemas.path().read_text(encoding="utf-8")))
    attributes = message["message"]["attributes"]
    assert attributes["ce-specversion"] == "1.0" and attributes["ce-id"] == EVENT_ID
    assert attributes["ce-type"] == "nl.vng.gemeentedelers.winners.announced.v1"
    assert attributes["ce-source"] == "/gemeentedelers/jury/gd2024" and attributes["ce-time"] == data["occurred_at"]

    [got] = wait_for(webhook.received, what="the webhook")
    verified = Webhook(whsec[1]).verify(got.body, got.headers)
    assert verified["winners"] == WINNERS["winners"]
    jsonschema.validate(verified, json.loads(schemas.path().read_text(encoding="utf-8")))
    event = from_http(got.headers, got.body)
    assert event["id"] == EVENT_ID and event["type"] == "nl.vng.gemeentedelers.winners.announced.v1"
    assert event.data["event_id"] == EVENT_ID

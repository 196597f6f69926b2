"""The local cloud itself: what it records, what each function says it owns, and what it refuses."""

from __future__ import annotations

import base64
import json

import pytest
import requests

from gemeentedelers.devtools.localcloud.cloud import LocalCloud, function_specs
from gemeentedelers.platform.events import CATALOGUE, DEAD_LETTER_KEEPER, DEAD_LETTER_TOPIC, SERVICES


def test_the_state_file_names_everything(cloud: LocalCloud) -> None:
    assert cloud.state_file is not None
    state = json.loads(cloud.state_file.read_text())
    assert state["project"].startswith("demo-")
    for key in ("firestore_emulator_host", "pubsub_emulator_host", "smtp", "functions", "webhook_secrets", "pids"):
        assert key in state
    assert set(state["functions"]) == {spec.name for spec in function_specs()}
    assert set(state["webhook_secrets"]) == {"typeform", "tally", "generic"}


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_answers_its_health_and_contract(cloud: LocalCloud, service: str) -> None:
    base = cloud.url(f"{service}-http")
    assert requests.get(f"{base}/healthz", timeout=5).json()["status"] == "ok"
    contract = requests.get(f"{base}/contract", timeout=5).json()
    assert contract["service"] == service
    assert contract["subscribes"] == [t.event_type for t in CATALOGUE if service in t.subscribers]
    assert contract["publishes"] == [t.event_type for t in CATALOGUE if t.publisher == service]


def test_the_emulator_has_one_push_subscription_per_subscriber(cloud: LocalCloud) -> None:
    host, project = cloud.state["pubsub_emulator_host"], cloud.project
    subs = requests.get(f"http://{host}/v1/projects/{project}/subscriptions", timeout=5).json()["subscriptions"]
    pushed = {s["name"].rsplit("/", 1)[1]: s for s in subs if s.get("pushConfig", {}).get("pushEndpoint")}
    expected = {f"{svc}--{t.topic}" for t in CATALOGUE for svc in t.subscribers}
    assert set(pushed) == expected | {f"{DEAD_LETTER_KEEPER}--{DEAD_LETTER_TOPIC}"}
    keeper = pushed.pop(f"{DEAD_LETTER_KEEPER}--{DEAD_LETTER_TOPIC}")
    assert keeper["pushConfig"]["pushEndpoint"].startswith(cloud.url(f"{DEAD_LETTER_KEEPER}-events"))
    assert "deadLetterPolicy" not in keeper  # a dead letter is retried until it is kept
    minimum, maximum = cloud.retry_backoff_s
    for sub in [*pushed.values(), keeper]:
        assert sub["retryPolicy"] == {"minimumBackoff": f"{minimum:g}s", "maximumBackoff": f"{maximum:g}s"}
    for sub in pushed.values():
        assert sub["deadLetterPolicy"]["deadLetterTopic"].endswith("/gd-dead-letter")


def test_a_real_project_id_is_refused() -> None:
    with pytest.raises(ValueError, match="demo-"):
        LocalCloud(project="vng-gemeentedelers-prod")


def push_body(event: dict[str, object], message_id: str) -> dict[str, object]:
    """What the Pub/Sub emulator posts to a push endpoint."""
    data = base64.b64encode(json.dumps(event).encode()).decode()
    return {"message": {"data": data, "attributes": {"event_type": str(event["event_type"])},
                        "messageId": message_id, "publishTime": "2026-12-01T10:00:00Z"},
            "subscription": "projects/x/subscriptions/forged"}


def test_a_push_without_the_local_push_token_is_refused(fresh: LocalCloud) -> None:
    """The emulator sends no credentials, so the local cloud's pushes carry a token; a forged push lacks it."""
    from gemeentedelers.platform import layout
    from gemeentedelers.platform.firestore import db

    project = fresh.project
    event = {"event_id": "submission.received:sub-forged00000000", "event_type": "submission.received",
             "schema_version": 1, "edition": "gd2024", "occurred_at": "2026-12-01T10:00:00+00:00",
             "submission_id": "sub-forged00000000", "municipality": "Nergenshuizen", "title": "Vals",
             "description": "Een vervalst bericht.", "category": "direct", "contact_name": "Iemand",
             "contact_email": "doelwit@example.org", "language": "nl"}
    url = f"{fresh.url('scoring-events')}/projects/{project}/topics/gd-submission-received"
    for query in ("", "?push_token=wrong"):
        answer = requests.post(url + query, json=push_body(event, "forged-1"), timeout=10)
        assert answer.status_code == 403, answer.text
    assert layout.round1_entries(db(), "gd2024").document("sub-forged00000000").get().exists is False
    token = fresh.state["push_token"]  # the door opens with the token (what the event may then do: test_trust.py)
    assert requests.post(f"{url}?push_token={token}", json=push_body(event, "forged-2"), timeout=10).ok


def test_health_names_the_build(cloud: LocalCloud) -> None:
    health = requests.get(f"{cloud.url('jury-http')}/healthz", timeout=5).json()
    assert health["commit"] == cloud.state["build_commit"] and health["commit"] != ""
    assert health["version"]

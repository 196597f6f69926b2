"""The local cloud itself: what it records, what each function says it owns, and what it refuses."""

from __future__ import annotations

import json

import pytest
import requests

from gemeentedelers.devtools.localcloud.cloud import LocalCloud, function_specs
from gemeentedelers.platform.events import CATALOGUE, SERVICES


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
    assert set(pushed) == expected
    for sub in pushed.values():
        assert sub["deadLetterPolicy"]["deadLetterTopic"].endswith("/gd-dead-letter")


def test_a_real_project_id_is_refused() -> None:
    with pytest.raises(ValueError, match="demo-"):
        LocalCloud(project="vng-gemeentedelers-prod")

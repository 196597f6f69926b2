"""Decoding pushed Pub/Sub messages into events, as functions-framework hands them to an event function."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from cloudevents.http import CloudEvent

from gemeentedelers.platform.bus import attributes, envelope
from gemeentedelers.platform.consumer import NewerVersion, PoisonMessage, decode


def pushed(body: Any, attributes: dict[str, str] | None = None) -> CloudEvent:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return CloudEvent(
        {"type": "google.cloud.pubsub.topic.v1.messagePublished", "source": "//pubsub/projects/p/topics/t",
         "id": "m-1"},
        {"message": {"data": base64.b64encode(raw).decode(), "attributes": attributes or {}, "messageId": "m-1"}},
    )


def decided(**overrides: Any) -> dict[str, Any]:
    body = {"round": 1, "decision_id": "d"}
    return {**envelope("round.decided", "round.decided:gd2024:1", "gd2024", body), **overrides}


def test_a_valid_event_decodes() -> None:
    event = decode(pushed(decided(), {"event_type": "round.decided"}))
    assert event.event_type == "round.decided" and event.event_id == "round.decided:gd2024:1"
    assert event.message_id == "m-1" and event.data["decision_id"] == "d"


def test_a_version_1_message_still_decodes_and_its_lists_are_ignored() -> None:
    event = decode(pushed(decided(schema_version=1, advancing=["forged"], not_advancing=[])))
    assert event.data["decision_id"] == "d" and "advancing" not in event.data


def test_what_an_event_may_not_decide_never_reaches_a_handler() -> None:
    """A feedback path (another case's draft) and a contact (a spam relay) in an event are dropped at the door:
    notify builds the path from the submission id and reads the contact from the stored registration."""
    feedback = {**envelope("feedback.ready", "feedback.ready:gd2024:1:sub-a", "gd2024",
                           {"round": 1, "submission_id": "sub-a"}),
                "schema_version": 1, "feedback_path": "editions/gd2024/feedback/r1-sub-b"}
    assert "feedback_path" not in decode(pushed(feedback, {"event_type": "feedback.ready"})).data
    received = {**envelope("submission.received", "submission.received:sub-a", "gd2024", {"submission_id": "sub-a"}),
                "schema_version": 1, "contact_email": "victim@example.org", "contact": {"email": "victim@example.org"}}
    data = decode(pushed(received, {"event_type": "submission.received"})).data
    assert "victim@example.org" not in json.dumps(data, default=str)


def test_a_newer_version_is_retried_not_kept_as_poison() -> None:
    with pytest.raises(NewerVersion):
        decode(pushed(decided(schema_version=3)))


def test_every_message_carries_the_cloudevents_attributes() -> None:
    data = envelope("round.decided", "round.decided:gd2024:1", "gd2024", {"round": 1, "decision_id": "d"})
    found = attributes(data)
    assert found["ce-specversion"] == "1.0" and found["ce-id"] == "round.decided:gd2024:1"
    assert found["ce-type"] == "nl.vng.gemeentedelers.round.decided.v2" and found["schema_version"] == "2"
    assert found["ce-source"] == "/gemeentedelers/scoring/gd2024" and found["content-type"] == "application/json"


def test_the_type_may_come_from_the_body_alone() -> None:
    assert decode(pushed(decided())).event_type == "round.decided"


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"not json", "not base64 JSON"),
        ([1, 2], "not a JSON object"),
        ({"event_type": "round.unknown"}, "unknown event type"),
        (None, "invalid"),
    ],
)
def test_unfixable_messages_are_poison(body: Any, reason: str) -> None:
    if body is None:
        body = decided(round=7)
    with pytest.raises(PoisonMessage, match=reason):
        decode(pushed(body))


def test_publishing_validates_against_the_catalogue() -> None:
    with pytest.raises(ValueError, match="decision_id"):
        envelope("round.decided", "x", "gd2024", {"round": 1})


def test_publish_many_checks_every_event_before_sending_any() -> None:
    """A bad event in a batch stops the batch before a client is even needed (no half-sent batch)."""
    from gemeentedelers.platform import bus

    good = ("round.decided", "a", "gd2024", {"round": 1, "decision_id": "d"})
    bad = ("round.decided", "b", "gd2024", {"round": 1})
    with pytest.raises(ValueError, match="decision_id"):
        bus.publish_many([good, bad])

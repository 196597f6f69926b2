"""Publishing events: validated against the catalogue, and confirmed before the caller goes on.

A publish that is not confirmed within the timeout raises: the caller answers with an error so the sender
retries, and nothing is lost silently (``platform.outbox`` keeps what must reach the bus even then). The
publisher client is created lazily, once per process.

Every message also carries the CloudEvents attributes of the Pub/Sub protocol binding in binary mode
(``ce-specversion``, ``ce-id``, ``ce-type``, ``ce-source``, ``ce-time`` and ``content-type``), so a sponsor's
CloudEvents SDK reads ``winners.announced`` without knowing our envelope.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError

from gemeentedelers.platform import settings
from gemeentedelers.platform.events import topic_for

log = logging.getLogger(__name__)

PUBLISH_TIMEOUT_S = 30.0

_publisher: Any = None
_lock = threading.Lock()


class PublishFailed(RuntimeError):
    """Pub/Sub did not confirm a publish."""


def _client() -> Any:
    global _publisher
    if _publisher is None:
        with _lock:
            if _publisher is None:
                from google.cloud import (
                    pubsub_v1,  # deferred: ~300 ms of cold start for functions that never publish
                )

                _publisher = pubsub_v1.PublisherClient()
    return _publisher


def envelope(event_type: str, event_id: str, edition: str, body: dict[str, Any]) -> dict[str, Any]:
    """The full event body, validated against its schema; raises ``ValueError`` naming bad fields."""
    topic = topic_for(event_type)
    data = {
        "event_id": event_id,
        "event_type": event_type,
        "schema_version": topic.version,
        "edition": edition,
        "occurred_at": datetime.now(UTC).isoformat(),
        **body,
    }
    schema = topic.schema()
    try:
        schema.load(data)
    except ValidationError as error:
        raise ValueError(f"event {event_type} does not match its schema: {error.messages}") from error
    return data


Event = tuple[str, str, str, dict[str, Any]]
"""``(event_type, event_id, edition, body)``."""

CLOUDEVENTS_SPEC = "1.0"
CLOUDEVENTS_TYPE_PREFIX = "nl.vng.gemeentedelers."


def attributes(data: dict[str, Any]) -> dict[str, str]:
    """The message attributes of an enveloped body: our envelope's, then the CloudEvents binding's."""
    topic = topic_for(data["event_type"])
    return {
        "event_type": data["event_type"],
        "event_id": data["event_id"],
        "schema_version": str(data["schema_version"]),
        "edition": data["edition"],
        "ce-specversion": CLOUDEVENTS_SPEC,
        "ce-id": data["event_id"],
        "ce-type": f"{CLOUDEVENTS_TYPE_PREFIX}{data['event_type']}.v{data['schema_version']}",
        "ce-source": f"/gemeentedelers/{topic.publisher}/{data['edition']}",
        "ce-time": str(data["occurred_at"]),
        "content-type": "application/json",
    }


def publish(event_type: str, event_id: str, edition: str, body: dict[str, Any]) -> str:
    """Publish one event and wait for Pub/Sub's confirmation; returns the message id."""
    return publish_many([(event_type, event_id, edition, body)])[0]


def publish_many(events: Iterable[Event]) -> list[str]:
    """Publish several events, then wait for every confirmation (not one round trip after another).

    Every event is validated before any is sent. If any publish is not confirmed, :class:`PublishFailed` names
    them all; the caller repeats the whole call, and consumers deduplicate on the event ids.
    """
    prepared = [(event_type, event_id, edition, envelope(event_type, event_id, edition, body))
                for event_type, event_id, edition, body in events]
    publisher = _client()
    project = settings.current().project
    sent = [
        (event_type, event_id, publisher.publish(
            publisher.topic_path(project, topic_for(event_type).topic),
            json.dumps(data, default=str, ensure_ascii=False).encode("utf-8"),
            **attributes(data),
        ))
        for event_type, event_id, edition, data in prepared
    ]
    confirmed, failed = [], []
    for event_type, event_id, future in sent:
        try:
            confirmed.append(str(future.result(timeout=PUBLISH_TIMEOUT_S)))
            log.info("published %s %s", event_type, event_id)  # who publishes what: the deployment grants it
        except Exception as error:
            failed.append(f"{event_type} {event_id}: {error}")
    if failed:
        raise PublishFailed(f"{len(failed)} of {len(sent)} publishes failed: " + "; ".join(failed[:5]))
    return confirmed


def publish_raw(topic: str, data: bytes, attributes: dict[str, str]) -> str:
    """Publish bytes as they are (a dead letter's original message) to ``topic``; returns the message id."""
    publisher = _client()
    future = publisher.publish(publisher.topic_path(settings.current().project, topic), data, **attributes)
    try:
        return str(future.result(timeout=PUBLISH_TIMEOUT_S))
    except Exception as error:
        raise PublishFailed(f"publish to {topic} failed: {error}") from error

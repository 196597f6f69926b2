"""Publishing events: validated against the catalogue, and confirmed before the caller goes on.

A publish that is not confirmed within the timeout raises: the caller answers with an error so the sender
retries, and nothing is lost silently. The publisher client is created lazily, once per process.
"""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError

from gemeentedelers import settings
from gemeentedelers.events import SCHEMA_VERSION, topic_for

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
        "schema_version": SCHEMA_VERSION,
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


def publish(event_type: str, event_id: str, edition: str, body: dict[str, Any]) -> str:
    """Publish one event and wait for Pub/Sub's confirmation; returns the message id."""
    data = envelope(event_type, event_id, edition, body)
    topic = topic_for(event_type)
    publisher = _client()
    path = publisher.topic_path(settings.current().project, topic.topic)
    future = publisher.publish(
        path,
        json.dumps(data, default=str, ensure_ascii=False).encode("utf-8"),
        event_type=event_type,
        event_id=event_id,
        schema_version=str(SCHEMA_VERSION),
        edition=edition,
    )
    try:
        return str(future.result(timeout=PUBLISH_TIMEOUT_S))
    except Exception as error:
        raise PublishFailed(f"publishing {event_type} {event_id} to {topic.topic} failed: {error}") from error

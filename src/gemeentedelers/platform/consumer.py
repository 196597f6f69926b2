"""Turning a Pub/Sub push (as a CloudEvent) into a validated event, and routing it to a handler.

Raise to be retried, return to ack (see python-docs-samples' tips-retry). A message that can never be
handled (not JSON, wrong schema, unknown type) is kept in Firestore's ``poison_messages`` and acked, so it
neither blocks the subscription with endless redelivery nor disappears.
"""

from __future__ import annotations

import base64
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError

from gemeentedelers.platform.events import topic_for

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Event:
    event_type: str
    event_id: str
    edition: str
    data: dict[str, Any]
    message_id: str
    attributes: dict[str, str]


class PoisonMessage(ValueError):
    """A message no retry can make acceptable."""


def message_id_of(cloud_event: Any) -> str:
    message = (cloud_event.data or {}).get("message") or {}
    return str(message.get("messageId") or message.get("message_id") or cloud_event["id"])


def decode(cloud_event: Any) -> Event:
    """The event inside a ``google.cloud.pubsub.topic.v1.messagePublished`` CloudEvent."""
    message = (cloud_event.data or {}).get("message") or {}
    attributes = dict(message.get("attributes") or {})
    message_id = message_id_of(cloud_event)
    try:
        raw = base64.b64decode(message.get("data") or "", validate=True)
        body = json.loads(raw)
    except (ValueError, TypeError) as error:
        raise PoisonMessage(f"message {message_id}: body is not base64 JSON ({error})") from error
    if not isinstance(body, dict):
        raise PoisonMessage(f"message {message_id}: body is not a JSON object")
    event_type = attributes.get("event_type") or body.get("event_type")
    try:
        topic = topic_for(str(event_type))
    except KeyError as error:
        raise PoisonMessage(f"message {message_id}: {error}") from error
    try:
        data = topic.schema().load(body)
    except ValidationError as error:
        raise PoisonMessage(f"message {message_id}: {event_type} invalid: {error.messages}") from error
    return Event(topic.event_type, data["event_id"], data["edition"], data, message_id, attributes)


Handler = Callable[[Event], None]


class Consumer:
    """One service's event function: a handler per event type it subscribes to."""

    def __init__(self, service: str):
        self.service = service
        self.handlers: dict[str, Handler] = {}

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        topic_for(event_type)

        def register(handler: Handler) -> Handler:
            self.handlers[event_type] = handler
            return handler

        return register

    def __call__(self, cloud_event: Any) -> None:
        try:
            event = decode(cloud_event)
            handler = self.handlers.get(event.event_type)
            if handler is None:
                raise PoisonMessage(f"{self.service} has no handler for {event.event_type}")
        except PoisonMessage as error:
            self._keep_poison(cloud_event, str(error))
            return
        log.info("%s handling %s %s (message %s)", self.service, event.event_type, event.event_id, event.message_id)
        handler(event)

    def _keep_poison(self, cloud_event: Any, reason: str) -> None:
        from gemeentedelers.platform import layout
        from gemeentedelers.platform.firestore import db

        message = (cloud_event.data or {}).get("message") or {}
        message_id = message_id_of(cloud_event)
        log.error("%s keeping poison message %s: %s", self.service, message_id, reason)
        layout.poison_message(db(), self.service, message_id).set(
            {"service": self.service, "reason": reason, "message": message, "received_at": datetime.now(UTC)}
        )

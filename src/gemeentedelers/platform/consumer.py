"""Turning a Pub/Sub push (as a CloudEvent) into a validated event, and routing it to a handler.

Raise to be retried, return to ack (see python-docs-samples' tips-retry). A message that can never be
handled (not JSON, wrong schema, unknown type) is kept in Firestore's ``poison_messages`` and acked, so it
neither blocks the subscription with endless redelivery nor disappears.

Who may push: in production the event functions take internal traffic only and Cloud Run checks the push
subscription's OIDC token (infra/README.md). The Pub/Sub emulator sends no credentials, so the local cloud
puts a random ``?push_token=`` in every push endpoint and the functions refuse a push without it (403).
"""

from __future__ import annotations

import base64
import hmac
import json
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from marshmallow import ValidationError

from gemeentedelers.platform import logs, settings
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
    event_id = data["event_id"] or f"{topic.event_type}:{message_id}"  # a tick carries no id of its own
    return Event(topic.event_type, event_id, data["edition"] or "", data, message_id, attributes)


class PushRefused(PermissionError):
    """A push without the local cloud's push token: not from our Pub/Sub subscriptions."""


def check_push(query_token: str | None) -> None:
    """Refuse a push that lacks the push token, where one is configured (the local cloud only)."""
    expected = settings.current().push_token
    if expected and not hmac.compare_digest((query_token or "").encode(), expected.encode()):
        raise PushRefused("push refused: missing or wrong push_token")


def _query_token() -> str | None:
    from flask import has_request_context, request

    return request.args.get("push_token") if has_request_context() else None


Handler = Callable[[Event], None]


class Consumer:
    """One service's event function: a handler per event type it subscribes to."""

    def __init__(self, service: str):
        self.service = service
        self.handlers: dict[str, Handler] = {}
        logs.configure(service)

    def on(self, event_type: str) -> Callable[[Handler], Handler]:
        topic_for(event_type)

        def register(handler: Handler) -> Handler:
            self.handlers[event_type] = handler
            return handler

        return register

    def __call__(self, cloud_event: Any) -> None:
        try:
            check_push(_query_token())
        except PushRefused as refused:
            from werkzeug.exceptions import Forbidden

            log.warning("%s: %s", self.service, refused)
            raise Forbidden(str(refused)) from None
        try:
            event = decode(cloud_event)
            handler = self.handlers.get(event.event_type)
            if handler is None:
                raise PoisonMessage(f"{self.service} has no handler for {event.event_type}")
        except PoisonMessage as error:
            self._keep_poison(cloud_event, str(error))
            return
        logs.set_edition(event.edition)
        log.info("%s handling %s %s (message %s)", self.service, event.event_type, event.event_id, event.message_id)
        handler(event)

    def _keep_poison(self, cloud_event: Any, reason: str) -> None:
        from gemeentedelers.platform import layout, retention
        from gemeentedelers.platform.firestore import db

        message = (cloud_event.data or {}).get("message") or {}
        message_id = message_id_of(cloud_event)
        log.error("%s keeping poison message %s: %s", self.service, message_id, reason)
        layout.poison_message(db(), self.service, message_id).set(
            {"service": self.service, "reason": reason, "message": message, "received_at": datetime.now(UTC),
             retention.EXPIRES_AT: retention.expires_at("poison_messages")}
        )

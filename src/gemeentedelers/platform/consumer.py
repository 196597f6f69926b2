"""Turning a Pub/Sub push (as a CloudEvent) into a validated event, and routing it to a handler.

Raise to be retried, return to ack (see python-docs-samples' tips-retry). A message that can never be
handled (not JSON, wrong schema, unknown type) is kept in Firestore's ``poison_messages`` and acked, so it
neither blocks the subscription with endless redelivery nor disappears. A message of a newer schema version than
this code knows is retried instead (a deployment is under way), and ends in the dead-letter topic if it stays so.
A known event type this service has no handler for cannot come from our subscriptions: it is logged and acked.

Getting through the door grants nothing: handlers read the state an event names from Firestore and derive every
effect and idempotency key from it (docs/events.md, *Trust*).

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


class NewerVersion(RuntimeError):
    """A message of a schema version newer than this code: retried until the new code is deployed."""


POISON_TEXT_LIMIT = 10_000
"""A poison message's data is kept as text up to this length, redacted (it may have carried contact data), for
``platform.retention``'s period: ``expires_at``, a Firestore TTL policy in production and the retention job on
every tick."""


def redacted_message(message: dict[str, Any]) -> dict[str, Any]:
    """What is kept of a poison message: its ids, its attributes and its data as text, with e-mail addresses,
    phone numbers and tokens removed (``logs.redact``) and cut at 10,000 characters; never the raw bytes."""
    kept: dict[str, Any] = {k: message[k] for k in ("messageId", "message_id", "publishTime", "publish_time")
                            if k in message}
    attributes = message.get("attributes") or {}
    kept["attributes"] = ({str(k): logs.redact(str(v))[:500] for k, v in attributes.items()}
                          if isinstance(attributes, dict) else {})
    try:
        text = base64.b64decode(str(message.get("data") or ""), validate=False).decode("utf-8", "replace")
    except (ValueError, TypeError):
        text = ""
    kept["data_text"] = logs.redact(text)[:POISON_TEXT_LIMIT]
    return kept


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
    version = body.get("schema_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > topic.version:
        raise NewerVersion(f"message {message_id}: {event_type} version {version}, this code knows {topic.version}")
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
        from gemeentedelers.platform import inflight

        with inflight.held(self.service):
            self._handle(cloud_event)

    def _handle(self, cloud_event: Any) -> None:
        from gemeentedelers.platform import deadletters

        if deadletters.is_dead_letter(cloud_event):
            self._keep_dead_letter(cloud_event)
            return
        try:
            event = decode(cloud_event)
        except PoisonMessage as error:
            self._keep_poison(cloud_event, str(error))
            return
        handler = self.handlers.get(event.event_type)
        if handler is None:
            log.warning("%s has no handler for %s (message %s): not from our subscriptions, ignored",
                        self.service, event.event_type, event.message_id)
            return
        from gemeentedelers.editions.pin import pinned

        logs.set_edition(event.edition)
        log.info("%s handling %s %s (message %s)", self.service, event.event_type, event.event_id, event.message_id)
        with pinned(cached=False):  # one version for the whole event, read as it is now
            handler(event)

    def _keep_dead_letter(self, cloud_event: Any) -> None:
        """Only the dead-letter keeper's subscription pushes dead letters; anyone else's is not ours."""
        from gemeentedelers.platform import deadletters
        from gemeentedelers.platform.events import DEAD_LETTER_KEEPER
        from gemeentedelers.platform.firestore import db

        if self.service != DEAD_LETTER_KEEPER:
            log.warning("%s got a dead letter, which %s keeps: ignored", self.service, DEAD_LETTER_KEEPER)
            return
        deadletters.keep(db(), cloud_event)

    def _keep_poison(self, cloud_event: Any, reason: str) -> None:
        from gemeentedelers.platform import layout, retention
        from gemeentedelers.platform.firestore import db

        message = dict((cloud_event.data or {}).get("message") or {})
        message_id = message_id_of(cloud_event)
        log.error("%s keeping poison message %s: %s", self.service, message_id, logs.redact(reason))
        now = datetime.now(UTC)
        layout.poison_message(db(), self.service, message_id).set(
            {"service": self.service, "reason": logs.redact(reason), "message": redacted_message(message),
             "received_at": now, retention.EXPIRES_AT: retention.expires_at("poison_messages", now)}
        )

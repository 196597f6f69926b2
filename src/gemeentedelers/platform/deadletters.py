"""Dead letters: messages Pub/Sub gave up on, kept in Firestore and replayed by an operator.

After ``MAX_DELIVERY_ATTEMPTS`` failed deliveries Pub/Sub forwards a message to ``gd-dead-letter``, adding the
``CloudPubSubDeadLetterSource*`` attributes. That topic's push subscription goes to the event function of
``DEAD_LETTER_KEEPER`` (notify), whose consumer hands every such push to :func:`keep`: one document per dead
letter with its source subscription, attributes, delivery attempts, the original data and an expiry. Events carry
ids only, so a dead letter holds no contact data; it still expires after ``RETENTION`` (a Firestore TTL policy
on ``expires_at`` in production, and notify's due job :func:`expire` on every tick).

``gemeentedelers ops dead-letters --replay`` publishes each kept message that was not replayed yet to its topic
again, with its original attributes: every subscriber of that topic gets it once more, and the consumers'
idempotency (they act on stored state, keyed on business keys) makes that safe.
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import bus, layout, retention
from gemeentedelers.platform.events import DEAD_LETTER_TOPIC, topic_for, topic_named
from gemeentedelers.platform.firestore import create_once

log = logging.getLogger(__name__)

RETENTION = timedelta(days=retention.DEAD_LETTER_DAYS)
SOURCE_PREFIX = "CloudPubSubDeadLetterSource"


def is_dead_letter(cloud_event: Any) -> bool:
    """Whether a push came from the dead-letter topic (functions-framework takes the source from the push URL's
    topic path locally, Eventarc from the trigger's topic in production)."""
    try:
        source = str(cloud_event["source"] or "")
    except KeyError:
        return False
    return source.rstrip("/").endswith(f"/topics/{DEAD_LETTER_TOPIC}")


def doc_id(subscription: str, message_id: str) -> str:
    return f"{subscription}:{message_id}".replace("/", "%2F")


def keep(client: firestore.Client, cloud_event: Any, now: datetime | None = None) -> str:
    """Store one pushed dead letter (once: a repeated push refreshes the same document but keeps its replays and
    its first arrival); returns its id."""
    now = now or datetime.now(UTC)
    message = (cloud_event.data or {}).get("message") or {}
    attributes = {str(k): str(v) for k, v in (message.get("attributes") or {}).items()}
    message_id = str(message.get("messageId") or message.get("message_id") or cloud_event["id"])
    subscription = attributes.get(f"{SOURCE_PREFIX}Subscription", "unknown").rsplit("/", 1)[-1]
    count = attributes.get(f"{SOURCE_PREFIX}DeliveryCount", "")
    record = {
        "source_subscription": subscription,
        "source_project": attributes.get(f"{SOURCE_PREFIX}SubscriptionProject"),
        "topic": _topic_of(attributes, subscription),
        "event_type": attributes.get("event_type"),
        "event_id": attributes.get("event_id"),
        "attributes": attributes,
        "data": str(message.get("data") or ""),
        "delivery_attempts": int(count) if count.isdigit() else None,
        "message_id": message_id,
        "published_at": attributes.get(f"{SOURCE_PREFIX}TopicPublishTime"),
        "received_at": now,
        retention.EXPIRES_AT: retention.expires_at("dead_letters", now),
        "replays": 0,
    }
    ref = layout.dead_letters(client).document(doc_id(subscription, message_id))
    if not create_once(ref, record):  # pushed again: keep what a replay noted, so it is not replayed twice
        ref.update({k: v for k, v in record.items() if k not in {"replays", "received_at", retention.EXPIRES_AT}})
    log.error("dead letter kept: %s %s from %s after %s deliveries", record["event_type"], record["event_id"],
              subscription, record["delivery_attempts"])
    return ref.id


def _topic_of(attributes: dict[str, str], subscription: str) -> str | None:
    """The topic the message was published to: by its event type, else from ``<service>--<topic>``."""
    try:
        return topic_for(attributes.get("event_type", "")).topic
    except KeyError:
        _, _, topic = subscription.partition("--")
        return topic if topic_named(topic) else None


@dataclass(frozen=True)
class DeadLetter:
    doc_id: str
    record: dict[str, Any]

    @property
    def replayed(self) -> bool:
        return self.record.get("replayed_at") is not None


def listing(client: firestore.Client, now: datetime | None = None) -> list[DeadLetter]:
    """Every kept dead letter that has not expired, oldest first."""
    now = now or datetime.now(UTC)
    found = [DeadLetter(s.id, s.to_dict() or {}) for s in layout.dead_letters(client).stream()]
    live = [d for d in found if not d.record.get("expires_at") or d.record["expires_at"] > now]
    return sorted(live, key=lambda d: (d.record.get("received_at") or now, d.doc_id))


class NotReplayable(ValueError):
    """A dead letter whose topic is not known (not one of the catalogue's): it can only be read."""


def replay(client: firestore.Client, letter: DeadLetter) -> str:
    """Publish the original message again to its topic, with its original attributes; returns the new
    message id and notes the replay on the document."""
    topic = letter.record.get("topic")
    if not topic:
        raise NotReplayable(f"{letter.doc_id}: its topic is not known, so it cannot be published again")
    attributes = {k: v for k, v in (letter.record.get("attributes") or {}).items()
                  if not k.startswith(SOURCE_PREFIX)}
    attributes["replayed_from"] = letter.doc_id
    data = base64.b64decode(letter.record.get("data") or "")
    published = bus.publish_raw(topic, data, attributes)
    layout.dead_letters(client).document(letter.doc_id).update(
        {"replayed_at": datetime.now(UTC), "replay_message_id": published, "replays": firestore.Increment(1)})
    return published


def expire(client: firestore.Client, now: datetime | None = None) -> str:
    """Delete dead letters past their expiry (production's TTL policy does the same, within a day or so)."""
    now = now or datetime.now(UTC)
    query = layout.dead_letters(client).where(filter=firestore.FieldFilter("expires_at", "<", now)).limit(400)
    gone = [snapshot.reference for snapshot in query.stream()]
    if not gone:
        return "no expired dead letters"
    batch = client.batch()
    for ref in gone:
        batch.delete(ref)
    batch.commit()
    return f"deleted {len(gone)} expired dead letter(s)"

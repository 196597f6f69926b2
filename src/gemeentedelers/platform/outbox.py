"""The outbox: events written to Firestore together with the state they announce, so none is lost.

A registration or a decision and its events are one write (a batch or a transaction): the state, and one
``outbox/{event id}`` document per event. The writer then publishes them and deletes their outbox documents. If
the bus is down between the write and the publish (or the process dies), the documents stay, and the sweeper
(:func:`sweep`, a due job of notify's on every tick) publishes them once they are older than ``GRACE``.
Consumers deduplicate on what is stored, so an event published twice (by the writer and the sweeper) is harmless.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import bus, layout

log = logging.getLogger(__name__)

GRACE = timedelta(seconds=60)
"""How old an outbox document must be before the sweeper publishes it: its writer had time to do so itself."""
SWEEP_LIMIT = 500


def doc_id(event_id: str) -> str:
    """An event id as a Firestore document id (a ``/`` would be read as a path)."""
    return event_id.replace("%", "%25").replace("/", "%2F")


def stage(writer: Any, client: firestore.Client, events: Iterable[bus.Event], *, service: str) -> list[bus.Event]:
    """Add one outbox document per event to ``writer`` (a batch or a transaction); returns the events.

    Each is validated against the catalogue now, so an event that could never be published is not stored."""
    staged = list(events)
    now = datetime.now(UTC)
    for event_type, event_id, edition, body in staged:
        bus.envelope(event_type, event_id, edition, body)
        writer.set(layout.outbox(client).document(doc_id(event_id)),
                   {"event_type": event_type, "event_id": event_id, "edition": edition, "body": body,
                    "service": service, "staged_at": now})
    return staged


def stage_all(client: firestore.Client, events: Sequence[bus.Event], *, service: str) -> None:
    """Stage many events in batches of their own, before the write that makes them due (consumers check it)."""
    for start in range(0, len(events), 400):
        batch = client.batch()
        stage(batch, client, events[start:start + 400], service=service)
        batch.commit()


def publish(client: firestore.Client, events: Sequence[bus.Event]) -> None:
    """Publish staged events, then clear their outbox documents; raises ``bus.PublishFailed`` (they stay)."""
    if not events:
        return
    bus.publish_many(events)
    clear(client, [event_id for _, event_id, _, _ in events])


def clear(client: firestore.Client, event_ids: Sequence[str]) -> None:
    for start in range(0, len(event_ids), 400):
        batch = client.batch()
        for event_id in event_ids[start:start + 400]:
            batch.delete(layout.outbox(client).document(doc_id(event_id)))
        batch.commit()


def pending(client: firestore.Client, event_id: str) -> bus.Event | None:
    """The staged event ``event_id`` if it is still waiting to be published."""
    found = layout.outbox(client).document(doc_id(event_id)).get().to_dict()
    return None if found is None else _event(found)


def _event(doc: dict[str, Any]) -> bus.Event:
    return (doc["event_type"], doc["event_id"], doc["edition"], dict(doc["body"]))


def sweep(client: firestore.Client, now: datetime | None = None) -> str:
    """Publish every outbox document older than ``GRACE`` (oldest first, at most ``SWEEP_LIMIT`` per run)."""
    cutoff = (now or datetime.now(UTC)) - GRACE
    query = (layout.outbox(client).where(filter=firestore.FieldFilter("staged_at", "<", cutoff))
             .order_by("staged_at").limit(SWEEP_LIMIT))
    waiting = [_event(snapshot.to_dict() or {}) for snapshot in query.stream()]
    if not waiting:
        return "outbox empty"
    publish(client, waiting)
    log.warning("outbox: published %d event(s) their writer had not: %s", len(waiting),
                ", ".join(event_id for _, event_id, _, _ in waiting[:5]))
    return f"published {len(waiting)} staged event(s)"

"""Sending a mail at most once per (business key, kind, recipient), however often Pub/Sub delivers the event.

SMTP is outside any transaction, so the pattern is claim, send, mark: the first delivery creates the mail's
ledger document (atomic create), sends, and marks it sent. A redelivery finds it sent and does nothing; one
that finds a failed or long-abandoned claim sends again; one that meets a fresh claim leaves it to its holder
and acknowledges, so a notify killed mid-send does not use up the message's deliveries until it dead-letters:
the ledger keeps the event that asked for the mail, and on every tick :func:`retry_abandoned` runs that event's
handler again for claims older than ``CLAIM_TIMEOUT``. The ledger is also the record of every mail that went out.

The key is the handler's business key, derived from what is stored (never the message's ``event_id``), and the
mail's Message-ID is fixed per ledger entry: if a crash falls between the relay's answer and the ledger's
update, the mail sent again carries the same Message-ID, which mail clients treat as one message.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from gemeentedelers.notify import mailer
from gemeentedelers.notify.mailer import Mail
from gemeentedelers.platform import layout, retention, settings
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.events import topic_for
from gemeentedelers.platform.firestore import create_once, db

log = logging.getLogger(__name__)

CLAIM_TIMEOUT = timedelta(seconds=60)
"""A claim younger than this is a send in progress (SMTP gives up after ``mailer.SMTP_TIMEOUT_S``)."""


class MailInFlight(RuntimeError):
    """Another delivery of the same event is sending this mail right now."""


def mail_key(key: str, kind: str, recipient: str) -> str:
    return hashlib.sha256(f"{key}\x1f{kind}\x1f{recipient.lower()}".encode()).hexdigest()[:32]


def message_id(edition: str, ledger_id: str) -> str:
    """The Message-ID of the mail of one ledger entry: the same for every attempt at sending it."""
    return f"<{ledger_id}.{edition}@{settings.current().mail_domain}>"


def event_record(event: Event) -> dict[str, Any]:
    """What the ledger keeps of the event that asked for a mail, to run its handler again: ids only."""
    data = topic_for(event.event_type).schema().dump(event.data)
    return {"event_type": event.event_type, "event_id": event.event_id, "edition": event.edition, "data": data,
            "message_id": event.message_id}


def deliver_once(event: Event, key: str, kind: str, mail: Mail, *, submission_id: str | None = None,
                 connection: mailer.Connection | None = None) -> bool:
    """Send ``mail`` unless it was sent for ``key`` already; ``True`` when it was sent now.

    ``key`` is the business key of what the mail is about (e.g. ``submission.received:<id>``), built by the
    handler from stored state. A fresh claim held by another delivery is left to it (``False``)."""
    edition = event.edition
    if not mail.to:  # the person's address was erased on request (people/privacy.py): nobody to mail
        log.info("no %s mail for %s: the recipient's address was erased", kind, key)
        return False
    ref = layout.mails(db(), edition).document(mail_key(key, kind, mail.to))
    mail = replace(mail, message_id=message_id(edition, ref.id))
    now = datetime.now(UTC)
    claim = {
        "event_id": key,
        "kind": kind,
        "to": mail.to,
        "subject": mail.subject,
        "language": mail.language,
        "submission_id": submission_id,
        "status": "sending",
        "claimed_at": now,
        "attempts": 1,
        "message_id": mail.message_id,
        "event": event_record(event),
        retention.EXPIRES_AT: retention.expires_at("mails", now),
    }
    if not create_once(ref, claim):
        snapshot = ref.get()
        existing = snapshot.to_dict() or {}
        if existing.get("status") == "sent":
            return False
        if existing.get("status") == "sending" and now - existing["claimed_at"] < CLAIM_TIMEOUT:
            log.info("mail %s is being sent by another delivery; the tick retries it if that one died", ref.id)
            return False
        try:  # re-claim only if nobody else re-claimed since our read
            ref.update({"status": "sending", "claimed_at": now, "attempts": firestore.Increment(1),
                        "message_id": mail.message_id},
                       option=db().write_option(last_update_time=snapshot.update_time))
        except (gexc.FailedPrecondition, gexc.Aborted):
            log.info("mail %s was re-claimed by another delivery", ref.id)
            return False
    try:
        mailer.send(mail, connection)
    except Exception as problem:
        ref.update({"status": "failed", "last_error": f"{type(problem).__name__}: {problem}"[:500]})
        raise
    ref.update({"status": "sent", "sent_at": datetime.now(UTC)})
    return True


def abandoned(client: firestore.Client, edition: str, now: datetime | None = None) -> list[dict[str, Any]]:
    """Ledger entries of ``edition`` whose claim is older than ``CLAIM_TIMEOUT`` and still ``sending``."""
    cutoff = (now or datetime.now(UTC)) - CLAIM_TIMEOUT
    query = layout.mails(client, edition).where(filter=firestore.FieldFilter("status", "==", "sending"))
    return [entry for snapshot in query.stream()
            if (entry := snapshot.to_dict() or {}).get("claimed_at") and entry["claimed_at"] < cutoff]


def retry_abandoned(client: firestore.Client, edition: str, handlers: dict[str, Callable[[Event], None]],
                    now: datetime | None = None) -> str:
    """Run the handler of every event whose mail claim was abandoned (its sender died mid-send) once more.

    The handler re-reads the state, re-claims the stale claim (conditionally, so two ticks never both send) and
    sends; a mail sent already before the crash goes again under the same Message-ID."""
    stale = abandoned(client, edition, now)
    events: dict[str, Event] = {}
    for entry in stale:
        kept = entry.get("event") or {}
        handler = handlers.get(kept.get("event_type", ""))
        if handler is None:
            log.error("mail %s was abandoned and keeps no event to retry it with", entry.get("event_id"))
            continue
        data = topic_for(kept["event_type"]).schema().load(
            {**kept["data"], "event_type": kept["event_type"], "event_id": kept["event_id"],
             "edition": kept["edition"]})
        events.setdefault(kept["event_id"], Event(kept["event_type"], kept["event_id"], kept["edition"], data,
                                                  kept.get("message_id", ""), {}))
    failed = 0
    for event in events.values():
        try:
            handlers[event.event_type](event)
        except Exception:
            failed += 1
            log.exception("retrying the abandoned mail of %s failed; the next tick tries again", event.event_id)
    if failed:
        raise RuntimeError(f"{failed} of {len(events)} abandoned mail event(s) failed again")
    return f"retried {len(events)} event(s) with abandoned mails" if events else "no abandoned mails"

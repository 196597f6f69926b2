"""Sending a mail at most once per (event, kind, recipient), however often Pub/Sub delivers the event.

SMTP is outside any transaction, so the pattern is claim, send, mark: the first delivery creates the mail's
ledger document (atomic create), sends, and marks it sent. A redelivery finds it sent and does nothing; one
that finds a failed or long-abandoned claim sends again; one that meets a fresh claim raises, so Pub/Sub
retries after the first attempt has settled. The ledger is also the record of every mail that went out.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

from google.api_core import exceptions as gexc
from google.cloud import firestore

from gemeentedelers.notify import mailer
from gemeentedelers.notify.mailer import Mail
from gemeentedelers.platform import layout, retention
from gemeentedelers.platform.firestore import create_once, db

CLAIM_TIMEOUT = timedelta(seconds=60)


class MailInFlight(RuntimeError):
    """Another delivery of the same event is sending this mail right now."""


def mail_key(event_id: str, kind: str, recipient: str) -> str:
    return hashlib.sha256(f"{event_id}\x1f{kind}\x1f{recipient.lower()}".encode()).hexdigest()[:32]


def deliver_once(edition: str, event_id: str, kind: str, mail: Mail, *, submission_id: str | None = None,
                 connection: mailer.Connection | None = None) -> bool:
    """Send ``mail`` unless it was sent for this event already; ``True`` when it was sent now."""
    ref = layout.mails(db(), edition).document(mail_key(event_id, kind, mail.to))
    now = datetime.now(UTC)
    claim = {
        "event_id": event_id,
        "kind": kind,
        "to": mail.to,
        "subject": mail.subject,
        "language": mail.language,
        "submission_id": submission_id,
        "status": "sending",
        "claimed_at": now,
        "attempts": 1,
        retention.EXPIRES_AT: retention.expires_at("mails", now),
    }
    if not create_once(ref, claim):
        snapshot = ref.get()
        existing = snapshot.to_dict() or {}
        if existing.get("status") == "sent":
            return False
        if existing.get("status") == "sending" and now - existing["claimed_at"] < CLAIM_TIMEOUT:
            raise MailInFlight(f"mail {ref.id} is being sent by another delivery")
        try:  # re-claim only if nobody else re-claimed since our read
            ref.update({"status": "sending", "claimed_at": now, "attempts": firestore.Increment(1)},
                       option=db().write_option(last_update_time=snapshot.update_time))
        except (gexc.FailedPrecondition, gexc.Aborted):
            raise MailInFlight(f"mail {ref.id} was re-claimed by another delivery") from None
    try:
        message_id = mailer.send(mail, connection)
    except Exception as problem:
        ref.update({"status": "failed", "last_error": f"{type(problem).__name__}: {problem}"[:500]})
        raise
    ref.update({"status": "sent", "sent_at": datetime.now(UTC), "message_id": message_id})
    return True

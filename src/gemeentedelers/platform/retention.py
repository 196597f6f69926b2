"""How long short-lived records are kept: Firestore deletes each one after its ``expires_at`` (a TTL policy per
collection group, made by infra/firestore.tf from this table).

A record that makes a handler idempotent (the mail ledger) must outlive every way its event can come back:
Pub/Sub keeps an unacknowledged message 7 days, and a dead letter can be replayed for ``DEAD_LETTER_DAYS``. Were
the ledger entry gone first, a replay would send the mail again. Records that only wait for a person to look
at them (poison messages, dead letters) go after ``DEAD_LETTER_DAYS``: they may hold personal data.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

EXPIRES_AT = "expires_at"
DEAD_LETTER_DAYS = 30
"""Dead letters and poison messages are kept, and can be replayed, this long."""
TTL_DAYS: dict[str, int] = {
    "mails": 400,  # the ledger of every mail: the whole edition's year and a little more
    "processed_events": 400,
    "poison_messages": DEAD_LETTER_DAYS,
    "dead_letters": DEAD_LETTER_DAYS,
    "used_links": 1,  # a single-use link's marker: its token is dead after 15 minutes, the marker a day later
    "rate_limits": 1,  # a sign-up or sign-in counter: its window is an hour or so, kept a day past its end
}
"""``{collection group: days}`` until a document is deleted."""


def expires_at(collection_group: str, now: datetime | None = None) -> datetime:
    """The moment a new document of ``collection_group`` may be deleted (its ``expires_at`` field)."""
    return (now or datetime.now(UTC)) + timedelta(days=TTL_DAYS[collection_group])

"""Stored registrations: their ids, their Firestore form and the anonymised view others may see.

The id is derived from the form tool's delivery id, so every redelivery of one registration lands on the
same document and a plain ``create`` decides which of two concurrent duplicates is stored.
"""

from __future__ import annotations

import base64
import hashlib
from datetime import datetime
from typing import Any

from gemeentedelers.platform import layout

PUBLIC_FIELDS = ("submission_id", "edition", "municipality", "co_applicants", "title", "description", "category")
"""What scorers, assessors, jury and sponsors may see: never the contact details."""


def submission_id(edition: str, provider: str, event_id: str) -> str:
    digest = hashlib.sha256(f"{edition}\x1f{provider}\x1f{event_id}".encode()).digest()
    return "sub-" + base64.b32encode(digest).decode("ascii").lower()[:16]


def consents(registration: dict[str, Any], given_at: datetime) -> dict[str, Any]:
    """The consent records of a registration (``people.consent``): taking part, and publication when given,
    in the text version the form showed (the current one when the form does not say) and the entrant's language."""
    from gemeentedelers.people import consent

    language = registration["language"]
    shown = registration.get("consent_version")
    found = {"registration": consent.record("registration", language, given_at, shown)}
    if registration.get("consent_publication"):
        found["publication"] = consent.record("publication", language, given_at,
                                              shown if shown and _has("publication", shown) else None)
    return found


def _has(purpose: str, version: str) -> bool:
    from gemeentedelers.people import consent

    return any(t.purpose == purpose and t.version == version for t in consent.TEXTS)


def new_record(
    sid: str,
    edition: str,
    registration: dict[str, Any],
    *,
    provider: str,
    provider_event_id: str,
    submitted_at: str | None,
    received_at: datetime,
    competition_time: datetime,
) -> dict[str, Any]:
    """The document stored for a new registration (contact details kept apart under ``contact``)."""
    return {
        "submission_id": sid,
        "edition": edition,
        "municipality": registration["municipality"],
        "co_applicants": registration.get("co_applicants") or [],
        "title": registration["title"],
        "description": registration["description"],
        "category": registration["category"],
        "language": registration["language"],
        "consent": True,
        "consents": consents(registration, received_at),
        "publication_consent": bool(registration.get("consent_publication")),
        "contact": {
            "name": registration["contact_name"],
            "email": registration["contact_email"],
            "phone": registration.get("contact_phone"),
        },
        "source": {"provider": provider, "event_id": provider_event_id, "submitted_at": submitted_at},
        "received_at": received_at,
        "competition_time": competition_time,
        "status": "registered",
    }


def tombstone_id(edition: str, provider: str, event_id: str) -> str:
    """The full hash of a registration's delivery id: what an erasure keeps (``tombstones/{id}``), no contact."""
    return hashlib.sha256(f"{edition}\x1f{provider}\x1f{event_id}".encode()).hexdigest()


def tombstone_record(edition: str, provider: str, event_id: str, erased_at: datetime) -> tuple[str, dict[str, Any]]:
    """The tombstone an erasure writes (before it deletes the registration), as ``(document id, fields)``."""
    return tombstone_id(edition, provider, event_id), {"edition": edition, "provider": provider,
                                                        "erased_at": erased_at}


def is_erased(client: Any, edition: str, provider: str, event_id: str) -> bool:
    """Whether the registration of this delivery was erased: a replay of it must not store it again."""
    return bool(layout.tombstone(client, tombstone_id(edition, provider, event_id)).get().exists)


def public_view(record: dict[str, Any]) -> dict[str, Any]:
    return {key: record.get(key) for key in PUBLIC_FIELDS}


def received_event_body(record: dict[str, Any]) -> dict[str, Any]:
    """The body of ``submission.received`` for a stored record: its id and a few public fields, never the contact
    (consumers read the record itself by id)."""
    return {k: record[k] for k in ("submission_id", "municipality", "title", "category")}


def stored(client: Any, edition: str, sid: str) -> dict[str, Any] | None:
    """The stored registration ``sid`` of ``edition``, or ``None``: what an event about it may act on."""
    if not sid or "/" in sid:
        return None
    return layout.submissions(client, edition).document(sid).get().to_dict()


def received_event_id(sid: str) -> str:
    return f"submission.received:{sid}"

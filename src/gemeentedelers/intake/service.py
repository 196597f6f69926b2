"""Receiving one registration from a form tool: verify, parse, validate, store once, announce.

Order matters: nothing is stored before every check passed, the store is a single atomic create keyed on the
provider's delivery id (so redeliveries and concurrent duplicates store one registration), and the event is
published after the store. If publishing fails the sender gets a 503 and retries; the retry finds the stored
registration and publishes again under the same event id, which consumers deduplicate.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from gemeentedelers.editions.active import NoActiveEdition, read_active
from gemeentedelers.entries import submissions
from gemeentedelers.entries.registration import RegistrationInvalid, clean_registration
from gemeentedelers.intake import providers, signatures
from gemeentedelers.platform import bus, layout, settings
from gemeentedelers.platform.firestore import create_once, db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict[str, Any] = field(default_factory=dict)


def receive(provider: str, body: bytes, headers: Mapping[str, str]) -> Outcome:
    secret = settings.current().secret_for(provider)
    if not secret:
        log.error("intake: no webhook secret configured for %s", provider)
        return Outcome(503, {"error": "provider_not_configured", "message": f"{provider} is not set up"})
    try:
        signatures.verify(provider, secret, body, headers)
    except signatures.SignatureError as problem:
        return Outcome(401, {"error": "invalid_signature", "reason": problem.reason})
    try:
        payload = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as problem:
        return Outcome(400, {"error": "invalid_json", "message": str(problem)})
    try:
        form = providers.parse(provider, payload, headers)
    except providers.PayloadError as problem:
        return Outcome(400, {"error": "invalid_payload", "field": problem.field, "message": problem.message})

    client = db()
    try:
        active = read_active(client)
    except NoActiveEdition as problem:
        return Outcome(503, {"error": "no_active_edition", "message": str(problem)})
    edition = active.edition
    sid = submissions.submission_id(edition.key, provider, form.event_id)
    ref = layout.submissions(client, edition.key).document(sid)

    now = active.clock.now()
    timeline = edition.timeline
    if not timeline.registration_opens <= now < timeline.registration_closes:
        stored = ref.get()
        if stored.exists:
            return _announce(stored.to_dict(), status=200, duplicate=True)
        closed = now >= timeline.registration_closes
        return Outcome(
            403,
            {
                "error": "registration_closed" if closed else "registration_not_open",
                "message": (
                    f"Registration for {edition.info.title.get('en')} "
                    + (f"closed on {timeline.registration_closes.isoformat()}" if closed
                       else f"opens on {timeline.registration_opens.isoformat()}")
                ),
                "registration_opens": timeline.registration_opens.isoformat(),
                "registration_closes": timeline.registration_closes.isoformat(),
            },
        )

    try:
        registration = clean_registration(form.answers, edition, provider)
    except RegistrationInvalid as problem:
        return Outcome(422, {"error": "invalid_registration", "fields": problem.errors})

    record = submissions.new_record(
        sid,
        edition.key,
        registration,
        provider=provider,
        provider_event_id=form.event_id,
        submitted_at=form.submitted_at,
        received_at=datetime.now(UTC),
        competition_time=now,
    )
    if create_once(ref, record):
        return _announce(record, status=201, duplicate=False)
    return _announce(ref.get().to_dict(), status=200, duplicate=True)


def _announce(record: dict[str, Any] | None, *, status: int, duplicate: bool) -> Outcome:
    if record is None:  # deleted between create and read: only an organiser's reset does that
        return Outcome(409, {"error": "conflict", "message": "the registration was removed meanwhile; retry"})
    sid = record["submission_id"]
    try:
        bus.publish(
            "submission.received",
            submissions.received_event_id(sid),
            record["edition"],
            submissions.received_event_body(record),
        )
    except bus.PublishFailed:
        log.exception("intake: stored %s but could not announce it; the sender will retry", sid)
        return Outcome(503, {"error": "publish_failed", "submission_id": sid, "message": "stored; retry later"})
    return Outcome(
        status,
        {"status": "duplicate" if duplicate else "registered", "submission_id": sid, "edition": record["edition"]},
    )

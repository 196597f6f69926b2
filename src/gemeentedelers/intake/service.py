"""Receiving one registration from a form tool: verify, parse, validate, store once, announce.

Order matters: nothing is stored before every check passed, the store is a single atomic write keyed on the
provider's delivery id (so redeliveries and concurrent duplicates store one registration) that also stages the
``submission.received`` event in the outbox, and the event is published after the store. If publishing fails the
sender gets a 503 and may retry; the retry finds the registration and publishes the staged event again, and if
nobody retries the outbox's sweeper publishes it on the next tick. A registration erased later leaves a
tombstone, so a replay of its delivery is answered 410 and stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.api_core import exceptions as gexc

from gemeentedelers.editions.active import NoActiveEdition, read_active
from gemeentedelers.entries import submissions
from gemeentedelers.entries.registration import RegistrationInvalid, clean_registration
from gemeentedelers.intake import providers, signatures
from gemeentedelers.intake.payload import BodyRefused
from gemeentedelers.intake.payload import load as load_body
from gemeentedelers.platform import bus, layout, outbox, settings
from gemeentedelers.platform.firestore import db

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
        payload = load_body(body)
    except BodyRefused as problem:
        return Outcome(400, {"error": problem.code, "field": problem.field, "message": problem.message})
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
    if submissions.is_erased(client, edition.key, provider, form.event_id):
        return Outcome(410, {"error": "registration_erased",
                             "message": "this registration was erased on request; it is not stored again"})

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

    too_old = _submitted_before_window(form.submitted_at, active.clock.offset, timeline.registration_opens)
    if too_old is not None:
        return too_old
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
    batch = client.batch()
    batch.create(ref, record)
    outbox.stage(batch, client, [_received(record)], service="intake")
    try:
        batch.commit()
    except (gexc.AlreadyExists, gexc.Conflict):
        return _announce(ref.get().to_dict(), status=200, duplicate=True)
    return _announce(record, status=201, duplicate=False)


def _submitted_before_window(submitted_at: str | None, offset: Any, opens: datetime) -> Outcome | None:
    """A 400 for a timestamp that is not one, a 403 for a form response made before this edition's registration
    opened (a replay of an old delivery, or one from an earlier edition); ``None`` when it may be taken.

    The provider's timestamp is real time; on the competition clock (real time plus ``offset``) it must not lie
    before ``registration_opens``."""
    if submitted_at is None:
        return None
    try:
        moment = datetime.fromisoformat(submitted_at.strip())
    except ValueError:
        return Outcome(400, {"error": "invalid_payload", "field": "submitted_at",
                             "message": "not an ISO 8601 date and time"})
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    try:
        competition_moment = moment.astimezone(UTC) + offset
    except OverflowError:
        competition_moment = datetime.min.replace(tzinfo=UTC)
    if competition_moment >= opens:
        return None
    return Outcome(403, {"error": "submitted_before_registration",
                         "message": "this form response was made before registration for this edition opened",
                         "submitted_at": submitted_at, "registration_opens": opens.isoformat()})


def _received(record: dict[str, Any]) -> bus.Event:
    sid = record["submission_id"]
    return ("submission.received", submissions.received_event_id(sid), record["edition"],
            submissions.received_event_body(record))


def _announce(record: dict[str, Any] | None, *, status: int, duplicate: bool) -> Outcome:
    """Publish the registration's staged event, if it still waits (a duplicate of a published one needs none)."""
    if record is None:  # deleted between create and read: only an organiser's reset does that
        return Outcome(409, {"error": "conflict", "message": "the registration was removed meanwhile; retry"})
    sid = record["submission_id"]
    client = db()
    try:
        staged = outbox.pending(client, submissions.received_event_id(sid))
        outbox.publish(client, [staged] if staged else [])
    except (bus.PublishFailed, gexc.GoogleAPICallError):
        log.exception("intake: stored %s but could not announce it; the sender will retry", sid)
        return Outcome(503, {"error": "publish_failed", "submission_id": sid, "message": "stored; retry later"})
    return Outcome(
        status,
        {"status": "duplicate" if duplicate else "registered", "submission_id": sid, "edition": record["edition"]},
    )

"""Round 3's mails: a juror's personal link when the round opens, and the announcement of the winners to every
entrant, assessor and juror.

``juror.invited`` has its own handler. ``winners.announced`` already has one in ``notify.service`` (the relay to
sponsors) and the consumer holds one handler per event type, so that handler calls :func:`announce_winners`
as well. Each mail goes through the ledger (``deliver_once``), so a redelivery sends nobody a second mail, and
the sponsors' relay stays idempotent on its own.
"""

from __future__ import annotations

import contextvars
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import Any

from gemeentedelers.editions import Edition, get_edition
from gemeentedelers.notify.ledger import deliver_once
from gemeentedelers.notify.mailer import Connection
from gemeentedelers.notify.service import consumer
from gemeentedelers.notify.templates import render
from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.events import winners_event_id
from gemeentedelers.platform.firestore import db


@consumer.on("juror.invited")
def invite_juror(event: Event) -> None:
    """Mail a juror the personal link; made here, so no credential travels through Pub/Sub."""
    from gemeentedelers.jury.jurors import LINK_VALID_DAYS, juror_link

    client = db()
    jid = event.data["juror_id"]
    juror = layout.jurors(client, event.edition).document(jid).get().to_dict() if "/" not in jid else None
    if juror is None or juror.get("status", "active") != "active":
        return  # not stored (a forged event), or withdrawn meanwhile: no mail
    if (layout.round_state(client, event.edition, 3).get().to_dict() or {}).get("status", "not_opened") == "not_opened":
        return  # the invitation is due once the round is open
    version = juror.get("link_version", 1)
    edition = get_edition(event.edition)
    language = juror.get("language", "nl")
    mail = render(
        "juror_invited",
        to=juror["email"],
        language=language,
        edition_title=edition.info.title.get(language),
        name=juror["name"],
        is_chair=bool(juror.get("is_chair")),
        link=juror_link(event.edition, juror["juror_id"], version),
        valid_until=datetime.now(UTC) + timedelta(days=LINK_VALID_DAYS),
        prizes=", ".join(p.label.get(language) for p in edition.special_prizes),
        winners_announced=edition.timeline.winners_announced,
    )
    deliver_once(event, f"juror.invited:{event.edition}:{jid}:{version}", "juror_invited", mail)


def recipients(edition: str) -> dict[str, dict[str, Any]]:
    """Everyone who hears the announcement, by address: entrants' contacts, assessors, jurors (once each)."""
    client = db()
    found: dict[str, dict[str, Any]] = {}
    for doc in layout.submissions(client, edition).stream():
        record = doc.to_dict()
        contact = record.get("contact") or {}
        if contact.get("email"):
            found.setdefault(contact["email"].casefold(), {"email": contact["email"], "name": contact.get("name", ""),
                                                           "language": record.get("language", "nl"),
                                                           "submission_id": doc.id})
    people = [*layout.assessors(client, edition).stream(),
              *layout.jurors(client, edition).stream()]
    for doc in people:
        person = doc.to_dict() or {}
        if person.get("email"):
            found.setdefault(person["email"].casefold(), {"email": person["email"], "name": person.get("name", ""),
                                                          "language": person.get("language", "nl"),
                                                          "submission_id": None})
    return found


ANNOUNCE_CONNECTIONS = 4
"""The announcement goes out over this many SMTP connections at once, each reused for its share of the burst:
a mail waits on the ledger and the relay, so one connection alone left 1,000 mails at ~10 a second locally."""


def announced_result(client: Any, event: Event) -> dict[str, Any] | None:
    """The winners as the jury stored them (``winners/result``), if they are announced and the event is the
    edition's announcement; ``None`` for anything else (a forged or early event)."""
    if event.event_id != winners_event_id(event.edition):
        return None
    result = layout.winners(client, event.edition).document("result").get().to_dict()
    return result if result is not None and result.get("status") == "announced" else None


def announce_winners(event: Event, result: dict[str, Any]) -> int:
    """Mail the announced ``result`` to every entrant, assessor and juror; returns how many were sent now.

    Every share finishes before a failure is raised, so a redelivery (the ledger skips what was sent) has the
    least left to do."""
    edition = get_edition(event.edition)
    people = list(recipients(event.edition).values())
    shares = [people[i::ANNOUNCE_CONNECTIONS] for i in range(ANNOUNCE_CONNECTIONS) if people[i::ANNOUNCE_CONNECTIONS]]

    def send_share(share: list[dict[str, Any]]) -> int:
        with Connection() as connection:  # one connection per share, opened and used by this thread only
            return sum(_announce_to(edition, event, result, person, connection) for person in share)

    with ThreadPoolExecutor(max(1, len(shares))) as pool:
        futures = [pool.submit(contextvars.copy_context().run, send_share, share) for share in shares]
    return sum(future.result() for future in futures)


def _announce_to(edition: Edition, event: Event, result: dict[str, Any], person: dict[str, Any],
                 connection: Connection) -> int:
    """One person's announcement mail, through the ledger: 1 if it was sent now, 0 if it had been."""
    language = person["language"]
    mail = render(
        "winners_announced",
        to=person["email"],
        language=language,
        edition_title=edition.info.title.get(language),
        name=person["name"],
        winners=result["winners"],
        finalists=result["finalists"],
        award_ceremony=edition.timeline.award_ceremony,
    )
    return int(deliver_once(event, winners_event_id(event.edition), "winners_announced", mail,
                            submission_id=person["submission_id"], connection=connection))

"""Reminder mails for round 2 and 3 (teams, assessors, jurors) and organisers' sign-in links.

Each reminder event names its day, so the ledger (``deliver_once``) sends one mail per person per day however
often it is published or delivered; the mail gives the deadline and the person's link, made here (no credential
travels through Pub/Sub). A person who stopped taking part meanwhile (withdrawn, revoked) gets nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gemeentedelers.editions import get_edition
from gemeentedelers.notify.ledger import deliver_once
from gemeentedelers.notify.service import consumer
from gemeentedelers.notify.templates import render
from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.firestore import db


def _titles(edition: str, ids: list[str]) -> list[str]:
    refs = [layout.submissions(db(), edition).document(sid) for sid in ids]
    return sorted(str((s.to_dict() or {}).get("title", s.id)) for s in db().get_all(refs)) if refs else []


@consumer.on("team.reminded")
def remind_team(event: Event) -> None:
    from gemeentedelers.assessment.assessors import team_link

    sid = event.data["submission_id"]
    client = db()
    record = layout.submissions(client, event.edition).document(sid).get().to_dict()
    entry = layout.roster(client, event.edition, 2).document(sid).get().to_dict()
    if record is None or entry is None:
        raise LookupError(f"submission {sid} or its round-2 roster entry is not stored (yet)")
    if (layout.evidence(client, event.edition).document(sid).get().to_dict() or {}).get("status") == "complete":
        return  # completed since the reminder was asked for
    edition = get_edition(event.edition)
    language = record.get("language", "nl")
    mail = render("team_reminded", to=record["contact"]["email"], language=language,
                  edition_title=edition.info.title.get(language), contact_name=record["contact"]["name"],
                  title=record["title"], link=team_link(event.edition, sid, entry.get("link_version", 1)),
                  deadline=edition.timeline.round2_decided)
    deliver_once(event.edition, event.event_id, "team_reminded", mail, submission_id=sid)


@consumer.on("assessor.reminded")
def remind_assessor(event: Event) -> None:
    from gemeentedelers.assessment.assessors import LINK_VALID_DAYS, assessor_link

    person = layout.assessors(db(), event.edition).document(event.data["assessor_id"]).get().to_dict()
    if person is None:
        raise LookupError(f"assessor {event.data['assessor_id']} is not stored (yet)")
    if person.get("status", "active") != "active":
        return
    edition = get_edition(event.edition)
    language = person.get("language", "nl")
    mail = render("assessor_reminded", to=person["email"], language=language,
                  edition_title=edition.info.title.get(language), name=person["name"],
                  cases=list(event.data.get("cases", [])), ballot_missing=bool(event.data.get("ballot_missing")),
                  link=assessor_link(event.edition, person["assessor_id"], person.get("link_version", 1)),
                  valid_until=datetime.now(UTC) + timedelta(days=LINK_VALID_DAYS),
                  deadline=edition.timeline.round2_decided)
    deliver_once(event.edition, event.event_id, "assessor_reminded", mail)


@consumer.on("juror.reminded")
def remind_juror(event: Event) -> None:
    from gemeentedelers.jury.jurors import LINK_VALID_DAYS, juror_link

    juror = layout.jurors(db(), event.edition).document(event.data["juror_id"]).get().to_dict()
    if juror is None:
        raise LookupError(f"juror {event.data['juror_id']} is not stored (yet)")
    if juror.get("status", "active") != "active":
        return
    edition = get_edition(event.edition)
    language = juror.get("language", "nl")
    labels = {c.key: c.label.get(language) for c in edition.categories}
    mail = render("juror_reminded", to=juror["email"], language=language,
                  edition_title=edition.info.title.get(language), name=juror["name"],
                  categories=[labels.get(c, c) for c in event.data.get("categories", [])],
                  link=juror_link(event.edition, juror["juror_id"], juror.get("link_version", 1)),
                  valid_until=datetime.now(UTC) + timedelta(days=LINK_VALID_DAYS),
                  deadline=edition.timeline.winners_announced)
    deliver_once(event.edition, event.event_id, "juror_reminded", mail)


@consumer.on("organiser.link_requested")
def mail_organiser_link(event: Event) -> None:
    """A single-use sign-in link (15 minutes) to the console; a revoked organiser gets nothing."""
    from gemeentedelers.people import organisers

    record = organisers.get(db(), event.data["organiser_id"])
    if record is None or record.get("status") != "active":
        return
    link = organisers.sign_in_link(record)
    mail = render("organiser_link", to=record["email"], language="nl", name=record["name"], link=link,
                  role=record["role"])
    deliver_once(event.edition, event.event_id, "organiser_link", mail)

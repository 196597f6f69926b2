"""Reminder mails for round 2 and 3 (teams, assessors, jurors) and organisers' sign-in links.

A reminder is mailed only for a day its reminder is stored for (``reminders/{role}:{id}:{day}``, written with the
event by ``people.reminders.send``), and with what is still open as stored now, never as the event says: a forged
or replayed event mails nothing that was not asked for. The ledger key names the person and the day, so one mail
per person per day however often the event comes. Links are made here (no credential travels through Pub/Sub).
A person who stopped taking part meanwhile (withdrawn, revoked), or has nothing open any more, gets nothing; nor
does one who asked for no more reminders (``notify.optouts``: every reminder carries ``List-Unsubscribe``).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from gemeentedelers.editions import get_edition
from gemeentedelers.entries.submissions import stored
from gemeentedelers.notify.ledger import deliver_once
from gemeentedelers.notify.optouts import as_reminder
from gemeentedelers.notify.service import consumer
from gemeentedelers.notify.templates import render
from gemeentedelers.people import reminders
from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.firestore import db


def _day(event: Event) -> str:
    return str(event.data["day"])


@consumer.on("team.reminded")
def remind_team(event: Event) -> None:
    from gemeentedelers.assessment.assessors import team_link
    from gemeentedelers.assessment.rules import check_evidence

    sid, day = event.data["submission_id"], _day(event)
    client = db()
    if not reminders.stored(client, event.edition, "team", sid, day):
        return  # nobody asked for this reminder
    record = stored(client, event.edition, sid)
    entry = layout.roster(client, event.edition, 2).document(sid).get().to_dict() if record else None
    if record is None or entry is None:
        return
    stored_evidence = layout.evidence(client, event.edition).document(sid).get().to_dict() or {}
    if stored_evidence.get("status") == "complete":
        return  # completed since the reminder was asked for
    edition = get_edition(event.edition)
    language = record.get("language", "nl")
    left = check_evidence(edition.evidence_fields, stored_evidence.get("fields", {})).problems
    mail = render("team_reminded", to=record["contact"]["email"], language=language,
                  edition_title=edition.info.title.get(language), contact_name=record["contact"]["name"],
                  title=record["title"], link=team_link(event.edition, sid, int(record.get("link_version", 1))),
                  missing=[f.label.get(language) for f in edition.evidence_fields if f.key in left],
                  deadline=edition.timeline.evidence_deadline)
    if (mail := as_reminder(client, event.edition, "team", sid, mail)) is None:
        return  # the team asked for no more reminders
    deliver_once(event, f"team.reminded:{event.edition}:{sid}:{day}", "team_reminded", mail, submission_id=sid)


@consumer.on("assessor.reminded")
def remind_assessor(event: Event) -> None:
    from gemeentedelers.assessment.assessors import LINK_VALID_DAYS, assessor_link
    from gemeentedelers.assessment.reminders import open_for

    aid, day = event.data["assessor_id"], _day(event)
    client = db()
    if not reminders.stored(client, event.edition, "assessor", aid, day):
        return
    person = layout.assessors(client, event.edition).document(aid).get().to_dict()
    if person is None or person.get("status", "active") != "active":
        return
    edition = get_edition(event.edition)
    cases, ballot_missing = open_for(client, edition, aid)
    if not cases and not ballot_missing:
        return
    language = person.get("language", "nl")
    mail = render("assessor_reminded", to=person["email"], language=language,
                  edition_title=edition.info.title.get(language), name=person["name"], cases=cases,
                  ballot_missing=ballot_missing,
                  link=assessor_link(event.edition, aid, person.get("link_version", 1)),
                  valid_until=datetime.now(UTC) + timedelta(days=LINK_VALID_DAYS),
                  deadline=edition.timeline.round2_decided)
    if (mail := as_reminder(client, event.edition, "assessor", aid, mail)) is None:
        return
    deliver_once(event, f"assessor.reminded:{event.edition}:{aid}:{day}", "assessor_reminded", mail)


@consumer.on("juror.reminded")
def remind_juror(event: Event) -> None:
    from gemeentedelers.jury.jurors import LINK_VALID_DAYS, juror_link
    from gemeentedelers.jury.reminders import missing

    jid, day = event.data["juror_id"], _day(event)
    client = db()
    if not reminders.stored(client, event.edition, "juror", jid, day):
        return
    juror = layout.jurors(client, event.edition).document(jid).get().to_dict()
    if juror is None or juror.get("status", "active") != "active":
        return
    edition = get_edition(event.edition)
    categories = missing(client, edition, jid)
    if not categories:
        return
    language = juror.get("language", "nl")
    labels = {c.key: c.label.get(language) for c in edition.categories}
    mail = render("juror_reminded", to=juror["email"], language=language,
                  edition_title=edition.info.title.get(language), name=juror["name"],
                  categories=[labels.get(c, c) for c in categories],
                  link=juror_link(event.edition, jid, juror.get("link_version", 1)),
                  valid_until=datetime.now(UTC) + timedelta(days=LINK_VALID_DAYS),
                  deadline=edition.timeline.winners_announced)
    if (mail := as_reminder(client, event.edition, "juror", jid, mail)) is None:
        return
    deliver_once(event, f"juror.reminded:{event.edition}:{jid}:{day}", "juror_reminded", mail)


@consumer.on("organiser.link_requested")
def mail_organiser_link(event: Event) -> None:
    """A single-use sign-in link (15 minutes) to the console, to the organiser's own address only; a revoked
    organiser gets nothing. At most one a minute (the event id names the minute)."""
    from gemeentedelers.people import organisers

    record = organisers.get(db(), event.data["organiser_id"])
    if record is None or record.get("status") != "active":
        return
    minute = event.event_id.rsplit(":", 1)[-1][:13]
    mail = render("organiser_link", to=record["email"], language="nl", name=record["name"],
                  link=organisers.sign_in_link(record), role=record["role"])
    deliver_once(event, f"organiser.link:{record['organiser_id']}:{record.get('session_version', 1)}:{minute}",
                 "organiser_link", mail)

"""The finalists' programme by mail: each finalist's pitch slot and each juror's pitch session, with .ics
invitations, read from the stored schedule (``jury/programme.py``); the message names only its version."""

from __future__ import annotations

import logging
from dataclasses import replace
from email.utils import parseaddr

from gemeentedelers.editions import get_edition
from gemeentedelers.notify.ledger import deliver_once
from gemeentedelers.notify.mailer import Attachment
from gemeentedelers.notify.service import consumer
from gemeentedelers.notify.templates import render
from gemeentedelers.platform import layout, settings
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.firestore import db
from gemeentedelers.web.i18n import AMSTERDAM

log = logging.getLogger(__name__)
ICS_TYPE = "text/calendar; method=REQUEST; charset=utf-8"


@consumer.on("pitch.scheduled")
def invite_to_pitch(event: Event) -> None:
    from gemeentedelers.assessment.visits import ics
    from gemeentedelers.jury.jurors import all_jurors, serving

    client = db()
    found = layout.pitch_schedule(client, event.edition).get().to_dict()
    if found is None or found.get("version") != event.data["version"]:
        log.info("pitch.scheduled %s: not the stored schedule (moved since, or none): no mail", event.event_id)
        return
    edition = get_edition(event.edition)
    organiser = parseaddr(settings.current().mail_from)[1]
    version = int(found["version"])
    for slot in found["slots"]:
        sid = slot["submission_id"]
        record = layout.submissions(client, event.edition).document(sid).get().to_dict()
        if record is None or not record["contact"].get("email"):
            continue  # erased on request: nobody to invite
        language = record.get("language", "nl")
        starts = slot["starts"]
        mail = render("pitch_invitation", to=record["contact"]["email"], language=language,
                      edition_title=edition.info.title.get(language), name=record["contact"]["name"],
                      title=record["title"], starts=starts, time=starts.astimezone(AMSTERDAM).strftime("%H:%M"),
                      minutes=found["slot_minutes"], place=found["place"], juror=False)
        calendar = ics(uid=f"pitch-{event.edition}-{sid}@gemeentedelers.nl", starts=starts,
                       summary=f"{edition.info.title.get(language)}: pitch {record['title']}", description=mail.text,
                       url="", organiser=organiser, attendees=[record["contact"]["email"]], sequence=version - 1,
                       minutes=int(found["slot_minutes"]), location=found["place"])
        deliver_once(event, f"pitch.scheduled:{event.edition}:{sid}:{version}", "pitch_invitation",
                     replace(mail, attachments=(Attachment("pitch.ics", calendar.encode(), ICS_TYPE),)),
                     submission_id=sid)
    session_minutes = int((found["ends"] - found["starts"]).total_seconds() // 60)
    for juror in serving(all_jurors(client, event.edition)):
        if not juror.get("email"):
            continue
        language = juror.get("language", "nl")
        starts = found["starts"]
        mail = render("pitch_invitation", to=juror["email"], language=language,
                      edition_title=edition.info.title.get(language), name=juror["name"], title="",
                      starts=starts, time=starts.astimezone(AMSTERDAM).strftime("%H:%M"), minutes=session_minutes,
                      place=found["place"], juror=True)
        calendar = ics(uid=f"pitch-{event.edition}-jury@gemeentedelers.nl", starts=starts,
                       summary=f"{edition.info.title.get(language)}: pitches", description=mail.text, url="",
                       organiser=organiser, attendees=[juror["email"]], sequence=version - 1,
                       minutes=session_minutes, location=found["place"])
        deliver_once(event, f"pitch.scheduled:{event.edition}:jury:{juror['juror_id']}:{version}",
                     "pitch_invitation",
                     replace(mail, attachments=(Attachment("pitch.ics", calendar.encode(), ICS_TYPE),)))


@consumer.on("ceremony.invited")
def invite_to_ceremony(event: Event) -> None:
    """Finalists' contacts, serving jurors and sponsors with a contact address, from what is stored."""
    from gemeentedelers.assessment.visits import ics
    from gemeentedelers.jury.jurors import all_jurors, serving
    from gemeentedelers.jury.round3 import finalists
    from gemeentedelers.notify.sponsors import contacts

    client = db()
    found = layout.ceremony(client, event.edition).get().to_dict()
    if found is None or found.get("version") != event.data["version"]:
        log.info("ceremony.invited %s: not the stored invitation: no mail", event.event_id)
        return
    edition = get_edition(event.edition)
    people: list[tuple[str, str, str, str]] = []  # (key, address, name, language)
    for group in finalists(client, edition).values():
        for entry in group:
            record = layout.submissions(client, event.edition).document(entry["submission_id"]).get().to_dict()
            if record and record["contact"].get("email"):
                people.append((entry["submission_id"], record["contact"]["email"], record["contact"]["name"],
                               record.get("language", "nl")))
    people += [(f"jury:{j['juror_id']}", j["email"], j["name"], j.get("language", "nl"))
               for j in serving(all_jurors(client, event.edition)) if j.get("email")]
    people += [(f"sponsor:{s['endpoint_id']}", s["email"], s["name"], "nl") for s in contacts(client)]
    organiser = parseaddr(settings.current().mail_from)[1]
    version = int(found["version"])
    starts = found["starts"]
    for key, address, name, language in people:
        title = edition.info.title.get(language)
        mail = render("ceremony_invitation", to=address, language=language, edition_title=title, name=name,
                      starts=starts, time=starts.astimezone(AMSTERDAM).strftime("%H:%M"), place=found["place"])
        calendar = ics(uid=f"ceremony-{event.edition}@gemeentedelers.nl", starts=starts,
                       summary=f"{title}: prijsuitreiking" if language == "nl" else f"{title}: award ceremony",
                       description=mail.text, url="", organiser=organiser, attendees=[address],
                       sequence=version - 1, minutes=120, location=found["place"])
        deliver_once(event, f"ceremony.invited:{event.edition}:{key}:{version}", "ceremony_invitation",
                     replace(mail, attachments=(Attachment("prijsuitreiking.ics", calendar.encode(), ICS_TYPE),)))

"""Round 2's mails: a team's personal link for its evidence, an assessor's personal link to the cases, a short
mail to an assessor (invited before) who joined one more case's team, and the invitation to a case's visit with an
.ics attachment (RFC 5545) to every assessor of the team and the contact.

Each mail goes through the ledger (``deliver_once``), keyed on what is stored (the roster entry's link version, the
assessor's link version, the team's change that brought them in, the visit's confirmed start) and the recipient,
so a redelivery, or a forged event, sends nobody a second mail. Links are made here, so no credential travels
through Pub/Sub.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import Any

from gemeentedelers.editions import get_edition
from gemeentedelers.entries.release import released
from gemeentedelers.entries.submissions import stored
from gemeentedelers.notify.ledger import deliver_once
from gemeentedelers.notify.mailer import Attachment, Mail
from gemeentedelers.notify.service import consumer
from gemeentedelers.notify.templates import render
from gemeentedelers.platform import layout, settings
from gemeentedelers.platform.consumer import Event
from gemeentedelers.platform.firestore import db

log = logging.getLogger(__name__)


@consumer.on("team.invited")
def invite_team(event: Event) -> None:
    """The team's personal link for round 2, in one mail with round 1's outcome and tips and tops (which
    ``send_feedback`` leaves to this mail), so an advancing entrant gets one mail, not two at once."""
    send_team_invitation(event, event.data["submission_id"])


def send_team_invitation(event: Event, sid: str) -> None:
    """Mail ``sid``'s team its round-2 link with round 1's feedback, once round 1 is released and the organisers
    approved that feedback (``entries/composer.py``): until then nothing goes out, and the approval's
    ``feedback.ready`` calls this again. The ledger key is the invitation's, so it is sent once, whichever event
    comes first."""
    from gemeentedelers.assessment.assessors import team_link
    from gemeentedelers.entries import feedback

    client = db()
    record = stored(client, event.edition, sid)
    entry = layout.roster(client, event.edition, 2).document(sid).get().to_dict() if record else None
    if record is None or entry is None:
        return  # not an entry on round 2's roster: nobody to invite
    if not released(client, event.edition, 1):
        log.info("team.invited %s: round 1's results are held until the announcement: no mail yet", sid)
        return  # the release publishes the invitation again
    found = feedback.due(client, event.edition, 1, sid)
    if found is None and layout.feedback(client, event.edition, 1, sid).get().exists:
        log.info("team.invited %s: round 1's feedback awaits the organisers' approval: no mail yet", sid)
        return  # approving it publishes feedback.ready, which sends this invitation
    found = found or {}
    edition = get_edition(event.edition)
    language = record.get("language", "nl")
    version = int(record.get("link_version", 1))  # the registration's: one link for the entrant's whole edition
    closing = edition.feedback_closing(1, True) if found else None
    mail = render(
        "team_invited", to=record["contact"]["email"], language=language,
        edition_title=edition.info.title.get(language), contact_name=record["contact"]["name"],
        title=record["title"], link=team_link(event.edition, sid, version),
        deadline=edition.timeline.evidence_deadline,
        fields=[f.label.get(language) for f in edition.evidence_fields],
        with_feedback=bool(found), summary=found.get("summary", ""), tops=found.get("tops", []),
        tips=found.get("tips", []), closing=closing.get(language) if closing else "",
    )
    deliver_once(event, f"team.invited:{event.edition}:{sid}:{version}", "team_invited", mail, submission_id=sid)


@consumer.on("assessor.invited")
def invite_assessor(event: Event) -> None:
    from gemeentedelers.assessment.assessors import LINK_VALID_DAYS, assessor_link

    aid = event.data["assessor_id"]
    client = db()
    person = layout.assessors(client, event.edition).document(aid).get().to_dict() if "/" not in aid else None
    if person is None or person.get("status", "active") != "active":
        return  # not stored (a forged event), or withdrawn meanwhile
    version = person.get("link_version", 1)
    invited = person.get("invited_version")
    if invited is None and _in_a_team(client, event.edition, aid):
        invited = version  # a record from before invited_version was kept: being in a team meant an invitation
    if invited != version:
        return  # the invitation for this link was never made: forming the teams or a replacement notes it first
    edition = get_edition(event.edition)
    language = person.get("language", "nl")
    mail = render(
        "assessor_invited", to=person["email"], language=language, edition_title=edition.info.title.get(language),
        name=person["name"], link=assessor_link(event.edition, person["assessor_id"], version),
        valid_until=datetime.now(UTC) + timedelta(days=LINK_VALID_DAYS), deadline=edition.timeline.round2_decided,
    )
    deliver_once(event, f"assessor.invited:{event.edition}:{aid}:{version}", "assessor_invited", mail)


def _in_a_team(client: Any, edition: str, aid: str) -> bool:
    """Whether ``aid`` is in some case's team (records from before ``invited_version`` was kept)."""
    return any(aid in (d.to_dict() or {}).get("members", []) for d in layout.assessment_teams(client, edition).stream())


@consumer.on("assessor.added")
def tell_assessor_added(event: Event) -> None:
    """An assessor who has the invitation already joined one more team: a short mail naming the case, with their
    personal link; once per join (the event id names the team's change), however often it is delivered."""
    from gemeentedelers.assessment.assessors import LINK_VALID_DAYS, active, assessor_link

    aid, sid = event.data["assessor_id"], event.data["submission_id"]
    client = db()
    record = stored(client, event.edition, sid)
    if record is None or "/" in aid:
        return
    person = layout.assessors(client, event.edition).document(aid).get().to_dict()
    team = layout.assessment_teams(client, event.edition).document(sid).get().to_dict()
    if person is None or team is None or not active(person) or aid not in team.get("members", []):
        return  # not stored (a forged event), withdrawn, or replaced in this team again meanwhile
    joins = [n for n, change in enumerate(team.get("changes") or [], start=1)
             if change.get("joining") == aid and change.get("notice") == "added"]
    if not joins:
        return  # no change of this team brought them in as someone invited before
    edition = get_edition(event.edition)
    visit = layout.visits(client, event.edition).document(sid).get().to_dict() or {}
    mail = render_added(person, record, edition_title=edition.info.title.get(person.get("language", "nl")),
                        link=assessor_link(event.edition, aid, person.get("link_version", 1)),
                        valid_until=datetime.now(UTC) + timedelta(days=LINK_VALID_DAYS),
                        deadline=edition.timeline.round2_decided, visit_at=visit.get("confirmed"))
    deliver_once(event, f"assessor.added:{event.edition}:{sid}:{aid}:{joins[-1]}", "assessor_added", mail,
                 submission_id=sid)


def render_added(person: Mapping[str, Any], record: Mapping[str, Any], *, edition_title: str, link: str,
                 valid_until: datetime, deadline: datetime, visit_at: datetime | None) -> Mail:
    """The mail of ``assessor.added``, in the assessor's language: the case they joined and their link."""
    language = person.get("language", "nl")
    return render("assessor_added", to=person["email"], language=language, edition_title=edition_title,
                  name=person["name"], title=record["title"], municipality=record.get("municipality", ""),
                  link=link, valid_until=valid_until, deadline=deadline, visit_at=visit_at)


@consumer.on("visit.confirmed")
def invite_to_visit(event: Event) -> None:
    from gemeentedelers.assessment.visits import ics

    sid = event.data["submission_id"]
    client = db()
    record = stored(client, event.edition, sid)
    visit = layout.visits(client, event.edition).document(sid).get().to_dict() if record else None
    team = layout.assessment_teams(client, event.edition).document(sid).get().to_dict() if record else None
    if record is None or visit is None or team is None or not visit.get("confirmed"):
        return  # no confirmed visit of a stored case: nothing to invite to
    edition = get_edition(event.edition)
    starts = visit["confirmed"].astimezone(UTC)  # the stored slot, not the message's
    people = [{"email": record["contact"]["email"], "name": record["contact"]["name"],
               "language": record.get("language", "nl")}]
    for aid in team.get("members", []):
        person = layout.assessors(client, event.edition).document(aid).get().to_dict()
        if person and person.get("status", "active") == "active":  # a withdrawn member waits for a replacement
            people.append({"email": person["email"], "name": person["name"], "language": person.get("language", "nl")})
    names = [p["name"] for p in people[1:]]
    assessors = [p["email"] for p in people[1:] if p["email"]]
    for index, person in enumerate(people):
        if not person["email"]:  # erased on request (people/privacy.py)
            continue
        language = person["language"]
        title = edition.info.title.get(language)
        mail = render(
            "visit_invitation", to=person["email"], language=language, edition_title=title, name=person["name"],
            title=record["title"], municipality=record["municipality"], starts=starts,
            meeting_url=visit["meeting_url"], assessors=", ".join(names),
        )
        calendar = ics(uid=f"visit-{event.edition}-{sid}@{settings.current().mail_domain}", starts=starts,
                       summary=f"{title}: {record['title']} ({record['municipality']})",
                       description=mail.text, url=visit["meeting_url"],
                       organiser=parseaddr(settings.current().mail_reply_to)[1],  # a mailbox people read
                       attendees=[person["email"], *assessors] if index == 0 else assessors,
                       sequence=int(visit.get("sequence", 0)))
        mail = replace(mail, attachments=(Attachment("bezoek.ics", calendar.encode(),
                                                     "text/calendar; method=REQUEST; charset=utf-8"),))
        deliver_once(event, f"visit.confirmed:{event.edition}:{sid}:{starts:%Y%m%dT%H%M%SZ}", "visit_invitation",
                     mail, submission_id=sid)

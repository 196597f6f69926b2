"""Notify's event handlers: the confirmation of a registration and the feedback after a round, the relay to
sponsors, and the due work of every tick (the outbox, abandoned mail claims).

Every handler reads what it mails from Firestore and derives the mail's ledger key from it, so a forged or
replayed event sends nothing that was not due (docs/events.md, *Trust*)."""

from __future__ import annotations

import logging

from flask import Request, Response

from gemeentedelers.editions import get_edition
from gemeentedelers.entries import feedback
from gemeentedelers.entries.submissions import received_event_id, stored
from gemeentedelers.notify.ledger import deliver_once
from gemeentedelers.notify.templates import render
from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Consumer, Event
from gemeentedelers.platform.firestore import db
from gemeentedelers.platform.tick import DueJob, run_due
from gemeentedelers.web.app import serve
from gemeentedelers.web.links import public_url

consumer = Consumer("notify")
log = logging.getLogger(__name__)


@consumer.on("submission.received")
def confirm_registration(event: Event) -> None:
    """Confirm a stored registration to its contact, read from ``submissions/{id}`` (the event carries no
    contact): a registration that is not stored gets no mail."""
    from gemeentedelers.assessment.assessors import team_link  # the entrant's page (assessment.entrant)

    record = stored(db(), event.edition, event.data["submission_id"])
    if record is None:
        log.warning("submission.received names %s, not stored in %s: no mail", event.data["submission_id"],
                    event.edition)
        return
    edition = get_edition(event.edition)
    category = edition.category(record["category"])
    language = record.get("language", "nl")
    timeline = edition.timeline
    mail = render(
        "confirmation",
        to=record["contact"]["email"],
        language=language,
        edition_title=edition.info.title.get(language),
        contact_name=record["contact"]["name"],
        title=record["title"],
        municipality=record["municipality"],
        co_applicants=record.get("co_applicants") or [],
        submission_id=record["submission_id"],
        category_label=category.label.get(language) if category else record["category"],
        registration_closes=timeline.registration_closes,
        round1_decided=timeline.round1_decided,
        winners_announced=timeline.winners_announced,
        privacy_url=public_url("intake", f"/privacy?lang={language}"),
        link=team_link(event.edition, record["submission_id"], int(record.get("link_version", 1))),
    )
    deliver_once(event, received_event_id(record["submission_id"]), "confirmation", mail,
                 submission_id=record["submission_id"])


@consumer.on("feedback.ready")
def send_feedback(event: Event) -> None:
    """Mail an entry's tips and tops, read from ``layout.feedback`` (the path is built here), once the round's
    outcome is out; nothing for feedback that is not stored or not due."""
    client = db()
    round_, sid = event.data["round"], event.data["submission_id"]
    found = feedback.due(client, event.edition, round_, sid)
    record = stored(client, event.edition, sid)
    if found is None or record is None:
        log.warning("feedback.ready round %d of %s: no such feedback due in %s: no mail", round_, sid, event.edition)
        return
    advanced = bool(found.get("advanced"))
    if round_ == 1 and advanced:  # the round-2 invitation carries round 1's outcome and tips: one mail, not two
        from gemeentedelers.notify.round2_mail import send_team_invitation

        send_team_invitation(event, sid)
        return
    edition = get_edition(event.edition)
    language = record["language"]
    closing = edition.feedback_closing(round_, advanced)
    mail = render(
        "feedback",
        to=record["contact"]["email"],
        language=language,
        edition_title=edition.info.title.get(language),
        contact_name=record["contact"]["name"],
        title=record["title"],
        round=round_,
        advanced=advanced,
        finalist=bool(found.get("finalist")),
        summary=found.get("summary", ""),
        closing=closing.get(language) if closing else "",
        tops=found.get("tops", []),
        tips=found.get("tips", []),
    )
    deliver_once(event, feedback.event_id(event.edition, round_, sid), "feedback", mail, submission_id=sid)


@consumer.on("round.decided")
def release_if_past_moment(event: Event) -> None:
    """A round decided after its announcement moment is released at once (not on the next tick); one decided
    before stays held. Reads the round's state and the clock, never the message's word."""
    release_held_results()


@consumer.on("scorer.assigned")
def invite_scorer(event: Event) -> None:
    """Mail a scorer their personal link; the link is made here, so no credential travels through Pub/Sub.

    What the mail says and whether it is due comes from Firestore: the scorer's assignments of that wave, or a
    reminder the round recorded for that day."""
    from datetime import UTC, datetime, timedelta

    from gemeentedelers.scoring.waves import assignment_due
    from gemeentedelers.web.links import scorer_link

    data = event.data
    client = db()
    scorer = layout.scorers(client, event.edition).document(data["scorer_id"]).get().to_dict() \
        if "/" not in data["scorer_id"] else None
    if scorer is None or scorer.get("status") != "approved":
        return  # unknown, or dropped meanwhile: no mail
    due = assignment_due(client, event.edition, scorer["scorer_id"], data["wave"],
                         data["reminder_on"] if data["reminder"] else None)
    if due is None:
        log.warning("scorer.assigned for %s names nothing assigned or reminded: no mail", scorer["scorer_id"])
        return
    key, new_entries, open_entries = due
    edition = get_edition(event.edition)
    language = scorer.get("language", "nl")
    mail = render(
        "scorer_assigned",
        to=scorer["email"],
        language=language,
        edition_title=edition.info.title.get(language),
        name=scorer["name"],
        reminder=bool(data["reminder"]),
        new_entries=new_entries,
        open_entries=open_entries,
        link=scorer_link(event.edition, scorer["scorer_id"], scorer.get("link_version", 1)),
        valid_until=datetime.now(UTC) + timedelta(days=edition.round1_rules.link_valid_days),
        deadline=edition.timeline.round1_decided,
    )
    if data["reminder"]:  # a reminder can be stopped (List-Unsubscribe); the assignment itself cannot
        from gemeentedelers.notify.optouts import as_reminder

        if (reminder := as_reminder(client, event.edition, "scorer", scorer["scorer_id"], mail)) is None:
            return
        mail = reminder
    deliver_once(event, key, "scorer_assigned", mail)


@consumer.on("winners.announced")
def relay_winners_to_sponsors(event: Event) -> None:
    """One ``sponsor.delivery`` per registered webhook, so each sponsor is retried on its own (sponsors.py), and the
    announcement mails; both from the announced result in Firestore (``winners/result``), never the message."""
    from gemeentedelers.notify import sponsors  # deferred: requests is not needed by the mail handlers
    from gemeentedelers.notify.round3_mail import announce_winners, announced_result

    result = announced_result(db(), event)
    if result is None:
        log.warning("winners.announced %s: no announced result of %s is stored: ignored", event.event_id,
                    event.edition)
        return
    sponsors.fan_out(event, result)
    announce_winners(event, result)  # and the announcement mails to entrants, assessors, jury: idempotent on their own


@consumer.on("sponsor.delivery")
def deliver_to_sponsor(event: Event) -> None:
    """POST the winners to one sponsor's webhook, signed; raises to be retried (sponsors.py)."""
    from gemeentedelers.notify import sponsors

    sponsors.deliver(event)


def retry_abandoned_mails() -> str:
    from gemeentedelers.editions.active import NoActiveEdition, read_active
    from gemeentedelers.notify.ledger import retry_abandoned

    try:
        edition = read_active(db()).edition.key
    except NoActiveEdition:
        return "no active edition"
    return retry_abandoned(db(), edition, consumer.handlers)


def sweep_outbox() -> str:
    from gemeentedelers.platform import outbox

    return outbox.sweep(db())


def expire_dead_letters() -> str:
    from gemeentedelers.platform import deadletters

    return deadletters.expire(db())


def apply_retention() -> str:
    from gemeentedelers.people import retention

    return retention.due()


def release_held_results() -> str:
    """Round 1's and round 2's results go out on the edition's announcement moments (``entries/release.py``)."""
    from gemeentedelers.editions.active import NoActiveEdition, read_active
    from gemeentedelers.entries import release

    try:
        active = read_active(db())
    except NoActiveEdition:
        return "no active edition"
    return release.release_due(db(), active.edition, active.clock.now())


def publish_databank() -> str:
    """The active edition's consenting entries go into the databank once its winners are announced."""
    from gemeentedelers.databank import publish
    from gemeentedelers.editions.active import NoActiveEdition, read_active

    try:
        active = read_active(db())
    except NoActiveEdition:
        return "no active edition"
    return publish.publish_due(db(), active.edition)


DUE = (DueJob("publish the outbox", sweep_outbox), DueJob("release held results", release_held_results),
       DueJob("retry abandoned mails", retry_abandoned_mails), DueJob("expire dead letters", expire_dead_letters),
       DueJob("remove personal data past retention", apply_retention), DueJob("publish the databank",
                                                                              publish_databank))


@consumer.on("tick")
def on_tick(event: Event) -> None:
    run_due("notify", DUE)


def _unsubscribe(request: Request) -> Response:
    from gemeentedelers.notify.optout_pages import unsubscribe

    return unsubscribe(request)


ROUTES = {"/unsubscribe": _unsubscribe}


def handle(request: Request) -> Response:
    return serve("notify", ROUTES, request)
import gemeentedelers.notify.programme_mail  # noqa: E402  (registers the finalists' programme)
import gemeentedelers.notify.reminders  # noqa: E402  (registers the reminders and sign-in links)
import gemeentedelers.notify.round2_mail  # noqa: E402,F401  (registers round 2's handlers)
from gemeentedelers.notify import round3_mail  # noqa: E402,F401  (registers round 3's handlers)

"""Notify's event handlers: the confirmation of a registration and the feedback after a round."""

from __future__ import annotations

from flask import Request, Response

from gemeentedelers.editions import get_edition
from gemeentedelers.notify.ledger import deliver_once
from gemeentedelers.notify.templates import render
from gemeentedelers.platform import layout
from gemeentedelers.platform.consumer import Consumer, Event
from gemeentedelers.platform.firestore import db
from gemeentedelers.web.app import serve

consumer = Consumer("notify")


@consumer.on("submission.received")
def confirm_registration(event: Event) -> None:
    data = event.data
    edition = get_edition(event.edition)
    category = edition.category(data["category"])
    language = data["language"]
    timeline = edition.timeline
    mail = render(
        "confirmation",
        to=data["contact_email"],
        language=language,
        edition_title=edition.info.title.get(language),
        contact_name=data["contact_name"],
        title=data["title"],
        municipality=data["municipality"],
        co_applicants=data["co_applicants"],
        submission_id=data["submission_id"],
        category_label=category.label.get(language) if category else data["category"],
        registration_closes=timeline.registration_closes,
        round1_decided=timeline.round1_decided,
        winners_announced=timeline.winners_announced,
    )
    deliver_once(event.edition, event.event_id, "confirmation", mail, submission_id=data["submission_id"])


@consumer.on("feedback.ready")
def send_feedback(event: Event) -> None:
    """Mail an entry's tips and tops, stored at ``feedback_path`` by the round's service."""
    client = db()
    feedback = client.document(event.data["feedback_path"]).get().to_dict()
    record = layout.submissions(client, event.edition).document(event.data["submission_id"]).get().to_dict()
    if feedback is None or record is None:
        raise LookupError(f"feedback {event.data['feedback_path']} or its submission is not stored (yet)")
    edition = get_edition(event.edition)
    language = record["language"]
    advanced = bool(feedback.get("advanced"))
    closing = edition.feedback_closing(event.data["round"], advanced)
    mail = render(
        "feedback",
        to=record["contact"]["email"],
        language=language,
        edition_title=edition.info.title.get(language),
        contact_name=record["contact"]["name"],
        title=record["title"],
        round=event.data["round"],
        advanced=advanced,
        summary=feedback.get("summary", ""),
        closing=closing.get(language) if closing else "",
        tops=feedback.get("tops", []),
        tips=feedback.get("tips", []),
    )
    deliver_once(event.edition, event.event_id, "feedback", mail, submission_id=record["submission_id"])


@consumer.on("scorer.assigned")
def invite_scorer(event: Event) -> None:
    """Mail a scorer their personal link; the link is made here, so no credential travels through Pub/Sub."""
    from datetime import UTC, datetime, timedelta

    from gemeentedelers.web.links import scorer_link

    data = event.data
    scorer = layout.scorers(db(), event.edition).document(data["scorer_id"]).get().to_dict()
    if scorer is None:
        raise LookupError(f"scorer {data['scorer_id']} is not stored (yet)")
    if scorer["status"] != "approved":
        return  # dropped meanwhile: no mail
    edition = get_edition(event.edition)
    language = scorer.get("language", "nl")
    mail = render(
        "scorer_assigned",
        to=scorer["email"],
        language=language,
        edition_title=edition.info.title.get(language),
        name=scorer["name"],
        reminder=data["reminder"],
        new_entries=data["new_entries"],
        open_entries=data["new_entries"],
        link=scorer_link(event.edition, scorer["scorer_id"], scorer.get("link_version", 1)),
        valid_until=datetime.now(UTC) + timedelta(days=edition.round1_rules.link_valid_days),
        deadline=edition.timeline.round1_decided,
    )
    deliver_once(event.edition, event.event_id, "scorer_assigned", mail)


@consumer.on("winners.announced")
def relay_winners_to_sponsors(event: Event) -> None:
    """One ``sponsor.delivery`` per registered webhook, so each sponsor is retried on its own (sponsors.py)."""
    from gemeentedelers.notify import sponsors  # deferred: requests is not needed by the mail handlers

    sponsors.fan_out(event)
    from gemeentedelers.notify.round3_mail import announce_winners

    announce_winners(event)  # and the announcement mails to entrants, assessors, jury: idempotent on their own


@consumer.on("sponsor.delivery")
def deliver_to_sponsor(event: Event) -> None:
    """POST the winners to one sponsor's webhook, signed; raises to be retried (sponsors.py)."""
    from gemeentedelers.notify import sponsors

    sponsors.deliver(event)


def handle(request: Request) -> Response:
    return serve("notify", {}, request)
import gemeentedelers.notify.reminders  # noqa: E402  (registers the reminders and sign-in links)
import gemeentedelers.notify.round2_mail  # noqa: E402,F401  (registers round 2's handlers)
from gemeentedelers.notify import round3_mail  # noqa: E402,F401  (registers round 3's handlers)

"""The event catalogue: every Pub/Sub topic, its message schema and the services subscribed to it.

This is the one place that says which function subscribes to which topic; the local cloud wires push
subscriptions from it and the deploy step creates triggers from it. Messages are JSON with a
``schema_version``; attributes repeat the envelope (type, id, version, edition) so consumers and filters can
route without parsing the body. ``event_id`` is a business key, stable across re-publishing, so consumers
deduplicate on it rather than on Pub/Sub's message id. docs/events.md documents each event.

Events carry ids, never the state they are about: a consumer reads the registration, the decision, the
feedback or the announced result from Firestore and derives every effect (and its idempotency key) from what is
stored, so a forged or replayed message that passes the door changes nothing that was not due anyway.
Each event type has its own ``version`` (``schema_version`` in the body and the attributes).
"""

from __future__ import annotations

from dataclasses import dataclass

from marshmallow import EXCLUDE, Schema, fields, validate

SCHEMA_VERSION = 1
"""The first version of every event type; the public ``winners.announced`` and the tick are still at it."""
SERVICES = ("intake", "scoring", "assessment", "jury", "notify")
SCHEDULER = "scheduler"
"""The publisher of ``tick``: Cloud Scheduler in production, the local cloud's ticker locally; not a service."""
TICK_TOPIC = "gd-tick"


class EventSchema(Schema):
    """The envelope every event carries. Unknown fields are ignored, so adding a field is not breaking."""

    class Meta:
        unknown = EXCLUDE

    event_id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    event_type = fields.String(required=True)
    schema_version = fields.Integer(required=True, validate=validate.Range(min=1))
    edition = fields.String(required=True)
    occurred_at = fields.AwareDateTime(required=True)


class SubmissionReceived(EventSchema):
    """A registration was stored (version 2: its id and public fields only; consumers read
    ``submissions/{id}``, notify the contact from there). Version 1 also carried the contact; its extra fields
    are ignored."""

    submission_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    municipality = fields.String(load_default=None)
    title = fields.String(load_default=None)
    category = fields.String(load_default=None)


class RoundOpened(EventSchema):
    round = fields.Integer(required=True, validate=validate.Range(min=1, max=3))
    closes_at = fields.AwareDateTime(allow_none=True, load_default=None)


class RoundClosed(EventSchema):
    round = fields.Integer(required=True, validate=validate.Range(min=1, max=3))


class RoundDecided(EventSchema):
    """A round was decided (version 2): ``decision_id`` names the stored, reproducible decision, which says who
    goes on. Version 1 also listed them; consumers never used the lists and ignore them."""

    round = fields.Integer(required=True, validate=validate.Range(min=1, max=3))
    decision_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class TeamInvited(EventSchema):
    """Round 2: an advancing entry's team gets its personal link to supply evidence (notify mails the contact)."""

    submission_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class AssessorInvited(EventSchema):
    """Round 2: an assessor was put in teams; notify mails the personal link to the cases."""

    assessor_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class AssessorAdded(EventSchema):
    """Round 2: an assessor invited before joined one more case's team (replacing a member); notify mails them the
    case, with their personal link. Someone not invited before gets ``assessor.invited`` instead, not both."""

    assessor_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    submission_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class VisitConfirmed(EventSchema):
    """Round 2: a case's visit has a confirmed slot; notify mails an invitation with an .ics to all taking part."""

    submission_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    starts_at = fields.AwareDateTime(required=True)
    sequence = fields.Integer(load_default=0, validate=validate.Range(min=0))


class ScorerAssigned(EventSchema):
    """A scorer got entries to rate (a wave, a replacement) or is reminded of unfinished ones."""

    scorer_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    wave = fields.Integer(required=True, validate=validate.Range(min=0, max=10_000))
    new_entries = fields.Integer(required=True, validate=validate.Range(min=0))
    reminder = fields.Boolean(load_default=False)
    reminder_on = fields.String(load_default=None, validate=validate.Length(max=20))


class FeedbackReady(EventSchema):
    """Tips and tops for one entry after a round are stored and may be sent (version 2: notify builds the
    feedback's path itself; version 1's ``feedback_path`` is ignored)."""

    round = fields.Integer(required=True, validate=validate.Range(min=1, max=3))
    submission_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class PublicFinalist(Schema):
    """A finalist as the public announcement names it."""

    class Meta:
        unknown = EXCLUDE

    category = fields.String(required=True)
    submission_id = fields.String(required=True)
    title = fields.String(required=True)
    municipality = fields.String(required=True)


class PublicWinner(PublicFinalist):
    """A winner: a finalist with its prize and description."""

    prize = fields.String(required=True)
    description = fields.String(required=True)


class WinnersAnnounced(EventSchema):
    """Public: sponsors subscribe to this topic. No personal data. Its JSON Schema is published as
    ``docs/schemas/winners.announced.v1.json`` (``devtools/schemas.py`` writes it; a test keeps it in step)."""

    winners = fields.List(fields.Nested(PublicWinner), required=True)
    finalists = fields.List(fields.Nested(PublicFinalist), required=True)


class SponsorDelivery(EventSchema):
    """Internal: deliver one ``winners.announced`` event to one sponsor's webhook (notify to itself).

    One message per (event, endpoint), so a slow or failing sponsor is retried on its own and never holds up
    the others. The body to send is not carried: notify stored it once, under the winners event's id.
    """

    winners_event_id = fields.String(required=True, validate=validate.Length(min=1, max=200))
    endpoint_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class Tick(EventSchema):
    """Time passed: every service subscribed checks what is due (an announcement, held results, a sweep).

    Cloud Scheduler publishes the same fixed message every few minutes (its Pub/Sub target sends constant data),
    so the envelope's id, edition and moment are optional here: the consumer names a tick by its Pub/Sub message
    id, and every handler reads the competition clock and Firestore itself. A forged tick can only make a service
    look at what is due.
    """

    event_id = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    edition = fields.String(load_default=None)
    occurred_at = fields.AwareDateTime(load_default=None)


class JurorInvited(EventSchema):
    """A juror's personal link to the finalists is due (round 3 opened, or an organiser re-sends it)."""

    juror_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


class PitchScheduled(EventSchema):
    """Round 3: the finalists' pitches to the jury are scheduled (or moved); notify mails .ics invitations."""

    version = fields.Integer(required=True, validate=validate.Range(min=1))


class CeremonyInvited(EventSchema):
    """The award ceremony's invitation is stored; notify invites finalists, jurors and sponsors with an .ics."""

    version = fields.Integer(required=True, validate=validate.Range(min=1))


class TeamReminded(EventSchema):
    """Round 2: an organiser reminded a team whose evidence is not complete; notify mails its contact a reminder
    with the deadline and the link, unless it was completed meanwhile. One per team per day (the id names the
    day); notify mails only for a day the reminder is stored for (``reminders/team:{id}:{day}``)."""

    submission_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    day = fields.Date(required=True)


class AssessorReminded(EventSchema):
    """Round 2: an organiser reminded an assessor with reports to sign or no finalist ballot yet; notify reads
    what is still open and mails it with the deadline and the link. One per assessor per day."""

    assessor_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    day = fields.Date(required=True)


class JurorReminded(EventSchema):
    """Round 3: an organiser reminded a juror with categories still to rank; notify reads which and mails them
    with the link. One per juror per day."""

    juror_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    day = fields.Date(required=True)


class OrganiserLinkRequested(EventSchema):
    """An organiser needs a sign-in link (added, or asked for one); notify mails a fresh single-use link, made
    there, so no credential travels through Pub/Sub. ``edition`` is the active one (where the mail is logged)."""

    organiser_id = fields.String(required=True, validate=validate.Length(min=1, max=100))


@dataclass(frozen=True)
class Topic:
    event_type: str
    topic: str
    schema: type[EventSchema]
    publisher: str
    subscribers: tuple[str, ...]
    public: bool = False
    summary: str = ""
    ack_deadline_s: int = 60
    """How long one subscriber may take to handle one event before Pub/Sub pushes it again: the deployed
    subscriptions' ack deadline (at most 600) and the event functions' timeout follow from it."""
    version: int = SCHEMA_VERSION
    """The schema version this code publishes; consumers accept it and every older one."""


CATALOGUE: tuple[Topic, ...] = (
    Topic("submission.received", "gd-submission-received", SubmissionReceived, "intake", ("scoring", "notify"),
          summary="A registration was stored; scoring enters it in round 1, notify confirms it by mail.", version=2),
    Topic("round.opened", "gd-round-opened", RoundOpened, "scoring", (),
          summary="A round opened for its scorers, assessors or jury."),
    Topic("round.closed", "gd-round-closed", RoundClosed, "scoring", (),
          summary="A round closed: no more scores are accepted."),
    Topic("round.decided", "gd-round-decided", RoundDecided, "scoring", ("assessment", "jury", "notify"),
          summary="A round was decided; assessment takes round 1's advancing entries, the jury round 2's; notify "
                  "releases the results at once when the announcement moment has passed.", version=2),
    Topic("team.invited", "gd-team-invited", TeamInvited, "assessment", ("notify",),
          summary="Round 2: an advancing entry's contact gets the team's personal link for the evidence."),
    Topic("assessor.invited", "gd-assessor-invited", AssessorInvited, "assessment", ("notify",),
          summary="Round 2: an assessor's teams are formed; notify mails the personal link."),
    Topic("assessor.added", "gd-assessor-added", AssessorAdded, "assessment", ("notify",),
          summary="Round 2: an assessor invited before joined a case's team; notify mails them the case and link."),
    Topic("visit.confirmed", "gd-visit-confirmed", VisitConfirmed, "assessment", ("notify",),
          summary="Round 2: a visit's slot is confirmed; notify mails an invitation with an .ics."),
    Topic("scorer.assigned", "gd-scorer-assigned", ScorerAssigned, "scoring", ("notify",),
          summary="A scorer has entries to rate, or a reminder is due; notify mails the personal link."),
    Topic("feedback.ready", "gd-feedback-ready", FeedbackReady, "scoring", ("notify",),
          summary="An entry's tips and tops for a round are ready; notify mails them.", version=2),
    Topic("winners.announced", "gd-winners-announced", WinnersAnnounced, "jury", ("notify",), public=True,
          summary="Public, versioned: the winners per category, for sponsors' systems; notify relays it to "
                  "sponsors' webhooks.",
          ack_deadline_s=600),  # notify mails every entrant, assessor and juror in this one delivery
    Topic("juror.invited", "gd-juror-invited", JurorInvited, "jury", ("notify",),
          summary="Round 3 opened for a juror; notify mails the personal link to the finalists."),
    Topic("pitch.scheduled", "gd-pitch-scheduled", PitchScheduled, "jury", ("notify",),
          summary="Round 3: the pitch schedule is stored; notify mails each finalist their slot and each juror the "
                  "session, with .ics invitations."),
    Topic("ceremony.invited", "gd-ceremony-invited", CeremonyInvited, "jury", ("notify",),
          summary="The award ceremony's invitation is stored; notify invites the finalists, the jury and the "
                  "sponsors with a contact address, with .ics invitations."),
    Topic("team.reminded", "gd-team-reminded", TeamReminded, "assessment", ("notify",),
          summary="Round 2: remind a team whose evidence is not complete, with the deadline (once a day at most)."),
    Topic("assessor.reminded", "gd-assessor-reminded", AssessorReminded, "assessment", ("notify",),
          summary="Round 2: remind an assessor of unsigned reports or a missing ballot (once a day at most)."),
    Topic("juror.reminded", "gd-juror-reminded", JurorReminded, "jury", ("notify",),
          summary="Round 3: remind a juror of categories still to rank (once a day at most)."),
    Topic("organiser.link_requested", "gd-organiser-link-requested", OrganiserLinkRequested, "scoring", ("notify",),
          summary="An organiser's single-use sign-in link is due (added, or asked on any organiser host); notify "
                  "mails it."),
    Topic("sponsor.delivery", "gd-sponsor-delivery", SponsorDelivery, "notify", ("notify",),
          summary="Internal: post one winners event to one sponsor's webhook, retried on its own."),
    Topic("tick", TICK_TOPIC, Tick, SCHEDULER, ("jury", "notify"),
          summary="Every few minutes, from the scheduler: each subscribed service does what is due (the jury "
                  "announces the winners at the edition's moment; notify releases round 1's and round 2's held "
                  "results at theirs, publishes what was stored but not published and retries mails whose sender "
                  "died)."),
)

DEAD_LETTER_TOPIC = "gd-dead-letter"
MAX_DELIVERY_ATTEMPTS = 10
MIN_RETRY_BACKOFF_S = 10
MAX_RETRY_BACKOFF_S = 600
"""Every subscription's retry policy (exponential backoff between these), in production and the local cloud."""
DEAD_LETTER_KEEPER = "notify"
"""The service whose event function receives the dead-letter topic's pushes and keeps every dead letter in
Firestore, where ``gemeentedelers ops dead-letters`` lists and replays them."""

_BY_TYPE = {t.event_type: t for t in CATALOGUE}
_BY_TOPIC = {t.topic: t for t in CATALOGUE}


def winners_event_id(edition: str) -> str:
    """The id an edition's announcement is published under: one per edition, stable across re-publishing, so a
    sponsor drops a repeat (``jury.round3`` publishes it, ``notify.sponsors`` redelivers it)."""
    return f"winners.announced:{edition}"


def topic_for(event_type: str) -> Topic:
    try:
        return _BY_TYPE[event_type]
    except KeyError:
        raise KeyError(f"unknown event type {event_type!r}") from None


def topic_named(topic: str) -> Topic | None:
    return _BY_TOPIC.get(topic)


def subscriptions_of(service: str) -> tuple[Topic, ...]:
    return tuple(t for t in CATALOGUE if service in t.subscribers)


def subscription_id(service: str, topic: Topic) -> str:
    return f"{service}--{topic.topic}"

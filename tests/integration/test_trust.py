"""Forged events at the event functions: without the push token refused, with it without effect.

Every event type of the catalogue is forged at every event function that subscribes to it (and the types
nobody subscribes to at notify's), with ids that name nothing stored or a real registration under a new event
id. With the token the door opens, and then nothing may follow: no mail, no new document, no webhook.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests
from cloudtest import Intake, wait_for
from test_intake_webhooks import REGISTRATION
from unit.notify.sponsor_receiver import Receiver

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import StoredMail
from gemeentedelers.notify import sponsors
from gemeentedelers.platform import bus
from gemeentedelers.platform.events import CATALOGUE, Topic
from gemeentedelers.platform.firestore import db

Mailbox = Callable[[], list[StoredMail]]
FORGED_SID = "sub-forged0000000000"
WINNER = {"category": "direct", "prize": "Nep", "submission_id": FORGED_SID, "title": "Vals",
          "description": "Een vervalste winnaar.", "municipality": "Nergenshuizen"}


def forged_bodies(real_sid: str, endpoint_id: str) -> dict[str, list[dict[str, Any]]]:
    """Per event type, the bodies a forger would try: unknown ids, and a real registration under new ids."""
    return {
        "submission.received": [{"submission_id": FORGED_SID},
                                {"submission_id": real_sid, "_event_id": "submission.received:again"},
                                # version 1 carried the contact: a spam relay if notify believed it
                                {"submission_id": FORGED_SID, "contact_email": "victim@example.org",
                                 "contact_name": "Iemand Anders", "schema_version": 1},
                                {"submission_id": real_sid, "contact_email": "victim@example.org",
                                 "schema_version": 1, "_event_id": "submission.received:relay"}],
        "round.opened": [{"round": 1}],
        "round.closed": [{"round": 1}],
        "round.decided": [{"round": 1, "decision_id": "r1-forged", "advancing": [real_sid], "not_advancing": []},
                          {"round": 2, "decision_id": "r2-forged", "advancing": [real_sid], "not_advancing": []}],
        "team.invited": [{"submission_id": real_sid}, {"submission_id": FORGED_SID}],
        "assessor.invited": [{"assessor_id": "as-forged00000"}],
        "assessor.added": [{"assessor_id": "as-forged00000", "submission_id": real_sid}],
        "visit.confirmed": [{"submission_id": real_sid, "starts_at": "2024-02-01T10:00:00+00:00"}],
        "scorer.assigned": [{"scorer_id": "sc-forged00000", "wave": 1, "new_entries": 3},
                            {"scorer_id": "sc-forged00000", "wave": 1, "new_entries": 0, "reminder": True,
                             "reminder_on": "2023-11-20"}],
        "feedback.ready": [{"round": 1, "submission_id": real_sid,
                            "feedback_path": f"editions/gd2024/feedback/r1-{real_sid}"},
                           {"round": 3, "submission_id": real_sid}],
        "winners.announced": [{"winners": [WINNER], "finalists": [], "_event_id": "winners.announced:gd2024"}],
        "juror.invited": [{"juror_id": "ju-forged00000"}],
        "pitch.scheduled": [{"version": 1}, {"version": 7}],  # no stored schedule: no invitation
        "ceremony.invited": [{"version": 1}],
        "team.reminded": [{"submission_id": real_sid, "day": "2024-03-01"},
                          {"submission_id": FORGED_SID, "day": "2024-03-01"}],
        "assessor.reminded": [{"assessor_id": "as-forged00000", "day": "2024-03-01"}],
        "juror.reminded": [{"juror_id": "ju-forged00000", "day": "2024-05-01"}],
        "organiser.link_requested": [{"organiser_id": "org-forged00000"}],
        "sponsor.delivery": [{"winners_event_id": "winners.announced:gd2024", "endpoint_id": endpoint_id}],
        "tick": [{}],
    }


def event(topic: Topic, body: dict[str, Any], n: int) -> dict[str, Any]:
    body = dict(body)
    event_id = body.pop("_event_id", f"{topic.event_type}:forged-{n}")
    return {"event_id": event_id, "event_type": topic.event_type, "schema_version": topic.version,
            "edition": "gd2024", "occurred_at": "2024-06-21T08:00:00+00:00", **body}


def push(cloud: LocalCloud, service: str, topic: Topic, data: dict[str, Any], message_id: str,
         query: str) -> requests.Response:
    """POST what the Pub/Sub emulator would push, to ``service``'s event function."""
    raw = base64.b64encode(json.dumps(data).encode()).decode()
    body = {"message": {"data": raw, "attributes": {"event_type": topic.event_type}, "messageId": message_id,
                        "publishTime": "2024-06-21T08:00:00Z"},
            "subscription": f"projects/{cloud.project}/subscriptions/{service}--{topic.topic}"}
    url = f"{cloud.url(f'{service}-events')}/projects/{cloud.project}/topics/{topic.topic}{query}"
    return requests.post(url, json=body, timeout=30)


def document_paths() -> set[str]:
    """Every document in the Firestore emulator, recursively."""
    found: set[str] = set()

    def walk(collections: Iterator[Any]) -> None:
        for collection in collections:
            for snapshot in collection.stream():
                found.add(snapshot.reference.path)
                walk(snapshot.reference.collections())
            for ref in collection.list_documents():  # documents that only hold subcollections
                walk(ref.collections())

    walk(db().collections())
    return found


@pytest.fixture
def sponsor() -> Iterator[Receiver]:
    receiver = Receiver()
    yield receiver
    receiver.close()


def test_every_forged_event_is_refused_without_the_token_and_has_no_effect_with_it(
        intake: Intake, mailbox: Mailbox, fresh: LocalCloud, sponsor: Receiver) -> None:
    answer = intake.post("typeform", REGISTRATION)
    assert answer.status_code == 201, answer.text
    real_sid = answer.json()["submission_id"]
    wait_for(lambda: len(mailbox()) == 1, what="the real registration's confirmation")
    endpoint, _ = sponsors.register(db(), "Sponsor BV", sponsor.url)
    wait_for(lambda: f"editions/gd2024/round1_entries/{real_sid}" in document_paths(), what="the round-1 entry")
    from gemeentedelers.jury.service import DUE as JURY_DUE
    from gemeentedelers.notify.service import DUE as NOTIFY_DUE
    from gemeentedelers.platform.tick import run_due

    run_due("jury", JURY_DUE)  # what is really due now (gd2022's retention marker) is done before the forgeries
    run_due("notify", NOTIFY_DUE)
    before = document_paths()

    token = fresh.state["push_token"]
    tried = 0
    bodies = forged_bodies(real_sid, endpoint.endpoint_id)
    assert set(bodies) == {t.event_type for t in CATALOGUE}, "every event type is forged"
    for topic in CATALOGUE:
        for service in topic.subscribers or ("notify",):
            for body in bodies[topic.event_type]:
                tried += 1
                data = event(topic, body, tried)
                for query in ("", "?push_token=wrong"):
                    refused = push(fresh, service, topic, data, f"forged-{tried}", query)
                    assert refused.status_code == 403, (service, topic.event_type, refused.text)
                opened = push(fresh, service, topic, data, f"forged-{tried}", f"?push_token={token}")
                assert opened.status_code in (200, 204), (service, topic.event_type, opened.text)

    time.sleep(3.0)  # whatever a forged event published (a team.invited, a sponsor.delivery) would have landed
    assert tried >= 20
    assert len(mailbox()) == 1, [m.subject for m in mailbox()]
    assert document_paths() == before
    assert sponsor.received() == []


def test_a_forged_submission_received_for_a_real_registration_mails_nobody_again(
        intake: Intake, mailbox: Mailbox) -> None:
    """The ledger key is the registration's own (``submission.received:<id>``), not the message's event id."""
    sid = intake.post("generic", REGISTRATION).json()["submission_id"]
    wait_for(lambda: len(mailbox()) == 1, what="the confirmation")
    bus.publish("submission.received", "submission.received:replayed-with-another-id", "gd2024",
                {"submission_id": sid})
    time.sleep(2.0)
    assert len(mailbox()) == 1


def test_a_forged_announcement_under_the_real_id_does_not_keep_the_real_one_out(
        intake: Intake, mailbox: Mailbox, fresh: LocalCloud, sponsor: Receiver) -> None:
    """The forger is first, under ``winners.announced:gd2024``: nothing happens, and the real announcement later
    reaches the entrant and the sponsor with the real winners (the ledger key is not spent by the forgery)."""
    from datetime import timedelta

    from gemeentedelers.editions import get_edition
    from gemeentedelers.jury.round3 import announce_if_due
    from gemeentedelers.platform import layout

    sid = intake.post("typeform", REGISTRATION).json()["submission_id"]
    wait_for(lambda: len(mailbox()) == 1, what="the confirmation")
    sponsors.register(db(), "Sponsor BV", sponsor.url)
    topic = next(t for t in CATALOGUE if t.event_type == "winners.announced")
    forged = event(topic, {"winners": [WINNER], "finalists": [], "_event_id": "winners.announced:gd2024"}, 1)
    assert push(fresh, "notify", topic, forged, "forged-first", f"?push_token={fresh.state['push_token']}").ok
    time.sleep(2.0)
    assert len(mailbox()) == 1 and sponsor.received() == []

    record = layout.submissions(db(), "gd2024").document(sid).get().to_dict()
    real = {"category": "direct", "prize": "GemeenteDelers 2024, categorie Direct", "submission_id": sid,
            "title": record["title"], "description": record["description"], "municipality": record["municipality"]}
    layout.winners(db(), "gd2024").document("result").set(
        {"status": "embargoed", "confirmed": True, "decision_id": "r3-test", "winners": [real],
         "finalists": [{k: real[k] for k in ("category", "submission_id", "title", "municipality")}]})
    edition = get_edition("gd2024")
    announce_if_due(db(), edition, edition.timeline.winners_announced + timedelta(minutes=1))
    [got] = wait_for(sponsor.received, what="the real winners at the sponsor")
    assert json.loads(got.body)["winners"] == [real]
    announcement = wait_for(lambda: next((m for m in mailbox() if "Samen sterk" in m.text and m != mailbox()[0]
                                          and "Nep" not in m.text), None), what="the real announcement mail")
    assert "Nergenshuizen" not in announcement.text

"""What the intake refuses even when it is signed: control characters in one-line fields, an unsigned
``Idempotency-Key``, form responses older than the registration window, and replays of erased registrations."""

from __future__ import annotations

from datetime import UTC, datetime

import requests
from cloudtest import Intake
from test_intake_webhooks import REGISTRATION

from gemeentedelers.editions import get_edition
from gemeentedelers.entries import submissions
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db


def stored() -> list[str]:
    return [snapshot.id for snapshot in layout.submissions(db(), "gd2024").stream()]


def test_a_title_with_a_line_break_is_refused_naming_the_field(intake: Intake) -> None:
    answer = intake.post("generic", {**REGISTRATION, "title": "Samen\r\nBcc: iedereen@example.org"})
    assert answer.status_code == 422
    assert answer.json()["fields"]["title"]["messages"] == ["Use one line without control characters."]
    assert stored() == []


def test_a_description_keeps_its_line_breaks(intake: Intake) -> None:
    text = "Regel een van de aanpak.\r\nRegel twee\tmet een tab, en meer tekst."
    sid = intake.post("generic", {**REGISTRATION, "description": text}).json()["submission_id"]
    record = layout.submissions(db(), "gd2024").document(sid).get().to_dict()
    assert record["description"] == text.replace("\r\n", "\n")


def test_a_captured_request_replayed_with_other_idempotency_keys_is_refused(intake: Intake) -> None:
    """The key is signed with the body: the one-line attack that made three registrations makes none."""
    request = intake.request("generic", REGISTRATION, event_id="key-1")
    assert intake.send(request).status_code == 201
    for key in ("key-2", "key-3", ""):
        headers = {**request.headers, "Idempotency-Key": key}
        if not key:
            del headers["Idempotency-Key"]
        answer = intake.send(request, headers=headers)
        assert answer.status_code == 401 and answer.json()["reason"] == "bad_signature", answer.text
    assert len(stored()) == 1


def test_form_responses_from_before_the_registration_window_are_refused(intake: Intake) -> None:
    """A Typeform or Tally delivery made before gd2024 opened (a replay, or last edition's form): 403, nothing."""
    opens = get_edition("gd2024").timeline.registration_opens
    active = db().collection("config").document("active").get().to_dict()
    offset = float(active["clock_offset_seconds"])
    before_opening = opens.timestamp() - offset - 86400  # real time whose competition time is a day early
    for provider in ("typeform", "tally"):
        request = intake.request(provider, REGISTRATION, now=before_opening)
        answer = intake.send(request)
        assert answer.status_code == 403, answer.text
        assert answer.json()["error"] == "submitted_before_registration"
        assert answer.json()["registration_opens"] == opens.isoformat()
    assert stored() == []


def test_an_erased_registration_is_not_created_again_by_a_replay(intake: Intake) -> None:
    request = intake.request("typeform", REGISTRATION)
    sid = intake.send(request).json()["submission_id"]
    event_id = layout.submissions(db(), "gd2024").document(sid).get().to_dict()["source"]["event_id"]
    digest, fields = submissions.tombstone_record("gd2024", "typeform", event_id, datetime.now(UTC))
    layout.tombstone(db(), digest).set(fields)  # what the erasure does first, then it deletes the record
    layout.submissions(db(), "gd2024").document(sid).delete()
    answer = requests.post(intake.base + request.path, data=request.body, headers=request.headers, timeout=30)
    assert answer.status_code == 410 and answer.json()["error"] == "registration_erased"
    assert stored() == []

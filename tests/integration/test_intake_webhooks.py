"""Intake through the real intake function, Firestore and Pub/Sub emulators: signatures, validation,
deadlines, size limits and duplicates, each checked against what was (not) stored."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest
from cloudtest import Intake, wait_for

from gemeentedelers.devtools.formtools import FormRequest
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.editions import get_edition
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

PROVIDERS = ("typeform", "tally", "generic")
SIGNATURE_HEADER = {"typeform": "Typeform-Signature", "tally": "Tally-Signature", "generic": "X-Signature"}

REGISTRATION: dict[str, Any] = {
    "municipality": "Westerkwartier",
    "co_applicants": ["Groningen"],
    "contact_name": "Erwin van der Maesen",
    "contact_email": "erwin@westerkwartier.example.org",
    "contact_phone": "+31 594 000 000",
    "title": "Samen sterk in de wijk",
    "description": "Inwoners en gemeente ontwerpen samen de dienstverlening in de wijk, met meetbaar resultaat.",
    "category": "Direct",
    "consent": True,
}


def stored(edition: str = "gd2024") -> list[dict[str, Any]]:
    return [doc.to_dict() for doc in layout.submissions(db(), edition).stream()]


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_signed_registration_is_stored_once_with_its_contact_apart(intake: Intake, provider: str) -> None:
    answer = intake.post(provider, REGISTRATION)
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "registered" and body["edition"] == "gd2024"
    [record] = stored()
    assert record["submission_id"] == body["submission_id"]
    assert record["category"] == "direct"
    assert record["contact"] == {"name": "Erwin van der Maesen", "email": "erwin@westerkwartier.example.org",
                                 "phone": "+31 594 000 000"}
    assert record["source"]["provider"] == provider
    assert record["language"] == "nl"
    entry = wait_for(lambda: layout.round1_entries(db(), "gd2024").document(body["submission_id"]).get().to_dict(),
                     what="the anonymised round-1 entry")
    assert "contact" not in entry and "erwin" not in str(entry).lower()


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_tampered_body_is_rejected_and_nothing_stored(intake: Intake, provider: str) -> None:
    good = intake.request(provider, REGISTRATION)
    tampered = FormRequest(good.path, good.body.replace(b"Westerkwartier", b"Westerkwartiers"), good.headers)
    answer = intake.send(tampered)
    assert answer.status_code == 401
    assert answer.json() == {"error": "invalid_signature", "reason": "bad_signature"}
    assert stored() == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_wrong_secret_is_rejected(intake: Intake, provider: str) -> None:
    answer = intake.post(provider, REGISTRATION, secret="not-the-secret")
    assert answer.status_code == 401 and answer.json()["reason"] == "bad_signature"
    assert stored() == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_a_missing_signature_is_rejected(intake: Intake, provider: str) -> None:
    request = intake.request(provider, REGISTRATION)
    headers = {k: v for k, v in request.headers.items() if k.lower() != SIGNATURE_HEADER[provider].lower()}
    answer = intake.send(request, headers=headers)
    assert answer.status_code == 401 and answer.json()["reason"] == "missing_signature"
    assert stored() == []


def test_a_stale_generic_signature_is_rejected(intake: Intake) -> None:
    answer = intake.post("generic", REGISTRATION, now=time.time() - 6 * 60)
    assert answer.status_code == 401 and answer.json()["reason"] == "stale_timestamp"
    assert stored() == []


def test_a_signature_four_minutes_old_is_still_accepted(intake: Intake) -> None:
    assert intake.post("generic", REGISTRATION, now=time.time() - 4 * 60).status_code == 201


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_bad_field_is_named_and_nothing_is_stored(intake: Intake, provider: str) -> None:
    bad = {**REGISTRATION, "contact_email": "erwin at westerkwartier", "category": "Diagonaal", "consent": False}
    del bad["title"]
    answer = intake.post(provider, bad)
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["error"] == "invalid_registration"
    assert set(body["fields"]) == {"contact_email", "category", "consent", "title"}
    assert body["fields"]["category"]["form_field"] == "category"
    assert stored() == []


def test_invalid_json_gets_400(intake: Intake) -> None:
    request = intake.request("tally", REGISTRATION)
    from gemeentedelers.intake.signatures import sign

    body = b"{not json"
    answer = intake.send(FormRequest(request.path, body, {**request.headers,
                                                          **sign("tally", intake.cloud.state["webhook_secrets"]
                                                                 ["tally"], body)}))
    assert answer.status_code == 400 and answer.json()["error"] == "invalid_json"


def test_a_payload_of_the_wrong_shape_names_the_field(intake: Intake) -> None:
    from gemeentedelers.intake.signatures import sign

    body = b'{"event_id": "x1", "form_response": {"answers": "not a list"}}'
    secret = intake.cloud.state["webhook_secrets"]["typeform"]
    answer = intake.send(FormRequest("/webhooks/typeform", body, {"Content-Type": "application/json",
                                                                   **sign("typeform", secret, body)}))
    assert answer.status_code == 400
    assert answer.json()["error"] == "invalid_payload" and "answers" in answer.json()["field"]


def test_a_body_over_one_mebibyte_gets_413(intake: Intake) -> None:
    big = {**REGISTRATION, "attachment_text": "x" * (1024 * 1024)}
    answer = intake.post("generic", big)
    assert answer.status_code == 413 and answer.json()["error"] == "payload_too_large"
    assert stored() == []


def test_an_unknown_route_and_a_get_get_clear_errors(intake: Intake) -> None:
    import requests

    assert requests.post(intake.base + "/webhooks/jotform", data=b"{}", timeout=10).status_code == 404
    assert requests.get(intake.base + "/webhooks/tally", timeout=10).status_code == 405


def test_registration_after_the_deadline_gets_403_but_a_redelivery_of_an_accepted_one_does_not(
    intake: Intake, fresh: LocalCloud
) -> None:
    accepted = intake.request("typeform", REGISTRATION)
    assert intake.send(accepted).status_code == 201
    closes = get_edition("gd2024").timeline.registration_closes
    fresh.activate("gd2024", closes + timedelta(minutes=1))

    late = intake.post("typeform", {**REGISTRATION, "title": "Te laat ingediend"})
    assert late.status_code == 403
    assert late.json()["error"] == "registration_closed"
    assert late.json()["registration_closes"] == closes.isoformat()

    again = intake.send(accepted)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert len(stored()) == 1


def test_registration_before_opening_gets_403(intake: Intake, fresh: LocalCloud) -> None:
    opens = get_edition("gd2024").timeline.registration_opens
    fresh.activate("gd2024", opens - timedelta(days=1))
    answer = intake.post("tally", REGISTRATION)
    assert answer.status_code == 403 and answer.json()["error"] == "registration_not_open"
    assert stored() == []


@pytest.mark.parametrize("provider", PROVIDERS)
def test_redelivery_stores_one_registration_and_answers_2xx_every_time(intake: Intake, provider: str) -> None:
    request = intake.request(provider, REGISTRATION)
    answers = [intake.send(request) for _ in range(4)]
    assert [a.status_code for a in answers] == [201, 200, 200, 200]
    assert len({a.json()["submission_id"] for a in answers}) == 1
    assert len(stored()) == 1


def test_concurrent_duplicates_store_one_registration(intake: Intake) -> None:
    request = intake.request("typeform", REGISTRATION)
    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(lambda _: intake.send(request), range(20)))
    assert all(a.status_code in (200, 201) for a in answers), [a.text for a in answers if a.status_code >= 300]
    assert sorted(a.status_code for a in answers).count(201) == 1
    assert len(stored()) == 1


def test_gd2022_dutch_tally_labels(intake: Intake, fresh: LocalCloud) -> None:
    dutch_tally_labels = get_edition("gd2022").field_map("tally")
    fresh.activate("gd2022")
    dutch = {dutch_tally_labels[name]: value for name, value in REGISTRATION.items()}
    answer = intake.post("tally", dutch)
    assert answer.status_code == 201, answer.text
    [record] = stored("gd2022")
    assert record["municipality"] == "Westerkwartier" and record["edition"] == "gd2022"
    canonical = intake.post("tally", REGISTRATION)
    assert canonical.status_code == 422
    assert canonical.json()["fields"]["municipality"]["form_field"] == "Gemeente"

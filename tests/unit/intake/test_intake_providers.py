"""Normalising each form tool's webhook payload, from samples shaped like the tools' documented ones."""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from dataclasses import FrozenInstanceError
from typing import Any

import pytest

from gemeentedelers.intake.providers import FormSubmission, PayloadError, parse

# Shaped like Typeform's "Example webhook payload" (typeform.com/developers/webhooks/example-payload):
# definition.fields with ids and refs, one answer per answered field. As in that example some answers
# name their field by id only, so the ref comes from the definition.
TYPEFORM_PAYLOAD: dict[str, Any] = {
    "event_id": "LtWXD3crgy",
    "event_type": "form_response",
    "form_response": {
        "form_id": "lT4Z3j",
        "token": "a3a12ec67a1365927098a606107fac15",
        "submitted_at": "2018-01-18T18:17:02Z",
        "landed_at": "2018-01-18T18:07:02Z",
        "calculated": {"score": 9},
        "variables": [{"key": "score", "type": "number", "number": 4}],
        "hidden": {"user_id": "abc123456", "lang": "nl", "municipality": "Not the answer"},
        "definition": {
            "id": "lT4Z3j",
            "title": "GemeenteDelers aanmelding",
            "fields": [
                {"id": "JwWggjAKtOkA", "title": "Gemeente?", "type": "short_text", "ref": "municipality"},
                {"id": "DlXFaesGBpoF", "title": "Beschrijving", "type": "long_text", "ref": "description"},
                {"id": "SMEUb7VJz92Q", "title": "E-mail", "type": "email", "ref": "contact_email"},
                {"id": "Pp0IVpBhd7Ug", "title": "Telefoon", "type": "phone_number", "ref": "contact_phone"},
                {"id": "KoJxDM3c6x8h", "title": "Gestart op", "type": "date", "ref": "started_on"},
                {"id": "NRsxU591jIW9", "title": "Bereik", "type": "number", "ref": "inhabitants_reached"},
                {"id": "gFFf3xAkJKsr", "title": "Akkoord?", "type": "legal", "ref": "consent"},
                {"id": "SYOjRbx26sRA", "title": "Website", "type": "website", "ref": "website"},
                {
                    "id": "k6TP9oLGgHjl",
                    "title": "Categorie",
                    "type": "multiple_choice",
                    "ref": "category",
                    "allow_multiple_selections": False,
                    "allow_other_choice": True,
                    "choices": [
                        {"id": "eXnU3oA141Cg", "ref": "direct", "label": "Direct"},
                        {"id": "aTZmZGYV6liX", "ref": "digitaal", "label": "Digitaal"},
                    ],
                },
                {
                    "id": "PNe8ZKBK8C2Q",
                    "title": "Mede-indieners",
                    "type": "multiple_choice",
                    "ref": "co_applicants",
                    "allow_multiple_selections": True,
                    "allow_other_choice": True,
                    "choices": [
                        {"id": "bYjY9ua1DPgH", "ref": "zeist", "label": "Zeist"},
                        {"id": "VP9BPsa3mjDe", "ref": "houten", "label": "Houten"},
                    ],
                },
                {"id": "Z9CdSqn5vlki", "title": "Plan", "type": "file_upload", "ref": "plan"},
                {"id": "oTwPVL4s6NLx", "title": "Bron", "type": "dropdown", "ref": "source"},
                {"id": "vNlJGBYDR9qb", "title": "Taal", "type": "short_text", "ref": "lang"},
            ],
        },
        "answers": [
            {"type": "text", "text": "Utrecht", "field": {"id": "JwWggjAKtOkA", "type": "short_text"}},
            {
                "type": "text",
                "text": "Eén loket,\nbij de inwoner thuis.",
                "field": {"id": "DlXFaesGBpoF", "type": "long_text", "ref": "description"},
            },
            {
                "type": "email",
                "email": "f.devries@utrecht.nl",
                "field": {"id": "SMEUb7VJz92Q", "type": "email", "ref": "contact_email"},
            },
            {
                "type": "phone_number",
                "phone_number": "+31302860000",
                "field": {"id": "Pp0IVpBhd7Ug", "type": "phone_number", "ref": "contact_phone"},
            },
            {"type": "date", "date": "2023-03-01", "field": {"id": "KoJxDM3c6x8h", "type": "date"}},
            {"type": "number", "number": 1250, "field": {"id": "NRsxU591jIW9", "type": "number"}},
            {"type": "boolean", "boolean": True, "field": {"id": "gFFf3xAkJKsr", "type": "legal"}},
            {
                "type": "url",
                "url": "https://www.utrecht.nl/wijkteam",
                "field": {"id": "SYOjRbx26sRA", "type": "website"},
            },
            {
                "type": "choice",
                "choice": {"id": "eXnU3oA141Cg", "ref": "direct", "label": "Direct"},
                "field": {"id": "k6TP9oLGgHjl", "type": "multiple_choice", "ref": "category"},
            },
            {
                "type": "choices",
                "choices": {"ids": ["bYjY9ua1DPgH"], "labels": ["Zeist"], "other": "Bunnik"},
                "field": {"id": "PNe8ZKBK8C2Q", "type": "multiple_choice", "ref": "co_applicants"},
            },
            {
                "type": "file_url",
                "file_url": "https://api.typeform.com/forms/lT4Z3j/responses/a3a1/fields/Z9Cd/files/plan.pdf",
                "field": {"id": "Z9CdSqn5vlki", "type": "file_upload"},
            },
            {
                "type": "choice",
                "choice": {"other": "Via de VNG"},
                "field": {"id": "oTwPVL4s6NLx", "type": "dropdown"},
            },
            {
                "type": "text",
                "text": "en",
                "field": {"id": "vNlJGBYDR9qb", "type": "short_text", "ref": "lang"},
            },
            {"type": "text", "text": "orphan", "field": {"id": "notInTheDefinition", "type": "short_text"}},
        ],
    },
}

# Shaped like the example event in Tally's webhook documentation (tally.so/help/webhooks): answers in
# data.fields, choice answers as option ids, and after a CHECKBOXES field one boolean field per option.
TALLY_PAYLOAD: dict[str, Any] = {
    "eventId": "a4cb511e-d513-4fa5-baee-b815d718dfd1",
    "eventType": "FORM_RESPONSE",
    "createdAt": "2023-06-28T15:00:21.889Z",
    "data": {
        "responseId": "2wgx4n",
        "submissionId": "2wgx4n",
        "respondentId": "dwQKYm",
        "formId": "VwbNEw",
        "formName": "GemeenteDelers aanmelding",
        "createdAt": "2023-06-28T15:00:21.000Z",
        "fields": [
            {
                "key": "question_mVGEg3_5be6b7ad-e2ee-4a27-8ad7-0ed4ed5a7b0b",
                "label": "taal",
                "type": "HIDDEN_FIELDS",
                "value": "nl",
            },
            {
                "key": "question_3EKz4n",
                "label": "Naam gemeente",
                "type": "INPUT_TEXT",
                "value": "Súdwest-Fryslân",
            },
            {
                "key": "question_w4Q4Xn",
                "label": "Toelichting",
                "type": "TEXTAREA",
                "value": "Regel 1\nRegel 2",
            },
            {
                "key": "question_3jQ4Jk",
                "label": "E-mail",
                "type": "INPUT_EMAIL",
                "value": "info@sudwestfryslan.nl",
            },
            {
                "key": "question_nWQ4zo",
                "label": "Telefoon",
                "type": "INPUT_PHONE_NUMBER",
                "value": "+31515489000",
            },
            {"key": "question_mRoXgd", "label": "Aantal inwoners", "type": "INPUT_NUMBER", "value": 90000},
            {
                "key": "question_wa1zRv",
                "label": "Website",
                "type": "INPUT_LINK",
                "value": "https://sudwestfryslan.nl",
            },
            {"key": "question_m6b1E1", "label": "Gestart op", "type": "INPUT_DATE", "value": "2022-09-01"},
            {
                "key": "question_w2K4Ve",
                "label": "Categorie",
                "type": "MULTIPLE_CHOICE",
                "value": ["d44d8f8c-6c3b-4d55-8a4f-0c9a1a4c1e01"],
                "options": [
                    {"id": "d44d8f8c-6c3b-4d55-8a4f-0c9a1a4c1e01", "text": "Direct"},
                    {"id": "8f3c2a5e-5c5a-4f0e-9a0e-7f2b1c0d9e02", "text": "Digitaal"},
                ],
            },
            {
                "key": "question_3xN4qB",
                "label": "Provincie",
                "type": "DROPDOWN",
                "value": ["b1"],
                "options": [{"id": "a1", "text": "Groningen"}, {"id": "b1", "text": "Fryslân"}],
            },
            {
                "key": "question_nP9b4A",
                "label": "Mede-indieners",
                "type": "CHECKBOXES",
                "value": ["c1", "c3"],
                "options": [
                    {"id": "c1", "text": "Leeuwarden"},
                    {"id": "c2", "text": "Harlingen"},
                    {"id": "c3", "text": "De Fryske Marren"},
                ],
            },
            {
                "key": "question_nP9b4A_c1",
                "label": "Mede-indieners (Leeuwarden)",
                "type": "CHECKBOXES",
                "value": True,
            },
            {
                "key": "question_nP9b4A_c2",
                "label": "Mede-indieners (Harlingen)",
                "type": "CHECKBOXES",
                "value": False,
            },
            {
                "key": "question_nP9b4A_c3",
                "label": "Mede-indieners (De Fryske Marren)",
                "type": "CHECKBOXES",
                "value": True,
            },
            {
                "key": "question_wMz4aX",
                "label": "Akkoord met de voorwaarden",
                "type": "CHECKBOX",
                "value": True,
            },
            {"key": "question_mYzQ5l", "label": "score", "type": "CALCULATED_FIELDS", "value": 7},
            {"key": "question_31Ge9o", "label": "  Opmerking  ", "type": "TEXTAREA", "value": None},
            {"key": "question_wkbYPJ", "label": "", "type": "INPUT_TEXT", "value": "zonder label"},
            {
                "key": "question_oldMC",
                "label": "Oude keuze",
                "type": "MULTIPLE_CHOICE",
                "value": "e1",  # payloads from 2021 carried a single id, not a list
                "options": [{"id": "e1", "text": "Ja"}, {"id": "e2", "text": "Nee"}],
            },
            {
                "key": "question_other",
                "label": "Bron",
                "type": "MULTIPLE_CHOICE",
                "value": ["Via een collega"],  # an "Other" answer is the typed text, not an option id
                "options": [{"id": "f1", "text": "VNG"}],
            },
            {
                "key": "question_none",
                "label": "Niet beantwoord",
                "type": "DROPDOWN",
                "value": None,
                "options": [{"id": "g1", "text": "A"}],
            },
        ],
    },
}

GENERIC_PAYLOAD: dict[str, Any] = {
    "municipality": "Utrecht",
    "contact_email": "f.devries@utrecht.nl",
    "category": "Direct",
    "consent": True,
    "co_applicants": ["Zeist", "Houten"],
    "language": "en",
}


def _payload(provider: str) -> dict[str, Any]:
    source = {"typeform": TYPEFORM_PAYLOAD, "tally": TALLY_PAYLOAD, "generic": GENERIC_PAYLOAD}[provider]
    return copy.deepcopy(source)


# --- Typeform ----------------------------------------------------------------------------------------


def test_typeform_documented_shape() -> None:
    form = parse("typeform", _payload("typeform"), {})
    assert form == FormSubmission(
        provider="typeform",
        event_id="LtWXD3crgy",
        submitted_at="2018-01-18T18:17:02Z",
        answers={
            "municipality": "Utrecht",  # field id only: ref from the definition
            "description": "Eén loket,\nbij de inwoner thuis.",
            "contact_email": "f.devries@utrecht.nl",
            "contact_phone": "+31302860000",
            "started_on": "2023-03-01",
            "inhabitants_reached": 1250,
            "consent": True,
            "website": "https://www.utrecht.nl/wijkteam",
            "category": "Direct",
            "co_applicants": ["Zeist", "Bunnik"],  # labels, then the "other" text
            "plan": "https://api.typeform.com/forms/lT4Z3j/responses/a3a1/fields/Z9Cd/files/plan.pdf",
            "source": "Via de VNG",  # choice with only "other"
            "lang": "en",  # the answer wins over the hidden field of the same name
            "notInTheDefinition": "orphan",  # neither ref nor definition: keyed by id
            "user_id": "abc123456",  # hidden field
        },
    )


def test_typeform_without_hidden_or_definition() -> None:
    payload = _payload("typeform")
    del payload["form_response"]["hidden"], payload["form_response"]["definition"]
    answers = parse("typeform", payload, {}).answers
    assert answers["JwWggjAKtOkA"] == "Utrecht"  # no definition to map the id to a ref
    assert answers["contact_email"] == "f.devries@utrecht.nl"
    assert "user_id" not in answers


def test_typeform_without_answers_or_submitted_at() -> None:
    payload = _payload("typeform")
    del payload["form_response"]["answers"], payload["form_response"]["submitted_at"]
    form = parse("typeform", payload, {})
    assert form.answers == {"user_id": "abc123456", "lang": "nl", "municipality": "Not the answer"}
    assert form.submitted_at is None


def test_typeform_passes_unknown_answer_types_through() -> None:
    payload = _payload("typeform")
    payment = {"amount": "25", "last4": "4242", "name": "Gemeente Utrecht", "success": True}
    payload["form_response"]["answers"].append(
        {"type": "payment", "payment": payment, "field": {"ref": "fee"}}
    )
    assert parse("typeform", payload, {}).answers["fee"] == payment


def test_typeform_choices_without_other() -> None:
    payload = _payload("typeform")
    payload["form_response"]["answers"][9]["choices"] = {"labels": ["Zeist", "Houten"]}
    assert parse("typeform", payload, {}).answers["co_applicants"] == ["Zeist", "Houten"]


# --- Tally -------------------------------------------------------------------------------------------


def test_tally_documented_shape() -> None:
    form = parse("tally", _payload("tally"), {})
    assert form == FormSubmission(
        provider="tally",
        event_id="a4cb511e-d513-4fa5-baee-b815d718dfd1",
        submitted_at="2023-06-28T15:00:21.000Z",
        answers={
            "taal": "nl",
            "Naam gemeente": "Súdwest-Fryslân",
            "Toelichting": "Regel 1\nRegel 2",
            "E-mail": "info@sudwestfryslan.nl",
            "Telefoon": "+31515489000",
            "Aantal inwoners": 90000,
            "Website": "https://sudwestfryslan.nl",
            "Gestart op": "2022-09-01",
            "Categorie": "Direct",  # one option id -> its text
            "Provincie": "Fryslân",
            "Mede-indieners": ["Leeuwarden", "De Fryske Marren"],
            "Mede-indieners (Leeuwarden)": True,
            "Mede-indieners (Harlingen)": False,
            "Mede-indieners (De Fryske Marren)": True,
            "Akkoord met de voorwaarden": True,
            "score": 7,
            "Opmerking": None,  # label trimmed, unanswered stays None
            "question_wkbYPJ": "zonder label",  # empty label: keyed by the field key
            "Oude keuze": "Ja",
            "Bron": "Via een collega",
            "Niet beantwoord": None,
        },
    )


def test_tally_submitted_at_falls_back_to_the_event_time() -> None:
    payload = _payload("tally")
    del payload["data"]["createdAt"]
    assert parse("tally", payload, {}).submitted_at == "2023-06-28T15:00:21.889Z"
    del payload["createdAt"]
    assert parse("tally", payload, {}).submitted_at is None


def test_tally_multiple_selections_stay_a_list() -> None:
    payload = _payload("tally")
    payload["data"]["fields"][8]["value"] = [
        "d44d8f8c-6c3b-4d55-8a4f-0c9a1a4c1e01",
        "8f3c2a5e-5c5a-4f0e-9a0e-7f2b1c0d9e02",
    ]
    payload["data"]["fields"][10]["value"] = []
    answers = parse("tally", payload, {}).answers
    assert answers["Categorie"] == ["Direct", "Digitaal"]
    assert answers["Mede-indieners"] == []


# --- generic -----------------------------------------------------------------------------------------


def test_generic_idempotency_key_header_wins() -> None:
    payload = {**_payload("generic"), "idempotency_key": "from-body"}
    form = parse("generic", payload, {"Idempotency-Key": "from-header"})
    assert form == FormSubmission("generic", "from-header", _payload("generic"), None)


@pytest.mark.parametrize("name", ["idempotency-key", "IDEMPOTENCY-KEY", "Idempotency-Key"])
def test_generic_idempotency_header_is_case_insensitive(name: str) -> None:
    assert parse("generic", _payload("generic"), {name: "k-1"}).event_id == "k-1"


@pytest.mark.parametrize("headers", [{}, {"Idempotency-Key": ""}, {"Idempotency-Key": "  "}])
def test_generic_body_key_without_a_header(headers: dict[str, str]) -> None:
    form = parse("generic", {**_payload("generic"), "idempotency_key": "from-body"}, headers)
    assert form.event_id == "from-body"
    assert "idempotency_key" not in form.answers
    assert form.answers == _payload("generic")


def test_generic_body_hash_without_any_key() -> None:
    payload = _payload("generic")
    form = parse("generic", payload, {})
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    assert form.event_id == "sha256:" + hashlib.sha256(canonical).hexdigest()
    assert form.answers == payload
    # A redelivery, even re-serialised with another key order, is the same registration ...
    reordered = dict(reversed(list(payload.items())))
    assert parse("generic", reordered, {}).event_id == form.event_id
    # ... and any other answer another one.
    assert parse("generic", {**payload, "municipality": "Utrecht "}, {}).event_id != form.event_id


def test_generic_submitted_at_when_present() -> None:
    payload = {**_payload("generic"), "submitted_at": "2024-05-01T10:00:00Z"}
    assert parse("generic", payload, {"Idempotency-Key": "k"}).submitted_at == "2024-05-01T10:00:00Z"


def test_generic_flask_headers() -> None:
    datastructures = pytest.importorskip("werkzeug.datastructures")
    headers = datastructures.Headers([("idempotency-key", "k-flask")])
    assert parse("generic", _payload("generic"), headers).event_id == "k-flask"


# --- envelope errors ---------------------------------------------------------------------------------

Mutation = Callable[[dict[str, Any]], Any]


def _set(path: str, value: Any) -> Mutation:
    """Replace (or with value ..., delete) the item at a path of keys and indexes."""

    def mutate(payload: dict[str, Any]) -> dict[str, Any]:
        *parents, last = [int(part) if part.isdigit() else part for part in path.split("/")]
        target: Any = payload
        for part in parents:
            target = target[part]
        if value is ...:
            del target[last]
        else:
            target[last] = value
        return payload

    return mutate


ERRORS: list[tuple[str, Mutation, str]] = [
    ("typeform", lambda _: ["not", "an", "object"], "body"),
    ("typeform", _set("event_id", ...), "event_id"),
    ("typeform", _set("event_id", 42), "event_id"),
    ("typeform", _set("event_id", ""), "event_id"),
    ("typeform", _set("event_id", "x" * 256), "event_id"),
    ("typeform", _set("event_type", "form_response_partial"), "event_type"),
    ("typeform", _set("form_response", ...), "form_response"),
    ("typeform", _set("form_response", "x"), "form_response"),
    ("typeform", _set("form_response/answers", {}), "form_response.answers"),
    ("typeform", _set("form_response/answers/0", "x"), "form_response.answers[0]"),
    (
        "typeform",
        _set("form_response/answers/2/field", {"type": "email"}),
        "form_response.answers[2].field.ref",
    ),
    ("typeform", _set("form_response/answers/2/field", ...), "form_response.answers[2].field"),
    ("typeform", _set("form_response/answers/3/type", ...), "form_response.answers[3].type"),
    ("typeform", _set("form_response/answers/3/phone_number", ...), "form_response.answers[3].phone_number"),
    ("typeform", _set("form_response/answers/0/text", 7), "form_response.answers[0].text"),
    ("typeform", _set("form_response/answers/5/number", "1250"), "form_response.answers[5].number"),
    ("typeform", _set("form_response/answers/5/number", True), "form_response.answers[5].number"),
    ("typeform", _set("form_response/answers/6/boolean", "yes"), "form_response.answers[6].boolean"),
    ("typeform", _set("form_response/answers/8/choice", "Direct"), "form_response.answers[8].choice"),
    (
        "typeform",
        _set("form_response/answers/8/choice", {"id": "x"}),
        "form_response.answers[8].choice.label",
    ),
    (
        "typeform",
        _set("form_response/answers/9/choices/labels", "Zeist"),
        "form_response.answers[9].choices.labels",
    ),
    (
        "typeform",
        _set("form_response/answers/9/choices/labels/0", 1),
        "form_response.answers[9].choices.labels[0]",
    ),
    ("typeform", _set("form_response/answers/9/choices/other", 1), "form_response.answers[9].choices.other"),
    ("typeform", _set("form_response/hidden", ["lang"]), "form_response.hidden"),
    ("typeform", _set("form_response/definition", []), "form_response.definition"),
    ("typeform", _set("form_response/definition/fields", {}), "form_response.definition.fields"),
    ("typeform", _set("form_response/definition/fields/1", None), "form_response.definition.fields[1]"),
    ("tally", lambda _: "text", "body"),
    ("tally", _set("eventId", ...), "eventId"),
    ("tally", _set("eventId", None), "eventId"),
    ("tally", _set("eventType", "FORM_UPDATED"), "eventType"),
    ("tally", _set("data", ...), "data"),
    ("tally", _set("data/fields", ...), "data.fields"),
    ("tally", _set("data/fields", {"a": 1}), "data.fields"),
    ("tally", _set("data/fields/2", "x"), "data.fields[2]"),
    ("tally", _set("data/fields/1", {"type": "INPUT_TEXT", "value": "x"}), "data.fields[1].key"),
    ("tally", _set("data/fields/1/label", 5), "data.fields[1].label"),
    ("tally", _set("data/fields/8/options", "Direct"), "data.fields[8].options"),
    ("tally", _set("data/fields/8/options/0", {"id": "x"}), "data.fields[8].options[0]"),
    ("tally", _set("data/fields/10/options/1", "Harlingen"), "data.fields[10].options[1]"),
    ("generic", lambda _: [], "body"),
    ("generic", lambda _: None, "body"),
    ("generic", _set("idempotency_key", 42), "idempotency_key"),
    ("generic", _set("idempotency_key", " "), "idempotency_key"),
]


@pytest.mark.parametrize(("provider", "mutate", "field"), ERRORS, ids=[f"{p}:{f}" for p, _, f in ERRORS])
def test_envelope_errors_name_the_field(provider: str, mutate: Mutation, field: str) -> None:
    payload = mutate(_payload(provider))
    with pytest.raises(PayloadError) as caught:
        parse(provider, payload, {})
    assert caught.value.field == field
    assert caught.value.message
    assert str(caught.value) == f"{field}: {caught.value.message}"


def test_generic_header_key_too_long() -> None:
    with pytest.raises(PayloadError) as caught:
        parse("generic", _payload("generic"), {"Idempotency-Key": "k" * 256})
    assert caught.value.field == "Idempotency-Key"


def test_payload_error_is_a_value_error() -> None:
    assert issubclass(PayloadError, ValueError)


def test_unknown_provider() -> None:
    with pytest.raises(ValueError, match="unknown provider"):
        parse("jotform", {}, {})


def test_form_submission_is_frozen() -> None:
    form = parse("generic", _payload("generic"), {"Idempotency-Key": "k"})
    with pytest.raises(FrozenInstanceError):
        form.event_id = "other"  # type: ignore[misc]

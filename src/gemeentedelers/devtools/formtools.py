"""Simulators of the form tools that post registrations to our webhooks (for tests and the demo).

`build_request` turns a registration, given as ``{field name: value}``, into the exact HTTP request
Typeform, Tally or a plain JSON form would send to ``/webhooks/<provider>``: the provider's envelope
(Typeform's definition + answers, Tally's fields with option ids), the JSON body as bytes and the
signature header. Parsing that body with `gemeentedelers.intake.providers.parse` gives the values back;
the tests hold the two to that.

Field names become Typeform refs, Tally labels or generic JSON keys, so an edition can use its own
(Dutch) names. The question type is picked from the value, the way the form would have been built:

======================  ==========================  ===========================================
value                   Typeform (field / answer)   Tally
======================  ==========================  ===========================================
bool                    yes_no (legal) / boolean    CHECKBOX
int, float              number / number             INPUT_NUMBER
str in `choice_fields`  multiple_choice / choice    MULTIPLE_CHOICE (option ids)
list of str             multiple_choice / choices   CHECKBOXES (+ one boolean field per option)
e-mail address          email / email               INPUT_EMAIL
phone number            phone_number / phone_number INPUT_PHONE_NUMBER
http(s) URL             website / url               INPUT_LINK
YYYY-MM-DD              date / date                 INPUT_DATE
multi-line or long str  long_text / text            TEXTAREA
other str               short_text / text           INPUT_TEXT
str in `hidden`         hidden field                HIDDEN_FIELDS
None                    no answer (skipped)         INPUT_TEXT with value null
======================  ==========================  ===========================================

An empty list is, like None, no answer at all in Typeform.
"""

from __future__ import annotations

import json
import math
import re
import time
import uuid
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from gemeentedelers.intake.signatures import PROVIDERS, sign

__all__ = [
    "CHOICE_FIELDS",
    "EXAMPLE_REGISTRATION",
    "HIDDEN_FIELDS",
    "FormRequest",
    "build_request",
]

#: Fields asked as a single-choice question when their value is a string.
CHOICE_FIELDS: frozenset[str] = frozenset({"category", "categorie"})

#: Fields a form fills from its URL (``?language=en``) rather than asks.
HIDDEN_FIELDS: frozenset[str] = frozenset({"language", "lang", "taal"})

#: A registration as the demo submits it.
EXAMPLE_REGISTRATION: Mapping[str, Any] = {
    "municipality": "Utrecht",
    "contact_name": "Fleur de Vries",
    "contact_email": "f.devries@utrecht.nl",
    "contact_phone": "+31 30 286 0000",
    "category": "Direct",
    "title": "Wijkteam aan huis",
    "description": "Eén loket voor zorg, werk en inkomen,\nbij de inwoner thuis.",
    "website": "https://www.utrecht.nl/wijkteam",
    "started_on": "2023-03-01",
    "inhabitants_reached": 1250,
    "consent": True,
    "co_applicants": ["Zeist", "Houten"],
    "language": "en",
}

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_PHONE = re.compile(r"\+?[0-9][0-9 ()-]{5,}[0-9]")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_URL = re.compile(r"https?://\S+")
_PHONE_HINTS = ("phone", "telefoon", "tel")
_LEGAL_HINTS = ("consent", "akkoord", "toestemming", "privacy", "terms")
_LONG_TEXT = 100
_ID_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


@dataclass(frozen=True)
class FormRequest:
    """What the form tool POSTs: the path on our side, the raw body and the headers."""

    path: str
    body: bytes
    headers: dict[str, str]

    def json(self) -> Any:
        """The body parsed, as the webhook's request.get_json() would see it."""
        return json.loads(self.body)


def build_request(
    provider: str,
    fields: Mapping[str, Any],
    secret: bytes | str,
    *,
    event_id: str | None = None,
    now: float | None = None,
    choice_fields: Collection[str] = CHOICE_FIELDS,
    hidden: Collection[str] = HIDDEN_FIELDS,
    options: Mapping[str, Sequence[str]] | None = None,
) -> FormRequest:
    """The signed request `provider` would send for a registration with these `fields`.

    `event_id` fixes the delivery id (Typeform event_id, Tally eventId, generic Idempotency-Key),
    otherwise a random one is made, as each new submission gets. `now` (unix seconds) fixes the
    payload's timestamps and the signature's. `options` lists, per field, the answer options the form
    offers besides the chosen ones (a field listed there is a choice question too).
    """
    if provider not in PROVIDERS:
        raise ValueError(f"unknown provider {provider!r}; expected one of {', '.join(PROVIDERS)}")
    for name in fields:
        if not isinstance(name, str) or not name or name != name.strip():
            raise ValueError(f"field name {name!r} must be a non-empty string without outer spaces")
    moment = time.time() if now is None else now
    offered = dict(options or {})
    choice_names = frozenset(choice_fields) | frozenset(offered)
    questions = [
        _Question(name, value, choice_names, frozenset(hidden), offered) for name, value in fields.items()
    ]

    extra_headers: dict[str, str] = {}
    if provider == "typeform":
        payload: dict[str, Any] = _typeform_payload(questions, event_id, moment)
    elif provider == "tally":
        payload = _tally_payload(questions, event_id, moment)
    else:
        payload = dict(fields)
        extra_headers["Idempotency-Key"] = event_id or str(uuid.uuid4())
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = {
        "Content-Type": "application/json",
        **extra_headers,
        **sign(provider, secret, body, now=moment, idempotency_key=extra_headers.get("Idempotency-Key")),
    }
    return FormRequest(f"/webhooks/{provider}", body, headers)


class _Question:
    """One field of the registration, with the kind of question a form builder would have made."""

    def __init__(
        self,
        name: str,
        value: Any,
        choice_names: frozenset[str],
        hidden: frozenset[str],
        offered: Mapping[str, Sequence[str]],
    ) -> None:
        self.name = name
        self.value = value
        self.kind = _kind(name, value, choice_names, hidden)
        chosen = value if isinstance(value, list) else [value] if self.kind == "choice" else []
        # Every option once, chosen ones included, in a stable order.
        self.options: list[str] = list(dict.fromkeys([*offered.get(name, ()), *chosen]))

    @property
    def title(self) -> str:
        return self.name.replace("_", " ").capitalize() + "?"


def _kind(name: str, value: Any, choice_names: frozenset[str], hidden: frozenset[str]) -> str:
    lowered = name.lower()
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return "legal" if any(hint in lowered for hint in _LEGAL_HINTS) else "boolean"
    if isinstance(value, int | float):
        if not math.isfinite(value):
            raise ValueError(f"{name}: a form cannot submit {value!r}")
        return "number"
    if isinstance(value, list):
        if not all(isinstance(item, str) for item in value):
            raise TypeError(f"{name}: only lists of strings can be a form's multiple choice answer")
        return "choices"
    if not isinstance(value, str):
        raise TypeError(f"{name}: a form cannot submit a {type(value).__name__}")
    if name in hidden:
        return "hidden"
    if name in choice_names:
        return "choice"
    if _EMAIL.fullmatch(value):
        return "email"
    if _PHONE.fullmatch(value) and (value.startswith("+") or any(hint in lowered for hint in _PHONE_HINTS)):
        return "phone"
    if _URL.fullmatch(value):
        return "url"
    if _DATE.fullmatch(value):
        return "date"
    if "\n" in value or len(value) > _LONG_TEXT:
        return "long_text"
    return "short_text"


# --- Typeform --------------------------------------------------------------------------------------

_TYPEFORM_TYPES = {
    # kind: (field type in the definition, answer type)
    "boolean": ("yes_no", "boolean"),
    "legal": ("legal", "boolean"),
    "number": ("number", "number"),
    "email": ("email", "email"),
    "phone": ("phone_number", "phone_number"),
    "url": ("website", "url"),
    "date": ("date", "date"),
    "long_text": ("long_text", "text"),
    "short_text": ("short_text", "text"),
    "empty": ("short_text", "text"),
}


def _typeform_payload(questions: list[_Question], event_id: str | None, now: float) -> dict[str, Any]:
    """Shaped like Typeform's documented example payload (developers/webhooks/example-payload)."""
    form_id = _short_id(8)
    fields: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    hidden: dict[str, str] = {}
    for question in questions:
        if question.kind == "hidden":
            hidden[question.name] = question.value
            continue
        field: dict[str, Any] = {"id": _short_id(12), "title": question.title, "ref": question.name}
        if question.kind in ("choice", "choices"):
            choices = [
                {"id": _short_id(12), "ref": str(uuid.uuid4()), "label": label} for label in question.options
            ]
            field.update(
                type="multiple_choice",
                properties={},
                allow_multiple_selections=question.kind == "choices",
                allow_other_choice=False,
                choices=choices,
            )
        else:
            field.update(type=_TYPEFORM_TYPES[question.kind][0], properties={})
        fields.append(field)
        answer = _typeform_answer(question, field)
        if answer is not None:
            answers.append(answer)

    response: dict[str, Any] = {
        "form_id": form_id,
        "token": uuid.uuid4().hex,
        "landed_at": _iso(now - 180),
        "submitted_at": _iso(now),
    }
    if hidden:
        response["hidden"] = hidden
    response["definition"] = {"id": form_id, "title": "GemeenteDelers aanmelding", "fields": fields}
    response["answers"] = answers
    return {
        "event_id": event_id or uuid.uuid4().hex[:26].upper(),  # a ULID-like id, as Typeform sends
        "event_type": "form_response",
        "form_response": response,
    }


def _typeform_answer(question: _Question, field: dict[str, Any]) -> dict[str, Any] | None:
    """The answer block, or None where Typeform sends none (a skipped question)."""
    if question.value is None or question.value == []:
        return None
    reference = {"id": field["id"], "type": field["type"], "ref": field["ref"]}
    if question.kind == "choice":
        chosen = next(choice for choice in field["choices"] if choice["label"] == question.value)
        return {"type": "choice", "choice": chosen, "field": reference}
    if question.kind == "choices":
        by_label = {choice["label"]: choice for choice in field["choices"]}
        picked = [by_label[label] for label in question.value]
        value = {
            "ids": [choice["id"] for choice in picked],
            "refs": [choice["ref"] for choice in picked],
            "labels": list(question.value),
        }
        return {"type": "choices", "choices": value, "field": reference}
    answer_type = _TYPEFORM_TYPES[question.kind][1]
    return {"type": answer_type, answer_type: question.value, "field": reference}


# --- Tally -----------------------------------------------------------------------------------------

_TALLY_TYPES = {
    "boolean": "CHECKBOX",
    "legal": "CHECKBOX",
    "number": "INPUT_NUMBER",
    "email": "INPUT_EMAIL",
    "phone": "INPUT_PHONE_NUMBER",
    "url": "INPUT_LINK",
    "date": "INPUT_DATE",
    "long_text": "TEXTAREA",
    "short_text": "INPUT_TEXT",
    "empty": "INPUT_TEXT",
}


def _tally_payload(questions: list[_Question], event_id: str | None, now: float) -> dict[str, Any]:
    """Shaped like the example event in Tally's webhook documentation (tally.so/help/webhooks)."""
    response_id = _short_id(6)
    fields: list[dict[str, Any]] = []
    for question in questions:
        key = f"question_{_short_id(6)}"
        if question.kind == "hidden":
            key = f"{key}_{uuid.uuid4()}"
            fields.append(
                {"key": key, "label": question.name, "type": "HIDDEN_FIELDS", "value": question.value}
            )
        elif question.kind in ("choice", "choices"):
            fields.extend(_tally_choice_fields(question, key))
        else:
            fields.append(
                {
                    "key": key,
                    "label": question.name,
                    "type": _TALLY_TYPES[question.kind],
                    "value": question.value,
                }
            )
    return {
        "eventId": event_id or str(uuid.uuid4()),
        "eventType": "FORM_RESPONSE",
        "createdAt": _iso(now, millis=True),
        "data": {
            "responseId": response_id,
            "submissionId": response_id,
            "respondentId": _short_id(6),
            "formId": _short_id(6),
            "formName": "GemeenteDelers aanmelding",
            "createdAt": _iso(int(now), millis=True),
            "fields": fields,
        },
    }


def _tally_choice_fields(question: _Question, key: str) -> list[dict[str, Any]]:
    """A choice question answers with option ids; checkboxes add one boolean field per option."""
    options = [{"id": str(uuid.uuid4()), "text": text} for text in question.options]
    id_of = {option["text"]: option["id"] for option in options}
    chosen = question.value if question.kind == "choices" else [question.value]
    field_type = "CHECKBOXES" if question.kind == "choices" else "MULTIPLE_CHOICE"
    main = {
        "key": key,
        "label": question.name,
        "type": field_type,
        "value": [id_of[text] for text in chosen],
        "options": options,
    }
    if question.kind == "choice":
        return [main]
    per_option = [
        {
            "key": f"{key}_{option['id']}",
            "label": f"{question.name} ({option['text']})",
            "type": "CHECKBOXES",
            "value": option["text"] in chosen,
        }
        for option in options
    ]
    return [main, *per_option]


# --- shared ----------------------------------------------------------------------------------------


def _iso(moment: float, *, millis: bool = False) -> str:
    """UTC ISO 8601 as the tools write it: 2018-01-18T18:17:02Z (Typeform), …02.889Z (Tally)."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(moment))
    if not millis:
        return stamp + "Z"
    return f"{stamp}.{int(moment * 1000) % 1000:03d}Z"


def _short_id(length: int) -> str:
    """A random alphanumeric id like the tools' own (Typeform field ids, Tally response ids)."""
    number = uuid.uuid4().int
    chars = []
    for _ in range(length):
        number, index = divmod(number, len(_ID_ALPHABET))
        chars.append(_ID_ALPHABET[index])
    return "".join(chars)

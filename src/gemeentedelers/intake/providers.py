"""One shape for the registrations that Typeform, Tally and plain JSON forms post to us.

Each form tool wraps a submission in its own envelope; `parse` checks that envelope and flattens the
answers into ``{field name: value}`` so the registration's validation (marshmallow, elsewhere) does not
care which tool the municipality used. It does not judge the answers themselves.

- Typeform: answers keyed by the field's ``ref`` (set in the form builder, stable across edits), hidden
  fields by their own name.
- Tally: answers keyed by the field's label (its question text), or its key when the label is empty.
- Generic: the body is a flat JSON object of answers; the delivery id is the ``Idempotency-Key``.

`event_id` is the provider's delivery-stable id, so a redelivered webhook is recognisable. It is
provider-controlled text (at most 255 characters): hash it before using it as a Firestore document id.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from gemeentedelers.intake.signatures import PROVIDERS, get_header

__all__ = ["MAX_EVENT_ID_LENGTH", "PROVIDERS", "FormSubmission", "PayloadError", "parse"]

MAX_EVENT_ID_LENGTH = 255

_TYPEFORM_TEXT_TYPES = frozenset({"text", "email", "phone_number", "url", "date", "file_url"})


@dataclass(frozen=True)
class FormSubmission:
    """A submission as every form tool's webhook boils down to."""

    provider: str  # "typeform" | "tally" | "generic"
    event_id: str  # Typeform event_id, Tally eventId, generic Idempotency-Key (or body hash)
    answers: dict[str, Any]  # keyed by the provider's field name (Typeform ref, Tally label, JSON key)
    submitted_at: str | None  # ISO timestamp from the payload, when it has one


class PayloadError(ValueError):
    """The provider's envelope is not what that provider sends; `field` is a dotted path into it."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def parse(provider: str, payload: Any, headers: Mapping[str, str]) -> FormSubmission:
    """Normalise `payload` (the parsed JSON body) from `provider` into a FormSubmission.

    Raises PayloadError when the envelope is malformed and ValueError for an unknown provider.
    Call it only after signatures.verify accepted the raw body.
    """
    if provider == "typeform":
        return _parse_typeform(payload)
    if provider == "tally":
        return _parse_tally(payload)
    if provider == "generic":
        return _parse_generic(payload, headers)
    raise ValueError(f"unknown provider {provider!r}; expected one of {', '.join(PROVIDERS)}")


# --- Typeform --------------------------------------------------------------------------------------


def _parse_typeform(payload: Any) -> FormSubmission:
    body = _object(payload, "body")
    event_id = _event_id(body.get("event_id"), "event_id")
    event_type = body.get("event_type")
    if event_type is not None and event_type != "form_response":
        raise PayloadError("event_type", "expected 'form_response'")
    response = _object(body.get("form_response"), "form_response")

    id_to_ref: dict[str, str] = {}
    definition = response.get("definition")
    if definition is not None:
        fields = _object(definition, "form_response.definition").get("fields", [])
        for index, field in enumerate(_list(fields, "form_response.definition.fields")):
            path = f"form_response.definition.fields[{index}]"
            field = _object(field, path)
            if isinstance(field.get("id"), str) and isinstance(field.get("ref"), str):
                id_to_ref[field["id"]] = field["ref"]

    answers: dict[str, Any] = {}
    raw_answers = response.get("answers")
    for index, answer in enumerate(
        _list([] if raw_answers is None else raw_answers, "form_response.answers")
    ):
        path = f"form_response.answers[{index}]"
        answer = _object(answer, path)
        answers[_typeform_ref(answer, path, id_to_ref)] = _typeform_value(answer, path)

    hidden = response.get("hidden")
    if hidden is not None:
        for name, value in _object(hidden, "form_response.hidden").items():
            answers.setdefault(name, value)  # a real answer with the same ref wins

    return FormSubmission("typeform", event_id, answers, _timestamp(response.get("submitted_at")))


def _typeform_ref(answer: dict[str, Any], path: str, id_to_ref: Mapping[str, str]) -> str:
    """The answer's field ref; older payloads carry only the field id, which the definition maps."""
    field = _object(answer.get("field"), f"{path}.field")
    ref, field_id = field.get("ref"), field.get("id")
    if isinstance(ref, str) and ref:
        return ref
    if isinstance(field_id, str) and field_id:
        return id_to_ref.get(field_id, field_id)
    raise PayloadError(f"{path}.field.ref", "missing field ref and id")


def _typeform_value(answer: dict[str, Any], path: str) -> Any:
    kind = answer.get("type")
    if not isinstance(kind, str) or not kind:
        raise PayloadError(f"{path}.type", "missing answer type")
    if kind not in answer:
        raise PayloadError(f"{path}.{kind}", f"missing value for answer type {kind!r}")
    value = answer[kind]
    where = f"{path}.{kind}"
    if kind in _TYPEFORM_TEXT_TYPES:
        if not isinstance(value, str):
            raise PayloadError(where, "expected a string")
        return value
    if kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PayloadError(where, "expected a number")
        return value
    if kind == "boolean":
        if not isinstance(value, bool):
            raise PayloadError(where, "expected true or false")
        return value
    if kind == "choice":
        choice = _object(value, where)
        label = choice.get("label")
        if not isinstance(label, str):
            label = choice.get("other")  # "Other" chosen: Typeform sends only the typed text
        if not isinstance(label, str):
            raise PayloadError(f"{where}.label", "missing choice label")
        return label
    if kind == "choices":
        choices = _object(value, where)
        labels = _list(choices.get("labels", []), f"{where}.labels")
        for index, label in enumerate(labels):
            if not isinstance(label, str):
                raise PayloadError(f"{where}.labels[{index}]", "expected a string")
        other = choices.get("other")
        if other is not None and not isinstance(other, str):
            raise PayloadError(f"{where}.other", "expected a string")
        return [*labels, other] if other else list(labels)
    # payment, multi_format, … : pass the provider's value through unchanged.
    return value


# --- Tally -----------------------------------------------------------------------------------------

_TALLY_SINGLE_CHOICE = frozenset({"MULTIPLE_CHOICE", "DROPDOWN"})
_TALLY_MULTI_CHOICE = frozenset({"CHECKBOXES", "MULTI_SELECT", "RANKING"})


def _parse_tally(payload: Any) -> FormSubmission:
    body = _object(payload, "body")
    event_id = _event_id(body.get("eventId"), "eventId")
    event_type = body.get("eventType")
    if event_type is not None and event_type != "FORM_RESPONSE":
        raise PayloadError("eventType", "expected 'FORM_RESPONSE'")
    data = _object(body.get("data"), "data")

    answers: dict[str, Any] = {}
    for index, field in enumerate(_list(data.get("fields"), "data.fields")):
        path = f"data.fields[{index}]"
        field = _object(field, path)
        answers[_tally_name(field, path)] = _tally_value(field, path)

    submitted_at = _timestamp(data.get("createdAt")) or _timestamp(body.get("createdAt"))
    return FormSubmission("tally", event_id, answers, submitted_at)


def _tally_name(field: dict[str, Any], path: str) -> str:
    label, key = field.get("label"), field.get("key")
    if label is not None and not isinstance(label, str):
        raise PayloadError(f"{path}.label", "expected a string")
    if label and label.strip():
        return label.strip()
    if isinstance(key, str) and key:
        return key
    raise PayloadError(f"{path}.key", "field has neither a label nor a key")


def _tally_value(field: dict[str, Any], path: str) -> Any:
    """The answer, with option ids (what Tally sends for choice questions) replaced by option texts."""
    kind, value = field.get("type"), field.get("value")
    if kind not in _TALLY_SINGLE_CHOICE and kind not in _TALLY_MULTI_CHOICE:
        return value
    if value is None or isinstance(value, bool):
        # Unanswered, or one of the per-option booleans Tally adds after a CHECKBOXES field.
        return value
    options = _tally_options(field.get("options"), f"{path}.options")
    selected = value if isinstance(value, list) else [value]  # older payloads send a single id
    texts = [options.get(item, item) if isinstance(item, str) else item for item in selected]
    if kind in _TALLY_MULTI_CHOICE:
        return texts
    if not texts:
        return None
    return texts[0] if len(texts) == 1 else texts


def _tally_options(options: Any, path: str) -> dict[str, str]:
    """Option id -> text; an id missing here (an "other" answer) is kept as Tally sent it."""
    result: dict[str, str] = {}
    for index, option in enumerate(_list([] if options is None else options, path)):
        option = _object(option, f"{path}[{index}]")
        option_id, text = option.get("id"), option.get("text")
        if not isinstance(option_id, str) or not isinstance(text, str):
            raise PayloadError(f"{path}[{index}]", "expected an id and a text")
        result[option_id] = text
    return result


# --- Generic JSON ----------------------------------------------------------------------------------


def _parse_generic(payload: Any, headers: Mapping[str, str]) -> FormSubmission:
    """Precedence for the id: Idempotency-Key header, body key, then a hash of the whole body."""
    body = _object(payload, "body")
    answers = {key: value for key, value in body.items() if key != "idempotency_key"}
    header = get_header(headers, "Idempotency-Key")
    if header is not None and header.strip():
        event_id = _event_id(header.strip(), "Idempotency-Key")
    elif "idempotency_key" in body:
        event_id = _event_id(body["idempotency_key"], "idempotency_key")
    else:
        # A redelivered identical body is the same registration, so the id follows from its content.
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        event_id = "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return FormSubmission("generic", event_id, answers, _timestamp(body.get("submitted_at")))


# --- shared ----------------------------------------------------------------------------------------


def _object(value: Any, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise PayloadError(path, "expected an object" if value is not None else "missing")
    return value


def _list(value: Any, path: str) -> list[Any]:
    if not isinstance(value, list):
        raise PayloadError(path, "expected a list" if value is not None else "missing")
    return value


def _event_id(value: Any, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise PayloadError(path, "missing or not a non-empty string")
    if len(value) > MAX_EVENT_ID_LENGTH:
        raise PayloadError(path, f"longer than {MAX_EVENT_ID_LENGTH} characters")
    return value


def _timestamp(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None

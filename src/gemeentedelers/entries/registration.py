"""The registration a municipality submits, cleaned from a form's answers with the edition's rules.

Validation happens here, at the boundary, and reports every bad field at once, named both canonically and
as the form calls it, so an organiser can fix the form and an entrant their answer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, pre_load, validate

from gemeentedelers.editions import Edition
from gemeentedelers.plugins.api import LANGUAGES

_LANGUAGE_NAMES = {
    "nl": "nl", "nederlands": "nl", "dutch": "nl", "nl-nl": "nl",
    "en": "en", "english": "en", "engels": "en", "en-gb": "en", "en-us": "en",
}
_SPLIT = re.compile(r"[,;\n]+")
_SINGLE_LINE_BAD = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_MULTI_LINE_BAD = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
SINGLE_LINE_ERROR = "Use one line without control characters."
MULTI_LINE_ERROR = "Remove the control characters (only line breaks and tabs may be used)."


def single_line(value: str) -> bool:
    """Whether ``value`` is one line of text: no control characters (CR, LF, tab, ...) nor line separators,
    which would break a mail header or a CSV row built from it."""
    if _SINGLE_LINE_BAD.search(value):
        raise ValidationError(SINGLE_LINE_ERROR)
    return True


def multi_line(value: str) -> bool:
    if _MULTI_LINE_BAD.search(value):
        raise ValidationError(MULTI_LINE_ERROR)
    return True


def _known_consent_version(value: str) -> bool:
    """The version of the consent text the form showed (a hidden field); an unknown one is refused, so a
    registration never records a consent to words that do not exist."""
    from gemeentedelers.people import consent

    try:
        consent.version("registration", value)
    except consent.ConsentRefused:
        known = ", ".join(t.version for t in consent.TEXTS if t.purpose == "registration")
        raise ValidationError(f"Unknown consent version {value!r}; one of: {known}.") from None
    return True


def normalise_language(value: object) -> str | None:
    if value is None:
        return None
    return _LANGUAGE_NAMES.get(str(value).strip().casefold())


class RegistrationSchema(Schema):
    """The core fields every edition has; editions add rules through ``gd_validate_registration``."""

    class Meta:
        unknown = EXCLUDE

    municipality = fields.String(required=True, validate=[validate.Length(min=2, max=100), single_line])
    co_applicants = fields.List(
        fields.String(validate=[validate.Length(min=2, max=100), single_line]), load_default=list,
        validate=validate.Length(max=25)
    )
    contact_name = fields.String(required=True, validate=[validate.Length(min=2, max=100), single_line])
    contact_email = fields.Email(required=True, validate=[validate.Length(max=254), single_line])
    contact_phone = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.Regexp(r"^\+?[0-9 ()\-.]{6,20}$", error="Not a valid phone number."),
    )
    title = fields.String(required=True, validate=[validate.Length(min=3, max=150), single_line])
    description = fields.String(required=True, validate=[validate.Length(min=20, max=5000), multi_line])
    category = fields.String(required=True, validate=[validate.Length(min=1, max=100), single_line])
    consent = fields.Boolean(
        required=True, validate=validate.Equal(True, error="Consent is required to take part.")
    )
    consent_publication = fields.Boolean(load_default=False)
    consent_version = fields.String(load_default=None, allow_none=True,
                                    validate=[validate.Length(max=20), single_line, _known_consent_version])
    language = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(LANGUAGES, error="Use 'nl' or 'en'.")
    )

    @pre_load
    def clean(self, data: Any, **_: Any) -> Any:
        """Trim text, treat empty answers as absent, accept co-applicants as one text, language by name."""
        if not isinstance(data, Mapping):
            return data
        cleaned: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            if value is None:
                continue
            cleaned[key] = value
        co = cleaned.get("co_applicants")
        if isinstance(co, str):
            cleaned["co_applicants"] = [part.strip() for part in _SPLIT.split(co) if part.strip()]
        elif isinstance(co, list):  # a non-text item stays as it is, for the schema to name
            cleaned["co_applicants"] = [p.strip() if isinstance(p, str) else p for p in co
                                        if not (isinstance(p, str) and not p.strip())]
        if isinstance(cleaned.get("description"), str):
            cleaned["description"] = cleaned["description"].replace("\r\n", "\n").replace("\r", "\n")
        if "language" in cleaned:
            cleaned["language"] = normalise_language(cleaned["language"]) or cleaned["language"]
        return cleaned


_schema = RegistrationSchema()


class RegistrationInvalid(ValueError):
    """Each bad field with its messages and the name the form uses for it."""

    def __init__(self, errors: dict[str, dict[str, Any]]):
        self.errors = errors
        super().__init__(f"invalid registration: {sorted(errors)}")


def clean_registration(answers: Mapping[str, Any], edition: Edition, provider: str) -> dict[str, Any]:
    """The cleaned registration from a form's answers, or :class:`RegistrationInvalid` naming every bad field."""
    field_map = edition.field_map(provider)
    canonical = {field: answers[name] for field, name in field_map.items() if name in answers}
    messages: dict[str, list[str]] = {}
    try:
        registration = _schema.load(canonical)
    except ValidationError as error:
        registration = dict(error.valid_data or {})
        for field, problem in error.normalized_messages().items():
            messages[field] = _flatten(problem)
    category_value = registration.get("category")
    if category_value is not None:
        category = edition.category(category_value)
        if category is None:
            names = ", ".join(c.label.nl for c in edition.categories)
            messages.setdefault("category", []).append(f"Unknown category {category_value!r}; one of: {names}.")
        else:
            registration["category"] = category.key
    for problem in edition.validate_registration(registration):
        if problem.field not in messages or problem.field in registration:  # not already flagged by the schema
            messages.setdefault(problem.field, []).append(problem.message.get("en"))
    if messages:
        raise RegistrationInvalid(
            {field: {"form_field": field_map.get(field, field), "messages": msgs} for field, msgs in messages.items()}
        )
    registration["language"] = registration.get("language") or edition.info.default_language
    return registration


def _flatten(problem: Any) -> list[str]:
    if isinstance(problem, str):
        return [problem]
    if isinstance(problem, list):
        return [m for p in problem for m in _flatten(p)]
    if isinstance(problem, dict):
        return [f"item {key}: {m}" for key, value in problem.items() for m in _flatten(value)]
    return [str(problem)]

"""Reading people (scorers, assessors, jurors) from an organiser's CSV, all rows checked before any is stored.

Every problem names the file, the row (as a spreadsheet numbers it, header = row 1) and the column, so an
organiser can fix the file without guessing.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate

from gemeentedelers.plugins.api import LANGUAGES
from gemeentedelers.web.i18n import FieldMessage
from gemeentedelers.web.refusals import Refusal


class PersonSchema(Schema):
    """What every person an organiser invites has; each role's schema adds its own fields."""

    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    organisation = fields.String(required=True, validate=validate.Length(min=2, max=120))
    language = fields.String(load_default="nl", validate=validate.OneOf(LANGUAGES))


def clean_person(schema: Schema, raw: Mapping[str, Any]) -> dict[str, Any]:
    """Trimmed text, empty answers treated as absent, then ``schema``'s validation (``ValidationError``), with how
    the organisation resolves against the list of municipalities (``organisation_check``: flagged for the
    organiser when it is not a current municipality, never refused)."""
    from gemeentedelers.people.organisations import check

    trimmed = {k: v.strip() if isinstance(v, str) else v for k, v in raw.items() if k}
    person = dict(schema.load({k: v for k, v in trimmed.items() if v not in ("", None)}))
    person["organisation_check"] = check(person["organisation"])
    return person


def person_id(prefix: str, email: str) -> str:
    """A person's id from their e-mail address, so importing or signing up twice finds the same person."""
    return f"{prefix}-" + hashlib.sha256(email.strip().casefold().encode()).hexdigest()[:12]


class PeopleCsvError(Refusal):
    """A CSV of people with a problem; the message names the file, row and column (``why`` is marshmallow's)."""


def read_people(text: str, clean: Callable[[dict[str, Any]], dict[str, Any]], required: Iterable[str], *,
                source: str) -> list[dict[str, Any]]:
    """Every row cleaned by ``clean`` (a marshmallow load); raises :class:`PeopleCsvError` at the first problem."""
    reader = csv.DictReader(io.StringIO(text.strip()))
    try:
        missing = set(required) - set(reader.fieldnames or [])
    except csv.Error:  # a header cell over the csv module's field limit, a NUL byte, ...
        raise PeopleCsvError("csv_unreadable", source=source, row=1) from None
    if missing:
        raise PeopleCsvError("csv_header_lacks", source=source, columns=", ".join(sorted(missing)))
    rows = []
    number = 1
    try:
        for number, row in enumerate(reader, start=2):
            try:
                rows.append(clean({k: v for k, v in row.items() if k}))
            except ValidationError as problem:
                column, messages = next(iter(problem.normalized_messages().items()))
                raise PeopleCsvError("csv_cell", source=source, row=number, column=column,
                                     why=FieldMessage(" ".join(map(str, messages)))) from None
    except csv.Error:
        raise PeopleCsvError("csv_unreadable", source=source, row=number + 1) from None
    if not rows:
        raise PeopleCsvError("csv_no_rows", source=source)
    emails = [r["email"].casefold() for r in rows]
    duplicate = next((e for e in emails if emails.count(e) > 1), None)
    if duplicate:
        raise PeopleCsvError("csv_duplicate", source=source, email=duplicate)
    return rows

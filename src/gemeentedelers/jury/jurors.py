"""Round 3's jurors: imported by an organiser from CSV, exactly one chair, and their personal links.

A juror's id is derived from the e-mail address, so importing the same file twice finds the same people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore
from marshmallow import EXCLUDE, Schema, fields, validate

from gemeentedelers import layout, links
from gemeentedelers.editions import Edition
from gemeentedelers.firestore import create_once
from gemeentedelers.people_csv import PeopleCsvError, person_id, read_people
from gemeentedelers.plugins.api import LANGUAGES

TRUE = {"1", "true", "yes", "ja", "y", "j", "x"}


def juror_id(email: str) -> str:
    return person_id("ju", email)


class JurorSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    email = fields.Email(required=True, validate=validate.Length(max=254))
    organisation = fields.String(required=True, validate=validate.Length(min=2, max=120))
    is_chair = fields.Boolean(load_default=False)
    language = fields.String(load_default="nl", validate=validate.OneOf(LANGUAGES))


_schema = JurorSchema()


class JurorImportError(ValueError):
    """A CSV of jurors with a problem; the message names the row and column."""


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    trimmed = {k: v.strip() if isinstance(v, str) else v for k, v in raw.items() if k}
    trimmed = {k: v for k, v in trimmed.items() if v not in ("", None)}
    if isinstance(trimmed.get("is_chair"), str):
        trimmed["is_chair"] = trimmed["is_chair"].casefold() in TRUE
    return dict(_schema.load(trimmed))


def import_csv(db: firestore.Client, edition: str, text: str, *,
               source: str = "jurors.csv") -> tuple[list[str], list[str]]:
    """Import jurors (``name,email,organisation,is_chair[,language]``); ``(created, existing)`` ids.

    Every row is checked first, so a bad file stores nothing. The jury has exactly one chair: in the file, and
    together with the jurors already stored.
    """
    try:
        rows = read_people(text, clean, ("name", "email", "organisation", "is_chair"), source=source)
    except PeopleCsvError as problem:
        raise JurorImportError(str(problem)) from None
    emails = [r["email"].casefold() for r in rows]
    stored = {j["juror_id"]: j for j in all_jurors(db, edition)}
    chairs = {juror_id(r["email"]) for r in rows if r["is_chair"]}
    chairs |= {jid for jid, j in stored.items() if j.get("is_chair") and jid not in {juror_id(e) for e in emails}}
    if len(chairs) != 1:
        raise JurorImportError(f"{source}: the jury needs exactly one chair (is_chair), not {len(chairs)}")
    created, existing = [], []
    now = datetime.now(UTC)
    for row in rows:
        jid = juror_id(row["email"])
        record = {**row, "juror_id": jid, "status": "active", "imported_at": now, "link_version": 1}
        if create_once(layout.jurors(db, edition).document(jid), record):
            created.append(jid)
        else:
            layout.jurors(db, edition).document(jid).update({k: row[k] for k in ("name", "organisation", "is_chair",
                                                                                  "language")})
            existing.append(jid)
    return created, existing


def all_jurors(db: firestore.Client, edition: str) -> list[dict[str, Any]]:
    return sorted((d.to_dict() for d in layout.jurors(db, edition).stream()), key=lambda j: j["name"])


def get(db: firestore.Client, edition: str, jid: str) -> dict[str, Any] | None:
    return layout.jurors(db, edition).document(jid).get().to_dict()


def chair_of(jurors: Sequence[Mapping[str, Any]]) -> str:
    chairs = [j["juror_id"] for j in jurors if j.get("is_chair")]
    if len(chairs) != 1:
        raise LookupError(f"the jury needs exactly one chair, it has {len(chairs)}")
    return chairs[0]


def conflicts(edition: Edition, juror: Mapping[str, Any], entries: Sequence[Mapping[str, Any]]) -> list[str]:
    """The edition's reasons why ``juror`` may not judge any of ``entries`` (a category's finalists)."""
    return [reason for entry in entries for reason in edition.conflicts_of_interest(juror, entry)]


def juror_link(edition: str, jid: str, version: int) -> str:
    token = links.issue("juror-link", links.Holder(edition, jid, version))
    return links.public_url("jury", f"/jury/login?token={token}")

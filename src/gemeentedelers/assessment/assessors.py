"""Round 2's assessors: imported by an organiser from CSV, formed into conflict-free teams, one per case.

An assessor's id is derived from the e-mail address, so importing the same file twice finds the same people.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers import bus, layout, links
from gemeentedelers.assessment import rules
from gemeentedelers.editions import Edition
from gemeentedelers.firestore import create_once
from gemeentedelers.people_csv import PersonSchema, clean_person, person_id, read_people

ROUND = 2
LINK_VALID_DAYS = 90
"""How long a team's or an assessor's personal link works (the pages check it, the mails say it)."""


def assessor_id(email: str) -> str:
    return person_id("as", email)


_schema = PersonSchema()


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    return clean_person(_schema, raw)


def import_csv(db: firestore.Client, edition: str, text: str, *,
               source: str = "assessors.csv") -> tuple[list[str], list[str]]:
    """Import assessors (``name,email,organisation[,language]``); ``(created, existing)`` ids. A bad file stores
    nothing (``people_csv.read_people`` checks every row first)."""
    rows = read_people(text, clean, ("name", "email", "organisation"), source=source)
    created, existing = [], []
    for row in rows:
        aid = assessor_id(row["email"])
        ref = layout.assessors(db, edition).document(aid)
        record = {**row, "assessor_id": aid, "status": "active", "imported_at": datetime.now(UTC), "link_version": 1}
        if create_once(ref, record):
            created.append(aid)
        else:
            ref.update({k: row[k] for k in ("name", "organisation", "language")})
            existing.append(aid)
    return created, existing


def all_assessors(db: firestore.Client, edition: str) -> list[dict[str, Any]]:
    return sorted((d.to_dict() for d in layout.assessors(db, edition).stream()), key=lambda a: a["name"])


def get(db: firestore.Client, edition: str, aid: str) -> dict[str, Any] | None:
    return layout.assessors(db, edition).document(aid).get().to_dict()


def assessor_link(edition: str, aid: str, version: int) -> str:
    token = links.issue("assessor-link", links.Holder(edition, aid, version))
    return links.public_url("assessment", f"/assess/login?token={token}")


def team_link(edition: str, sid: str, version: int) -> str:
    token = links.issue("team-link", links.Holder(edition, sid, version))
    return links.public_url("assessment", f"/team/login?token={token}")


def cases(db: firestore.Client, edition: str) -> list[dict[str, Any]]:
    """Round 2's cases (the roster) with their submissions, sorted by title."""
    ids = [d.id for d in layout.roster(db, edition, ROUND).stream()]
    refs = [layout.submissions(db, edition).document(sid) for sid in ids]
    found = [s.to_dict() for s in db.get_all(refs)] if refs else []
    return sorted((r for r in found if r), key=lambda r: (r["title"], r["submission_id"]))


def teams(db: firestore.Client, edition: str) -> dict[str, list[str]]:
    return {d.id: list((d.to_dict() or {}).get("members", [])) for d in layout.assessment_teams(db, edition).stream()}


def conflicts(edition: Edition, people: list[dict[str, Any]],
              entries: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """``(assessor, case)``: the edition's reasons (``gd_conflicts_of_interest``, the hook round 1 uses)."""
    found = {}
    for person in people:
        for entry in entries:
            reasons = edition.conflicts_of_interest(person, entry)
            if reasons:
                found[person["assessor_id"], entry["submission_id"]] = reasons
    return found


def form(db: firestore.Client, edition: Edition) -> rules.TeamPlan:
    """Form the teams (``rules.form_teams`` with the edition's assessment rules), store one document per case and
    invite every assessor in a team (``assessor.invited``). Teams may be formed again (after importing more
    assessors, say) until the first report is saved; then they stay as they are."""
    if any((d.to_dict() or {}).get("version") for d in layout.reports(db, edition.key).stream()):
        raise ValueError("reports are being written: the teams can no longer be formed again")
    people = [p for p in all_assessors(db, edition.key) if p.get("status", "active") == "active"]
    entries = cases(db, edition.key)
    if not entries:
        raise ValueError("round 2 has no cases yet")
    blocked = conflicts(edition, people, entries)
    settings = edition.assessment_rules
    plan = rules.form_teams([e["submission_id"] for e in entries], [p["assessor_id"] for p in people], blocked,
                            settings.team_size, settings.max_cases_per_assessor, min_team_size=settings.min_team_size)
    now = datetime.now(UTC)
    for case, members in plan.teams.items():
        layout.assessment_teams(db, edition.key).document(case).set(
            {"submission_id": case, "members": list(members), "formed_at": now, "team_size": plan.team_size})
    bus.publish_many(
        ("assessor.invited", f"assessor.invited:{edition.key}:{person['assessor_id']}:{person.get('link_version', 1)}",
         edition.key, {"assessor_id": person["assessor_id"]})
        for person in people if plan.cases_of(person["assessor_id"])
    )
    return plan

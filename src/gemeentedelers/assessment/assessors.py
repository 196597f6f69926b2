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
from gemeentedelers.refusals import Refusal

ROUND = 2
LINK_VALID_DAYS = 90
"""How long a team's or an assessor's personal link works (the pages check it, the mails say it)."""


class TeamsRefused(Refusal):
    """Teams cannot be formed (again) or changed as the organiser asked."""


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
        raise TeamsRefused("r2_err_teams_fixed")
    people = [p for p in all_assessors(db, edition.key) if p.get("status", "active") == "active"]
    entries = cases(db, edition.key)
    if not entries:
        raise TeamsRefused("r2_err_no_cases")
    blocked = conflicts(edition, people, entries)
    settings = edition.assessment_rules
    plan = rules.form_teams([e["submission_id"] for e in entries], [p["assessor_id"] for p in people], blocked,
                            settings.team_size, settings.max_cases_per_assessor, min_team_size=settings.min_team_size,
                            names={e["submission_id"]: e["title"] for e in entries})
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


def loads(formed: Mapping[str, list[str]]) -> dict[str, int]:
    """How many cases of the ``teams`` each assessor visits (assessors without a case are not listed)."""
    found: dict[str, int] = {}
    for members in formed.values():
        for aid in members:
            found[aid] = found.get(aid, 0) + 1
    return found


def candidates(edition: Edition, people: list[dict[str, Any]], members: list[str], entry: Mapping[str, Any],
               busy: Mapping[str, int]) -> list[dict[str, Any]]:
    """Active assessors outside the team, without a conflict of interest with the case and below the edition's most
    cases per assessor, each with their ``load``: the least busy first (then by name), so a replacement keeps the
    load as even as it can."""
    room = edition.assessment_rules.max_cases_per_assessor
    found = [
        {**person, "load": busy.get(person["assessor_id"], 0)}
        for person in people
        if person.get("status", "active") == "active" and person["assessor_id"] not in members
        and busy.get(person["assessor_id"], 0) < room and not edition.conflicts_of_interest(person, entry)
    ]
    return sorted(found, key=lambda p: (p["load"], p["name"], p["assessor_id"]))


def replace_member(db: firestore.Client, edition: Edition, sid: str, leaving: str, joining: str | None = None, *,
                   by: str = "organiser") -> str:
    """Replace ``leaving`` in the team of ``sid`` by ``joining`` (by default the least busy assessor who may join,
    see ``candidates``); returns who joined.

    Team and report change in one transaction. The one who left loses access to the case at once (reports.save and
    sign_off read the team in their own transactions). The sign-offs of the members who stay remain, because they
    signed the very version that is stored: a report saved meanwhile makes the transaction read again, and a save
    clears every sign-off anyway. The report is complete again once the new member signs that version too. The
    new member is invited (``assessor.invited``; the mail ledger sends it only to someone not invited before) and,
    when the visit is confirmed already, gets its invitation too (``visit.confirmed`` again: the ledger sends it
    only to recipients who did not get it). Repeating a replacement that was made (its announcement interrupted,
    say) announces it again and changes nothing."""
    key = edition.key
    formed = teams(db, key)
    members = formed.get(sid)
    if members is None:
        raise TeamsRefused("r2_err_no_team", case=sid)
    entry = layout.submissions(db, key).document(sid).get().to_dict() or {}
    people = {p["assessor_id"]: p for p in all_assessors(db, key)}
    title = entry.get("title", sid)
    last = ((layout.assessment_teams(db, key).document(sid).get().to_dict() or {}).get("changes") or [{}])[-1]
    if (leaving not in members and last.get("leaving") == leaving and last.get("joining") in members
            and joining in (None, last.get("joining"))):
        _announce(db, key, sid, people[last["joining"]])
        return str(last["joining"])
    if leaving not in members:
        raise TeamsRefused("r2_err_not_in_team", assessor=people.get(leaving, {}).get("name", leaving), case=title)
    allowed = {p["assessor_id"]: p for p in candidates(edition, list(people.values()), members, entry, loads(formed))}
    if joining is None:
        if not allowed:
            raise TeamsRefused("r2_err_no_replacement", case=title)
        joining = next(iter(allowed))
    elif joining not in allowed:
        raise _why_not(edition, people.get(joining), members, entry, loads(formed).get(joining, 0), title)
    state_ref = layout.round_state(db, key, ROUND)
    team_ref = layout.assessment_teams(db, key).document(sid)
    report_ref = layout.reports(db, key).document(sid)
    now = datetime.now(UTC)

    @firestore.transactional
    def swap(transaction: firestore.Transaction) -> None:
        status = (state_ref.get(transaction=transaction).to_dict() or {}).get("status")
        team = team_ref.get(transaction=transaction).to_dict() or {}
        report = report_ref.get(transaction=transaction)
        if status in ("confirming", "decided"):
            raise TeamsRefused("r2_err_teams_final")
        current = list(team.get("members", []))
        if leaving not in current or joining in current:  # another change came first: the organiser looks again
            raise TeamsRefused("r2_err_team_changed", case=title)
        change = {"leaving": leaving, "joining": joining, "by": by, "at": now,
                  "report_version": int((report.to_dict() or {}).get("version", 0)) if report.exists else 0}
        transaction.update(team_ref, {"members": [joining if a == leaving else a for a in current],
                                      "changes": [*team.get("changes", []), change]})
        if report.exists:
            signed = [a for a in (report.to_dict() or {}).get("signed_off", []) if a != leaving]
            transaction.update(report_ref, {"signed_off": signed, "team_changed_at": now})

    swap(db.transaction())
    _announce(db, key, sid, people[joining])
    return joining


def _announce(db: firestore.Client, edition: str, sid: str, person: Mapping[str, Any]) -> None:
    """The new member's invitation, and the visit's when it is confirmed; both under the event ids the others'
    were sent with, so the mail ledger sends them to nobody twice."""
    aid = person["assessor_id"]
    published = [("assessor.invited", f"assessor.invited:{edition}:{aid}:{person.get('link_version', 1)}", edition,
                  {"assessor_id": aid})]
    visit = layout.visits(db, edition).document(sid).get().to_dict() or {}
    if visit.get("confirmed"):
        starts = visit["confirmed"].astimezone(UTC)
        published.append(("visit.confirmed", f"visit.confirmed:{edition}:{sid}:{starts:%Y%m%dT%H%M%SZ}", edition,
                          {"submission_id": sid, "starts_at": starts.isoformat(),
                           "sequence": int(visit.get("sequence", 0))}))
    bus.publish_many(published)


def _why_not(edition: Edition, person: Mapping[str, Any] | None, members: list[str], entry: Mapping[str, Any],
             load: int, title: str) -> TeamsRefused:
    if person is None or person.get("status", "active") != "active":
        return TeamsRefused("r2_err_unknown_assessor")
    name = person["name"]
    if person["assessor_id"] in members:
        return TeamsRefused("r2_err_already_in_team", assessor=name, case=title)
    if edition.conflicts_of_interest(person, entry):
        return TeamsRefused("r2_err_replacement_conflict", assessor=name, case=title)
    return TeamsRefused("r2_err_replacement_busy", assessor=name, n=load)

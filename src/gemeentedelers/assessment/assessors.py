"""Round 2's assessors: imported by an organiser from CSV, formed into conflict-free teams, one per case.

An assessor's id is derived from the e-mail address, so importing the same file twice finds the same people.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.assessment import rules
from gemeentedelers.editions import Edition
from gemeentedelers.people.csv_import import PersonSchema, clean_person, person_id, read_people
from gemeentedelers.platform import audit, bus, layout
from gemeentedelers.platform.firestore import create_once
from gemeentedelers.web import links
from gemeentedelers.web.refusals import Refusal

ROUND = 2
LINK_VALID_DAYS = 90
"""How long a team's or an assessor's personal link works (the pages check it, the mails say it)."""


class TeamsRefused(Refusal):
    """Teams cannot be formed (again) or changed as the organiser asked."""


class WithdrawRefused(Refusal):
    """An assessor cannot be withdrawn now (the finalists are being or have been confirmed), or not with a
    replacement in each of their teams (the refusal names the cases nobody can take)."""


def assessor_id(email: str) -> str:
    return person_id("as", email)


_schema = PersonSchema()


def clean(raw: Mapping[str, Any]) -> dict[str, Any]:
    return clean_person(_schema, raw)


SYSTEM = audit.system("assessment")


def import_csv(db: firestore.Client, edition: str, text: str, *, source: str = "assessors.csv",
               by: str = SYSTEM) -> tuple[list[str], list[str]]:
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
    audit.record(db, actor=by, action="round2.assessors_imported", target=f"{edition}/assessors",
                 after={"source": source, "created": len(created), "existing": len(existing)}, edition=edition)
    return created, existing


def all_assessors(db: firestore.Client, edition: str) -> list[dict[str, Any]]:
    """Every assessor ever imported, withdrawn ones included (the organiser page lists them), by name."""
    return sorted((d.to_dict() for d in layout.assessors(db, edition).stream()), key=lambda a: a["name"])


def active(person: Mapping[str, Any]) -> bool:
    """Whether an assessor takes part: not withdrawn. Only they sign in, join teams and have their ballot counted."""
    return person.get("status", "active") == "active"


def serving(people: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [dict(p) for p in people if active(p)]


def get(db: firestore.Client, edition: str, aid: str) -> dict[str, Any] | None:
    return layout.assessors(db, edition).document(aid).get().to_dict()


def assessor_link(edition: str, aid: str, version: int) -> str:
    token = links.issue("assessor-link", links.Holder(edition, aid, version))
    return links.public_url("assessment", f"/assess/login?token={token}")


TEAM_LINK_VALID_DAYS = 400
"""How long an entrant's link works: it comes with the confirmation of the registration and leads to the case's
page until the winners are announced and after (stopped earlier by bumping the registration's ``link_version``)."""


def team_link(edition: str, sid: str, version: int) -> str:
    """The entrant's personal link to the case's page (``assessment.entrant``), in every mail to the entrant."""
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


def conflict_reasons(edition: Edition, person: Mapping[str, Any], entry: Mapping[str, Any]) -> list[str]:
    """Why an assessor may not judge a case: the edition's reasons and a conflict they declared themselves."""
    declared = person.get("declared_conflicts") or {}
    reasons = list(edition.conflicts_of_interest(person, entry))
    if entry.get("submission_id") in declared:
        reasons.append(f"declared: {declared[entry['submission_id']]}")
    return reasons


def declare_conflict(db: firestore.Client, edition: str, aid: str, sid: str, reason: str) -> None:
    """An assessor declares a conflict of interest with a case: they no longer vote on it, its report is hidden
    from their ballot, no team takes them for it, and the organiser sees it (audited)."""
    from gemeentedelers.platform import audit

    reason = " ".join(reason.split())[:500] or "-"
    batch = db.batch()
    batch.update(layout.assessors(db, edition).document(aid), {f"declared_conflicts.`{sid}`": reason})
    audit.record(db, actor=audit.person("assessor", aid), action="conflict.declared", target=f"entry:{sid}",
                 after={"reason": reason}, edition=edition, writer=batch)
    batch.commit()


def conflicts(edition: Edition, people: list[dict[str, Any]],
              entries: list[dict[str, Any]]) -> dict[tuple[str, str], list[str]]:
    """``(assessor, case)``: the edition's reasons (``gd_conflicts_of_interest``, the hook round 1 uses)."""
    found = {}
    for person in people:
        for entry in entries:
            reasons = conflict_reasons(edition, person, entry)
            if reasons:
                found[person["assessor_id"], entry["submission_id"]] = reasons
    return found


def form(db: firestore.Client, edition: Edition, *, by: str = SYSTEM) -> rules.TeamPlan:
    """Form the teams (``rules.form_teams`` with the edition's assessment rules), store one document per case and
    invite every assessor in a team (``assessor.invited``). Teams may be formed again (after importing more
    assessors, say) until the first report is saved; then they stay as they are."""
    if any((d.to_dict() or {}).get("version") for d in layout.reports(db, edition.key).stream()):
        raise TeamsRefused("r2_err_teams_fixed")
    people = serving(all_assessors(db, edition.key))
    entries = cases(db, edition.key)
    if not entries:
        raise TeamsRefused("r2_err_no_cases")
    blocked = conflicts(edition, people, entries)
    settings = edition.assessment_rules
    plan = rules.form_teams([e["submission_id"] for e in entries], [p["assessor_id"] for p in people], blocked,
                            settings.team_size, settings.max_cases_per_assessor, min_team_size=settings.min_team_size,
                            names={e["submission_id"]: e["title"] for e in entries})
    now = datetime.now(UTC)
    before = teams(db, edition.key)
    for case, members in plan.teams.items():
        layout.assessment_teams(db, edition.key).document(case).set(
            {"submission_id": case, "members": list(members), "formed_at": now, "team_size": plan.team_size,
             "formed_by": by})
    audit.record(db, actor=by, action="round2.teams_formed", target=f"{edition.key}/assessment_teams",
                 before={sid: [audit.person("assessor", a) for a in m] for sid, m in sorted(before.items())} or None,
                 after={sid: [audit.person("assessor", a) for a in m] for sid, m in sorted(plan.teams.items())},
                 edition=edition.key)
    for person in people:  # who has the invitation (and their link) already: a later join is told per case
        if plan.cases_of(person["assessor_id"]):
            layout.assessors(db, edition.key).document(person["assessor_id"]).update(
                {"invited_version": person.get("link_version", 1)})
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
        and busy.get(person["assessor_id"], 0) < room and not conflict_reasons(edition, person, entry)
    ]
    return sorted(found, key=lambda p: (p["load"], p["name"], p["assessor_id"]))


def replace_member(db: firestore.Client, edition: Edition, sid: str, leaving: str, joining: str | None = None, *,
                   by: str = SYSTEM) -> str:
    """Replace ``leaving`` in the team of ``sid`` by ``joining`` (by default the least busy assessor who may join,
    see ``candidates``); returns who joined.

    Team and report change in one transaction. The one who left loses access to the case at once (reports.save and
    sign_off read the team in their own transactions). The sign-offs of the members who stay remain, because they
    signed the very version that is stored: a report saved meanwhile makes the transaction read again, and a save
    clears every sign-off anyway. The report is complete again once the new member signs that version too.

    The new member hears of it once: someone not invited before (for their current link) gets the invitation
    (``assessor.invited``) and nothing else; someone who has it already gets a mail naming the case
    (``assessor.added``, one per join). The change records which (``notice``), so a repeat announces the same.
    When the visit is confirmed already they get its invitation too (``visit.confirmed`` again: the ledger sends it
    only to recipients who did not get it). Repeating a replacement that was made (its announcement interrupted,
    say) announces it again and changes nothing."""
    return _replace(db, edition, sid, leaving, joining, by=by, invited_now=set())


def _replace(db: firestore.Client, edition: Edition, sid: str, leaving: str, joining: str | None, *, by: str,
             invited_now: set[str]) -> str:
    """``replace_member``; a joiner in ``invited_now`` got the invitation earlier in the same action (one
    withdrawal replacing someone in several teams), so this join needs no mail of its own. Adds whoever is invited
    now to ``invited_now``."""
    key = edition.key
    formed = teams(db, key)
    members = formed.get(sid)
    if members is None:
        raise TeamsRefused("r2_err_no_team", case=sid)
    entry = layout.submissions(db, key).document(sid).get().to_dict() or {}
    people = {p["assessor_id"]: p for p in all_assessors(db, key)}
    title = entry.get("title", sid)
    changes = (layout.assessment_teams(db, key).document(sid).get().to_dict() or {}).get("changes") or []
    last = changes[-1] if changes else {}
    if (leaving not in members and last.get("leaving") == leaving and last.get("joining") in members
            and joining in (None, last.get("joining"))):
        _announce(db, key, sid, people[last["joining"]], last.get("notice", "invitation"), len(changes))
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
    newcomer: str = joining
    had_cases = loads(formed).get(newcomer, 0) > 0  # before invited_version was kept, a team meant an invitation
    state_ref = layout.round_state(db, key, ROUND)
    team_ref = layout.assessment_teams(db, key).document(sid)
    report_ref = layout.reports(db, key).document(sid)
    joiner_ref = layout.assessors(db, key).document(newcomer)
    now = datetime.now(UTC)

    @firestore.transactional
    def swap(transaction: firestore.Transaction) -> tuple[str, int]:
        status = (state_ref.get(transaction=transaction).to_dict() or {}).get("status")
        team = team_ref.get(transaction=transaction).to_dict() or {}
        report = report_ref.get(transaction=transaction)
        joiner = joiner_ref.get(transaction=transaction).to_dict() or {}
        if status in ("confirming", "decided"):
            raise TeamsRefused("r2_err_teams_final")
        if not joiner or not active(joiner):  # withdrawn meanwhile
            raise TeamsRefused("r2_err_unknown_assessor")
        current = list(team.get("members", []))
        if leaving not in current or newcomer in current:  # another change came first: the organiser looks again
            raise TeamsRefused("r2_err_team_changed", case=title)
        notice = join_notice(joiner, had_cases=had_cases, invited_in_this_action=newcomer in invited_now)
        change = {"leaving": leaving, "joining": newcomer, "by": by, "at": now, "notice": notice,
                  "report_version": int((report.to_dict() or {}).get("version", 0)) if report.exists else 0}
        done = [*team.get("changes", []), change]
        transaction.update(team_ref, {"members": [newcomer if a == leaving else a for a in current],
                                      "changes": done})
        if report.exists:
            signed = [a for a in (report.to_dict() or {}).get("signed_off", []) if a != leaving]
            transaction.update(report_ref, {"signed_off": signed, "team_changed_at": now})
        if notice == "invitation":
            transaction.update(joiner_ref, {"invited_version": joiner.get("link_version", 1)})
        audit.record(db, actor=by, action="round2.assessor_replaced", target=f"{key}/assessment_teams/{sid}",
                     before={"members": [audit.person("assessor", a) for a in current]},
                     after={"members": [audit.person("assessor", newcomer if a == leaving else a) for a in current]},
                     edition=key, writer=transaction)
        return notice, len(done)

    notice, number = swap(db.transaction())
    if notice == "invitation":
        invited_now.add(newcomer)
    _announce(db, key, sid, people[newcomer], notice, number)
    return newcomer


def join_notice(joiner: Mapping[str, Any], *, had_cases: bool, invited_in_this_action: bool = False) -> str:
    """How an assessor who joins a team hears of it: ``invitation`` when not invited for their current link yet,
    ``added`` (a mail naming the case) when invited already, ``none`` when the invitation went out earlier in the
    same action. Records from before ``invited_version`` was kept count as invited when they were in a team
    (``had_cases``): forming the teams invited everyone in one."""
    if invited_in_this_action:
        return "none"
    if "invited_version" not in joiner:
        return "added" if had_cases else "invitation"
    return "added" if joiner["invited_version"] == joiner.get("link_version", 1) else "invitation"


def _announce(db: firestore.Client, edition: str, sid: str, person: Mapping[str, Any], notice: str,
              number: int) -> None:
    """What the new member of ``sid``'s team hears of the ``number``-th change of that team: the invitation, under
    the event id every invitation for their link has (so the mail ledger never sends it twice), a mail naming the
    case (``assessor.added``, one event id per join), or nothing (``notice`` ``none``: invited in the same action);
    and the visit's invitation when it is confirmed, under the event id the others' was sent with."""
    aid = person["assessor_id"]
    published = []
    if notice == "invitation":
        published.append(("assessor.invited", f"assessor.invited:{edition}:{aid}:{person.get('link_version', 1)}",
                          edition, {"assessor_id": aid}))
    elif notice == "added":
        published.append(("assessor.added", f"assessor.added:{edition}:{sid}:{aid}:{number}", edition,
                          {"assessor_id": aid, "submission_id": sid}))
    visit = layout.visits(db, edition).document(sid).get().to_dict() or {}
    if visit.get("confirmed"):
        starts = visit["confirmed"].astimezone(UTC)
        published.append(("visit.confirmed", f"visit.confirmed:{edition}:{sid}:{starts:%Y%m%dT%H%M%SZ}", edition,
                          {"submission_id": sid, "starts_at": starts.isoformat(),
                           "sequence": int(visit.get("sequence", 0))}))
    if published:
        bus.publish_many(published)


# -- withdrawing an assessor who drops out of round 2 ------------------------------------------------------------


def cases_of(formed: Mapping[str, list[str]], aid: str) -> list[str]:
    """The cases whose team ``aid`` is in."""
    return sorted(sid for sid, members in formed.items() if aid in members)


def plan_replacements(edition: Edition, people: Sequence[Mapping[str, Any]], formed: Mapping[str, list[str]],
                      entries: Mapping[str, Mapping[str, Any]], leaving: str) -> dict[str, str]:
    """Who takes ``leaving``'s place in each of their teams (``case: assessor``): per case the least busy assessor
    who may join (``candidates``), counting the places given out before. The cases with the fewest candidates go
    first, so a scarce candidate is not used up where someone else could serve. Refused, naming every case nobody
    can take, before anything changes."""
    others = [dict(p) for p in people if p["assessor_id"] != leaving]
    busy = loads(formed)
    titles = {sid: str(entries.get(sid, {}).get("title", sid)) for sid in formed}

    def options(sid: str) -> list[dict[str, Any]]:
        return candidates(edition, others, formed[sid], entries.get(sid, {"submission_id": sid}), busy)

    plan: dict[str, str] = {}
    missing: list[str] = []
    for sid in sorted(cases_of(formed, leaving), key=lambda s: (len(options(s)), titles[s], s)):
        found = options(sid)
        if not found:
            missing.append(titles[sid])
            continue
        plan[sid] = found[0]["assessor_id"]
        busy[plan[sid]] = busy.get(plan[sid], 0) + 1
    if missing:
        name = next((p["name"] for p in people if p["assessor_id"] == leaving), leaving)
        raise WithdrawRefused("r2_err_withdraw_no_replacement", assessor=name, cases=", ".join(sorted(missing)))
    return plan


@dataclass(frozen=True)
class Withdrawal:
    """What ``withdraw`` did: ``changed`` is ``False`` when the assessor was withdrawn already; ``replaced`` maps a
    case to who took their place now; ``open_cases`` are the cases whose team they are still in (a replacement is
    needed there)."""

    name: str
    changed: bool
    replaced: dict[str, str] = field(default_factory=dict)
    open_cases: list[str] = field(default_factory=list)


def withdraw(db: firestore.Client, edition: Edition, aid: str, *, replace: bool = False,
             by: str = SYSTEM) -> Withdrawal:
    """Withdraw an assessor who drops out of round 2: status ``withdrawn`` (with who and when) and ``link_version``
    bumped, in one transaction with a read of the round's state (refused once the finalists are being confirmed),
    so their link and session stop working at once; their ballot is kept but no longer counted
    (``finalists.inputs``). They stay in their teams until replaced: the organiser page shows where a replacement
    is needed. With ``replace`` each of those teams gets one through ``replace_member`` in the same action, planned
    first (``plan_replacements``): when a case has nobody who may join, nothing changes and the refusal names it.
    Withdrawing again changes nothing; with ``replace`` it replaces them where they are still in a team, and
    announces the replacements made before again (an interrupted action is finished; nobody gets a mail twice)."""
    key = edition.key
    person = get(db, key, aid)
    if person is None:
        raise WithdrawRefused("r2_err_unknown_assessor")
    formed = teams(db, key)
    status = (layout.round_state(db, key, ROUND).get().to_dict() or {}).get("status", "open")
    plan: dict[str, str] = {}
    if replace and cases_of(formed, aid):
        if status in ("confirming", "decided"):  # early, so the organiser reads this rather than a plan's problem
            raise WithdrawRefused("r2_err_withdraw_final")
        plan = plan_replacements(edition, all_assessors(db, key), formed,
                                 {e["submission_id"]: e for e in cases(db, key)}, aid)
    changed = _mark_withdrawn(db, key, aid, by)
    invited_now: set[str] = set()
    if replace and status not in ("confirming", "decided"):
        # the replacements of an earlier withdrawal, its announcement perhaps interrupted: again (the ledger dedupes)
        for sid in _replaced_before(db, key, formed, aid):
            _replace(db, edition, sid, aid, None, by=by, invited_now=invited_now)
    replaced = {sid: _replace(db, edition, sid, aid, joining, by=by, invited_now=invited_now)
                for sid, joining in plan.items()}
    return Withdrawal(person["name"], changed, replaced, cases_of(teams(db, key), aid) if replaced else
                      cases_of(formed, aid))


def _replaced_before(db: firestore.Client, edition: str, formed: Mapping[str, list[str]], aid: str) -> list[str]:
    """The cases whose last team change replaced ``aid`` by someone who is still in the team."""
    found = []
    for doc in layout.assessment_teams(db, edition).stream():
        last = ((doc.to_dict() or {}).get("changes") or [{}])[-1]
        if last.get("leaving") == aid and last.get("joining") in formed.get(doc.id, []):
            found.append(doc.id)
    return sorted(found)


def _mark_withdrawn(db: firestore.Client, edition: str, aid: str, by: str) -> bool:
    ref = layout.assessors(db, edition).document(aid)
    state_ref = layout.round_state(db, edition, ROUND)

    @firestore.transactional
    def run(transaction: firestore.Transaction) -> bool:
        status = (state_ref.get(transaction=transaction).to_dict() or {}).get("status", "open")
        person = ref.get(transaction=transaction).to_dict()
        if person is None:
            raise WithdrawRefused("r2_err_unknown_assessor")
        if person.get("status") == "withdrawn":
            return False
        if status in ("confirming", "decided"):
            raise WithdrawRefused("r2_err_withdraw_final")
        transaction.update(ref, {"status": "withdrawn", "withdrawn_by": by, "withdrawn_at": datetime.now(UTC),
                                 "link_version": firestore.Increment(1)})
        audit.record(db, actor=by, action="round2.assessor_withdrawn", target=audit.person("assessor", aid),
                     before={"status": person.get("status", "active")}, after={"status": "withdrawn"},
                     edition=edition, writer=transaction)
        return True

    return run(db.transaction())


def _why_not(edition: Edition, person: Mapping[str, Any] | None, members: list[str], entry: Mapping[str, Any],
             load: int, title: str) -> TeamsRefused:
    if person is None or person.get("status", "active") != "active":
        return TeamsRefused("r2_err_unknown_assessor")
    name = person["name"]
    if person["assessor_id"] in members:
        return TeamsRefused("r2_err_already_in_team", assessor=name, case=title)
    if conflict_reasons(edition, person, entry):
        return TeamsRefused("r2_err_replacement_conflict", assessor=name, case=title)
    return TeamsRefused("r2_err_replacement_busy", assessor=name, n=load)

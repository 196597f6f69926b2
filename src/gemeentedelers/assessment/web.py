"""Round 2's pages: the team's evidence and visit, the assessor's cases, report, visit slots and ballot, and the
organiser's round-2 page (assessors, teams, progress, confirming the finalists).

Teams (Role ``team``, person = submission id) and assessors (Role ``assessor``) sign in by personal link; every
form carries a CSRF token bound to the session. Assessors see an entry's public fields and evidence, never its
contact details.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from flask import Request, Response

from gemeentedelers.assessment import assessors, entrant, evidence, finalists, reports, rules, visits
from gemeentedelers.console import view
from gemeentedelers.console.pages import routes as console_routes
from gemeentedelers.editions import Edition
from gemeentedelers.editions.active import read_active
from gemeentedelers.entries.submissions import PUBLIC_FIELDS
from gemeentedelers.people.csv_import import PeopleCsvError
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.plugins.api import Text
from gemeentedelers.web import links
from gemeentedelers.web.i18n import format_number
from gemeentedelers.web.pages import field_id, language_of, redirect, render, translate
from gemeentedelers.web.refusals import FormRefused, Refusal, explain
from gemeentedelers.web.sessions import (
    Organiser,
    Role,
    csrf,
    message,
    organiser_action,
    organiser_required,
)

NOTICES = {"r2_saved", "r2_completed", "r2_signed", "r2_slots_saved", "r2_visit_confirmed", "r2_ballot_saved",
           "r2_conflict_declared"}


def _edition() -> Edition:
    return read_active(db()).edition


def _load_team(holder: links.Holder) -> dict[str, Any] | None:
    """The entrant behind a case's link: any stored registration, with the link version it carries (bumped to
    stop the link). What the page shows of the rounds follows their release (``assessment.entrant``)."""
    record = layout.submissions(db(), holder.edition).document(holder.person_id).get().to_dict()
    if record is None or record.get("erased_at"):
        return None
    return {"language": record.get("language", "nl"), "record": record,
            "link_version": int(record.get("link_version", 1))}


def _load_assessor(holder: links.Holder) -> dict[str, Any] | None:
    """The assessor, while they take part: a withdrawn one's link and session stop working at once (their link
    version is bumped as well)."""
    person = assessors.get(db(), holder.edition, holder.person_id)
    return person if person is not None and assessors.active(person) else None


TEAM = Role("team", _load_team, "/team", lambda: assessors.TEAM_LINK_VALID_DAYS * 86400)
ASSESSOR = Role("assessor", _load_assessor, "/assess", lambda: assessors.LINK_VALID_DAYS * 86400)


def _notice(request: Request, language: str) -> str | None:
    key = request.args.get("n")
    return translate(language, key) if key in NOTICES else None


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) for k in PUBLIC_FIELDS}


# -- the team ------------------------------------------------------------------------------------------------------


def _team_page(request: Request, holder: links.Holder, team: dict[str, Any], *, values: dict[str, Any] | None = None,
               problems: Any = None, problem: str | None = None, status: int = 200) -> Response:
    edition = _edition()
    language = language_of(request, team["language"])
    client = db()
    stored = evidence.get(client, holder.edition, holder.person_id)
    shown = values if values is not None else {
        k: "\n".join(v) if isinstance(v, list) else v for k, v in stored.get("fields", {}).items()}
    now = read_active(client).clock.now()
    return render("r2_team.html", language, status=status, entry=_public(team["record"]),
                  standing=entrant.standing(client, edition, holder.person_id, now),
                  category=edition.category(team["record"].get("category", "")),
                  fields=edition.evidence_fields, values=shown, problems=problems or {}, errors=problems or {},
                  state=stored.get("status", "new"), open=evidence.is_open(client, edition),
                  deadline=evidence.deadline(edition), visit=visits.get(client, holder.edition, holder.person_id),
                  csrf=csrf(holder), problem=problem, notice=_notice(request, language))


def _not_in_round2(request: Request, team: dict[str, Any]) -> Response:
    return message(request, 409, "error_title", "ent_not_in_round2", team["language"])


@TEAM.required
def team_home(request: Request, holder: links.Holder, team: dict[str, Any]) -> Response:
    if request.method != "POST":
        return _team_page(request, holder, team)
    if not entrant.in_round2(db(), holder.edition, holder.person_id):
        return _not_in_round2(request, team)
    edition = _edition()
    answers = evidence.from_form(edition, request.form)
    complete = request.form.get("action") == "complete"
    try:
        check = evidence.save(db(), edition, holder.person_id, answers, complete=complete)
    except evidence.EvidenceClosed as closed:
        return _team_page(request, holder, team, values=answers, status=409,
                          problem=explain(closed, language_of(request, team["language"])))
    if complete and not check.ok:
        language = language_of(request, team["language"])
        problems = {k: [t.get(language) for t in v] for k, v in check.problems.items()}
        return _team_page(request, holder, team, values=answers, problems=problems, status=422)
    return redirect("/team?n=" + ("r2_completed" if complete else "r2_saved"))


@TEAM.required
def team_visit(request: Request, holder: links.Holder, team: dict[str, Any]) -> Response:
    if request.method != "POST":
        return redirect("/team")
    if not entrant.in_round2(db(), holder.edition, holder.person_id):
        return _not_in_round2(request, team)
    try:
        visits.confirm(db(), holder.edition, holder.person_id, request.form.get("slot", ""),
                       by=audit.team(holder.person_id))
    except visits.VisitError as problem:
        return _team_page(request, holder, team, problem=explain(problem, language_of(request, team["language"])),
                          status=409)
    return redirect("/team?n=r2_visit_confirmed")


# -- the assessor --------------------------------------------------------------------------------------------------


def _my_cases(edition: str, aid: str) -> list[str]:
    return sorted(sid for sid, members in assessors.teams(db(), edition).items() if aid in members)


@ASSESSOR.required
def assessor_home(request: Request, holder: links.Holder, person: dict[str, Any]) -> Response:
    edition = _edition()
    language = language_of(request, person.get("language", "nl"))
    client = db()
    teams = assessors.teams(client, holder.edition)
    mine = []
    for sid in _my_cases(holder.edition, holder.person_id):
        record = layout.submissions(client, holder.edition).document(sid).get().to_dict() or {}
        stored = reports.get(client, holder.edition, sid)
        mine.append({"entry": _public(record), "version": stored.get("version", 0),
                     "complete": not reports.problems(edition, sid, stored, teams.get(sid, [])),
                     "signed": holder.person_id in stored.get("signed_off", [])})
    return render("r2_assessor.html", language, person=person, cases=mine, notice=_notice(request, language),
                  deadline=edition.timeline.round2_decided)


def _case_page(request: Request, holder: links.Holder, person: dict[str, Any], sid: str, *,
               values: dict[str, Any] | None = None, errors: dict[str, str] | None = None,
               latest: dict[str, Any] | None = None, problem: str | None = None, status: int = 200,
               entered: dict[str, Any] | None = None) -> Response:
    """The case page; ``entered`` is the visit form as just sent (kept when it was refused)."""
    edition = _edition()
    language = language_of(request, person.get("language", "nl"))
    client = db()
    team = assessors.teams(client, holder.edition).get(sid, [])
    stored = reports.get(client, holder.edition, sid)
    record = layout.submissions(client, holder.edition).document(sid).get().to_dict() or {}
    names = {p["assessor_id"]: p["name"] for p in assessors.all_assessors(client, holder.edition)}
    form = values if values is not None else _report_values(stored)
    found = ([t.get(language) for t in reports.problems(edition, sid, stored, team, names)]
             if stored.get("version") else [])
    return render(
        "r2_case.html", language, status=status, sid=sid, entry=_public(record), report=stored, values=form,
        criteria=edition.criteria(2), recommendations=edition.assessment_rules.recommendations, errors=errors or {},
        recommendation_labels=_recommendation_labels(edition, language),
        guide=edition.interview_guide, evidence_fields=edition.evidence_fields,
        evidence=evidence.get(client, holder.edition, sid).get("fields", {}), team=[names.get(a, a) for a in team],
        signed=[names.get(a, a) for a in stored.get("signed_off", [])], problems=found,
        me_signed=holder.person_id in stored.get("signed_off", []), latest=latest,
        visit=visits.get(client, holder.edition, sid), entered=entered, csrf=csrf(holder), problem=problem,
        notice=_notice(request, language), evidence_deadline=evidence.deadline(edition),
        report_deadline=edition.timeline.round2_decided)


def _report_values(stored: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {f"score_{k}": str(v) for k, v in stored.get("scores", {}).items()}
    values.update({f"explain_{k}": v for k, v in stored.get("explanations", {}).items()})
    values.update({"tops": "\n".join(stored.get("tops", [])), "tips": "\n".join(stored.get("tips", [])),
                   "recommendation": stored.get("recommendation", ""), "summary": stored.get("summary", ""),
                   "version": str(stored.get("version", 0))})
    return values


def _recommendation_labels(edition: Edition, language: str) -> dict[str, str]:
    return {o.key: o.label.get(language) for o in edition.assessment_rules.recommendations}


def _version(request: Request) -> int:
    """The report version a form was read at; an unreadable one is stale (the page then shows the latest)."""
    try:
        return int(request.form.get("version", "0") or 0)
    except ValueError:
        return -1


def _member(holder: links.Holder, sid: str) -> bool:
    return holder.person_id in assessors.teams(db(), holder.edition).get(sid, [])


def _not_your_case(request: Request, person: dict[str, Any]) -> Response:
    return message(request, 404, "error_title", "r2_not_your_case", person.get("language", "nl"))


@ASSESSOR.required
def case(request: Request, holder: links.Holder, person: dict[str, Any], sid: str) -> Response:
    if not _member(holder, sid):
        return _not_your_case(request, person)
    if request.method != "POST":
        return _case_page(request, holder, person, sid)
    language = language_of(request, person.get("language", "nl"))
    values = dict(request.form)
    try:
        fields = reports.from_form(_edition(), request.form)
        reports.save(db(), holder.edition, sid, holder.person_id, fields, _version(request))
    except reports.ReportInvalid as invalid:
        errors = {field: why.text(language) for field, why in invalid.errors.items()}
        return _case_page(request, holder, person, sid, values=values, errors=errors, status=422)
    except reports.StaleReport as stale:
        return _case_page(request, holder, person, sid, values=values, latest=_report_values(stale.latest),
                          problem=explain(stale, language), status=409)
    except reports.ReportFinal as final:
        return _case_page(request, holder, person, sid, values=values, problem=explain(final, language), status=409)
    except reports.NotInTeam:  # replaced in the team while writing
        return _not_your_case(request, person)
    return redirect(f"/assess/case/{sid}?n=r2_saved")


@ASSESSOR.required
def sign_off(request: Request, holder: links.Holder, person: dict[str, Any], sid: str) -> Response:
    if request.method != "POST" or not _member(holder, sid):
        return redirect("/assess")
    try:
        reports.sign_off(db(), holder.edition, sid, holder.person_id, _version(request))
    except reports.StaleReport as stale:
        return _case_page(request, holder, person, sid, latest=_report_values(stale.latest), status=409,
                          problem=explain(stale, language_of(request, person.get("language", "nl"))))
    except reports.ReportFinal as final:
        return _case_page(request, holder, person, sid, status=409,
                          problem=explain(final, language_of(request, person.get("language", "nl"))))
    except reports.NotInTeam:
        return _not_your_case(request, person)
    return redirect(f"/assess/case/{sid}?n=r2_signed")


@ASSESSOR.required
def propose(request: Request, holder: links.Holder, person: dict[str, Any], sid: str) -> Response:
    if request.method != "POST" or not _member(holder, sid):
        return redirect("/assess")
    try:
        visits.propose(db(), holder.edition, sid, holder.person_id, _entered_slots(request),
                       request.form.get("meeting_url", ""), not_before=evidence.deadline(_edition()))
    except visits.VisitError as problem:
        entered = {"slots": [s.strip() for s in _entered_slots(request)],
                   "meeting_url": request.form.get("meeting_url", "")}
        return _case_page(request, holder, person, sid, status=422, entered=entered,
                          problem=explain(problem, language_of(request, person.get("language", "nl"))))
    return redirect(f"/assess/case/{sid}?n=r2_slots_saved")


def _side_by_side(edition: Edition, language: str, barred: set[str] | None = None,
                  ) -> dict[str, list[dict[str, Any]]]:
    """Every case per category with its report for the ballot: only reports every member signed, and none of a
    case the reader may not judge (``barred``: a conflict of interest); those rows say why they are empty."""
    client = db()
    shown: dict[str, list[dict[str, Any]]] = {}
    for entry in assessors.cases(client, edition.key):
        sid = entry["submission_id"]
        stored = reports.get(client, edition.key, sid)
        team = (layout.assessment_teams(client, edition.key).document(sid).get().to_dict() or {}).get("members", [])
        signed = bool(stored.get("version")) and not reports.problems(edition, sid, stored, list(team))
        hidden = "conflict" if sid in (barred or set()) else None if signed else "unsigned"
        score = reports.score(edition, stored) if hidden is None else None
        shown.setdefault(entry["category"], []).append(
            {"entry": _public(entry), "report": {} if hidden else stored, "hidden": hidden,
             "score": None if score is None else format_number(score, language, 2)})
    return shown


@ASSESSOR.required
def ballot(request: Request, holder: links.Holder, person: dict[str, Any]) -> Response:
    edition = _edition()
    language = language_of(request, person.get("language", "nl"))
    client = db()
    errors: dict[str, str] = {}
    status = 200
    problem = None
    given = (layout.assessment_ballots(client, edition.key).document(holder.person_id).get().to_dict() or {})
    values: dict[str, Any] = {f"rank_{sid}": str(n) for n, sid in enumerate(given.get("ballot", []), start=1)}
    if request.method == "POST":
        values = {**request.form, "approve": request.form.getlist("approve")}
        try:
            finalists.save_ballot(client, edition, holder.person_id, values)
        except finalists.BallotInvalid as invalid:
            errors, problem, status = invalid.errors, explain(invalid, language), 422
        except finalists.NotReady as refused:
            problem, status = explain(refused, language), 409
        else:
            return redirect("/assess/finalists?n=r2_ballot_saved")
    entries = assessors.cases(client, edition.key)
    barred = finalists.abstentions(edition, [person], entries).get(holder.person_id, set())
    return render("r2_ballot.html", language, status=status, categories=_side_by_side(edition, language, barred),
                  edition_deadline=edition.timeline.round2_decided,
                  labels={c.key: c.label.get(language) for c in edition.categories},
                  criteria=edition.criteria(2), method=edition.finalist_rule.method, values=values,
                  recommendation_labels=_recommendation_labels(edition, language),
                  approved=set(given.get("ballot", [])) if edition.finalist_rule.method == "approval" else set(),
                  barred=barred, errors=errors, problem=problem, csrf=csrf(holder), notice=_notice(request, language),
                  closed=finalists.state(client, edition.key).get("status", "open") != "open")


@ASSESSOR.required
def declare_conflict(request: Request, holder: links.Holder, person: dict[str, Any]) -> Response:
    """An assessor declares a conflict of interest with a case (from the ballot page)."""
    if request.method != "POST":
        return redirect("/assess/finalists")
    sid = request.form.get("submission_id", "")
    if sid not in {e["submission_id"] for e in assessors.cases(db(), holder.edition)}:
        return message(request, 404, "error_title", "r2_not_your_case", person.get("language", "nl"))
    assessors.declare_conflict(db(), holder.edition, holder.person_id, sid, request.form.get("reason", ""))
    return redirect("/assess/finalists?n=r2_conflict_declared")


# -- organisers ----------------------------------------------------------------------------------------------------


HERE = "assessment"
HOME = "/organiser/round2"


def _organiser_page(request: Request, organiser: Organiser, notice: str | None = None, problem: str | None = None,
                    status: int = 200, errors: dict[str, str] | None = None) -> Response:
    from gemeentedelers.console import progress

    active = read_active(db())
    edition = active.edition
    language = language_of(request)
    client = db()
    people = assessors.all_assessors(client, edition.key)
    names = {p["assessor_id"]: p["name"] for p in people}
    gone = {p["assessor_id"] for p in people if not assessors.active(p)}
    teams = assessors.teams(client, edition.key)
    busy = assessors.loads(teams)
    voted = {d.id for d in layout.assessment_ballots(client, edition.key).stream()}
    listed = [{**p, "load": busy.get(p["assessor_id"], 0), "voted": p["assessor_id"] in voted} for p in people]
    rows = []
    for entry in assessors.cases(client, edition.key):
        sid = entry["submission_id"]
        stored = reports.get(client, edition.key, sid)
        visit = visits.get(client, edition.key, sid)
        rows.append({"entry": _public(entry), "team": [names.get(a, a) for a in teams.get(sid, [])],
                     "members": [(a, names.get(a, a)) for a in teams.get(sid, [])],
                     "withdrawn": [names.get(a, a) for a in teams.get(sid, []) if a in gone],
                     "gone": [a for a in teams.get(sid, []) if a in gone],
                     "candidates": [(p["assessor_id"], p["name"], p["load"]) for p in assessors.candidates(
                         edition, people, teams[sid], entry, busy)] if sid in teams else [],
                     "evidence": evidence.get(client, edition.key, sid).get("status", "new"),
                     "visit": visit.get("confirmed"), "slots": visit.get("slots", []),
                     "report": "complete" if stored.get("version") and not reports.problems(
                         edition, sid, stored, teams.get(sid, [])) else ("draft" if stored.get("version") else "new")})
    preview = no_proposal = None
    named = finalists.names(client, edition)
    try:
        preview = finalists.select(edition, finalists.inputs(client, edition), named)
    except ValueError as why:  # NotReady, BallotsDoNotFit: the round's state, not an error of the organiser's
        no_proposal = explain(why, language)
    shown = {k: v.get(language) if isinstance(v, Text) else v for k, v in named.items()}
    return view.page("r2_organiser.html", request, organiser, here=HERE, current="round2", status=status,
                     errors=errors or {},
                     assessors=listed, rows=rows, preview=preview, names=shown,
                     state=finalists.state(client, edition.key), notice=notice, problem=problem,
                     no_proposal=no_proposal,
                     progress=progress.round2(client, edition, active.clock.now()))


@organiser_required("read")
def organiser_round2(request: Request, organiser: Organiser) -> Response:
    return _organiser_page(request, organiser)


def _organiser_action(action: Callable[[Edition, Request, Organiser], str],
                      confirm: Callable[[Request, Organiser], Response | None] | None = None, *,
                      field: str | None = None, item: str | None = None,
                      bad_input: tuple[type[Exception], ...] | None = None) -> Callable[[Request], Response]:
    """An organiser's POST on this page (see ``sessions.organiser_action``; ``field``/``item`` name the field a
    refusal of a ``bad_input`` kind belongs to)."""
    return organiser_action(lambda request, organiser: action(_edition(), request, organiser), _organiser_page, HOME,
                            confirm=confirm, field=field, item=item, bad_input=bad_input)


def _import(edition: Edition, request: Request, organiser: Organiser) -> str:
    created, existing = assessors.import_csv(db(), edition.key, request.form.get("csv", ""), source="CSV",
                                             by=organiser.actor)
    return translate(language_of(request), "r2_imported", created=len(created), existing=len(existing))


def _form_teams(edition: Edition, request: Request, organiser: Organiser) -> str:
    plan = assessors.form(db(), edition, by=organiser.actor)  # InfeasibleTeams is a ValueError: the page shows why
    return translate(language_of(request), "r2_teams_formed", n=len(plan.teams))


def _confirm_visit(edition: Edition, request: Request, organiser: Organiser) -> str:
    visits.confirm(db(), edition.key, request.form.get("submission_id", ""), request.form.get("slot", ""),
                   by=organiser.actor)
    return translate(language_of(request), "r2_visit_confirmed")


FIELD_OF_REFUSAL = {
    "r2_err_not_in_team": "leaving", "r2_err_no_replacement": "joining", "r2_err_already_in_team": "joining",
    "r2_err_replacement_conflict": "joining", "r2_err_replacement_busy": "joining",
    "r2_err_withdraw_no_replacement": "replace",
}
"""Refusals caused by what the organiser chose in a form (who leaves, who joins, replacing or not), and the field
each belongs to; every other refusal is about the state of the round (409)."""


@contextmanager
def _fields_of(request: Request, item: str) -> Iterator[None]:
    """Turn a refusal of a choice into a refusal of its field in the form repeated per ``item`` (a case, an
    assessor), so the page marks the field the organiser chose in."""
    try:
        yield
    except Refusal as refused:
        field = FIELD_OF_REFUSAL.get(refused.key)
        if field is None:
            raise
        raise FormRefused(field_id(field, request.form.get(item, "")), refused.key, **refused.values) from refused


def _replace(edition: Edition, request: Request, organiser: Organiser) -> str:
    client = db()
    sid, leaving = request.form.get("submission_id", ""), request.form.get("leaving", "")
    with _fields_of(request, "submission_id"):
        joining = assessors.replace_member(client, edition, sid, leaving, request.form.get("joining") or None,
                                           by=organiser.actor)
    named = finalists.names(client, edition)
    return translate(language_of(request), "r2_replaced", leaving=named.get(leaving, leaving),
                     joining=named.get(joining, joining), case=named.get(sid, sid))


def _remind_teams(edition: Edition, request: Request, organiser: Organiser) -> str:
    from gemeentedelers.assessment import reminders

    return translate(language_of(request), "reminded_n", n=len(reminders.remind_teams(db(), edition,
                                                                                         by=organiser.actor)))


def _remind_assessors(edition: Edition, request: Request, organiser: Organiser) -> str:
    from gemeentedelers.assessment import reminders

    return translate(language_of(request), "reminded_n", n=len(reminders.remind_assessors(db(), edition,
                                                                                             by=organiser.actor)))


def _confirm_withdraw(request: Request, organiser: Organiser) -> Response | None:
    edition = _edition()
    language = language_of(request)
    client = db()
    aid = request.form.get("assessor_id", "") or "-"
    person = assessors.get(client, edition.key, aid)
    if person is None:
        raise assessors.WithdrawRefused("r2_err_unknown_assessor")
    if not assessors.active(person):
        return None  # withdrawn already: a repeat changes nothing, or finishes the replacements asked for
    if finalists.state(client, edition.key).get("status", "open") in ("confirming", "decided"):
        raise assessors.WithdrawRefused("r2_err_withdraw_final")
    named = finalists.names(client, edition)
    formed = assessors.teams(client, edition.key)
    mine = assessors.cases_of(formed, aid)
    if request.form.get("replace") == "yes" and mine:  # refused now, naming the cases, when nobody may join one
        with _fields_of(request, "assessor_id"):
            assessors.plan_replacements(edition, assessors.all_assessors(client, edition.key), formed,
                                        {e["submission_id"]: e for e in assessors.cases(client, edition.key)}, aid)
    cases = ", ".join(sorted(str(named.get(sid, sid)) for sid in mine)) or "-"
    consequences = [translate(language, "r2_withdraw_will_stop", name=person["name"]),
                    translate(language, "r2_withdraw_will_ballot")]
    consequences.append(translate(language, "r2_withdraw_will_replace" if request.form.get("replace") == "yes"
                                  else "r2_withdraw_will_leave_open", cases=cases))
    warnings = []
    unsigned = [str(named.get(sid, sid)) for sid in mine
                if aid not in reports.get(client, edition.key, sid).get("signed_off", [])]
    if unsigned:
        warnings.append(translate(language, "r2_withdraw_warn_unsigned", cases=", ".join(sorted(unsigned))))
    return view.confirmation(request, organiser, here=HERE, current="round2",
                             title=translate(language, "r2_withdraw_confirm_title", name=person["name"]),
                             consequences=consequences, warnings=warnings,
                             button=translate(language, "r2_withdraw_button"), cancel=HOME)


def _withdraw(edition: Edition, request: Request, organiser: Organiser) -> str:
    client = db()
    language = language_of(request)
    with _fields_of(request, "assessor_id"):
        done = assessors.withdraw(client, edition, request.form.get("assessor_id", "") or "-",
                                  replace=request.form.get("replace") == "yes", by=organiser.actor)
    named = finalists.names(client, edition)
    said = [translate(language, "r2_withdrew" if done.changed else "r2_withdrew_already", name=done.name)]
    said += [translate(language, "r2_withdraw_replaced", case=named.get(sid, sid), joining=named.get(aid, aid))
             for sid, aid in sorted(done.replaced.items(), key=lambda item: str(named.get(item[0], item[0])))]
    if done.open_cases:
        said.append(translate(language, "r2_withdraw_needs_replacement", name=done.name,
                              cases=", ".join(sorted(str(named.get(sid, sid)) for sid in done.open_cases))))
    return " ".join(said)


def _picks(request: Request) -> dict[str, list[str]]:
    return {k.removeprefix("pick_"): request.form.getlist(k) for k in request.form if k.startswith("pick_")}


def _picks_refused(refused: rules.PicksInvalid) -> Refusal:
    """A wrong number of picks in a tied category is that category's field (``pick-<category>``); any other
    refusal of the picks stays the whole form's."""
    if refused.key != "r2_err_pick_count" or refused.category_key is None:
        return refused
    return FormRefused(field_id("pick", refused.category_key), refused.key, **refused.values)


def _confirm(edition: Edition, request: Request, organiser: Organiser) -> str:
    decision = finalists.confirm(db(), edition, _picks(request), by=organiser.actor)
    return translate(language_of(request), "r2_confirmed", n=len(decision["advancing"]))


def _confirm_finalists(request: Request, organiser: Organiser) -> Response:
    """What confirming the finalists does and what is missing (ballots, unsigned reports, visits not held); the
    proposal is checked first, so a missing pick is refused before the confirmation step."""
    from gemeentedelers.console import progress

    active = read_active(db())
    edition = active.edition
    language = language_of(request)
    client = db()
    named = finalists.names(client, edition)
    selection = finalists.select(edition, finalists.inputs(client, edition), named)
    try:
        chosen = rules.confirm_finalists(selection, {k: v for k, v in _picks(request).items() if v}, names=named)
    except rules.PicksInvalid as refused:
        raise _picks_refused(refused) from refused
    found = progress.round2(client, edition, active.clock.now())
    titles = ", ".join(sorted(str(named.get(sid, sid)) for ids in chosen.values() for sid in ids))
    consequences = [translate(language, "r2_confirm_will_decide", n=sum(len(v) for v in chosen.values()),
                              titles=titles),
                    translate(language, "r2_confirm_will_freeze"), translate(language, "r2_confirm_will_mail")]
    warnings = []
    if found.ballots_missing:
        warnings.append(translate(language, "r2_confirm_warn_ballots", names=", ".join(found.ballots_missing)))
    if found.visits_missing:
        warnings.append(translate(language, "r2_confirm_warn_visits", cases=", ".join(found.visits_missing)))
    if found.visits_planned:
        warnings.append(translate(language, "r2_confirm_warn_visits_planned", n=found.visits_planned))
    return view.confirmation(request, organiser, here=HERE, current="round2",
                             title=translate(language, "r2_confirm_title"), consequences=consequences,
                             warnings=warnings, button=translate(language, "r2_confirm"), cancel=HOME)


ROUTES: dict[str, Callable[..., Response]] = {
    "/team/login": TEAM.sign_in,
    "/team": team_home,
    "/team/visit": team_visit,
    "/assess/login": ASSESSOR.sign_in,
    "/assess": assessor_home,
    "/assess/case/<sid>": case,
    "/assess/case/<sid>/signoff": sign_off,
    "/assess/case/<sid>/visit": propose,
    "/assess/finalists": ballot,
    "/assess/conflict": declare_conflict,
    "/organiser/round2": organiser_round2,
    "/organiser/round2/assessors/import": _organiser_action(_import, field="csv", bad_input=(PeopleCsvError,)),
    "/organiser/round2/teams": _organiser_action(_form_teams),
    "/organiser/round2/visit": _organiser_action(_confirm_visit, field="slot", item="submission_id",
                                                 bad_input=(visits.VisitError,)),
    "/organiser/round2/replace": _organiser_action(_replace),
    "/organiser/round2/assessors/withdraw": _organiser_action(_withdraw, confirm=_confirm_withdraw),
    "/organiser/round2/confirm": _organiser_action(_confirm, confirm=_confirm_finalists),
    "/organiser/round2/remind/teams": _organiser_action(_remind_teams),
    "/organiser/round2/remind/assessors": _organiser_action(_remind_assessors),
    **console_routes(HERE),
}


def _entered_slots(request: Request) -> list[str]:
    """The moments from the date/time pickers (``slots``, one each; a line each also works)."""
    return [line for value in request.form.getlist("slots") for line in value.splitlines()]

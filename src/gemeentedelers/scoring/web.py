"""The scoring service's pages: scorer sign-up, the personal link, the score sheet, calibration, and the
organiser's round-1 view (preview, waves, closing, approving and importing scorers).

Sessions are signed cookies made from a personal link (see :mod:`gemeentedelers.web.links`); every form carries a
CSRF token bound to the session. Scorers only ever see the public fields of an entry.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Request, Response
from marshmallow import ValidationError

from gemeentedelers.console import view
from gemeentedelers.console.pages import routes as console_routes
from gemeentedelers.editions import Edition
from gemeentedelers.editions.active import read_active
from gemeentedelers.people import consent
from gemeentedelers.people.csv_import import PeopleCsvError
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import rounds, scorers, sheets, waves
from gemeentedelers.web import links, ratelimit
from gemeentedelers.web.i18n import field_message
from gemeentedelers.web.pages import language_of, redirect, render, translate
from gemeentedelers.web.refusals import FormRefused, explain
from gemeentedelers.web.sessions import (
    Organiser,
    Role,
    csrf,
    message,
    organiser_action,
    organiser_required,
)

NOTICES = {"saved_draft", "saved_submitted", "conflict_done"}


def _edition() -> Edition:
    return read_active(db()).edition


def _load_scorer(holder: links.Holder) -> dict[str, Any] | None:
    scorer = scorers.get(db(), holder.edition, holder.person_id)
    return scorer if scorer is not None and scorer["status"] == "approved" else None


SCORER = Role("scorer", _load_scorer, "/score", lambda: _edition().round1_rules.link_valid_days * 86400)
scorer_only = SCORER.required


# -- scorers ----------------------------------------------------------------------------------------------------


SIGNUP_LABELS = {"name": "name", "email": "email", "organisation": "organisation", "background": "background",
                 "language": "language_pref", "consent": "consent_label"}
"""Each sign-up field and the catalogue key of its label, to name a field with a problem."""


SIGNUP_PURPOSE = "scorer-signup"


def _signup_form(language: str, status: int = 200, errors: dict[str, list[str]] | None = None,
                 values: dict[str, str] | None = None) -> Response:
    shown = consent.current("scorer")
    return render("signup.html", language, status=status, errors=errors or {}, values=values or {},
                  labels=SIGNUP_LABELS, consent_text=shown.text.get(language), consent_version=shown.version)


def signup(request: Request) -> Response:
    """Sign up as a scorer, with consent to the current text. The answer is the same whether or not the address
    had signed up before, so the page does not tell who takes part; so is the 429 over a rate limit (per client IP
    and per address, counted for every complete form, one that could store a scorer: ``web/ratelimit.py``). A form
    with problems is only shown again, with nothing stored or counted."""
    language = language_of(request)
    if request.method == "GET":
        return _signup_form(language)
    if request.method != "POST":
        return Response(status=405)
    values = {k: request.form.get(k, "") for k in ("name", "email", "organisation", "background", "language")}
    errors: dict[str, list[str]] = {}
    try:
        scorers.clean(values)
    except ValidationError as problem:
        errors = {k: [field_message(str(m), language) for m in v] for k, v in problem.normalized_messages().items()}
    if request.form.get("consent") != "yes":
        errors["consent"] = [translate(language, "consent_needed")]
    if errors:
        return _signup_form(language, 422, errors, {**values, "consent": request.form.get("consent", "")})
    limited = ratelimit.check_ip(db(), SIGNUP_PURPOSE, request)
    if limited.allowed:  # known or not, the address counts the same
        limited = ratelimit.check_address(db(), SIGNUP_PURPOSE, values["email"])
    if not limited.allowed:
        return ratelimit.refused(request, limited)
    try:
        scorers.sign_up(db(), _edition().key, values, consent_version=request.form.get("consent_version") or None)
    except consent.ConsentRefused:  # a page older than the current text: show the current one to agree to
        return _signup_form(language, 422, {"consent": [translate(language, "consent_outdated")]}, values)
    language = values.get("language") if values.get("language") in ("nl", "en") else language
    return render("message.html", language, title=translate(language, "signup_done_title"),
                  text=translate(language, "signup_done"))


def _refused(status: int, problem: BaseException, language: str) -> Response:
    """A page saying why ``problem`` stopped the request, in ``language``."""
    return render("message.html", language, status=status, title=translate(language, "error_title"),
                  text=explain(problem, language))


@scorer_only
def sheet(request: Request, holder: links.Holder, scorer: dict[str, Any]) -> Response:
    edition = _edition()
    rows = sheets.sheet(db(), holder.edition, holder.person_id)
    language = language_of(request, scorer.get("language", "nl"))
    notice = request.args.get("n")
    return render(
        "sheet.html", language, rows=rows, done=sum(1 for r in rows if r.status == "submitted"),
        categories={c.key: c.label.get(language) for c in edition.categories},
        closed=rounds.state(db(), holder.edition, 1)["status"] != "open", deadline=edition.timeline.round1_decided,
        notice=translate(language, notice) if notice in NOTICES else None,
    )


@scorer_only
def entry(request: Request, holder: links.Holder, scorer: dict[str, Any], sid: str) -> Response:
    edition = _edition()
    language = language_of(request, scorer.get("language", "nl"))
    row = next((r for r in sheets.sheet(db(), holder.edition, holder.person_id) if r.entry["submission_id"] == sid),
               None)
    if row is None:
        return message(request, 404, "error_title", "sheet_empty", scorer.get("language", "nl"))
    closed = rounds.state(db(), holder.edition, 1)["status"] != "open"
    values: dict[str, Any] = {**(row.score or {}).get("scores", {}), **{k: (row.score or {}).get(k, "")
                                                                          for k in ("tops", "tips")}}
    errors: dict[str, str] = {}
    status = 200
    if request.method == "POST" and not closed:
        action = request.form.get("action", "submit")
        if action != "conflict":
            values = {k: request.form.get(k, "") for k in [c.key for c in edition.criteria(1)] + ["tops", "tips"]}
        try:
            if action == "conflict":
                waves.declare_conflict(db(), edition, holder.person_id, sid, request.form.get("reason", ""))
            else:
                sheets.save(db(), edition, holder.person_id, sid, values, submit=action == "submit")
        except sheets.ScoreInvalid as problem:
            errors, status = {field: why.text(language) for field, why in problem.errors.items()}, 422
        except rounds.RoundNotOpen:
            closed = True
        except sheets.NotAssigned as problem:  # e.g. declared a conflict in another tab
            return _refused(404, problem, language)
        else:
            done = {"conflict": "conflict_done", "submit": "saved_submitted"}.get(action, "saved_draft")
            return redirect(f"/score?n={done}")
    category = edition.category(row.entry["category"])
    labels = {c.key: c.label.get(language) for c in edition.criteria(1)}
    labels |= {"tops": translate(language, "tops"), "tips": translate(language, "tips"),
               "status": translate(language, "your_score")}
    return render(
        "entry.html", language, status=status, entry=row.entry, criteria=edition.criteria(1), values=values,
        errors=errors, labels=labels, csrf=csrf(holder), closed=closed, score_status=row.status, notice=None,
        category=category.label.get(language) if category else row.entry["category"],
    )


@scorer_only
def calibration(request: Request, holder: links.Holder, scorer: dict[str, Any]) -> Response:
    """The scorer's own leniency and agreement with the crowd, as of the model's last fit; never anyone else's."""
    from gemeentedelers.scoring import calibration as stored

    language = language_of(request, scorer.get("language", "nl"))
    return render("calibration.html", language, calibration=stored.read(db(), holder.edition, holder.person_id))


# -- organisers -------------------------------------------------------------------------------------------------

HERE = "scoring"
HOME = "/organiser/round1"


def _organiser_page(request: Request, organiser: Organiser, notice: str | None = None, problem: str | None = None,
                    status: int = 200, errors: dict[str, str] | None = None) -> Response:
    from gemeentedelers.console import charts, progress
    from gemeentedelers.scoring import fitcache
    from gemeentedelers.scoring.verdict import preview

    edition = _edition()
    language = language_of(request)
    client = db()
    state = rounds.state(client, edition.key, 1)
    data = fitcache.current_round(client, edition.key)  # read again only when round 1 changed
    shown = None
    if state["status"] != "not_opened":
        try:
            shown = preview(client, edition, data)
        except LookupError:
            shown = None
    behind = progress.round1(edition, data, state)
    return view.page(
        "organiser_round1.html", request, organiser, here=HERE, current="round1", status=status, notice=notice,
        problem=problem, errors=errors or {}, preview=shown, status_name=state["status"], progress=behind,
        status_text=rounds.status_text(state["status"], language),
        chart=charts.estimates(shown, language) if shown else None,
        scorers=sorted(data.scorers.values(), key=lambda s: (s["status"], s["name"])))


@organiser_required("read")
def organiser_round1(request: Request, organiser: Organiser) -> Response:
    return _organiser_page(request, organiser)


def _organiser_action(action: Callable[[Edition, Request, Organiser], str],
                      confirm: Callable[[Request, Organiser], Response] | None = None, *, field: str | None = None,
                      bad_input: tuple[type[Exception], ...] | None = None) -> Callable[[Request], Response]:
    return organiser_action(lambda request, organiser: action(_edition(), request, organiser), _organiser_page, HOME,
                            errors=(ValueError, LookupError, rounds.RoundNotOpen), confirm=confirm, field=field,
                            bad_input=bad_input)


def _first_wave(edition: Edition, request: Request, organiser: Organiser) -> str:
    result = waves.first_wave(db(), edition, by=organiser.actor)
    return translate(language_of(request), "wave_done", wave=result.wave, n=len(result.pairs))


def _adaptive_wave(edition: Edition, request: Request, organiser: Organiser) -> str:
    budget = request.form.get("budget", "").strip()
    try:
        wanted = int(budget) if budget else None
    except ValueError:
        raise FormRefused("budget", "wave_budget_invalid") from None
    if wanted is not None and wanted < 1:
        raise FormRefused("budget", "wave_budget_invalid")
    result = waves.adaptive_wave(db(), edition, wanted, by=organiser.actor)
    return translate(language_of(request), "wave_done", wave=result.wave, n=len(result.pairs))


def _close(edition: Edition, request: Request, organiser: Organiser) -> str:
    from gemeentedelers.scoring.verdict import close

    decision = close(db(), edition, by=organiser.actor)
    return translate(language_of(request), "closed_done", id=decision["decision_id"], n=len(decision["advancing"]))


def _confirm_close(request: Request, organiser: Organiser) -> Response:
    """What closing round 1 does, and what is still missing (unfinished ratings by name, entries near the
    cut-off)."""
    from gemeentedelers.console import progress

    edition = _edition()
    language = language_of(request)
    client = db()
    state = rounds.state(client, edition.key, 1)
    if state["status"] not in ("open", "closed"):
        raise rounds.RoundNotOpen("round_not_open", round=1, status=state["status"])
    data = waves.read_round(client, edition.key)
    found = progress.round1(edition, data, state)
    top_n = min(edition.round1_rules.advance, len(data.entries))
    consequences = [translate(language, "close_will_stop"), translate(language, "close_will_decide", n=top_n),
                    translate(language, "close_will_mail")]
    warnings = []
    if found.outstanding:
        warnings.append(translate(language, "close_warn_outstanding", n=found.outstanding,
                                  names=", ".join(p.name for p in found.behind)))
    if found.thin_entries:
        warnings.append(translate(language, "close_warn_thin", n=found.thin_entries,
                                  per_entry=edition.round1_rules.ratings_per_entry))
    return view.confirmation(request, organiser, here=HERE, current="round1",
                             title=translate(language, "close_confirm_title"), consequences=consequences,
                             warnings=warnings, button=translate(language, "close_button"), cancel=HOME)


def _approve(edition: Edition, request: Request, organiser: Organiser) -> str:
    count = scorers.approve(db(), edition.key, request.form.getlist("scorer"), by=organiser.actor)
    return translate(language_of(request), "approved_n", n=count)


def _import(edition: Edition, request: Request, organiser: Organiser) -> str:
    result = scorers.import_csv(db(), edition.key, request.form.get("csv", ""), source="CSV", by=organiser.actor)
    return translate(language_of(request), "imported", created=len(result.created), existing=len(result.existing))


def _remind(edition: Edition, request: Request, organiser: Organiser) -> str:
    reminded = waves.remind(db(), edition, by=organiser.actor)
    return translate(language_of(request), "reminded_n", n=len(reminded))


def _drop(edition: Edition, request: Request, organiser: Organiser) -> str:
    sid = request.form.get("scorer_id", "")
    scorer = scorers.get(db(), edition.key, sid) if sid else None
    if scorer is None:
        raise scorers.UnknownScorer("scorer_unknown", scorer=sid or "-")
    result = waves.drop_scorer(db(), edition, sid, by=organiser.actor)
    return translate(language_of(request), "dropped_done", name=scorer["name"], n=len(result.pairs))


def _confirm_drop(request: Request, organiser: Organiser) -> Response:
    from gemeentedelers.console import progress

    edition = _edition()
    language = language_of(request)
    sid = request.form.get("scorer_id", "")
    scorer = scorers.get(db(), edition.key, sid) if sid else None
    if scorer is None:
        raise scorers.UnknownScorer("scorer_unknown", scorer=sid or "-")
    data = waves.read_round(db(), edition.key)
    found = progress.round1(edition, data, rounds.state(db(), edition.key, 1))
    mine = next((p for p in found.people if p.person_id == sid), None)
    open_now = mine.open if mine else 0
    consequences = [translate(language, "drop_will_stop", name=scorer["name"]),
                    translate(language, "drop_will_reassign", n=open_now)]
    warnings = [translate(language, "drop_warn_done", n=mine.done)] if mine and mine.done else []
    return view.confirmation(request, organiser, here=HERE, current="round1",
                             title=translate(language, "drop_confirm_title", name=scorer["name"]),
                             consequences=consequences, warnings=warnings,
                             button=translate(language, "drop_button"), cancel=HOME)
def _editions_page() -> dict[str, Callable[..., Response]]:
    """The organisers' editions page, on the scoring host (the console's navigation leads there)."""
    from gemeentedelers.editions.page import ROUTES as EDITIONS

    return EDITIONS


ROUTES: dict[str, Callable[..., Response]] = {
    **_editions_page(),
    "/scorers/signup": signup,
    "/score/login": SCORER.sign_in,
    "/score": sheet,
    "/score/entry/<sid>": entry,
    "/score/calibration": calibration,
    "/organiser/round1": organiser_round1,
    "/organiser/round1/first-wave": _organiser_action(_first_wave),
    "/organiser/round1/wave": _organiser_action(_adaptive_wave),
    "/organiser/round1/close": _organiser_action(_close, confirm=_confirm_close),
    "/organiser/round1/remind": _organiser_action(_remind),
    "/organiser/round1/drop": _organiser_action(_drop, confirm=_confirm_drop),
    "/organiser/scorers/approve": _organiser_action(_approve),
    "/organiser/scorers/import": _organiser_action(_import, field="csv", bad_input=(PeopleCsvError,)),
    **console_routes(HERE),
}

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

from gemeentedelers.editions import Edition
from gemeentedelers.editions.active import read_active
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import rounds, scorers, sheets, waves
from gemeentedelers.web import links
from gemeentedelers.web.i18n import field_message
from gemeentedelers.web.pages import language_of, redirect, render, translate
from gemeentedelers.web.refusals import explain
from gemeentedelers.web.sessions import (
    ORGANISER,
    Role,
    csrf,
    message,
    organiser_action,
    organiser_required,
    organiser_sign_in,
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
                 "language": "language_pref"}
"""Each sign-up field and the catalogue key of its label, to name a field with a problem."""


def signup(request: Request) -> Response:
    language = language_of(request)
    if request.method == "GET":
        return render("signup.html", language, errors={}, values={}, labels=SIGNUP_LABELS)
    if request.method != "POST":
        return Response(status=405)
    values = {k: request.form.get(k, "") for k in ("name", "email", "organisation", "background", "language")}
    try:
        _, created = scorers.sign_up(db(), _edition().key, values)
    except ValidationError as problem:
        errors = {k: [field_message(str(m), language) for m in v] for k, v in problem.normalized_messages().items()}
        return render("signup.html", language, status=422, errors=errors, values=values, labels=SIGNUP_LABELS)
    language = values.get("language") if values.get("language") in ("nl", "en") else language
    text = "signup_done" if created else "signup_known"
    return render("message.html", language, title=translate(language, "signup_done_title"),
                  text=translate(language, text))


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
        closed=rounds.state(db(), holder.edition, 1)["status"] != "open",
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

def organiser_login(request: Request) -> Response:
    return organiser_sign_in(request, "/organiser/round1")



def _organiser_page(request: Request, notice: str | None = None, problem: str | None = None,
                    status: int = 200) -> Response:
    from gemeentedelers.scoring.verdict import preview

    edition = _edition()
    language = language_of(request)
    state = rounds.state(db(), edition.key, 1)
    shown = None
    if state["status"] != "not_opened":
        try:
            shown = preview(db(), edition)
        except LookupError:
            shown = None
    return render("organiser_round1.html", language, status=status, preview=shown, status_name=state["status"],
                  status_text=rounds.status_text(state["status"], language), csrf=csrf(ORGANISER), notice=notice,
                  problem=problem,
                  scorers=sorted(scorers.all_scorers(db(), edition.key), key=lambda s: (s["status"], s["name"])))


@organiser_required
def organiser_round1(request: Request) -> Response:
    return _organiser_page(request)


def _organiser_action(action: Callable[[Edition, Request], str]) -> Callable[[Request], Response]:
    return organiser_action(lambda request: action(_edition(), request), _organiser_page, "/organiser/round1",
                            errors=(ValueError, LookupError, rounds.RoundNotOpen))


def _first_wave(edition: Edition, request: Request) -> str:
    result = waves.first_wave(db(), edition, by="organiser")
    return translate(language_of(request), "wave_done", wave=result.wave, n=len(result.pairs))


def _adaptive_wave(edition: Edition, request: Request) -> str:
    budget = request.form.get("budget", "").strip()
    try:
        wanted = int(budget) if budget else None
    except ValueError:
        raise waves.WaveRefused("wave_budget_invalid") from None
    result = waves.adaptive_wave(db(), edition, wanted, by="organiser")
    return translate(language_of(request), "wave_done", wave=result.wave, n=len(result.pairs))


def _close(edition: Edition, request: Request) -> str:
    from gemeentedelers.scoring.verdict import close

    decision = close(db(), edition, by="organiser")
    return translate(language_of(request), "closed_done", id=decision["decision_id"], n=len(decision["advancing"]))


def _approve(edition: Edition, request: Request) -> str:
    count = scorers.approve(db(), edition.key, request.form.getlist("scorer"))
    return translate(language_of(request), "approved_n", n=count)


def _import(edition: Edition, request: Request) -> str:
    result = scorers.import_csv(db(), edition.key, request.form.get("csv", ""), source="CSV")
    return translate(language_of(request), "imported", created=len(result.created), existing=len(result.existing))


ROUTES: dict[str, Callable[..., Response]] = {
    "/scorers/signup": signup,
    "/score/login": SCORER.sign_in,
    "/score": sheet,
    "/score/entry/<sid>": entry,
    "/score/calibration": calibration,
    "/organiser/login": organiser_login,
    "/organiser/round1": organiser_round1,
    "/organiser/round1/first-wave": _organiser_action(_first_wave),
    "/organiser/round1/wave": _organiser_action(_adaptive_wave),
    "/organiser/round1/close": _organiser_action(_close),
    "/organiser/scorers/approve": _organiser_action(_approve),
    "/organiser/scorers/import": _organiser_action(_import),
}


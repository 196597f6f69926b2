"""The console's feedback composer: per round, every entrant's tips and tops with what the composer flags
(contact data, names), an organiser's edits and approvals, per entrant or all at once (``entries/composer.py``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Request, Response

from gemeentedelers.console import navigation, view
from gemeentedelers.editions.active import read_active
from gemeentedelers.entries import composer
from gemeentedelers.platform.firestore import db
from gemeentedelers.web.pages import language_of, translate
from gemeentedelers.web.refusals import explain
from gemeentedelers.web.sessions import Organiser, organiser_required, redirect_with_notice

navigation.register(navigation.Place("feedback", "/organiser/feedback/round1", "nav_feedback"), before="audit")


def _round(number: str) -> int:
    if number not in ("1", "2", "3"):
        raise composer.FeedbackRefused("composer_no_round", round=number[:3] or "-")
    return int(number)


def _flag_text(flag: str, language: str) -> str:
    if flag.startswith("name:"):
        return translate(language, "composer_flag_name", name=flag[5:])
    return translate(language, "composer_flag_contact")


def _page(request: Request, organiser: Organiser, here: str, number: int, *, problem: str | None = None,
          status: int = 200) -> Response:
    language = language_of(request)
    edition = read_active(db()).edition
    found = composer.drafts(db(), edition.key, number)
    shown: list[dict[str, Any]] = [{**d.__dict__, "flag_texts": [_flag_text(f, language) for f in d.flags]}
                                   for d in found]
    return view.page("console_feedback.html", request, organiser, here=here, current="feedback", status=status,
                     problem=problem, round=number, rounds=composer.ROUNDS, drafts=shown,
                     waiting=sum(1 for d in found if not d.approved), flagged=sum(1 for d in found if d.flags))


def _show(here: str) -> Callable[..., Response]:
    @organiser_required("read")
    def show(request: Request, organiser: Organiser, number: str) -> Response:
        try:
            chosen = _round(number)
        except composer.FeedbackRefused as refused:
            return _page(request, organiser, here, 1, problem=explain(refused, language_of(request)), status=404)
        return _page(request, organiser, here, chosen)

    return show


def _act(here: str, action: Callable[[Request, Organiser, int], str]) -> Callable[..., Response]:
    @organiser_required("run")
    def run(request: Request, organiser: Organiser, number: str) -> Response:
        language = language_of(request)
        try:
            chosen = _round(number)
        except composer.FeedbackRefused as refused:
            return _page(request, organiser, here, 1, problem=explain(refused, language), status=404)
        if request.method != "POST":
            return _page(request, organiser, here, chosen)
        try:
            notice = action(request, organiser, chosen)
        except composer.FeedbackRefused as refused:
            return _page(request, organiser, here, chosen, problem=explain(refused, language), status=409)
        return redirect_with_notice(f"/organiser/feedback/round{chosen}", notice, request)

    return run


def _edit(request: Request, organiser: Organiser, number: int) -> str:
    sid = request.form.get("submission_id", "")
    changed = composer.edit(db(), read_active(db()).edition.key, number, sid, {
        "summary": request.form.get("summary", ""), "tops": composer.lines(request.form.get("tops", "")),
        "tips": composer.lines(request.form.get("tips", ""))}, by=organiser.actor)
    return translate(language_of(request), "composer_saved" if changed else "composer_unchanged")


def _approve(request: Request, organiser: Organiser, number: int) -> str:
    key = read_active(db()).edition.key
    if request.form.get("all") == "yes":
        done = composer.approve_all(db(), key, number, by=organiser.actor)
    else:
        done = composer.approve(db(), key, number, [request.form.get("submission_id", "")], by=organiser.actor)
    return translate(language_of(request), "composer_approved", n=len(done))


def routes(here: str) -> dict[str, Callable[..., Response]]:
    return {
        "/organiser/feedback/round<number>": _show(here),
        "/organiser/feedback/round<number>/edit": _act(here, _edit),
        "/organiser/feedback/round<number>/approve": _act(here, _approve),
    }

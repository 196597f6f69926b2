"""The console's feedback composer: per round, every entrant's tips and tops with what the composer flags
(contact data, names), an organiser's edits and approvals, per entrant or all at once (``entries/composer.py``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from flask import Request, Response

from gemeentedelers.console import navigation, view
from gemeentedelers.editions.active import read_active
from gemeentedelers.entries import composer
from gemeentedelers.platform.firestore import db
from gemeentedelers.web.pages import field_id, language_of, translate
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


CURSOR = re.compile(r"[A-Za-z0-9_-]{1,80}")


def _where(values: Any) -> dict[str, str]:
    """The page asked for (``show``, ``after`` or ``before``), from a query string or a form; anything else is
    dropped, so a mangled link shows the first page."""
    found = {"show": values.get("show", "") if values.get("show", "") in composer.SHOWS[1:] else ""}
    for key in ("after", "before"):
        cursor = values.get(key, "")
        if cursor and CURSOR.fullmatch(cursor):
            found[key] = cursor
            break
    return {k: v for k, v in found.items() if v}


def _link(number: int, where: dict[str, str]) -> str:
    return f"/organiser/feedback/round{number}" + (f"?{urlencode(where)}" if where else "")


def _page(request: Request, organiser: Organiser, here: str, number: int, *, problem: str | None = None,
          errors: dict[str, str] | None = None, status: int = 200) -> Response:
    language = language_of(request)
    edition = read_active(db()).edition
    where = _where(request.args)
    show = where.get("show", "all")
    found = composer.page(db(), edition.key, number, show=show, after=where.get("after"),
                          before=where.get("before"))
    shown: list[dict[str, Any]] = [{**d.__dict__, "flag_texts": [_flag_text(f, language) for f in d.flags]}
                                   for d in found.drafts]
    filters = [{"show": s, "href": _link(number, {"show": s} if s != "all" else {}), "current": s == show}
               for s in composer.SHOWS]
    kept = {"show": show} if show != "all" else {}
    return view.page("console_feedback.html", request, organiser, here=here, current="feedback", status=status,
                     problem=problem, errors=errors or {}, round=number, rounds=composer.ROUNDS, drafts=shown,
                     total=found.total,
                     waiting=found.waiting, flagged=found.flagged, shown=found.shown, filters=filters,
                     where=where, size=composer.PAGE_SIZE,
                     next_href=_link(number, {**kept, "after": found.next_after}) if found.next_after else None,
                     previous_href=_link(number, {**kept, "before": found.previous_before})
                     if found.previous_before else None)


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
            field = _field_refused(refused, request, language)
            if field is not None:
                return _page(request, organiser, here, chosen, errors=field, status=422)
            return _page(request, organiser, here, chosen, problem=explain(refused, language), status=409)
        return redirect_with_notice(_link(chosen, _where(request.form)), notice, request)

    return run


FIELD_TEXTS = {"composer_too_long": "composer_field_too_long", "composer_too_many": "composer_field_too_many"}
"""A refusal of one field of a draft, and the text shown at that field (it needs no field name there)."""


def _field_refused(refused: composer.FeedbackRefused, request: Request, language: str) -> dict[str, str] | None:
    """``{element id: message}`` when the refusal is about a field of the posted draft; else ``None`` (a state:
    approved already, no such feedback)."""
    field, sid = refused.values.get("field"), request.form.get("submission_id", "")
    if refused.key not in FIELD_TEXTS or not isinstance(field, str) or not sid:
        return None
    return {field_id(field, sid): translate(language, FIELD_TEXTS[refused.key], n=refused.values.get("n", 0))}


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

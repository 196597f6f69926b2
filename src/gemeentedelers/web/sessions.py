"""Signing in by personal link, for every role (scorers, teams, assessors, jurors, organisers).

A role's link token is exchanged once for a session cookie (``gd_<role>``) and the browser is sent on without
it. Every page checks the session against the person's stored record (still active, same ``link_version``), and
every form carries a CSRF token bound to the session.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Request, Response

from gemeentedelers.platform import settings
from gemeentedelers.web import links
from gemeentedelers.web.pages import language_of, redirect, render, translate
from gemeentedelers.web.refusals import explain

Loader = Callable[[links.Holder], dict[str, Any] | None]
"""The person's stored record for a holder, or ``None`` when they may not (or no longer) sign in."""


@dataclass(frozen=True)
class Role:
    name: str
    load: Loader
    home: str
    link_max_age_s: Callable[[], int]

    @property
    def cookie(self) -> str:
        return f"gd_{self.name}"

    def sign_in(self, request: Request) -> Response:
        """Exchange ``?token=`` for a session and go home, or explain why the link does not work."""
        try:
            holder = links.read(f"{self.name}-link", request.args.get("token", ""), self.link_max_age_s())
        except links.BadLink as problem:
            return message(request, 401, "link_invalid_title", "link_expired" if problem.expired else "link_invalid")
        person = self.load(holder)
        if person is None or person.get("link_version", 1) != holder.version:
            return message(request, 401, "link_invalid_title", "link_invalid")
        response = redirect(self.home)
        set_cookie(response, self.cookie, links.issue(f"{self.name}-session", holder), request)
        return set_cookie(response, "gd_lang", person.get("language", "nl"), request)

    def current(self, request: Request) -> tuple[links.Holder, dict[str, Any]] | None:
        try:
            holder = links.read(f"{self.name}-session", request.cookies.get(self.cookie, ""), links.SESSION_MAX_AGE_S)
        except links.BadLink:
            return None
        person = self.load(holder)
        if person is None or person.get("link_version", 1) != holder.version:
            return None
        return holder, person

    def required(self, view: Callable[..., Response]) -> Callable[..., Response]:
        """Guard a page: a valid session, and a valid CSRF token on every POST."""

        def guarded(request: Request, **values: Any) -> Response:
            found = self.current(request)
            if found is None:
                return message(request, 401, "link_invalid_title", "session_needed")
            if request.method == "POST" and not csrf_ok(request, found[0]):
                return message(request, 403, "error_title", "session_needed")
            return view(request, *found, **values)

        return guarded


ORGANISER = links.Holder("*", "organiser", 1)


def organiser_sign_in(request: Request, home: str) -> Response:
    """Organisers sign in on each service with the deployment's organiser token (Secret Manager in production);
    every function has its own host, so its own session cookie."""
    expected = settings.current().organiser_token
    if not expected or not hmac.compare_digest(request.args.get("token", ""), expected):
        return message(request, 401, "link_invalid_title", "link_invalid")
    return set_cookie(redirect(home), "gd_organiser", links.issue("organiser-session", ORGANISER), request)


def organiser_required(view: Callable[..., Response]) -> Callable[..., Response]:
    """Guard an organiser page: a valid organiser session, and a valid CSRF token on every POST."""

    def guarded(request: Request, **values: Any) -> Response:
        try:
            links.read("organiser-session", request.cookies.get("gd_organiser", ""), links.SESSION_MAX_AGE_S)
        except links.BadLink:
            return message(request, 401, "link_invalid_title", "session_needed")
        if request.method == "POST" and not csrf_ok(request, ORGANISER):
            return message(request, 403, "error_title", "session_needed")
        return view(request, **values)

    return guarded


def organiser_action(
    action: Callable[[Request], str],
    page: Callable[..., Response],
    home: str,
    errors: tuple[type[Exception], ...] = (ValueError, LookupError),
) -> Callable[[Request], Response]:
    """An organiser's POST: run ``action``, then show ``page`` with its notice, or with the problem (409) in the
    organiser's language."""

    @organiser_required
    def run(request: Request) -> Response:
        if request.method != "POST":
            return redirect(home)
        try:
            notice = action(request)
        except errors as problem:
            return page(request, problem=explain(problem, language_of(request)), status=409)
        return page(request, notice=notice)

    return run


def set_cookie(response: Response, name: str, value: str, request: Request) -> Response:
    response.set_cookie(name, value, max_age=links.SESSION_MAX_AGE_S, httponly=True, samesite="Lax",
                        secure=request.scheme == "https", path="/")
    return response


def csrf(holder: links.Holder) -> str:
    return links.issue("csrf", holder)


def csrf_ok(request: Request, holder: links.Holder) -> bool:
    try:
        return links.read("csrf", request.form.get("csrf", ""), links.SESSION_MAX_AGE_S) == holder
    except links.BadLink:
        return False


def message(request: Request, status: int, title_key: str, text_key: str, language: str = "nl") -> Response:
    lang = language_of(request, language)
    return render("message.html", lang, status=status, title=translate(lang, title_key), text=translate(lang, text_key))

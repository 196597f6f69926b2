"""Signing in by personal link, for every role (scorers, teams, assessors, jurors, organisers).

A role's link token is exchanged once for a session cookie (``gd_<role>``) and the browser is sent on without
it. Every page checks the session against the person's stored record (still active, same ``link_version``), and
every form carries a CSRF token bound to the session.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Request, Response

from gemeentedelers.web import cookies, links
from gemeentedelers.web.pages import field_id, language_of, message, redirect, render
from gemeentedelers.web.refusals import FormRefused, explain

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


# -- organisers ------------------------------------------------------------------------------------------------
#
# Organisers are named people (``people/organisers.py``). They sign in by a single-use link (mailed, or printed by
# ``gemeentedelers organisers add --print-link``): opening it shows a button, and only the POST redeems it, so a
# mail scanner that follows links does not use it up; the session cookie replaces it and the address bar no longer
# holds it. Every host has its own cookie: moving to another round's host goes through a single-use hand-over
# (``/organiser/go/<service>`` here, ``/organiser/handover`` there). Every request checks the session against the
# stored record (status, ``session_version``), so a revoked organiser stops at once. What a role may do is
# decided in one place: ``organiser_required(permission)`` with ``organisers.PERMISSIONS``.

ORGANISER_COOKIE = "gd_organiser"
FLASH_COOKIE = "gd_flash"
ORGANISER_SERVICES = ("scoring", "assessment", "jury")
"""The hosts with organiser pages (rounds 1, 2 and 3), between which a hand-over moves a session."""


@dataclass(frozen=True)
class Organiser:
    """The organiser behind a request: their session's holder and their stored record."""

    holder: links.Holder
    record: dict[str, Any]

    @property
    def email(self) -> str:
        return str(self.record["email"])

    @property
    def name(self) -> str:
        return str(self.record["name"])

    @property
    def role(self) -> str:
        return str(self.record["role"])

    @property
    def actor(self) -> str:
        from gemeentedelers.platform import audit

        return audit.organiser(self.email)

    def may(self, permission: str) -> bool:
        from gemeentedelers.people import organisers

        return organisers.may(self.record, permission)


def _load_organiser(holder: links.Holder) -> dict[str, Any] | None:
    from gemeentedelers.people import organisers
    from gemeentedelers.platform.firestore import db

    record = organisers.get(db(), holder.person_id)
    if record is None or record.get("status") != "active" or int(record.get("session_version", 1)) != holder.version:
        return None
    return record


def current_organiser(request: Request) -> Organiser | None:
    try:
        holder = links.read("organiser-session", request.cookies.get(ORGANISER_COOKIE, ""), links.SESSION_MAX_AGE_S)
    except links.BadLink:
        return None
    record = _load_organiser(holder)
    return None if record is None else Organiser(holder, record)


def organiser_required(permission: str = "read") -> Callable[[Callable[..., Response]], Callable[..., Response]]:
    """Guard an organiser page: a valid session of an organiser whose role allows ``permission``, and a valid CSRF
    token on every POST. The view gets ``(request, organiser, **values)``."""

    def decorate(view: Callable[..., Response]) -> Callable[..., Response]:
        def guarded(request: Request, **values: Any) -> Response:
            organiser = current_organiser(request)
            if organiser is None:
                return message(request, 401, "org_sign_in_title", "org_session_needed")
            if not organiser.may(permission):
                return message(request, 403, "error_title", f"org_not_allowed_{permission}")
            if request.method == "POST" and not csrf_ok(request, organiser.holder):
                return message(request, 403, "error_title", "session_needed")
            response = view(request, organiser, **values)
            if request.cookies.get(FLASH_COOKIE) and request.method == "GET":
                cookies.clear_cookie(response, request, FLASH_COOKIE)
            return response

        guarded.__name__ = getattr(view, "__name__", "guarded")
        guarded.__doc__ = view.__doc__
        return guarded

    return decorate


def flashed(request: Request) -> str | None:
    """The notice an action left for the page it redirected to (post/redirect/get), read once."""
    try:
        return str(links.loads("flash", request.cookies.get(FLASH_COOKIE, ""), 300).get("text", "")) or None
    except links.BadLink:
        return None


def redirect_with_notice(location: str, notice: str, request: Request) -> Response:
    response = redirect(location)
    return cookies.set_cookie(response, request, FLASH_COOKIE, links.dumps("flash", {"text": notice[:1500]}),
                              max_age=300)


def organiser_action(
    action: Callable[[Request, Organiser], str],
    page: Callable[..., Response],
    home: str,
    errors: tuple[type[Exception], ...] = (ValueError, LookupError),
    *,
    permission: str = "run",
    confirm: Callable[[Request, Organiser], Response | None] | None = None,
    field: str | None = None,
    item: str | None = None,
    bad_input: tuple[type[Exception], ...] | None = None,
) -> Callable[[Request], Response]:
    """An organiser's POST: run ``action`` and redirect to ``home`` with its notice (post/redirect/get: a reload
    repeats nothing), or show ``page`` again saying why not, in the organiser's language, with what was sent kept.

    A ``FormRefused`` names the field at fault; with ``field`` (and ``item``, the form field whose value tells
    which repeated form was sent, see ``pages.field_id``) any refusal of a ``bad_input`` kind (default: all of
    ``errors``) is that field's. A field's refusal is 422 with ``errors={element id: message}``; any other refusal
    (a closed round, a stale version) is a conflict of state: 409 with one ``problem``. With ``confirm``, an
    irreversible action first shows that confirmation page (what will happen, what is missing) and runs only when
    the form says ``confirmed=yes``; ``confirm`` may refuse at once or return ``None`` when there is nothing
    irreversible left to confirm."""
    at_fault = errors if bad_input is None else bad_input

    def refused(request: Request, organiser: Organiser, problem: Exception) -> Response:
        text = explain(problem, language_of(request))
        if isinstance(problem, FormRefused):
            return page(request, organiser, errors=problem.errors(language_of(request)), status=422)
        if field is not None and isinstance(problem, at_fault):
            named = field_id(field, request.form.get(item) if item else None)
            return page(request, organiser, errors={named: text}, status=422)
        return page(request, organiser, problem=text, status=409)

    @organiser_required(permission)
    def run(request: Request, organiser: Organiser) -> Response:
        if request.method != "POST":
            return redirect(home)
        if confirm is not None and request.form.get("confirmed") != "yes":
            try:
                step = confirm(request, organiser)
            except errors as problem:
                return refused(request, organiser, problem)
            if step is not None:  # None: nothing irreversible left to confirm (a repeat), so go ahead
                return step
        try:
            notice = action(request, organiser)
        except errors as problem:
            return refused(request, organiser, problem)
        return redirect_with_notice(home, notice, request)

    return run


def _session_response(location: str, holder: links.Holder, request: Request) -> Response:
    response = redirect(location)
    return set_cookie(response, ORGANISER_COOKIE, links.issue("organiser-session", holder), request)


def organiser_sign_in(request: Request, home: str = "/organiser") -> Response:
    """``GET ?token=``: a page with one button (the link is not used yet); ``POST``: redeem the single-use link,
    start the session and go to the console without the token in the address bar."""
    from gemeentedelers.platform import audit
    from gemeentedelers.platform.firestore import db

    if request.method == "GET":
        token = request.args.get("token", "")
        try:
            links.loads("organiser-sign-in", token, links.SINGLE_USE_MAX_AGE_S)
        except links.BadLink as problem:
            return message(request, 401, "link_invalid_title", "link_expired" if problem.expired else "link_invalid")
        return render("organiser_sign_in.html", language_of(request), token=token)
    if request.method != "POST":
        return Response(status=405)
    try:
        redeemed = links.redeem_once(db(), "organiser-sign-in", request.form.get("token", ""))
    except links.BadLink as problem:
        key = "org_link_used" if problem.used else "link_expired" if problem.expired else "link_invalid"
        return message(request, 401, "link_invalid_title", key)
    record = _load_organiser(redeemed.holder)
    if record is None:
        return message(request, 401, "link_invalid_title", "link_invalid")
    audit.record(db(), actor=audit.organiser(record["email"]), action="organiser.signed_in",
                 target=f"organiser:{record['email']}", after={"method": "link"})
    return _session_response(home, redeemed.holder, request)


def organiser_session_for(record: dict[str, Any], request: Request, home: str = "/organiser",
                          method: str = "oidc") -> Response:
    """Start an organiser's session after another way of signing in (OpenID Connect) vouched for ``record``."""
    from gemeentedelers.platform import audit
    from gemeentedelers.platform.firestore import db

    holder = links.Holder("*", record["organiser_id"], int(record.get("session_version", 1)))
    audit.record(db(), actor=audit.organiser(record["email"]), action="organiser.signed_in",
                 target=f"organiser:{record['email']}", after={"method": method})
    return _session_response(home, holder, request)


@organiser_required("read")
def organiser_sign_out(request: Request, organiser: Organiser) -> Response:
    """Sign out everywhere: the session version moves on, so this organiser's sessions on every host end."""
    from gemeentedelers.people import organisers
    from gemeentedelers.platform.firestore import db

    if request.method != "POST":
        return redirect("/organiser")
    organisers.end_sessions(db(), organiser.record["organiser_id"])
    response = message(request, 200, "org_signed_out_title", "org_signed_out")
    cookies.clear_cookie(response, request, ORGANISER_COOKIE)
    return response


def handover_start(service: str) -> Callable[..., Response]:
    """``/organiser/go/<target>?to=PATH`` on ``service``: go to another round's host, signed in there at once by a
    single-use hand-over (15 minutes, once)."""

    @organiser_required("read")
    def go(request: Request, organiser: Organiser, target: str) -> Response:
        to = request.args.get("to", "/organiser")
        if not to.startswith("/organiser") or "//" in to or "\\" in to:
            to = "/organiser"
        if target == service:
            return redirect(to)
        if target not in ORGANISER_SERVICES:
            return message(request, 404, "error_title", "org_no_such_host")
        token = links.issue_once(f"organiser-handover-{target}", organiser.holder, to=to)
        return redirect(links.public_url(target, f"/organiser/handover?token={token}"))

    return go


def handover_accept(service: str) -> Callable[..., Response]:
    """``/organiser/handover?token=`` on ``service``: redeem a hand-over once and continue where it points."""

    def accept(request: Request) -> Response:
        from gemeentedelers.platform.firestore import db

        try:
            redeemed = links.redeem_once(db(), f"organiser-handover-{service}", request.args.get("token", ""))
        except links.BadLink as problem:
            key = "org_link_used" if problem.used else "link_expired" if problem.expired else "link_invalid"
            return message(request, 401, "link_invalid_title", key)
        if _load_organiser(redeemed.holder) is None:
            return message(request, 401, "link_invalid_title", "org_session_needed")
        to = str(redeemed.extra.get("to") or "/organiser")
        return _session_response(to if to.startswith("/organiser") else "/organiser", redeemed.holder, request)

    return accept


def organiser_routes(service: str) -> dict[str, Callable[..., Response]]:
    """Signing in and out and the hand-over, the same on every host with organiser pages."""
    return {
        "/organiser/login": organiser_sign_in,
        "/organiser/logout": organiser_sign_out,
        "/organiser/go/<target>": handover_start(service),
        "/organiser/handover": handover_accept(service),
    }


def set_cookie(response: Response, name: str, value: str, request: Request) -> Response:
    """A session's cookie (or the language that goes with it), for as long as a session lasts."""
    return cookies.set_cookie(response, request, name, value, max_age=links.SESSION_MAX_AGE_S)


def csrf(holder: links.Holder) -> str:
    return links.issue("csrf", holder)


def csrf_ok(request: Request, holder: links.Holder) -> bool:
    try:
        return links.read("csrf", request.form.get("csrf", ""), links.SESSION_MAX_AGE_S) == holder
    except links.BadLink:
        return False


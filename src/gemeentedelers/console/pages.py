"""The console's own pages, served on every organiser host: the overview (timeline, progress, funnel), the audit
trail, the organisers (for coordinators) and the downloads; and asking for a sign-in link by mail."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from flask import Request, Response

from gemeentedelers.console import charts, progress, timeline, view
from gemeentedelers.editions import Edition
from gemeentedelers.editions.active import read_active
from gemeentedelers.people import organisers
from gemeentedelers.platform import audit
from gemeentedelers.platform.firestore import db
from gemeentedelers.web import csvcells, ratelimit
from gemeentedelers.web.pages import language_of, redirect, render, translate
from gemeentedelers.web.refusals import FormRefused
from gemeentedelers.web.sessions import (
    Organiser,
    organiser_action,
    organiser_required,
    organiser_routes,
    organiser_sign_in,
)

AUDIT_LIMIT = 300
"""Entries the audit page shows at once (newest first); the CLI and the workbook have all of them."""


def _active() -> Any:
    return read_active(db())


# -- the overview ------------------------------------------------------------------------------------------------


def _overview(here: str) -> Callable[[Request], Response]:
    @organiser_required("read")
    def home(request: Request, organiser: Organiser) -> Response:
        from gemeentedelers.scoring import fitcache, rounds

        active = _active()
        edition: Edition = active.edition
        language = language_of(request)
        client = db()
        now = active.clock.now()
        data = fitcache.current_round(client, edition.key)
        r1 = progress.round1(edition, data, rounds.state(client, edition.key, 1))
        r2 = progress.round2(client, edition, now)
        r3 = progress.round3(client, edition)
        found = progress.funnel(client, edition)
        moments = [s["submitted_at"] for s in data.submitted if s.get("submitted_at")]
        return view.page(
            "console_home.html", request, organiser, here=here, current="home", edition=edition,
            title=edition.info.title.get(language), now=now, timeline=timeline.steps(edition, now, language),
            next_step=timeline.next_step(edition, now, language), r1=r1, r2=r2, r3=r3,
            funnel=charts.funnel(found.stages(), language),
            ratings_over_time=charts.over_time(charts.daily_totals(moments), r1.ratings_assigned, language),
            problem=None)

    return home


# -- the audit trail ---------------------------------------------------------------------------------------------


def _audit_page(here: str) -> Callable[[Request], Response]:
    @organiser_required("read")
    def audit_trail(request: Request, organiser: Organiser) -> Response:
        from gemeentedelers.web.i18n import parse_moment

        language = language_of(request)
        actor = (request.args.get("actor") or "").strip() or None
        since_text = (request.args.get("since") or "").strip()
        errors = {}
        since = None
        if since_text:
            try:
                since = parse_moment(since_text)
            except ValueError:
                errors["since"] = translate(language, "audit_since_invalid", value=since_text)
        found = [] if errors else audit.entries(db(), since=since, actor=actor)
        found.reverse()
        return view.page("console_audit.html", request, organiser, here=here, current="audit",
                         entries=[shown(e) for e in found[:AUDIT_LIMIT]], more=max(0, len(found) - AUDIT_LIMIT),
                         actor=actor or "", since=since_text, problem=None, errors=errors,
                         status=422 if errors else 200)

    return audit_trail


def shown(entry: dict[str, Any]) -> dict[str, str]:
    """An audit entry as the page lists it: the moment in Amsterdam time, before and after as compact JSON."""
    import json

    from gemeentedelers.web.i18n import AMSTERDAM

    def compact(value: Any) -> str:
        return "" if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)[:400]

    at = entry.get("at")
    when = at.astimezone(AMSTERDAM).strftime("%Y-%m-%d %H:%M:%S") if isinstance(at, datetime) else ""
    return {"when": when, "actor": str(entry.get("actor", "")), "action": str(entry.get("action", "")),
            "target": str(entry.get("target", "")), "before": compact(entry.get("before")),
            "after": compact(entry.get("after"))}


# -- the organisers ----------------------------------------------------------------------------------------------


def _organisers_page(here: str) -> Callable[..., Response]:
    def page(request: Request, organiser: Organiser, notice: str | None = None, problem: str | None = None,
             status: int = 200, errors: dict[str, str] | None = None) -> Response:
        return view.page("console_organisers.html", request, organiser, here=here, current="organisers",
                         status=status, notice=notice, problem=problem, errors=errors or {},
                         people=organisers.all_organisers(db()), roles=organisers.ROLES)

    return page


def _check_account(request: Request) -> None:
    """Refuse every bad field of the add form by its id, so the organiser sees each at once and keeps the rest."""
    bad = organisers.account_problems(request.form.get("email", ""), request.form.get("name", ""),
                                      request.form.get("role", ""))
    if bad:
        raise FormRefused.every([FormRefused(field, f"org_err_{field}") for field in bad])


def _add(request: Request, organiser: Organiser) -> str:
    from gemeentedelers.platform import bus

    _check_account(request)
    record, created = organisers.add(db(), email=request.form.get("email", ""), name=request.form.get("name", ""),
                                     role=request.form.get("role", ""), by=organiser.actor)
    if request.form.get("send_link") == "yes":
        bus.publish(*link_event(record, _active().edition.key))
    key = "org_added" if created else "org_changed"
    return translate(language_of(request), key, name=record["name"], role=translate(
        language_of(request), f"org_role_{record['role']}"))


def _revoke(request: Request, organiser: Organiser) -> str:
    email = request.form.get("email", "")
    changed = organisers.revoke(db(), email, by=organiser.actor)
    return translate(language_of(request), "org_revoked" if changed else "org_revoked_already", email=email)


def _confirm_revoke(here: str) -> Callable[[Request, Organiser], Response]:
    def confirm(request: Request, organiser: Organiser) -> Response:
        language = language_of(request)
        email = request.form.get("email", "")
        found = organisers.find(db(), email)
        if found is None:
            raise organisers.OrganiserRefused("org_err_unknown", email=email or "-")
        return view.confirmation(
            request, organiser, here=here, current="organisers",
            title=translate(language, "org_revoke_title", name=found["name"]),
            consequences=[translate(language, "org_revoke_will_end", name=found["name"]),
                          translate(language, "org_revoke_will_keep")],
            warnings=[], button=translate(language, "org_revoke_button"), cancel="/organiser/organisers")

    return confirm


def link_event(record: dict[str, Any], edition: str) -> tuple[str, str, str, dict[str, Any]]:
    """``organiser.link_requested``: notify mails a fresh single-use sign-in link (made there, so no credential
    travels through Pub/Sub). One per organiser per minute, whatever is asked: the id names the minute."""
    from datetime import UTC

    minute = datetime.now(UTC).strftime("%Y%m%dT%H%M")
    return ("organiser.link_requested",
            f"organiser.link_requested:{record['organiser_id']}:{record.get('session_version', 1)}:{minute}",
            edition, {"organiser_id": record["organiser_id"]})


LINK_PURPOSE = "organiser-link"


def request_link(request: Request) -> Response:
    """``/organiser/login`` without a token: ask for a sign-in link by e-mail. The answer is the same whether or
    not the address belongs to an organiser, so the page tells nobody who the organisers are."""
    from gemeentedelers.platform import bus

    if request.args.get("token") or request.form.get("token"):
        return organiser_sign_in(request)
    from gemeentedelers.console import oidc

    language = language_of(request)
    provider = oidc.provider_name() if oidc.configured() else None
    if request.method == "GET":
        return _request_form(language, provider)
    email = request.form.get("email", "").strip()
    limited = ratelimit.check_ip(db(), LINK_PURPOSE, request)  # first: refusing a bad address costs a try too
    if not limited.allowed:
        return ratelimit.refused(request, limited)
    if not email or not organisers.well_formed_address(email):
        wrong = translate(language, "org_request_email_empty" if not email else "org_err_email")
        return _request_form(language, provider, errors={"email": wrong}, typed=email)
    limited = ratelimit.check_address(db(), LINK_PURPOSE, email)  # known or not: the same count and answer
    if not limited.allowed:
        return ratelimit.refused(request, limited)
    found = organisers.find(db(), email)
    if found is not None and found.get("status") == "active":
        bus.publish(*link_event(found, _active().edition.key))
    return render("organiser_request_link.html", language, sent=True, provider=provider, errors={})


def _request_form(language: str, provider: str | None, errors: dict[str, str] | None = None,
                  typed: str = "") -> Response:
    """The form asking for a sign-in link; refused (422) with the field's message and the address kept."""
    return render("organiser_request_link.html", language, status=422 if errors else 200, sent=False,
                  provider=provider, errors=errors or {}, typed=typed)


# -- downloads ---------------------------------------------------------------------------------------------------


EXPORT_KINDS = {"workbook": False, "dossier": True}
CSV_SHEETS = {1: "round1", 2: "round2", 3: "round3"}


def _exports_page(here: str) -> Callable[[Request], Response]:
    @organiser_required("read")
    def exports(request: Request, organiser: Organiser) -> Response:
        return view.page("console_exports.html", request, organiser, here=here, current="exports",
                         rounds=sorted(CSV_SHEETS), problem=None)

    return exports


def _sheets(public: bool, language: str) -> tuple[Edition, list[Any]]:
    from gemeentedelers.export import read, rows

    edition = _active().edition
    stored = read.read(db(), edition.key)
    return edition, rows.build(stored, edition, public=public, language=language)


@organiser_required("read")
def download_workbook(request: Request, organiser: Organiser, kind: str) -> Response:
    """The organiser workbook or the public dossier, made now; audited (the workbook holds personal data)."""
    from gemeentedelers.export import write
    from gemeentedelers.export.read import NoEditionData

    if kind not in EXPORT_KINDS:
        return Response(status=404)
    public = EXPORT_KINDS[kind]
    language = language_of(request)
    try:
        edition, sheets = _sheets(public, language)
    except NoEditionData:
        return view.page("console_exports.html", request, organiser, here="", current="exports", status=409,
                         rounds=sorted(CSV_SHEETS), problem=translate(language, "exports_nothing"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{edition.key}-{kind}.xlsx"
        write(sheets, path, edition, public=public, language=language)
        body = path.read_bytes()
    audit.record(db(), actor=organiser.actor, action="export.downloaded", target=f"{edition.key}/{kind}",
                 after={"public": public, "language": language}, edition=edition.key)
    return _attachment(body, f"{edition.key}-{kind}.xlsx",
                       "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@organiser_required("read")
def download_csv(request: Request, organiser: Organiser, number: str) -> Response:
    """One round's sheet of the organiser workbook as CSV (UTF-8 with a byte-order mark, for spreadsheets)."""
    from gemeentedelers.export.read import NoEditionData

    wanted = CSV_SHEETS.get(int(number)) if number.isdigit() else None
    if wanted is None:
        return Response(status=404)
    language = language_of(request)
    try:
        edition, sheets = _sheets(False, language)
    except NoEditionData:
        return Response(translate(language, "exports_nothing"), status=409, mimetype="text/plain")
    sheet = next(s for s in sheets if s.key == wanted)
    out = io.StringIO()
    writer = csv.writer(out)
    if sheet.message is not None:
        writer.writerow(csvcells.row([sheet.message]))
    else:
        writer.writerow(csvcells.row(c.header for c in sheet.columns))
        writer.writerows([csvcells.row("" if v is None else v for v in row) for row in sheet.rows])
    audit.record(db(), actor=organiser.actor, action="export.downloaded", target=f"{edition.key}/{wanted}.csv",
                 after={"public": False, "language": language}, edition=edition.key)
    return _attachment(("\ufeff" + out.getvalue()).encode(), f"{edition.key}-round{number}.csv", "text/csv")


def _attachment(body: bytes, name: str, mimetype: str) -> Response:
    from gemeentedelers.web.pages import SECURITY_HEADERS

    response = Response(body, status=200, mimetype=mimetype)
    response.headers.update(SECURITY_HEADERS)
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def routes(here: str) -> dict[str, Callable[..., Response]]:
    """Every console page and the organiser's sign-in, for the host of service ``here``."""
    from gemeentedelers.console import composer, results

    page = _organisers_page(here)
    return {
        **organiser_routes(here),
        **results.routes(here),
        **composer.routes(here),
        "/organiser/login": request_link,
        "/organiser": _overview(here),
        "/organiser/audit": _audit_page(here),
        "/organiser/organisers": organiser_required("manage")(lambda request, organiser: page(request, organiser)),
        "/organiser/organisers/add": organiser_action(_add, page, "/organiser/organisers", permission="manage"),
        "/organiser/organisers/revoke": organiser_action(_revoke, page, "/organiser/organisers",
                                                         permission="manage", confirm=_confirm_revoke(here)),
        "/organiser/exports": _exports_page(here),
        "/organiser/exports/<kind>.xlsx": download_workbook,
        "/organiser/exports/round<number>.csv": download_csv,
        "/organiser/oidc/start": _oidc(here, start=True),
        "/organiser/oidc/callback": _oidc(here, start=False),
    }


def _oidc(here: str, *, start: bool) -> Callable[[Request], Response]:
    """OpenID Connect sign-in, where the deployment configured a provider (else: the sign-in page)."""

    def run(request: Request) -> Response:
        from gemeentedelers.console import oidc

        if not oidc.configured():
            return redirect("/organiser/login")
        return oidc.start(request, here) if start else oidc.callback(request, here)

    return run

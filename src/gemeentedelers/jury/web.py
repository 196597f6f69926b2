"""The jury's pages: the personal link, the finalists per category with their ranking form, the special
prizes, the chair's confirmation; the organiser's round-3 page (the scheduler's tick announces the winners).

Jurors sign in by personal link (Role ``juror``); every form carries a CSRF token bound to the session. Jurors
see only the public fields of an entry, round 2's report summary and evidence (when stored), never contacts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Request, Response

from gemeentedelers.console import view
from gemeentedelers.console.pages import routes as console_routes
from gemeentedelers.editions import Edition
from gemeentedelers.editions.active import read_active
from gemeentedelers.jury import feedback as jury_feedback
from gemeentedelers.jury import jurors, round3
from gemeentedelers.people.csv_import import PeopleCsvError
from gemeentedelers.platform import audit
from gemeentedelers.platform.firestore import db
from gemeentedelers.web import links
from gemeentedelers.web.i18n import format_date
from gemeentedelers.web.pages import language_of, redirect, render, translate
from gemeentedelers.web.refusals import explain
from gemeentedelers.web.sessions import (
    Organiser,
    Role,
    csrf,
    message,
    organiser_action,
    organiser_required,
)

NOTICES = {"r3_saved", "r3_votes_saved", "r3_confirmed", "r3_conflict_declared"}


def _edition() -> Edition:
    return read_active(db()).edition


def _load_juror(holder: links.Holder) -> dict[str, Any] | None:
    juror = jurors.get(db(), holder.edition, holder.person_id)
    return juror if juror is not None and juror.get("status") == "active" else None


JUROR = Role("juror", _load_juror, "/jury", lambda: jurors.LINK_VALID_DAYS * 86400)
juror_only = JUROR.required


def _labels(edition: Edition, language: str) -> dict[str, str]:
    return {c.key: c.label.get(language) for c in edition.categories}


PRIZE_PROBLEMS = {"not_eligible": "r3_err_not_eligible", "conflict": "r3_err_prize_conflict"}
"""A prize's problem code (``round3.check_votes``) and the text the juror reads at the prize."""

CONFLICT_FIELDS = {"submission_id": "conflict_entry", "reason": "conflict_reason"}
"""A conflict declaration's field (``jurors.check_conflict``) and the id of its control on the page."""


def _prize_rows(client: Any, edition: Edition, juror: dict[str, Any], shortlist: dict[str, list[dict[str, Any]]],
                stored: dict[str, Any], sent: dict[str, str], language: str) -> list[dict[str, Any]]:
    """Each special prize with the entries the juror may choose and the choice to show: the one just sent
    (kept after an error, good or bad), else the stored one. A sent choice that is not among the options gets
    an option of its own, so the select shows what the juror chose next to the message why it cannot be."""
    rows = []
    for p in edition.special_prizes:
        everything = round3.eligible(client, edition, p.eligibility, shortlist)
        options = [e for e in everything if jurors.may_judge(edition, juror, e)]
        name = f"prize_{p.key}"
        chosen = ((sent.get(name) or "").strip() or None) if name in sent else stored.get(p.key)
        unlisted = None
        if chosen and chosen not in {e["submission_id"] for e in options}:
            unlisted = next((e for e in everything if e["submission_id"] == chosen),
                            {"submission_id": chosen, "title": chosen, "municipality": ""})
        rows.append({"prize": p, "id": name, "label": p.label.get(language), "description": p.description.get(language),
                     "entries": options, "chosen": chosen, "unlisted": unlisted,
                     "choose": "r3_choose_finalist" if p.eligibility == "finalists" else "r3_choose_entry"})
    return rows


def _home(request: Request, holder: links.Holder, juror: dict[str, Any], *, problem: str | None = None,
          errors: dict[str, str] | None = None, intro: str | None = None, sent: dict[str, str] | None = None,
          status: int = 200) -> Response:
    """The juror's overview; after a refused form its ``errors`` (by control id, in the juror's words) and what
    was ``sent``, so nothing typed or chosen is lost; ``problem`` for a refusal of the whole form."""
    edition = _edition()
    language = language_of(request, juror.get("language", "nl"))
    client = db()
    sent = sent or {}
    shortlist = round3.finalists(client, edition)
    conflicts = round3.voting_categories(edition, juror, shortlist)
    mine = round3.ballot(client, holder.edition, holder.person_id)
    prizes = _prize_rows(client, edition, juror, shortlist, mine.get("prizes", {}), sent, language)
    state = round3.state(client, holder.edition)
    preview = None
    if juror.get("is_chair") and state["status"] in ("open", "confirmed"):
        try:
            preview = round3.outcome(client, edition)
        except (LookupError, ValueError):
            preview = None
    notice = request.args.get("n")
    entries = {e["submission_id"]: e for entries in shortlist.values() for e in entries}
    entries |= {e["submission_id"]: e for row in prizes for e in row["entries"]}
    fields = {row["id"]: row["label"] for row in prizes}
    fields |= {"conflict_entry": translate(language, "r3_conflict_entry"),
               "conflict_reason": translate(language, "conflict_reason")}
    return render(
        "r3_home.html", language, status=status, juror=juror, shortlist=shortlist, conflicts=conflicts,
        labels=_labels(edition, language), done=set(mine.get("categories", {})), prizes=prizes,
        state=state["status"], preview=preview, csrf=csrf(holder), problem=problem, errors=errors or {},
        errors_intro=intro, fields=fields, sent=sent, reason_max=jurors.REASON_MAX,
        announced=state["status"] == "confirmed" and round3.is_announced(client, holder.edition),
        deadline=edition.timeline.winners_announced,
        notice=translate(language, notice) if notice in NOTICES else None,
        titles={sid: e["title"] for sid, e in entries.items()}, entries=entries,
        prize_labels={p.key: p.label.get(language) for p in edition.special_prizes},
    )


@juror_only
def home(request: Request, holder: links.Holder, juror: dict[str, Any]) -> Response:
    return _home(request, holder, juror)


@juror_only
def category(request: Request, holder: links.Holder, juror: dict[str, Any], key: str) -> Response:
    edition = _edition()
    language = language_of(request, juror.get("language", "nl"))
    client = db()
    shortlist = round3.finalists(client, edition)
    if key not in shortlist:
        return message(request, 404, "error_title", "r3_no_category", juror.get("language", "nl"))
    entries = shortlist[key]
    conflict = round3.voting_categories(edition, juror, {key: entries})[key]
    method = edition.jury_rule.method
    stored = round3.ballot(client, holder.edition, holder.person_id)
    given = stored.get("categories", {}).get(key)
    if isinstance(given, list):
        values = {f"rank_{sid}": str(n) for n, sid in enumerate(given, start=1)}
    elif isinstance(given, dict):
        values = {f"score_{sid}": f"{score:g}" for sid, score in given.items()}
    else:
        values = {}
    for sid, notes in (stored.get("feedback") or {}).items():
        values |= {f"{field}_{sid}": str((notes or {}).get(field) or "") for field in ("tops", "tips")}
    errors: dict[str, str] = {}
    status = 200
    problem = None
    if request.method == "POST":
        values = dict(request.form)
        try:
            round3.save_ranking(client, edition, holder.person_id, key, request.form)
        except round3.BallotInvalid as invalid:
            errors, status = invalid.errors, 422
        except round3.RoundError as refused:
            problem, status = explain(refused, language), 409
        else:
            return redirect("/jury?n=r3_saved")
    details = {e["submission_id"]: round3.extra(client, edition, e["submission_id"], language) for e in entries}
    return render(
        "r3_category.html", language, status=status, key=key, label=_labels(edition, language).get(key, key),
        entries=entries, details=details, method=method, values=values, errors=errors, conflict=conflict,
        rank_errors=any(e["submission_id"] in errors for e in entries), max_length=jury_feedback.MAX_LENGTH,
        csrf=csrf(holder), problem=problem, closed=round3.state(client, holder.edition)["status"] != "open",
    )


@juror_only
def votes(request: Request, holder: links.Holder, juror: dict[str, Any]) -> Response:
    """The special-prize form: every bad prize marked at once (422), every choice kept; nothing stored then."""
    if request.method != "POST":
        return redirect("/jury")
    language = language_of(request, juror.get("language", "nl"))
    try:
        round3.save_votes(db(), _edition(), holder.person_id, request.form)
    except round3.BallotInvalid as invalid:
        errors = {f"prize_{key}": translate(language, PRIZE_PROBLEMS.get(code, "r3_err_not_eligible"))
                  for key, code in invalid.errors.items()}
        return _home(request, holder, juror, errors=errors, intro=invalid.key, sent=dict(request.form), status=422)
    except round3.RoundError as problem:
        return _home(request, holder, juror, problem=explain(problem, language), status=409)
    return redirect("/jury?n=r3_votes_saved")


def _conflict_errors(invalid: jurors.ConflictInvalid, reason: str, language: str) -> dict[str, str]:
    """The declaration's problems by control id, in the juror's words (a long reason says how long it is)."""
    length = len(" ".join(reason.split()))
    return {CONFLICT_FIELDS[field]: translate(language, f"r3_conflict_err_{code}", n=length, max=jurors.REASON_MAX)
            for field, code in invalid.errors.items()}


@juror_only
def declare_conflict(request: Request, holder: links.Holder, juror: dict[str, Any]) -> Response:
    """A juror declares a conflict of interest with a finalist: its category and its prize votes are theirs no
    more (while the round is open). A bad declaration is refused whole, with what was sent kept (422)."""
    if request.method != "POST":
        return redirect("/jury")
    language = language_of(request, juror.get("language", "nl"))
    client = db()
    edition = _edition()
    finalist_ids = {e["submission_id"] for entries in round3.finalists(client, edition).values() for e in entries}
    reason = request.form.get("reason", "")
    try:
        round3.refuse_unless_open(round3.state(client, holder.edition)["status"])
        jurors.declare_conflict(client, holder.edition, holder.person_id, request.form.get("submission_id", ""),
                                reason, finalists=finalist_ids)
    except jurors.ConflictInvalid as invalid:
        return _home(request, holder, juror, errors=_conflict_errors(invalid, reason, language), intro=invalid.key,
                     sent=dict(request.form), status=422)
    except round3.RoundError as problem:
        return _home(request, holder, juror, problem=explain(problem, language), status=409)
    return redirect("/jury?n=r3_conflict_declared")


@juror_only
def confirm(request: Request, holder: links.Holder, juror: dict[str, Any]) -> Response:
    if request.method != "POST":
        return redirect("/jury")
    if not juror.get("is_chair"):
        return message(request, 403, "error_title", "r3_chair_only", juror.get("language", "nl"))
    if request.form.get("confirmed") != "yes":
        return _confirm_step(request, holder, juror)
    try:
        round3.confirm(db(), _edition(), holder.person_id)
    except (round3.RoundError, LookupError, ValueError) as problem:
        language = language_of(request, juror.get("language", "nl"))
        return _confirm_step(request, holder, juror, problem=explain(problem, language))
    return redirect("/jury?n=r3_confirmed")


def _confirm_step(request: Request, holder: links.Holder, juror: dict[str, Any],
                  problem: str | None = None) -> Response:
    """Before the chair confirms: what confirming does, and what is missing (rankings, undecided prizes, withdrawn
    jurors whose ballots do not count). Refused (409), the page has one summary, with the focus: the reason
    and what is missing together."""
    edition = _edition()
    language = language_of(request, juror.get("language", "nl"))
    client = db()
    try:
        state = round3.state(client, edition.key)["status"]
        if state == "confirmed":
            return redirect("/jury?n=r3_confirmed")  # confirmed already: nothing to confirm
        round3.refuse_unless_open(state)
        found = round3.outcome(client, edition)
    except (LookupError, ValueError) as why:
        return _home(request, holder, juror, problem=problem or explain(why, language), status=409)
    if not found.complete and problem is None:
        problem = explain(round3.RoundError("r3_err_incomplete"), language)
    names = {j["juror_id"]: j["name"] for j in jurors.all_jurors(client, edition.key)}
    labels = _labels(edition, language)
    consequences = [translate(language, "r3_confirm_will_store"), translate(language, "r3_confirm_will_freeze"),
                    translate(language, "r3_confirm_will_embargo",
                              date=format_date(edition.timeline.winners_announced, language))]
    warnings = [translate(language, "r3_confirm_warn_missing", category=labels.get(c, c),
                          names=", ".join(names.get(j, j) for j in ids)) for c, ids in found.missing.items() if ids]
    warnings += [translate(language, "r3_confirm_warn_undecided", category=labels.get(c, c))
                 for c, d in found.categories.items() if not d.decided]
    gone = [j["name"] for j in jurors.all_jurors(client, edition.key) if j.get("status") == "withdrawn"]
    if gone:
        warnings.append(translate(language, "r3_confirm_warn_withdrawn", names=", ".join(gone)))
    return render("r3_confirm_step.html", language, status=409 if problem else 200, consequences=consequences,
                  warnings=warnings, csrf=csrf(holder), complete=found.complete and problem is None, problem=problem)


# -- organisers ---------------------------------------------------------------------------------------------------


HERE = "jury"
HOME = "/organiser/round3"


def _organiser_page(request: Request, organiser: Organiser, notice: str | None = None, problem: str | None = None,
                    status: int = 200, errors: dict[str, str] | None = None) -> Response:
    from gemeentedelers.console import progress

    edition = _edition()
    language = language_of(request)
    client = db()
    people = jurors.all_jurors(client, edition.key)
    preview = None
    if people:
        try:
            preview = round3.outcome(client, edition)
        except (LookupError, ValueError) as why:
            problem = problem or explain(why, language)
    shortlist = round3.finalists(client, edition)
    result = client.document(f"editions/{edition.key}/winners/result").get().to_dict()
    return view.page(
        "r3_organiser.html", request, organiser, here=HERE, current="round3", status=status, notice=notice,
        jurors=people, preview=preview, shortlist=shortlist, labels=_labels(edition, language),
        state=round3.state(client, edition.key)["status"], result=result, when=edition.timeline.winners_announced,
        problem=problem, errors=errors or {}, progress=progress.round3(client, edition),
        titles={e["submission_id"]: e["title"] for entries in shortlist.values() for e in entries},
        names={j["juror_id"]: j["name"] for j in people},
    )


@organiser_required("read")
def organiser_round3(request: Request, organiser: Organiser) -> Response:
    return _organiser_page(request, organiser)


def _organiser_action(action: Callable[[Edition, Request, Organiser], str],
                      confirm: Callable[[Request, Organiser], Response | None] | None = None, *,
                      field: str | None = None, bad_input: tuple[type[Exception], ...] | None = None,
                      ) -> Callable[[Request], Response]:
    """An organiser's POST on this page (see ``sessions.organiser_action``; a refusal of a ``bad_input`` kind is
    ``field``'s)."""
    return organiser_action(lambda request, organiser: action(_edition(), request, organiser), _organiser_page, HOME,
                            confirm=confirm, field=field, bad_input=bad_input)


def _import(edition: Edition, request: Request, organiser: Organiser) -> str:
    created, existing = jurors.import_csv(db(), edition.key, request.form.get("csv", ""), source="CSV",
                                          by=organiser.actor)
    return translate(language_of(request), "r3_imported", created=len(created), existing=len(existing))


def _withdraw(edition: Edition, request: Request, organiser: Organiser) -> str:
    jid = request.form.get("juror_id", "")
    juror = jurors.get(db(), edition.key, jid) if jid else None
    changed = jurors.withdraw(db(), edition.key, jid or "-", by=organiser.actor)
    name = (juror or {}).get("name", jid)
    return translate(language_of(request), "r3_withdrew" if changed else "r3_withdrew_already", name=name)


def _confirm_withdraw(request: Request, organiser: Organiser) -> Response | None:
    from gemeentedelers.console import progress

    edition = _edition()
    language = language_of(request)
    jid = request.form.get("juror_id", "")
    juror = jurors.get(db(), edition.key, jid) if jid else None
    if juror is None:
        raise jurors.WithdrawRefused("r3_err_unknown_juror")
    if juror.get("status") == "withdrawn":
        return None  # a repeat changes nothing
    if round3.state(db(), edition.key)["status"] in ("confirming", "confirmed"):
        raise jurors.WithdrawRefused("r3_err_confirmed")
    if juror.get("is_chair"):
        raise jurors.WithdrawRefused("r3_err_withdraw_chair", name=juror["name"])
    behind = {p.person_id: p for p in progress.round3(db(), edition).behind}
    consequences = [translate(language, "r3_withdraw_will_stop", name=juror["name"]),
                    translate(language, "r3_withdraw_will_ballot")]
    warnings = ([translate(language, "r3_withdraw_warn_missing", name=juror["name"], categories=behind[jid].detail)]
                if jid in behind else [])
    return view.confirmation(request, organiser, here=HERE, current="round3",
                             title=translate(language, "r3_withdraw_confirm_title", name=juror["name"]),
                             consequences=consequences, warnings=warnings,
                             button=translate(language, "r3_withdraw_button"), cancel=HOME)


def _open(edition: Edition, request: Request, organiser: Organiser) -> str:
    return translate(language_of(request), "r3_opened", n=round3.open_round(db(), edition, by=organiser.actor))


def _announce(edition: Edition, request: Request, organiser: Organiser) -> str:
    return announce_now(by=organiser.actor).text(language_of(request))


def _remind(edition: Edition, request: Request, organiser: Organiser) -> str:
    from gemeentedelers.jury import reminders

    return translate(language_of(request), "reminded_n", n=len(reminders.remind_jurors(db(), edition,
                                                                                          by=organiser.actor)))


def announce_now(by: str = audit.system("jury")) -> round3.Announcement:
    active = read_active(db())
    return round3.announce_if_due(db(), active.edition, active.clock.now(), by=by)


ROUTES: dict[str, Callable[..., Response]] = {
    "/jury/login": JUROR.sign_in,
    "/jury": home,
    "/jury/category/<key>": category,
    "/jury/prizes": votes,
    "/jury/conflict": declare_conflict,
    "/jury/confirm": confirm,
    "/organiser/round3": organiser_round3,
    "/organiser/round3/jurors/import": _organiser_action(_import, field="csv", bad_input=(PeopleCsvError,)),
    "/organiser/round3/jurors/withdraw": _organiser_action(_withdraw, confirm=_confirm_withdraw),
    "/organiser/round3/open": _organiser_action(_open),
    "/organiser/round3/announce": _organiser_action(_announce),
    "/organiser/round3/remind": _organiser_action(_remind),
    **console_routes(HERE),
}

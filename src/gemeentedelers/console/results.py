"""The console's results page: where round 1's and round 2's results stand (held until the edition's announcement
moment, or released), and releasing one earlier (``entries/release.py``), with a confirmation step."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Request, Response

from gemeentedelers.console import navigation, view
from gemeentedelers.console.timeline import when_text
from gemeentedelers.editions.active import read_active
from gemeentedelers.entries import release
from gemeentedelers.platform.firestore import db
from gemeentedelers.web.pages import language_of, translate
from gemeentedelers.web.sessions import Organiser, organiser_action, organiser_required

navigation.register(navigation.Place("results", "/organiser/results", "nav_results"), before="audit")


def _round(request: Request) -> int:
    value = request.form.get("round", "")
    if value not in ("1", "2"):
        raise release.ReleaseRefused("release_no_such_round", round=value or "-")
    return int(value)


def rows(language: str) -> list[dict[str, Any]]:
    """Each held round as the page shows it."""
    edition = read_active(db()).edition
    shown = []
    for number in release.ROUNDS:
        found = release.status(db(), edition, number)
        if found.state == "released":
            text = translate(language, "results_state_released", when=when_text(found.released_at, language),
                             who=found.released_by or "-")
            if found.early:
                text += " " + translate(language, "results_early")
        else:
            text = translate(language, f"results_state_{found.state}")
        shown.append({"round": number, "state": found.state, "text": text,
                      "moment": when_text(found.moment, language)})
    return shown


def _page(here: str) -> Callable[..., Response]:
    def page(request: Request, organiser: Organiser, notice: str | None = None, problem: str | None = None,
             status: int = 200) -> Response:
        return view.page("console_results.html", request, organiser, here=here, current="results", status=status,
                         notice=notice, problem=problem, rows=rows(language_of(request)))

    return page


def _release(request: Request, organiser: Organiser) -> str:
    active = read_active(db())
    number = _round(request)
    before = release.released(db(), active.edition.key, number)
    release.release(db(), active.edition, number, by=organiser.actor, now=active.clock.now())
    return translate(language_of(request), "results_released_already" if before else "results_released_notice",
                     round=number)


def _confirm(here: str) -> Callable[[Request, Organiser], Response | None]:
    def confirm(request: Request, organiser: Organiser) -> Response | None:
        language = language_of(request)
        active = read_active(db())
        number = _round(request)
        found = release.status(db(), active.edition, number)
        if found.state == "released":
            return None  # a repeat: nothing left to confirm
        if found.state != "held":
            raise release.ReleaseRefused("release_not_decided", round=number)
        consequences = [translate(language, "results_release_will", round=number,
                                  moment=when_text(found.moment, language))]
        if number == 1:
            consequences.append(translate(language, "results_release_will_r1"))
        return view.confirmation(request, organiser, here=here, current="results",
                                 title=translate(language, "results_release_title", round=number),
                                 consequences=consequences, warnings=[translate(language, "results_release_final")],
                                 button=translate(language, "results_release_button", round=number),
                                 cancel="/organiser/results")

    return confirm


def routes(here: str) -> dict[str, Callable[..., Response]]:
    page = _page(here)
    return {
        "/organiser/results": organiser_required("read")(lambda request, organiser: page(request, organiser)),
        "/organiser/results/release": organiser_action(_release, page, "/organiser/results",
                                                       confirm=_confirm(here)),
    }

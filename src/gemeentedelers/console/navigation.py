"""The console's one navigation: every place an organiser goes, on which host, and who may go there.

A place with ``service=None`` is a console page every organiser host serves, so it is reached on the host the
organiser is on; a round's page is on its service's host, reached through the single-use hand-over. Other rooms
add their places with :func:`register` (the editions' page, say) instead of editing templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from gemeentedelers.web.pages import translate


@dataclass(frozen=True)
class Place:
    key: str
    path: str
    label_key: str
    service: str | None = None
    permission: str = "read"


NAV: list[Place] = [
    Place("home", "/organiser", "nav_home"),
    Place("round1", "/organiser/round1", "nav_round1", service="scoring"),
    Place("round2", "/organiser/round2", "nav_round2", service="assessment"),
    Place("round3", "/organiser/round3", "nav_round3", service="jury"),
    Place("editions", "/organiser/editions", "nav_editions", service="scoring"),
    Place("audit", "/organiser/audit", "nav_audit"),
    Place("exports", "/organiser/exports", "nav_exports"),
    Place("organisers", "/organiser/organisers", "nav_organisers", permission="manage"),
]


def register(place: Place, *, before: str | None = None) -> None:
    """Add a place to the navigation (once; before the place keyed ``before``, else at the end)."""
    if any(p.key == place.key for p in NAV):
        return
    index = next((i for i, p in enumerate(NAV) if p.key == before), len(NAV))
    NAV.insert(index, place)


def href(place: Place, here: str) -> str:
    """The link to ``place`` from a page on ``here``'s host: direct, or through the hand-over."""
    if place.service is None or place.service == here:
        return place.path
    return f"/organiser/go/{place.service}?to={quote(place.path)}"


def items(here: str, current: str, organiser: Any, language: str) -> list[dict[str, Any]]:
    """The navigation as the template shows it, with only the places the organiser's role may see."""
    return [{"key": p.key, "href": href(p, here), "label": translate(language, p.label_key),
             "current": p.key == current} for p in NAV if organiser.may(p.permission)]

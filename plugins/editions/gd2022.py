"""The code rules of GemeenteDelers 2022 (and of every edition whose spec names ``plugins: [gd2022]``).

The edition itself is data (``gd2022.yaml``); what stays code is behaviour a value cannot express: a scorer
from a municipality that shares a regional arrangement with an entrant has a conflict of interest. Which
arrangements exist, and who is in them, is data too: the spec's ``conflicts_of_interest.regional_arrangements``
(``info.parameters``), so correcting a list is a new version of the spec, not a redeploy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gemeentedelers.plugins.api import EditionInfo, hookimpl, organisation_keys


def arrangements(info: EditionInfo) -> Iterator[tuple[str, frozenset[str]]]:
    """``(name, members)`` of every regional arrangement the edition's spec lists, members as organisation keys
    (CBS codes for municipalities, however the spec writes them)."""
    found: Any = info.parameters.get("conflicts_of_interest", {}).get("regional_arrangements", ())
    for arrangement in found:
        yield arrangement["name"], organisation_keys(list(arrangement["members"]))


@hookimpl
def gd_conflicts_of_interest(
    info: EditionInfo, scorer: Mapping[str, object], entry: Mapping[str, object]
) -> Sequence[str]:
    """A scorer whose municipality shares a regional arrangement with an entrant does not rate it (names compared
    as organisations: "Gemeente Zeist" is in U10 as "zeist")."""
    own = organisation_keys(scorer.get("organisation"))
    entrants = organisation_keys(entry.get("municipality")) | organisation_keys(entry.get("co_applicants") or [])
    return [
        f"shared regional arrangement ({name})"
        for name, members in arrangements(info)
        if own & members and entrants & members and not own & entrants
    ]

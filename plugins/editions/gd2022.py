"""The code rules of GemeenteDelers 2022 (and of every edition whose spec names ``plugins: [gd2022]``).

The edition itself is data (``gd2022.yaml``); what stays code is behaviour a value cannot express: a scorer
from a municipality that shares a regional arrangement with an entrant has a conflict of interest. Which
arrangements exist, and who is in them, is data too: the spec's ``conflicts_of_interest.regional_arrangements``
(``info.parameters``), so correcting a list is a new version of the spec, not a redeploy.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from gemeentedelers.plugins.api import EditionInfo, hookimpl


def _folded(value: object) -> set[str]:
    values = value if isinstance(value, list | tuple) else [value]
    return {str(v).strip().casefold() for v in values if v}


def arrangements(info: EditionInfo) -> Iterator[tuple[str, set[str]]]:
    """``(name, members)`` of every regional arrangement the edition's spec lists, members case-folded."""
    found: Any = info.parameters.get("conflicts_of_interest", {}).get("regional_arrangements", ())
    for arrangement in found:
        yield arrangement["name"], _folded(list(arrangement["members"]))


@hookimpl
def gd_conflicts_of_interest(
    info: EditionInfo, scorer: Mapping[str, object], entry: Mapping[str, object]
) -> Sequence[str]:
    """A scorer whose municipality shares a regional arrangement with an entrant does not rate it."""
    own = _folded(scorer.get("organisation"))
    entrants = _folded(entry.get("municipality")) | _folded(entry.get("co_applicants"))
    return [
        f"shared regional arrangement ({name})"
        for name, members in arrangements(info)
        if own & members and entrants & members and not own & entrants
    ]

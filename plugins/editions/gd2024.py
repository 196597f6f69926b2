"""GemeenteDelers 2024 (2023/24), from the competition page; it extends gd2022 and changes what changed.

Stated by the source: round 1 by a large crowd of scorers on the registration only, the (usually 20) best on
succesvol, waardevol and herbruikbaar advance, announced 9 January 2024; round 2 evidence, (online) visits by
assessors using appreciative inquiry, finalists known by mid-April 2024; round 3 jury picks a winner per
category; winners announced Friday 21 June 2024, prize-giving Wednesday 26 June 2024 at the VNG congress.
Inherited from gd2022 (and so assumed for 2024): the categories Direct and Indirect and the 1,500-character
short description. Further assumptions are listed in ``ASSUMPTIONS``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from gemeentedelers.plugins.api import REGISTRATION_FIELDS, EditionInfo, Text, Timeline, hookimpl

EXTENDS = "gd2022"
NL = ZoneInfo("Europe/Amsterdam")

ASSUMPTIONS = (
    "Registration opens 1 September 2023 and closes at 1 December 2023 00:00 Amsterdam time "
    "(the page gives no dates; 2021's early-December deadline is kept).",
    "'Half april' means round 2 is decided on 15 April 2024.",
    "The categories are still Direct and Indirect (the page says 'a winner in each category' without naming them).",
    "Winners are announced at 10:00 on 21 June 2024; the ceremony is at 14:00 on 26 June 2024.",
    "Forms use the canonical field names for every tool (no Dutch-label mapping as in 2021).",
)


@hookimpl
def gd_edition_info() -> EditionInfo:
    return EditionInfo(
        key="gd2024",
        title=Text("GemeenteDelers 2024", "GemeenteDelers 2024"),
        year=2024,
        assumptions=ASSUMPTIONS,
    )


@hookimpl
def gd_timeline() -> Timeline:
    return Timeline(
        registration_opens=datetime(2023, 9, 1, tzinfo=NL),
        registration_closes=datetime(2023, 12, 1, tzinfo=NL),
        round1_decided=datetime(2024, 1, 9, 12, tzinfo=NL),
        round2_decided=datetime(2024, 4, 15, 12, tzinfo=NL),
        winners_announced=datetime(2024, 6, 21, 10, tzinfo=NL),
        award_ceremony=datetime(2024, 6, 26, 14, tzinfo=NL),
    )


@hookimpl
def gd_registration_field_map(provider: str) -> Mapping[str, str]:
    return {name: name for name in REGISTRATION_FIELDS}

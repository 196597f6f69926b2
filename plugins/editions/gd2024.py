"""GemeenteDelers 2024 (2023/24), from the competition page; it extends gd2022 and changes what changed.

Stated by the source: round 1 by a large crowd of scorers on the registration only, the (usually 20) best on
succesvol, waardevol and herbruikbaar advance, announced 9 January 2024; round 2 evidence, (online) visits by
assessors using appreciative inquiry, finalists known by mid-April 2024; round 3 jury picks a winner per
category; winners announced Friday 21 June 2024, prize-giving Wednesday 26 June 2024 at the VNG congress.
Inherited from gd2022 (and so assumed for 2024): the categories Direct and Indirect and the 1,500-character
short description. Rounds 2 and 3 keep the defaults: the evidence fields are the four the page names (results,
approach, involving stakeholders, reusability) plus links to documents, the interview guide is appreciative
inquiry, as the page says; the numbers and voting methods are the defaults' assumptions. gd2022's
*Actualiteitstrofee* is not inherited. Further assumptions are listed in ``ASSUMPTIONS``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from gemeentedelers.plugins import defaults
from gemeentedelers.plugins.api import REGISTRATION_FIELDS, EditionInfo, SpecialPrize, Text, Timeline, hookimpl

EXTENDS = "gd2022"
NL = ZoneInfo("Europe/Amsterdam")

ASSUMPTIONS = (
    "Registration opens 1 September 2023 and closes at 1 December 2023 00:00 Amsterdam time "
    "(the page gives no dates; 2021's early-December deadline is kept).",
    "'Half april' means round 2 is decided on 15 April 2024.",
    "The categories are still Direct and Indirect (the page says 'a winner in each category' without naming them).",
    "Winners are announced at 10:00 on 21 June 2024; the ceremony is at 14:00 on 26 June 2024.",
    "Forms use the canonical field names for every tool (no Dutch-label mapping as in 2021).",
    *defaults.ASSUMPTIONS,
    "No special prize: the page names none (sponsors give entries extra attention, not a prize), so gd2022's "
    "Actualiteitstrofee is not inherited.",
    "The feedback mail after round 1 tells advancing entries what round 2 asks and when the finalists are "
    "known; after round 2 it tells finalists about the presentation training, the promo video and the "
    "announcement and prize-giving at the VNG congress.",
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


@hookimpl
def gd_special_prizes() -> Sequence[SpecialPrize]:
    return ()


@hookimpl
def gd_feedback_closing(info: EditionInfo, round: int, advanced: bool) -> Text | None:
    """What the page promises an entry that goes on; ``None`` leaves the other cases to gd2022."""
    if advanced and round == 1:
        return Text(
            "In ronde 2 levert u extra informatie aan over de resultaten, de aanpak, het meenemen van "
            "belanghebbenden en de herbruikbaarheid van uw casus. Daarna krijgt u (online) bezoek van een team "
            "van ervaren assessoren, die werken met Waarderend Onderzoek. Uiterlijk half april "
            f"{info.year} is bekend welke casussen doorgaan naar de finale.",
            "In round 2 you supply more information about the results, the approach, how stakeholders were "
            "involved and how reusable your case is. Then a team of experienced assessors visits you (online), "
            f"using appreciative inquiry. The finalists are known by mid-April {info.year}.",
        )
    if advanced and round == 2:
        return Text(
            "Als finalist presenteert u uw casus aan de jury. U krijgt een professionele presentatietraining en "
            "er wordt een promotiefilmpje van uw casus gemaakt. De winnaars worden in juni "
            f"{info.year} bekendgemaakt; de prijsuitreiking is tijdens het VNG Jaarcongres.",
            "As a finalist you present your case to the jury. You get professional presentation training and a "
            f"promotional video of your case is made. The winners are announced in June {info.year}; the "
            "prizes are awarded at the VNG annual congress.",
        )
    return None

"""GemeenteDelers 2022, the second edition (2021/22), from the November 2021 announcement.

Stated by the source: registration until 5 December 2021 with contact details and a short description only;
three rounds after registration; winners announced in June 2022 at the yearly VNG congress; two categories,
Direct and Indirect; what the jury looks for (the extended round-2 criteria of the defaults follow it); the
first edition's *Actualiteitstrofee*, won by Rotterdam's digital counter. Everything else below is an
assumption, listed in ``ASSUMPTIONS``; rounds 2 and 3 keep the defaults (``defaults.ASSUMPTIONS``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from gemeentedelers.plugins import defaults
from gemeentedelers.plugins.api import (
    Category,
    EditionInfo,
    FieldError,
    SpecialPrize,
    Text,
    Timeline,
    hookimpl,
)

NL = ZoneInfo("Europe/Amsterdam")
MAX_DESCRIPTION_CHARS = 1500

ASSUMPTIONS = (
    "Registration opens 1 November 2021 (the announcement is dated November 2021).",
    "'Until 5 December' includes 5 December: registration closes at 6 December 2021 00:00 Amsterdam time.",
    "Round 1 is decided on 14 January 2022 and round 2 on 15 April 2022 (the text gives no dates; "
    "the 2024 edition's rhythm is used).",
    "Winners are announced and awarded on 8 June 2022, the first congress day (the text says only June 2022).",
    "A 'short description' is at most 1,500 characters.",
    "The registration form was Dutch: Tally fields are matched on Dutch labels.",
    "Scorers from a municipality in a shared regional arrangement with an entrant have a conflict of interest; "
    "the arrangements listed in REGIONAL_ARRANGEMENTS are an illustrative subset, not an official register.",
    "Round 2 asks for the evidence the 2023/24 page names (the 2021 text says only 'more information and "
    "evidence later'), and assessors already interviewed with appreciative inquiry.",
    *defaults.ASSUMPTIONS,
    "The Actualiteitstrofee of the first edition is awarded again: the jury votes, one vote per juror, among "
    "all finalists of both categories, for the initiative that best answers a topical issue; a tie goes to "
    "the chair's vote.",
    "The feedback mail after round 1 tells advancing entries what round 2 asks; after round 2 it tells "
    "finalists the winners are announced at the VNG congress in June.",
)

ACTUALITEITSTROFEE = SpecialPrize(
    key="actualiteitstrofee",
    label=Text("Actualiteitstrofee", "Topicality trophy"),
    description=Text(
        "Voor het initiatief dat het best inspeelt op de actualiteit. In de eerste editie won Rotterdam de "
        "trofee met de digitale balie: 8.000 gesprekken op afstand tussen de gemeente en haar inwoners.",
        "For the initiative that best answers a topical issue. In the first edition Rotterdam won the trophy "
        "with its digital counter: 8,000 remote conversations between the municipality and its residents.",
    ),
    eligibility="finalists",
    decided_by="jury_vote",
)
SPECIAL_PRIZES = (ACTUALITEITSTROFEE,)

REGIONAL_ARRANGEMENTS: dict[str, frozenset[str]] = {
    "U10 / regio Utrecht": frozenset({"utrecht", "zeist", "houten", "nieuwegein", "bunnik", "de bilt",
                                      "stichtse vecht", "ijsselstein", "vijfheerenlanden", "woerden"}),
    "Metropoolregio Rotterdam Den Haag": frozenset({"rotterdam", "den haag", "delft", "schiedam", "vlaardingen",
                                                    "zoetermeer", "rijswijk", "capelle aan den ijssel"}),
    "Regio Groningen-Assen": frozenset({"groningen", "westerkwartier", "assen", "midden-groningen", "tynaarlo"}),
    "Vervoerregio Amsterdam": frozenset({"amsterdam", "zaanstad", "purmerend", "amstelveen", "almere",
                                         "haarlemmermeer"}),
}

CATEGORIES = (
    Category(
        key="direct",
        label=Text("Direct", "Direct"),
        description=Text(
            "Inwoners en/of organisaties merken meteen iets van de verbetering van gemeentelijke diensten.",
            "Residents and/or organisations notice the improvement of municipal services at once.",
        ),
    ),
    Category(
        key="indirect",
        label=Text("Indirect", "Indirect"),
        description=Text(
            "Verbeteringen in (interne) dienstverleningsprocessen of -systemen, die indirect of pas later "
            "merkbaar zijn voor inwoners en/of organisaties.",
            "Improvements in (internal) service processes or systems, noticeable to residents and/or "
            "organisations indirectly or later.",
        ),
    ),
)

DUTCH_TALLY_LABELS = {
    "municipality": "Gemeente",
    "co_applicants": "Mede-indieners",
    "contact_name": "Naam contactpersoon",
    "contact_email": "E-mailadres",
    "contact_phone": "Telefoonnummer",
    "title": "Naam van het initiatief",
    "description": "Korte omschrijving",
    "category": "Categorie",
    "consent": "Toestemming",
    "language": "Taal",
}


@hookimpl
def gd_edition_info() -> EditionInfo:
    return EditionInfo(
        key="gd2022",
        title=Text("GemeenteDelers 2022", "GemeenteDelers 2022"),
        year=2022,
        assumptions=ASSUMPTIONS,
    )


@hookimpl
def gd_timeline() -> Timeline:
    return Timeline(
        registration_opens=datetime(2021, 11, 1, tzinfo=NL),
        registration_closes=datetime(2021, 12, 6, tzinfo=NL),
        round1_decided=datetime(2022, 1, 14, 12, tzinfo=NL),
        round2_decided=datetime(2022, 4, 15, 12, tzinfo=NL),
        winners_announced=datetime(2022, 6, 8, 14, tzinfo=NL),
        award_ceremony=datetime(2022, 6, 8, 14, tzinfo=NL),
    )


@hookimpl
def gd_categories() -> Sequence[Category]:
    return CATEGORIES


@hookimpl
def gd_registration_field_map(provider: str) -> Mapping[str, str] | None:
    return DUTCH_TALLY_LABELS if provider == "tally" else None


def _folded(value: object) -> set[str]:
    values = value if isinstance(value, list | tuple) else [value]
    return {str(v).strip().casefold() for v in values if v}


@hookimpl
def gd_conflicts_of_interest(scorer: Mapping[str, object], entry: Mapping[str, object]) -> Sequence[str]:
    """A scorer whose municipality shares a regional arrangement with an entrant does not rate it."""
    own = _folded(scorer.get("organisation"))
    entrants = _folded(entry.get("municipality")) | _folded(entry.get("co_applicants"))
    return [
        f"shared regional arrangement ({name})"
        for name, members in REGIONAL_ARRANGEMENTS.items()
        if own & members and entrants & members and not own & entrants
    ]


@hookimpl
def gd_validate_registration(registration: Mapping[str, object]) -> Sequence[FieldError]:
    description = str(registration.get("description") or "")
    if len(description) > MAX_DESCRIPTION_CHARS:
        return [
            FieldError(
                "description",
                Text(
                    f"De korte omschrijving is {len(description)} tekens; maximaal {MAX_DESCRIPTION_CHARS}.",
                    f"The short description has {len(description)} characters; at most {MAX_DESCRIPTION_CHARS}.",
                ),
            )
        ]
    return []


@hookimpl
def gd_special_prizes() -> Sequence[SpecialPrize]:
    return SPECIAL_PRIZES


@hookimpl
def gd_feedback_closing(info: EditionInfo, round: int, advanced: bool) -> Text | None:
    """What comes next for an entry that goes on; uses ``info.year`` so an extending edition may inherit it."""
    if not advanced:
        return None
    if round == 1:
        return Text(
            "In ronde 2 vragen we u om aanvullende informatie en onderbouwing, en bezoekt een team van "
            "beoordelaars uw casus.",
            "In round 2 we ask you for more information and evidence, and a team of assessors visits your case.",
        )
    if round == 2:
        return Text(
            f"De jury kiest de winnaars; zij worden in juni {info.year} bekendgemaakt op het VNG-jaarcongres.",
            f"The jury chooses the winners; they are announced at the VNG annual congress in June {info.year}.",
        )
    return None

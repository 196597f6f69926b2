"""The shipped editions gd2022 and gd2024 load from their specs and follow the sources (docs/seeds)."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from gemeentedelers.plugins import defaults
from gemeentedelers.plugins.api import AI_PHASES, REGISTRATION_FIELDS, AssessmentRules, FinalistRule, JuryRule

from gemeentedelers.editions import Edition, get_edition
from gemeentedelers.editions.specs import shipped_document

NL = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="module")
def gd2022_edition() -> Edition:
    return get_edition("gd2022")


@pytest.fixture(scope="module")
def gd2024_edition() -> Edition:
    return get_edition("gd2024")


def is_open(edition: Edition, moment: datetime) -> bool:
    return edition.timeline.registration_opens <= moment < edition.timeline.registration_closes


@pytest.mark.parametrize("name", ["gd2022", "gd2024"])
def test_edition_loads_with_get_edition(name: str) -> None:
    edition = get_edition(name)
    edition.check()
    assert edition.key == edition.info.key == name
    assert edition.info.year == int(name[2:])
    assert edition.info.title.get("nl") == f"GemeenteDelers {name[2:]}"
    assert edition.info.default_language == "nl"
    assert edition.info.assumptions, "an edition states what it assumed where the sources are silent"


# --- gd2024 ---------------------------------------------------------------------------------------------------


def test_gd2024_timeline_follows_the_competition_page(gd2024_edition: Edition) -> None:
    timeline = gd2024_edition.timeline
    assert timeline.round1_decided.astimezone(NL).date() == date(2024, 1, 9)  # round 1 announced 9 January 2024
    assert timeline.round2_decided.astimezone(NL).date() == date(2024, 4, 15)  # finalists "half april"
    assert timeline.winners_announced.astimezone(NL).date() == date(2024, 6, 21)
    assert timeline.winners_announced.strftime("%A") == "Friday"
    assert timeline.award_ceremony.astimezone(NL).date() == date(2024, 6, 26)
    assert timeline.award_ceremony.strftime("%A") == "Wednesday"
    assert timeline.registration_closes <= timeline.round1_decided


def test_gd2024_extends_gd2022_and_inherits_its_categories(gd2024_edition: Edition, gd2022_edition: Edition) -> None:
    document = shipped_document("gd2024")
    assert document is not None and document["extends"] == "gd2022" and "categories" not in document
    assert gd2024_edition.categories == gd2022_edition.categories
    assert [c.key for c in gd2024_edition.categories] == ["direct", "indirect"]


def test_gd2024_maps_canonical_field_names_for_every_provider(gd2024_edition: Edition) -> None:
    for provider in ("typeform", "tally", "generic"):
        assert gd2024_edition.field_map(provider) == {f: f for f in REGISTRATION_FIELDS}


def test_gd2024_round1_criteria_are_the_three_main_criteria(gd2024_edition: Edition) -> None:
    assert [c.key for c in gd2024_edition.criteria(1)] == ["succesvol", "waardevol", "herbruikbaar"]


# --- gd2022 ---------------------------------------------------------------------------------------------------


def test_gd2022_registration_is_open_until_and_including_5_december_2021(gd2022_edition: Edition) -> None:
    last_minute = datetime(2021, 12, 5, 23, 59, 59, tzinfo=NL)
    assert is_open(gd2022_edition, last_minute)
    assert not is_open(gd2022_edition, last_minute + timedelta(seconds=1))
    assert is_open(gd2022_edition, datetime(2021, 11, 1, tzinfo=NL))
    assert not is_open(gd2022_edition, datetime(2021, 10, 31, 23, 59, tzinfo=NL))


def test_gd2022_winners_are_announced_in_june_2022(gd2022_edition: Edition) -> None:
    winners = gd2022_edition.timeline.winners_announced.astimezone(NL)
    assert (winners.year, winners.month) == (2022, 6)
    assert gd2022_edition.timeline.award_ceremony >= gd2022_edition.timeline.winners_announced


def test_gd2022_has_the_categories_direct_and_indirect(gd2022_edition: Edition) -> None:
    assert [(c.key, c.label.nl, c.label.en) for c in gd2022_edition.categories] == [
        ("direct", "Direct", "Direct"),
        ("indirect", "Indirect", "Indirect"),
    ]


def test_gd2022_maps_tally_fields_to_dutch_labels_and_others_to_canonical_names(gd2022_edition: Edition) -> None:
    tally = gd2022_edition.field_map("tally")
    assert tally["municipality"] == "Gemeente"
    assert tally["contact_email"] == "E-mailadres"
    assert tally["description"] == "Korte omschrijving"
    assert set(tally) == set(REGISTRATION_FIELDS)
    assert gd2022_edition.field_map("typeform") == {f: f for f in REGISTRATION_FIELDS}
    assert gd2022_edition.field_map("generic") == {f: f for f in REGISTRATION_FIELDS}


# --- round 1 --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gd2022", "gd2024"])
def test_round1_rules_advance_the_usual_20(name: str) -> None:
    rules = get_edition(name).round1_rules
    assert rules.advance == 20
    assert 2 <= rules.first_wave <= rules.ratings_per_entry


@pytest.mark.parametrize("name", ["gd2022", "gd2024"])
def test_gd2022_regional_arrangement_conflicts_hold_in_gd2024_through_extends(name: str) -> None:
    edition = get_edition(name)
    entry = {"municipality": "Utrecht", "co_applicants": [], "title": "Digitale balie"}
    assert edition.conflicts_of_interest({"organisation": "Zeist"}, entry) == [
        "shared regional arrangement (U10 / regio Utrecht)"
    ]
    assert edition.conflicts_of_interest({"organisation": "Utrecht"}, entry) == ["own organisation"]
    assert edition.conflicts_of_interest({"organisation": "Groningen"}, entry) == []


# --- rounds 2 and 3 -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["gd2022", "gd2024"])
def test_round2_and_round3_rules_are_the_defaults_and_say_so(name: str) -> None:
    edition = get_edition(name)
    assert [f.key for f in edition.evidence_fields] == [
        "resultaten",
        "aanpak",
        "belanghebbenden",
        "herbruikbaarheid",
        "documenten",
    ]
    assert [c.key for c in edition.criteria(2)] == [
        "succesvol",
        "waardevol",
        "herbruikbaar",
        "inclusief",
        "lef",
        "menselijke_maat",
        "samenwerking",
    ]
    assert edition.criteria(3) == ()
    assert [s.phase for s in edition.interview_guide.sections] == list(AI_PHASES)
    assert edition.assessment_rules == AssessmentRules()
    assert edition.finalist_rule == FinalistRule()
    assert edition.jury_rule == JuryRule()
    assert set(defaults.ASSUMPTIONS) <= set(edition.info.assumptions)


def test_gd2022_special_prize_is_the_actualiteitstrofee_among_the_finalists(gd2022_edition: Edition) -> None:
    (trophy,) = gd2022_edition.special_prizes
    assert (trophy.key, trophy.label.nl, trophy.eligibility, trophy.decided_by) == (
        "actualiteitstrofee",
        "Actualiteitstrofee",
        "finalists",
        "jury_vote",
    )
    assert "Rotterdam" in trophy.description.nl and "8.000" in trophy.description.nl
    assert any("Actualiteitstrofee" in a for a in gd2022_edition.info.assumptions)


def test_gd2024_special_prizes_drop_gd2022s_trophy(gd2024_edition: Edition) -> None:
    document = shipped_document("gd2024")
    assert document is not None and document["special_prizes"] == []
    assert gd2024_edition.special_prizes == ()
    assert any("No special prize" in a for a in gd2024_edition.info.assumptions)


def test_gd2022_feedback_closing_tells_finalists_about_the_june_congress(gd2022_edition: Edition) -> None:
    closing = gd2022_edition.feedback_closing(2, True)
    assert closing is not None and "juni 2022" in closing.nl and "June 2022" in closing.en
    assert gd2022_edition.feedback_closing(1, True) is not None
    assert [gd2022_edition.feedback_closing(r, False) for r in (1, 2, 3)] == [None, None, None]
    assert gd2022_edition.feedback_closing(3, True) is None


def test_gd2024_feedback_closing_follows_the_competition_page(gd2024_edition: Edition) -> None:
    after_round1 = gd2024_edition.feedback_closing(1, True)
    assert after_round1 is not None
    assert "Waarderend Onderzoek" in after_round1.nl and "half april 2024" in after_round1.nl
    assert "mid-April 2024" in after_round1.en
    finalist = gd2024_edition.feedback_closing(2, True)
    assert finalist is not None
    assert "presentatietraining" in finalist.nl and "promotiefilmpje" in finalist.nl and "juni 2024" in finalist.nl
    assert "presentation training" in finalist.en
    # the cases gd2024 leaves alone fall back to gd2022, which has nothing there either
    assert [gd2024_edition.feedback_closing(r, False) for r in (1, 2, 3)] == [None, None, None]

"""The records hooks return (gemeentedelers.plugins.api): frozen, and refusing what cannot be right."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from gemeentedelers.plugins.api import Criterion, EditionInfo, FieldError, Round1Rules, Text, Timeline

NL = ZoneInfo("Europe/Amsterdam")
MILESTONES = (
    "registration_opens",
    "registration_closes",
    "round1_decided",
    "round2_decided",
    "winners_announced",
    "award_ceremony",
)


def stamps(**changes: datetime) -> dict[str, datetime]:
    base = {
        "registration_opens": datetime(2023, 9, 1, tzinfo=NL),
        "registration_closes": datetime(2023, 12, 1, tzinfo=NL),
        "round1_decided": datetime(2024, 1, 9, 12, tzinfo=NL),
        "round2_decided": datetime(2024, 4, 15, 12, tzinfo=NL),
        "winners_announced": datetime(2024, 6, 21, 10, tzinfo=NL),
        "award_ceremony": datetime(2024, 6, 26, 14, tzinfo=NL),
    }
    return base | changes


def test_timeline_accepts_aware_dates_in_order_and_lists_its_milestones() -> None:
    timeline = Timeline(**stamps())
    assert list(timeline.milestones()) == list(MILESTONES)
    assert timeline.milestones()["round1_decided"] == datetime(2024, 1, 9, 12, tzinfo=NL)


def test_timeline_allows_two_milestones_at_the_same_moment() -> None:
    """gd2022 announces the winners at the prize-giving itself."""
    moment = datetime(2024, 6, 26, 14, tzinfo=NL)
    timeline = Timeline(**stamps(winners_announced=moment, award_ceremony=moment))
    assert timeline.winners_announced == timeline.award_ceremony


@pytest.mark.parametrize("name", MILESTONES)
def test_timeline_rejects_a_naive_datetime(name: str) -> None:
    naive = stamps()[name].replace(tzinfo=None)
    with pytest.raises(ValueError, match=f"timeline.{name} must be timezone-aware"):
        Timeline(**stamps(**{name: naive}))


def test_timeline_rejects_out_of_order_dates() -> None:
    with pytest.raises(ValueError, match=r"timeline.round1_decided \(2023-11-01\) is before registration_closes"):
        Timeline(**stamps(round1_decided=datetime(2023, 11, 1, tzinfo=NL)))
    with pytest.raises(ValueError, match="award_ceremony"):
        Timeline(**stamps(award_ceremony=datetime(2024, 6, 21, 9, tzinfo=NL)))


def test_timeline_compares_moments_across_timezones() -> None:
    # 00:30 in Amsterdam (winter) is 23:30 UTC the evening before: still after 1 December 00:00 Amsterdam
    closes = datetime(2023, 12, 1, tzinfo=NL)
    Timeline(
        **stamps(
            registration_closes=closes, round1_decided=(closes + timedelta(minutes=30)).astimezone(ZoneInfo("UTC"))
        )
    )


def test_records_are_frozen() -> None:
    info = EditionInfo(key="gd2024", title=Text("GemeenteDelers 2024"), year=2024)
    with pytest.raises(dataclasses.FrozenInstanceError):
        info.key = "gd2026"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        Timeline(**stamps()).award_ceremony = datetime(2024, 7, 1, tzinfo=NL)  # type: ignore[misc]


def test_edition_info_defaults() -> None:
    info = EditionInfo(key="gd2024", title=Text("GemeenteDelers 2024"), year=2024)
    assert (info.default_language, info.assumptions) == ("nl", ())


def test_text_falls_back_to_dutch() -> None:
    assert Text("Direct", "Direct").get("en") == "Direct"
    assert Text("Waardevol", "Valuable").get("en") == "Valuable"
    assert Text("Waardevol", "Valuable").get() == "Waardevol"
    assert Text("Alleen Nederlands").get("en") == "Alleen Nederlands"


def test_criterion_checks_its_scale_and_weight() -> None:
    label, description = Text("Lef", "Courage"), Text("Durft.", "Dares.")
    criterion = Criterion(
        "lef",
        label,
        description,
        scale_min=1,
        scale_max=5,
        weight=0.5,
        scale_labels={1: Text("Niet"), 5: Text("Heel erg")},
    )
    assert (criterion.scale_min, criterion.scale_max, criterion.weight) == (1, 5, 0.5)
    assert Criterion("lef", label, description).scale_max == 10
    with pytest.raises(ValueError, match="scale_min must be below scale_max"):
        Criterion("lef", label, description, scale_min=5, scale_max=5)
    with pytest.raises(ValueError, match="weight must be positive"):
        Criterion("lef", label, description, weight=0)


def test_field_error_names_its_field() -> None:
    error = FieldError("description", Text("Te lang.", "Too long."))
    assert (error.field, error.message.get("en")) == ("description", "Too long.")


def test_round1_rules_defaults_and_first_wave() -> None:
    rules = Round1Rules()
    assert (rules.ratings_per_entry, rules.first_wave_share, rules.advance) == (5, 0.6, 20)
    assert rules.first_wave == 3
    assert Round1Rules(ratings_per_entry=1).first_wave == 1  # never more than the budget
    assert Round1Rules(ratings_per_entry=10, first_wave_share=0.1).first_wave == 2  # at least 2 for a spread


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"ratings_per_entry": 0}, "at least 1"),
        ({"advance": 0}, "at least 1"),
        ({"scorer_capacity": 0}, "at least 1"),
        ({"first_wave_share": 0.0}, r"first_wave_share must be in \(0, 1\]"),
        ({"first_wave_share": 1.5}, r"first_wave_share must be in \(0, 1\]"),
        ({"category_quotas": (("direct", 10), ("indirect", 5))}, "category_quotas must add up to advance"),
    ],
)
def test_round1_rules_refuse_impossible_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Round1Rules(**changes)  # type: ignore[arg-type]

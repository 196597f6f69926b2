"""Round 3's pure parts: the ranking form's validation, the juror CSV rows, storing decisions, the mails."""

from __future__ import annotations

from datetime import UTC, datetime
from fractions import Fraction

import pytest
from gemeentedelers.plugins.api import JuryRule
from marshmallow import ValidationError

from gemeentedelers.editions import get_edition
from gemeentedelers.jury import jurors, round3
from gemeentedelers.jury.rules import decide_category
from gemeentedelers.notify.templates import render

ENTRIES = ["sub-a", "sub-b", "sub-c"]


def test_a_ranking_is_every_finalist_once_best_first() -> None:
    form = {"rank_sub-a": "2", "rank_sub-b": "3", "rank_sub-c": "1"}
    assert round3.check_ranking("borda", ENTRIES, form) == ["sub-c", "sub-a", "sub-b"]


@pytest.mark.parametrize(("form", "errors"), [
    ({"rank_sub-a": "1", "rank_sub-b": "1", "rank_sub-c": "3"}, {"sub-a": "twice", "sub-b": "twice"}),
    ({"rank_sub-a": "1", "rank_sub-b": "", "rank_sub-c": "2"}, {"sub-b": "missing"}),
    ({"rank_sub-a": "1", "rank_sub-b": "4", "rank_sub-c": "x"}, {"sub-b": "missing", "sub-c": "missing"}),
])
def test_a_ranking_names_each_finalist_that_is_wrong(form: dict[str, str], errors: dict[str, str]) -> None:
    with pytest.raises(round3.BallotInvalid) as problem:
        round3.check_ranking("points", ENTRIES, form)
    assert problem.value.errors == errors


def test_scores_are_one_to_ten() -> None:
    assert round3.check_ranking("mean_score", ["sub-a"], {"score_sub-a": "7,5"}) == {"sub-a": 7.5}
    with pytest.raises(round3.BallotInvalid):
        round3.check_ranking("mean_score", ["sub-a", "sub-b"], {"score_sub-a": "11", "score_sub-b": "5"})


def test_juror_rows_are_cleaned() -> None:
    row = jurors.clean({"name": " Carla ", "email": "carla@example.org", "organisation": "VNG", "is_chair": "Ja"})
    assert row == {"name": "Carla", "email": "carla@example.org", "organisation": "VNG", "is_chair": True,
                   "language": "nl", "organisation_check": {"status": "not_a_municipality"}}
    assert jurors.clean({"name": "Anton", "email": "a@example.org", "organisation": "XY", "is_chair": "nee"})[
        "is_chair"] is False
    with pytest.raises(ValidationError):
        jurors.clean({"name": "Anton", "email": "no-address", "organisation": "XY", "is_chair": "nee"})
    assert jurors.juror_id("Carla@Example.org ") == jurors.juror_id("carla@example.org")


def test_exactly_one_chair() -> None:
    assert jurors.chair_of([{"juror_id": "ju-1", "is_chair": True}, {"juror_id": "ju-2"}]) == "ju-1"
    with pytest.raises(LookupError):
        jurors.chair_of([{"juror_id": "ju-1", "is_chair": True}, {"juror_id": "ju-2", "is_chair": True}])


def test_a_decision_with_a_tie_is_storable_in_firestore() -> None:
    decision = decide_category("direct", ENTRIES, {"ju-1": ENTRIES, "ju-2": ["sub-b", "sub-a", "sub-c"]},
                               JuryRule(), "ju-1")
    stored = round3.storable(decision.as_dict())
    assert stored["tie_breaks"][0]["order"] == [{"group": ["sub-a"]}, {"group": ["sub-b"]}]
    assert stored["winner"] == "sub-a"
    assert round3.storable({"x": Fraction(3, 2)}) == {"x": "3/2"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_round3_mails_render(language: str) -> None:
    edition = get_edition("gd2022")
    invited = render("juror_invited", "x@example.org", language, edition_title="GemeenteDelers 2022", name="Carla",
                     is_chair=True, link="http://jury/jury/login?token=t", valid_until=datetime(2022, 6, 1, tzinfo=UTC),
                     prizes="Actualiteitstrofee", winners_announced=edition.timeline.winners_announced)
    assert "http://jury/jury/login?token=t" in invited.text and "Actualiteitstrofee" in invited.text
    assert ("8 juni 2022" if language == "nl" else "8 June 2022") in invited.text
    winners = [{"prize": "Actualiteitstrofee", "title": "Digitale balie", "municipality": "Rotterdam"}]
    finalists = [{"title": "Digitale balie", "municipality": "Rotterdam"},
                 {"title": "Buurtteams", "municipality": "Ede"}]
    announced = render("winners_announced", "x@example.org", language, edition_title="GemeenteDelers 2022",
                       name="Noor", winners=winners, finalists=finalists,
                       award_ceremony=edition.timeline.award_ceremony)
    assert '- Actualiteitstrofee: "Digitale balie" (Rotterdam)' in announced.text
    assert '- "Buurtteams" (Ede)' in announced.text

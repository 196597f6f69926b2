"""The demo's sizes grow with the edition, and a refusal met while playing is a message, not a traceback."""

from __future__ import annotations

import math

import pytest
from click.testing import CliRunner

from gemeentedelers.cli.demo import demo
from gemeentedelers.devtools.demo.sizing import MIN_SCORERS, sizes
from gemeentedelers.editions import get_edition
from gemeentedelers.scoring.assignment import InfeasiblePlanError
from gemeentedelers.scoring.waves import WaveRefused


@pytest.mark.parametrize("entries", [1, 20, 64, 300, 1000, 5000])
def test_the_crowd_can_take_every_rating_with_room_for_an_adaptive_wave(entries: int) -> None:
    edition = get_edition("gd2024")
    size = sizes(edition, entries)
    needed = entries * edition.round1_rules.ratings_per_entry
    assert size.scorers >= MIN_SCORERS
    # careless scorers (a tenth) get no adaptive work: the others alone must have room for the whole budget
    assert 0.9 * size.scorers * size.scorer_capacity >= 1.25 * needed


@pytest.mark.parametrize("entries", [5, 20, 64, 1000])
def test_assessors_fill_every_team_within_their_case_limit(entries: int) -> None:
    edition = get_edition("gd2024")
    rules = edition.assessment_rules
    cases = min(edition.round1_rules.advance, entries)
    assert sizes(edition, entries).assessors * rules.max_cases_per_assessor >= cases * rules.team_size


def test_sizes_grow_with_the_entries_not_faster() -> None:
    edition = get_edition("gd2024")
    small, big = sizes(edition, 300), sizes(edition, 3000)
    assert big.scorers == pytest.approx(10 * small.scorers, rel=0.01)
    assert math.isclose(big.assessors, small.assessors) and big.jurors == small.jurors  # round 2 takes 20 either way


def test_no_entries_is_refused() -> None:
    with pytest.raises(ValueError):
        sizes(get_edition("gd2024"), 0)


def test_a_refusal_while_playing_ends_with_its_message_and_exit_code_1(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(**_: object) -> None:
        try:
            raise InfeasiblePlanError("not enough capacity: the scorers can take 720 more rating(s), 900 are needed")
        except InfeasiblePlanError as problem:
            raise WaveRefused("wave_no_capacity", scorers=60, room=720, needed=900) from problem

    monkeypatch.setattr("gemeentedelers.devtools.demo.play", refuse)
    result = CliRunner().invoke(demo, ["--entries", "300"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "the demo stopped: This wave does not fit: the 60 approved scorers can take 720" in result.output
    assert "900 are needed" in result.output


def test_entries_below_one_are_a_usage_error() -> None:
    result = CliRunner().invoke(demo, ["--entries", "0"])
    assert result.exit_code == 2
    assert "--entries" in result.output

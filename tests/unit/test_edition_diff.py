"""``gemeentedelers edition diff``: what changed from one edition to another, through the Edition facade.

The shipped editions are compared as installed (gd2024 extends gd2022); made-up editions are the installed
gd2024's plugin manager with one more plugin registered last, so it overrides exactly one answer.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from gemeentedelers.plugins import defaults, manager
from gemeentedelers.plugins.api import Category, Criterion, Text, hookimpl

from gemeentedelers.cli import main
from gemeentedelers.editions import Edition, get_edition
from gemeentedelers.editions.diff import (
    _COMPARISONS,
    ADDED,
    CHANGED,
    REMOVED,
    SECTIONS,
    Change,
    Scale,
    diff_editions,
    render,
    show,
)


def with_plugin(name: str, *plugins: object) -> Edition:
    """The installed edition ``name`` with ``plugins`` registered after it (so they answer first)."""
    installed = get_edition(name)
    assert installed.spec is not None
    pm = manager.build_spec_plugin_manager(installed.spec)
    for plugin in plugins:
        pm.register(plugin)
    pm.check_pending()
    edition = Edition(name, pm)
    edition.check()
    return edition


def keys(changes: Sequence[Change], section: str) -> list[tuple[str, str]]:
    return [(c.key, c.change) for c in changes if c.section == section]


@pytest.fixture(scope="module")
def gd2022_to_gd2024() -> list[Change]:
    return diff_editions(get_edition("gd2022"), get_edition("gd2024"))


# --- the shipped editions -------------------------------------------------------------------------------------


def test_every_section_has_a_comparison_and_a_name() -> None:
    assert list(_COMPARISONS) == list(SECTIONS)
    assert all(name.nl and name.en for name in SECTIONS.values())


def test_gd2022_to_gd2024_changes_identity_dates_tally_labels_prize_and_closings(
    gd2022_to_gd2024: list[Change],
) -> None:
    changes = gd2022_to_gd2024
    assert keys(changes, "identity") == [("key", CHANGED), ("title", CHANGED), ("year", CHANGED)]
    assert keys(changes, "timeline") == [
        (m, CHANGED)
        for m in ("registration_opens", "registration_closes", "round1_decided", "evidence_due", "round2_decided",
                  "winners_announced", "award_ceremony")
    ]
    # gd2024 maps every provider to the canonical names; gd2022 mapped Tally to Dutch labels
    dutch = get_edition("gd2022").field_map("tally")
    assert keys(changes, "field_map") == [(f"tally.{field}", CHANGED) for field, name in dutch.items() if name != field]
    assert keys(changes, "special_prizes") == [("actualiteitstrofee", REMOVED)]
    assert keys(changes, "feedback_closing") == [("round1.advanced", CHANGED), ("round2.advanced", CHANGED)]
    unchanged = {
        "categories", "criteria_round1", "criteria_round2", "criteria_round3", "round1_rules", "registration_checks",
        "conflicts_of_interest", "evidence_fields", "interview_guide", "assessment_rules", "finalist_rule",
        "jury_rule",
    }
    assert {c.section for c in changes} & unchanged == set()


def test_gd2022_to_gd2024_values_are_the_editions_own(gd2022_to_gd2024: list[Change]) -> None:
    by_key = {(c.section, c.key): c for c in gd2022_to_gd2024}
    prize = by_key["special_prizes", "actualiteitstrofee"]
    assert prize.old == get_edition("gd2022").special_prizes[0] and prize.new is None
    opens = by_key["timeline", "registration_opens"]
    assert (opens.old, opens.new) == (get_edition("gd2022").timeline.registration_opens,
                                      get_edition("gd2024").timeline.registration_opens)
    assert by_key["field_map", "tally.title"].old == "Naam van het initiatief"
    assert by_key["field_map", "tally.title"].new == "title"


def test_gd2022_to_gd2024_assumptions_by_wording(gd2022_to_gd2024: list[Change]) -> None:
    before, after = get_edition("gd2022").info.assumptions, get_edition("gd2024").info.assumptions
    removed = [c.old for c in gd2022_to_gd2024 if c.section == "assumptions" and c.change == REMOVED]
    added = [c.new for c in gd2022_to_gd2024 if c.section == "assumptions" and c.change == ADDED]
    assert removed == [a for a in before if a not in after]
    assert added == [a for a in after if a not in before]
    assert set(defaults.ASSUMPTIONS).isdisjoint(removed + added), "both keep the defaults"


def test_the_reverse_diff_mirrors_the_forward_one(gd2022_to_gd2024: list[Change]) -> None:
    backward = diff_editions(get_edition("gd2024"), get_edition("gd2022"))
    mirrored = {ADDED: REMOVED, REMOVED: ADDED, CHANGED: CHANGED}
    forward = {(c.section, c.change, c.old, c.new) for c in gd2022_to_gd2024 if c.section != "assumptions"}
    assert forward == {
        (c.section, mirrored[c.change], c.new, c.old) for c in backward if c.section != "assumptions"
    }


@pytest.mark.parametrize("name", ["gd2022", "gd2024"])
def test_an_edition_compared_with_itself_has_no_differences(name: str) -> None:
    assert diff_editions(get_edition(name), get_edition(name)) == []
    # a second, separately built manager of the same edition too: records are compared by value
    assert diff_editions(get_edition(name), with_plugin(name)) == []
    assert render([], "nl") == ["geen verschillen"]
    assert render([], "en") == ["no differences"]


def test_changes_are_json_ready(gd2022_to_gd2024: list[Change]) -> None:
    rows = json.loads(json.dumps([c.as_dict() for c in gd2022_to_gd2024]))
    assert all(set(row) == {"section", "key", "change", "old", "new"} for row in rows)
    opens = next(r for r in rows if r["key"] == "registration_opens")
    assert opens["old"] == "2021-11-01T00:00:00+01:00" and opens["new"] == "2023-09-01T00:00:00+02:00"
    prize = next(r for r in rows if r["section"] == "special_prizes")
    assert prize["new"] is None
    assert prize["old"]["key"] == "actualiteitstrofee"
    assert prize["old"]["label"] == {"nl": "Actualiteitstrofee", "en": "Topicality trophy"}


# --- made-up editions: exactly what was changed shows ---------------------------------------------------------


class Round1Criteria:
    """Answers round 1 with the defaults' main criteria passed through ``change``."""

    def __init__(self, change: object) -> None:
        self.change = change

    @hookimpl
    def gd_criteria(self, round: int) -> Sequence[Criterion] | None:
        return self.change(defaults.MAIN_CRITERIA) if round == 1 else None  # type: ignore[operator]


def test_one_changed_criterion_scale_is_exactly_one_change() -> None:
    def one_to_five(criteria: Sequence[Criterion]) -> list[Criterion]:
        return [replace(c, scale_max=5) if c.key == "succesvol" else c for c in criteria]

    changes = diff_editions(get_edition("gd2024"), with_plugin("gd2024", Round1Criteria(one_to_five)))
    assert changes == [Change("criteria_round1", "succesvol.scale", CHANGED, Scale(1, 10), Scale(1, 5))]
    assert render(changes, "en")[4] == "round-1 criteria: 1 change"
    assert "  ~ succesvol.scale: 1-10 -> 1-5" in render(changes, "en")
    assert changes[0].as_dict()["new"] == {"min": 1, "max": 5}


def test_an_added_and_a_removed_criterion_and_a_new_weight() -> None:
    extra = Criterion("lef", Text("Lef", "Daring"), Text("Durft het initiatief iets nieuws?"))

    def changed(criteria: Sequence[Criterion]) -> list[Criterion]:
        kept = [replace(c, weight=2.0) if c.key == "waardevol" else c for c in criteria if c.key != "herbruikbaar"]
        return [*kept, extra]

    changes = diff_editions(get_edition("gd2024"), with_plugin("gd2024", Round1Criteria(changed)))
    assert keys(changes, "criteria_round1") == [
        ("waardevol.weight", CHANGED), ("herbruikbaar", REMOVED), ("lef", ADDED)
    ]
    assert len(changes) == 3
    lines = render(changes, "nl")
    assert "  ~ waardevol.weight: 1 -> 2" in lines
    assert "  - herbruikbaar: Herbruikbaar" in lines
    assert "  + lef: Lef" in lines


class ReorderedCategories:
    @hookimpl
    def gd_categories(self) -> Sequence[Category]:
        direct, indirect = get_edition("gd2022").categories
        return (indirect, replace(direct, label=Text("Direct", "Immediate")))


def test_reordered_categories_and_a_change_only_in_english() -> None:
    changes = diff_editions(get_edition("gd2024"), with_plugin("gd2024", ReorderedCategories()))
    assert keys(changes, "categories") == [("direct.label", CHANGED), ("(order)", CHANGED)]
    lines = render(changes, "nl")
    # the Dutch wording is the same, so both languages are shown to make the change visible
    assert "  ~ direct.label: Direct / Direct -> Direct / Immediate" in lines
    assert "  ~ (order): direct, indirect -> indirect, direct" in lines
    assert "  ~ direct.label: Direct -> Immediate" in render(changes, "en")


class ExtraConflictRule:
    @hookimpl
    def gd_conflicts_of_interest(self) -> Sequence[str]:
        """A scorer who advised an entrant in the last year does not rate it."""
        return []


def test_a_conflict_rule_is_shown_by_the_plugin_that_adds_it() -> None:
    changes = diff_editions(get_edition("gd2024"), with_plugin("gd2024", ExtraConflictRule()))
    assert changes == [
        Change("conflicts_of_interest", "ExtraConflictRule", ADDED,
               new="A scorer who advised an entrant in the last year does not rate it.")
    ]


class ScoringJury:
    @hookimpl
    def gd_jury_rule(self) -> object:
        from gemeentedelers.plugins.api import JuryRule

        return JuryRule(method="mean_score", tie_break="none")

    @hookimpl
    def gd_criteria(self, round: int) -> Sequence[Criterion] | None:
        return defaults.MAIN_CRITERIA if round == 3 else None


def test_a_jury_that_scores_shows_its_rule_and_round3_criteria() -> None:
    changes = diff_editions(get_edition("gd2024"), with_plugin("gd2024", ScoringJury()))
    assert keys(changes, "jury_rule") == [("method", CHANGED), ("tie_break", CHANGED)]
    assert keys(changes, "criteria_round3") == [(c.key, ADDED) for c in defaults.MAIN_CRITERIA]
    assert "  ~ method: borda -> mean_score" in render(changes)


# --- how a person reads it ------------------------------------------------------------------------------------


def test_render_lists_every_section_with_its_count_in_dutch_by_default(gd2022_to_gd2024: list[Change]) -> None:
    lines = render(gd2022_to_gd2024)
    headers = [line for line in lines if not line.startswith("  ")]
    assert [h.split(":")[0] for h in headers] == [name.nl for name in SECTIONS.values()]
    assert "tijdlijn: 7 wijzigingen" in headers
    assert "categorieën: 0 wijzigingen" in headers
    assert "bijzondere prijzen: 1 wijziging" in headers
    assert "  - actualiteitstrofee: Actualiteitstrofee" in lines
    assert "  ~ registration_opens: 1 november 2021 00:00 -> 1 september 2023 00:00" in lines
    assert "  ~ winners_announced: 8 juni 2022 14:00 -> 21 juni 2024 10:00" in lines


def test_render_in_english(gd2022_to_gd2024: list[Change]) -> None:
    lines = render(gd2022_to_gd2024, "en")
    assert "timeline: 7 changes" in lines
    assert "special prizes: 1 change" in lines
    assert "jury rule: 0 changes" in lines
    assert "  - actualiteitstrofee: Topicality trophy" in lines
    assert "  ~ registration_opens: 1 November 2021 00:00 -> 1 September 2023 00:00" in lines


def test_moments_are_shown_in_amsterdam_time() -> None:
    assert show(datetime(2023, 11, 30, 23, tzinfo=UTC)) == "1 december 2023 00:00"
    assert show(datetime(2024, 6, 21, 8, tzinfo=UTC), "en") == "21 June 2024 10:00"


def test_values_are_shown_on_one_line() -> None:
    assert show(True) == "ja" and show(False, "en") == "no"
    assert show(None) == "—" and show(()) == "—" and show({}) == "—"
    assert show({"direct": 10, "indirect": 10}) == "direct: 10, indirect: 10"
    assert show((5, 3, 1)) == "5, 3, 1"
    assert show(1.0) == "1" and show(2.5) == "2.5"
    assert show(Text("Dromen", "Dream"), "en") == "Dream"
    assert show(Text("Dromen"), "en") == "Dromen"


# --- the command ----------------------------------------------------------------------------------------------


def test_cli_prints_the_diff_grouped_by_section() -> None:
    result = CliRunner().invoke(main, ["edition", "diff", "gd2022", "gd2024"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "GemeenteDelers 2022 (gd2022) -> GemeenteDelers 2024 (gd2024)"
    assert "tijdlijn: 7 wijzigingen" in lines
    assert "juryregel: 0 wijzigingen" in lines
    assert "  - actualiteitstrofee: Actualiteitstrofee" in lines
    assert "  ~ tally.title: Naam van het initiatief -> title" in lines


def test_cli_in_english() -> None:
    result = CliRunner().invoke(main, ["edition", "diff", "gd2022", "gd2024", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "timeline: 7 changes" in result.output
    assert "  - actualiteitstrofee: Topicality trophy" in result.output


def test_cli_json_is_a_list_of_changes() -> None:
    result = CliRunner().invoke(main, ["edition", "diff", "gd2022", "gd2024", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows == [c.as_dict() for c in diff_editions(get_edition("gd2022"), get_edition("gd2024"))]
    assert {"section": "special_prizes", "key": "actualiteitstrofee", "change": "removed"}.items() <= next(
        r for r in rows if r["section"] == "special_prizes"
    ).items()


def test_cli_an_edition_with_itself_has_no_differences() -> None:
    result = CliRunner().invoke(main, ["edition", "diff", "gd2024", "gd2024"])
    assert result.exit_code == 0
    assert result.output.splitlines()[1:] == ["geen verschillen"]
    result = CliRunner().invoke(main, ["edition", "diff", "gd2024", "gd2024", "--json"])
    assert json.loads(result.output) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["gd2022", "gd1999"], "onbekende editie 'gd1999'; geïnstalleerd: "),
        (["gd1999", "gd2024", "--lang", "en"], "unknown edition 'gd1999'; installed: "),
        (["gd1999", "gd2024", "--json"], "onbekende editie 'gd1999'"),
    ],
)
def test_cli_an_unknown_edition_is_a_clear_error_listing_the_installed_ones(args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["edition", "diff", *args])
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert message in result.output
    installed = result.output.strip().rsplit(": ", 1)[-1].split(", ")
    assert {"gd2022", "gd2024"} <= set(installed)
    assert "Traceback" not in result.output

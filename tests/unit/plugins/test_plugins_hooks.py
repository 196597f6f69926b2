"""A test per hook: what each hook answers, and in which order editions, their bases and the defaults answer.

Every test builds a fresh plugin manager from the specs and the defaults, with editions defined right here
as classes, registered base first as ``build_plugin_manager`` does.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

import pluggy
import pytest
from gemeentedelers.plugins import defaults
from gemeentedelers.plugins.api import (
    REGISTRATION_FIELDS,
    Category,
    Criterion,
    EditionInfo,
    FieldError,
    Round1Rules,
    Text,
    Timeline,
    hookimpl,
)

from gemeentedelers.editions import Edition, EditionConfigError

MakePM = Callable[..., pluggy.PluginManager]
NL = ZoneInfo("Europe/Amsterdam")
CATEGORIES = (
    Category("direct", Text("Direct", "Direct"), Text("Meteen merkbaar.", "Noticeable at once.")),
    Category("indirect", Text("Indirect", "Indirect"), Text("Later merkbaar.", "Noticeable later.")),
)
INFO = EditionInfo(key="gd2030", title=Text("GemeenteDelers 2030"), year=2030)


def timeline_for(year: int) -> Timeline:
    return Timeline(
        registration_opens=datetime(year - 1, 9, 1, tzinfo=NL),
        registration_closes=datetime(year - 1, 12, 1, tzinfo=NL),
        round1_decided=datetime(year, 1, 9, 12, tzinfo=NL),
        round2_decided=datetime(year, 4, 15, 12, tzinfo=NL),
        winners_announced=datetime(year, 6, 21, 10, tzinfo=NL),
        award_ceremony=datetime(year, 6, 26, 14, tzinfo=NL),
    )


def criterion(key: str) -> Criterion:
    return Criterion(key=key, label=Text(key.title()), description=Text(f"Over {key}."))


class Base:
    """Last year's edition: it answers everything an edition must."""

    @hookimpl
    def gd_edition_info(self) -> EditionInfo:
        return EditionInfo(key="gd2029", title=Text("GemeenteDelers 2029"), year=2029)

    @hookimpl
    def gd_timeline(self) -> Timeline:
        return timeline_for(2029)

    @hookimpl
    def gd_categories(self) -> Sequence[Category]:
        return CATEGORIES


class Extending:
    """This year's edition: a new identity and dates, everything else from ``Base``."""

    @hookimpl
    def gd_edition_info(self) -> EditionInfo:
        return INFO

    @hookimpl
    def gd_timeline(self, info: EditionInfo) -> Timeline:
        return timeline_for(info.year)


# --- gd_edition_info ------------------------------------------------------------------------------------------


def test_gd_edition_info_is_answered_by_the_newest_edition(make_pm: MakePM) -> None:
    pm = make_pm(Base(), Extending())
    assert pm.hook.gd_edition_info() == INFO


def test_gd_edition_info_has_no_default(make_pm: MakePM) -> None:
    pm = make_pm()
    assert pm.hook.gd_edition_info() is None
    with pytest.raises(EditionConfigError, match="does not implement gd_edition_info"):
        _ = Edition("gd2030", pm).info


def test_gd_edition_info_key_must_be_the_edition_name(make_pm: MakePM) -> None:
    with pytest.raises(EditionConfigError, match="calls itself 'gd2029'"):
        _ = Edition("gd2030", make_pm(Base())).info


# --- gd_timeline ----------------------------------------------------------------------------------------------


def test_gd_timeline_edition_overrides_base_and_gets_info(make_pm: MakePM) -> None:
    pm = make_pm(Base(), Extending())
    assert pm.hook.gd_timeline(info=INFO) == timeline_for(2030)
    assert make_pm(Base()).hook.gd_timeline(info=INFO) == timeline_for(2029)


def test_gd_timeline_has_no_default(make_pm: MakePM) -> None:
    assert make_pm().hook.gd_timeline(info=INFO) is None


def test_gd_timeline_implementation_with_an_unknown_parameter_is_refused(make_pm: MakePM) -> None:
    class Wrong:
        @hookimpl
        def gd_timeline(self, year: int) -> Timeline:
            return timeline_for(year)

    with pytest.raises(pluggy.PluginValidationError, match="year"):
        make_pm(Wrong())


# --- gd_categories --------------------------------------------------------------------------------------------


def test_gd_categories_are_inherited_from_the_base_edition(make_pm: MakePM) -> None:
    pm = make_pm(Base(), Extending())
    assert pm.hook.gd_categories(info=INFO) == CATEGORIES


def test_gd_categories_none_defers_but_an_empty_answer_wins(make_pm: MakePM) -> None:
    class Defers:
        @hookimpl
        def gd_categories(self) -> None:
            return None

    class Empties:
        @hookimpl
        def gd_categories(self) -> Sequence[Category]:
            return []

    assert make_pm(Base(), Defers()).hook.gd_categories(info=INFO) == CATEGORIES
    assert make_pm(Base(), Empties()).hook.gd_categories(info=INFO) == []
    with pytest.raises(EditionConfigError, match="no categories"):
        _ = Edition("gd2029", make_pm(Base(), Empties())).categories


def test_gd_categories_with_a_repeated_key_are_refused(make_pm: MakePM) -> None:
    class Twice:
        @hookimpl
        def gd_categories(self) -> Sequence[Category]:
            return [CATEGORIES[0], replace(CATEGORIES[1], key="direct")]

    with pytest.raises(EditionConfigError, match="repeats a category key"):
        _ = Edition("gd2029", make_pm(Base(), Twice())).categories


# --- gd_criteria ----------------------------------------------------------------------------------------------


def test_gd_criteria_order_is_edition_then_base_then_defaults(make_pm: MakePM) -> None:
    class BaseCriteria(Base):
        @hookimpl
        def gd_criteria(self, round: int) -> Sequence[Criterion] | None:
            return [criterion(f"base{round}")] if round in (2, 3) else None

    class EditionCriteria(Extending):
        @hookimpl
        def gd_criteria(self, round: int) -> Sequence[Criterion] | None:
            return [criterion("lef")] if round == 3 else None

    pm = make_pm(BaseCriteria(), EditionCriteria())
    answers = {n: [c.key for c in pm.hook.gd_criteria(info=INFO, round=n)] for n in (1, 2, 3)}
    assert answers == {1: ["succesvol", "waardevol", "herbruikbaar"], 2: ["base2"], 3: ["lef"]}


def test_gd_criteria_defaults_are_trylast_even_when_registered_after_an_edition(make_pm: MakePM) -> None:
    class Round1:
        @hookimpl
        def gd_criteria(self, round: int) -> Sequence[Criterion] | None:
            return [criterion("inclusief")] if round == 1 else None

    pm = make_pm(Round1(), with_defaults=False)
    pm.register(defaults, name="defaults")
    assert [c.key for c in pm.hook.gd_criteria(info=INFO, round=1)] == ["inclusief"]


def test_gd_criteria_defaults_answer_round_1_only(make_pm: MakePM) -> None:
    pm = make_pm(Base(), Extending())
    criteria = pm.hook.gd_criteria(info=INFO, round=1)
    assert [(c.key, c.scale_min, c.scale_max, c.weight) for c in criteria] == [
        ("succesvol", 1, 10, 1.0),
        ("waardevol", 1, 10, 1.0),
        ("herbruikbaar", 1, 10, 1.0),
    ]
    assert pm.hook.gd_criteria(info=INFO, round=2) is None
    assert Edition("gd2030", pm).criteria(3) == ()


# --- gd_registration_field_map --------------------------------------------------------------------------------


def test_gd_registration_field_map_default_maps_every_field_to_itself(make_pm: MakePM) -> None:
    pm = make_pm()
    for provider in ("typeform", "tally", "generic"):
        assert pm.hook.gd_registration_field_map(info=INFO, provider=provider) == {
            name: name for name in REGISTRATION_FIELDS
        }


def test_gd_registration_field_map_edition_overrides_per_provider(make_pm: MakePM) -> None:
    class DutchTally(Base):
        @hookimpl
        def gd_registration_field_map(self, provider: str) -> Mapping[str, str] | None:
            return {"municipality": "Gemeente"} if provider == "tally" else None

    class TypeformRefs(Extending):
        @hookimpl
        def gd_registration_field_map(self, provider: str) -> Mapping[str, str] | None:
            return {"contact_email": "email_ref"} if provider == "typeform" else None

    pm = make_pm(DutchTally(), TypeformRefs())
    assert pm.hook.gd_registration_field_map(info=INFO, provider="typeform") == {"contact_email": "email_ref"}
    assert pm.hook.gd_registration_field_map(info=INFO, provider="tally") == {"municipality": "Gemeente"}
    assert pm.hook.gd_registration_field_map(info=INFO, provider="generic")["municipality"] == "municipality"


# --- gd_validate_registration ---------------------------------------------------------------------------------


class LongDescription(Base):
    @hookimpl
    def gd_validate_registration(self, registration: Mapping[str, object]) -> Sequence[FieldError]:
        too_long = len(str(registration.get("description", ""))) > 10
        return [FieldError("description", Text("Te lang.", "Too long."))] if too_long else []


class NeedsPhone(Extending):
    @hookimpl
    def gd_validate_registration(self, info: EditionInfo, registration: Mapping[str, object]) -> Sequence[FieldError]:
        assert info == INFO
        return [] if registration.get("contact_phone") else [FieldError("contact_phone", Text("Verplicht."))]


REGISTRATION = {"municipality": "Utrecht", "co_applicants": ["utrecht "], "description": "Veel te lang verhaal."}


def test_gd_validate_registration_asks_the_defaults_the_base_and_the_edition(make_pm: MakePM) -> None:
    pm = make_pm(LongDescription(), NeedsPhone())
    answers = pm.hook.gd_validate_registration(info=INFO, registration=REGISTRATION)
    # one answer per plugin, newest first: the edition, the base it extends, the defaults
    assert [[e.field for e in errors] for errors in answers] == [["contact_phone"], ["description"], ["co_applicants"]]


def test_gd_validate_registration_an_extending_edition_cannot_replace_the_base_rule(make_pm: MakePM) -> None:
    class Lenient(Extending):
        @hookimpl
        def gd_validate_registration(self) -> Sequence[FieldError]:
            return []

    fields = [
        e.field
        for e in Edition("gd2030", make_pm(LongDescription(), Lenient())).validate_registration(
            {"municipality": "Utrecht", "description": "Veel te lang verhaal."}
        )
    ]
    assert fields == ["description"]


def test_gd_validate_registration_a_wrapper_can_filter_inherited_results(make_pm: MakePM) -> None:
    """The last resort docs/plugin_hooks.md describes for dropping an inherited check."""

    class DropsDescriptionRule(Extending):
        @hookimpl(wrapper=True)
        def gd_validate_registration(self):  # type: ignore[no-untyped-def]
            per_plugin = yield
            return [[e for e in errors if e.field != "description"] for errors in per_plugin]

    edition = Edition("gd2030", make_pm(LongDescription(), DropsDescriptionRule()))
    assert edition.validate_registration({"municipality": "Utrecht", "description": "Veel te lang verhaal."}) == []


@pytest.mark.parametrize(
    ("co_applicants", "expected"),
    [
        ([], []),
        (["Zeist", "Amersfoort"], []),
        ([" UTRECHT"], ["A municipality cannot be a co-applicant of its own entry."]),
        (["Zeist", "zeist "], ["'zeist ' is listed twice."]),
    ],
)
def test_gd_validate_registration_default_rule_on_co_applicants(
    make_pm: MakePM, co_applicants: list[str], expected: list[str]
) -> None:
    (answer,) = make_pm().hook.gd_validate_registration(
        info=INFO, registration={"municipality": "Utrecht", "co_applicants": co_applicants}
    )
    assert [(e.field, e.message.get("en")) for e in answer] == [("co_applicants", m) for m in expected]


# --- gd_round1_rules ------------------------------------------------------------------------------------------


def test_gd_round1_rules_default_is_the_seeds_top_20(make_pm: MakePM) -> None:
    rules = make_pm(Base(), Extending()).hook.gd_round1_rules(info=INFO)
    assert rules == Round1Rules()
    assert (rules.ratings_per_entry, rules.first_wave, rules.advance, rules.category_quotas) == (5, 3, 20, ())


def test_gd_round1_rules_edition_over_base_over_defaults(make_pm: MakePM) -> None:
    class BaseRules(Base):
        @hookimpl
        def gd_round1_rules(self) -> Round1Rules:
            return Round1Rules(ratings_per_entry=7)

    class EditionRules(Extending):
        @hookimpl
        def gd_round1_rules(self, info: EditionInfo) -> Round1Rules | None:
            return Round1Rules(advance=10) if info.year >= 2030 else None

    assert make_pm(BaseRules()).hook.gd_round1_rules(info=INFO).ratings_per_entry == 7
    assert make_pm(BaseRules(), EditionRules()).hook.gd_round1_rules(info=INFO) == Round1Rules(advance=10)
    older = replace(INFO, year=2029)
    assert make_pm(BaseRules(), EditionRules()).hook.gd_round1_rules(info=older).ratings_per_entry == 7


def test_gd_round1_rules_quotas_must_name_the_editions_categories(make_pm: MakePM) -> None:
    class Quotas(Extending):
        @hookimpl
        def gd_round1_rules(self) -> Round1Rules:
            return Round1Rules(advance=20, category_quotas=(("direct", 10), ("digitaal", 10)))

    with pytest.raises(EditionConfigError, match=r"quotas for unknown categories: \['digitaal'\]"):
        _ = Edition("gd2030", make_pm(Base(), Quotas())).round1_rules


# --- gd_conflicts_of_interest ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("organisation", "entry", "expected"),
    [
        ("Zeist", {"municipality": "Utrecht", "co_applicants": []}, []),
        (" utrecht", {"municipality": "Utrecht", "co_applicants": []}, ["own organisation"]),
        ("Zeist", {"municipality": "Utrecht", "co_applicants": ["ZEIST"]}, ["own organisation is a co-applicant"]),
        ("VNG", {"municipality": "Utrecht"}, []),
    ],
)
def test_gd_conflicts_of_interest_default_own_organisation(
    make_pm: MakePM, organisation: str, entry: dict[str, object], expected: list[str]
) -> None:
    edition = Edition("gd2030", make_pm(Base(), Extending()))
    assert edition.conflicts_of_interest({"name": "Sanne", "organisation": organisation}, entry) == expected


def test_gd_conflicts_of_interest_collects_reasons_from_every_plugin(make_pm: MakePM) -> None:
    class SameRegion(Base):
        @hookimpl
        def gd_conflicts_of_interest(self, scorer: Mapping[str, object]) -> Sequence[str]:
            return ["same region"] if scorer.get("organisation") == "Utrecht" else []

    class Sponsor(Extending):
        @hookimpl
        def gd_conflicts_of_interest(self, info: EditionInfo, scorer: Mapping[str, object]) -> Sequence[str]:
            return ["sponsor"] if scorer.get("background") == "sponsor" else []

    edition = Edition("gd2030", make_pm(SameRegion(), Sponsor()))
    scorer = {"organisation": "Utrecht", "background": "sponsor"}
    assert edition.conflicts_of_interest(scorer, {"municipality": "Utrecht"}) == [
        "sponsor",
        "same region",
        "own organisation",
    ]

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
    AI_PHASES,
    REGISTRATION_FIELDS,
    AssessmentRules,
    Category,
    Criterion,
    EditionInfo,
    EvidenceField,
    FieldError,
    FinalistRule,
    InterviewGuide,
    InterviewSection,
    JuryRule,
    Round1Rules,
    SpecialPrize,
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


def test_gd_criteria_defaults_answer_rounds_1_and_2_only(make_pm: MakePM) -> None:
    pm = make_pm(Base(), Extending())
    criteria = pm.hook.gd_criteria(info=INFO, round=1)
    assert [(c.key, c.scale_min, c.scale_max, c.weight) for c in criteria] == [
        ("succesvol", 1, 10, 1.0),
        ("waardevol", 1, 10, 1.0),
        ("herbruikbaar", 1, 10, 1.0),
    ]
    assert pm.hook.gd_criteria(info=INFO, round=3) is None
    assert Edition("gd2030", pm).criteria(3) == ()


def test_gd_criteria_default_round_2_is_the_extended_set_of_the_2021_jury_text(make_pm: MakePM) -> None:
    criteria = make_pm(Base(), Extending()).hook.gd_criteria(info=INFO, round=2)
    assert [(c.key, c.scale_min, c.scale_max, c.weight) for c in criteria] == [
        ("succesvol", 1, 10, 2.0),
        ("waardevol", 1, 10, 2.0),
        ("herbruikbaar", 1, 10, 2.0),
        ("inclusief", 1, 10, 1.0),
        ("lef", 1, 10, 1.0),
        ("menselijke_maat", 1, 10, 1.0),
        ("samenwerking", 1, 10, 1.0),
    ]
    assert all(c.label.en and c.description.en and c.scale_labels for c in criteria)
    # the main three are refined for round 2: their explanation asks for evidence, unlike round 1's
    round1 = {c.key: c for c in make_pm().hook.gd_criteria(info=INFO, round=1)}
    assert all(c.description != round1[c.key].description for c in criteria if c.key in round1)


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


# --- gd_evidence_fields ---------------------------------------------------------------------------------------


def test_gd_evidence_fields_default_are_the_four_the_2024_page_names_and_document_links(make_pm: MakePM) -> None:
    fields = make_pm(Base(), Extending()).hook.gd_evidence_fields(info=INFO)
    assert [(f.key, f.kind, f.required) for f in fields] == [
        ("resultaten", "long_text", True),
        ("aanpak", "long_text", True),
        ("belanghebbenden", "long_text", True),
        ("herbruikbaarheid", "long_text", True),
        ("documenten", "url_list", False),
    ]
    assert all(f.label.en and f.guidance.nl and f.guidance.en for f in fields)
    assert {f.max_chars for f in fields if f.kind == "long_text"} == {3000}


def test_gd_evidence_fields_edition_replaces_the_base_and_the_defaults(make_pm: MakePM) -> None:
    costs = EvidenceField("kosten", Text("Kosten", "Costs"), Text("Eenmalig en per jaar."), kind="text")

    class BaseEvidence(Base):
        @hookimpl
        def gd_evidence_fields(self) -> Sequence[EvidenceField]:
            return [*defaults.EVIDENCE_FIELDS, costs]

    class EditionEvidence(Extending):
        @hookimpl
        def gd_evidence_fields(self, info: EditionInfo) -> Sequence[EvidenceField] | None:
            return [costs] if info.year >= 2030 else None

    assert [f.key for f in make_pm(BaseEvidence()).hook.gd_evidence_fields(info=INFO)][-1] == "kosten"
    assert make_pm(BaseEvidence(), EditionEvidence()).hook.gd_evidence_fields(info=INFO) == [costs]
    older = replace(INFO, year=2029)
    assert len(make_pm(BaseEvidence(), EditionEvidence()).hook.gd_evidence_fields(info=older)) == 6


@pytest.mark.parametrize(
    ("answer", "message"),
    [([], "asks for no round-2 evidence"), ("twice", "repeats evidence field keys")],
)
def test_gd_evidence_fields_empty_or_repeated_keys_are_refused(make_pm: MakePM, answer: object, message: str) -> None:
    fields = [] if answer == [] else [defaults.EVIDENCE_FIELDS[0], defaults.EVIDENCE_FIELDS[0]]

    class Broken(Extending):
        @hookimpl
        def gd_evidence_fields(self) -> Sequence[EvidenceField]:
            return fields

    with pytest.raises(EditionConfigError, match=message):
        _ = Edition("gd2030", make_pm(Base(), Broken())).evidence_fields


# --- gd_interview_guide ---------------------------------------------------------------------------------------


def test_gd_interview_guide_default_is_waarderend_onderzoek_along_the_4d_cycle(make_pm: MakePM) -> None:
    guide = make_pm(Base(), Extending()).hook.gd_interview_guide(info=INFO)
    assert guide is defaults.INTERVIEW_GUIDE
    assert [s.phase for s in guide.sections] == list(AI_PHASES)
    assert "Waarderend Onderzoek" in guide.title.nl and "ontdekken, dromen, ontwerpen en doen" in guide.intro.nl
    assert all(q.nl.endswith("?") and q.en.endswith("?") for p in AI_PHASES for q in guide.questions(p))


def test_gd_interview_guide_edition_overrides_the_defaults(make_pm: MakePM) -> None:
    own = InterviewGuide(
        Text("Gespreksleidraad 2030"),
        Text("Kort gesprek."),
        tuple(InterviewSection(p, Text(p.title()), (Text(f"Vraag over {p}?"),)) for p in AI_PHASES),
    )

    class OwnGuide(Extending):
        @hookimpl
        def gd_interview_guide(self) -> InterviewGuide:
            return own

    assert Edition("gd2030", make_pm(Base(), OwnGuide())).interview_guide is own


def test_gd_interview_guide_is_required(make_pm: MakePM) -> None:
    with pytest.raises(EditionConfigError, match="has no interview guide"):
        _ = Edition("gd2030", make_pm(Base(), Extending(), with_defaults=False)).interview_guide


# --- gd_assessment_rules --------------------------------------------------------------------------------------


def test_gd_assessment_rules_default_teams_of_three_at_least_two(make_pm: MakePM) -> None:
    rules = make_pm(Base(), Extending()).hook.gd_assessment_rules(info=INFO)
    assert rules == AssessmentRules()
    assert (rules.team_size, rules.min_team_size, rules.max_cases_per_assessor, rules.sign_off_by_all) == (
        3,
        2,
        4,
        True,
    )
    assert [o.key for o in rules.recommendations] == ["finalist", "twijfel", "geen_finalist"]


def test_gd_assessment_rules_edition_over_base_over_defaults(make_pm: MakePM) -> None:
    class BaseRules(Base):
        @hookimpl
        def gd_assessment_rules(self) -> AssessmentRules:
            return AssessmentRules(team_size=2, min_team_size=2)

    class EditionRules(Extending):
        @hookimpl
        def gd_assessment_rules(self) -> None:
            return None  # keeps last year's

    edition = Edition("gd2030", make_pm(BaseRules(), EditionRules()))
    assert (edition.assessment_rules.team_size, edition.assessment_rules.max_cases_per_assessor) == (2, 4)
    with pytest.raises(EditionConfigError, match="has no assessment rules"):
        _ = Edition("gd2030", make_pm(Base(), Extending(), with_defaults=False)).assessment_rules


# --- gd_finalist_rule -----------------------------------------------------------------------------------------


def test_gd_finalist_rule_default_three_per_category_by_ranked_votes(make_pm: MakePM) -> None:
    rule = Edition("gd2030", make_pm(Base(), Extending())).finalist_rule
    assert rule == FinalistRule()
    assert [rule.count(c.key) for c in CATEGORIES] == [3, 3]
    assert (rule.method, rule.tie_break) == ("ranked_votes", "report_score")


def test_gd_finalist_rule_edition_counts_per_category(make_pm: MakePM) -> None:
    class Counts(Extending):
        @hookimpl
        def gd_finalist_rule(self) -> FinalistRule:
            return FinalistRule(finalists_per_category=4, category_counts=(("indirect", 2),), method="approval")

    rule = Edition("gd2030", make_pm(Base(), Counts())).finalist_rule
    assert (rule.count("direct"), rule.count("indirect"), rule.method) == (4, 2, "approval")


def test_gd_finalist_rule_counts_must_name_the_editions_categories(make_pm: MakePM) -> None:
    class Unknown(Extending):
        @hookimpl
        def gd_finalist_rule(self) -> FinalistRule:
            return FinalistRule(category_counts=(("digitaal", 2),))

    with pytest.raises(EditionConfigError, match=r"finalists of unknown categories: \['digitaal'\]"):
        _ = Edition("gd2030", make_pm(Base(), Unknown())).finalist_rule


# --- gd_jury_rule ---------------------------------------------------------------------------------------------


def test_gd_jury_rule_default_is_borda_with_the_chair_breaking_ties(make_pm: MakePM) -> None:
    rule = make_pm(Base(), Extending()).hook.gd_jury_rule(info=INFO)
    assert rule == JuryRule() and (rule.method, rule.points, rule.tie_break) == ("borda", (), "chair")


def test_gd_jury_rule_edition_overrides_with_a_points_table(make_pm: MakePM) -> None:
    class Points(Extending):
        @hookimpl
        def gd_jury_rule(self) -> JuryRule:
            return JuryRule(method="points", points=(5, 3, 1))

    assert Edition("gd2030", make_pm(Base(), Points())).jury_rule.points == (5, 3, 1)


def test_gd_jury_rule_mean_score_needs_round_3_criteria(make_pm: MakePM) -> None:
    class Scores(Extending):
        @hookimpl
        def gd_jury_rule(self) -> JuryRule:
            return JuryRule(method="mean_score")

    class ScoresWithCriteria(Scores):
        @hookimpl
        def gd_criteria(self, round: int) -> Sequence[Criterion] | None:
            return [criterion("presentatie")] if round == 3 else None

    with pytest.raises(EditionConfigError, match="a jury that scores needs round-3 criteria"):
        Edition("gd2030", make_pm(Base(), Scores())).check()
    edition = Edition("gd2030", make_pm(Base(), ScoresWithCriteria()))
    edition.check()
    assert edition.jury_rule.method == "mean_score"


# --- gd_special_prizes ----------------------------------------------------------------------------------------

TROPHY = SpecialPrize("actualiteitstrofee", Text("Actualiteitstrofee", "Topicality trophy"), Text("Actueel."))


class BaseWithTrophy(Base):
    @hookimpl
    def gd_special_prizes(self) -> Sequence[SpecialPrize]:
        return [TROPHY]


def test_gd_special_prizes_none_by_default(make_pm: MakePM) -> None:
    pm = make_pm(Base(), Extending())
    assert pm.hook.gd_special_prizes(info=INFO) is None
    assert Edition("gd2030", pm).special_prizes == ()


def test_gd_special_prizes_first_result_inherits_or_drops_the_bases_prizes(make_pm: MakePM) -> None:
    class Drops(Extending):
        @hookimpl
        def gd_special_prizes(self) -> Sequence[SpecialPrize]:
            return []

    class Adds(Extending):
        @hookimpl
        def gd_special_prizes(self) -> Sequence[SpecialPrize]:
            return [TROPHY, replace(TROPHY, key="publieksprijs", label=Text("Publieksprijs"))]

    assert Edition("gd2030", make_pm(BaseWithTrophy(), Extending())).special_prizes == (TROPHY,)
    assert Edition("gd2030", make_pm(BaseWithTrophy(), Drops())).special_prizes == ()
    assert [p.key for p in Edition("gd2030", make_pm(BaseWithTrophy(), Adds())).special_prizes] == [
        "actualiteitstrofee",
        "publieksprijs",
    ]


def test_gd_special_prizes_with_a_repeated_key_are_refused(make_pm: MakePM) -> None:
    class Twice(Extending):
        @hookimpl
        def gd_special_prizes(self) -> Sequence[SpecialPrize]:
            return [TROPHY, TROPHY]

    with pytest.raises(EditionConfigError, match="repeats special prize keys"):
        Edition("gd2030", make_pm(Base(), Twice())).check()


# --- gd_feedback_closing --------------------------------------------------------------------------------------


def test_gd_feedback_closing_has_no_default(make_pm: MakePM) -> None:
    edition = Edition("gd2030", make_pm(Base(), Extending()))
    assert [edition.feedback_closing(r, a) for r in (1, 2, 3) for a in (True, False)] == [None] * 6


def test_gd_feedback_closing_edition_answers_its_cases_and_leaves_the_rest_to_the_base(make_pm: MakePM) -> None:
    class BaseClosing(Base):
        @hookimpl
        def gd_feedback_closing(self, info: EditionInfo, round: int) -> Text:
            return Text(f"Tot ziens in {info.year} (ronde {round}).")

    class EditionClosing(Extending):
        @hookimpl
        def gd_feedback_closing(self, round: int, advanced: bool) -> Text | None:
            if round == 2 and advanced:
                return Text("Presentatietraining volgt.", "Presentation training follows.")
            return None

    edition = Edition("gd2030", make_pm(BaseClosing(), EditionClosing()))
    assert edition.feedback_closing(2, True) == Text("Presentatietraining volgt.", "Presentation training follows.")
    assert edition.feedback_closing(2, False) == Text("Tot ziens in 2030 (ronde 2).")
    closing = edition.feedback_closing(round=1, advanced=True)
    assert closing is not None and closing.get("en") == "Tot ziens in 2030 (ronde 1)."  # falls back to Dutch


def test_gd_feedback_closing_must_be_a_text(make_pm: MakePM) -> None:
    class PlainString(Extending):
        @hookimpl
        def gd_feedback_closing(self) -> str:
            return "Tot ziens!"

    with pytest.raises(EditionConfigError, match="a feedback closing must be a Text, not 'Tot ziens!'"):
        Edition("gd2030", make_pm(Base(), PlainString())).feedback_closing(1, True)

"""The records hooks return (gemeentedelers.plugins.api): frozen, and refusing what cannot be right."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from gemeentedelers.plugins.api import (
    AI_PHASE_LABELS,
    AI_PHASES,
    AssessmentRules,
    Criterion,
    EditionInfo,
    EvidenceField,
    FieldError,
    FinalistRule,
    InterviewGuide,
    InterviewSection,
    JuryRule,
    RecommendationOption,
    Round1Rules,
    SpecialPrize,
    Text,
    Timeline,
)

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


# --- round 2 and round 3 records ------------------------------------------------------------------------------

LABEL, GUIDANCE = Text("Resultaten", "Results"), Text("Noem cijfers.", "Give figures.")


def test_evidence_field_defaults_and_kinds() -> None:
    field = EvidenceField("resultaten", LABEL, GUIDANCE)
    assert (field.kind, field.required, field.max_chars) == ("long_text", True, None)
    assert EvidenceField("links", LABEL, GUIDANCE, kind="url_list", required=False).kind == "url_list"
    assert EvidenceField("titel", LABEL, GUIDANCE, kind="text", max_chars=80).max_chars == 80


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "Resultaten"}, "must be lower-case"),
        ({"key": "1e_resultaat"}, "must be lower-case"),
        ({"key": ""}, "must be lower-case"),
        ({"label": "Resultaten"}, "label must be a Text"),
        ({"guidance": Text("  ")}, "guidance must be a Text with a Dutch wording"),
        ({"kind": "pdf"}, "kind 'pdf' is not one of text, long_text, url_list"),
        ({"max_chars": 0}, "max_chars must be at least 1"),
        ({"kind": "url_list", "max_chars": 100}, "max_chars applies to text fields"),
    ],
)
def test_evidence_field_refuses_impossible_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        EvidenceField(**{"key": "resultaten", "label": LABEL, "guidance": GUIDANCE, **changes})  # type: ignore[arg-type]


def section(phase: str, *questions: str) -> InterviewSection:
    return InterviewSection(phase, AI_PHASE_LABELS[phase], tuple(Text(q) for q in questions or ("Wat werkt?",)))


def test_interview_guide_follows_the_4d_cycle() -> None:
    assert AI_PHASES == ("discover", "dream", "design", "destiny")
    assert [AI_PHASE_LABELS[p].nl for p in AI_PHASES] == ["Ontdekken", "Dromen", "Ontwerpen", "Doen en verankeren"]
    sections = [section("discover", "Wat werkt?", "Waarom?"), section("discover", "Wie hielp?")]
    sections += [section(p) for p in AI_PHASES[1:]]
    guide = InterviewGuide(Text("Leidraad"), Text("Intro"), sections)  # type: ignore[arg-type]
    assert isinstance(guide.sections, tuple)  # a list is stored as a tuple: the record stays immutable
    assert [q.nl for q in guide.questions("discover")] == ["Wat werkt?", "Waarom?", "Wie hielp?"]


@pytest.mark.parametrize(
    ("phases", "message"),
    [
        (("discover", "dream", "design"), "no section for phase destiny"),
        (("dream", "discover", "design", "destiny"), "sections must follow the cycle"),
        ((), "no section for phase discover, dream, design, destiny"),
    ],
)
def test_interview_guide_refuses_a_broken_cycle(phases: tuple[str, ...], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        InterviewGuide(Text("Leidraad"), Text("Intro"), tuple(section(p) for p in phases))


def test_interview_section_refuses_an_unknown_phase_or_no_questions() -> None:
    with pytest.raises(ValueError, match="phase 'deliver' is not one of"):
        InterviewSection("deliver", Text("Doen"), (Text("Wat nu?"),))
    with pytest.raises(ValueError, match="has no questions"):
        InterviewSection("dream", Text("Dromen"), ())
    with pytest.raises(ValueError, match="question 2 must be a Text"):
        InterviewSection("dream", Text("Dromen"), (Text("Wat als?"), "Hoe?"))  # type: ignore[arg-type]


def test_assessment_rules_defaults_and_recommendations() -> None:
    rules = AssessmentRules()
    assert (rules.team_size, rules.min_team_size, rules.max_cases_per_assessor) == (3, 2, 4)
    assert rules.sign_off_by_all and rules.explanation_required
    assert rules.recommendation("finalist") == RecommendationOption(
        "finalist", Text("Aanbevolen als finalist", "Recommended as a finalist")
    )
    assert rules.recommendation("misschien") is None


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"team_size": 2, "min_team_size": 3}, "min_team_size <= team_size"),
        ({"min_team_size": 0}, "min_team_size <= team_size"),
        ({"max_cases_per_assessor": 0}, "max_cases_per_assessor must be at least 1"),
        ({"recommendations": ()}, "at least one recommendation"),
        (
            {"recommendations": (RecommendationOption("ja", Text("Ja")), RecommendationOption("ja", Text("Jawel")))},
            "recommendations repeats ja",
        ),
    ],
)
def test_assessment_rules_refuse_impossible_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        AssessmentRules(**changes)  # type: ignore[arg-type]


def test_finalist_rule_counts_per_category() -> None:
    rule = FinalistRule(finalists_per_category=3, category_counts=[["indirect", 2]])  # type: ignore[arg-type]
    assert rule.category_counts == (("indirect", 2),)
    assert (rule.count("direct"), rule.count("indirect")) == (3, 2)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"finalists_per_category": 0}, "at least 1 finalist"),
        ({"category_counts": (("direct", 0),)}, "at least 1 finalist"),
        ({"category_counts": (("direct", 2), ("direct", 3))}, "category_counts repeats direct"),
        ({"method": "borda"}, "method 'borda' is not one of ranked_votes, approval"),
        ({"tie_break": "coin"}, "tie_break 'coin' is not one of report_score, none"),
    ],
)
def test_finalist_rule_refuses_impossible_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        FinalistRule(**changes)  # type: ignore[arg-type]


def test_jury_rule_methods() -> None:
    assert JuryRule() == JuryRule(method="borda", points=(), tie_break="chair")
    assert JuryRule(method="points", points=[5, 3, 1]).points == (5, 3, 1)  # type: ignore[arg-type]
    assert JuryRule(method="points", points=(1, 1, 0)).points == (1, 1, 0)
    assert JuryRule(method="mean_score", tie_break="none").tie_break == "none"


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"method": "condorcet"}, "method 'condorcet' is not one of borda, points, mean_score"),
        ({"tie_break": "loting"}, "tie_break 'loting' is not one of chair, none"),
        ({"method": "points"}, "needs a table whose first place scores more than 0"),
        ({"method": "points", "points": (0, 0)}, "needs a table whose first place scores more than 0"),
        ({"method": "points", "points": (3, 5, 1)}, "never rise"),
        ({"method": "points", "points": (3, -1)}, "non-negative"),
        ({"method": "borda", "points": (3, 2, 1)}, "only used by method 'points'"),
    ],
)
def test_jury_rule_refuses_impossible_settings(changes: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        JuryRule(**changes)  # type: ignore[arg-type]


def test_special_prize_defaults() -> None:
    prize = SpecialPrize("actualiteitstrofee", Text("Actualiteitstrofee"), Text("Voor de actualiteit."))
    assert (prize.eligibility, prize.decided_by) == ("finalists", "jury_vote")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"key": "Actualiteit Trofee"}, "must be lower-case"),
        ({"description": Text("")}, "description must be a Text"),
        ({"eligibility": "winners"}, "eligibility 'winners' is not one of finalists, round2, entries"),
        ({"decided_by": "public_vote"}, "decided_by 'public_vote' is not one of jury_vote"),
    ],
)
def test_special_prize_refuses_impossible_settings(changes: dict[str, object], message: str) -> None:
    fields = {"key": "trofee", "label": Text("Trofee"), "description": Text("Voor iets."), **changes}
    with pytest.raises(ValueError, match=message):
        SpecialPrize(**fields)  # type: ignore[arg-type]


def test_round2_and_round3_records_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        AssessmentRules().team_size = 5  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        JuryRule().method = "points"  # type: ignore[misc]

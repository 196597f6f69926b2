"""Round 2's decision maths (gemeentedelers.assessment.rules), on small cases computed by hand."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
from gemeentedelers.plugins import defaults
from gemeentedelers.plugins.api import AssessmentRules, Criterion, FinalistRule, Text

from gemeentedelers.assessment.rules import (
    BallotsDoNotFit,
    InfeasibleTeams,
    PicksInvalid,
    Report,
    check_evidence,
    confirm_finalists,
    criteria_score,
    exact,
    form_teams,
    report_problems,
    select_finalists,
)

# --- check_evidence -------------------------------------------------------------------------------------------

GOOD_EVIDENCE = {
    "resultaten": "  8.000 gesprekken op afstand in het eerste jaar; wachttijd van 3 weken naar 2 dagen. ",
    "aanpak": "Pilot met drie balies, daarna stadsbreed.",
    "belanghebbenden": "Inwonerspanel, wijkteams en de bibliotheek voor wie minder digitaal vaardig is.",
    "herbruikbaarheid": "Standaard videobelsoftware; handleiding en werkinstructies liggen klaar.",
    "documenten": "https://example.org/evaluatie.pdf\n\n  https://github.com/example/balie  ",
}


def test_check_evidence_cleans_good_evidence() -> None:
    checked = check_evidence(defaults.EVIDENCE_FIELDS, GOOD_EVIDENCE)
    assert checked.ok and dict(checked.problems) == {}
    assert checked.values["resultaten"].startswith("8.000")  # trimmed
    assert checked.values["documenten"] == ("https://example.org/evaluatie.pdf", "https://github.com/example/balie")


def test_check_evidence_optional_links_may_be_absent_or_a_list() -> None:
    without = {k: v for k, v in GOOD_EVIDENCE.items() if k != "documenten"}
    assert check_evidence(defaults.EVIDENCE_FIELDS, without).values["documenten"] == ()
    as_list = check_evidence(defaults.EVIDENCE_FIELDS, {**without, "documenten": ["http://a.nl/x", " "]})
    assert as_list.ok and as_list.values["documenten"] == ("http://a.nl/x",)


def test_check_evidence_reports_every_problem_at_once() -> None:
    answers = {
        **GOOD_EVIDENCE,
        "resultaten": "   ",
        "aanpak": "x" * 3001,
        "belanghebbenden": 42,
        "documenten": "https://example.org/ok\nftp://example.org/file\nzie bijlage",
        "kosten": "veel",
    }
    checked = check_evidence(defaults.EVIDENCE_FIELDS, answers)
    problems = {key: [t.get("en") for t in texts] for key, texts in checked.problems.items()}
    assert problems == {
        "kosten": ["Unknown field."],
        "resultaten": ["This field is required."],
        "aanpak": ["3001 characters; at most 3000."],
        "belanghebbenden": ["Give a text."],
        "documenten": [
            "'ftp://example.org/file' is not a link (http:// or https://).",
            "'zie bijlage' is not a link (http:// or https://).",
        ],
    }
    assert not checked.ok
    assert checked.problems["resultaten"][0].nl == "Dit veld is verplicht."


def test_check_evidence_a_one_line_text_field_refuses_line_breaks() -> None:
    from gemeentedelers.plugins.api import EvidenceField

    title = EvidenceField("titel", Text("Titel"), Text("Eén regel."), kind="text", max_chars=20)
    checked = check_evidence([title], {"titel": "Digitale\nbalie"})
    assert [t.get("en") for t in checked.problems["titel"]] == ["One line, without line breaks."]


# --- criteria_score and report_problems -----------------------------------------------------------------------

CRITERIA = (
    Criterion("succesvol", Text("Succesvol"), Text("Werkt."), scale_min=1, scale_max=10, weight=2.0),
    Criterion("lef", Text("Lef"), Text("Durft."), scale_min=1, scale_max=5, weight=1.0),
)


def test_criteria_score_is_the_weighted_mean_on_0_to_1() -> None:
    # succesvol 10 -> 1 (weight 2), lef 3 -> 2/4 (weight 1): (2 + 1/2) / 3
    assert criteria_score(CRITERIA, {"succesvol": 10, "lef": 3}) == Fraction(5, 6)
    assert criteria_score(CRITERIA, {"succesvol": 1, "lef": 1}) == 0
    assert criteria_score(CRITERIA, {"succesvol": 10, "lef": 5}) == 1


def test_criteria_score_of_the_default_extended_criteria() -> None:
    scores = {c.key: 10 for c in defaults.EXTENDED_CRITERIA} | {"lef": 1}
    # weights 2,2,2,1,1,1,1 (total 10); lef at the bottom loses 1 of 10
    assert criteria_score(defaults.EXTENDED_CRITERIA, scores) == Fraction(9, 10)


@pytest.mark.parametrize(
    ("scores", "message"),
    [
        ({"succesvol": 7}, r"missing \['lef'\]"),
        ({"succesvol": 7, "lef": 3, "humor": 4}, r"unknown \['humor'\]"),
        ({"succesvol": 11, "lef": 3}, "criterion succesvol: 11 is not a whole number from 1 to 10"),
        ({"succesvol": 7, "lef": 2.5}, "criterion lef: 2.5 is not a whole number"),
        ({"succesvol": True, "lef": 3}, "criterion succesvol: True is not a whole number"),
    ],
)
def test_criteria_score_refuses_incomplete_or_impossible_scores(scores: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        criteria_score(CRITERIA, scores)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no criteria"):
        criteria_score((), {})


def report(**changes: object) -> Report:
    base = {
        "case": "digitale-balie",
        "scores": {"succesvol": 8, "lef": 4},
        "explanations": {"succesvol": "8.000 gesprekken, gemeten.", "lef": "Eerste gemeente met video."},
        "tops": ("Meetbaar resultaat",),
        "tips": ("Deel de handleiding",),
        "recommendation": "finalist",
        "signed_off": frozenset({"anne", "bram", "chris"}),
    }
    return Report(**(base | changes))  # type: ignore[arg-type]


TEAM = ("anne", "bram", "chris")


def test_report_problems_none_for_a_complete_signed_report() -> None:
    assert report_problems(report(), team=TEAM, criteria=CRITERIA, rules=AssessmentRules()) == []


def test_report_problems_names_everything_missing() -> None:
    incomplete = report(
        scores={"succesvol": 11, "humor": 3},
        explanations={"succesvol": "ok", "lef": " "},
        tips=(),
        recommendation="misschien",
        signed_off=frozenset({"anne", "dirk"}),
    )
    problems = [p.get("en") for p in report_problems(incomplete, team=TEAM, criteria=CRITERIA, rules=AssessmentRules())]
    assert problems == [
        "Give a score for: Lef.",  # criteria by their labels (no English label here: the Dutch one)
        "Not criteria of this round: humor.",
        "Succesvol: give a whole number from 1 to 10.",
        "Explain every score; missing: Lef.",
        "Give at least one top and one tip.",
        "Choose a recommendation: Recommended as a finalist, In doubt, Not recommended as a finalist.",
        "Not in the team: dirk.",
        "Not signed off yet by: bram, chris.",
    ]


def test_report_problems_name_people_criteria_and_recommendations_as_people_read_them() -> None:
    incomplete = report(scores={"succesvol": 8}, recommendation="", signed_off=frozenset({"anne"}))
    problems = report_problems(incomplete, team=TEAM, criteria=CRITERIA, rules=AssessmentRules(),
                               people={"bram": "Bram de Boer", "chris": "Chris Claes"})
    assert [p.nl for p in problems] == [
        "Geef een score voor: Lef.",
        "Kies een aanbeveling: Aanbevolen als finalist, Twijfel, Niet aanbevolen als finalist.",
        "Nog niet ondertekend door: Bram de Boer, Chris Claes.",
    ]


def test_report_problems_one_signature_is_enough_when_the_rules_say_so() -> None:
    rules = AssessmentRules(sign_off_by_all=False, explanation_required=False)
    assert (
        report_problems(
            report(signed_off=frozenset({"bram"}), explanations={}), team=TEAM, criteria=CRITERIA, rules=rules
        )
        == []
    )
    unsigned = report_problems(report(signed_off=frozenset()), team=TEAM, criteria=CRITERIA, rules=rules)
    assert [p.get("en") for p in unsigned] == ["Not signed off by anyone yet."]


# --- form_teams -----------------------------------------------------------------------------------------------


def test_form_teams_full_teams_with_the_load_spread_evenly() -> None:
    plan = form_teams(["c1", "c2", "c3"], ["a", "b", "c", "d"], [], team_size=3, max_cases=3)
    assert all(len(team) == 3 for team in plan.teams.values())
    assert sorted(plan.loads.values()) == [2, 2, 2, 3]  # 9 places over 4 assessors
    assert plan.reduced == {}
    assert sum(len(plan.cases_of(a)) for a in "abcd") == 9


def test_form_teams_avoids_conflicts_and_shrinks_only_the_team_that_must() -> None:
    plan = form_teams(
        ["c1", "c2", "c3"], ["a", "b", "c", "d"], [("a", "c1"), ("b", "c1")], team_size=3, max_cases=3, min_team_size=2
    )
    assert plan.teams["c1"] == ("c", "d")
    assert {"a", "b"} <= set(plan.teams["c2"]) and {"a", "b"} <= set(plan.teams["c3"])
    assert plan.reduced == {"c1": 2}
    assert dict(plan.loads) == {"a": 2, "b": 2, "c": 2, "d": 2}


def test_form_teams_gives_every_case_its_minimum_before_filling_any_team() -> None:
    # 3 cases x 2 = 6 places = 3 assessors x 2 cases: nobody gets a third member at another's expense
    plan = form_teams(["c1", "c2", "c3"], ["a", "b", "c"], [], team_size=3, max_cases=2, min_team_size=2)
    assert plan.reduced == {"c1": 2, "c2": 2, "c3": 2}
    assert set(plan.loads.values()) == {2}


def test_form_teams_fills_teams_before_balancing() -> None:
    # one assessor could rest, but then a team would be short: all three visit both cases
    plan = form_teams(["c1", "c2"], ["a", "b", "c"], [], team_size=3, max_cases=2, min_team_size=1)
    assert plan.teams == {"c1": ("a", "b", "c"), "c2": ("a", "b", "c")}


def test_form_teams_balances_a_realistic_round() -> None:
    cases = [f"case{i:02d}" for i in range(20)]
    assessors = [f"assessor{i:02d}" for i in range(16)]
    rng = random.Random(4)
    conflicts = [(a, c) for a in assessors for c in cases if rng.random() < 0.15]
    plan = form_teams(cases, assessors, conflicts, team_size=3, max_cases=4, min_team_size=2)
    assert plan.reduced == {}
    assert max(plan.loads.values()) - min(plan.loads.values()) <= 1  # 60 places over 16: 3 or 4 each
    assert not {(a, c) for c, team in plan.teams.items() for a in team} & set(conflicts)


def test_form_teams_depends_on_the_sets_not_their_order() -> None:
    cases, assessors = [f"c{i}" for i in range(6)], [f"a{i}" for i in range(7)]
    conflicts = [("a1", "c2"), ("a3", "c2"), ("a0", "c5")]
    plan = form_teams(cases, assessors, conflicts, 3, 3)
    shuffled = form_teams(reversed(cases), sorted(assessors, reverse=True), list(reversed(conflicts)), 3, 3)
    assert plan == shuffled
    assert list(plan.teams) == cases and list(plan.loads) == assessors  # sorted by id


def test_form_teams_names_a_case_without_enough_assessors_free_of_conflicts() -> None:
    with pytest.raises(InfeasibleTeams) as raised:
        form_teams(["c1", "c2"], ["a", "b", "c"], [("a", "c1"), ("b", "c1")], 3, 3, min_team_size=2)
    assert str(raised.value) == (
        "Cannot give every case a team of at least 2: c1 (1 of 2: only 1 assessor without a conflict of interest)."
    )
    assert raised.value.text("nl") == (
        "Niet elke casus krijgt een team van minstens 2: c1 (1 van 2: maar 1 assessor zonder "
        "belangenverstrengeling)."
    )
    assert raised.value.short == {"c1": 1}
    assert isinstance(raised.value, ValueError)


def test_form_teams_names_the_cases_by_their_titles_when_given() -> None:
    with pytest.raises(InfeasibleTeams) as raised:
        form_teams(["c1", "c2"], ["a", "b", "c"], [("a", "c1"), ("b", "c1")], 3, 3, min_team_size=2,
                   names={"c1": "Digitale balie"})
    assert raised.value.text("nl").startswith("Niet elke casus krijgt een team van minstens 2: Digitale balie (1 van 2")


def test_form_teams_names_the_cases_capacity_cannot_cover() -> None:
    with pytest.raises(InfeasibleTeams, match="5 cases need at least 10 assessor places; 3 assessors") as raised:
        form_teams([f"c{i}" for i in range(5)], ["a", "b", "c"], [], 3, 2, min_team_size=2)
    assert raised.value.short == {"c3": 0, "c4": 0}
    assert "c3 (0 of 2: its 3 assessors without a conflict of interest are already at 2 cases); c4 (0 of 2" in str(
        raised.value)
    assert raised.value.text("nl").endswith(
        "5 casussen vragen minstens 10 assessorplaatsen; 3 assessoren met elk hoogstens 2 casussen geven er 6. "
        "Importeer meer assessoren.")


def test_form_teams_without_cases_is_an_empty_plan() -> None:
    plan = form_teams([], ["a"], [], 3, 4)
    assert dict(plan.teams) == {} and dict(plan.loads) == {"a": 0}
    assert plan.as_dict() == {"team_size": 3, "teams": {}, "loads": {"a": 0}}


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"team_size": 2, "min_team_size": 3}, "min_team_size <= team_size"),
        ({"max_cases": 0}, "max_cases must be at least 1"),
        ({"cases": ["c1", "c1"]}, "case listed twice: c1"),
        ({"assessors": ["a", "a"]}, "assessor listed twice: a"),
        ({"conflicts": [("z", "c1")]}, "conflict \\('z', 'c1'\\) names an unknown assessor or case"),
    ],
)
def test_form_teams_refuses_impossible_arguments(arguments: dict[str, object], message: str) -> None:
    call = {"cases": ["c1"], "assessors": ["a", "b"], "conflicts": [], "team_size": 2, "max_cases": 2} | arguments
    with pytest.raises(ValueError, match=message):
        form_teams(**call)  # type: ignore[arg-type]


# --- select_finalists and confirm_finalists -------------------------------------------------------------------

DIRECT = {c: "direct" for c in ("c1", "c2", "c3", "c4")}
REPORTS = {"c1": Fraction(3, 4), "c2": Fraction(1, 2), "c3": Fraction(1, 2), "c4": Fraction(1, 4)}


def test_select_finalists_ranked_votes_by_hand() -> None:
    ballots = {"a1": ["c1", "c2", "c3", "c4"], "a2": ["c2", "c1", "c4", "c3"], "a3": ["c1", "c3", "c2", "c4"]}
    selection = select_finalists(ballots, REPORTS, FinalistRule(finalists_per_category=2), DIRECT)
    direct = selection.categories["direct"]
    # comparisons won out of 3 per ballot: c1 3+2+3, c2 2+3+1, c3 1+0+2, c4 0+1+0
    assert [(s.case, s.place, s.status, s.score) for s in direct.standings] == [
        ("c1", 1, "finalist", Fraction(8, 9)),
        ("c2", 2, "finalist", Fraction(6, 9)),
        ("c3", 3, "out", Fraction(3, 9)),
        ("c4", 4, "out", Fraction(1, 9)),
    ]
    assert direct.standings[1].votes["a3"].place == 3 and direct.standings[1].votes["a3"].points == 1
    assert selection.decided and selection.finalists == {"direct": ("c1", "c2")}
    assert confirm_finalists(selection) == {"direct": ("c1", "c2")}


def test_select_finalists_equal_votes_go_to_the_higher_report_score() -> None:
    ballots = {"a1": ["c1", "c2", "c3"], "a2": ["c1", "c3", "c2"]}  # c2 and c3 both 1 of 4
    cases = {c: "direct" for c in ("c1", "c2", "c3")}
    reports = {"c1": 0.5, "c2": 0.6, "c3": 0.7}
    selection = select_finalists(ballots, reports, FinalistRule(finalists_per_category=2), cases)
    assert selection.finalists == {"direct": ("c1", "c3")}
    assert [s.place for s in selection.categories["direct"].standings] == [1, 2, 3]
    assert selection.categories["direct"].standings[1].report_score == Fraction(7, 10)  # 0.7 read as 7/10


def test_select_finalists_reports_a_tie_across_the_last_seat_instead_of_breaking_it() -> None:
    ballots = {"a1": ["c1", "c2", "c3"], "a2": ["c1", "c3", "c2"]}
    cases = {c: "direct" for c in ("c1", "c2", "c3")}
    for rule, reports in [
        (FinalistRule(finalists_per_category=2, tie_break="none"), {"c1": 0.5, "c2": 0.6, "c3": 0.7}),
        (FinalistRule(finalists_per_category=2), {"c1": 0.5, "c2": 0.6, "c3": 0.6}),
    ]:
        direct = select_finalists(ballots, reports, rule, cases).categories["direct"]
        assert [(s.case, s.place, s.status) for s in direct.standings] == [
            ("c1", 1, "finalist"),
            ("c2", 2, "tied"),
            ("c3", 2, "tied"),
        ]
        assert (direct.finalists, direct.tied, direct.open_seats, direct.decided) == (("c1",), ("c2", "c3"), 1, False)


def test_confirm_finalists_takes_the_organisers_pick_among_the_tied() -> None:
    ballots = {"a1": ["c1", "c2", "c3"], "a2": ["c1", "c3", "c2"]}
    cases = {c: "direct" for c in ("c1", "c2", "c3")} | {"i1": "indirect"}
    reports = {"c1": 0.5, "c2": 0.6, "c3": 0.6, "i1": 0.4}
    selection = select_finalists(ballots, reports, FinalistRule(finalists_per_category=2), cases)
    assert not selection.decided
    assert confirm_finalists(selection, {"direct": ["c3"]}) == {"direct": ("c1", "c3"), "indirect": ("i1",)}
    for picks, message in [
        ({}, r"direct: pick 1 of the tied cases \(c2, c3\); picked: none\."),
        ({"direct": ["c2", "c3"]}, "pick 1 of the tied cases"),
        ({"direct": ["c1"]}, "pick 1 of the tied cases"),
        ({"direct": ["c3"], "indirect": ["i1"]}, "Nothing is tied in indirect; pick nothing there"),
        ({"direct": ["c3"], "digitaal": ["x"]}, "Picks for unknown categories: digitaal"),
    ]:
        with pytest.raises(PicksInvalid, match=message):
            confirm_finalists(selection, picks)


def test_a_wrong_pick_reads_in_dutch_with_titles_and_labels() -> None:
    ballots = {"a1": ["c1", "c2", "c3"], "a2": ["c1", "c3", "c2"]}
    cases = {c: "direct" for c in ("c1", "c2", "c3")}
    selection = select_finalists(ballots, {"c1": 0.5, "c2": 0.6, "c3": 0.6}, FinalistRule(finalists_per_category=2),
                                 cases)
    names = {"c2": "Digitale balie", "c3": "Buurtbus", "direct": Text("Direct (gemeente)", "Direct (municipality)")}
    with pytest.raises(PicksInvalid) as refused:
        confirm_finalists(selection, {}, names=names)
    assert refused.value.text("nl") == (
        "Direct (gemeente): kies 1 van de gelijk geëindigde casussen (Digitale balie, Buurtbus); gekozen: niets.")
    assert refused.value.text("en") == (
        "Direct (municipality): pick 1 of the tied cases (Digitale balie, Buurtbus); picked: none.")
    assert isinstance(refused.value, ValueError)


def test_select_finalists_an_abstaining_assessor_neither_helps_nor_hurts() -> None:
    cases = {c: "direct" for c in ("c1", "c2", "c3")}
    ballots = {"a1": ["c1", "c2", "c3"], "a2": ["c2", "c1", "c3"], "a3": ["c2", "c3"]}
    selection = select_finalists(
        ballots, {c: 0.5 for c in cases}, FinalistRule(finalists_per_category=1), cases, abstentions={"a3": {"c1"}}
    )
    direct = selection.categories["direct"]
    # c1: 2/2 + 1/2 = 3/4; c2: 1/2 + 2/2 + 1/1 = 4/5; c3: 0
    assert [(s.case, s.score) for s in direct.standings] == [
        ("c2", Fraction(4, 5)),
        ("c1", Fraction(3, 4)),
        ("c3", Fraction(0)),
    ]
    assert "a3" not in direct.standings[1].votes
    with pytest.raises(BallotsDoNotFit, match="a3 has a conflict of interest with c1 but voted on it"):
        select_finalists(
            ballots | {"a3": ["c2", "c1", "c3"]},
            {c: 0.5 for c in cases},
            FinalistRule(),
            cases,
            abstentions={"a3": {"c1"}},
        )


def test_select_finalists_approval_per_category() -> None:
    cases = {"d1": "direct", "d2": "direct", "d3": "direct", "i1": "indirect", "i2": "indirect"}
    ballots = {"a1": ["d1", "i1"], "a2": ["d1", "d2", "i2"], "a3": ["d2", "i1"]}
    reports = {"d1": 0.4, "d2": 0.8, "d3": 0.9, "i1": 0.1, "i2": 0.9}
    rule = FinalistRule(finalists_per_category=1, method="approval")
    selection = select_finalists(ballots, reports, rule, cases)
    direct, indirect = selection.categories["direct"], selection.categories["indirect"]
    assert [(s.case, s.score) for s in direct.standings] == [
        ("d2", Fraction(2, 3)),  # d1 and d2 both backed by 2 of 3: d2's report is better
        ("d1", Fraction(2, 3)),
        ("d3", Fraction(0)),
    ]
    assert direct.standings[0].votes["a1"].points == 0 and direct.standings[0].votes["a1"].out_of == 1
    assert selection.finalists == {"direct": ("d2",), "indirect": ("i1",)}
    assert [s.score for s in indirect.standings] == [Fraction(2, 3), Fraction(1, 3)]


def test_select_finalists_with_fewer_cases_than_seats_takes_them_all() -> None:
    rule = FinalistRule(finalists_per_category=3, category_counts=(("indirect", 2),))
    selection = select_finalists({"a1": ["c1"]}, {"c1": 0.3}, rule, {"c1": "direct"})
    direct, indirect = selection.categories["direct"], selection.categories["indirect"]
    assert (direct.finalists, direct.unfilled, direct.standings[0].score) == (("c1",), 2, None)
    assert (indirect.finalists, indirect.unfilled, indirect.decided) == ((), 2, True)


@pytest.mark.parametrize(
    ("ballots", "reports", "message"),
    [
        ({"a1": ["c1", "c9"]}, REPORTS, "Ballots name cases that are not in round 2: c9"),
        ({"a1": ["c1", "c1", "c2", "c3", "c4"]}, REPORTS, "The ballot of a1 names c1 more than once"),
        ({"a1": ["c1", "c2", "c3"]}, REPORTS, "The ballot of a1 in direct lacks c4"),
        ({"a1": ["c1", "c2", "c3", "c4"]}, {"c1": 1}, r"missing \['c2', 'c3', 'c4'\]"),
        ({"a1": ["c1", "c2", "c3", "c4"]}, REPORTS | {"c9": 1}, r"not in round 2 \['c9'\]"),
        ({}, REPORTS, "No ballot has judged c1, c2, c3, c4 against another case of direct"),
    ],
)
def test_select_finalists_refuses_broken_ballots(
    ballots: dict[str, list[str]], reports: dict[str, object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        select_finalists(ballots, reports, FinalistRule(finalists_per_category=2), DIRECT)  # type: ignore[arg-type]


def test_ballots_that_do_not_fit_read_in_dutch_with_names() -> None:
    names = {"a1": "Ada Assessor", "c4": "Buurtbus", "direct": Text("Direct", "Direct")}
    with pytest.raises(BallotsDoNotFit) as refused:
        select_finalists({"a1": ["c1", "c2", "c3"]}, REPORTS, FinalistRule(finalists_per_category=2), DIRECT,
                         names=names)
    assert refused.value.text("nl") == (
        "De stem van Ada Assessor in Direct mist Buurtbus. Vraag Ada Assessor opnieuw te stemmen.")


def test_finalist_selection_can_be_published_as_json() -> None:
    ballots = {"a1": ["c1", "c2", "c3", "c4"], "a2": ["c2", "c1", "c4", "c3"]}
    published = json.loads(json.dumps(select_finalists(ballots, REPORTS, FinalistRule(), DIRECT).as_dict()))
    direct = published["categories"]["direct"]
    assert published["method"] == "ranked_votes" and direct["seats"] == 3
    assert direct["standings"][0] == {
        "case": "c1",
        "place": 1,
        "status": "finalist",
        "score": "5/6",
        "score_float": 5 / 6,
        "report_score": "3/4",
        "report_score_float": 0.75,
        "votes": {"a1": {"points": 3, "out_of": 3, "place": 1}, "a2": {"points": 2, "out_of": 3, "place": 2}},
    }


def test_exact_reads_floats_by_their_decimal_form() -> None:
    assert exact(0.1) == Fraction(1, 10) and exact(3) == 3 and exact(Fraction(1, 3)) == Fraction(1, 3)
    assert exact(0.1 + 0.2) != exact(0.3)  # different floats stay different
    with pytest.raises(ValueError, match="is not a number"):
        exact("0.5")  # type: ignore[arg-type]

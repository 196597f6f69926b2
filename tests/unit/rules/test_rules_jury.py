"""Round 3's decision maths (gemeentedelers.jury.rules), on small cases computed by hand."""

from __future__ import annotations

import json
import re
from fractions import Fraction

import pytest
from gemeentedelers.plugins.api import JuryRule, SpecialPrize, Text

from gemeentedelers.editions import get_edition
from gemeentedelers.jury.rules import borda, decide_category, decide_jury, decide_special_prize, mean_score, points

(ACTUALITEITSTROFEE,) = get_edition("gd2022").special_prizes


def totals(decision_or_tallies: object) -> dict[str, Fraction]:
    if isinstance(decision_or_tallies, dict):
        return {entry: tally.total for entry, tally in decision_or_tallies.items()}
    return {s.entry: s.total for s in decision_or_tallies.standings}  # type: ignore[attr-defined]


# --- aggregation ----------------------------------------------------------------------------------------------

RANKINGS = {"j1": ["a", "b", "c", "d"], "j2": ["b", "a", "d", "c"], "j3": ["c", "b", "a", "d"]}


def test_borda_by_hand() -> None:
    tallies = borda(["a", "b", "c", "d"], RANKINGS)
    assert totals(tallies) == {"a": 6, "b": 7, "c": 4, "d": 1}  # 3-2-1-0 per juror
    assert dict(tallies["b"].contributions) == {"j1": 2, "j2": 3, "j3": 2}
    assert dict(tallies["b"].ranks) == {"j1": 2, "j2": 1, "j3": 2}


def test_points_table_by_hand() -> None:
    tallies = points(["a", "b", "c", "d"], RANKINGS, (5, 3, 1))  # 4th place: beyond the table, 0
    assert totals(tallies) == {"a": 9, "b": 11, "c": 6, "d": 1}
    assert dict(tallies["d"].contributions) == {"j1": 0, "j2": 1, "j3": 0}


def test_mean_score_by_hand_is_exact() -> None:
    scores = {"j1": {"a": 0.8, "b": 0.6}, "j2": {"a": 0.5, "b": 0.7}, "j3": {"a": 0.1, "b": 0.1}}
    tallies = mean_score(["a", "b"], scores)
    assert totals(tallies) == {"a": Fraction(14, 30), "b": Fraction(14, 30)}  # equal exactly, no float noise
    assert tallies["a"].contributions["j1"] == Fraction(4, 5)


@pytest.mark.parametrize(
    ("rankings", "message"),
    [
        ({"j1": ["a", "b"]}, r"juror j1 must rank every entry once: missing \['c'\]"),
        ({"j1": ["a", "b", "c", "x"]}, r"unknown \['x'\]"),
        ({"j1": ["a", "b", "b", "c"]}, r"twice \['b'\]"),
        ({}, "no juror voted"),
    ],
)
def test_rankings_must_be_complete(rankings: dict[str, list[str]], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        borda(["a", "b", "c"], rankings)


def test_scores_must_be_complete() -> None:
    with pytest.raises(ValueError, match=r"juror j1 must score every entry: missing \['b'\]"):
        mean_score(["a", "b"], {"j1": {"a": 0.5}})
    with pytest.raises(ValueError, match="no juror voted"):
        mean_score(["a", "b"], {})


# --- decide_category: ties and the chair ----------------------------------------------------------------------


def test_decide_category_borda_winner() -> None:
    decision = decide_category("direct", ["a", "b", "c", "d"], RANKINGS, JuryRule(), chair="j1")
    assert decision.winner == "b" and decision.decided
    assert [(s.entry, s.place, s.total) for s in decision.standings] == [
        ("b", 1, 7),
        ("a", 2, 6),
        ("c", 3, 4),
        ("d", 4, 1),
    ]
    assert decision.tie_breaks == () and decision.jurors == ("j1", "j2", "j3")


def test_decide_category_the_chairs_ranking_breaks_a_tie() -> None:
    decision = decide_category(
        "direct", ["a", "b", "c"], {"chair": ["a", "b", "c"], "j1": ["b", "a", "c"]}, JuryRule(), "chair"
    )
    assert totals(decision) == {"a": 3, "b": 3, "c": 0}
    assert decision.winner == "a"
    assert [(s.entry, s.place, s.chair) for s in decision.standings] == [("a", 1, 1), ("b", 2, 2), ("c", 3, None)]
    (tie,) = decision.tie_breaks
    assert (tie.entries, tie.method, tie.resolved, tie.order) == (("a", "b"), "chair", True, (("a",), ("b",)))


def test_decide_category_reports_a_tie_the_chair_cannot_break() -> None:
    ballots = {"j1": ["a", "b"], "j2": ["b", "a"]}
    absent = decide_category("indirect", ["a", "b"], ballots, JuryRule(), chair="voorzitter")
    assert (absent.winner, absent.tied_for_first, absent.decided) == (None, ("a", "b"), False)
    assert absent.tie_breaks[0].note == "the chair did not vote here" and not absent.tie_breaks[0].resolved
    no_tie_break = decide_category("indirect", ["a", "b"], ballots, JuryRule(tie_break="none"), chair="j1")
    assert no_tie_break.tied_for_first == ("a", "b")
    assert no_tie_break.tie_breaks[0].note == "no tie-break: reported as a tie"


def test_decide_category_mean_score_chair_scores_break_or_leave_a_tie() -> None:
    rule = JuryRule(method="mean_score")
    scores = {"j1": {"a": 0.8, "b": 0.6}, "j2": {"a": 0.5, "b": 0.7}}
    settled = decide_category("direct", ["a", "b"], scores | {"chair": {"a": 0.7, "b": 0.5}}, rule, "chair")
    assert (settled.winner, settled.tie_breaks) == ("a", ())  # 2.0/3 against 1.8/3: no tie at all
    level = decide_category("direct", ["a", "b"], scores | {"chair": {"a": 0.6, "b": 0.6}}, rule, "chair")
    assert level.tied_for_first == ("a", "b")
    assert level.tie_breaks[0].note == "the chair's preference leaves a tie at the top"
    with pytest.raises(ValueError, match="method borda needs rankings, not scores"):
        decide_category("direct", ["a", "b"], scores, JuryRule(), "chair")


def test_decide_category_ties_lower_down_are_ordered_too() -> None:
    ballots = {"chair": ["a", "c", "b", "d"], "j1": ["a", "b", "c", "d"]}  # b and c: 3 each
    decision = decide_category("direct", ["a", "b", "c", "d"], ballots, JuryRule(), "chair")
    assert [(s.entry, s.place) for s in decision.standings] == [("a", 1), ("c", 2), ("b", 3), ("d", 4)]


def test_decide_jury_per_category() -> None:
    finalists = {"direct": ["a", "b"], "indirect": ["x", "y", "z"]}
    ballots = {
        "direct": {"chair": ["b", "a"], "j1": ["a", "b"], "j2": ["b", "a"]},
        "indirect": {"chair": ["x", "y", "z"], "j1": ["z", "y", "x"]},  # j2 has a conflict here and abstains
    }
    decisions = decide_jury(JuryRule(), finalists, ballots, chair="chair")
    assert {k: d.winner for k, d in decisions.items()} == {"direct": "b", "indirect": "x"}
    assert decisions["indirect"].jurors == ("chair", "j1")
    assert decisions["indirect"].tie_breaks[0].entries == ("x", "y", "z")  # 2-2-2, the chair orders all three
    with pytest.raises(ValueError, match="no juror voted in indirect"):
        decide_jury(JuryRule(), finalists, {"direct": ballots["direct"]}, chair="chair")
    with pytest.raises(ValueError, match="ballots for categories without finalists: digitaal"):
        decide_jury(JuryRule(), finalists, ballots | {"digitaal": {}}, chair="chair")


def test_decide_category_points_method() -> None:
    rule = JuryRule(method="points", points=(5, 3, 1))
    decision = decide_category("direct", ["a", "b", "c", "d"], RANKINGS, rule, "j3")
    assert [(s.entry, s.total) for s in decision.standings][:2] == [("b", 11), ("a", 9)]
    assert decision.method == "points"


def test_a_decision_can_be_published_and_recomputed() -> None:
    decision = decide_category(
        "direct", ["a", "b", "c"], {"chair": ["a", "b", "c"], "j1": ["b", "a", "c"]}, JuryRule(), "chair"
    )
    published = json.loads(json.dumps(decision.as_dict()))
    assert published["winner"] == "a" and published["method"] == "borda" and published["chair"] == "chair"
    first = published["standings"][0]
    assert first == {
        "entry": "a",
        "place": 1,
        "total": "3",
        "total_float": 3.0,
        "contributions": {"chair": "2", "j1": "1"},
        "ranks": {"chair": 1, "j1": 2},
        "chair": "1",
    }
    for standing in published["standings"]:  # each total is the sum of its jurors' contributions
        assert Fraction(standing["total"]) == sum(Fraction(v) for v in standing["contributions"].values())
    assert published["tie_breaks"] == [
        {
            "entries": ["a", "b"],
            "method": "chair",
            "resolved": True,
            "order": [["a"], ["b"]],
            "note": "the chair's preference orders them",
        }
    ]


# --- special prizes -------------------------------------------------------------------------------------------

ELIGIBLE = ["rotterdam-balie", "purmerend-dopper", "utrecht-wijk"]


def test_special_prize_most_votes_win() -> None:
    votes = {"chair": "utrecht-wijk", "j1": "rotterdam-balie", "j2": "rotterdam-balie", "j3": None}
    decision = decide_special_prize(ACTUALITEITSTROFEE, ELIGIBLE, votes, chair="chair")
    assert decision.winner == "rotterdam-balie" and decision.subject == "actualiteitstrofee"
    assert totals(decision) == {"rotterdam-balie": 2, "utrecht-wijk": 1, "purmerend-dopper": 0}
    assert decision.jurors == ("chair", "j1", "j2")  # j3 abstained
    assert dict(decision.standings[0].contributions) == {"j1": 1, "j2": 1}


def test_special_prize_tie_goes_to_the_chairs_vote_when_it_is_one_of_them() -> None:
    decision = decide_special_prize(
        ACTUALITEITSTROFEE, ELIGIBLE, {"chair": "utrecht-wijk", "j1": "rotterdam-balie"}, "chair"
    )
    assert decision.winner == "utrecht-wijk"
    assert decision.tie_breaks[0].note == "the chair's preference orders them"
    three_way = {"chair": "utrecht-wijk", "j1": "rotterdam-balie", "j2": "purmerend-dopper"}
    decision = decide_special_prize(ACTUALITEITSTROFEE, ELIGIBLE, three_way, "chair")
    assert decision.winner == "utrecht-wijk"
    assert [(s.entry, s.place) for s in decision.standings] == [
        ("utrecht-wijk", 1),
        ("purmerend-dopper", 2),
        ("rotterdam-balie", 2),
    ]
    assert decision.tie_breaks[0].note == "the chair's preference puts one first; the others stay tied"
    votes = {
        "chair": "purmerend-dopper",
        "j1": "rotterdam-balie",
        "j2": "utrecht-wijk",
        "j3": "rotterdam-balie",
        "j4": "utrecht-wijk",
    }
    undecided = decide_special_prize(ACTUALITEITSTROFEE, ELIGIBLE, votes, "chair")
    assert (undecided.winner, undecided.tied_for_first) == (None, ("rotterdam-balie", "utrecht-wijk"))


def test_special_prize_without_votes_is_not_awarded() -> None:
    decision = decide_special_prize(ACTUALITEITSTROFEE, ELIGIBLE, {"chair": None, "j1": None}, "chair")
    assert (decision.winner, decision.tied_for_first, decision.decided) == (None, (), False)
    assert decision.note == "no votes: the prize is not awarded"
    assert json.loads(json.dumps(decision.as_dict()))["note"] == decision.note


def test_special_prize_refuses_votes_for_entries_that_are_not_eligible() -> None:
    with pytest.raises(
        ValueError, match=re.escape("votes for entries that are not eligible: {'j1': 'gent-proactief'}")
    ):
        decide_special_prize(ACTUALITEITSTROFEE, ELIGIBLE, {"j1": "gent-proactief"}, "chair")
    with pytest.raises(ValueError, match="need distinct eligible entries"):
        decide_special_prize(ACTUALITEITSTROFEE, [], {}, "chair")
    other = SpecialPrize("publieksprijs", Text("Publieksprijs"), Text("Door het publiek."), eligibility="entries")
    assert decide_special_prize(other, ELIGIBLE, {"j1": "utrecht-wijk"}, "chair").winner == "utrecht-wijk"

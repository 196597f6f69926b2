"""Properties of the decision maths that must hold for every input (hypothesis): Borda's invariants, the
finalist selection's seats, and assessor teams against an exhaustive search on tiny rounds."""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from itertools import combinations, product

from gemeentedelers.plugins.api import FinalistRule, JuryRule
from hypothesis import given, settings
from hypothesis import strategies as st

from gemeentedelers.assessment.rules import InfeasibleTeams, form_teams, select_finalists
from gemeentedelers.jury.rules import borda, decide_category, points

# --- Borda ----------------------------------------------------------------------------------------------------


@st.composite
def elections(draw: st.DrawFn) -> tuple[list[str], dict[str, list[str]]]:
    entries = [f"e{i}" for i in range(draw(st.integers(2, 6)))]
    jurors = [f"j{i}" for i in range(draw(st.integers(1, 6)))]
    return entries, {j: draw(st.permutations(entries)) for j in jurors}


def beats(rankings: dict[str, list[str]], x: str, y: str) -> bool:
    """x beats y head to head: more jurors rank x above y than the other way round."""
    above = sum(r.index(x) < r.index(y) for r in rankings.values())
    return above > len(rankings) - above


@given(elections())
def test_borda_hands_out_every_juror_the_same_points(election: tuple[list[str], dict[str, list[str]]]) -> None:
    entries, rankings = election
    n, jurors = len(entries), len(rankings)
    tallies = borda(entries, rankings)
    assert sum(t.total for t in tallies.values()) == jurors * n * (n - 1) // 2
    for juror in rankings:
        assert sorted(tallies[e].contributions[juror] for e in entries) == list(range(n))
    # a points table of n-1, ..., 0 is the Borda count
    assert {e: t.total for e, t in points(entries, rankings, range(n - 1, -1, -1)).items()} == {
        e: t.total for e, t in tallies.items()
    }


@given(elections())
def test_borda_reversed_ballots_reverse_the_totals(election: tuple[list[str], dict[str, list[str]]]) -> None:
    entries, rankings = election
    n, jurors = len(entries), len(rankings)
    forward = borda(entries, rankings)
    backward = borda(entries, {j: list(reversed(r)) for j, r in rankings.items()})
    assert all(backward[e].total == jurors * (n - 1) - forward[e].total for e in entries)


@given(elections(), st.data())
def test_decision_places_follow_the_totals_and_the_chair_always_decides(
    election: tuple[list[str], dict[str, list[str]]], data: st.DataObject
) -> None:
    entries, rankings = election
    chair = data.draw(st.sampled_from(sorted(rankings)))
    decision = decide_category("direct", entries, rankings, JuryRule(), chair)
    assert sorted(s.entry for s in decision.standings) == sorted(entries)
    for better, worse in zip(decision.standings, decision.standings[1:], strict=False):
        assert better.total >= worse.total and better.place <= worse.place
        if better.total == worse.total:  # the chair ranked the better one higher
            assert rankings[chair].index(better.entry) < rankings[chair].index(worse.entry)
    assert decision.decided  # the chair's ranking is a total order: every tie is broken
    assert [s.place for s in decision.standings] == list(range(1, len(entries) + 1))
    # Borda never elects a Condorcet loser (an entry every other entry beats head to head)
    winner = decision.winner
    assert winner is not None
    assert not all(beats(rankings, other, winner) for other in entries if other != winner)


@given(elections())
def test_unanimous_jurors_get_their_order(election: tuple[list[str], dict[str, list[str]]]) -> None:
    entries, rankings = election
    order = next(iter(rankings.values()))
    unanimous = {j: list(order) for j in rankings}
    decision = decide_category("direct", entries, unanimous, JuryRule(tie_break="none"), chair="nobody")
    assert [s.entry for s in decision.standings] == list(order)


# --- finalists ------------------------------------------------------------------------------------------------


@st.composite
def rounds(draw: st.DrawFn) -> tuple[dict[str, str], dict[str, list[str]], dict[str, Fraction], FinalistRule]:
    cases = {f"c{i}": draw(st.sampled_from(["direct", "indirect"])) for i in range(draw(st.integers(1, 8)))}
    assessors = [f"a{i}" for i in range(draw(st.integers(1, 5)))]
    ballots = {a: draw(st.permutations(sorted(cases))) for a in assessors}
    reports = {c: Fraction(draw(st.integers(0, 4)), 4) for c in cases}
    rule = FinalistRule(
        finalists_per_category=draw(st.integers(1, 4)), tie_break=draw(st.sampled_from(["report_score", "none"]))
    )
    return cases, ballots, reports, rule


@given(rounds())
@settings(max_examples=200)
def test_finalists_fill_the_seats_exactly_with_ties_left_to_the_organiser(
    drawn: tuple[dict[str, str], dict[str, list[str]], dict[str, Fraction], FinalistRule],
) -> None:
    cases, ballots, reports, rule = drawn
    selection = select_finalists(ballots, reports, rule, cases)
    for key, category in selection.categories.items():
        members = [c for c, k in cases.items() if k == key]
        assert len(category.finalists) + category.open_seats == min(category.seats, len(members))
        assert category.open_seats < len(category.tied) or not category.tied
        statuses = [s.status for s in category.standings]
        assert statuses == sorted(statuses, key=["finalist", "tied", "out"].index)
        if len(members) > category.seats:
            # complete ballots: the score orders the cases as a Borda count over the category does
            k = len(members)
            counts = {
                c: sum(k - 1 - [x for x in b if x in members].index(c) for b in ballots.values()) for c in members
            }
            for s in category.standings:
                assert s.score == Fraction(counts[s.case], len(ballots) * (k - 1))


# --- assessor teams -------------------------------------------------------------------------------------------


@st.composite
def tiny_rounds(draw: st.DrawFn) -> dict[str, object]:
    cases = [f"c{i}" for i in range(draw(st.integers(0, 3)))]
    assessors = [f"a{i}" for i in range(draw(st.integers(1, 4)))]
    team_size = draw(st.integers(1, 3))
    conflicts = draw(st.sets(st.sampled_from([(a, c) for a in assessors for c in cases]))) if cases else set()
    return {
        "cases": cases,
        "assessors": assessors,
        "conflicts": sorted(conflicts),
        "team_size": team_size,
        "min_team_size": draw(st.integers(1, team_size)),
        "max_cases": draw(st.integers(1, 3)),
    }


def all_plans(arguments: dict[str, object]) -> list[tuple[tuple[str, ...], ...]]:
    """Every valid plan, by brute force: a team per case within sizes, conflicts and capacity."""
    cases: Sequence[str] = arguments["cases"]  # type: ignore[assignment]
    assessors: Sequence[str] = arguments["assessors"]  # type: ignore[assignment]
    blocked = set(arguments["conflicts"])  # type: ignore[arg-type]
    lo, hi, cap = arguments["min_team_size"], arguments["team_size"], arguments["max_cases"]
    options = [
        [
            t
            for size in range(lo, hi + 1)
            for t in combinations(assessors, size)
            if not any((a, c) in blocked for a in t)
        ]  # type: ignore[call-overload]
        for c in cases
    ]
    return [
        plan
        for plan in product(*options)
        if all(sum(a in team for team in plan) <= cap for a in assessors)  # type: ignore[operator]
    ]


@given(tiny_rounds())
@settings(max_examples=300, deadline=None)
def test_form_teams_matches_an_exhaustive_search(arguments: dict[str, object]) -> None:
    plans = all_plans(arguments)
    assessors: list[str] = arguments["assessors"]  # type: ignore[assignment]
    try:
        plan = form_teams(**arguments)  # type: ignore[arg-type]
    except InfeasibleTeams as problem:
        assert plans == [], "form_teams found no plan where one exists"
        assert problem.short and all(n < arguments["min_team_size"] for n in problem.short.values())  # type: ignore[operator]
        return
    assert plans, "form_teams returned a plan where none exists"
    teams = plan.teams
    blocked = set(arguments["conflicts"])  # type: ignore[arg-type]
    for case, team in teams.items():
        assert arguments["min_team_size"] <= len(team) <= arguments["team_size"]  # type: ignore[operator]
        assert len(set(team)) == len(team) and not any((a, case) in blocked for a in team)
    assert all(load <= arguments["max_cases"] for load in plan.loads.values())  # type: ignore[operator]
    assert dict(plan.loads) == {a: sum(a in t for t in teams.values()) for a in assessors}

    def loads(p: tuple[tuple[str, ...], ...]) -> list[int]:
        return [sum(a in team for team in p) for a in assessors]

    fullest = max(sum(map(len, p)) for p in plans)
    assert sum(map(len, teams.values())) == fullest  # as many places filled as possible
    best = [p for p in plans if sum(map(len, p)) == fullest]
    ours = list(plan.loads.values())
    assert sum(x * x for x in ours) == min(sum(x * x for x in loads(p)) for p in best)  # most even spread
    assert max(ours, default=0) == min(max(loads(p), default=0) for p in best)  # and the lightest busiest load

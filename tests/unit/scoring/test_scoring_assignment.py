"""Assignment planner: hard rules (k each, capacity, conflicts, no repeats), balance, errors, adaptivity."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import maximum_flow

from gemeentedelers.scoring.assignment import (
    InfeasiblePlanError,
    Pair,
    loads,
    plan_adaptive_wave,
    plan_first_wave,
    plan_spread,
    plan_top_up,
    replace_scorer,
)
from gemeentedelers.scoring.ranking import top_n_probability
from gemeentedelers.scoring.ratermodel import fit
from gemeentedelers.scoring.ratings import Ratings
from gemeentedelers.scoring.simulation import make_world


def assert_valid(
    plan: Sequence[Pair],
    capacity: Mapping[str, int],
    conflicts: Iterable[Pair] = (),
    existing: Iterable[Pair] = (),
) -> None:
    existing = list(existing)
    assert len(set(plan)) == len(plan), "a pair is planned twice"
    assert not set(plan) & set(conflicts), "a conflict is planned"
    assert not set(plan) & set(existing), "a scorer rates an entry again"
    total = Counter(s for s, _ in list(plan) + existing)
    for scorer, n in total.items():
        assert n <= capacity.get(scorer, 0), f"{scorer} over capacity"


def spread_of_loads(pairs: Iterable[Pair], capacity: Mapping[str, int]) -> int:
    """max - min load among scorers that still have room."""
    load = Counter(s for s, _ in pairs)
    with_room = [load.get(s, 0) for s, c in capacity.items() if load.get(s, 0) < c]
    return max(with_room) - min(with_room) if with_room else 0


def _flow_graph(n_entries: int, n_scorers: int) -> tuple[int, int, int]:
    """Node numbers: source 0, entries 1.., scorers after them, then the sink."""
    return 0, 1 + n_entries, 1 + n_entries + n_scorers


def max_coverage(subs: Sequence[str], capacity: Mapping[str, int], k: int, conflicts: Iterable[Pair]) -> int:
    """Most ratings any plan can place (independent check by max flow)."""
    scorers = list(capacity)
    source, first_scorer, sink = _flow_graph(len(subs), len(scorers))
    blocked = set(conflicts)
    edges: dict[tuple[int, int], int] = {}
    for e, sub in enumerate(subs):
        edges[source, 1 + e] = k
        for s, scorer in enumerate(scorers):
            if (scorer, sub) not in blocked:
                edges[1 + e, first_scorer + s] = 1
    for s, scorer in enumerate(scorers):
        edges[first_scorer + s, sink] = capacity[scorer]
    return _max_flow(edges, source, sink, sink + 1)


def _max_flow(edges: Mapping[tuple[int, int], int], source: int, sink: int, n_nodes: int) -> int:
    rows, cols = zip(*edges, strict=True)
    values = np.array(list(edges.values()), dtype=np.int32)
    graph = sp.csr_matrix((values, (rows, cols)), shape=(n_nodes, n_nodes))
    return int(maximum_flow(graph, source, sink).flow_value)


def balance_possible(subs: Sequence[str], capacity: Mapping[str, int], k: int, conflicts: Iterable[Pair]) -> bool:
    """Whether some plan gives every scorer min(cap, L) .. min(cap, L + 1) ratings for some L.

    Max flow with lower bounds (super source/sink construction); an independent check of the balance the
    planner promises "where feasible".
    """
    scorers = list(capacity)
    source, first_scorer, sink = _flow_graph(len(subs), len(scorers))
    super_source, super_sink = sink + 1, sink + 2
    blocked = set(conflicts)
    total = k * len(subs)
    for level in range(total + 1):
        low = [min(capacity[s], level) for s in scorers]
        high = [min(capacity[s], level + 1) for s in scorers]
        if sum(low) > total:
            return False
        if sum(high) < total:
            continue
        edges: dict[tuple[int, int], int] = {}

        def add(u: int, v: int, c: int, edges: dict[tuple[int, int], int] = edges) -> None:
            if c > 0:
                edges[u, v] = edges.get((u, v), 0) + c

        required = 0
        for e, sub in enumerate(subs):  # exactly k per entry: lower bound k, upper bound k
            add(super_source, 1 + e, k)
            add(source, super_sink, k)
            required += k
            for s, scorer in enumerate(scorers):
                if (scorer, sub) not in blocked:
                    add(1 + e, first_scorer + s, 1)
        for s in range(len(scorers)):
            add(first_scorer + s, sink, high[s] - low[s])
            add(super_source, sink, low[s])
            add(first_scorer + s, super_sink, low[s])
            required += low[s]
        add(sink, source, total)
        if _max_flow(edges, super_source, super_sink, super_sink + 1) == required:
            return True
    return False


def test_first_wave_invariants_on_a_realistic_round() -> None:
    world = make_world(0)
    capacity = dict.fromkeys(world.scorer_ids, 12)
    plan = plan_first_wave(world.submission_ids, capacity, 5, conflicts=world.conflicts, seed=1)
    assert_valid(plan, capacity, world.conflicts)
    assert set(Counter(e for _, e in plan).values()) == {5}
    assert set(loads(plan).values()) == {10}
    assert plan == plan_first_wave(world.submission_ids, capacity, 5, conflicts=world.conflicts, seed=1)
    assert plan != plan_first_wave(world.submission_ids, capacity, 5, conflicts=world.conflicts, seed=2)


def test_uneven_capacities_fill_the_small_ones_and_balance_the_rest() -> None:
    subs = [f"E{i}" for i in range(30)]
    capacity = {"tiny": 2, "small": 5, **{f"S{i}": 40 for i in range(8)}}
    plan = plan_first_wave(subs, capacity, 3, seed=0)
    assert_valid(plan, capacity)
    assert spread_of_loads(plan, capacity) <= 1
    assert loads(plan)["tiny"] == 2


instances = st.fixed_dictionaries(
    {
        "n_entries": st.integers(1, 12),
        "n_scorers": st.integers(1, 9),
        "k": st.integers(1, 4),
        "capacities": st.lists(st.integers(0, 10), min_size=9, max_size=9),
        "conflict_bits": st.lists(st.booleans(), min_size=12 * 9, max_size=12 * 9),
        "conflict_rate": st.sampled_from([0.0, 0.1, 0.3, 0.7]),
        "seed": st.integers(0, 2**16),
    }
)


@settings(max_examples=150, deadline=None)
@given(instances)
def test_property_first_wave_is_valid_balanced_or_provably_infeasible(inst: dict) -> None:
    subs = [f"E{i}" for i in range(inst["n_entries"])]
    scorers = [f"S{i}" for i in range(inst["n_scorers"])]
    capacity = dict(zip(scorers, inst["capacities"], strict=False))
    rng = np.random.default_rng(inst["seed"])
    conflicts = [
        (s, e)
        for i, s in enumerate(scorers)
        for j, e in enumerate(subs)
        if inst["conflict_bits"][i * 12 + j] and rng.random() < inst["conflict_rate"] * 2
    ]
    k = inst["k"]
    possible = max_coverage(subs, capacity, k, conflicts)
    try:
        plan = plan_first_wave(subs, capacity, k, conflicts=conflicts, seed=inst["seed"])
    except InfeasiblePlanError as exc:
        assert possible < k * len(subs), "the planner gave up on a feasible instance"
        assert exc.uncovered and str(exc)
        return
    assert possible == k * len(subs)
    assert_valid(plan, capacity, conflicts)
    assert Counter(e for _, e in plan) == dict.fromkeys(subs, k)
    if spread_of_loads(plan, capacity) > 1:
        assert not balance_possible(subs, capacity, k, conflicts), "a balanced plan exists but was not found"


def test_infeasible_capacity_names_the_shortfall() -> None:
    with pytest.raises(InfeasiblePlanError, match=r"not enough capacity.*can take 8 more.*30"):
        plan_first_wave([f"E{i}" for i in range(10)], {"A": 4, "B": 4}, 3)


def test_infeasible_conflicts_name_the_submission() -> None:
    subs = ["E1", "E2", "E3"]
    capacity = {"A": 5, "B": 5, "C": 5}
    conflicts = [("A", "E2"), ("B", "E2")]
    with pytest.raises(InfeasiblePlanError, match=r"E2 \(gets 1 of 2; 1 scorer\(s\).*2 conflict") as caught:
        plan_first_wave(subs, capacity, 2, conflicts=conflicts)
    assert caught.value.uncovered == {"E2": 1}


def test_augmenting_chains_find_plans_greedy_would_miss() -> None:
    # Greedy least-loaded choices can use up the only scorer an entry may have; the planner must recover.
    subs = [f"E{i}" for i in range(6)]
    capacity = {"A": 3, "B": 3}
    conflicts = [("B", "E0"), ("B", "E1"), ("B", "E2")]
    plan = plan_first_wave(subs, capacity, 1, conflicts=conflicts, seed=3)
    assert_valid(plan, capacity, conflicts)
    assert {e for s, e in plan if s == "A"} == {"E0", "E1", "E2"}


def test_top_up_and_spread_count_existing_ratings() -> None:
    subs = [f"E{i}" for i in range(8)]
    capacity = {f"S{i}": 10 for i in range(6)}
    existing = [("S0", "E0"), ("S1", "E0"), ("S0", "E1")]
    topup = plan_top_up(subs, capacity, 3, existing=existing, seed=0)
    assert_valid(topup, capacity, existing=existing)
    have = Counter(e for _, e in topup + existing)
    assert set(have.values()) == {3}
    spread = plan_spread(subs, capacity, 13, existing=existing, seed=0)
    assert len(spread) == 13
    have = Counter(e for _, e in spread + existing)
    assert max(have.values()) - min(have.values()) <= 1


def test_adaptive_wave_targets_entries_near_the_cut_off() -> None:
    world = make_world(11)
    first = plan_first_wave(world.submission_ids, world.capacity, 3, conflicts=world.conflicts, seed=11)
    model = fit(world.rate(first))
    p_top = top_n_probability(model, 20, draws=1000, seed=0)
    wave = plan_adaptive_wave(model, 60, world.capacity, top_n=20, conflicts=world.conflicts, p_top=p_top, seed=0)
    assert len(wave) == 60
    assert_valid(wave, world.capacity, world.conflicts, existing=first)
    position = {sid: i for i, sid in enumerate(model.submission_ids)}
    extra = np.zeros(len(p_top))
    for _, sid in wave:
        extra[position[sid]] += 1
    doubt = np.minimum(p_top, 1 - p_top)
    assert doubt[extra > 0].min() > 0.05  # every targeted entry is genuinely in doubt
    assert doubt[extra > 0].mean() > 10 * doubt[extra == 0].mean()
    assert extra[doubt < 0.001].sum() == 0  # settled entries get nothing
    # the ratings go to the most reliable scorers (a third of them here), balanced among those
    weight = {c.scorer_id: c.weight for c in model.scorers()}
    used = {s for s, _ in wave}
    ranked = sorted(weight, key=lambda s: -weight[s])
    assert used <= set(ranked[:18])
    assert min(weight[s] for s in used) > np.median(list(weight.values()))
    assert spread_of_loads([p for p in first + wave if p[0] in used], {s: world.capacity[s] for s in used}) <= 1


def test_adaptive_wave_widens_the_reliable_pool_when_it_lacks_room() -> None:
    world = make_world(11)
    first = plan_first_wave(world.submission_ids, world.capacity, 3, conflicts=world.conflicts, seed=11)
    model = fit(world.rate(first))
    capacity = dict.fromkeys(world.scorer_ids, 8)  # 6 each already: room for 2 more, 120 for 60 scorers
    wave = plan_adaptive_wave(model, 100, capacity, top_n=20, conflicts=world.conflicts, seed=0)
    assert len(wave) == 100
    assert_valid(wave, capacity, world.conflicts, existing=first)
    assert len({s for s, _ in wave}) >= 50  # nearly every scorer with room takes part
    with pytest.raises(ValueError, match="reliable_share"):
        plan_adaptive_wave(model, 10, capacity, reliable_share=0)


def test_adaptive_wave_skips_careless_scorers_and_respects_capacity() -> None:
    world = make_world(12)
    first = plan_first_wave(world.submission_ids, world.capacity, 6, conflicts=world.conflicts, seed=12)
    model = fit(world.rate(first))
    calibration = {c.scorer_id: c for c in model.scorers()}
    capacity = dict.fromkeys(world.scorer_ids, 14)  # everyone has 12 already: room for 2 more each
    wave = plan_adaptive_wave(model, 80, capacity, conflicts=world.conflicts, seed=0)
    assert_valid(wave, capacity, world.conflicts, existing=first)
    used = {s for s, _ in wave}
    assert all(calibration[s].weight >= 0.25 for s in used)
    with pytest.raises(InfeasiblePlanError, match="not enough capacity"):
        plan_adaptive_wave(model, 1000, capacity, conflicts=world.conflicts, seed=0)


def test_replace_scorer_moves_only_the_unfinished_entries() -> None:
    world = make_world(13)
    capacity = dict.fromkeys(world.scorer_ids, 12)
    plan = plan_first_wave(world.submission_ids, capacity, 5, conflicts=world.conflicts, seed=0)
    dropped = world.scorer_ids[0]
    theirs = [p for p in plan if p[0] == dropped]
    completed = theirs[:3]
    revised = replace_scorer(plan, dropped, capacity, completed=completed, conflicts=world.conflicts, seed=0)
    assert [p for p in revised if p[0] == dropped] == sorted(completed)
    others_before = {p for p in plan if p[0] != dropped}
    assert others_before <= set(revised)
    new = set(revised) - set(plan)
    assert {e for _, e in new} == {e for _, e in theirs[3:]}
    assert_valid(revised, capacity, world.conflicts)
    assert Counter(e for _, e in revised) == Counter(e for _, e in plan)
    assert max(Counter(s for s, _ in new).values()) == 1  # spread over the least-loaded others


adaptive_instances = st.fixed_dictionaries(
    {
        "n_entries": st.integers(2, 10),
        "n_scorers": st.integers(2, 8),
        "room": st.lists(st.integers(0, 4), min_size=8, max_size=8),
        "budget": st.integers(1, 20),
        "conflict_rate": st.sampled_from([0.0, 0.2, 0.5]),
        "seed": st.integers(0, 2**16),
    }
)


@settings(max_examples=80, deadline=None)
@given(adaptive_instances)
def test_property_adaptive_wave_places_the_budget_whenever_possible(inst: dict) -> None:
    rng = np.random.default_rng(inst["seed"])
    subs = [f"E{i}" for i in range(inst["n_entries"])]
    scorers = [f"S{i}" for i in range(inst["n_scorers"])]
    first = plan_first_wave(subs, dict.fromkeys(scorers, len(subs)), min(2, len(scorers)), seed=inst["seed"])
    ratings = Ratings.from_rows((e, s, "c", int(rng.integers(1, 11))) for s, e in first)
    model = fit(ratings, submissions=subs)
    have = Counter(s for s, _ in first)
    capacity = {s: have[s] + inst["room"][i] for i, s in enumerate(scorers)}
    conflicts = [
        (s, e) for s in scorers for e in subs if (s, e) not in set(first) and rng.random() < inst["conflict_rate"]
    ]
    median_w = float(np.median(model.weight))
    weight = dict(zip(model.scorer_ids, model.weight, strict=True))
    eligible = {s for s in scorers if weight.get(s, median_w) >= 0.25 * median_w}  # newcomers count as typical

    # Independent bound: max flow over eligible scorers' remaining room and allowed new pairs.
    blocked = set(first) | set(conflicts)
    room = {s: (capacity[s] - have[s]) if s in eligible else 0 for s in scorers}
    possible = min(inst["budget"], max_coverage(subs, room, inst["budget"], blocked))
    try:
        wave = plan_adaptive_wave(model, inst["budget"], capacity, top_n=2, conflicts=conflicts, draws=200, seed=0)
    except InfeasiblePlanError:
        assert possible < inst["budget"]
        return
    assert len(wave) == inst["budget"] == possible
    assert_valid(wave, capacity, conflicts, existing=first)
    assert {s for s, _ in wave} <= eligible

"""Round-1 benchmark: how well each aggregation method finds the true top 20 with few ratings.

Run: ``.venv/bin/python tests/bench/round1.py [--seeds 30] [--quick]``. A command, not a test: it prints a
table with mean +- standard error over seeds, PASS/FAIL for the targets, the ratings per entry each
method needs for recall 0.85, and scale timings. Methods are paired: per seed they see the same world
and the same first wave (scores are a fixed function of world, scorer and entry).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.stats import kendalltau

try:
    import gemeentedelers.scoring  # noqa: F401
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from gemeentedelers.scoring.assignment import plan_adaptive_wave, plan_first_wave, plan_top_up
from gemeentedelers.scoring.baselines import Scores, plain_mean, top_ids, zscore_mean
from gemeentedelers.scoring.crowdbt import crowd_bt
from gemeentedelers.scoring.ranking import rank
from gemeentedelers.scoring.ratermodel import fit
from gemeentedelers.scoring.ratings import Ratings
from gemeentedelers.scoring.simulation import World, WorldConfig, make_world

TOP = 20
METHODS = ("plain mean", "z-scores", "Crowd-BT", "ours static", "ours adaptive")


@dataclass(frozen=True)
class Outcome:
    recall: float
    top10: float
    tau: float


def _outcome(world: World, selected: Sequence[str], estimate: dict[str, float]) -> Outcome:
    truth_top, truth_top10 = world.true_top(TOP), world.true_top(10)
    chosen = set(selected)
    # Entries a method never saw rank at the bottom (cannot happen with full first waves; be safe).
    est = np.array([estimate.get(s, -np.inf) for s in world.submission_ids])
    est = np.where(np.isfinite(est), est, np.nanmin(est[np.isfinite(est)]) - 1)
    return Outcome(
        recall=len(chosen & truth_top) / TOP,
        top10=len(chosen & truth_top10) / 10,
        tau=float(kendalltau(est, world.truth).statistic),
    )


def _baseline(world: World, scores: Scores) -> Outcome:
    return _outcome(world, top_ids(scores, TOP), scores.as_dict())


def _ours(world: World, ratings: Ratings, seed: int) -> Outcome:
    model = fit(ratings, submissions=world.submission_ids)
    ranking = rank(model, TOP, seed=seed)
    return _outcome(
        world, [r.submission_id for r in ranking if r.advances], {r.submission_id: r.estimate for r in ranking}
    )


def first_wave_size(k: int) -> int:
    """Ratings per entry in the first wave of the adaptive method: about 60% of the budget, at least 2."""
    return min(k, max(2, round(0.6 * k)))


def run_seed(seed: int, k: int, waves: int = 2, methods: Sequence[str] = METHODS) -> dict[str, Outcome]:
    world = make_world(seed, WorldConfig())
    subs, cap = world.submission_ids, world.capacity
    k0 = first_wave_size(k)
    wave0 = plan_first_wave(subs, cap, k0, conflicts=world.conflicts, seed=seed)
    static_pairs = wave0 + plan_top_up(subs, cap, k, existing=wave0, conflicts=world.conflicts, seed=seed + 1)
    static = world.rate(static_pairs)
    out: dict[str, Outcome] = {}
    if "plain mean" in methods:
        out["plain mean"] = _baseline(world, plain_mean(static))
    if "z-scores" in methods:
        out["z-scores"] = _baseline(world, zscore_mean(static))
    if "Crowd-BT" in methods:
        out["Crowd-BT"] = _baseline(world, crowd_bt(static, seed=seed))
    if "ours static" in methods:
        out["ours static"] = _ours(world, static, seed)
    if "ours adaptive" in methods:
        pairs = list(wave0)
        extra = (k - k0) * len(subs)
        for w in range(waves):
            budget = extra // waves + (1 if w < extra % waves else 0)
            if not budget:
                continue
            model = fit(world.rate(pairs), submissions=subs)
            pairs += plan_adaptive_wave(model, budget, cap, top_n=TOP, conflicts=world.conflicts, seed=seed * 100 + w)
        out["ours adaptive"] = _ours(world, world.rate(pairs), seed)
    return out


def _mean_se(values: Sequence[float]) -> tuple[float, float]:
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / np.sqrt(len(values)) if len(values) > 1 else float("nan")
    return mean, float(se)


def _fmt(values: Sequence[float]) -> str:
    mean, se = _mean_se(values)
    return f"{mean:.3f} ± {se:.3f}"


def accuracy_table(seeds: Sequence[int], ks: Sequence[int]) -> dict[int, dict[str, list[Outcome]]]:
    results: dict[int, dict[str, list[Outcome]]] = {}
    for k in ks:
        per_method: dict[str, list[Outcome]] = {m: [] for m in METHODS}
        for seed in seeds:
            for method, outcome in run_seed(seed, k).items():
                per_method[method].append(outcome)
        results[k] = per_method
    return results


def print_accuracy(results: dict[int, dict[str, list[Outcome]]], n_seeds: int) -> None:
    print(f"Accuracy: 120 entries, 60 scorers, top {TOP}, {n_seeds} paired seeds (mean ± standard error)")
    print(f"{'k':>3}  {'method':<14} {'recall top 20':>15} {'top 10 kept':>15} {'Kendall tau':>15}")
    for k, per_method in results.items():
        for method in METHODS:
            rows = per_method[method]
            print(
                f"{k:>3}  {method:<14} {_fmt([o.recall for o in rows]):>15} {_fmt([o.top10 for o in rows]):>15} "
                f"{_fmt([o.tau for o in rows]):>15}"
            )
    print()


def print_targets(results: dict[int, dict[str, list[Outcome]]]) -> bool:
    at5 = results[5]
    adaptive_recall, _ = _mean_se([o.recall for o in at5["ours adaptive"]])
    adaptive_top10, _ = _mean_se([o.top10 for o in at5["ours adaptive"]])
    diff = [a.recall - b.recall for a, b in zip(at5["ours static"], at5["plain mean"], strict=True)]
    diff_mean, diff_se = _mean_se(diff)
    checks = [
        (f"k=5 ours adaptive recall of true top 20 >= 0.85: {adaptive_recall:.3f}", adaptive_recall >= 0.85),
        (f"k=5 ours adaptive keeps >= 0.97 of true top 10: {adaptive_top10:.3f}", adaptive_top10 >= 0.97),
        (
            f"k=5 ours static - plain mean recall >= 0.03 (paired): {diff_mean:+.3f} ± {diff_se:.3f}",
            diff_mean >= 0.03,
        ),
    ]
    print("Targets")
    for text, ok in checks:
        print(f"  {'PASS' if ok else 'FAIL'}  {text}")
    print()
    return all(ok for _, ok in checks)


def ratings_needed(seeds: Sequence[int], ks: Sequence[int], goal: float = 0.85) -> dict[str, int | None]:
    """Smallest k (ratings per entry) at which a method's mean recall reaches ``goal``; None: not in ``ks``."""
    needed: dict[str, int | None] = dict.fromkeys(METHODS)
    curve: dict[str, list[str]] = {m: [] for m in METHODS}
    for k in ks:
        todo = [m for m in METHODS if needed[m] is None]
        if not todo:
            break
        per_method: dict[str, list[float]] = {m: [] for m in todo}
        for seed in seeds:
            for method, outcome in run_seed(seed, k, methods=todo).items():
                per_method[method].append(outcome.recall)
        for method in todo:
            mean = statistics.fmean(per_method[method])
            curve[method].append(f"{k}:{mean:.3f}")
            if mean >= goal:
                needed[method] = k
    print(f"Ratings per entry needed for mean recall >= {goal} (k searched {ks[0]}..{ks[-1]}, {len(seeds)} seeds)")
    for method in METHODS:
        value = needed[method]
        shown = f"> {ks[-1]}" if value is None else f"<= {value}" if value == ks[0] else str(value)
        print(f"  {method:<14} {shown:>5}    recall by k: {' '.join(curve[method])}")
    print()
    return needed


def _median_time(action: Callable[[int], object], runs: int) -> float:
    times = []
    for i in range(runs):
        start = time.perf_counter()
        action(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def print_scale(runs: int) -> None:
    big = make_world(0, WorldConfig(n_entries=5000, n_scorers=1000))
    pairs = plan_first_wave(big.submission_ids, dict.fromkeys(big.scorer_ids, 60), 10, seed=0)
    ratings = big.rate(pairs)
    rank_time = _median_time(lambda i: rank(fit(ratings), TOP, seed=i), runs)

    rng = np.random.default_rng(0)
    subs = [f"E{i:04d}" for i in range(2000)]
    scorers = [f"S{i:04d}" for i in range(1000)]
    conflicts = [(s, subs[int(j)]) for s in scorers for j in rng.choice(len(subs), 2, replace=False)]
    capacity = dict.fromkeys(scorers, 25)
    plan_time = _median_time(lambda i: plan_first_wave(subs, capacity, 10, conflicts=conflicts, seed=i), runs)
    print(f"Scale (median of {runs} runs)")
    print(
        f"  {'PASS' if rank_time < 2 else 'FAIL'}  fit + rank 5,000 entries x 10 ratings x 3 criteria "
        f"(incl. 2,000 top-N draws): {rank_time:.2f} s (target < 2 s)"
    )
    print(
        f"  {'PASS' if plan_time < 5 else 'FAIL'}  first-wave plan 2,000 entries x 10 ratings, 1,000 scorers, "
        f"2,000 conflicts: {plan_time:.2f} s (target < 5 s)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=30, help="seeds for the accuracy table (default 30)")
    parser.add_argument("--search-seeds", type=int, default=None, help="seeds for the k search (default: --seeds)")
    parser.add_argument("--quick", action="store_true", help="10 seeds, k search 3..10, one timing run")
    args = parser.parse_args(argv)
    n_seeds = 10 if args.quick else args.seeds
    n_search = args.search_seeds or n_seeds
    seeds = list(range(n_seeds))
    started = time.perf_counter()
    results = accuracy_table(seeds, (5, 8))
    print_accuracy(results, n_seeds)
    ok = print_targets(results)
    ratings_needed(list(range(n_search)), list(range(3, 11 if args.quick else 17)))
    print_scale(1 if args.quick else 3)
    print(f"\n(benchmark took {time.perf_counter() - started:.0f} s)")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())

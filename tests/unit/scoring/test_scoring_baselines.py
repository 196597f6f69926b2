"""Baselines: spreadsheet mean, per-scorer z-scores and Crowd-BT behave as their definitions say."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from scipy.stats import kendalltau

from gemeentedelers.scoring import crowdbt
from gemeentedelers.scoring.baselines import plain_mean, top_ids, zscore_mean
from gemeentedelers.scoring.crowdbt import CrowdBT, crowd_bt, implied_comparisons


def test_plain_mean_is_the_average_composite(uniform_ratings) -> None:
    ratings = uniform_ratings([("A", "E1", 6), ("B", "E1", 9), ("A", "E2", 7)])
    assert plain_mean(ratings).as_dict() == pytest.approx({"E1": 7.5, "E2": 7.0})


def test_zscores_remove_leniency(uniform_ratings) -> None:
    # A is lenient, B strict, but both order the entries the same way.
    rows = [("A", f"E{i}", 6 + i) for i in range(4)] + [("B", f"E{i}", 1 + i) for i in range(4)]
    scores = zscore_mean(uniform_ratings(rows)).as_dict()
    assert scores["E3"] > scores["E2"] > scores["E1"] > scores["E0"]
    assert scores["E0"] == pytest.approx(-scores["E3"])
    # A scorer with one rating carries no information in z-scores.
    single = zscore_mean(uniform_ratings([*rows, ("C", "E9", 10)])).as_dict()
    assert single["E9"] == 0.0


def test_top_ids_breaks_ties_by_id(uniform_ratings) -> None:
    scores = plain_mean(uniform_ratings([("A", "E2", 5), ("A", "E1", 5), ("A", "E3", 9)]))
    assert top_ids(scores, 2) == ["E3", "E1"]


def test_gavel_constants() -> None:
    assert (crowdbt.GAMMA, crowdbt.LAMBDA, crowdbt.KAPPA) == (0.1, 1.0, 0.0001)
    assert (crowdbt.MU_PRIOR, crowdbt.SIGMA_SQ_PRIOR, crowdbt.ALPHA_PRIOR, crowdbt.BETA_PRIOR) == (0, 1, 10, 1)


def test_implied_comparisons_skip_ties_and_are_seeded(uniform_ratings) -> None:
    ratings = uniform_ratings([("A", "E1", 8), ("A", "E2", 5), ("A", "E3", 5), ("B", "E1", 3), ("B", "E2", 4)])
    comparisons = implied_comparisons(ratings, seed=1)
    assert sorted(comparisons) == [("A", "E1", "E2"), ("A", "E1", "E3"), ("B", "E2", "E1")]
    assert comparisons == implied_comparisons(ratings, seed=1)


def test_crowd_bt_recovers_a_consistent_order() -> None:
    items = [f"I{i}" for i in range(8)]  # I0 is best
    model = CrowdBT()
    rng = np.random.default_rng(0)
    pairs = [(a, b) for a, b in itertools.combinations(range(8), 2)] * 3
    for idx in rng.permutation(len(pairs)):
        a, b = pairs[idx]
        model.compare(f"J{idx % 4}", items[a], items[b])
    mu = model.scores(tuple(items)).score
    assert kendalltau(mu, -np.arange(8)).statistic == pytest.approx(1.0)
    # Consistent judges are believed: their Beta(alpha, beta) stays near "truthful".
    assert all(model.alpha[j] / (model.alpha[j] + model.beta[j]) > 0.85 for j in model.alpha)


def test_crowd_bt_distrusts_a_contrarian_judge() -> None:
    items = [f"I{i}" for i in range(6)]
    model = CrowdBT()
    for _ in range(5):
        for a, b in itertools.combinations(range(6), 2):
            model.compare("honest", items[a], items[b])
            model.compare("contrarian", items[b], items[a])
    honest = model.alpha["honest"] / (model.alpha["honest"] + model.beta["honest"])
    contrarian = model.alpha["contrarian"] / (model.alpha["contrarian"] + model.beta["contrarian"])
    assert contrarian < honest
    assert all(np.isfinite(v) and v > 0 for v in model.sigma_sq.values())


def test_crowd_bt_on_ratings_ranks_clear_differences(uniform_ratings) -> None:
    rows = [(s, f"E{i}", 2 + i) for s in "ABC" for i in range(5)]
    scores = crowd_bt(uniform_ratings(rows), seed=0).as_dict()
    assert top_ids(crowd_bt(uniform_ratings(rows), seed=0), 1) == ["E4"]
    assert scores["E4"] > scores["E0"]

"""Ranking: selection rule with quotas, intervals, ratings validation, the simulated world."""

from __future__ import annotations

import numpy as np
import pytest

from gemeentedelers.scoring.assignment import plan_first_wave
from gemeentedelers.scoring.ranking import rank, select_top, top_n_probability
from gemeentedelers.scoring.ratermodel import fit
from gemeentedelers.scoring.ratings import CriterionSpec, Ratings, RatingsError
from gemeentedelers.scoring.simulation import WorldConfig, make_world


def test_select_top_with_quotas() -> None:
    values = np.array([9.0, 8.0, 7.0, 6.0, 5.0, 1.0])
    groups = np.array([0, 0, 0, 0, 1, 1])
    assert select_top(values, 3).tolist() == [True, True, True, False, False, False]
    # Group 1 must have at least one place: its best (5.0) takes the third place.
    assert select_top(values, 3, groups, np.array([0, 1])).tolist() == [True, True, False, False, True, False]
    # Per column of a draws matrix, exactly top_n advance.
    draws = np.random.default_rng(0).normal(size=(6, 50))
    assert (select_top(draws, 4, groups, np.array([1, 2])).sum(axis=0) == 4).all()


def test_rank_with_category_quotas() -> None:
    world = make_world(31)
    pairs = plan_first_wave(world.submission_ids, world.capacity, 4, conflicts=world.conflicts, seed=0)
    model = fit(world.rate(pairs))
    categories = {sid: ("klein" if i % 4 == 0 else "groot") for i, sid in enumerate(world.submission_ids)}
    plain = rank(model, 20, draws=300)
    quota = rank(model, 20, categories=categories, quotas={"klein": 8}, draws=300)
    assert sum(categories[r.submission_id] == "klein" for r in quota if r.advances) >= 8
    assert sum(r.advances for r in quota) == 20
    assert sum(r.p_top for r in quota) == pytest.approx(20.0)
    assert [r.submission_id for r in quota] == [r.submission_id for r in plain]  # order is by estimate
    with pytest.raises(ValueError, match="more than the 20"):
        rank(model, 20, categories=categories, quotas={"klein": 15, "groot": 15})


def test_rank_validates_its_arguments() -> None:
    world = make_world(32, WorldConfig(n_entries=10, n_scorers=6))
    pairs = plan_first_wave(world.submission_ids, world.capacity, 3, seed=0)
    model = fit(world.rate(pairs))
    with pytest.raises(ValueError):
        rank(model, 0)
    with pytest.raises(ValueError):
        rank(model, 3, level=1.5)
    assert all(r.advances and r.p_top == 1.0 for r in rank(model, 50, draws=100))
    p = top_n_probability(model, 3, draws=100, seed=1)
    assert p.sum() == pytest.approx(3.0)


def test_ratings_validation() -> None:
    with pytest.raises(RatingsError, match="not a whole number") as caught:
        Ratings.from_arrays(["E1", "E1"], ["A", "A"], ["x", "y"], [5, 5.5])
    assert (caught.value.index, caught.value.column) == (1, "score")
    with pytest.raises(RatingsError, match="duplicate of record 1") as caught:
        Ratings.from_rows([("E1", "A", "x", 5), ("E1", "A", "x", 6)])
    assert caught.value.index == 1
    with pytest.raises(RatingsError, match="submission_id is empty"):
        Ratings.from_rows([(" ", "A", "x", 5)])
    ratings = Ratings.from_rows([("E1", "A", "x", 5), ("E1", "A", "y", 6), ("E2", "B", "x", 0)])
    with pytest.raises(RatingsError, match="0 is outside the scale 1-10 of x"):
        ratings.check([CriterionSpec("x"), CriterionSpec("y")])
    ratings.check([CriterionSpec("x", 1, 0, 10), CriterionSpec("y", 0, 1, 10)])  # y unweighted: not required
    with pytest.raises(RatingsError, match="scorer B scored submission E2 but not on y"):
        ratings.check([CriterionSpec("x", 1, 0, 10), CriterionSpec("y", 1, 1, 10)])
    assert ratings.pairs() == {("A", "E1"), ("B", "E2")}


def test_simulated_scores_are_fixed_per_pair() -> None:
    world = make_world(33)
    again = make_world(33)
    assert np.array_equal(world.truth, again.truth)
    a = world.scores(np.array([0, 5, 7]), np.array([1, 2, 3]))
    b = world.scores(np.array([7, 0]), np.array([3, 1]))
    assert np.array_equal(a[[2, 0]], b)  # same pair, same score, whatever else was asked
    assert world.careless.sum() == 6
    assert len(world.conflicts) == 2 * 60
    assert ((a >= 1) & (a <= 10)).all()
    ratings = world.rate([("S01", "E001"), ("S02", "E001")])
    assert len(ratings) == 6 and set(ratings.criteria) == set(world.config.criteria)

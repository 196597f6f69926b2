"""The rater model: biases recovered, lenient/strict corrected, shrinkage, careless scorers down-weighted."""

from __future__ import annotations

import numpy as np
import pytest

from gemeentedelers.scoring.assignment import plan_first_wave
from gemeentedelers.scoring.baselines import plain_mean
from gemeentedelers.scoring.ranking import rank, top_n_probability
from gemeentedelers.scoring.ratermodel import Priors, fit
from gemeentedelers.scoring.ratings import CriterionSpec, Ratings
from gemeentedelers.scoring.simulation import WorldConfig, make_world


def _world_fit(seed: int, k: int, **config: object):
    world = make_world(seed, WorldConfig(**config))  # type: ignore[arg-type]
    pairs = plan_first_wave(world.submission_ids, world.capacity, k, conflicts=world.conflicts, seed=seed)
    return world, fit(world.rate(pairs))


def test_recovers_known_biases() -> None:
    world, model = _world_fit(1, 8, n_entries=200, n_scorers=40, bias_sd=1.0, careless_share=0.0)
    assert model.converged
    true = world.bias - world.bias.mean()
    est = model.bias - model.bias.mean()
    assert np.corrcoef(true, est)[0, 1] > 0.97
    assert np.sqrt(np.mean((true - est) ** 2)) < 0.2
    # The bias spread and the quality spread are estimated, not assumed.
    assert model.bias_spread == pytest.approx(1.0, abs=0.3)
    assert model.quality_sd == pytest.approx(float(np.std(world.truth)), rel=0.15)


def _criterion_split(total: int) -> list[int]:
    """Three integer criterion scores that add up to ``total`` (so the composite is total / 3)."""
    return [total // 3 + (1 if i < total % 3 else 0) for i in range(3)]


def test_lenient_and_strict_scorer_give_the_same_ranking_after_correction() -> None:
    # 15 entries with distinct true composites 10/3 .. 24/3 in shuffled order; each is rated by two of
    # three scorers in rotation: L scores every criterion 2 points high, S 2 points low, N neutral.
    totals = np.random.default_rng(0).permutation(np.arange(10, 25))
    offsets = {"L": 2, "S": -2, "N": 0}
    duos = [("L", "S"), ("L", "N"), ("S", "N")]
    records = []
    for i, total in enumerate(totals):
        entry = f"E{i:02d}"
        for scorer in duos[i % 3]:
            scores = [s + offsets[scorer] for s in _criterion_split(int(total))]
            records += [(entry, scorer, c, s) for c, s in zip(("a", "b", "c"), scores, strict=True)]
    ratings = Ratings.from_rows(records)
    model = fit(ratings)
    bias = dict(zip(model.scorer_ids, model.bias, strict=True))
    assert bias["L"] - bias["S"] == pytest.approx(4.0, abs=0.1)
    assert bias["L"] - bias["N"] == pytest.approx(2.0, abs=0.1)

    truth_order = [f"E{i:02d}" for i in np.argsort(-totals)]
    assert [e.submission_id for e in rank(model, 5, draws=200)] == truth_order
    raw = plain_mean(ratings).as_dict()
    assert sorted(raw, key=lambda e: -raw[e]) != truth_order


def test_shrinkage_one_rating_keeps_bias_near_zero() -> None:
    world = make_world(2, WorldConfig(n_entries=60, n_scorers=20, careless_share=0.0, bias_sd=0.3))
    pairs = plan_first_wave(world.submission_ids, world.capacity, 5, conflicts=world.conflicts, seed=2)
    base = world.rate(pairs)
    truth = dict(zip(world.submission_ids, world.truth, strict=True))

    def plus_three(scorer: str, n: int) -> Ratings:
        """``scorer`` scores the first ``n`` entries 3 points above their true quality."""
        return Ratings.from_rows(
            (sid, scorer, c, int(np.clip(np.rint(truth[sid] + 3), 1, 10)))
            for sid in world.submission_ids[:n]
            for c in world.config.criteria
        )

    newcomer = fit(Ratings.concat([base, plus_three("NEW", 1)])).scorer("NEW")
    veteran = fit(Ratings.concat([base, plus_three("OLD", 30)])).scorer("OLD")
    assert newcomer.n_ratings == 1 and veteran.n_ratings == 30
    # One rating cannot tell leniency from noise: the bias stays near 0 instead of absorbing the +3 ...
    assert abs(newcomer.bias) < 0.6
    assert newcomer.bias_sd > 2 * veteran.bias_sd
    # ... while 30 consistent ratings are recognised as leniency.
    assert veteran.bias == pytest.approx(3.0, abs=0.5)


def test_stronger_noise_prior_shrinks_reliability_differences() -> None:
    world = make_world(3)
    pairs = plan_first_wave(world.submission_ids, world.capacity, 5, conflicts=world.conflicts, seed=3)
    ratings = world.rate(pairs)
    loose = fit(ratings, priors=Priors(noise_dof=3))
    tight = fit(ratings, priors=Priors(noise_dof=200))
    # among the attentive scorers (a careless one's low weight comes from the careless share, not the noise prior)
    attentive = (loose.careless < 0.5) & (tight.careless < 0.5)
    assert attentive.sum() >= 50
    assert np.std(np.log(tight.weight[attentive])) < 0.5 * np.std(np.log(loose.weight[attentive]))


def test_careless_scorers_get_low_weight() -> None:
    world, model = _world_fit(4, 8)
    calibration = model.scorers()
    weight = np.array([c.weight for c in calibration])
    reliability = np.array([c.reliability for c in calibration])
    assert world.careless.sum() == 6
    assert weight[world.careless].max() < 0.4
    assert np.median(weight[~world.careless]) == pytest.approx(1.0, abs=0.15)
    assert reliability[world.careless].max() < np.median(reliability[~world.careless])


def test_top_n_probability_sums_to_n_and_is_reproducible() -> None:
    _, model = _world_fit(5, 4)
    p = top_n_probability(model, 20, draws=500, seed=7)
    assert p.sum() == pytest.approx(20.0)
    assert ((p >= 0) & (p <= 1)).all()
    assert np.array_equal(p, top_n_probability(model, 20, draws=500, seed=7))
    ranking = rank(model, 20, draws=500, seed=7)
    assert sum(r.advances for r in ranking) == 20
    assert sum(r.p_top for r in ranking) == pytest.approx(20.0)
    # The best estimates are near-certain, the worst near-impossible.
    assert ranking[0].p_top > 0.95 and ranking[-1].p_top < 0.01


def test_intervals_cover_the_truth_about_as_often_as_claimed() -> None:
    hits, total = 0, 0
    for seed in range(6):
        world, model = _world_fit(seed, 5)
        offset = np.mean(model.estimate - world.truth)  # the crowd's average leniency is not identifiable
        ranking = rank(model, 20, draws=200, level=0.9)
        truth = dict(zip(world.submission_ids, world.truth + offset, strict=True))
        hits += sum(r.lower <= truth[r.submission_id] <= r.upper for r in ranking)
        total += len(ranking)
    assert 0.82 <= hits / total <= 0.97


def test_unrated_submissions_get_the_prior(uniform_ratings) -> None:
    ratings = uniform_ratings([("A", "E1", 7), ("B", "E1", 8), ("A", "E2", 4), ("B", "E2", 5)])
    model = fit(ratings, submissions=["E1", "E2", "E3"])
    estimate = dict(zip(model.submission_ids, model.estimate, strict=True))
    sd = dict(zip(model.submission_ids, model.sd, strict=True))
    assert estimate["E3"] == pytest.approx(model.mean_quality)
    assert sd["E3"] > sd["E1"]
    assert list(model.n_ratings) == [2, 2, 0]


def test_weights_are_normalised_and_scales_may_differ() -> None:
    ratings = Ratings.from_rows([("E1", "A", "x", 10), ("E1", "A", "y", 1), ("E2", "A", "x", 1), ("E2", "A", "y", 5)])
    # y is on 1-5: 5 maps to 10 and 1 to 1 on the common 1-10 scale; x counts three times as much.
    comp = ratings.composite([CriterionSpec("x", 3, 1, 10), CriterionSpec("y", 1, 1, 5)])
    assert comp.scale == (1.0, 10.0)
    assert sorted(comp.value.tolist()) == pytest.approx([0.75 * 1 + 0.25 * 10, 0.75 * 10 + 0.25 * 1])


def test_fit_is_fast_enough_for_a_large_round() -> None:
    # Not a timing test (see tests/bench/round1.py); only that it converges on a realistic size.
    world, model = _world_fit(6, 6, n_entries=1000, n_scorers=300)
    assert model.converged and model.iterations < 200
    assert np.corrcoef(model.estimate, world.truth)[0, 1] > 0.9

"""Rater model v2: contrasts, careless straight-liners, the versions kept for replay."""

from __future__ import annotations

import numpy as np
import pytest

from gemeentedelers.scoring import ratermodel_v1, ratermodel_v2
from gemeentedelers.scoring.assignment import plan_first_wave
from gemeentedelers.scoring.ratermodel import METHOD, METHODS, fit, fit_with
from gemeentedelers.scoring.ratings import CriterionSpec, Ratings
from gemeentedelers.scoring.simulation import WorldConfig, make_world

STRAIGHTLINERS = WorldConfig(careless_style="straightline", careless_range=(5.0, 8.0), careless_sd=0.5,
                             straightline_jitter=0.1, noise_spread=0.4, halo=0.5, careless_share=0.15)


def _rated(seed: int, k: int, config: WorldConfig = STRAIGHTLINERS):
    world = make_world(seed, config)
    pairs = plan_first_wave(world.submission_ids, world.capacity, k, conflicts=world.conflicts, seed=seed)
    return world, world.rate(pairs)


def test_the_current_version_is_v2_and_v1_stays_callable_for_replay() -> None:
    assert METHOD == ratermodel_v2.METHOD == "rater-model-v2" and set(METHODS) == {"rater-model-v1", METHOD}
    assert fit_with("rater-model-v1") is ratermodel_v1.fit and fit_with(METHOD) is ratermodel_v2.fit
    _, ratings = _rated(1, 4)
    assert np.array_equal(fit(ratings).estimate, ratermodel_v2.fit(ratings).estimate)
    assert ratermodel_v1.fit(ratings).careless is None  # v1 as it was: no careless scorers in its model
    with pytest.raises(LookupError, match="rater-model-v9"):
        fit_with("rater-model-v9")


def test_straightliners_are_found_and_get_almost_no_weight() -> None:
    world, ratings = _rated(2, 8)
    v1, v2 = ratermodel_v1.fit(ratings), ratermodel_v2.fit(ratings)
    order = [v2.scorer_ids.index(s) for s in world.scorer_ids]
    careless = world.careless
    assert v2.careless[order][careless].min() > 0.9
    assert (v2.careless[order][~careless] > 0.5).sum() <= 1  # a very noisy attentive scorer may look careless
    relative_v2 = v2.weight[order] / np.median(v2.weight)
    relative_v1 = v1.weight[order] / np.median(v1.weight)
    assert relative_v2[careless].max() < 0.1
    # v1 could not tell a straight-liner from a noisy attentive scorer: it left them a fifth of a weight or more
    assert np.median(relative_v1[careless]) > 0.2
    assert v2.careless_share == pytest.approx(careless.mean(), abs=0.08)


def test_the_noise_of_attentive_scorers_is_read_better_with_the_contrasts() -> None:
    corr = {1: [], 2: []}
    for seed in range(4):
        world, ratings = _rated(10 + seed, 5)
        for version, model in ((1, ratermodel_v1.fit(ratings)), (2, ratermodel_v2.fit(ratings))):
            order = [model.scorer_ids.index(s) for s in world.scorer_ids]
            attentive = ~world.careless
            corr[version].append(np.corrcoef(np.log(model.weight[order][attentive]),
                                             -np.log(world.noise_sd[attentive]))[0, 1])
    assert np.mean(corr[2]) > np.mean(corr[1]) + 0.05


def test_the_halo_is_estimated() -> None:
    _, none = _rated(3, 8, WorldConfig(halo=0.0, careless_share=0.0, noise_spread=0.2, n_entries=200, n_scorers=40))
    _, strong = _rated(3, 8, WorldConfig(halo=0.8, careless_share=0.0, noise_spread=0.2, n_entries=200,
                                         n_scorers=40))
    # shared / own noise: 0 and 0.8 / 0.2 = 4 (whole-number scores blur both a little)
    assert ratermodel_v2.fit(none).halo < 0.5
    assert 2.0 < ratermodel_v2.fit(strong).halo < 6.0


def test_contrasts_are_orthogonal_to_the_weights_and_to_leniency() -> None:
    records = [("E1", "A", "a", 7), ("E1", "A", "b", 5), ("E1", "A", "c", 3),
               ("E1", "B", "a", 9), ("E1", "B", "b", 7), ("E1", "B", "c", 5)]  # B = A + 2 on every criterion
    equal = ratermodel_v2.pair_scores(Ratings.from_rows(records), (CriterionSpec("a"), CriterionSpec("b"),
                                                                   CriterionSpec("c")))
    assert equal.contrasts.shape == (2, 2)
    assert np.allclose(equal.contrasts[0], equal.contrasts[1])  # leniency cancels
    assert equal.value.tolist() == [5.0, 7.0] and equal.weight_norm2 == pytest.approx(1 / 3)
    weighted = ratermodel_v2.pair_scores(Ratings.from_rows(records), (CriterionSpec("a", 2.0),
                                                                      CriterionSpec("b"), CriterionSpec("c")))
    assert weighted.contrasts.shape == (2, 1)  # orthogonal to the weights and to 1: one direction left
    single = ratermodel_v2.pair_scores(Ratings.from_rows([r for r in records if r[2] == "a"]), (CriterionSpec("a"),))
    assert single.contrasts.shape == (2, 0)


def test_criteria_on_different_scales_and_one_criterion_fit() -> None:
    world, ratings = _rated(4, 5)
    rows = [(s, sc, c, int(v) if c != "herbruikbaar" else round(1 + (int(v) - 1) * 4 / 9))
            for s, sc, c, v in zip(ratings.submission_id, ratings.scorer_id, ratings.criterion, ratings.score,
                                   strict=True)]
    scales = {"succesvol": (1, 10), "waardevol": (1, 10), "herbruikbaar": (1, 5)}
    mixed = ratermodel_v2.fit(Ratings.from_rows(rows), None, scales)
    assert mixed.converged and np.isfinite(mixed.estimate).all()
    one = ratermodel_v2.fit(Ratings.from_rows([r for r in rows if r[2] == "succesvol"]))
    assert one.converged and one.halo == 0.0
    assert np.corrcoef(one.estimate, world.truth)[0, 1] > 0.6


def test_no_ratings_yet_gives_the_prior_for_every_entry() -> None:
    empty = ratermodel_v2.fit(Ratings.from_rows([]), submissions=["E2", "E1"])
    assert empty.submission_ids == ("E1", "E2") and empty.scorer_ids == ()
    assert np.allclose(empty.estimate, 5.5) and (empty.sd > 0).all()

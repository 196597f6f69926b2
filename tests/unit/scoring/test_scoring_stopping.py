"""The stopping rule: the chance that the ratings still to come change who advances."""

from __future__ import annotations

import numpy as np
import pytest

from gemeentedelers.scoring.assignment import plan_first_wave, plan_top_up
from gemeentedelers.scoring.ranking import rank
from gemeentedelers.scoring.ratermodel import fit
from gemeentedelers.scoring.simulation import WorldConfig, make_world
from gemeentedelers.scoring.stopping import STABLE, Stability, shortlist_stability, spread_budget


def _state(k: int, seed: int = 5, **config: object):
    world = make_world(seed, WorldConfig(**config))  # type: ignore[arg-type]
    pairs = plan_first_wave(world.submission_ids, world.capacity, k, conflicts=world.conflicts, seed=seed)
    model = fit(world.rate(pairs), submissions=world.submission_ids)
    ranking = {r.submission_id: r for r in rank(model, 20, draws=1000)}
    advancing = np.array([ranking[s].advances for s in model.submission_ids])
    p_top = np.array([ranking[s].p_top for s in model.submission_ids])
    return world, pairs, model, advancing, p_top


def test_nothing_to_come_changes_nothing() -> None:
    _, _, model, advancing, p_top = _state(3)
    found = shortlist_stability(model, advancing, p_top, 20)
    assert found == Stability(0.0, 0) and found.stable and found.percent == "< 1%"


def test_an_uncertain_shortlist_is_not_stable_and_more_ratings_make_change_likelier() -> None:
    _, _, model, advancing, p_top = _state(3)
    few = shortlist_stability(model, advancing, p_top, 20, budget=20)
    many = shortlist_stability(model, advancing, p_top, 20, budget=240)
    assert few.remaining == 20 and many.remaining == 240
    assert not many.stable and many.p_change > 0.5
    assert few.p_change < many.p_change
    assert shortlist_stability(model, advancing, p_top, 20, budget=240) == many  # seeded: reproducible


def test_a_clear_field_is_stable_with_budget_left(uniform_ratings) -> None:
    # 20 entries every scorer puts far ahead of the other 40 (scores 8-9 against 2-3)
    rows = [(f"S{(e + j) % 12}", f"E{e:02d}", (8 if e < 20 else 2) + (e + j) % 2) for e in range(60) for j in range(3)]
    model = fit(uniform_ratings(rows))
    ranking = {r.submission_id: r for r in rank(model, 20, draws=1000)}
    advancing = np.array([ranking[s].advances for s in model.submission_ids])
    p_top = np.array([ranking[s].p_top for s in model.submission_ids])
    assert advancing.sum() == 20 and all(ranking[f"E{e:02d}"].advances for e in range(20))
    found = shortlist_stability(model, advancing, p_top, 20, budget=120)
    assert found.remaining == 120 and found.stable and found.p_change < STABLE


def test_outstanding_ratings_count_as_still_to_come() -> None:
    world, pairs, model, advancing, p_top = _state(3)
    more = plan_top_up(world.submission_ids, world.capacity, 4, existing=pairs, conflicts=world.conflicts, seed=1)
    outstanding = {s: 1 for _, s in more}
    found = shortlist_stability(model, advancing, p_top, 20, outstanding=outstanding)
    assert found.remaining == len(more) == 120 and found.p_change > 0


def test_the_budget_goes_where_the_cut_off_is_uncertain() -> None:
    _, _, model, _, p_top = _state(3)
    extra = spread_budget(p_top, model.sd, 0.5, 60)
    assert extra.sum() == 60
    doubt = np.minimum(p_top, 1 - p_top)
    assert doubt[extra > 0].mean() > 5 * doubt[extra == 0].mean()
    assert spread_budget(p_top, model.sd, 0.5, 0).sum() == 0


@pytest.mark.parametrize("p,text", [(0.0, "< 1%"), (0.004, "< 1%"), (0.049, "5%"), (0.5, "50%")])
def test_the_chance_reads_as_a_percentage(p: float, text: str) -> None:
    assert Stability(p, 10).percent == text
    assert Stability(p, 10).stable == (p < 0.05)

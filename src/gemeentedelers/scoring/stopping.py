"""When to stop the waves: the chance that the ratings still to come change who advances.

The ratings still to come are those assigned but not yet submitted, plus what is left of the edition's budget,
spread where an adaptive wave would send it (the value-of-information order of :mod:`.voi`). j more ratings of
error variance v shrink an entry's posterior sd to sd_j (1/sd_j^2 = 1/sd^2 + j/v) and move its estimate by a normal
amount of variance sd^2 - sd_j^2 (preposterior analysis, as in :mod:`.voi`). Drawing those moves for every entry
and selecting again under the round's rule gives the probability that the advancing set is not the same
afterwards. Below :data:`STABLE` the shortlist is stable: another wave would almost surely change nothing. The moves
of entries that share scorers are drawn independently, so the figure is a little too high when the remaining
ratings come from few scorers; it errs on the side of another wave.
"""

from __future__ import annotations

import heapq
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from gemeentedelers.scoring.ranking import _group_codes, select_top
from gemeentedelers.scoring.ratermodel import Fit
from gemeentedelers.scoring.voi import expected_misclassification, rating_gains

__all__ = ["STABLE", "Stability", "shortlist_stability"]

STABLE = 0.05
"""Stop when the chance that the remaining ratings change the shortlist is below 5%."""


@dataclass(frozen=True)
class Stability:
    """``p_change``: the chance that the remaining ``remaining`` ratings change who advances."""

    p_change: float
    remaining: int

    @property
    def stable(self) -> bool:
        return self.p_change < STABLE

    @property
    def percent(self) -> str:
        """The chance as people read it: "3%", "< 1%"."""
        return "< 1%" if self.p_change < 0.01 else f"{round(100 * self.p_change)}%"


def typical_rating_var(fit: Fit, min_weight: float = 0.25) -> float:
    """The error variance of one more rating from an attentive scorer (noise plus the uncertainty of their bias)."""
    if not fit.weight.size:
        return fit.typical_noise_sd**2 + fit.bias_spread**2
    attentive = fit.weight >= min_weight * float(np.median(fit.weight))
    return float(np.median((fit.noise_var + fit.bias_sd**2)[attentive]))


def spread_budget(p_top: np.ndarray, sd: np.ndarray, rating_var: float, budget: int, max_per_entry: int = 30
                  ) -> np.ndarray:
    """Where ``budget`` more ratings would go: greedily by value of information, with diminishing returns."""
    extra = np.zeros(p_top.size, dtype=np.int64)
    if budget <= 0 or not p_top.size:
        return extra
    depth = int(min(budget, max_per_entry))
    gain = rating_gains(expected_misclassification(p_top, sd, rating_var, depth))
    heap = [(-gain[e, 0], e) for e in range(p_top.size)]
    heapq.heapify(heap)
    for _ in range(budget):
        if not heap:
            break
        _, e = heapq.heappop(heap)
        extra[e] += 1
        if extra[e] < depth:
            heapq.heappush(heap, (-gain[e, extra[e]], e))
    return extra


def shortlist_stability(
    fit: Fit,
    advancing: np.ndarray,
    p_top: np.ndarray,
    top_n: int,
    *,
    outstanding: Mapping[str, int] | None = None,
    budget: int = 0,
    categories: Mapping[str, str] | None = None,
    quotas: Mapping[str, int] | None = None,
    draws: int = 4000,
    seed: int = 0,
) -> Stability:
    """The chance that the ratings still to come change the advancing set (``advancing``: one bool per entry of
    ``fit``). ``outstanding``: ratings assigned per entry but not yet in; ``budget``: ratings not yet assigned."""
    ids = fit.submission_ids
    extra = np.array([int((outstanding or {}).get(s, 0)) for s in ids], dtype=np.int64)
    rating_var = typical_rating_var(fit)
    extra += spread_budget(np.asarray(p_top, dtype=float), fit.sd, rating_var, max(budget, 0))
    remaining = int(extra.sum())
    if remaining == 0:
        return Stability(0.0, 0)
    sd2 = np.asarray(fit.sd, dtype=float) ** 2
    moved = np.sqrt(np.maximum(sd2 - 1 / (1 / sd2 + extra / rating_var), 0.0))
    groups, quota_arr = _group_codes(ids, top_n, categories, quotas)
    rng = np.random.default_rng(seed)
    changed, done, chunk = 0, 0, 500
    current = np.asarray(advancing, dtype=bool)
    while done < draws:
        c = min(chunk, draws - done)
        after = fit.estimate[:, None] + moved[:, None] * rng.standard_normal((len(ids), c))
        chosen = select_top(after, top_n, groups, quota_arr)
        changed += int(np.any(chosen != current[:, None], axis=0).sum())
        done += c
    return Stability(changed / draws, remaining)

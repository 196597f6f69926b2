"""From a fitted rater model to the round-1 ranking: who advances, with intervals and top-N probabilities.

Who advances is decided on the posterior mean (the best single guess), under the same selection rule that
the Monte Carlo top-N probability uses, so ``p_top`` answers "how sure are we about this entry's side of the
cut-off" for exactly the decision being made. Optional category quotas guarantee a minimum number of
advancing entries per category.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.special import ndtri

from gemeentedelers.scoring.ratermodel import Fit

__all__ = ["RankedEntry", "rank", "select_top", "top_n_probability"]


@dataclass(frozen=True)
class RankedEntry:
    """One line of the ranking. ``lower``/``upper`` bound the interval at the requested level."""

    rank: int
    submission_id: str
    estimate: float
    lower: float
    upper: float
    p_top: float
    advances: bool
    n_ratings: int


def _group_codes(
    submission_ids: tuple[str, ...],
    top_n: int,
    categories: Mapping[str, str] | None,
    quotas: Mapping[str, int] | None,
) -> tuple[np.ndarray | None, np.ndarray | None]:
    if not quotas:
        return None, None
    if categories is None:
        raise ValueError("quotas need categories (submission_id -> category)")
    unknown = [s for s in submission_ids if s not in categories]
    if unknown:
        raise ValueError(f"no category for submission(s) {', '.join(unknown[:5])}")
    if any(q < 0 for q in quotas.values()):
        raise ValueError("quotas must not be negative")
    if sum(quotas.values()) > top_n:
        raise ValueError(f"quotas add up to {sum(quotas.values())}, more than the {top_n} that advance")
    names = sorted(quotas)
    index = {c: i for i, c in enumerate(names)}
    codes = np.array([index.get(categories[s], -1) for s in submission_ids], dtype=np.int64)
    return codes, np.array([quotas[c] for c in names], dtype=np.int64)


def _top_mask(values: np.ndarray, k: int) -> np.ndarray:
    """Per column, True for the k largest values."""
    mask = np.zeros(values.shape, dtype=bool)
    if k <= 0:
        return mask
    if k >= values.shape[0]:
        mask[:] = True
        return mask
    idx = np.argpartition(-values, k - 1, axis=0)[:k]
    np.put_along_axis(mask, idx, True, axis=0)
    return mask


def select_top(
    values: np.ndarray,
    top_n: int,
    groups: np.ndarray | None = None,
    quotas: np.ndarray | None = None,
) -> np.ndarray:
    """Which rows advance, per column of ``values`` (entries x draws).

    With quotas, each group first gets its best ``quotas[g]`` rows (all of them if it has fewer), then the
    remaining places go to the best of the rest.
    """
    values = np.asarray(values, dtype=float)
    squeeze = values.ndim == 1
    if squeeze:
        values = values[:, None]
    top_n = min(top_n, values.shape[0])
    mask = np.zeros(values.shape, dtype=bool)
    if groups is not None and quotas is not None:
        for g, quota in enumerate(quotas):
            rows = np.flatnonzero(groups == g)
            mask[rows] = _top_mask(values[rows], int(quota))
    taken = int(mask[:, 0].sum()) if mask.size else 0
    rest = np.where(mask, -np.inf, values)
    mask |= _top_mask(rest, top_n - taken) & ~mask
    return mask[:, 0] if squeeze else mask


def top_n_probability(
    fit: Fit,
    top_n: int,
    *,
    categories: Mapping[str, str] | None = None,
    quotas: Mapping[str, int] | None = None,
    draws: int = 2000,
    seed: int = 0,
) -> np.ndarray:
    """Monte Carlo probability, per entry, of advancing under the selection rule (seeded: reproducible)."""
    groups, quota_arr = _group_codes(fit.submission_ids, top_n, categories, quotas)
    counts = np.zeros(len(fit.submission_ids))
    for sample in fit.sample(draws, seed):
        counts += select_top(sample, top_n, groups, quota_arr).sum(axis=1)
    return counts / draws


def rank(
    fit: Fit,
    top_n: int = 20,
    *,
    categories: Mapping[str, str] | None = None,
    quotas: Mapping[str, int] | None = None,
    level: float = 0.9,
    draws: int = 2000,
    seed: int = 0,
) -> list[RankedEntry]:
    """All entries, best first (ties by submission id), with ``level`` intervals and top-N probability."""
    if top_n < 1:
        raise ValueError("top_n must be at least 1")
    if not 0 < level < 1:
        raise ValueError("level must be between 0 and 1")
    ids = fit.submission_ids
    order = sorted(range(len(ids)), key=lambda i: (-fit.estimate[i], ids[i]))
    position = np.empty(len(ids), dtype=float)
    position[order] = np.arange(len(ids))
    groups, quota_arr = _group_codes(ids, top_n, categories, quotas)
    advances = select_top(-position, top_n, groups, quota_arr)
    p_top = top_n_probability(fit, top_n, categories=categories, quotas=quotas, draws=draws, seed=seed)
    z = float(ndtri(0.5 + level / 2))
    return [
        RankedEntry(
            rank=r + 1,
            submission_id=ids[i],
            estimate=float(fit.estimate[i]),
            lower=float(fit.estimate[i] - z * fit.sd[i]),
            upper=float(fit.estimate[i] + z * fit.sd[i]),
            p_top=float(p_top[i]),
            advances=bool(advances[i]),
            n_ratings=int(fit.n_ratings[i]),
        )
        for r, i in enumerate(order)
    ]

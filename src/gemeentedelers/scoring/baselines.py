"""Baselines the rater model must beat: the spreadsheet mean and per-scorer z-scores.

Both work on the same weighted composite per (scorer, entry) as the rater model, so the comparison is
about aggregation only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from gemeentedelers.scoring.ratings import DEFAULT_SCALE, Composite, Ratings, criterion_specs

__all__ = ["Scores", "plain_mean", "top_ids", "zscore_mean"]


@dataclass(frozen=True, eq=False)
class Scores:
    """One number per entry (higher is better), aligned with ``submission_ids``."""

    submission_ids: tuple[str, ...]
    score: np.ndarray

    def as_dict(self) -> dict[str, float]:
        return dict(zip(self.submission_ids, self.score.tolist(), strict=True))


def top_ids(scores: Scores, n: int) -> list[str]:
    """The ``n`` best entries, ties broken by submission id (deterministic)."""
    order = sorted(range(len(scores.submission_ids)), key=lambda i: (-scores.score[i], scores.submission_ids[i]))
    return [scores.submission_ids[i] for i in order[:n]]


def _composite(
    ratings: Ratings,
    weights: Mapping[str, float] | None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]],
) -> Composite:
    return ratings.composite(criterion_specs(ratings.criteria, weights, scale))


def plain_mean(
    ratings: Ratings,
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
) -> Scores:
    """Average composite per entry: what a spreadsheet does."""
    comp = _composite(ratings, weights, scale)
    n_e = len(comp.submission_ids)
    total = np.bincount(comp.entry, weights=comp.value, minlength=n_e)
    count = np.bincount(comp.entry, minlength=n_e)
    return Scores(comp.submission_ids, total / np.maximum(count, 1))


def zscore_mean(
    ratings: Ratings,
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
) -> Scores:
    """Average of per-scorer standardised composites: removes leniency and spread, not noise.

    A scorer with one rating, or who gave every entry the same composite, carries no ranking information
    in this scheme and contributes z = 0.
    """
    comp = _composite(ratings, weights, scale)
    n_e, n_s = len(comp.submission_ids), len(comp.scorer_ids)
    n = np.bincount(comp.scorer, minlength=n_s).astype(float)
    mean = np.bincount(comp.scorer, weights=comp.value, minlength=n_s) / np.maximum(n, 1)
    dev = comp.value - mean[comp.scorer]
    ss = np.bincount(comp.scorer, weights=dev * dev, minlength=n_s)
    sd = np.sqrt(ss / np.maximum(n - 1, 1))
    ok = (n >= 2) & (sd > 1e-12)
    z = np.where(ok[comp.scorer], dev / np.where(ok, sd, 1.0)[comp.scorer], 0.0)
    total = np.bincount(comp.entry, weights=z, minlength=n_e)
    count = np.bincount(comp.entry, minlength=n_e)
    return Scores(comp.submission_ids, total / np.maximum(count, 1))

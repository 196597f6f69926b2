"""The rater model: what every version shares (priors, the fitted model, a scorer's calibration) and the versions.

A fitted model (:class:`Fit`) gives each entry's quality on the composite scale of an average scorer, with its
uncertainty, and each scorer's leniency, reliability and (from v2 on) chance of being careless. Decisions store the
method version that made them (``METHOD``), so a decision made with an older version is reproduced with that
version (:func:`fit_with`): ``rater-model-v1`` (``ratermodel_v1``, composite only) and ``rater-model-v2``
(``ratermodel_v2``, criterion contrasts and careless scorers; the current one). The versions' docstrings say what
each assumes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from gemeentedelers.scoring.ratings import DEFAULT_SCALE, Ratings

__all__ = ["METHOD", "METHODS", "Fit", "Priors", "ScorerCalibration", "fit", "fit_with"]

METHOD = "rater-model-v2"
"""The current version: new decisions are made, previews and plans computed, with it."""


@dataclass(frozen=True)
class Priors:
    """Prior strengths (pseudo-observations); the prior scales themselves are estimated from the data.

    ``noise_dof``: ratings' worth of belief that a scorer is as noisy as the typical scorer. Larger values
    protect scorers with few ratings from being called careless by chance, smaller ones find careless
    scorers sooner. ``bias_dof``/``quality_dof``: pseudo-scorers/pseudo-entries behind the weak hyperpriors
    on tau_b and tau_q (guesses: 5% and 25% of the scale range). From v2 on: ``careless_share`` is the guess of
    the share of careless scorers, worth ``careless_strength`` scorers; a careless scorer's scores carry
    ``careless_slope_sd`` of the quality at most (about none), an attentive scorer's about 1, give or take
    ``slope_sd`` (a guess worth ``slope_dof`` scorers; the spread itself is estimated).
    """

    noise_dof: float = 4.0
    bias_dof: float = 2.0
    quality_dof: float = 1.0
    bias_guess: float = 0.05
    quality_guess: float = 0.25
    careless_share: float = 0.1
    careless_strength: float = 10.0
    careless_slope_sd: float = 0.15
    slope_sd: float = 0.2
    slope_dof: float = 10.0

    def __post_init__(self) -> None:
        if min(self.bias_dof, self.quality_dof) <= 0:
            raise ValueError("prior strengths must be positive")
        if self.noise_dof <= 2:
            raise ValueError("noise_dof must exceed 2 (so that the prior noise variance has a mean)")
        if not 0 < self.careless_share < 1 or min(self.careless_slope_sd, self.slope_sd, self.slope_dof,
                                                    self.careless_strength) <= 0:
            raise ValueError("careless_share must be in (0, 1) and the slope priors positive")


DEFAULT_PRIORS = Priors()


@dataclass(frozen=True)
class ScorerCalibration:
    """What a scorer may see about their own scoring.

    ``bias``: how much higher (positive) or lower they score than the crowd on the same entries, in scale
    points. ``noise_sd``: their typical scatter around that. ``reliability``: the share of their score
    variation that is about the entries (tau_q^2 / (tau_q^2 + sigma_s^2)), 0..1. ``weight``: how much one
    of their ratings counts relative to the median scorer's.
    """

    scorer_id: str
    n_ratings: int
    bias: float
    bias_sd: float
    noise_sd: float
    reliability: float
    weight: float


@dataclass(frozen=True, eq=False)
class Fit:
    """A fitted rater model. Arrays are indexed like ``submission_ids`` / ``scorer_ids``.

    ``estimate``/``sd``: approximate posterior mean and sd of each entry's quality on the composite scale
    of an average scorer. ``pair_entry``/``pair_scorer``/``precision``/``weight`` are kept for sampling
    and for planning further ratings.
    """

    submission_ids: tuple[str, ...]
    estimate: np.ndarray
    sd: np.ndarray
    n_ratings: np.ndarray
    scorer_ids: tuple[str, ...]
    bias: np.ndarray
    bias_sd: np.ndarray
    noise_var: np.ndarray
    weight: np.ndarray
    scorer_n_ratings: np.ndarray
    precision: np.ndarray
    pair_entry: np.ndarray
    pair_scorer: np.ndarray
    mean_quality: float
    quality_sd: float
    bias_spread: float
    typical_noise_sd: float
    scale: tuple[float, float]
    iterations: int
    converged: bool
    careless: np.ndarray | None = None
    """Per scorer, the chance that their scores carry no information on quality (v2; None: not modelled)."""
    slope: np.ndarray | None = None
    """Per scorer, how much of the quality their composites carry (about 1 attentive, 0 careless)."""
    coupling: np.ndarray | None = None
    """Per scorer, how strongly an entry's estimate moves with the scorer's leniency, times the entry's precision
    (v1: ``weight``)."""
    halo: float = 0.0
    """The noise shared by every criterion of a rating, relative to one criterion's own noise (v2)."""
    careless_share: float = 0.0

    def scorers(self) -> list[ScorerCalibration]:
        median_w = float(np.median(self.weight)) if self.weight.size else 1.0
        tq2 = self.quality_sd**2
        return [
            ScorerCalibration(
                scorer_id=sid,
                n_ratings=int(self.scorer_n_ratings[i]),
                bias=float(self.bias[i]),
                bias_sd=float(self.bias_sd[i]),
                noise_sd=float(np.sqrt(self.noise_var[i])),
                reliability=float(tq2 / (tq2 + self.noise_var[i])),
                weight=float(self.weight[i] / median_w),
            )
            for i, sid in enumerate(self.scorer_ids)
        ]

    def scorer(self, scorer_id: str) -> ScorerCalibration:
        return self.scorers()[self.scorer_ids.index(scorer_id)]

    def sample(self, draws: int, seed: int | np.random.Generator = 0, chunk: int = 256) -> Iterator[np.ndarray]:
        """Draws of all entry qualities, ``(n_entries, <=chunk)`` arrays, from the approximate posterior.

        Biases are drawn first (independently, with their marginal sd), then qualities given the biases,
        so entries that share a scorer move together as they should.
        """
        rng = np.random.default_rng(seed)
        n_e, n_s = len(self.submission_ids), len(self.scorer_ids)
        per_scorer = self.weight if self.coupling is None else self.coupling
        coupling = sp.csr_matrix(
            (per_scorer[self.pair_scorer] / self.precision[self.pair_entry], (self.pair_entry, self.pair_scorer)),
            shape=(n_e, n_s),
        )
        cond_sd = 1.0 / np.sqrt(self.precision)
        done = 0
        while done < draws:
            c = min(chunk, draws - done)
            bias_dev = self.bias_sd[:, None] * rng.standard_normal((n_s, c))
            noise = cond_sd[:, None] * rng.standard_normal((n_e, c))
            yield self.estimate[:, None] - coupling @ bias_dev + noise
            done += c


Fitter = Callable[..., Fit]


def _methods() -> dict[str, Fitter]:
    from gemeentedelers.scoring import ratermodel_v1, ratermodel_v2

    return {ratermodel_v1.METHOD: ratermodel_v1.fit, ratermodel_v2.METHOD: ratermodel_v2.fit}


METHODS = ("rater-model-v1", "rater-model-v2")


def fit_with(method: str) -> Fitter:
    """The fit function of a method version (for replaying a stored decision); ``LookupError`` when unknown."""
    found = _methods().get(method)
    if found is None:
        raise LookupError(f"unknown rater model {method!r}; known: {', '.join(METHODS)}")
    return found


def fit(
    ratings: Ratings,
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
    *,
    submissions: Iterable[str] | None = None,
    priors: Priors = Priors(),
    max_iter: int = 500,
    tol: float | None = None,
) -> Fit:
    """Fit the current rater model (:data:`METHOD`) to criterion scores.

    ``weights``: criterion weights (normalised here); None means equal weights over the criteria found.
    ``scale``: one (min, max) for all criteria or one per criterion. ``submissions``: also include entries
    without ratings (they get the prior), e.g. before planning a wave. ``tol``: the version's own default.
    """
    return fit_with(METHOD)(ratings, weights, scale, submissions=submissions, priors=priors, max_iter=max_iter,
                            **({} if tol is None else {"tol": tol}))

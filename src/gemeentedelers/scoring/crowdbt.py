"""Crowd-BT (Chen et al. 2013, "Pairwise ranking aggregation in a crowdsourced setting") as a baseline.

This is the model behind the hackathon judging tool Gavel, with Gavel's published constants. Gavel asks
judges to compare pairs; here the comparisons are implied by each scorer's ratings (for each scorer, every
pair of their entries with different composites), processed once in a seeded random order. Each item has a
Gaussian belief N(mu, sigma^2) about its Bradley-Terry strength, each annotator a Beta(alpha, beta) belief
about how often they answer truthfully; one comparison updates the three by moment matching. The formulas
are written here in logistic form: exp(a) / (exp(a) + exp(b)) == sigmoid(a - b).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import combinations

import numpy as np

from gemeentedelers.scoring.baselines import Scores
from gemeentedelers.scoring.ratings import DEFAULT_SCALE, Ratings, criterion_specs

__all__ = [
    "ALPHA_PRIOR",
    "BETA_PRIOR",
    "GAMMA",
    "KAPPA",
    "LAMBDA",
    "MU_PRIOR",
    "SIGMA_SQ_PRIOR",
    "CrowdBT",
    "crowd_bt",
    "implied_comparisons",
]

# Gavel's constants. GAMMA (and Gavel's LAMBDA, EPSILON) only matter for Gavel's active choice of the next
# pair to show a judge; with comparisons implied by ratings there is no choice to make.
GAMMA = 0.1
LAMBDA = 1.0
KAPPA = 0.0001
MU_PRIOR = 0.0
SIGMA_SQ_PRIOR = 1.0
ALPHA_PRIOR = 10.0
BETA_PRIOR = 1.0


def _sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    ex = math.exp(x)
    return ex / (1.0 + ex)


@dataclass
class CrowdBT:
    """Online Crowd-BT state: item strength beliefs and annotator reliability beliefs."""

    mu: dict[str, float] = field(default_factory=dict)
    sigma_sq: dict[str, float] = field(default_factory=dict)
    alpha: dict[str, float] = field(default_factory=dict)
    beta: dict[str, float] = field(default_factory=dict)

    def compare(self, annotator: str, winner: str, loser: str) -> None:
        """Update on ``annotator`` preferring ``winner`` over ``loser`` (all from the pre-update state)."""
        a = self.alpha.get(annotator, ALPHA_PRIOR)
        b = self.beta.get(annotator, BETA_PRIOR)
        mu_w, mu_l = self.mu.get(winner, MU_PRIOR), self.mu.get(loser, MU_PRIOR)
        s2_w, s2_l = self.sigma_sq.get(winner, SIGMA_SQ_PRIOR), self.sigma_sq.get(loser, SIGMA_SQ_PRIOR)

        p = _sigmoid(mu_w - mu_l)  # P(winner really better), point estimate
        # Second-order correction of E[sigmoid] for the uncertainty in both strengths.
        c1 = p + 0.5 * (s2_w + s2_l) * p * (1 - p) * (1 - 2 * p)
        c2 = 1 - c1
        n = a + b
        c = (c1 * a + c2 * b) / n  # P(this vote) under the current beliefs
        m1 = (c1 * (a + 1) * a + c2 * a * b) / (c * (n + 1) * n)
        m2 = (c1 * (a + 2) * (a + 1) * a + c2 * (a + 1) * a * b) / (c * (n + 2) * (n + 1) * n)
        var = m2 - m1 * m1
        if var > 1e-15:
            self.alpha[annotator] = (m1 - m2) * m1 / var
            self.beta[annotator] = (m1 - m2) * (1 - m1) / var

        p_vote = _sigmoid(mu_w - mu_l + math.log(a / b))  # P(vote) if the annotator's reliability is a/(a+b)
        step = p_vote - p
        self.mu[winner] = mu_w + s2_w * step
        self.mu[loser] = mu_l - s2_l * step
        curv = p_vote * (1 - p_vote) - p * (1 - p)
        self.sigma_sq[winner] = s2_w * max(1 + s2_w * curv, KAPPA)
        self.sigma_sq[loser] = s2_l * max(1 + s2_l * curv, KAPPA)

    def scores(self, submission_ids: tuple[str, ...]) -> Scores:
        return Scores(submission_ids, np.array([self.mu.get(s, MU_PRIOR) for s in submission_ids]))


def implied_comparisons(
    ratings: Ratings,
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
    seed: int = 0,
) -> list[tuple[str, str, str]]:
    """``(scorer, winner, loser)`` for each pair of one scorer's entries with different composites.

    Ties are skipped. The order is shuffled with ``seed`` because Crowd-BT is order-dependent and the order
    a spreadsheet happens to have should not decide the result.
    """
    comp = ratings.composite(criterion_specs(ratings.criteria, weights, scale))
    order = np.lexsort((comp.entry, comp.scorer))
    scorer, entry, value = comp.scorer[order], comp.entry[order], comp.value[order]
    bounds = np.flatnonzero(np.diff(scorer)) + 1
    out: list[tuple[str, str, str]] = []
    for s_idx, e_idx, vals in zip(
        np.split(scorer, bounds), np.split(entry, bounds), np.split(value, bounds), strict=True
    ):
        if not s_idx.size:
            continue
        name = comp.scorer_ids[int(s_idx[0])]
        for i, j in combinations(range(e_idx.size), 2):
            if abs(vals[i] - vals[j]) < 1e-9:
                continue
            win, lose = (i, j) if vals[i] > vals[j] else (j, i)
            out.append((name, comp.submission_ids[int(e_idx[win])], comp.submission_ids[int(e_idx[lose])]))
    perm = np.random.default_rng(seed).permutation(len(out))
    return [out[k] for k in perm]


def crowd_bt(
    ratings: Ratings,
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
    seed: int = 0,
) -> Scores:
    """Crowd-BT strengths (mu) for every rated entry from the comparisons implied by the ratings."""
    model = CrowdBT()
    for annotator, winner, loser in implied_comparisons(ratings, weights, scale, seed):
        model.compare(annotator, winner, loser)
    return model.scores(ratings.submissions)

"""Rater model v2 (``rater-model-v2``): leniency, reliability and carelessness estimated together with quality,
using the criterion scores and not only their composite.

Per (scorer s, entry e) pair the criterion scores are split into their weighted composite y_se (what decides who
advances) and K contrasts d_se: the directions orthogonal to both the weights and the all-ones vector (two for three
equally weighted criteria, none for one criterion). A scorer's leniency and any noise shared by all criteria of one
rating (halo) cancel in the contrasts, so they tell how noisy a scorer is, twice as often as the composite does::

    y_se = mu + b_s + lambda_s q_e + eps_se      eps_se ~ N(0, (kappa + w.w) sigma_s^2)
    d_se = gamma + c_e + delta_se                delta_se ~ N(0, sigma_s^2 I_K)
    q_e ~ N(0, tau_q^2)   b_s ~ N(0, tau_b^2)   c_e ~ N(0, diag tau_c^2)   sigma_s^2 ~ InvGamma(nu0/2, nu0 s0^2/2)
    lambda_s ~ pi N(0, tau_0^2) + (1 - pi) N(1, tau_1^2)

``lambda_s`` says how much of the quality a scorer's scores carry: about 1 for an attentive scorer, about 0 for a
careless one who straight-lines around a mean of their own or scores at random; ``pi`` (the careless share) and
``tau_1`` (how much attentive scorers differ, e.g. those who use only part of the scale) are estimated. ``kappa`` is
the halo: how much of a scorer's noise variance on a rating is shared by every criterion, relative to the noise of
one criterion, estimated from the pooled composite and contrast residuals of the attentive scorers.

Why: on crowds whose noise differs per scorer (log-normal), whose careless scorers straight-line and whose errors
share a halo, the composite-only model v1 (``ratermodel_v1``) estimated each scorer's weight from ~10 composites and
left careless scorers a third to a half of an attentive scorer's weight; the contrasts triple the data on each
scorer's noise and the mixture on lambda gives careless scorers almost none. See ``tests/bench/round1.py``.

Estimation is mean-field variational Bayes (coordinate ascent), with the prior scales estimated (empirical Bayes),
as in v1; the reported uncertainty uses each rating's predictive error variance and the first-order q-b correlation
correction of v1. Every step is vectorised with ``np.bincount``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from gemeentedelers.scoring.ratermodel import DEFAULT_PRIORS, Fit, Priors
from gemeentedelers.scoring.ratings import DEFAULT_SCALE, CriterionSpec, Ratings, criterion_specs

__all__ = ["METHOD", "PairScores", "fit", "pair_scores"]

METHOD = "rater-model-v2"
TOL = 1e-5
"""Converged when no estimate moves by more than this share of the scale in an iteration: 1e-6 took twice the
iterations for changes below 0.001 points, which never changed a top 20 in simulation."""
MAX_HALO = 10.0
"""A rating's shared noise is at most ten times one criterion's own (beyond that the contrasts say nothing)."""


@dataclass(frozen=True, eq=False)
class PairScores:
    """Per (scorer, entry) pair: the weighted composite and the contrasts, on the common scale."""

    submission_ids: tuple[str, ...]
    scorer_ids: tuple[str, ...]
    entry: np.ndarray
    scorer: np.ndarray
    value: np.ndarray
    contrasts: np.ndarray
    """``(n_pairs, K)``: the pair's scores projected on an orthonormal basis orthogonal to the weights and to 1."""
    weight_norm2: float
    """w.w of the normalised weights: the share of one criterion's noise variance left in the composite."""
    scale: tuple[float, float]
    rounding_var: float
    """The variance whole-number scores add to each criterion at least (1/12 of a scale step, squared)."""


def pair_scores(ratings: Ratings, specs: tuple[CriterionSpec, ...]) -> PairScores:
    """Split every pair's criterion scores into composite and contrasts (see the module docstring)."""
    composite = ratings.composite(specs)  # checks the ratings against the specs
    weighted = [s for s in specs if s.weight > 0]
    total = sum(s.weight for s in weighted)
    w = np.array([s.weight / total for s in weighted])
    lo, hi = composite.scale
    n_pairs = len(composite)
    basis = np.zeros((len(weighted), 0))
    if len(weighted) > 1:
        spanned = np.vstack([np.ones(len(weighted)), w]).T
        rank = int(np.linalg.matrix_rank(spanned))
        basis = np.linalg.qr(spanned, mode="complete")[0][:, rank:]
    contrasts = np.zeros((n_pairs, basis.shape[1]))
    if n_pairs and basis.shape[1]:
        n_e = len(composite.submission_ids)
        sub_code = np.searchsorted(np.array(composite.submission_ids), ratings.submission_id)
        scorer_code = np.searchsorted(np.array(composite.scorer_ids), ratings.scorer_id)
        pair = np.searchsorted(composite.scorer * n_e + composite.entry, scorer_code * n_e + sub_code)
        matrix = np.zeros((n_pairs, len(weighted)))
        for column, spec in enumerate(weighted):
            rows = ratings.criterion == spec.key
            matrix[pair[rows], column] = lo + (ratings.score[rows] - spec.scale_min) * (hi - lo) / (
                spec.scale_max - spec.scale_min)
        contrasts = matrix @ basis
    rounding = float(np.mean([((hi - lo) / (s.scale_max - s.scale_min)) ** 2 for s in weighted])) / 12
    return PairScores(composite.submission_ids, composite.scorer_ids, composite.entry, composite.scorer,
                      composite.value, contrasts, float(w @ w), (float(lo), float(hi)), rounding)


def fit(
    ratings: Ratings,
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
    *,
    submissions: Iterable[str] | None = None,
    priors: Priors = DEFAULT_PRIORS,
    max_iter: int = 500,
    tol: float | None = None,
) -> Fit:
    """Fit rater model v2 to criterion scores (arguments as :func:`ratermodel.fit`; ``tol`` defaults to
    :data:`TOL`)."""
    specs = criterion_specs(ratings.criteria, weights, scale) if len(ratings) else criterion_specs(
        list(weights) if weights else ["score"], weights, scale)
    if not len(ratings):
        return _prior_only(sorted({str(s) for s in submissions or ()}), specs, priors)
    pairs = pair_scores(ratings, specs)
    ids = list(pairs.submission_ids)
    if submissions is not None:
        ids = sorted(set(ids) | {str(s) for s in submissions})
    position = {sid: i for i, sid in enumerate(ids)}
    remap = np.array([position[s] for s in pairs.submission_ids], dtype=np.int64)
    return _estimate(pairs, remap[pairs.entry], tuple(ids), priors, max_iter, TOL if tol is None else tol)


def _prior_only(ids: list[str], specs: tuple[CriterionSpec, ...], priors: Priors) -> Fit:
    lo = float(min(s.scale_min for s in specs))
    hi = float(max(s.scale_max for s in specs))
    span = hi - lo
    sd = priors.quality_guess * span
    n = len(ids)
    empty_f, empty_i = np.zeros(0), np.zeros(0, dtype=np.int64)
    return Fit(submission_ids=tuple(ids), estimate=np.full(n, (lo + hi) / 2), sd=np.full(n, sd),
               n_ratings=np.zeros(n, dtype=np.int64), scorer_ids=(), bias=empty_f, bias_sd=empty_f,
               noise_var=empty_f, weight=empty_f, scorer_n_ratings=empty_i, precision=np.full(n, 1 / sd**2),
               pair_entry=empty_i, pair_scorer=empty_i, mean_quality=(lo + hi) / 2, quality_sd=sd,
               bias_spread=priors.bias_guess * span, typical_noise_sd=priors.quality_guess * span,
               scale=(lo, hi), iterations=0, converged=True, careless=empty_f, slope=empty_f, coupling=empty_f)


def _careless_mixture(a: np.ndarray, b: np.ndarray, share: float, careless_var: float,
                      attentive_var: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Posterior of each lambda_s under the two-component prior, given its Gaussian likelihood exp(-a l^2/2 + b l).

    Returns P(careless), E[lambda], E[lambda^2] and the attentive component's posterior mean and variance."""
    a = np.maximum(a, 1e-12)
    like_mean, like_var = b / a, 1 / a

    def component(centre: float, var: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        precision = a + 1 / var
        evidence = -0.5 * np.log(like_var + var) - 0.5 * (like_mean - centre) ** 2 / (like_var + var)
        return (b + centre / var) / precision, 1 / precision, evidence

    m0, v0, log0 = component(0.0, careless_var)
    m1, v1, log1 = component(1.0, attentive_var)
    odds = np.clip(np.log(1 - share) + log1 - np.log(share) - log0, -50, 50)
    careless = 1 / (1 + np.exp(odds))
    mean = careless * m0 + (1 - careless) * m1
    second = careless * (m0**2 + v0) + (1 - careless) * (m1**2 + v1)
    return careless, mean, second, m1, v1


def _estimate(pairs: PairScores, entry: np.ndarray, submission_ids: tuple[str, ...], priors: Priors,
              max_iter: int, tol: float) -> Fit:
    scorer, y, d = pairs.scorer, pairs.value, pairs.contrasts
    n_e, n_s, n_k = len(submission_ids), len(pairs.scorer_ids), d.shape[1]
    span = pairs.scale[1] - pairs.scale[0]
    w2 = pairs.weight_norm2
    n_e_r = np.bincount(entry, minlength=n_e).astype(float)
    n_s_r = np.bincount(scorer, minlength=n_s).astype(float)
    rated = n_e_r > 0
    bias_guess2 = (priors.bias_guess * span) ** 2
    quality_guess2 = (priors.quality_guess * span) ** 2
    careless_var, attentive_guess2 = priors.careless_slope_sd**2, priors.slope_sd**2

    # Starting point: raw entry means, no biases, everyone attentive, one pooled noise level.
    mu = float(y.mean())
    m = np.zeros(n_e)
    m[rated] = np.bincount(entry, weights=y - mu, minlength=n_e)[rated] / n_e_r[rated]
    resid = y - mu - m[entry]
    pooled = max(float(resid @ resid) / max(y.size - int(rated.sum()), 1), 1e-4 * span**2)
    tq2 = max(float(np.var(m[rated])) if rated.sum() > 1 else quality_guess2, 1e-4 * span**2)
    tb2, tl2, share = bias_guess2, attentive_guess2, priors.careless_share
    kappa = 1.0 if n_k else 0.0
    s02 = pooled / (kappa + w2)
    sigma2 = np.full(n_s, s02)  # 1 / E[1 / sigma_s^2]
    mb = np.zeros(n_s)
    slope, slope2 = np.ones(n_s), np.ones(n_s)
    careless = np.zeros(n_s)
    gamma = d.mean(axis=0) if y.size else np.zeros(n_k)
    tc2 = np.maximum(d.var(axis=0), 1e-4 * span**2) if y.size else np.ones(n_k)
    dof = n_s_r * (1 + n_k)
    a_post = priors.noise_dof / 2 + dof / 2
    b_post = a_post * s02
    precision = np.full(n_e, 1 / tq2)
    pb = np.full(n_s, 1 / tb2)

    iterations, converged = 0, False
    while iterations < max_iter and not converged:
        iterations += 1
        w_comp = 1 / (sigma2 * (kappa + w2))
        wp = w_comp[scorer]
        # qualities
        precision = 1 / tq2 + np.bincount(entry, weights=wp * slope2[scorer], minlength=n_e)
        m_new = np.bincount(entry, weights=wp * slope[scorer] * (y - mu - mb[scorer]), minlength=n_e) / precision
        q2 = m_new**2 + 1 / precision
        # leniencies
        pb = 1 / tb2 + n_s_r * w_comp
        mb_new = w_comp * np.bincount(scorer, weights=y - mu - slope[scorer] * m_new[entry], minlength=n_s) / pb
        # attentive or careless: how much quality a scorer's composites carry
        a_l = w_comp * np.bincount(scorer, weights=q2[entry], minlength=n_s)
        b_l = w_comp * np.bincount(scorer, weights=m_new[entry] * (y - mu - mb_new[scorer]), minlength=n_s)
        careless, slope, slope2, attentive_mean, attentive_var = _careless_mixture(a_l, b_l, share, careless_var, tl2)
        share = (careless.sum() + priors.careless_share * priors.careless_strength) / (n_s + priors.careless_strength)
        attentive = 1 - careless
        tl2 = (float(np.sum(attentive * ((attentive_mean - 1) ** 2 + attentive_var))) + priors.slope_dof
               * attentive_guess2) / (float(attentive.sum()) + priors.slope_dof)
        # noise: composite residuals and contrast residuals
        r = y - mu - mb_new[scorer] - slope[scorer] * m_new[entry]
        ss_comp = np.bincount(scorer, weights=r**2 + 1 / pb[scorer] + slope2[scorer] * q2[entry]
                              - slope[scorer] ** 2 * m_new[entry] ** 2, minlength=n_s)
        ss_con = np.zeros(n_s)
        if n_k:
            w_con = (1 / sigma2)[scorer]
            pc = 1 / tc2[None, :] + np.bincount(entry, weights=w_con, minlength=n_e)[:, None]
            cm = np.stack([np.bincount(entry, weights=w_con * (d[:, k] - gamma[k]), minlength=n_e)
                           for k in range(n_k)], axis=1) / pc
            rc = d - gamma[None, :] - cm[entry]
            ss_con = np.bincount(scorer, weights=np.sum(rc**2 + 1 / pc[entry], axis=1), minlength=n_s)
            gamma = np.average(d - cm[entry], axis=0, weights=w_con)
            tc2 = np.maximum((np.sum(cm**2 + 1 / pc, axis=0) + 1e-4 * span**2) / (n_e + 1), 1e-6 * span**2)
            usable = (n_s_r >= 3) & (careless < 0.5)
            if usable.any():  # contrasts cannot be quieter than whole-number scores; the halo is bounded
                per_criterion = max(float(np.median(ss_con[usable] / (n_k * n_s_r[usable]))), pairs.rounding_var)
                kappa = min(max(float(np.median(ss_comp[usable] / n_s_r[usable])) / per_criterion - w2, 0.0),
                            MAX_HALO)
        total_ss = ss_comp / (kappa + w2) + ss_con
        enough = n_s_r >= 3
        if enough.any():
            s02 = max(float(np.median(total_ss[enough] / dof[enough])), 1e-6 * span**2)
        b_new = priors.noise_dof * s02 / 2 + total_ss / 2
        sigma2 = b_new / a_post
        # the scales of the priors
        mu = float(np.average(y - mb_new[scorer] - slope[scorer] * m_new[entry], weights=wp))
        tq2 = (float(np.sum(m_new**2 + 1 / precision)) + priors.quality_dof * quality_guess2) / (
            n_e + priors.quality_dof)
        tb2 = (float(np.sum(mb_new**2 + 1 / pb)) + priors.bias_dof * bias_guess2) / (n_s + priors.bias_dof)
        delta = max(float(np.max(np.abs(m_new - m), initial=0.0)), float(np.max(np.abs(mb_new - mb), initial=0.0)),
                    float(np.max(np.abs(np.log(b_new / b_post)), initial=0.0)) * np.sqrt(s02))
        m, mb, b_post = m_new, mb_new, b_new
        converged = delta < tol * span

    # Uncertainty as in v1: each rating's predictive error variance E[sigma^2] (not 1 / E[1 / sigma^2]), in units of
    # quality (divided by E[lambda^2]), and the first-order q-b correlation.
    raw_var = b_post / (a_post - 1) * (kappa + w2)  # a composite's error variance
    noise_var = raw_var / np.maximum(slope2, 1e-9)
    weight = 1 / noise_var
    precision = 1 / tq2 + np.bincount(entry, weights=weight[scorer], minlength=n_e)
    pb = 1 / tb2 + n_s_r / raw_var
    coupling = slope / raw_var  # how strongly an entry's estimate leans on a scorer's leniency, times precision
    bias_var = 1 / pb + np.bincount(scorer, weights=(coupling[scorer] / pb[scorer]) ** 2 / precision[entry],
                                    minlength=n_s)
    q_var = 1 / precision + np.bincount(entry, weights=(coupling[scorer] / precision[entry]) ** 2
                                        * bias_var[scorer], minlength=n_e)
    return Fit(
        submission_ids=submission_ids,
        estimate=m + mu,
        sd=np.sqrt(q_var),
        n_ratings=n_e_r.astype(np.int64),
        scorer_ids=pairs.scorer_ids,
        bias=mb,
        bias_sd=np.sqrt(bias_var),
        noise_var=noise_var,
        weight=weight,
        scorer_n_ratings=n_s_r.astype(np.int64),
        precision=precision,
        pair_entry=entry,
        pair_scorer=scorer,
        mean_quality=mu,
        quality_sd=float(np.sqrt(tq2)),
        bias_spread=float(np.sqrt(tb2)),
        typical_noise_sd=float(np.sqrt(s02 * (kappa + w2))),
        scale=pairs.scale,
        iterations=iterations,
        converged=converged,
        careless=careless,
        slope=slope,
        coupling=coupling,
        halo=kappa,
        careless_share=share,
    )

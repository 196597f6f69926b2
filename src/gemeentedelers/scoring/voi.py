"""Value of more ratings: the expected drop in an entry's chance of being on the wrong side of the cut-off.

Per entry, the current misclassification probability is min(p_top, 1 - p_top). Reading p_top as
Phi(z) with z = d / sd gives the entry's distance d to the cut-off. j more ratings with error variance v
shrink the posterior sd to sd_j (1/sd_j^2 = 1/sd^2 + j/v) and move the mean by a normal amount with variance
s_j^2 = sd^2 - sd_j^2 (preposterior analysis). The expected misclassification afterwards is
E[Phi(-|d'| / sd_j)], which in closed form is 2 T(z, sd_j / s_j) with Owen's T function.

One rating rarely flips an entry that is a little way from the cut-off, so the value of the *next* rating
alone undervalues such entries. :func:`rating_gains` therefore scores the next rating by the best average
gain per rating over the next few (the knowledge-gradient(*) idea), which also gives diminishing returns.
"""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri, owens_t

__all__ = ["expected_misclassification", "rating_gains"]


def expected_misclassification(p_top: np.ndarray, sd: np.ndarray, rating_var: float, max_extra: int) -> np.ndarray:
    """``M[e, j]``: expected misclassification probability of entry e after j more ratings (j = 0..max_extra).

    ``rating_var`` is the error variance of one extra rating about the entry's quality (a typical scorer's
    noise plus the uncertainty of their bias). Column 0 equals min(p_top, 1 - p_top).
    """
    p = np.clip(np.asarray(p_top, dtype=float), 1e-9, 1 - 1e-9)
    sd = np.maximum(np.asarray(sd, dtype=float), 1e-12)
    z = ndtri(p)[:, None]
    j = np.arange(1, max_extra + 1)[None, :]
    var_j = 1.0 / (1.0 / sd[:, None] ** 2 + j / rating_var)
    spread = np.sqrt(np.maximum(sd[:, None] ** 2 - var_j, 1e-300))
    after = 2.0 * owens_t(np.broadcast_to(z, var_j.shape), np.sqrt(var_j) / spread)
    return np.hstack([np.minimum(p, 1 - p)[:, None], np.minimum(after, np.minimum(p, 1 - p)[:, None])])


def rating_gains(misclassification: np.ndarray) -> np.ndarray:
    """``G[e, j]``: value of entry e's (j+1)-th extra rating given j are planned: max over m > j of the
    average drop (M[e, j] - M[e, m]) / (m - j)."""
    m = np.asarray(misclassification, dtype=float)
    n_cols = m.shape[1] - 1
    gains = np.zeros((m.shape[0], n_cols))
    for j in range(n_cols):
        steps = np.arange(1, n_cols - j + 1)
        gains[:, j] = np.max((m[:, j : j + 1] - m[:, j + 1 :]) / steps, axis=1)
    return gains

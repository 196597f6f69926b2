"""The versions of round 1's method, by name: every stored verdict names the one it used, and each stays
callable so a decision can be replayed exactly, also after the rater model has moved on.

Add a new version under a new name (``rater-model-v2``) and point :data:`CURRENT` at it; never change what an
existing name computes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RaterMethod:
    """Fit scorers and entries from ratings, then rank the entries with their chance of advancing."""

    name: str
    fit: Callable[..., Any]
    rank: Callable[..., Any]
    priors: Callable[..., Any]


def _version(name: str) -> Callable[[], RaterMethod]:
    def load() -> RaterMethod:  # numpy and scipy load only when a method runs
        from gemeentedelers.scoring.ranking import rank
        from gemeentedelers.scoring.ratermodel import Priors, fit_with

        return RaterMethod(name, fit_with(name), rank, Priors)

    return load


METHODS: Mapping[str, Callable[[], RaterMethod]] = {name: _version(name) for name in ("rater-model-v1",
                                                                                        "rater-model-v2")}
CURRENT = "rater-model-v2"
"""What closing round 1 uses now (``ratermodel.METHOD``, which a unit test keeps equal)."""


def method(name: str = CURRENT) -> RaterMethod:
    """The method called ``name``; a ``LookupError`` names the versions this code still has."""
    if name not in METHODS:
        raise LookupError(f"round-1 method {name!r} is not in this code; it has {', '.join(sorted(METHODS))}")
    return METHODS[name]()


def fit_and_rank(name: str, rows: Sequence[tuple[str, str, str, int]], weights: Mapping[str, float],
                 scales: Mapping[str, tuple[int, int]], submissions: Sequence[str], priors: Mapping[str, Any],
                 top_n: int, categories: Mapping[str, str] | None, quotas: Mapping[str, int] | None, draws: int,
                 seed: int) -> tuple[Any, list[Any]]:
    """The fit of method ``name`` over these ratings, and the ranking it gives under these rules."""
    from gemeentedelers.scoring.ratings import Ratings

    chosen = method(name)
    # Criteria in one order, whatever order they come in: Firestore hands stored maps back sorted by key, and the
    # model's criterion contrasts converge (within its tolerance) to slightly different points per order.
    fitted = chosen.fit(Ratings.from_rows(list(rows)), dict(sorted(weights.items())), dict(sorted(scales.items())),
                        submissions=list(submissions), priors=chosen.priors(**priors))
    return fitted, list(chosen.rank(fitted, top_n, categories=categories, quotas=quotas, draws=draws, seed=seed))


def run(name: str, rows: Sequence[tuple[str, str, str, int]], weights: Mapping[str, float],
        scales: Mapping[str, tuple[int, int]], submissions: Sequence[str], priors: Mapping[str, Any], top_n: int,
        categories: Mapping[str, str] | None, quotas: Mapping[str, int] | None, draws: int, seed: int) -> list[Any]:
    """The ranking method ``name`` gives these ratings under these rules (what closing and replaying both call)."""
    return fit_and_rank(name, rows, weights, scales, submissions, priors, top_n, categories, quotas, draws, seed)[1]

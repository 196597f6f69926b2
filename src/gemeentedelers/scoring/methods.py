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


def _rater_model_v1() -> RaterMethod:
    from gemeentedelers.scoring.ranking import rank
    from gemeentedelers.scoring.ratermodel import Priors, fit

    return RaterMethod("rater-model-v1", fit, rank, Priors)


METHODS: Mapping[str, Callable[[], RaterMethod]] = {"rater-model-v1": _rater_model_v1}
CURRENT = "rater-model-v1"


def method(name: str = CURRENT) -> RaterMethod:
    """The method called ``name``; a ``LookupError`` names the versions this code still has."""
    if name not in METHODS:
        raise LookupError(f"round-1 method {name!r} is not in this code; it has {', '.join(sorted(METHODS))}")
    return METHODS[name]()


def run(name: str, rows: Sequence[tuple[str, str, str, int]], weights: Mapping[str, float],
        scales: Mapping[str, tuple[int, int]], submissions: Sequence[str], priors: Mapping[str, Any], top_n: int,
        categories: Mapping[str, str] | None, quotas: Mapping[str, int] | None, draws: int, seed: int) -> list[Any]:
    """The ranking method ``name`` gives these ratings under these rules (what closing and replaying both call)."""
    from gemeentedelers.scoring.ratings import Ratings

    chosen = method(name)
    fitted = chosen.fit(Ratings.from_rows(list(rows)), dict(weights), dict(scales), submissions=list(submissions),
                        priors=chosen.priors(**priors))
    return list(chosen.rank(fitted, top_n, categories=categories, quotas=quotas, draws=draws, seed=seed))

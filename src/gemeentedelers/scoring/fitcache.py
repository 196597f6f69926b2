"""Round 1's model fit and ranking, cached per state of its ratings.

The console's round-1 page, the scorer's calibration page and the adaptive wave all need the rater model over
the submitted scores; fitting it (and drawing 4,000 samples for the ranking) costs far more than reading the
scores. The cache key is a digest of exactly what the model sees (the rating rows, the entries, the criteria's
weights and scales, the edition), so any submitted, changed or withdrawn score gives a new key and a fresh fit,
and an unchanged round is never refitted. Per process (each function instance keeps its own), thread-safe,
a few states at most.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from gemeentedelers.editions import Edition
from gemeentedelers.scoring.waves import RoundData

KEEP = 8
"""States kept per process: the current one and a few before it (two editions, a wave in progress)."""

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, str], Any] = OrderedDict()
stats = {"hits": 0, "misses": 0}


def ratings_key(edition: Edition, data: RoundData) -> str:
    """A digest of the model's input: every submitted rating row, the entries, the criteria and the edition."""
    from gemeentedelers.scoring.verdict import ratings_rows, weights_and_scales

    weights, scales = weights_and_scales(edition)
    body = json.dumps([edition.key, sorted(data.entries), ratings_rows(data), weights,
                       {k: list(v) for k, v in scales.items()}], sort_keys=True, default=str)
    return hashlib.sha256(body.encode()).hexdigest()


def _cached(kind: str, key: str, compute: Callable[[], Any]) -> Any:
    with _lock:
        if (kind, key) in _cache:
            _cache.move_to_end((kind, key))
            stats["hits"] += 1
            return _cache[kind, key]
    value = compute()  # outside the lock: two threads may both fit a new state once; both get the same result
    with _lock:
        stats["misses"] += 1
        _cache[kind, key] = value
        while len(_cache) > KEEP * 2:
            _cache.popitem(last=False)
    return value


def fitted(edition: Edition, data: RoundData, key: str | None = None) -> Any:
    """The rater model over ``data``'s submitted scores (``verdict.fit_round``), fitted once per state."""
    from gemeentedelers.scoring.verdict import fit_round

    return _cached("fit", key or ratings_key(edition, data), lambda: fit_round(edition, data))


def ranking(edition: Edition, data: RoundData, *, draws: int, seed: int) -> list[Any]:
    """The ranking with intervals and P(top N) (``ranking.rank``) over the cached fit, once per state."""
    from gemeentedelers.scoring.ranking import rank
    from gemeentedelers.scoring.verdict import selection

    key = ratings_key(edition, data)
    top_n, categories, quotas = selection(edition, data)

    def compute() -> list[Any]:
        return rank(fitted(edition, data, key), top_n, categories=categories, quotas=quotas, draws=draws, seed=seed)

    return list(_cached(f"rank:{top_n}:{draws}:{seed}", key, compute))


def clear() -> None:
    with _lock:
        _cache.clear()
        stats.update(hits=0, misses=0)

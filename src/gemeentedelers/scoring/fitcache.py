"""Round 1's data, model fit and ranking, cached per state of its ratings.

The console's round-1 page, the scorer's calibration page and the adaptive wave all need the rater model over
the submitted scores; fitting it (and drawing 4,000 samples for the ranking) costs far more than reading the
scores. The cache key is a digest of exactly what the model sees (the rating rows, the entries, the criteria's
weights and scales, the edition), so any submitted, changed or withdrawn score gives a new key and a fresh fit,
and an unchanged round is never refitted. Per process (each function instance keeps its own), thread-safe,
a few states at most.

Reading the round itself (entries, scorers, assignments, scores: thousands of documents) costs more than a page
may take, so :func:`current_round` keeps what it read as long as ``counters/round1`` is unchanged: every writer of
round 1's data calls ``changes.touch`` after (or in the same write as) its change, and a read is reused for at most
``ROUND_MAX_AGE_S`` all the same, so a writer that forgot can leave a page stale only briefly.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.platform import layout
from gemeentedelers.scoring.waves import RoundData, read_round

ROUND_MAX_AGE_S = 60.0
KEEP = 8
"""States kept per process: the current one and a few before it (two editions, a wave in progress)."""

_lock = threading.Lock()
_cache: OrderedDict[tuple[str, str], Any] = OrderedDict()
stats = {"hits": 0, "misses": 0}


def ratings_key(edition: Edition, data: RoundData) -> str:
    """A digest of the model's input: every submitted rating row, the entries, the criteria and the edition (kept
    on ``data``, which a cached round shares between page views)."""
    from gemeentedelers.scoring.verdict import ratings_rows, weights_and_scales

    known = getattr(data, "_ratings_key", None)
    if known is not None and known[0] == edition.key:
        return str(known[1])
    weights, scales = weights_and_scales(edition)
    body = json.dumps([edition.key, sorted(data.entries), ratings_rows(data), weights,
                       {k: list(v) for k, v in scales.items()}], sort_keys=True, default=str)
    key = hashlib.sha256(body.encode()).hexdigest()
    data._ratings_key = (edition.key, key)  # type: ignore[attr-defined]
    return key


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


def fitted(edition: Edition, data: RoundData, key: str | None = None,
           on_fit: Callable[[Any], None] | None = None) -> Any:
    """The rater model over ``data``'s submitted scores (``verdict.fit_round``), fitted once per state;
    ``on_fit`` hears of a fresh fit (the preview stores the scorers' calibration then, not on every view)."""
    from gemeentedelers.scoring.verdict import fit_round

    def compute() -> Any:
        found = fit_round(edition, data)
        if on_fit is not None:
            on_fit(found)
        return found

    return _cached("fit", key or ratings_key(edition, data), compute)


def ranking(edition: Edition, data: RoundData, *, draws: int, seed: int) -> list[Any]:
    """The ranking with intervals and P(top N) (``ranking.rank``) over the cached fit, once per state."""
    from gemeentedelers.scoring.ranking import rank
    from gemeentedelers.scoring.verdict import selection

    key = ratings_key(edition, data)
    top_n, categories, quotas = selection(edition, data)

    def compute() -> list[Any]:
        return rank(fitted(edition, data, key), top_n, categories=categories, quotas=quotas, draws=draws, seed=seed)

    return list(_cached(f"rank:{top_n}:{draws}:{seed}", key, compute))


_rounds: dict[str, tuple[Any, float, RoundData]] = {}


def current_round(db: firestore.Client, edition: str) -> RoundData:
    """Round 1 as stored, read again only when ``counters/round1`` changed (one read instead of thousands)."""
    marker = layout.round1_changes(db, edition).get()
    key = marker.update_time if marker.exists else None
    now = time.monotonic()
    with _lock:
        found = _rounds.get(edition)
        if key is not None and found and found[0] == key and now - found[1] < ROUND_MAX_AGE_S:
            stats["round_hits"] = stats.get("round_hits", 0) + 1
            return found[2]
    data = read_round(db, edition)
    if key is not None:  # no marker (nothing written since a reset): nothing to compare a later read with
        with _lock:
            _rounds[edition] = (key, now, data)
    return data


def clear() -> None:
    with _lock:
        _cache.clear()
        _rounds.clear()
        stats.update(hits=0, misses=0)

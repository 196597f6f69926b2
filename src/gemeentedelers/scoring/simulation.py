"""A simulated round 1: entries with a true quality and a crowd of lenient, strict, noisy and careless scorers.

Used by the benchmark and the demo. Every score a scorer *would* give an entry is fixed by the world's seed
(a counter-based hash, not a stateful generator), so two methods that ask for the same (scorer, entry)
pair see the same score, whatever else they asked for before. That keeps comparisons between methods and
between static and adaptive planning paired.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
from scipy.special import ndtri

from gemeentedelers.scoring.ratings import Ratings

__all__ = ["World", "WorldConfig", "make_world"]

_MASK = np.uint64(0xFFFFFFFFFFFFFFFF)


@dataclass(frozen=True)
class WorldConfig:
    """The benchmark's world; every number is a population parameter, not a tuning knob of the model."""

    n_entries: int = 120
    n_scorers: int = 60
    criteria: tuple[str, ...] = ("succesvol", "waardevol", "herbruikbaar")
    scale: tuple[int, int] = (1, 10)
    quality_mean: float = 5.5
    quality_sd: float = 1.5
    criterion_corr: float = 0.6
    bias_sd: float = 0.5
    noise_sd: float = 0.8
    noise_spread: float = 0.3
    careless_share: float = 0.1
    careless_sd: float = 1.5
    conflicts_per_scorer: int = 2
    capacity: int | None = None


def _splitmix(x: np.ndarray) -> np.ndarray:
    with np.errstate(over="ignore"):
        x = (x + np.uint64(0x9E3779B97F4A7C15)) & _MASK
        x = ((x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)) & _MASK
        x = ((x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)) & _MASK
        return x ^ (x >> np.uint64(31))


def _hashed_normal(*keys: np.ndarray | int) -> np.ndarray:
    """Standard normals that are a pure function of the integer keys (broadcast together)."""
    arrays = np.broadcast_arrays(*[np.asarray(k, dtype=np.uint64) for k in keys])
    h = np.zeros(arrays[0].shape, dtype=np.uint64)
    for k in arrays:
        h = _splitmix(h ^ k)
    u = ((h >> np.uint64(11)).astype(np.float64) + 0.5) * 2.0**-53
    return ndtri(u)


@dataclass(frozen=True, eq=False)
class World:
    """One simulated competition. ``truth`` (mean of the criterion qualities) is what should be ranked."""

    config: WorldConfig
    seed: int
    submission_ids: tuple[str, ...]
    scorer_ids: tuple[str, ...]
    quality: np.ndarray
    truth: np.ndarray
    bias: np.ndarray
    noise_sd: np.ndarray
    careless: np.ndarray
    careless_center: np.ndarray
    conflicts: tuple[tuple[str, str], ...]
    capacity: dict[str, int] = field(repr=False)

    def true_top(self, n: int) -> set[str]:
        order = np.argsort(-self.truth, kind="stable")
        return {self.submission_ids[i] for i in order[:n]}

    def scores(self, scorer_idx: np.ndarray, entry_idx: np.ndarray) -> np.ndarray:
        """The integer scores ``(n_pairs, n_criteria)`` the scorers give the entries."""
        s = np.asarray(scorer_idx, dtype=np.int64)[:, None]
        e = np.asarray(entry_idx, dtype=np.int64)[:, None]
        c = np.arange(len(self.config.criteria))[None, :]
        z = _hashed_normal(self.seed, 1, s, e, c)
        honest = self.quality[e[:, 0]] + self.bias[s] + self.noise_sd[s] * z
        careless = self.careless_center[s] + self.config.careless_sd * z
        raw = np.where(self.careless[s], careless, honest)
        lo, hi = self.config.scale
        return np.clip(np.rint(raw), lo, hi).astype(np.int64)

    def rate(self, pairs: Iterable[tuple[str, str]]) -> Ratings:
        """Ratings for (scorer_id, submission_id) pairs, one record per criterion."""
        pairs = list(pairs)
        scorer_pos = {sid: i for i, sid in enumerate(self.scorer_ids)}
        entry_pos = {sid: i for i, sid in enumerate(self.submission_ids)}
        s_idx = np.array([scorer_pos[s] for s, _ in pairs], dtype=np.int64)
        e_idx = np.array([entry_pos[e] for _, e in pairs], dtype=np.int64)
        scores = self.scores(s_idx, e_idx)
        n_c = len(self.config.criteria)
        return Ratings.from_arrays(
            np.repeat(np.array(self.submission_ids)[e_idx] if pairs else np.array([], dtype=str), n_c),
            np.repeat(np.array(self.scorer_ids)[s_idx] if pairs else np.array([], dtype=str), n_c),
            np.tile(np.array(self.config.criteria), len(pairs)),
            scores.ravel(),
        )


def make_world(seed: int, config: WorldConfig = WorldConfig()) -> World:
    """Draw a world: correlated criterion qualities, scorer leniency/noise, careless scorers, conflicts."""
    rng = np.random.default_rng([seed, 20240601])
    n_e, n_s, n_c = config.n_entries, config.n_scorers, len(config.criteria)
    corr = np.full((n_c, n_c), config.criterion_corr)
    np.fill_diagonal(corr, 1.0)
    quality = config.quality_mean + config.quality_sd * rng.standard_normal((n_e, n_c)) @ np.linalg.cholesky(corr).T
    bias = config.bias_sd * rng.standard_normal(n_s)
    noise_sd = config.noise_sd * np.exp(config.noise_spread * rng.standard_normal(n_s))
    careless = np.zeros(n_s, dtype=bool)
    careless[rng.choice(n_s, size=round(config.careless_share * n_s), replace=False)] = True
    lo, hi = config.scale
    mid, half = (lo + hi) / 2, (hi - lo) / 6
    careless_center = rng.uniform(mid - half, mid + half, size=n_s)
    width_e, width_s = len(str(n_e)), len(str(n_s))
    submission_ids = tuple(f"E{i + 1:0{width_e}d}" for i in range(n_e))
    scorer_ids = tuple(f"S{i + 1:0{width_s}d}" for i in range(n_s))
    conflicts = tuple(
        (scorer_ids[s], submission_ids[int(e)])
        for s in range(n_s)
        for e in rng.choice(n_e, size=min(config.conflicts_per_scorer, n_e), replace=False)
    )
    capacity = config.capacity if config.capacity is not None else n_e
    return World(
        config=config,
        seed=seed,
        submission_ids=submission_ids,
        scorer_ids=scorer_ids,
        quality=quality,
        truth=quality.mean(axis=1),
        bias=bias,
        noise_sd=noise_sd,
        careless=careless,
        careless_center=careless_center,
        conflicts=conflicts,
        capacity=dict.fromkeys(scorer_ids, capacity),
    )

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
    """The benchmark's world; every number is a population parameter, not a tuning knob of the model.

    The defaults are the project's first world. The others break the rater model's assumptions one by one:

    - ``careless_style``: ``"random"`` careless scorers score around a centre near the middle of the scale with
      independent noise per criterion; ``"straightline"`` ones give (nearly) the same score on every criterion,
      around a centre of their own drawn from ``careless_range`` (5 to 8, say), wobbling by ``careless_sd`` from
      entry to entry; ``straightline_jitter`` is the chance that one criterion is one point off.
    - ``noise_spread``: the sd of log(noise sd) across scorers (log-normal noise per scorer).
    - ``halo``: the share of a scorer's noise variance on an entry that is shared by all criteria.
    - ``criterion_corr``: how strongly an entry's true criterion qualities correlate.
    - ``narrow_share``: scorers who use only part of the scale: their scores are shrunk towards their own centre
      by a factor drawn from ``narrow_range``.
    - ``heavy_share``/``heavy_capacity``: a few scorers who rate many entries (the others can take ``capacity``).
    - ``length_spread``: entries of very different length; an entry's length is log-normal with this sd, and
      scoring noise grows for entries far from the typical length (short ones say too little, long ones are
      skimmed) by a factor exp(``length_noise`` * |z|).
    - ``bias_df``: biases drawn from a Student t with these degrees of freedom (heavy tails), rescaled to
      ``bias_sd``; 0 means normal.
    - ``careless_follow``: how much of the entry's quality a careless scorer still sees (0: none).
    """

    n_entries: int = 120
    n_scorers: int = 60
    criteria: tuple[str, ...] = ("succesvol", "waardevol", "herbruikbaar")
    scale: tuple[int, int] = (1, 10)
    quality_mean: float = 5.5
    quality_sd: float = 1.5
    criterion_corr: float = 0.6
    bias_sd: float = 0.5
    bias_df: float = 0.0
    noise_sd: float = 0.8
    noise_spread: float = 0.3
    halo: float = 0.0
    careless_share: float = 0.1
    careless_sd: float = 1.5
    careless_style: str = "random"
    careless_range: tuple[float, float] | None = None
    careless_follow: float = 0.0
    straightline_jitter: float = 0.0
    narrow_share: float = 0.0
    narrow_range: tuple[float, float] = (0.35, 0.6)
    heavy_share: float = 0.0
    heavy_capacity: int = 40
    length_spread: float = 0.0
    length_noise: float = 0.0
    conflicts_per_scorer: int = 2
    capacity: int | None = None

    def __post_init__(self) -> None:
        if self.careless_style not in ("random", "straightline"):
            raise ValueError("careless_style is 'random' or 'straightline'")
        if not 0 <= self.halo <= 1:
            raise ValueError("halo is a share of the noise variance, 0..1")


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
    narrow: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    """Per scorer: the factor their scores are shrunk by towards their centre (1: they use the whole scale)."""
    entry_noise: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)
    """Per entry: the factor scoring noise is multiplied by (1: a typical length)."""
    length: np.ndarray = field(default_factory=lambda: np.zeros(0), repr=False)

    def true_top(self, n: int) -> set[str]:
        order = np.argsort(-self.truth, kind="stable")
        return {self.submission_ids[i] for i in order[:n]}

    def scores(self, scorer_idx: np.ndarray, entry_idx: np.ndarray) -> np.ndarray:
        """The integer scores ``(n_pairs, n_criteria)`` the scorers give the entries."""
        cfg = self.config
        s = np.asarray(scorer_idx, dtype=np.int64)[:, None]
        e = np.asarray(entry_idx, dtype=np.int64)[:, None]
        c = np.arange(len(cfg.criteria))[None, :]
        z = _hashed_normal(self.seed, 1, s, e, c)
        if cfg.halo:
            z = np.sqrt(cfg.halo) * _hashed_normal(self.seed, 2, s, e) + np.sqrt(1 - cfg.halo) * z
        scale_noise = self.entry_noise[e[:, 0]][:, None] if self.entry_noise.size else 1.0
        quality = self.quality[e[:, 0]]
        honest = quality + self.bias[s] + self.noise_sd[s] * scale_noise * z
        if self.narrow.size:
            centre = cfg.quality_mean + self.bias[s]
            honest = centre + self.narrow[s] * (honest - centre)
        if cfg.careless_style == "straightline":
            wobble = cfg.careless_sd * _hashed_normal(self.seed, 3, s, e)
            follow = cfg.careless_follow * (quality.mean(axis=1, keepdims=True) - cfg.quality_mean)
            careless = np.broadcast_to(self.careless_center[s] + follow + wobble, z.shape)
            if cfg.straightline_jitter:
                u = _hashed_normal(self.seed, 4, s, e, c)
                off = np.where(np.abs(u) > ndtri(1 - cfg.straightline_jitter / 2), np.sign(u), 0.0)
                careless = np.rint(careless) + off
        else:
            careless = self.careless_center[s] + cfg.careless_sd * z
        raw = np.where(self.careless[s], careless, honest)
        lo, hi = cfg.scale
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
    """Draw a world: correlated criterion qualities, scorer leniency/noise, careless scorers, conflicts, and the
    harder traits of :class:`WorldConfig` (drawn after the first world's, so its worlds stay as they were)."""
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
    capacities = dict.fromkeys(scorer_ids, capacity)

    if config.careless_range is not None:
        careless_center = rng.uniform(*config.careless_range, size=n_s)
    if config.bias_df:
        t = rng.standard_t(config.bias_df, size=n_s)
        bias = config.bias_sd * t / np.sqrt(config.bias_df / (config.bias_df - 2)) if config.bias_df > 2 else \
            config.bias_sd * t
    narrow = np.ones(n_s)
    if config.narrow_share:
        chosen = rng.random(n_s) < config.narrow_share
        narrow[chosen] = rng.uniform(*config.narrow_range, size=int(chosen.sum()))
    if config.heavy_share:
        heavy = rng.choice(n_s, size=max(1, round(config.heavy_share * n_s)), replace=False)
        for i in heavy:
            capacities[scorer_ids[i]] = config.heavy_capacity
    length = np.ones(n_e)
    entry_noise = np.ones(n_e)
    if config.length_spread:
        z_len = rng.standard_normal(n_e)
        length = np.exp(config.length_spread * z_len)
        entry_noise = np.exp(config.length_noise * np.abs(z_len))
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
        capacity=capacities,
        narrow=narrow if config.narrow_share else np.zeros(0),
        entry_noise=entry_noise if config.length_spread else np.zeros(0),
        length=length,
    )

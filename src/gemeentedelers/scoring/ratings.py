"""Round-1 ratings: one record per (submission, scorer, criterion) score, validated once.

Validation lives here (not in the CSV reader) so that ratings from Firestore, a CSV file or a simulation are
checked by the same rules. A :class:`RatingsError` carries the index of the offending record and the
column, which the CSV reader turns into "file, row, column".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "Composite",
    "CriterionSpec",
    "Ratings",
    "RatingsError",
    "criterion_specs",
]

DEFAULT_SCALE = (1, 10)


class RatingsError(ValueError):
    """Invalid ratings; ``index`` is the 0-based record at fault (None: the data as a whole).

    A message may refer to a second record (``other_index``) through the placeholder ``{other}``, so a CSV
    reader can name it by its row instead of its record number (see :meth:`render`).
    """

    def __init__(
        self,
        message: str,
        index: int | None = None,
        column: str | None = None,
        other_index: int | None = None,
    ):
        self.template = message
        self.index = index
        self.column = column
        self.other_index = other_index
        super().__init__(self.render())

    def render(self, ref: Callable[[int], str] | None = None) -> str:
        if self.other_index is None:
            return self.template
        name = ref(self.other_index) if ref else f"record {self.other_index + 1}"
        return self.template.replace("{other}", name)


@dataclass(frozen=True)
class CriterionSpec:
    """A criterion's key, its (not yet normalised) weight and its integer scale.

    Same attribute names as the edition's ``Criterion`` so edition criteria can be used directly.
    """

    key: str
    weight: float = 1.0
    scale_min: int = DEFAULT_SCALE[0]
    scale_max: int = DEFAULT_SCALE[1]

    def __post_init__(self) -> None:
        if not self.key:
            raise ValueError("criterion key must not be empty")
        if not (self.weight >= 0 and np.isfinite(self.weight)):
            raise ValueError(f"criterion {self.key}: weight must be a finite number >= 0")
        if self.scale_min >= self.scale_max:
            raise ValueError(f"criterion {self.key}: scale_min must be below scale_max")


@dataclass(frozen=True, eq=False)
class Composite:
    """The weighted criterion composite per (scorer, submission) pair, with integer indices.

    ``submission_ids``/``scorer_ids`` are sorted; ``entry``/``scorer`` index into them; ``value`` is on the
    common display scale ``scale``.
    """

    submission_ids: tuple[str, ...]
    scorer_ids: tuple[str, ...]
    entry: np.ndarray
    scorer: np.ndarray
    value: np.ndarray
    scale: tuple[float, float]

    def __len__(self) -> int:
        return int(self.value.size)


def criterion_specs(
    criteria_in_data: Sequence[str],
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
) -> tuple[CriterionSpec, ...]:
    """Criteria with weights and scales: the given weights, or equal weights over the criteria found."""
    keys = list(weights) if weights is not None else sorted(set(criteria_in_data))
    if not keys:
        raise RatingsError("there are no criteria to score on")
    specs = []
    for key in keys:
        lo, hi = scale[key] if isinstance(scale, Mapping) else scale
        weight = float(weights[key]) if weights is not None else 1.0
        specs.append(CriterionSpec(key, weight, int(lo), int(hi)))
    if sum(s.weight for s in specs) <= 0:
        raise ValueError("criterion weights must not all be zero")
    return tuple(specs)


def _as_id_array(values: Iterable[object], name: str) -> np.ndarray:
    array = np.asarray([str(v).strip() for v in values], dtype=str)
    if array.ndim != 1:
        raise RatingsError(f"{name} must be one-dimensional", column=name)
    empty = np.flatnonzero(np.char.str_len(array) == 0) if array.size else np.array([], dtype=int)
    if empty.size:
        raise RatingsError(f"{name} is empty", index=int(empty[0]), column=name)
    return array


@dataclass(frozen=True, eq=False)
class Ratings:
    """Parallel arrays of round-1 criterion scores; build with :meth:`from_rows` or :meth:`from_arrays`."""

    submission_id: np.ndarray
    scorer_id: np.ndarray
    criterion: np.ndarray
    score: np.ndarray

    @classmethod
    def from_arrays(
        cls,
        submission_id: Iterable[object],
        scorer_id: Iterable[object],
        criterion: Iterable[object],
        score: Iterable[object],
    ) -> Ratings:
        subs = _as_id_array(submission_id, "submission_id")
        scorers = _as_id_array(scorer_id, "scorer_id")
        crits = _as_id_array(criterion, "criterion")
        raw = np.asarray(list(score) if not isinstance(score, np.ndarray) else score)
        if not (subs.size == scorers.size == crits.size == raw.size):
            raise RatingsError("submission_id, scorer_id, criterion and score must have the same length")
        if raw.size and not np.issubdtype(raw.dtype, np.number):
            raise RatingsError("score must be numeric", column="score")
        values = raw.astype(float) if raw.size else np.zeros(0)
        bad = np.flatnonzero(~np.isfinite(values) | (values != np.round(values)))
        if bad.size:
            raise RatingsError(f"{str(raw[bad[0]])!r} is not a whole number", index=int(bad[0]), column="score")
        ratings = cls(subs, scorers, crits, values.astype(np.int64))
        ratings._check_duplicates()
        return ratings

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[str, str, str, int]]) -> Ratings:
        """From ``(submission_id, scorer_id, criterion, score)`` tuples."""
        rows = list(rows)
        if not rows:
            return cls.from_arrays([], [], [], [])
        subs, scorers, crits, scores = zip(*rows, strict=True)
        return cls.from_arrays(subs, scorers, crits, scores)

    @classmethod
    def concat(cls, parts: Sequence[Ratings]) -> Ratings:
        """All records of several batches (e.g. successive waves); duplicates across batches are errors."""
        return cls.from_arrays(
            np.concatenate([p.submission_id for p in parts]),
            np.concatenate([p.scorer_id for p in parts]),
            np.concatenate([p.criterion for p in parts]),
            np.concatenate([p.score for p in parts]),
        )

    def __len__(self) -> int:
        return int(self.score.size)

    @property
    def criteria(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.criterion.tolist())))

    @property
    def submissions(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.submission_id.tolist())))

    @property
    def scorers(self) -> tuple[str, ...]:
        return tuple(sorted(set(self.scorer_id.tolist())))

    def pairs(self) -> set[tuple[str, str]]:
        """The (scorer_id, submission_id) pairs that have at least one score."""
        return set(zip(self.scorer_id.tolist(), self.submission_id.tolist(), strict=True))

    def _codes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Sorted unique ids and integer codes of (submission, scorer, criterion)."""
        subs, sub_code = np.unique(self.submission_id, return_inverse=True)
        scorers, scorer_code = np.unique(self.scorer_id, return_inverse=True)
        crits, crit_code = np.unique(self.criterion, return_inverse=True)
        return subs, scorers, crits, sub_code.ravel(), scorer_code.ravel(), crit_code.ravel()

    def _check_duplicates(self) -> None:
        if not len(self):
            return
        subs, _, crits, sub_code, scorer_code, crit_code = self._codes()
        keys = (scorer_code.astype(np.int64) * len(subs) + sub_code) * len(crits) + crit_code
        _, first, inverse, counts = np.unique(keys, return_index=True, return_inverse=True, return_counts=True)
        if (counts > 1).any():
            dup_positions = np.flatnonzero(counts[inverse] > 1)
            later = dup_positions[dup_positions != first[inverse[dup_positions]]]
            i = int(later.min())
            j = int(first[inverse[i]])
            raise RatingsError(
                f"duplicate of {{other}} (submission {self.submission_id[i]}, scorer {self.scorer_id[i]}, "
                f"criterion {self.criterion[i]})",
                index=i,
                other_index=j,
            )

    def check(self, specs: Sequence[CriterionSpec]) -> None:
        """Known criteria, scores within each criterion's scale, every weighted criterion scored per pair."""
        by_key = {s.key: s for s in specs}
        known = np.isin(self.criterion, list(by_key))
        if not known.all():
            i = int(np.flatnonzero(~known)[0])
            raise RatingsError(
                f"unknown criterion {str(self.criterion[i])!r} (expected one of: {', '.join(sorted(by_key))})",
                index=i,
                column="criterion",
            )
        for spec in specs:
            rows = np.flatnonzero(self.criterion == spec.key)
            scores = self.score[rows]
            outside = rows[(scores < spec.scale_min) | (scores > spec.scale_max)]
            if outside.size:
                i = int(outside[0])
                raise RatingsError(
                    f"{self.score[i]} is outside the scale {spec.scale_min}-{spec.scale_max} of {spec.key}",
                    index=i,
                    column="score",
                )
        self._check_complete([s for s in specs if s.weight > 0])

    def _check_complete(self, weighted: Sequence[CriterionSpec]) -> None:
        if not len(self):
            return
        needed = [s.key for s in weighted]
        keep = np.isin(self.criterion, needed)
        subs, _, _, sub_code, scorer_code, _ = self._codes()
        _, pair_of = np.unique(scorer_code.astype(np.int64) * len(subs) + sub_code, return_inverse=True)
        # Every record of a weighted criterion counts once per pair (duplicates were rejected earlier).
        counts = np.bincount(pair_of[keep], minlength=pair_of.max() + 1)
        short = np.flatnonzero(counts < len(needed))
        if short.size:
            i = int(np.flatnonzero(np.isin(pair_of, short))[0])
            pair = pair_of[i]
            have = set(self.criterion[(pair_of == pair) & keep].tolist())
            missing = [k for k in needed if k not in have]
            raise RatingsError(
                f"scorer {self.scorer_id[i]} scored submission {self.submission_id[i]} but not on {', '.join(missing)}",
                index=i,
                column="criterion",
            )

    def composite(self, specs: Sequence[CriterionSpec]) -> Composite:
        """Weighted composite per (scorer, submission), after :meth:`check`.

        Weights are normalised to sum to one. When criteria use different scales, each score is mapped
        linearly onto the common scale (lowest minimum .. highest maximum) first.
        """
        self.check(specs)
        total = sum(s.weight for s in specs)
        lo = float(min(s.scale_min for s in specs))
        hi = float(max(s.scale_max for s in specs))
        weight = np.zeros(len(self))
        mapped = self.score.astype(float)
        for spec in specs:
            rows = self.criterion == spec.key
            weight[rows] = spec.weight / total
            mapped[rows] = lo + (mapped[rows] - spec.scale_min) * (hi - lo) / (spec.scale_max - spec.scale_min)
        submission_ids, entry = np.unique(self.submission_id, return_inverse=True)
        scorer_ids, scorer = np.unique(self.scorer_id, return_inverse=True)
        code = scorer.astype(np.int64) * len(submission_ids) + entry
        pair_codes, pair_of = np.unique(code, return_inverse=True)
        value = np.bincount(pair_of, weights=weight * mapped, minlength=pair_codes.size)
        return Composite(
            submission_ids=tuple(submission_ids.tolist()),
            scorer_ids=tuple(scorer_ids.tolist()),
            entry=(pair_codes % len(submission_ids)).astype(np.int64),
            scorer=(pair_codes // len(submission_ids)).astype(np.int64),
            value=value,
            scale=(lo, hi),
        )

"""Who rates what: the first wave, adaptive waves, and replacing a scorer who drops out.

All planners share one engine with the same hard rules: a scorer never rates an entry twice, never an
entry they have a conflict with, never more than their capacity (already given ratings count), and loads
stay balanced. Each rating goes to the least-loaded scorer who may take it (random among equals, seeded).
When no such scorer has room, an augmenting path moves already planned ratings along a chain of scorers to
make room, so a plan is found whenever one exists (the engine is then a maximum b-matching). A final pass
moves planned ratings along chains from a scorer with at least two more ratings than the least-loaded
scorer with room, until no chain is left; this makes max - min load <= 1 among scorers with room wherever
conflicts and capacities allow it.
"""

from __future__ import annotations

import bisect
import heapq
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence

import numpy as np

from gemeentedelers.scoring.ranking import top_n_probability
from gemeentedelers.scoring.ratermodel import Fit
from gemeentedelers.scoring.voi import expected_misclassification, rating_gains

__all__ = [
    "InfeasiblePlanError",
    "Pair",
    "loads",
    "plan_adaptive_wave",
    "plan_first_wave",
    "plan_top_up",
    "replace_scorer",
]

Pair = tuple[str, str]
"""(scorer_id, submission_id)."""

MAX_EXTRA_PER_WAVE = 30
RELIABLE_SHARE = 0.3
"""The share of scorers adaptive ratings go to first: the most reliable. In simulation (tests/bench/round1.py) the
top 25-35% did best; everyone eligible did 0.02-0.04 worse on recall of the true top 20."""
ROOM_SLACK = 2
MIN_POOL = 10


class InfeasiblePlanError(ValueError):
    """No plan satisfies the constraints; ``uncovered`` maps submission_id -> ratings that could not be placed;
    ``room``, when known, is how many ratings the eligible scorers could still take."""

    def __init__(self, message: str, uncovered: Mapping[str, int] | None = None, room: int | None = None):
        super().__init__(message)
        self.uncovered = dict(uncovered or {})
        self.room = room


def loads(pairs: Iterable[Pair]) -> dict[str, int]:
    """Ratings per scorer in a plan."""
    out: dict[str, int] = {}
    for scorer, _ in pairs:
        out[scorer] = out.get(scorer, 0) + 1
    return out


class _Engine:
    """Balanced assignment of ratings to scorers under capacity, conflict and no-repeat rules (by index)."""

    def __init__(
        self,
        capacity: np.ndarray,
        load: np.ndarray,
        blocked: list[set[int]],
        allowed: np.ndarray,
        rng: np.random.Generator,
        preference: np.ndarray | None = None,
    ):
        self.capacity = capacity
        self.load = load.copy()
        self.blocked = blocked
        self.allowed = allowed
        self.rng = rng
        self.preference = preference
        self.new_of_scorer: list[dict[int, None]] = [{} for _ in range(capacity.size)]
        self.new_of_entry: list[set[int]] = [set() for _ in blocked]
        # Scorers with room, by load. Without a preference a bucket is unordered (random pick); with one it
        # holds preference ranks in ascending order, so the most preferred eligible scorer is found first.
        self.buckets: dict[int, list[int]] = {}
        self.slot = np.full(capacity.size, -1, dtype=np.int64)
        self.order = np.arange(capacity.size)
        self.rank_of = np.arange(capacity.size)
        if preference is not None:
            self.order = np.lexsort((rng.random(capacity.size), -preference))
            self.rank_of[self.order] = np.arange(capacity.size)
        for s in self.rng.permutation(capacity.size):
            if allowed[s] and self.load[s] < capacity[s]:
                self._bucket_add(int(s))

    # --- buckets of scorers with room, by load --------------------------------------------------------
    def _bucket_add(self, s: int) -> None:
        bucket = self.buckets.setdefault(int(self.load[s]), [])
        if self.preference is None:
            self.slot[s] = len(bucket)  # position, for O(1) removal
            bucket.append(s)
        else:
            self.slot[s] = 0  # only marks "in a bucket"; found by bisection
            bisect.insort(bucket, int(self.rank_of[s]))

    def _bucket_remove(self, s: int) -> None:
        level = int(self.load[s])
        bucket = self.buckets[level]
        if self.preference is None:
            i = int(self.slot[s])
            last = bucket.pop()
            if last != s:
                bucket[i] = last
                self.slot[last] = i
        else:
            bucket.pop(bisect.bisect_left(bucket, int(self.rank_of[s])))
        self.slot[s] = -1
        if not bucket:
            del self.buckets[level]

    def _change_load(self, s: int, delta: int) -> None:
        if self.slot[s] >= 0:
            self._bucket_remove(s)
        self.load[s] += delta
        if self.allowed[s] and self.load[s] < self.capacity[s]:
            self._bucket_add(s)

    def has_room(self, s: int) -> bool:
        return bool(self.allowed[s] and self.load[s] < self.capacity[s])

    def may_take(self, s: int, e: int) -> bool:
        return bool(self.allowed[s]) and s not in self.blocked[e] and s not in self.new_of_entry[e]

    # --- assignment --------------------------------------------------------------------------------------
    def _link(self, s: int, e: int) -> None:
        self.new_of_scorer[s][e] = None
        self.new_of_entry[e].add(s)

    def _unlink(self, s: int, e: int) -> None:
        del self.new_of_scorer[s][e]
        self.new_of_entry[e].discard(s)

    def place(self, e: int) -> bool:
        """Give entry ``e`` one more rating; False if no plan can (even after moving planned ratings)."""
        s = self._pick(e)
        if s is None:
            return self._augment(e)
        self._link(s, e)
        self._change_load(s, +1)
        return True

    def _pick(self, e: int) -> int | None:
        """The least-loaded scorer who may take ``e``: random among equals, or the most preferred."""
        for level in sorted(self.buckets):
            bucket = self.buckets[level]
            if self.preference is not None:
                for r in bucket:
                    s = int(self.order[r])
                    if self.may_take(s, e):
                        return s
                continue
            n = len(bucket)
            start = int(self.rng.integers(n))
            for k in range(n):
                s = bucket[(start + k) % n]
                if self.may_take(s, e):
                    return s
        return None

    def _augment(self, e: int) -> bool:
        """Make room for ``e`` by moving planned ratings along a chain ending at a scorer with room."""
        starts = [s for s in range(self.capacity.size) if self.may_take(s, e)]
        found = self._chain(starts, self.has_room)
        if found is None:
            return False
        end, parent = found
        start = self._chain_start(end, parent)
        self._apply_chain(end, parent)
        self._link(start, e)
        return True

    def _chain(
        self, sources: Sequence[int], is_target: Callable[[int], bool]
    ) -> tuple[int, dict[int, tuple[int, int] | None]] | None:
        """Breadth-first search for a chain source -> ... -> target in which each scorer can take one
        planned entry of the previous one. ``parent[s] = (previous scorer, entry s takes from them)``."""
        parent: dict[int, tuple[int, int] | None] = dict.fromkeys(sources)
        unvisited = [s for s in range(self.capacity.size) if s not in parent and self.allowed[s]]
        queue = deque(sources)
        while queue and unvisited:
            s = queue.popleft()
            for e2 in list(self.new_of_scorer[s]):
                keep = []
                for s2 in unvisited:
                    if not self.may_take(s2, e2):
                        keep.append(s2)
                        continue
                    parent[s2] = (s, e2)
                    if is_target(s2):
                        return s2, parent
                    queue.append(s2)
                unvisited = keep
        return None

    @staticmethod
    def _chain_start(end: int, parent: Mapping[int, tuple[int, int] | None]) -> int:
        s = end
        while (step := parent[s]) is not None:
            s = step[0]
        return s

    def _apply_chain(self, end: int, parent: Mapping[int, tuple[int, int] | None]) -> None:
        """Along the chain, each scorer hands one planned entry to the next; ``end`` gains one rating."""
        s = end
        while (step := parent[s]) is not None:
            prev, moved = step
            self._unlink(prev, moved)
            self._link(s, moved)
            s = prev
        self._change_load(end, +1)

    def rebalance(self) -> None:
        """Move planned ratings from scorers >= 2 above the least-loaded scorer with room, while possible."""
        n_s = self.capacity.size
        while True:
            room = [s for s in range(n_s) if self.has_room(s)]
            if not room:
                return
            low = min(int(self.load[s]) for s in room)
            sources = [s for s in range(n_s) if self.load[s] >= low + 2 and self.new_of_scorer[s]]
            if not sources:
                return
            sources.sort(key=lambda s: -self.load[s])
            found = self._chain(sources, lambda s, low=low: self.has_room(s) and self.load[s] == low)
            if found is None:
                return
            end, parent = found
            start = self._chain_start(end, parent)
            self._apply_chain(end, parent)
            self._change_load(start, -1)

    def new_pairs(self) -> list[tuple[int, int]]:
        return [(s, e) for s, entries in enumerate(self.new_of_scorer) for e in entries]


class _Index:
    """Ids <-> indices, and the per-entry blocked sets from conflicts and earlier ratings."""

    def __init__(
        self,
        submissions: Sequence[str],
        capacity: Mapping[str, int],
        conflicts: Iterable[Pair],
        existing: Iterable[Pair],
    ):
        self.submissions = list(dict.fromkeys(str(s) for s in submissions))
        self.scorers = list(dict.fromkeys(str(s) for s in capacity))
        self.entry_pos = {s: i for i, s in enumerate(self.submissions)}
        self.scorer_pos = {s: i for i, s in enumerate(self.scorers)}
        bad = [s for s, c in capacity.items() if int(c) < 0]
        if bad:
            raise ValueError(f"negative capacity for scorer(s) {', '.join(map(str, bad[:5]))}")
        self.capacity = np.array([int(capacity[s]) for s in self.scorers], dtype=np.int64)
        self.load = np.zeros(len(self.scorers), dtype=np.int64)
        self.blocked: list[set[int]] = [set() for _ in self.submissions]
        self.n_conflicts = np.zeros(len(self.submissions), dtype=np.int64)
        self.n_existing = np.zeros(len(self.submissions), dtype=np.int64)
        for scorer, sub in conflicts:
            e, s = self.entry_pos.get(str(sub)), self.scorer_pos.get(str(scorer))
            if e is not None and s is not None and s not in self.blocked[e]:
                self.blocked[e].add(s)
                self.n_conflicts[e] += 1
        for scorer, sub in dict.fromkeys((str(a), str(b)) for a, b in existing):
            e, s = self.entry_pos.get(sub), self.scorer_pos.get(scorer)
            if s is not None:
                self.load[s] += 1
            if e is not None:
                self.n_existing[e] += 1
                if s is not None:
                    self.blocked[e].add(s)

    def pairs(self, index_pairs: Iterable[tuple[int, int]]) -> list[Pair]:
        return sorted((self.scorers[s], self.submissions[e]) for s, e in index_pairs)


def _fill(
    index: _Index,
    needs: np.ndarray,
    rng: np.random.Generator,
    allowed: np.ndarray | None = None,
    what: str = "ratings",
) -> list[Pair]:
    """Give entry e ``needs[e]`` new ratings, round by round in random entry order, then rebalance."""
    allowed = np.ones(len(index.scorers), dtype=bool) if allowed is None else allowed
    _precheck(index, needs, allowed, what)
    engine = _Engine(index.capacity, index.load, index.blocked, allowed, rng)
    missing = np.zeros_like(needs)
    for r in range(int(needs.max(initial=0))):
        for e in rng.permutation(np.flatnonzero(needs > r)):
            if missing[e] or not engine.place(int(e)):
                missing[e] += 1
    if missing.any():
        _raise_uncovered(index, missing, needs, what)
    engine.rebalance()
    return index.pairs(engine.new_pairs())


def _precheck(index: _Index, needs: np.ndarray, allowed: np.ndarray, what: str) -> None:
    room = int(np.sum(np.maximum(index.capacity - index.load, 0)[allowed]))
    total = int(needs.sum())
    if total > room:
        raise InfeasiblePlanError(
            f"not enough capacity: the scorers can take {room} more rating(s), {total} {what} are needed",
            {index.submissions[e]: int(needs[e]) for e in np.flatnonzero(needs)},
        )


def _raise_uncovered(index: _Index, missing: np.ndarray, needs: np.ndarray, what: str) -> None:
    short = np.flatnonzero(missing)
    parts = []
    for e in short[:10]:
        free = sum(1 for s in range(len(index.scorers)) if s not in index.blocked[e] and index.capacity[s] > 0)
        parts.append(
            f"{index.submissions[e]} (gets {needs[e] - missing[e]} of {needs[e]}; {free} scorer(s) without a "
            f"conflict or earlier rating, {index.n_conflicts[e]} conflict(s))"
        )
    more = f" and {short.size - 10} more" if short.size > 10 else ""
    raise InfeasiblePlanError(
        f"cannot place all {what}: {short.size} submission(s) cannot be covered under the capacities and "
        f"conflicts: {'; '.join(parts)}{more}",
        {index.submissions[e]: int(missing[e]) for e in short},
    )


def plan_first_wave(
    submissions: Sequence[str],
    capacity: Mapping[str, int],
    per_submission: int,
    *,
    conflicts: Iterable[Pair] = (),
    seed: int = 0,
) -> list[Pair]:
    """Every submission gets ``per_submission`` ratings from distinct scorers; loads balanced within one."""
    return plan_top_up(submissions, capacity, per_submission, conflicts=conflicts, seed=seed)


def plan_top_up(
    submissions: Sequence[str],
    capacity: Mapping[str, int],
    per_submission: int,
    *,
    existing: Iterable[Pair] = (),
    conflicts: Iterable[Pair] = (),
    seed: int = 0,
) -> list[Pair]:
    """New pairs so that every submission has ``per_submission`` distinct scorers, counting ``existing``.

    Capacities count the existing ratings too. Raises :class:`InfeasiblePlanError` naming what cannot be
    covered.
    """
    if per_submission < 0:
        raise ValueError("per_submission must not be negative")
    index = _Index(submissions, capacity, conflicts, existing)
    needs = np.maximum(per_submission - index.n_existing, 0)
    return _fill(index, needs, np.random.default_rng(seed), what=f"{per_submission} ratings per submission")


def plan_spread(
    submissions: Sequence[str],
    capacity: Mapping[str, int],
    budget: int,
    *,
    existing: Iterable[Pair] = (),
    conflicts: Iterable[Pair] = (),
    seed: int = 0,
) -> list[Pair]:
    """``budget`` new ratings spread as evenly as possible, fewest-rated submissions first."""
    if budget < 0:
        raise ValueError("budget must not be negative")
    index = _Index(submissions, capacity, conflicts, existing)
    rng = np.random.default_rng(seed)
    needs = np.zeros(len(index.submissions), dtype=np.int64)
    # Water-filling: each rating goes to a submission with the fewest ratings so far, random among equals.
    heap = [(int(index.n_existing[e]), rng.random(), e) for e in range(len(index.submissions))]
    heapq.heapify(heap)
    for _ in range(budget if heap else 0):
        count, tie, e = heapq.heappop(heap)
        needs[e] += 1
        heapq.heappush(heap, (count + 1, tie, e))
    return _fill(index, needs, rng, what=f"{budget} ratings")


def plan_adaptive_wave(
    fit: Fit,
    budget: int,
    capacity: Mapping[str, int],
    *,
    top_n: int = 20,
    conflicts: Iterable[Pair] = (),
    planned: Iterable[Pair] = (),
    p_top: np.ndarray | None = None,
    min_weight: float = 0.25,
    reliable_share: float = RELIABLE_SHARE,
    draws: int = 2000,
    seed: int = 0,
) -> list[Pair]:
    """``budget`` extra ratings where they most reduce the chance of an entry landing on the wrong side.

    Entries are taken greedily by the expected drop in min(p_top, 1 - p_top) from one more rating (see
    :mod:`.voi`), with diminishing returns per entry. The ratings go to the most reliable scorers: the
    ``reliable_share`` of scorers with the highest rating weight, widened (in order of weight) until they have
    room for ``ROOM_SLACK`` times the budget; a rating from a scorer twice as reliable is worth two. Within that
    pool each rating goes to the least-loaded scorer who may take it (existing ratings and ``planned`` pairs
    count for load and repeats), the most reliable first among equals. Scorers whose weight is below
    ``min_weight`` times the median (the careless ones) never get adaptive work. When conflicts and earlier
    ratings leave the pool unable to take every rating, every eligible scorer is used.
    """
    if budget < 0:
        raise ValueError("budget must not be negative")
    if not 0 < reliable_share <= 1:
        raise ValueError("reliable_share must be in (0, 1]")
    existing = [
        (fit.scorer_ids[s], fit.submission_ids[e]) for s, e in zip(fit.pair_scorer, fit.pair_entry, strict=True)
    ]
    existing += [(str(a), str(b)) for a, b in planned]
    index = _Index(fit.submission_ids, capacity, conflicts, existing)
    rng = np.random.default_rng(seed)
    if budget == 0 or not index.submissions:
        return []

    fit_pos = {sid: i for i, sid in enumerate(fit.scorer_ids)}
    known = [fit_pos.get(s) for s in index.scorers]
    median_w = float(np.median(fit.weight)) if fit.weight.size else 1.0
    weight = np.array([median_w if i is None else fit.weight[i] for i in known])
    # Error variance of one new rating about the entry: the scorer's noise plus the uncertainty of their bias.
    typical = fit.typical_noise_sd**2 + fit.bias_spread**2
    rating_var = np.array([typical if i is None else fit.noise_var[i] + fit.bias_sd[i] ** 2 for i in known])
    eligible = weight >= min_weight * median_w
    room = int(np.sum(np.maximum(index.capacity - index.load, 0)[eligible]))
    if room < budget:
        raise InfeasiblePlanError(
            f"not enough capacity: the {int(eligible.sum())} scorer(s) eligible for adaptive work can take "
            f"{room} more rating(s), the budget is {budget}", room=room
        )
    if p_top is None:
        p_top = top_n_probability(fit, top_n, draws=draws, seed=seed)
    pool = _reliable_pool(index, weight, eligible, budget, reliable_share)
    for allowed in ([pool, eligible] if pool.sum() < eligible.sum() else [eligible]):
        pairs = _place_adaptive(index, allowed, weight, rating_var, np.asarray(p_top), fit.sd, budget, rng)
        if pairs is not None:
            return pairs
    raise InfeasiblePlanError(
        f"cannot place all {budget} ratings under the capacities, conflicts and earlier ratings of the "
        f"{int(eligible.sum())} scorer(s) eligible for adaptive work"
    )


def _reliable_pool(index: _Index, weight: np.ndarray, eligible: np.ndarray, budget: int, share: float) -> np.ndarray:
    """The most reliable eligible scorers: ``share`` of them (at least ``MIN_POOL``), more while they lack room."""
    order = [int(s) for s in np.lexsort((np.arange(weight.size), -weight)) if eligible[s]]
    free = np.maximum(index.capacity - index.load, 0)
    take = min(len(order), max(MIN_POOL, int(np.ceil(share * len(order)))))
    room = int(free[order[:take]].sum())
    while take < len(order) and room < ROOM_SLACK * budget:
        room += int(free[order[take]])
        take += 1
    pool = np.zeros(weight.size, dtype=bool)
    pool[order[:take]] = True
    return pool


def _place_adaptive(index: _Index, allowed: np.ndarray, weight: np.ndarray, rating_var: np.ndarray,
                    p_top: np.ndarray, sd: np.ndarray, budget: int, rng: np.random.Generator) -> list[Pair] | None:
    """The greedy value-of-information placement over the ``allowed`` scorers; None when the budget does not fit."""
    # More than MAX_EXTRA_PER_WAVE new ratings for one entry in one wave is never worth it (diminishing
    # returns); if the budget needs it anyway, the heap runs dry and the caller hears None.
    max_extra = int(min(budget, int(allowed.sum()), MAX_EXTRA_PER_WAVE))
    mis = expected_misclassification(p_top, sd, float(np.median(rating_var[allowed])), max_extra)
    gain = rating_gains(mis)
    engine = _Engine(index.capacity, index.load, index.blocked, allowed, rng, preference=weight)
    tiebreak = rng.random(len(index.submissions))
    heap = [(-gain[e, 0], int(index.n_existing[e]), tiebreak[e], e, 0) for e in range(len(index.submissions))]
    heapq.heapify(heap)
    placed = 0
    while placed < budget and heap:
        _, _, _, e, j = heapq.heappop(heap)
        if not engine.place(e):
            continue
        placed += 1
        if j + 1 < max_extra:
            heapq.heappush(heap, (-gain[e, j + 1], int(index.n_existing[e]) + j + 1, tiebreak[e], e, j + 1))
    if placed < budget:
        return None
    engine.rebalance()
    return index.pairs(engine.new_pairs())


def replace_scorer(
    plan: Iterable[Pair],
    dropped: str,
    capacity: Mapping[str, int],
    *,
    completed: Iterable[Pair] = (),
    conflicts: Iterable[Pair] = (),
    seed: int = 0,
) -> list[Pair]:
    """The plan with ``dropped``'s unfinished entries handed to other scorers under the same rules.

    Ratings ``dropped`` completed stay; everyone else's planned pairs stay where they are (they may have
    started), so only the reassigned pairs are placed and balanced.
    """
    plan = list(dict.fromkeys((str(a), str(b)) for a, b in plan))
    done = {(str(a), str(b)) for a, b in completed}
    keep = [p for p in plan if p[0] != dropped or p in done]
    todo = [e for s, e in plan if s == dropped and (s, e) not in done]
    submissions = list(dict.fromkeys(e for _, e in plan))
    others = {s: c for s, c in capacity.items() if s != dropped}
    index = _Index(submissions, others, conflicts, keep)
    needs = np.zeros(len(index.submissions), dtype=np.int64)
    for e in todo:
        needs[index.entry_pos[e]] += 1
    new = _fill(index, needs, np.random.default_rng(seed), what=f"the {len(todo)} unfinished rating(s) of {dropped}")
    return sorted(keep + new)

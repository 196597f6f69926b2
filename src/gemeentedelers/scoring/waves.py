"""Who rates what in round 1, wave by wave, stored as one assignment document per (scorer, entry).

The first wave spreads an even share of the budget; later waves are adaptive: the rater model says which
entries sit near the cut-off and the planner sends the extra ratings there, to reliable scorers. Conflicts of
interest (the edition's rules plus conflicts scorers declared) are never assigned. Each wave tells the
scorers concerned through ``scorer.assigned`` so notify mails them their personal link.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.platform import audit, bus, layout
from gemeentedelers.scoring import changes, rounds, scorers, sheets
from gemeentedelers.web.refusals import Refusal

BATCH = 400


class WaveRefused(Refusal):
    """A wave that cannot be assigned as asked; the organiser reads why in their language. The planner's own
    (English, detailed) error is the ``__cause__``, for the logs."""


@dataclass(frozen=True)
class WaveResult:
    wave: int
    kind: str
    pairs: list[tuple[str, str]]

    @property
    def scorers(self) -> set[str]:
        return {s for s, _ in self.pairs}


@dataclass
class RoundData:
    """Everything a wave or a verdict needs, read once."""

    entries: dict[str, dict[str, Any]]
    scorers: dict[str, dict[str, Any]]
    assignments: list[dict[str, Any]]
    scores: list[dict[str, Any]]

    @property
    def active_pairs(self) -> list[tuple[str, str]]:
        return [(a["scorer_id"], a["submission_id"]) for a in self.assignments if a["status"] == "assigned"]

    @property
    def submitted(self) -> list[dict[str, Any]]:
        return [s for s in self.scores if s["status"] == "submitted"]

    def outstanding(self) -> list[tuple[str, str]]:
        done = {(s["scorer_id"], s["submission_id"]) for s in self.submitted}
        return [pair for pair in self.active_pairs if pair not in done]

    def capacity(self, edition: Edition) -> dict[str, int]:
        default = edition.round1_rules.scorer_capacity
        return {sid: int(s.get("capacity") or default) for sid, s in self.scorers.items()
                if s["status"] == "approved"}

    def conflicts(self, edition: Edition) -> set[tuple[str, str]]:
        found = {(a["scorer_id"], a["submission_id"]) for a in self.assignments if a["status"] == "conflict"}
        for sid, scorer in self.scorers.items():
            for eid, entry in self.entries.items():
                if edition.conflicts_of_interest(scorer, entry):
                    found.add((sid, eid))
        return found


def read_round(db: firestore.Client, edition: str) -> RoundData:
    return RoundData(
        entries={d.id: d.to_dict() for d in layout.round1_entries(db, edition).stream()},
        scorers={d.id: d.to_dict() for d in layout.scorers(db, edition).stream()},
        assignments=[d.to_dict() for d in layout.round1_assignments(db, edition).stream()],
        scores=[d.to_dict() for d in layout.round1_scores(db, edition).stream()],
    )


SYSTEM = audit.system("scoring")


def first_wave(db: firestore.Client, edition: Edition, by: str = SYSTEM) -> WaveResult:
    """Give every entry its first-wave share of ratings, opening round 1 if needed.

    The wave is planned before the round opens, so a refused wave (no entries, too few scorers) leaves a round
    that was not opened unopened, and the organiser can try again.
    """
    from gemeentedelers.scoring.assignment import InfeasiblePlanError, plan_top_up

    current = rounds.state(db, edition.key, 1)
    if current["status"] not in ("not_opened", "open"):
        raise rounds.RoundNotOpen("round_not_open", round=1, status=current["status"])
    data = read_round(db, edition.key)
    if not data.entries:
        raise WaveRefused("round1_no_entries")
    wave = len(current["waves"]) + 1
    share = edition.round1_rules.first_wave
    try:
        pairs = plan_top_up(sorted(data.entries), data.capacity(edition), share, existing=data.active_pairs,
                            conflicts=data.conflicts(edition), seed=wave)
    except InfeasiblePlanError as problem:
        rated = Counter(e for _, e in data.active_pairs)
        raise _no_room(edition, data, sum(max(share - rated[e], 0) for e in data.entries)) from problem
    rounds.open_round(db, edition.key, 1, by)
    rounds.require_open(db, edition.key, 1)  # not closed meanwhile
    return _store(db, edition, wave, "first", pairs, by)


def adaptive_wave(db: firestore.Client, edition: Edition, budget: int | None = None,
                  by: str = SYSTEM) -> WaveResult:
    """Extra ratings where they most reduce the chance of an entry on the wrong side of the cut-off.

    The model fit and ranking are the cached ones for this state of the ratings (``fitcache``), the same the
    console's preview shows. Without ``budget`` it uses what is left of the edition's ratings-per-entry budget,
    and only while the shortlist is not stable (``stopping``: the chance that the ratings still to come change it
    is 5% or more).
    """
    import numpy as np

    from gemeentedelers.scoring.assignment import InfeasiblePlanError, plan_adaptive_wave
    from gemeentedelers.scoring.verdict import cached_fit_and_ranking, selection, stability

    if budget is not None and budget < 1:
        raise WaveRefused("wave_budget_invalid")
    current = rounds.require_open(db, edition.key, 1)
    data = read_round(db, edition.key)
    if not data.entries:
        raise WaveRefused("round1_no_entries")
    rules = edition.round1_rules
    asked = budget
    if budget is None:
        budget = rules.ratings_per_entry * len(data.entries) - len(data.active_pairs)
        if budget < 1:  # an empty wave would only add a line "wave N: 0 ratings" to the round
            raise WaveRefused("wave_budget_used", per_entry=rules.ratings_per_entry)
    # the fit and ranking the console's preview shows for this state of the ratings, from the cache when it has
    # them (a refit costs seconds with a full round); a fresh fit stores the scorers' calibration, as the preview's
    fitted, ranking = cached_fit_and_ranking(db, edition, data)
    top_n, _, _ = selection(edition, data)
    if asked is None:  # the organiser's own budget is their call; the rest of the budget only while it can matter
        found = stability(edition, data, fitted, ranking)
        if found.stable:
            raise WaveRefused("wave_not_needed", percent=found.percent, remaining=found.remaining)
    by_id = {row.submission_id: row.p_top for row in ranking}
    p_top = np.array([by_id[s] for s in fitted.submission_ids])
    wave = len(current["waves"]) + 1
    try:
        pairs = plan_adaptive_wave(fitted, budget, data.capacity(edition), top_n=top_n,
                                   conflicts=data.conflicts(edition), planned=data.outstanding(), p_top=p_top,
                                   seed=wave)
    except InfeasiblePlanError as problem:
        raise _no_room(edition, data, budget) from problem
    return _store(db, edition, wave, "adaptive", pairs, by)


def _no_room(edition: Edition, data: RoundData, needed: int) -> WaveRefused:
    """Why a wave does not fit, as an organiser can act on it: no scorers, too little capacity, or conflicts and
    earlier ratings (or, for an adaptive wave, careless scorers left out) in the way."""
    capacity = data.capacity(edition)
    if not capacity:
        return WaveRefused("wave_no_scorers")
    load = Counter(s for s, _ in data.active_pairs)
    room = sum(max(limit - load[s], 0) for s, limit in capacity.items())
    if room < needed:
        return WaveRefused("wave_no_capacity", scorers=len(capacity), room=room, needed=needed)
    return WaveRefused("wave_blocked", needed=needed)


def _store(db: firestore.Client, edition: Edition, wave: int, kind: str, pairs: list[tuple[str, str]],
           by: str) -> WaveResult:
    now = datetime.now(UTC)
    collection = layout.round1_assignments(db, edition.key)
    for start in range(0, len(pairs), BATCH):
        batch = db.batch()
        for scorer_id, submission_id in pairs[start:start + BATCH]:
            batch.set(collection.document(layout.pair_id(scorer_id, submission_id)),
                      {"scorer_id": scorer_id, "submission_id": submission_id, "wave": wave, "status": "assigned",
                       "assigned_at": now})
        batch.commit()
    added = Counter(scorer_id for scorer_id, _ in pairs)
    people = sorted(added)
    for start in range(0, len(people), BATCH):  # each scorer's load, so a replacement is found without a scan
        batch = db.batch()
        for scorer_id in people[start:start + BATCH]:
            batch.update(layout.scorers(db, edition.key).document(scorer_id),
                         {"load": firestore.Increment(added[scorer_id])})
        batch.commit()
    changes.touch(db, edition.key)
    result = WaveResult(wave, kind, list(pairs))
    rounds.record_wave(db, edition.key, 1, {"wave": wave, "kind": kind, "ratings": len(pairs), "at": now, "by": by})
    audit.record(db, actor=by, action="round1.wave_assigned", target=f"{edition.key}/round1/wave{wave}",
                 after={"wave": wave, "kind": kind, "ratings": len(pairs), "scorers": len(result.scorers)},
                 edition=edition.key)
    bus.publish_many(assignment_event(edition.key, scorer_id, wave, sum(1 for s, _ in pairs if s == scorer_id))
                     for scorer_id in sorted(result.scorers))
    return result


def assignment_event(edition: str, scorer_id: str, wave: int, new_entries: int, reminder: str = "") -> bus.Event:
    """``scorer.assigned``: notify mails the scorer their link (a reminder when ``reminder`` names the day)."""
    suffix = f":reminder:{reminder}" if reminder else ""
    return ("scorer.assigned", f"scorer.assigned:{edition}:{scorer_id}:{wave}{suffix}", edition,
            {"scorer_id": scorer_id, "wave": wave, "new_entries": new_entries, "reminder": bool(reminder),
             "reminder_on": reminder or None})


def assignment_due(db: firestore.Client, edition: str, scorer_id: str, wave: int,
                   reminder_on: str | None) -> tuple[str, int, int] | None:
    """What a ``scorer.assigned`` may mail, from the stored assignments: ``(ledger key, entries new in the wave,
    entries still open)``, or ``None`` when the wave gave the scorer nothing, or the reminder was not recorded by
    ``remind`` or finds nothing open. The key names the wave (or the reminder's day), never the message's id."""
    mine = [d.to_dict() or {} for d in layout.round1_assignments(db, edition)
            .where(filter=firestore.FieldFilter("scorer_id", "==", scorer_id)).stream()]
    assigned = [a for a in mine if a.get("status") == "assigned"]
    done = {d.id for d in layout.round1_scores(db, edition)
            .where(filter=firestore.FieldFilter("scorer_id", "==", scorer_id)).stream()
            if (d.to_dict() or {}).get("status") == "submitted"}
    still_open = sum(1 for a in assigned if layout.pair_id(scorer_id, a["submission_id"]) not in done)
    if reminder_on is not None:
        if reminder_on not in rounds.state(db, edition, 1).get("reminders", []) or not still_open:
            return None
        return f"scorer.assigned:{edition}:{scorer_id}:reminder:{reminder_on}", 0, still_open
    new = sum(1 for a in assigned if a.get("wave") == wave)
    if not new:
        return None
    return f"scorer.assigned:{edition}:{scorer_id}:{wave}", new, still_open


def declare_conflict(db: firestore.Client, edition: Edition, scorer_id: str, submission_id: str,
                     reason: str) -> tuple[str, str] | None:
    """A scorer declares a conflict: the assignment is withdrawn and the entry goes to someone else.

    The replacement is the least-loaded approved scorer with room and without a conflict, found through the
    scorers' stored loads a page at a time, so a declaration reads a few documents however large the round.
    """
    rounds.require_open(db, edition.key, 1)
    ref = layout.round1_assignments(db, edition.key).document(layout.pair_id(scorer_id, submission_id))
    assignment = ref.get().to_dict()
    if assignment is None or assignment["status"] != "assigned":
        raise sheets.NotAssigned("entry_not_assigned")
    batch = db.batch()
    batch.update(ref, {"status": "conflict", "reason": reason[:500], "declared_at": datetime.now(UTC)})
    batch.delete(layout.round1_scores(db, edition.key).document(layout.pair_id(scorer_id, submission_id)))
    batch.update(layout.scorers(db, edition.key).document(scorer_id), {"load": firestore.Increment(-1)})
    audit.record(db, actor=audit.person("scorer", scorer_id), action="round1.conflict_declared",
                 target=f"{edition.key}/round1_assignments/{layout.pair_id(scorer_id, submission_id)}",
                 before={"status": "assigned"}, after={"status": "conflict"}, edition=edition.key, writer=batch)
    changes.touch(db, edition.key, writer=batch)
    batch.commit()
    replacement = _replacement(db, edition, submission_id)
    if replacement is None:
        return None  # nobody free: the organiser sees the gap in the preview
    stored = _store(db, edition, assignment["wave"], "replacement", [(replacement, submission_id)],
                    by=f"conflict:{scorer_id}")
    return stored.pairs[0]


REPLACEMENT_PAGE = 25


def _replacement(db: firestore.Client, edition: Edition, submission_id: str) -> str | None:
    """The least-loaded approved scorer who may still take the entry (never one who had it, in any status)."""
    entry = layout.round1_entries(db, edition.key).document(submission_id).get().to_dict()
    if entry is None:
        return None
    had = {d.to_dict()["scorer_id"] for d in layout.round1_assignments(db, edition.key).where(
        filter=firestore.FieldFilter("submission_id", "==", submission_id)).stream()}
    default = edition.round1_rules.scorer_capacity
    query = layout.scorers(db, edition.key).where(filter=firestore.FieldFilter("status", "==", "approved")).order_by(
        "load").order_by("__name__").limit(REPLACEMENT_PAGE)
    page = query.get()
    while page:
        for snapshot in page:
            scorer = snapshot.to_dict()
            if (snapshot.id not in had and int(scorer.get("load") or 0) < int(scorer.get("capacity") or default)
                    and not edition.conflicts_of_interest(scorer, entry)):
                return snapshot.id
        page = query.start_after(page[-1]).get() if len(page) == REPLACEMENT_PAGE else []
    return None


def drop_scorer(db: firestore.Client, edition: Edition, scorer_id: str, by: str = SYSTEM) -> WaveResult:
    """A scorer drops out: their unfinished entries go to others under the same rules; their link stops working
    (only approved scorers sign in)."""
    from gemeentedelers.scoring.assignment import replace_scorer

    ref = layout.scorers(db, edition.key).document(scorer_id)
    stored = ref.get().to_dict()
    if stored is None:
        raise scorers.UnknownScorer("scorer_unknown", scorer=scorer_id)
    batch = db.batch()
    batch.update(ref, {"status": "dropped", "dropped_at": datetime.now(UTC), "dropped_by": by})
    audit.record(db, actor=by, action="round1.scorer_dropped", target=audit.person("scorer", scorer_id),
                 before={"status": stored.get("status")}, after={"status": "dropped"}, edition=edition.key,
                 writer=batch)
    changes.touch(db, edition.key, writer=batch)
    batch.commit()
    data = read_round(db, edition.key)
    completed = [(s["scorer_id"], s["submission_id"]) for s in data.submitted]
    unfinished = [p for p in data.outstanding() if p[0] == scorer_id]
    for pair in unfinished:
        layout.round1_assignments(db, edition.key).document(layout.pair_id(*pair)).update({"status": "dropped"})
    changes.touch(db, edition.key)
    before = set(data.active_pairs)
    capacity = data.capacity(edition)
    capacity.pop(scorer_id, None)
    full = replace_scorer(data.active_pairs, scorer_id, capacity, completed=completed,
                          conflicts=data.conflicts(edition), seed=len(data.assignments))
    pairs = [pair for pair in full if pair not in before]
    current = rounds.state(db, edition.key, 1)
    return _store(db, edition, len(current["waves"]) + 1, "replacement", pairs, by)


def remind(db: firestore.Client, edition: Edition, today: str | None = None, *, by: str = SYSTEM) -> list[str]:
    """Remind every approved scorer with unfinished entries, at most once per scorer per day (``today``, Amsterdam
    date by default); returns who was reminded now."""
    from gemeentedelers.people import reminders

    day = today or reminders.today()
    current = rounds.require_open(db, edition.key, 1)
    data = read_round(db, edition.key)
    outstanding = data.outstanding()
    behind = sorted({s for s, _ in outstanding if data.scorers.get(s, {}).get("status") == "approved"})
    fresh = reminders.due(db, edition.key, "scorer", behind, day)
    if fresh:
        rounds.record_reminder(db, edition.key, 1, day)  # what notify checks before it mails a reminder
    bus.publish_many(assignment_event(edition.key, scorer_id, len(current["waves"]),
                                      sum(1 for s, _ in outstanding if s == scorer_id), reminder=day)
                     for scorer_id in fresh)
    reminders.mark(db, edition.key, "scorer", fresh, day, by=by)
    reminders.record(db, edition.key, "scorer", 1, fresh, by=by, day=day)
    return fresh


__all__ = ["RoundData", "WaveResult", "adaptive_wave", "declare_conflict", "drop_scorer", "first_wave", "read_round",
           "remind", "scorers"]

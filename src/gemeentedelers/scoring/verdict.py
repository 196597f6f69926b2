"""Round 1's verdict: the rater model over the submitted scores, the preview, and closing the round.

Closing stores a decision with everything needed to reproduce it (the ratings themselves, the rules,
criterion weights and scales, the entries' categories, priors, seed and draws, the method's version, the edition
version and the code that computed it), then publishes ``round.decided`` and one ``feedback.ready`` per entry,
staged in the outbox with the round's ``decided`` state so none is lost. Closing again re-publishes the same
events from the stored decision, so a failed publish is repaired by repeating the command (or by the outbox's
sweeper) and consumers see the same event ids.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np
from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.editions.provenance import provenance
from gemeentedelers.entries import composer, feedback
from gemeentedelers.entries.anonymity import scrubbed
from gemeentedelers.platform import audit, bus, layout, outbox
from gemeentedelers.scoring import calibration, methods, rounds
from gemeentedelers.scoring.stopping import Stability
from gemeentedelers.scoring.waves import RoundData, read_round
from gemeentedelers.web.refusals import Refusal

METHOD = methods.CURRENT  # the current version; a decision stores its own
DRAWS = 4000
SEED = 0
NEAR = (0.1, 0.9)
RATINGS_CHUNK = 2000
ROW_KEYS = ("submission_id", "scorer_id", "criterion", "score")  # Firestore stores no arrays inside arrays


class NothingToDecide(Refusal, LookupError):
    """Round 1 has no entries, so there is nothing to preview or decide (a ``LookupError``, as before)."""


def ratings_rows(data: RoundData) -> list[tuple[str, str, str, int]]:
    return sorted(
        (s["submission_id"], s["scorer_id"], criterion, int(score))
        for s in data.submitted
        for criterion, score in s["scores"].items()
    )


def weights_and_scales(edition: Edition) -> tuple[dict[str, float], dict[str, tuple[int, int]]]:
    criteria = sorted(edition.criteria(1), key=lambda c: c.key)  # the order the stored decision reads back
    return ({c.key: c.weight for c in criteria}, {c.key: (c.scale_min, c.scale_max) for c in criteria})


def fit_round(edition: Edition, data: RoundData, rows: list[tuple[str, str, str, int]] | None = None) -> Any:
    from gemeentedelers.scoring.ratermodel import fit
    from gemeentedelers.scoring.ratings import Ratings

    weights, scales = weights_and_scales(edition)
    ratings = Ratings.from_rows(ratings_rows(data) if rows is None else rows)
    return fit(ratings, weights, scales, submissions=sorted(data.entries))


def selection(edition: Edition, data: RoundData) -> tuple[int, dict[str, str] | None, dict[str, int] | None]:
    rules = edition.round1_rules
    top_n = min(rules.advance, len(data.entries))
    if not rules.category_quotas:
        return top_n, None, None
    return top_n, {eid: e["category"] for eid, e in data.entries.items()}, dict(rules.category_quotas)


@dataclass(frozen=True)
class Preview:
    ranking: list[Any]
    entries: dict[str, dict[str, Any]]
    ratings: int
    outstanding: int
    top_n: int
    stability: Stability
    """The chance that the ratings still to come (outstanding and unassigned) change who advances."""

    @property
    def near_cutoff(self) -> list[Any]:
        return [row for row in self.ranking if NEAR[0] < row.p_top < NEAR[1]]


def preview(db: firestore.Client, edition: Edition, data: RoundData | None = None) -> Preview:
    """The ranking as it stands (``data``: the round as read already, else read now); the fit and the ranking are
    cached per state of the ratings (``fitcache``), so looking again costs no refit."""

    data = read_round(db, edition.key) if data is None else data
    if not data.entries:
        raise NothingToDecide("round1_no_entries")
    top_n, _, _ = selection(edition, data)
    fitted, ranking = cached_fit_and_ranking(db, edition, data)
    return Preview(ranking, data.entries, len(data.submitted), len(data.outstanding()), top_n,
                   stability(edition, data, fitted, ranking))


def cached_fit_and_ranking(db: firestore.Client, edition: Edition, data: RoundData) -> tuple[Any, list[Any]]:
    """Round 1's model fit and ranking for this state of its ratings, from ``fitcache`` (fitted once per state; a
    fresh fit stores the scorers' calibration): what the preview shows and the adaptive wave plans with."""
    from gemeentedelers.scoring import fitcache

    fitted = fitcache.fitted(edition, data, on_fit=lambda fresh: calibration.store(db, edition.key, fresh, METHOD))
    return fitted, fitcache.ranking(edition, data, draws=DRAWS, seed=SEED)


def unassigned_budget(edition: Edition, data: RoundData) -> int:
    """Ratings of the edition's budget (ratings per entry x entries) not assigned yet."""
    return max(edition.round1_rules.ratings_per_entry * len(data.entries) - len(data.active_pairs), 0)


def stability(edition: Edition, data: RoundData, fitted: Any, ranking: list[Any]) -> Stability:
    """Whether the shortlist is stable: the outstanding ratings and the unassigned budget, spread where an adaptive
    wave would send them, would change who advances with a chance below ``stopping.STABLE``."""
    from gemeentedelers.scoring.stopping import shortlist_stability

    top_n, categories, quotas = selection(edition, data)
    row = {r.submission_id: r for r in ranking}
    ids = fitted.submission_ids
    return shortlist_stability(
        fitted, np.array([row[s].advances for s in ids]), np.array([row[s].p_top for s in ids]), top_n,
        outstanding=Counter(e for _, e in data.outstanding()), budget=unassigned_budget(edition, data),
        categories=categories, quotas=quotas, seed=SEED)


def decision_id(edition: str, rows: list[tuple[str, str, str, int]]) -> str:
    digest = hashlib.sha256(json.dumps([edition, METHOD, rows]).encode()).hexdigest()
    return f"r1-{digest[:16]}"


def close(db: firestore.Client, edition: Edition, by: str = audit.system("scoring")) -> dict[str, Any]:
    """Close round 1, decide who advances, store the decision and the feedback, publish the events."""
    current = rounds.state(db, edition.key, 1)
    if current["status"] == "decided":
        decision = layout.decisions(db, edition.key).document(current["decision_id"]).get().to_dict()
        _publish(edition, decision)
        return decision
    if current["status"] not in ("open", "closed"):
        raise rounds.RoundNotOpen("round_not_open", round=1, status=current["status"])
    if not layout.round1_entries(db, edition.key).limit(1).get():
        raise NothingToDecide("round1_no_entries")  # checked before closing: nothing to rank, nothing to close
    rounds.mark(db, edition.key, 1, "closed", closed_by=by)  # no score is accepted from here on

    data = read_round(db, edition.key)
    rows = ratings_rows(data)
    top_n, categories, quotas = selection(edition, data)
    weights, scales = weights_and_scales(edition)
    priors = asdict(methods.method(METHOD).priors())
    fitted, ranking = methods.fit_and_rank(METHOD, rows, weights, scales, sorted(data.entries), priors, top_n,
                                           categories, quotas, DRAWS, SEED)
    calibration.store(db, edition.key, fitted, METHOD)  # each scorer's page shows the fit that decided

    did = decision_id(edition.key, rows)
    decision = {
        "decision_id": did,
        "round": 1,
        "edition": edition.key,
        "method": METHOD,
        **provenance(edition, METHOD),
        "categories": {eid: e.get("category", "") for eid, e in sorted(data.entries.items())},
        "rules": {**asdict(edition.round1_rules), "category_quotas": dict(edition.round1_rules.category_quotas)},
        "weights": weights,
        "scales": {k: list(v) for k, v in scales.items()},
        "priors": priors,
        "seed": SEED,
        "draws": DRAWS,
        "ratings_count": len(rows),
        "ratings_chunks": (len(rows) + RATINGS_CHUNK - 1) // RATINGS_CHUNK,
        "ranking": [asdict(row) for row in ranking],
        "advancing": [row.submission_id for row in ranking if row.advances],
        "not_advancing": [row.submission_id for row in ranking if not row.advances],
        "decided_at": datetime.now(UTC),
        "decided_by": by,
    }
    ref = layout.decisions(db, edition.key).document(did)
    for number, start in enumerate(range(0, len(rows), RATINGS_CHUNK)):
        ref.collection("ratings").document(f"{number:05d}").set(
            {"rows": [dict(zip(ROW_KEYS, r, strict=True)) for r in rows[start:start + RATINGS_CHUNK]]})
    batch = db.batch()
    batch.set(ref, decision)
    audit.record(db, actor=by, action="round1.closed", target=f"{edition.key}/decisions/{did}",
                 before={"status": current["status"]},
                 after={"status": "decided", "decision_id": did, "advancing": len(decision["advancing"]),
                        "ratings": len(rows)}, edition=edition.key, writer=batch)
    batch.commit()
    _store_feedback(db, edition, data, set(decision["advancing"]))
    events = _events(edition, decision)
    outbox.stage_all(db, events[1:], service="scoring")  # the feedback first: each may be mailed once decided
    batch = db.batch()
    batch.update(layout.round_state(db, edition.key, 1),
                 {"status": "decided", "decided_at": datetime.now(UTC), "decision_id": did})
    outbox.stage(batch, db, events[:1], service="scoring")  # decided and announced together, or neither
    batch.commit()
    outbox.publish(db, events)
    return decision


def stored_rows(db: firestore.Client, edition_key: str, did: str) -> list[tuple[str, str, str, int]]:
    """The ratings a stored decision was computed from, as rows."""
    ref = layout.decisions(db, edition_key).document(did)
    return [tuple(r[k] for k in ROW_KEYS) for chunk in ref.collection("ratings").order_by("__name__").stream()
            for r in chunk.to_dict()["rows"]]  # type: ignore[misc]


def recompute(decision: dict[str, Any], rows: list[tuple[str, str, str, int]],
              categories: dict[str, str] | None = None) -> list[Any]:
    """A stored decision's ranking, recomputed from its ratings under its stored rules and its method's version."""
    ids = sorted(decision["advancing"] + decision["not_advancing"])
    rules = decision["rules"]
    quotas = dict(rules["category_quotas"]) or None
    return methods.run(decision.get("method_version") or decision["method"], rows, decision["weights"],
                       {k: tuple(v) for k, v in decision["scales"].items()}, ids, decision["priors"],
                       min(rules["advance"], len(ids)), categories if quotas else None, quotas,
                       decision["draws"], decision["seed"])


def reproduce(db: firestore.Client, edition: Edition, did: str) -> list[Any]:
    """Recompute a stored decision's ranking from its stored ratings and parameters."""
    decision = layout.decisions(db, edition.key).document(did).get().to_dict() or {}
    categories = decision.get("categories") or {
        d.id: d.to_dict()["category"] for d in layout.round1_entries(db, edition.key).stream()}
    return recompute(decision, stored_rows(db, edition.key, did), categories)


def _store_feedback(db: firestore.Client, edition: Edition, data: RoundData, advancing: set[str]) -> None:
    """Tops and tips of each entry's scorers, anonymous: no names, addresses removed, each text once."""
    by_entry: dict[str, dict[str, list[str]]] = {eid: {"tops": [], "tips": []} for eid in data.entries}
    for score in sorted(data.submitted, key=lambda s: (s["submission_id"], s.get("submitted_at") or 0)):
        bucket = by_entry.setdefault(score["submission_id"], {"tops": [], "tips": []})
        for field in ("tops", "tips"):
            text = scrubbed(score.get(field, ""))
            if text and text not in bucket[field]:
                bucket[field].append(text)
    names = composer.known_names(db, edition.key)
    batch = db.batch()
    for count, (eid, texts) in enumerate(by_entry.items(), start=1):
        batch.set(layout.feedback(db, edition.key, 1, eid), composer.reviewed(
            {"round": 1, "submission_id": eid, "advanced": eid in advancing, **texts, "summary": ""}, names))
        if count % 400 == 0:
            batch.commit()
            batch = db.batch()
    batch.commit()


def _events(edition: Edition, decision: dict[str, Any]) -> list[bus.Event]:
    """``round.decided`` (naming the stored decision), then one ``feedback.ready`` per entry."""
    key = edition.key
    return [("round.decided", f"round.decided:{key}:1", key, {"round": 1, "decision_id": decision["decision_id"]}),
            *feedback.events(key, 1, decision["advancing"] + decision["not_advancing"])]


def _publish(edition: Edition, decision: dict[str, Any]) -> None:
    bus.publish_many(_events(edition, decision))

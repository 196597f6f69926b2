"""Every stored decision, listed and replayed: recomputed from its stored inputs under its stored rules and
method version, or under another edition's rules (what-if).

A decision records its inputs (round 1's ratings, round 2's ballots, report scores and the organiser's picks,
round 3's counted ballots), its rule, the version of its method, the edition version and hash and the code that
made it (``editions/provenance.py``). :func:`replay` recomputes it and compares every number (within
:data:`TOLERANCE`); :func:`what_if` recomputes it under another edition's rules with the same inputs and lists
which entries would have placed differently. The rounds' own modules do the arithmetic (``verdict.recompute``,
``finalists.recompute``, ``round3.recompute``); this module finds, compares and explains.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition

TOLERANCE = 1e-9


class DecisionNotFound(LookupError):
    """No stored decision has this id."""


class CannotReplay(ValueError):
    """The decision cannot be recomputed (under these rules): the message says why."""


@dataclass(frozen=True)
class Placement:
    """An entry that would have placed differently: ``subject`` is ``ranking`` (round 1) or a category/prize."""

    subject: str
    entry: str
    before: str
    after: str


@dataclass
class Replay:
    decision_id: str
    round: int
    edition: str
    under: str | None = None
    differences: list[str] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)

    @property
    def identical(self) -> bool:
        return not self.differences

    def as_dict(self) -> dict[str, Any]:
        return {"decision_id": self.decision_id, "round": self.round, "edition": self.edition, "under": self.under,
                "identical": self.identical, "differences": self.differences,
                "placements": [asdict(p) for p in self.placements]}


# --- finding ----------------------------------------------------------------------------------------------------


def stored_decisions(db: firestore.Client) -> list[dict[str, Any]]:
    """Every decision of every edition, by round and time (``decisions`` documents; their ratings stay aside)."""
    found = [d.to_dict() or {} for d in db.collection_group("decisions").stream()]
    found = [d for d in found if d.get("decision_id") and d.get("round")]
    return sorted(found, key=lambda d: (str(d.get("edition")), d["round"], str(d.get("decided_at")),
                                        d["decision_id"]))


def find(db: firestore.Client, decision_id: str) -> dict[str, Any]:
    for decision in stored_decisions(db):
        if decision["decision_id"] == decision_id:
            return decision
    raise DecisionNotFound(f"no stored decision {decision_id!r} (gemeentedelers decision list shows them)")


def summary(decision: Mapping[str, Any]) -> dict[str, Any]:
    """``id``, ``round``, ``at``, ``by``, ``rule`` and ``outcome`` of a decision, for a person or a machine."""
    advancing, rest = decision.get("advancing", []), decision.get("not_advancing", [])
    at = decision.get("decided_at")
    base = {"id": decision["decision_id"], "round": decision["round"], "edition": decision.get("edition"),
            "at": at.isoformat() if isinstance(at, datetime) else str(at or ""), "by": decision.get("decided_by"),
            "edition_version": decision.get("edition_version"), "method": decision.get("method_version")
            or decision.get("method")}
    if decision["round"] == 1:
        rules = decision.get("rules") or {}
        quotas = rules.get("category_quotas") or {}
        rule = (f"{decision.get('method')}: the top {rules.get('advance')} of {len(advancing) + len(rest)} entries "
                f"on {decision.get('ratings_count', 0)} ratings" + (f", quotas {quotas}" if quotas else ""))
        outcome = f"{len(advancing)} advance, {len(rest)} do not"
    elif decision["round"] == 2:
        rules = decision.get("rule") or {}
        rule = (f"{rules.get('method')}: {rules.get('finalists_per_category')} finalists per category, tie-break "
                f"{rules.get('tie_break')}, {len((decision.get('inputs') or {}).get('ballots', {}))} ballots")
        outcome = f"{len(advancing)} finalists, {len(rest)} not"
    else:
        rules = decision.get("rule") or {}
        points = f" {rules.get('points')}" if rules.get("points") else ""
        rule = (f"{rules.get('method')}{points}, tie-break {rules.get('tie_break')}, "
                f"{len(decision.get('ballots') or {})} ballots")
        winners = [f"{c}: {d.get('winner')}" for c, d in sorted((decision.get("categories") or {}).items())]
        winners += [f"{k}: {d.get('winner')}" for k, d in sorted((decision.get("special_prizes") or {}).items())]
        outcome = "winners " + "; ".join(winners)
    return {**base, "rule": rule, "outcome": outcome}


# --- comparing --------------------------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """As JSON holds it (tuples as lists, fractions as text), so stored and recomputed values compare alike."""
    return json.loads(json.dumps(value, default=str, sort_keys=True))


def differences(stored: Any, recomputed: Any, path: str = "") -> list[str]:
    """Where two values differ; numbers count as equal within :data:`TOLERANCE`."""
    if isinstance(stored, bool) or isinstance(recomputed, bool):
        return [] if stored == recomputed else [f"{path}: {stored!r} -> {recomputed!r}"]
    if isinstance(stored, int | float) and isinstance(recomputed, int | float):
        return [] if abs(stored - recomputed) <= TOLERANCE else [f"{path}: {stored!r} -> {recomputed!r}"]
    if isinstance(stored, dict) and isinstance(recomputed, dict):
        found = []
        for key in sorted(set(stored) | set(recomputed)):
            found += differences(stored.get(key), recomputed.get(key), f"{path}.{key}" if path else str(key))
        return found
    if isinstance(stored, list) and isinstance(recomputed, list):
        if len(stored) != len(recomputed):
            return [f"{path}: {len(stored)} items -> {len(recomputed)}"]
        return [d for n, (a, b) in enumerate(zip(stored, recomputed, strict=True)) for d in differences(a, b,
                                                                                                         f"{path}[{n}]")]
    return [] if stored == recomputed else [f"{path}: {stored!r} -> {recomputed!r}"]


# --- the rounds -------------------------------------------------------------------------------------------------


def _round1(db: firestore.Client, decision: dict[str, Any], under: Edition | None) -> tuple[Any, Any]:
    from gemeentedelers.scoring import verdict

    rows = verdict.stored_rows(db, decision["edition"], decision["decision_id"])
    categories = decision.get("categories") or {}
    stored = {"ranking": decision["ranking"], "advancing": sorted(decision["advancing"])}
    if under is not None:
        rated = {row[2] for row in rows}
        criteria = under.criteria(1)
        if {c.key for c in criteria} != rated:
            raise CannotReplay(f"{under.key}'s round-1 criteria ({', '.join(c.key for c in criteria)}) are not the "
                               f"ones scored ({', '.join(sorted(rated))})")
        rules = under.round1_rules
        decision = {**decision, "weights": {c.key: c.weight for c in criteria},
                    "scales": {c.key: [c.scale_min, c.scale_max] for c in criteria},
                    "rules": {**decision["rules"], "advance": rules.advance,
                              "category_quotas": dict(rules.category_quotas)}}
    ranking = [asdict(row) for row in verdict.recompute(decision, rows, categories)]
    return stored, {"ranking": ranking, "advancing": sorted(r["submission_id"] for r in ranking if r["advances"])}


def _round2(decision: dict[str, Any], under: Edition | None) -> tuple[Any, Any]:
    from gemeentedelers.assessment import finalists
    from gemeentedelers.assessment.rules import AssessmentRefusal

    stored = {"selection": decision["selection"], "finalists": decision["finalists"]}
    criteria = None
    if under is not None and decision["inputs"].get("report_criteria") is not None:
        criteria = under.criteria(2)
    try:
        again = finalists.recompute(decision, under.finalist_rule if under else None, criteria)
    except (AssessmentRefusal, ValueError) as problem:
        raise CannotReplay(f"round 2 cannot be recomputed{f' under {under.key}' if under else ''}: "
                           f"{problem.text('en') if isinstance(problem, AssessmentRefusal) else problem}") from None
    return stored, again


def _round3(decision: dict[str, Any], under: Edition | None) -> tuple[Any, Any]:
    from gemeentedelers.jury import round3

    if not decision.get("counted"):
        raise CannotReplay("this round-3 decision was stored before its counted ballots were: it cannot be replayed")
    stored = {"categories": decision["categories"], "special_prizes": decision.get("special_prizes") or {}}
    try:
        again = round3.recompute(decision, under.jury_rule if under else None)
    except ValueError as problem:
        raise CannotReplay(f"round 3 cannot be recomputed{f' under {under.key}' if under else ''}: "
                           f"{problem}") from None
    return stored, again


def _recompute(db: firestore.Client, decision: dict[str, Any], under: Edition | None) -> tuple[Any, Any]:
    if decision["round"] == 1:
        return _round1(db, decision, under)
    if decision["round"] == 2:
        return _round2(decision, under)
    return _round3(decision, under)


def _placements(round_: int, before: Any, after: Any) -> list[Placement]:
    """Which entries place differently from ``before`` to ``after`` (both as stored, ``plain``)."""
    found = []
    if round_ == 1:
        old = {r["submission_id"]: r for r in before["ranking"]}
        for row in after["ranking"]:
            was = old.get(row["submission_id"], {})
            if was.get("rank") != row["rank"] or was.get("advances") != row["advances"]:
                found.append(Placement("ranking", row["submission_id"], _r1(was), _r1(row)))
    elif round_ == 2:
        for category in sorted(set(before["finalists"]) | set(after["finalists"])):
            was, now = set(before["finalists"].get(category, [])), set(after["finalists"].get(category, []))
            found += [Placement(category, sid, "finalist", "not a finalist") for sid in sorted(was - now)]
            found += [Placement(category, sid, "not a finalist", "finalist") for sid in sorted(now - was)]
    else:
        for group in ("categories", "special_prizes"):
            for subject in sorted(set(before[group]) | set(after[group])):
                was = {s["entry"]: s for s in (before[group].get(subject) or {}).get("standings", [])}
                for standing in (after[group].get(subject) or {}).get("standings", []):
                    old = was.get(standing["entry"], {})
                    if old.get("place") != standing["place"]:
                        found.append(Placement(subject, standing["entry"], _r3(old), _r3(standing)))
    return found


def _r1(row: Mapping[str, Any]) -> str:
    return f"rank {row.get('rank')}{', advances' if row.get('advances') else ''}" if row else "-"


def _r3(standing: Mapping[str, Any]) -> str:
    return f"place {standing.get('place')} ({standing.get('total_float', standing.get('total'))})" if standing else "-"


def replay(db: firestore.Client, decision_id: str) -> Replay:
    """Recompute a stored decision under its own rules and method; ``differences`` lists what came out otherwise."""
    decision = find(db, decision_id)
    stored, again = _recompute(db, decision, None)
    found = Replay(decision_id, decision["round"], decision["edition"])
    found.differences = differences(plain(stored), plain(again))
    found.placements = _placements(decision["round"], plain(stored), plain(again)) if found.differences else []
    return found


def what_if(db: firestore.Client, decision_id: str, under: Edition) -> Replay:
    """The same inputs under ``under``'s rules (and criteria weights): which entries would have placed otherwise."""
    decision = find(db, decision_id)
    stored, again = _recompute(db, decision, under)
    found = Replay(decision_id, decision["round"], decision["edition"], under=f"{under.key} {under.spec_hash}")
    found.differences = differences(plain(stored), plain(again))
    found.placements = _placements(decision["round"], plain(stored), plain(again))
    return found


def edition_for(db: firestore.Client, name: str) -> Edition:
    """``--under KEY|FILE``: a spec file, a published edition's latest version, or an installed edition."""
    from gemeentedelers.editions import versions
    from gemeentedelers.editions.diff import load

    if name.endswith((".yaml", ".yml", ".json")):
        return load(name, "en")
    try:
        record = versions.version_record(db, name)
    except versions.UnknownVersion:
        return load(name, "en")
    return versions.load(db, name, int(record["version"]), record["hash"])

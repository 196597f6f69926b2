"""Round 2's joint choice of finalists: every assessor's ballot over all reports, ``rules.select_finalists``,
the organiser's confirmation (``rules.confirm_finalists``), the decision stored reproducibly, ``round.decided``
round 2 and every round-2 entry's feedback from its report."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.assessment import assessors, reports, rules
from gemeentedelers.editions import Edition
from gemeentedelers.editions.provenance import provenance
from gemeentedelers.entries import composer, feedback
from gemeentedelers.platform import audit, bus, layout, outbox
from gemeentedelers.platform.firestore import create_once
from gemeentedelers.plugins.api import Criterion, FinalistRule, Text
from gemeentedelers.web.refusals import Refusal

ROUND = 2
METHOD = "finalist-selection-v1"
"""The version of ``rules.select_finalists`` / ``confirm_finalists`` a decision used (a change gets a new name)."""


class BallotInvalid(Refusal):
    """A ballot with problems: ``errors`` maps a case to a problem code the page explains (``r2_ballot_err_<code>``:
    missing, out_of_range, twice, not_allowed)."""

    def __init__(self, errors: dict[str, str], key: str = "r2_ballot_errors"):
        self.errors = errors
        super().__init__(key, cases=", ".join(errors))


class NotReady(Refusal):
    """Reports or ballots are missing, or the finalists are being confirmed or confirmed already."""


def state(db: firestore.Client, edition: str) -> dict[str, Any]:
    """Round 2's state: ``open`` (the default), ``confirming`` (the organiser's confirmation reads the ballots) or
    ``decided`` (with ``decision_id``)."""
    return layout.round_state(db, edition, ROUND).get().to_dict() or {"status": "open"}


def refuse_unless_open(status: str) -> None:
    if status == "confirming":
        raise NotReady("r2_err_finalists_confirming")
    if status == "decided":
        raise NotReady("r2_err_finalists_confirmed")


def abstentions(edition: Edition, people: list[dict[str, Any]], entries: list[dict[str, Any]]) -> dict[str, set[str]]:
    barred: dict[str, set[str]] = {p["assessor_id"]: set() for p in people}
    for aid, sid in assessors.conflicts(edition, people, entries):
        barred[aid].add(sid)
    return barred


def by_category(entries: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        found.setdefault(entry["category"], []).append(entry)
    return found


def check_ballot(edition: Edition, entries: list[dict[str, Any]], barred: set[str],
                 form: Mapping[str, Any]) -> list[str]:
    """A ranking (``rank_<id>`` = 1, 2, ... per category) or an approval (``approve`` ids) from a form."""
    if edition.finalist_rule.method == "approval":
        allowed = {e["submission_id"] for e in entries} - barred
        chosen = [sid for sid in form.get("approve", []) if sid]
        wrong = [sid for sid in chosen if sid not in allowed]
        if wrong:
            raise BallotInvalid({sid: "not_allowed" for sid in wrong}, "r2_ballot_errors_approval")
        return sorted(set(chosen))
    ballot: list[str] = []
    errors: dict[str, str] = {}
    for _category, cases in sorted(by_category(entries).items()):
        places: dict[str, int] = {}
        judged = [e["submission_id"] for e in cases if e["submission_id"] not in barred]
        for sid in judged:
            raw = str(form.get(f"rank_{sid}", "")).strip()
            if not raw.isdigit() or not 1 <= int(raw) <= len(judged):
                errors[sid] = "missing" if not raw else "out_of_range"
            else:
                places[sid] = int(raw)
        used = list(places.values())
        errors.update({sid: "twice" for sid, p in places.items() if used.count(p) > 1})
        ballot += sorted(places, key=lambda sid: places[sid])
    if errors:
        raise BallotInvalid(errors)
    return ballot


def save_ballot(db: firestore.Client, edition: Edition, aid: str, form: Mapping[str, Any]) -> list[str]:
    """Check and store ``aid``'s ballot while round 2 is open. The write is a transaction that reads the round's
    state, so a ballot either lands before the organiser's confirmation reads the ballots or is refused: it is never
    shown as saved but left out of the decision."""
    refuse_unless_open(state(db, edition.key).get("status", "open"))  # early, before the cases are read
    entries = assessors.cases(db, edition.key)
    people = [p for p in assessors.all_assessors(db, edition.key) if p["assessor_id"] == aid]
    ballot = check_ballot(edition, entries, abstentions(edition, people, entries).get(aid, set()), form)
    state_ref = layout.round_state(db, edition.key, ROUND)
    ballot_ref = layout.assessment_ballots(db, edition.key).document(aid)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> None:
        refuse_unless_open((state_ref.get(transaction=transaction).to_dict() or {}).get("status", "open"))
        earlier = ballot_ref.get(transaction=transaction).to_dict()
        transaction.set(ballot_ref, {"assessor_id": aid, "ballot": ballot, "method": edition.finalist_rule.method,
                                     "updated_at": datetime.now(UTC)})
        before = list(earlier.get("ballot", [])) if earlier else None
        if before != ballot:
            audit.record(db, actor=audit.person("assessor", aid), action="ballot.saved",
                         target=f"{edition.key}/assessment_ballots/{aid}",
                         before=None if before is None else {"ballot": before}, after={"ballot": ballot},
                         edition=edition.key, writer=transaction)

    write(db.transaction())
    return ballot


def names(db: firestore.Client, edition: Edition) -> dict[str, str | Text]:
    """What a person reads for the ids in a selection or a refusal: cases' titles, assessors' names and
    categories' labels."""
    found: dict[str, str | Text] = {c.key: c.label for c in edition.categories}
    found |= {p["assessor_id"]: p["name"] for p in assessors.all_assessors(db, edition.key)}
    return found | {e["submission_id"]: e["title"] for e in assessors.cases(db, edition.key)}


def inputs(db: firestore.Client, edition: Edition) -> dict[str, Any]:
    """Everything the selection depends on, as plain data (stored in the decision, so it can be recomputed): the
    ballots and abstentions of the assessors who take part; a withdrawn assessor's ballot stays stored but is not
    among them."""
    entries = assessors.cases(db, edition.key)
    teams = assessors.teams(db, edition.key)
    people = assessors.serving(assessors.all_assessors(db, edition.key))
    counted = {p["assessor_id"] for p in people}  # a withdrawn assessor's ballot is kept, but does not count
    stored = {sid: reports.get(db, edition.key, sid) for sid in (e["submission_id"] for e in entries)}
    unfinished = [e["title"] for e in entries
                  if reports.problems(edition, e["submission_id"], stored[e["submission_id"]],
                                      teams.get(e["submission_id"], []))]
    if unfinished:
        raise NotReady("r2_err_reports_unfinished", cases=", ".join(unfinished))
    ballots = {d.id: list((d.to_dict() or {}).get("ballot", []))
               for d in layout.assessment_ballots(db, edition.key).stream() if d.id in counted}
    return {
        "categories": {e["submission_id"]: e["category"] for e in entries},
        "report_scores": {sid: str(reports.score(edition, r)) for sid, r in stored.items()},
        "report_criteria": {sid: dict(r.get("scores", {})) for sid, r in sorted(stored.items())},
        "ballots": dict(sorted(ballots.items())),
        "abstentions": {a: sorted(s) for a, s in sorted(abstentions(edition, people, entries).items()) if s},
    }


def withdrawn(db: firestore.Client, edition: str) -> list[str]:
    """The withdrawn assessors, by id: the decision names them (their ballots, if any, were not counted)."""
    return sorted(p["assessor_id"] for p in assessors.all_assessors(db, edition) if not assessors.active(p))


def select(edition: Edition, given: Mapping[str, Any],
           named: Mapping[str, str | Text] | None = None) -> rules.FinalistSelection:
    """The assessors' proposal from ``inputs``; a refusal names cases, assessors and categories by ``named``."""
    from fractions import Fraction

    if not given["ballots"]:
        raise NotReady("r2_err_no_ballots")
    return rules.select_finalists(given["ballots"], {k: Fraction(v) for k, v in given["report_scores"].items()},
                                  edition.finalist_rule, given["categories"], abstentions=given["abstentions"],
                                  names=named)


def stored_rule(decision: Mapping[str, Any]) -> FinalistRule:
    rule = decision["rule"]
    return FinalistRule(finalists_per_category=rule["finalists_per_category"], method=rule["method"],
                        category_counts=tuple(rule["category_counts"].items()), tie_break=rule["tie_break"])


def recompute(decision: Mapping[str, Any], rule: FinalistRule | None = None,
              criteria: Sequence[Criterion] | None = None) -> dict[str, Any]:
    """A stored decision's selection and finalists from its stored inputs and picks, under its stored rule (or
    ``rule``), with the report scores recomputed under ``criteria`` when given (the stored ones otherwise)."""
    from fractions import Fraction

    given = decision["inputs"]
    scores = {k: Fraction(v) for k, v in given["report_scores"].items()}
    if criteria is not None:
        scores = {sid: rules.criteria_score(criteria, marks) for sid, marks in given["report_criteria"].items()}
    selection = rules.select_finalists(given["ballots"], scores, rule or stored_rule(decision), given["categories"],
                                       abstentions=given["abstentions"])
    chosen = rules.confirm_finalists(selection, {k: list(v) for k, v in decision["picks"].items()})
    return {"selection": selection.as_dict(), "finalists": {k: list(v) for k, v in chosen.items()}}


def confirm(db: firestore.Client, edition: Edition, picks: Mapping[str, Sequence[str]] | None = None,
            by: str = audit.system("assessment")) -> dict[str, Any]:
    """The organiser confirms: store the decision, publish ``round.decided`` round 2 and the feedback.

    From the moment the ballots are read until the decision is stored the round is ``confirming``: no ballot changes
    (``save_ballot``). A confirmation that fails (a pick missing, say) reopens the round; one that was interrupted
    may be repeated, and a repeat of a confirmed round stores the feedback and publishes again (consumers
    deduplicate) instead of deciding anew."""
    state_ref = layout.round_state(db, edition.key, ROUND)
    earlier = _start_confirming(db, state_ref)
    if earlier is not None:
        return _republish(db, edition, earlier)
    try:
        given = inputs(db, edition)
        named = names(db, edition)
        selection = select(edition, given, named)
        chosen = rules.confirm_finalists(selection, {k: list(v) for k, v in (picks or {}).items() if v},
                                         names=named)
    except Exception:
        state_ref.set({"status": "open"}, merge=True)
        raise
    rule = edition.finalist_rule
    body = {"inputs": given, "picks": {k: sorted(v) for k, v in sorted((picks or {}).items()) if v}}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    advancing = sorted(sid for ids in chosen.values() for sid in ids)
    decision = {
        "decision_id": f"r2-{digest[:16]}", "round": ROUND, "edition": edition.key, **provenance(edition, METHOD),
        "criteria": {c.key: {"weight": c.weight, "scale": [c.scale_min, c.scale_max]} for c in edition.criteria(2)},
        "rule": {"method": rule.method, "finalists_per_category": rule.finalists_per_category,
                 "category_counts": {k: n for k, n in rule.category_counts}, "tie_break": rule.tie_break},
        **body, "selection": selection.as_dict(), "finalists": {k: list(v) for k, v in chosen.items()},
        "advancing": advancing, "not_advancing": sorted(set(given["categories"]) - set(advancing)),
        "withdrawn_assessors": withdrawn(db, edition.key),
        "decided_at": datetime.now(UTC), "decided_by": by,
    }
    decision_ref = layout.decisions(db, edition.key).document(decision["decision_id"])

    @firestore.transactional
    def decide(transaction: firestore.Transaction) -> str | None:
        current = state_ref.get(transaction=transaction).to_dict() or {}
        if current.get("status") == "decided":  # another confirmation won meanwhile: that one stands
            return str(current["decision_id"])
        transaction.set(decision_ref, decision)
        transaction.set(state_ref, {"status": "decided", "decision_id": decision["decision_id"]}, merge=True)
        audit.record(db, actor=by, action="round2.finalists_confirmed",
                     target=f"{edition.key}/decisions/{decision['decision_id']}", before={"status": "confirming"},
                     after={"status": "decided", "decision_id": decision["decision_id"], "finalists": advancing,
                            "picks": body["picks"]}, edition=edition.key, writer=transaction)
        outbox.stage(transaction, db, [_decided(edition, decision)], service="assessment")
        return None

    other = decide(db.transaction())
    if other is not None:
        return _republish(db, edition, other)
    _store_feedback(db, edition, decision)
    _publish(db, edition, decision)
    return decision


def _start_confirming(db: firestore.Client, state_ref: firestore.DocumentReference) -> str | None:
    """Open (or an interrupted confirming) -> confirming, in one transaction with the ballots' reads of the state;
    the decision id when the round is decided already."""

    @firestore.transactional
    def start(transaction: firestore.Transaction) -> str | None:
        current = state_ref.get(transaction=transaction).to_dict() or {}
        if current.get("status") == "decided":
            return str(current["decision_id"])
        transaction.set(state_ref, {"status": "confirming"}, merge=True)
        return None

    return start(db.transaction())


def _republish(db: firestore.Client, edition: Edition, decision_id: str) -> dict[str, Any]:
    decision = layout.decisions(db, edition.key).document(decision_id).get().to_dict() or {}
    _store_feedback(db, edition, decision)  # in case the confirmation was interrupted before it stored them
    _publish(db, edition, decision)
    return decision


def _store_feedback(db: firestore.Client, edition: Edition, decision: Mapping[str, Any]) -> None:
    advancing = set(decision["advancing"])
    names = composer.known_names(db, edition.key)
    for sid in decision["inputs"]["categories"]:
        report = reports.get(db, edition.key, sid)
        record = layout.submissions(db, edition.key).document(sid).get().to_dict() or {}
        language = "en" if record.get("language") == "en" else "nl"
        closing = edition.feedback_closing(ROUND, sid in advancing)
        create_once(layout.feedback(db, edition.key, ROUND, sid), composer.reviewed(  # a repeat keeps the edits
            {"round": ROUND, "submission_id": sid, "advanced": sid in advancing, "summary": report.get("summary", ""),
             "closing": closing.get(language) if closing else "",
             "tops": list(report.get("tops", [])), "tips": list(report.get("tips", [])),
             "decision_id": decision["decision_id"]}, names))


def _decided(edition: Edition, decision: Mapping[str, Any]) -> bus.Event:
    key = edition.key
    return ("round.decided", f"round.decided:{key}:{ROUND}", key,
            {"round": ROUND, "decision_id": decision["decision_id"]})


def _publish(db: firestore.Client, edition: Edition, decision: Mapping[str, Any]) -> None:
    """``round.decided`` (staged with the decision) and the feedback, staged once it is stored; then publish."""
    events = feedback.events(edition.key, ROUND, decision["inputs"]["categories"])
    outbox.stage_all(db, events, service="assessment")
    outbox.publish(db, [_decided(edition, decision), *events])

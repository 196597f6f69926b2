"""Round 3 as stored: the finalists, the jurors' ballots, the chair's confirmation and the announcement.

- ``open_round``: an organiser opens round 3; every juror gets ``juror.invited`` (notify mails the link).
- ``save_ranking`` / ``save_votes``: a juror's ballot (``jury_ballots/{juror}``), changeable until confirmed.
- ``outcome``: ``rules.decide_jury`` and ``rules.decide_special_prize`` over the stored ballots.
- ``confirm``: the chair confirms; the decision is stored reproducibly (``decisions/r3-...``) and the winners
  under embargo (``winners/result``) until ``timeline.winners_announced``. Nothing is published yet.
- ``announce_if_due``: at the announcement time (competition clock) the winners are announced once: the final
  feedback stored, then in one write the ``winners/announced`` marker, the result's status ``announced`` and the
  events staged in the outbox (``winners.announced``, ``round.decided`` round 3, every entrant's final
  ``feedback.ready``), which are then published; what an interrupted run did not publish, the outbox's sweeper
  does. Consumers act only on the announced result in Firestore.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from google.cloud import firestore

from gemeentedelers.assessment import evidence, reports
from gemeentedelers.editions import Edition
from gemeentedelers.editions.provenance import provenance
from gemeentedelers.entries import composer, feedback
from gemeentedelers.entries.anonymity import scrubbed
from gemeentedelers.entries.submissions import PUBLIC_FIELDS
from gemeentedelers.jury import feedback as jury_feedback
from gemeentedelers.jury import jurors as jury_members
from gemeentedelers.jury.rules import Decision, decide_jury, decide_special_prize
from gemeentedelers.platform import audit, bus, layout, outbox
from gemeentedelers.platform.events import winners_event_id
from gemeentedelers.platform.firestore import create_once
from gemeentedelers.plugins.api import JuryRule, SpecialPrize, Text
from gemeentedelers.web.i18n import format_date, format_text, language_or_default
from gemeentedelers.web.messages import MESSAGES
from gemeentedelers.web.refusals import Refusal

ROUND = 3
METHOD = "jury-rules-v1"
"""The version of ``rules.decide_jury`` / ``decide_special_prize`` a decision used (a change gets a new name)."""


class RoundError(Refusal):
    """Something round 3's state does not allow (not open, already confirmed, undecided ties...)."""


class BallotInvalid(Refusal):
    """A ballot with problems: ``errors`` maps a finalist or prize to a problem code the page explains."""

    def __init__(self, errors: dict[str, str], key: str = "r3_rank_errors") -> None:
        self.errors = errors
        super().__init__(key)


# -- reading ------------------------------------------------------------------------------------------------------


def state(db: firestore.Client, edition: str) -> dict[str, Any]:
    return layout.round_state(db, edition, ROUND).get().to_dict() or {"status": "not_opened"}


def is_announced(db: firestore.Client, edition: str) -> bool:
    """Whether the winners have been made known (the texts on the jury's pages follow it)."""
    return layout.winners(db, edition).document("announced").get().exists


def public_entry(record: Mapping[str, Any]) -> dict[str, Any]:
    return {k: record.get(k) for k in PUBLIC_FIELDS}


def finalists(db: firestore.Client, edition: Edition) -> dict[str, list[dict[str, Any]]]:
    """The finalists on round 3's roster, by category key (the edition's order), each its public fields."""
    ids = sorted(d.id for d in layout.roster(db, edition.key, ROUND).stream()
                 if (d.to_dict() or {}).get("status", "finalist") == "finalist")
    by_category: dict[str, list[dict[str, Any]]] = {c.key: [] for c in edition.categories}
    refs = [layout.submissions(db, edition.key).document(sid) for sid in ids]
    for snapshot in db.get_all(refs) if refs else []:
        record = snapshot.to_dict()
        if record is not None:
            by_category.setdefault(record["category"], []).append(public_entry(record))
    for entries in by_category.values():
        entries.sort(key=lambda e: (e["title"], e["submission_id"]))
    return {k: v for k, v in by_category.items() if v}


def extra(db: firestore.Client, edition: Edition, sid: str, language: str = "nl") -> dict[str, Any]:
    """Round 2's report summary and evidence of a finalist (empty when round 2 stored none for it).

    ``summary`` is the report's summary text (or ``None``); ``evidence`` the edition's evidence fields that have
    an answer, as ``(label, text)`` pairs in form order (lists, such as document links, are joined).
    """
    report = reports.get(db, edition.key, sid)
    summary = report.get("summary")
    answers = evidence.get(db, edition.key, sid).get("fields", {})
    found: dict[str, Any] = {"summary": summary.strip() if isinstance(summary, str) and summary.strip() else None,
                             "evidence": []}
    for spec in edition.evidence_fields:
        value = answers.get(spec.key)
        if isinstance(value, list | tuple):
            value = ", ".join(str(v) for v in value)
        if isinstance(value, str) and value.strip():
            found["evidence"].append((spec.label.get(language), value))
    return found


def eligible(db: firestore.Client, edition: Edition, eligibility: str,
             shortlist: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    if eligibility == "finalists":
        return [e for entries in shortlist.values() for e in entries]
    if eligibility == "round2":
        ids = {d.id for d in layout.roster(db, edition.key, 2).stream()}
        return sorted((public_entry(d.to_dict()) for d in layout.submissions(db, edition.key).stream()
                       if d.id in ids), key=lambda e: e["title"])
    return sorted((public_entry(d.to_dict()) for d in layout.submissions(db, edition.key).stream()),
                  key=lambda e: e["title"])


def voting_categories(edition: Edition, juror: Mapping[str, Any],
                      shortlist: Mapping[str, list[dict[str, Any]]]) -> dict[str, list[str]]:
    """``{category: conflict reasons}``; a juror with any reason does not vote in that category."""
    return {cat: jury_members.conflicts(edition, juror, entries) for cat, entries in shortlist.items()}


def ballot(db: firestore.Client, edition: str, jid: str) -> dict[str, Any]:
    return layout.jury_ballots(db, edition).document(jid).get().to_dict() or {"categories": {}, "prizes": {}}


# -- voting -------------------------------------------------------------------------------------------------------


def refuse_unless_open(status: str) -> None:
    if status == "open":
        return
    if status in ("confirming", "confirmed"):
        raise RoundError("r3_err_confirmed")
    raise RoundError("r3_err_not_open")


def _save_ballot(db: firestore.Client, edition: str, jid: str, fields: Mapping[str, Any]) -> None:
    """Merge ``fields`` into the juror's ballot only while round 3 is open, reading the round's state in the same
    transaction: a ballot either lands before the chair's confirmation reads the ballots, or is refused; it is
    never saved (and shown as saved) but left out of the decision."""
    state_ref = layout.round_state(db, edition, ROUND)
    ballot_ref = layout.jury_ballots(db, edition).document(jid)

    @firestore.transactional
    def save(transaction: firestore.Transaction) -> None:
        snapshot = state_ref.get(transaction=transaction)
        refuse_unless_open((snapshot.to_dict() or {}).get("status", "not_opened"))
        earlier = ballot_ref.get(transaction=transaction).to_dict() or {}
        transaction.set(ballot_ref, {"juror_id": jid, **fields, "updated_at": datetime.now(UTC)}, merge=True)
        before = {part: {k: earlier.get(part, {}).get(k) for k in value} for part, value in fields.items()}
        if before != fields:
            audit.record(db, actor=audit.person("juror", jid), action="ballot.saved",
                         target=f"{edition}/jury_ballots/{jid}",
                         before=before if any(v is not None for part in before.values() for v in part.values())
                         else None, after=dict(fields), edition=edition, writer=transaction)

    save(db.transaction())


def check_ranking(method: str, entries: Sequence[str], form: Mapping[str, str]) -> list[str] | dict[str, float]:
    """A ranking (best first) from ``rank_<sid>`` fields, or scores from ``score_<sid>``; every finalist once."""
    errors: dict[str, str] = {}
    if method == "mean_score":
        scores: dict[str, float] = {}
        for sid in entries:
            raw = (form.get(f"score_{sid}") or "").strip().replace(",", ".")
            try:
                value = float(raw)
            except ValueError:
                errors[sid] = "score"
                continue
            if not 1 <= value <= 10:
                errors[sid] = "score"
            scores[sid] = value
        if errors:
            raise BallotInvalid(errors)
        return scores
    places: dict[str, int] = {}
    for sid in entries:
        raw = (form.get(f"rank_{sid}") or "").strip()
        if not raw.isdigit() or not 1 <= int(raw) <= len(entries):
            errors[sid] = "missing"
        else:
            places[sid] = int(raw)
    used = list(places.values())
    for sid, place in places.items():
        if used.count(place) > 1:
            errors[sid] = "twice"
    if errors:
        raise BallotInvalid(errors)
    return sorted(entries, key=lambda sid: places[sid])


def save_ranking(db: firestore.Client, edition: Edition, jid: str, category: str, form: Mapping[str, str]) -> None:
    refuse_unless_open(state(db, edition.key)["status"])  # early, before the finalists are read
    shortlist = finalists(db, edition)
    if category not in shortlist:
        raise RoundError("r3_no_category")
    juror = jury_members.get(db, edition.key, jid) or {}
    if voting_categories(edition, juror, shortlist)[category]:
        raise RoundError("r3_conflict")
    ids = [e["submission_id"] for e in shortlist[category]]
    notes, problems = jury_feedback.check(ids, form)
    try:
        value = check_ranking(edition.jury_rule.method, ids, form)
    except BallotInvalid as invalid:
        raise BallotInvalid({**invalid.errors, **problems}) from None
    if problems:
        raise BallotInvalid(problems, "r3_feedback_errors")
    _save_ballot(db, edition.key, jid, {"categories": {category: value}, "feedback": notes})


def check_votes(prizes: Sequence[SpecialPrize], form: Mapping[str, str],
                eligible_by_prize: Mapping[str, Mapping[str, Mapping[str, Any]]],
                may_judge: Callable[[Mapping[str, Any]], bool]) -> dict[str, str | None]:
    """The juror's vote per prize (``None``: left open) from ``prize_<key>`` fields. Every prize is checked, so
    the juror sees all problems at once; ``BallotInvalid.errors`` maps each bad prize's key to its code."""
    votes: dict[str, str | None] = {}
    errors: dict[str, str] = {}
    for prize in prizes:
        entries = eligible_by_prize.get(prize.key, {})
        chosen = (form.get(f"prize_{prize.key}") or "").strip() or None
        if chosen is not None and chosen not in entries:
            errors[prize.key] = "not_eligible"
        elif chosen is not None and not may_judge(entries[chosen]):
            errors[prize.key] = "conflict"
        votes[prize.key] = chosen
    if errors:
        raise BallotInvalid(errors, "r3_prize_errors")
    return votes


def save_votes(db: firestore.Client, edition: Edition, jid: str, form: Mapping[str, str]) -> None:
    """Store the juror's special-prize votes; a form with any bad prize stores nothing (``check_votes``)."""
    refuse_unless_open(state(db, edition.key)["status"])
    shortlist = finalists(db, edition)
    juror = jury_members.get(db, edition.key, jid) or {}
    eligible_by_prize = {p.key: {e["submission_id"]: e for e in eligible(db, edition, p.eligibility, shortlist)}
                         for p in edition.special_prizes}
    votes = check_votes(edition.special_prizes, form, eligible_by_prize,
                        lambda entry: jury_members.may_judge(edition, juror, entry))
    _save_ballot(db, edition.key, jid, {"prizes": votes})


# -- deciding -----------------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    shortlist: dict[str, list[dict[str, Any]]]
    chair: str
    ballots: dict[str, dict[str, Any]]
    categories: dict[str, Decision] = field(default_factory=dict)
    prizes: dict[str, Decision] = field(default_factory=dict)
    missing: dict[str, list[str]] = field(default_factory=dict)
    counted: dict[str, dict[str, Any]] = field(default_factory=dict)
    """Per category, the ballots that counted (jurors with a conflict there do not vote in it)."""
    eligible: dict[str, list[str]] = field(default_factory=dict)
    """Per special prize, the entries that could win it."""

    @property
    def complete(self) -> bool:
        """Every category decided, no juror's ranking outstanding."""
        return (bool(self.categories) and not any(self.missing.values())
                and all(d.decided for d in self.categories.values()) and set(self.categories) == set(self.shortlist))


def outcome(db: firestore.Client, edition: Edition) -> Outcome:
    """The decision the stored ballots give now (a preview until the chair confirms)."""
    shortlist = finalists(db, edition)
    people = jury_members.serving(jury_members.all_jurors(db, edition.key))
    chair = jury_members.chair_of(people)
    counted = {j["juror_id"] for j in people}  # a withdrawn juror's ballot is kept, but does not count
    ballots = {d.id: d.to_dict() for d in layout.jury_ballots(db, edition.key).stream() if d.id in counted}
    result = Outcome(shortlist, chair, ballots)
    per_category: dict[str, dict[str, Any]] = {}
    for category in shortlist:
        per_category[category] = {}
        result.missing[category] = []
        for juror in people:
            if voting_categories(edition, juror, {category: shortlist[category]})[category]:
                continue
            given = ballots.get(juror["juror_id"], {}).get("categories", {}).get(category)
            if given is None:
                result.missing[category].append(juror["juror_id"])
            else:
                per_category[category][juror["juror_id"]] = given
    voted = {c: b for c, b in per_category.items() if b}
    result.counted = voted
    result.categories = decide_jury(edition.jury_rule, {c: [e["submission_id"] for e in shortlist[c]] for c in voted},
                                    voted, chair)
    for prize in edition.special_prizes:
        allowed = [e["submission_id"] for e in eligible(db, edition, prize.eligibility, shortlist)]
        if not allowed:
            continue
        result.eligible[prize.key] = allowed
        votes = {jid: b.get("prizes", {}).get(prize.key) for jid, b in ballots.items()}
        entries = {e["submission_id"]: e for e in eligible(db, edition, prize.eligibility, shortlist)}
        jurors_by_id = {j["juror_id"]: j for j in people}
        votes = {jid: v for jid, v in votes.items() if v is None or (  # a vote for a conflicted entry is void
            v in allowed and jury_members.may_judge(edition, jurors_by_id.get(jid, {}), entries[v]))}
        result.prizes[prize.key] = decide_special_prize(prize, allowed, votes, chair)
    return result


def storable(value: Any) -> Any:
    """Firestore holds no array directly inside an array: a tie-break's ``order`` groups become ``{"group": [...]}``."""
    if isinstance(value, Mapping):
        return {k: storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [{"group": storable(v)} if isinstance(v, list | tuple) else storable(v) for v in value]
    return str(value) if isinstance(value, Fraction) else value


def confirm(db: firestore.Client, edition: Edition, jid: str) -> dict[str, Any]:
    """The chair confirms the outcome: store the decision and the winners under embargo (publish nothing)."""
    people = {j["juror_id"]: j for j in jury_members.serving(jury_members.all_jurors(db, edition.key))}
    if not people.get(jid, {}).get("is_chair"):
        raise RoundError("r3_chair_only")
    existing = layout.winners(db, edition.key).document("result").get().to_dict()
    if existing is not None:
        return existing
    state_ref = layout.round_state(db, edition.key, ROUND)
    _start_confirming(db, state_ref)  # from here on no ballot changes (see _save_ballot)
    try:
        found = outcome(db, edition)
        if not found.complete:
            raise RoundError("r3_err_incomplete")
    except Exception:
        state_ref.set({"status": "open"}, merge=True)
        raise
    by_id = {e["submission_id"]: e for entries in found.shortlist.values() for e in entries}
    ballots = {j: {"categories": b.get("categories", {}), "prizes": b.get("prizes", {})}
               for j, b in sorted(found.ballots.items())}
    digest = hashlib.sha256(json.dumps(ballots, sort_keys=True, default=str).encode()).hexdigest()
    did = f"r3-{digest[:16]}"
    rule = edition.jury_rule
    decision = {
        "decision_id": did, "round": ROUND, "edition": edition.key, "method": rule.method,
        **provenance(edition, METHOD),
        "rule": {"method": rule.method, "points": list(rule.points), "tie_break": rule.tie_break},
        "chair": found.chair, "ballots": ballots, "counted": storable(found.counted),
        "prize_eligible": found.eligible,
        "prizes": {p.key: {"eligibility": p.eligibility, "decided_by": p.decided_by} for p in edition.special_prizes},
        "withdrawn_jurors": sorted(j["juror_id"] for j in jury_members.all_jurors(db, edition.key)
                                   if j["juror_id"] not in people),
        "finalists": {c: [e["submission_id"] for e in entries] for c, entries in found.shortlist.items()},
        "categories": {c: storable(d.as_dict()) for c, d in found.categories.items()},
        "special_prizes": {k: storable(d.as_dict()) for k, d in found.prizes.items()},
        "advancing": [d.winner for d in found.categories.values()],
        "not_advancing": sorted(set(by_id) - {d.winner for d in found.categories.values()}),
        "decided_at": datetime.now(UTC), "decided_by": jid,
    }
    batch = db.batch()
    batch.set(layout.decisions(db, edition.key).document(did), decision)
    audit.record(db, actor=audit.person("juror", jid), action="round3.confirmed",
                 target=f"{edition.key}/decisions/{did}", before={"status": "confirming"},
                 after={"status": "confirmed", "decision_id": did, "winners": decision["advancing"]},
                 edition=edition.key, writer=batch)
    batch.commit()
    labels = {c.key: c for c in edition.categories}
    winners = []
    for category, made in found.categories.items():
        entry = by_id[made.winner]  # type: ignore[index]
        label = labels[category].label.nl if category in labels else category
        winners.append(_public(entry, category, f"{edition.info.title.nl}, categorie {label}"))
    for key, made in found.prizes.items():
        if made.winner:
            prize = next(p for p in edition.special_prizes if p.key == key)
            entry = by_id.get(made.winner) or public_entry(
                layout.submissions(db, edition.key).document(made.winner).get().to_dict() or {})
            winners.append(_public(entry, entry.get("category") or "", prize.label.nl))
    result = {
        "status": "embargoed", "confirmed": True, "confirmed_by": jid, "confirmed_at": datetime.now(UTC),
        "embargo_until": edition.timeline.winners_announced, "decision_id": did, "winners": winners,
        "finalists": [{k: e[k] for k in ("category", "submission_id", "title", "municipality")}
                      for entries in found.shortlist.values() for e in entries],
    }
    if not create_once(layout.winners(db, edition.key).document("result"), result):
        return layout.winners(db, edition.key).document("result").get().to_dict() or result
    layout.round_state(db, edition.key, ROUND).set({"status": "confirmed", "decision_id": did}, merge=True)
    _store_final_feedback(db, edition, result, decision)  # under embargo: the organisers review it meanwhile
    return result


def stored_rule(decision: Mapping[str, Any]) -> JuryRule:
    rule = decision["rule"]
    return JuryRule(method=rule["method"], points=tuple(rule["points"]), tie_break=rule["tie_break"])


def recompute(decision: Mapping[str, Any], rule: JuryRule | None = None) -> dict[str, Any]:
    """A stored decision's categories and special prizes from its stored ballots, under its stored rule (or
    ``rule``), as stored (``storable``)."""
    counted = decision.get("counted") or {}
    finalists = {c: list(ids) for c, ids in decision["finalists"].items() if c in counted}
    made = decide_jury(rule or stored_rule(decision), finalists, counted, decision["chair"])
    prizes = {}
    for key, allowed in sorted((decision.get("prize_eligible") or {}).items()):
        shape = (decision.get("prizes") or {}).get(key, {})
        prize = SpecialPrize(key, Text(key), Text(key), shape.get("eligibility", "finalists"),
                             shape.get("decided_by", "jury_vote"))
        votes = {j: b.get("prizes", {}).get(key) for j, b in decision["ballots"].items()}
        votes = {j: v for j, v in votes.items() if v is None or v in allowed}
        prizes[key] = storable(decide_special_prize(prize, allowed, votes, decision["chair"]).as_dict())
    return {"categories": {c: storable(d.as_dict()) for c, d in made.items()}, "special_prizes": prizes}


def _start_confirming(db: firestore.Client, state_ref: firestore.DocumentReference) -> None:
    """Open -> confirming in one transaction with the ballots' reads of the state (a confirmation that was
    interrupted may be repeated)."""

    @firestore.transactional
    def start(transaction: firestore.Transaction) -> None:
        status = (state_ref.get(transaction=transaction).to_dict() or {}).get("status", "not_opened")
        if status != "confirming":
            refuse_unless_open(status)
        transaction.set(state_ref, {"status": "confirming"}, merge=True)

    start(db.transaction())


def _public(entry: Mapping[str, Any], category: str, prize: str) -> dict[str, Any]:
    """A winner as the public ``winners.announced`` event and the sponsors carry it: the description without the
    addresses and phone numbers an entrant may have written into it."""
    return {"category": category, "prize": prize, "submission_id": entry["submission_id"],
            "title": entry["title"], "description": scrubbed(str(entry.get("description") or "")),
            "municipality": entry["municipality"]}


def open_round(db: firestore.Client, edition: Edition, by: str = audit.system("jury")) -> int:
    """Open round 3 and invite every juror (``juror.invited``); re-running re-sends nobody twice."""
    people = jury_members.serving(jury_members.all_jurors(db, edition.key))
    jury_members.chair_of(people)
    if not finalists(db, edition):
        raise RoundError("r3_err_no_finalists")
    current = state(db, edition.key)["status"]
    if current == "not_opened":
        batch = db.batch()
        batch.set(layout.round_state(db, edition.key, ROUND), {"status": "open", "opened_by": by,
                                                               "opened_at": datetime.now(UTC)}, merge=True)
        audit.record(db, actor=by, action="round3.opened", target=f"{edition.key}/round3",
                     before={"status": "not_opened"}, after={"status": "open", "jurors": len(people)},
                     edition=edition.key, writer=batch)
        batch.commit()
    bus.publish_many(
        ("juror.invited", f"juror.invited:{edition.key}:{juror['juror_id']}:{juror.get('link_version', 1)}",
         edition.key, {"juror_id": juror["juror_id"]})
        for juror in people
    )
    return len(people)


# -- announcing ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Announcement:
    status: str  # not_confirmed | not_due | announced | already_announced
    when: datetime
    message: str  # English, for the scheduler's log and the CLI
    winners: int = 0

    def text(self, language: str) -> str:
        """What an organiser's page says, in ``language`` (catalogue keys ``r3_ann_<status>``)."""
        lang = language_or_default(language)
        return format_text(MESSAGES[f"r3_ann_{self.status}"][lang], lang, date=format_date(self.when, lang),
                           n=self.winners)


def announce_if_due(db: firestore.Client, edition: Edition, now: datetime,
                    by: str = audit.system("jury")) -> Announcement:
    """Announce the confirmed winners when the competition clock has reached ``timeline.winners_announced``;
    ``by`` is who made it happen (the scheduler's tick: ``system:jury``; an organiser's page or command)."""
    when = edition.timeline.winners_announced
    ref = layout.winners(db, edition.key).document("result")
    result = ref.get().to_dict()
    if result is None or not result.get("confirmed"):
        return Announcement("not_confirmed", when, "the chair has not confirmed the jury's decision yet")
    if now < when:
        return Announcement("not_due", when, f"the winners stay under embargo until {when.isoformat()}")
    if result.get("status") == "announced":
        return Announcement("already_announced", when, "the winners were announced already")
    key = edition.key
    decision = layout.decisions(db, key).document(result["decision_id"]).get().to_dict() or {}
    final = feedback.events(key, ROUND, _store_final_feedback(db, edition, result, decision))
    outbox.stage_all(db, final, service="jury")  # mailed only once the result below says announced
    events = [("winners.announced", winners_event_id(key), key,
               {"winners": result["winners"], "finalists": result["finalists"]}),
              ("round.decided", f"round.decided:{key}:{ROUND}", key,
               {"round": ROUND, "decision_id": result["decision_id"]})]
    batch = db.batch()  # announced, and its events staged, together: the outbox publishes what this run does not
    batch.set(layout.winners(db, key).document("announced"),
              {"announced_at": datetime.now(UTC), "competition_time": now, "decision_id": result["decision_id"],
               "announced_by": by})
    batch.update(ref, {"status": "announced", "announced_at": datetime.now(UTC)})
    audit.record(db, actor=by, action="winners.announced", target=f"{key}/winners/result",
                 before={"status": result.get("status")},
                 after={"status": "announced", "decision_id": result["decision_id"],
                        "winners": [w["submission_id"] for w in result["winners"]]}, edition=key, writer=batch)
    outbox.stage(batch, db, events, service="jury")
    batch.commit()
    outbox.publish(db, [*events, *final])
    return Announcement("announced", when, f"announced {len(result['winners'])} winner(s)", len(result["winners"]))


SUMMARY = {
    "winner": {"nl": "De jury koos uw casus als winnaar: {prizes}.",
               "en": "The jury chose your case as a winner: {prizes}."},
    "finalist": {"nl": "Uw casus was finalist in de categorie {category}. Hieronder leest u wat de jury sterk vond "
                       "en wat beter kan.",
                 "en": "Your case was a finalist in the category {category}. Below you read what the jury found "
                       "strong and what could be better."},
    "entrant": {"nl": "De winnaars van deze editie zijn bekendgemaakt. Uw casus bereikte de finale niet; dank voor "
                      "het delen van uw aanpak met andere gemeenten.",
                "en": "The winners of this edition have been announced. Your case did not reach the final; thank you "
                      "for sharing your approach with other municipalities."},
}


def _store_final_feedback(db: firestore.Client, edition: Edition, result: Mapping[str, Any],
                          decision: Mapping[str, Any]) -> list[str]:
    """Every entrant's final word (``feedback/r3-<id>``): for finalists the jury's tips and tops (``jury/feedback``),
    a short one else. Stored at the chair's confirmation for the organisers' review (``entries/composer``); the
    announcement stores only what is missing (an entrant erased and re-registered, an interrupted confirmation)."""
    places: dict[str, str] = {}  # finalist -> category; the jury's words, not a place, go to the finalist
    for category, made in decision.get("categories", {}).items():
        for standing in made["standings"]:
            places[standing["entry"]] = category
    prizes: dict[str, list[str]] = {}
    for winner in result["winners"]:
        prizes.setdefault(winner["submission_id"], []).append(winner["prize"])
    labels = {c.key: c.label for c in edition.categories}
    serving = {j["juror_id"]: j for j in jury_members.serving(jury_members.all_jurors(db, edition.key))}
    entries = {e["submission_id"]: e for group in finalists(db, edition).values() for e in group}
    notes = jury_feedback.for_finalists(db, edition.key, lambda jid, sid: jid in serving and sid in entries and
                                        jury_members.may_judge(edition, serving[jid], entries[sid]))
    ids = []
    stored = {d.id for d in layout.feedback_of_round(db, edition.key, ROUND).select([]).stream()}
    names = composer.known_names(db, edition.key)
    batch = db.batch()
    for count, snapshot in enumerate(layout.submissions(db, edition.key).stream(), start=1):
        record = snapshot.to_dict()
        sid, language = snapshot.id, record.get("language", "nl")
        ids.append(sid)
        if layout.feedback(db, edition.key, ROUND, sid).id in stored:
            continue  # stored at the chair's confirmation, perhaps edited and approved since: kept as it is
        lang = "en" if language == "en" else "nl"
        parts = []
        if sid in prizes:
            parts.append(SUMMARY["winner"][lang].format(prizes="; ".join(prizes[sid])))
        if sid in places:
            category = places[sid]
            parts.append(SUMMARY["finalist"][lang].format(
                category=labels[category].get(lang) if category in labels else category))
        summary = " ".join(parts) or SUMMARY["entrant"][lang]
        given = notes.get(sid, {}) if sid in places else {}
        batch.set(layout.feedback(db, edition.key, ROUND, sid), composer.reviewed(
                  {"round": ROUND, "submission_id": sid, "advanced": sid in prizes, "finalist": sid in places,
                   "summary": summary, "tops": given.get("tops", []), "tips": given.get("tips", [])}, names))
        if count % 400 == 0:
            batch.commit()
            batch = db.batch()
    batch.commit()
    return ids

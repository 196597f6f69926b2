"""Holding round 1's and round 2's results until the edition's announcement moment, and releasing them.

A round is decided when the organiser closes it (round 1) or confirms the finalists (round 2), usually days before
the edition announces its outcome (``timeline.round1_decided``: 9 January in gd2024; ``timeline.round2_decided``:
mid-April). Until the round is *released* nothing reveals the outcome to entrants: notify mails no feedback
(``feedback.due``) and no round-2 team link, and a team link does not open. The release is one document
(``layout.release``), written once in a transaction with its audit entry and the events that carry the outcome
(the outbox): by the tick's due job (:func:`release_due`) when the competition clock reaches the moment, or earlier
by an organiser (the console's results page, ``gemeentedelers results release``). Releasing again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.entries import feedback
from gemeentedelers.platform import audit, bus, layout, outbox
from gemeentedelers.web.refusals import Refusal

ROUNDS = (1, 2)
"""The rounds whose results are held; round 3's winners have their own embargo (``jury/round3.py``)."""


class ReleaseRefused(Refusal):
    """A round's results cannot be released (yet): the round is not decided, or there is no such round."""


@dataclass(frozen=True)
class Status:
    """Where a round's results stand: ``undecided``, ``held`` (until ``moment``) or ``released``."""

    round: int
    state: str
    moment: datetime
    decision_id: str | None = None
    released_at: datetime | None = None
    released_by: str | None = None
    early: bool = False


def moment(edition: Edition, round: int) -> datetime:
    """The edition's announcement moment of ``round``'s results."""
    if round == 1:
        return edition.timeline.round1_decided
    if round == 2:
        return edition.timeline.round2_decided
    raise ReleaseRefused("release_no_such_round", round=round)


def released(client: firestore.Client, edition: str, round: int) -> bool:
    """Whether ``round``'s results of ``edition`` are out (round 3 has no hold here: its embargo is elsewhere)."""
    if round not in ROUNDS:
        return True
    return (layout.release(client, edition, round).get().to_dict() or {}).get("status") == "released"


def status(client: firestore.Client, edition: Edition, round: int) -> Status:
    state = layout.round_state(client, edition.key, round).get().to_dict() or {}
    found = layout.release(client, edition.key, round).get().to_dict() or {}
    at = moment(edition, round)
    if found.get("status") == "released":
        return Status(round, "released", at, found.get("decision_id"), found.get("released_at"),
                      found.get("released_by"), bool(found.get("early")))
    if state.get("status") == "decided":
        return Status(round, "held", at, state.get("decision_id"))
    return Status(round, "undecided", at)


def outcome_events(client: firestore.Client, edition: str, round: int, decision: dict[str, Any]) -> list[bus.Event]:
    """What reveals a decided round's outcome: every entry's ``feedback.ready``; after round 1 also each advancing
    team's ``team.invited`` (the personal link to round 2). Consumers read the state; the ids are business keys."""
    entries = sorted((decision.get("inputs") or {}).get("categories") or
                     [*decision.get("advancing", []), *decision.get("not_advancing", [])])
    events = feedback.events(edition, round, entries)
    if round == 1:
        events += [("team.invited", f"team.invited:{edition}:{sid}:1", edition, {"submission_id": sid})
                   for sid in decision.get("advancing", [])]
    return events


def release(client: firestore.Client, edition: Edition, round: int, *, by: str, now: datetime) -> Status:
    """Release ``round``'s results now (``now`` on the competition clock), once; refused while it is undecided."""
    moment(edition, round)  # refuses a round without a hold
    state_ref = layout.round_state(client, edition.key, round)
    release_ref = layout.release(client, edition.key, round)
    at = moment(edition, round)

    state = state_ref.get().to_dict() or {}
    if state.get("status") != "decided":
        raise ReleaseRefused("release_not_decided", round=round)
    decision = layout.decisions(client, edition.key).document(state["decision_id"]).get().to_dict() or {}
    events = outcome_events(client, edition.key, round, decision)
    if not released(client, edition.key, round):
        # staged before the write that makes them due, as round 1's close does (a transaction holds 500 writes);
        # a consumer reached early by the sweeper finds the round held and sends nothing
        outbox.stage_all(client, events, service="notify")

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> bool:
        if (release_ref.get(transaction=transaction).to_dict() or {}).get("status") == "released":
            return False
        early = now < at
        transaction.set(release_ref, {"round": round, "status": "released", "decision_id": state["decision_id"],
                                      "released_at": datetime.now(UTC), "clock": now, "released_by": by,
                                      "moment": at, "early": early})
        audit.record(client, actor=by, action=f"round{round}.results_released",
                     target=f"{edition.key}/releases/r{round}", before={"status": "held"},
                     after={"status": "released", "decision_id": state["decision_id"], "early": early,
                            "events": len(events)}, edition=edition.key, writer=transaction)
        return True

    if write(client.transaction()):
        outbox.publish(client, events)
    return status(client, edition, round)


def release_due(client: firestore.Client, edition: Edition, now: datetime) -> str:
    """The tick's job: release every decided round whose moment has come; nothing else."""
    done = []
    for round in ROUNDS:
        if now < moment(edition, round) or released(client, edition.key, round):
            continue
        if (layout.round_state(client, edition.key, round).get().to_dict() or {}).get("status") != "decided":
            continue
        release(client, edition, round, by=audit.system("notify"), now=now)
        done.append(f"round {round}")
    return f"released {', '.join(done)}" if done else "nothing to release"

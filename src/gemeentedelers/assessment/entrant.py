"""The entrant's own page (``/team``, by the personal link of the confirmation mail): where the case stands in
each round, the dates ahead, all feedback released so far and, in round 2, the evidence form and the visit.

Nothing here reveals more than the entrant may know: a round's outcome shows only once it is released
(``entries.release``; round 3 once the winners are announced), and feedback only when ``feedback.due`` would mail
it. One link for the whole edition (``assessors.team_link``, holder = submission id); bumping the registration's
``link_version`` (as erasure does, ``people.privacy``) stops it and every session made with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.entries import feedback
from gemeentedelers.entries.release import released
from gemeentedelers.platform import layout

ROUNDS = (1, 2, 3)


@dataclass(frozen=True)
class RoundState:
    """Round ``round`` as the entrant sees it: ``state`` is a text key (``ent_r{round}_{state}``), ``when`` the
    moment it names (an announcement or a deadline), if any."""

    round: int
    state: str
    when: datetime | None = None
    until: datetime | None = None


@dataclass(frozen=True)
class Feedback:
    round: int
    summary: str
    tops: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Standing:
    """Everything the entrant's page shows of the case, read from Firestore at one moment."""

    rounds: list[RoundState]
    ahead: list[tuple[str, datetime]]
    feedback: list[Feedback]
    in_round2: bool
    """On round 2's roster with round 1 released: the evidence form and the visit are shown (and accepted)."""


def in_round2(client: firestore.Client, edition: str, sid: str) -> bool:
    return released(client, edition, 1) and layout.roster(client, edition, 2).document(sid).get().exists


def _winners_announced(client: firestore.Client, edition: str) -> bool:
    return (layout.winners(client, edition).document("result").get().to_dict() or {}).get("status") == "announced"


def standing(client: firestore.Client, edition: Edition, sid: str, now: datetime) -> Standing:
    timeline = edition.timeline
    round1_out = released(client, edition.key, 1)
    round2 = round1_out and layout.roster(client, edition.key, 2).document(sid).get().exists
    round2_out = round2 and released(client, edition.key, 2)
    finalist = round2_out and layout.roster(client, edition.key, 3).document(sid).get().exists
    announced = finalist and _winners_announced(client, edition.key)

    if not round1_out:
        first = RoundState(1, "running", timeline.round1_decided)
    else:
        first = RoundState(1, "advanced" if round2 else "stopped")
    if not round1_out:
        second = RoundState(2, "later")
    elif not round2:
        second = RoundState(2, "none")
    elif not round2_out:
        second = RoundState(2, "running", timeline.round2_decided, timeline.evidence_deadline)
    else:
        second = RoundState(2, "finalist" if finalist else "stopped")
    if not round2_out:
        third = RoundState(3, "later" if not round1_out or round2 else "none")
    elif not finalist:
        third = RoundState(3, "none")
    elif not announced:
        third = RoundState(3, "running", timeline.winners_announced)
    else:
        third = RoundState(3, "announced")

    stopped = (round1_out and not round2) or (round2_out and not finalist)
    ahead = [(key, when) for key, when in timeline.milestones().items()
             if when > now and key != "registration_opens"
             and (not stopped or key in ("winners_announced", "award_ceremony"))
             and (key != "evidence_due" or not round1_out or round2)]
    found = []
    for round_ in ROUNDS:
        given: dict[str, Any] | None = feedback.due(client, edition.key, round_, sid)
        if given:
            found.append(Feedback(round_, str(given.get("summary") or ""), list(given.get("tops") or []),
                                  list(given.get("tips") or [])))
    return Standing([first, second, third], ahead, found, bool(round2))


class NoSuchEntry(LookupError):
    """No registration with that id in the edition."""


def revoke_link(client: firestore.Client, edition: str, sid: str, *, by: str) -> int:
    """Stop the entrant's personal link and every session made with it (a link forwarded too widely, a new contact
    person): the registration's ``link_version`` goes up by one, in one transaction with its audit entry. Returns
    the new version, for the new link (``assessors.team_link``)."""
    from gemeentedelers.platform import audit

    ref = layout.submissions(client, edition).document(sid)

    @firestore.transactional
    def bump(transaction: firestore.Transaction) -> int:
        record = ref.get(transaction=transaction).to_dict() if "/" not in sid else None
        if record is None:
            raise NoSuchEntry(f"there is no registration {sid} in {edition}")
        before = int(record.get("link_version", 1))
        transaction.update(ref, {"link_version": before + 1})
        audit.record(client, actor=by, action="team.link_revoked", target=f"{edition}/submissions/{sid}",
                     before={"link_version": before}, after={"link_version": before + 1}, edition=edition,
                     writer=transaction)
        return before + 1

    return bump(client.transaction())

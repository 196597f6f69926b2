"""Round 3's decision maths: the jury's aggregation per category, the chair's tie-break, and special prizes.

Every function is pure and returns a :class:`Decision` that explains itself: each entry's total, each juror's
contribution to it, and every tie-break with what settled it (or that nothing did), so the jury's decision
can be published (``Decision.as_dict()``) and recomputed from the ballots.

The methods (``JuryRule.method``):

- ``borda``: every juror ranks all finalists of the category; with n finalists the first gets n-1 points,
  the last 0; the most points win.
- ``points``: as ``borda``, but place p gets ``JuryRule.points[p-1]`` points (0 beyond the table).
- ``mean_score``: every juror scores every finalist (the weighted score over the round-3 criteria,
  ``assessment.rules.criteria_score``); the highest mean wins.

A juror with a conflict of interest in a category does not vote in that category at all (no partial
ballots). With ``tie_break="chair"`` the chair's own ranking (or own scores) orders entries with equal totals;
entries the chair also has equal, or a tie in a category the chair did not vote in, stay tied and are
reported as such.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby
from types import MappingProxyType
from typing import Any

from gemeentedelers.assessment.rules import exact
from gemeentedelers.plugins.api import JuryRule, SpecialPrize

__all__ = [
    "Decision",
    "Standing",
    "Tally",
    "TieBreak",
    "borda",
    "decide_category",
    "decide_jury",
    "decide_special_prize",
    "mean_score",
    "points",
]


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Tally:
    """An entry's total and each juror's contribution to it (points, or the juror's score)."""

    total: Fraction
    contributions: Mapping[str, Fraction]
    ranks: Mapping[str, int] = field(default_factory=dict)


def _check_rankings(entries: Sequence[str], rankings: Mapping[str, Sequence[str]]) -> None:
    if not entries:
        raise ValueError("nothing to rank")
    if len(set(entries)) != len(entries):
        raise ValueError("an entry is listed twice")
    if not rankings:
        raise ValueError("no juror voted")
    for juror, ranking in rankings.items():
        if len(ranking) != len(set(ranking)) or set(ranking) != set(entries):
            missing = [e for e in entries if e not in ranking]
            extra = sorted(set(ranking) - set(entries))
            twice = sorted({e for e in ranking if list(ranking).count(e) > 1})
            raise ValueError(
                f"juror {juror} must rank every entry once: missing {missing}, unknown {extra}, twice {twice}"
            )


def _ranked(entries: Sequence[str], rankings: Mapping[str, Sequence[str]], table: Sequence[int]) -> dict[str, Tally]:
    _check_rankings(entries, rankings)
    tallies = {}
    for entry in entries:
        ranks = {juror: list(ranking).index(entry) + 1 for juror, ranking in sorted(rankings.items())}
        contributions = {juror: Fraction(table[rank - 1] if rank <= len(table) else 0) for juror, rank in ranks.items()}
        tallies[entry] = Tally(sum(contributions.values(), Fraction(0)), _frozen(contributions), _frozen(ranks))
    return tallies


def borda(entries: Sequence[str], rankings: Mapping[str, Sequence[str]]) -> dict[str, Tally]:
    """Borda count: with n entries, a juror's first gets n-1 points and the last 0."""
    n = len(entries)
    return _ranked(entries, rankings, range(n - 1, -1, -1))


def points(entries: Sequence[str], rankings: Mapping[str, Sequence[str]], table: Sequence[int]) -> dict[str, Tally]:
    """A points table: a juror's place p gives ``table[p-1]`` points, places beyond the table 0."""
    return _ranked(entries, rankings, table)


def mean_score(entries: Sequence[str], scores: Mapping[str, Mapping[str, Fraction | float | int]]) -> dict[str, Tally]:
    """The mean of the jurors' scores; every juror scores every entry."""
    if not entries or len(set(entries)) != len(entries):
        raise ValueError("need distinct entries to score")
    if not scores:
        raise ValueError("no juror voted")
    for juror, given in scores.items():
        if set(given) != set(entries):
            missing = [e for e in entries if e not in given]
            raise ValueError(
                f"juror {juror} must score every entry: missing {missing}, unknown {sorted(set(given) - set(entries))}"
            )
    tallies = {}
    for entry in entries:
        contributions = {juror: exact(given[entry]) for juror, given in sorted(scores.items())}
        tallies[entry] = Tally(sum(contributions.values(), Fraction(0)) / len(contributions), _frozen(contributions))
    return tallies


@dataclass(frozen=True)
class Standing:
    """An entry's line in a decision: place (shared while tied), total and each juror's contribution.

    ``ranks`` is the place each juror gave it (ranking methods); ``chair`` the chair's preference that was
    used to break a tie it was in: its place on the chair's ballot, the chair's score, or 1 when the chair
    voted for it (0 otherwise).
    """

    entry: str
    place: int
    total: Fraction
    contributions: Mapping[str, Fraction]
    ranks: Mapping[str, int] = field(default_factory=dict)
    chair: Fraction | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "entry": self.entry,
            "place": self.place,
            "total": str(self.total),
            "total_float": float(self.total),
            "contributions": {juror: str(value) for juror, value in self.contributions.items()},
            "ranks": dict(self.ranks),
            "chair": None if self.chair is None else str(self.chair),
        }


@dataclass(frozen=True)
class TieBreak:
    """Entries with equal totals, and what the tie-break made of them: ``order`` is the groups, best first."""

    entries: tuple[str, ...]
    method: str
    resolved: bool
    order: tuple[tuple[str, ...], ...]
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "entries": list(self.entries),
            "method": self.method,
            "resolved": self.resolved,
            "order": [list(group) for group in self.order],
            "note": self.note,
        }


@dataclass(frozen=True)
class Decision:
    """The jury's decision on a category (or a special prize), with everything needed to recompute it."""

    subject: str
    method: str
    chair: str
    jurors: tuple[str, ...]
    standings: tuple[Standing, ...]
    tie_breaks: tuple[TieBreak, ...] = ()
    note: str = ""

    @property
    def tied_for_first(self) -> tuple[str, ...]:
        """The entries sharing first place after the tie-break (more than one: the jury must decide again)."""
        if not self.standings or self.note:
            return ()
        first = tuple(s.entry for s in self.standings if s.place == 1)
        return first if len(first) > 1 else ()

    @property
    def winner(self) -> str | None:
        if not self.standings or self.note:
            return None
        first = [s.entry for s in self.standings if s.place == 1]
        return first[0] if len(first) == 1 else None

    @property
    def decided(self) -> bool:
        return self.winner is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "method": self.method,
            "chair": self.chair,
            "jurors": list(self.jurors),
            "winner": self.winner,
            "tied_for_first": list(self.tied_for_first),
            "standings": [s.as_dict() for s in self.standings],
            "tie_breaks": [t.as_dict() for t in self.tie_breaks],
            "note": self.note,
        }


def _order(
    subject: str,
    method: str,
    tallies: Mapping[str, Tally],
    chair: str,
    chair_preference: Mapping[str, Fraction] | None,
    tie_break: str,
    jurors: Sequence[str],
    chair_shown: Mapping[str, Fraction] | None = None,
) -> Decision:
    """Sort by total, let the chair's preference (higher is better) order equal totals, report what stays tied.

    ``chair_shown`` is what a standing shows of the chair's preference (the chair's place, for rankings).
    """
    shown = chair_shown if chair_shown is not None else chair_preference
    use_chair = tie_break == "chair" and chair_preference is not None
    by_total = sorted(tallies, key=lambda e: (-tallies[e].total, e))
    standings: list[Standing] = []
    tie_breaks: list[TieBreak] = []
    position = 0
    for total, group in groupby(by_total, key=lambda e: tallies[e].total):
        members = list(group)
        if len(members) == 1:
            entry = members[0]
            standings.append(Standing(entry, position + 1, total, tallies[entry].contributions, tallies[entry].ranks))
            position += 1
            continue
        if use_chair:
            assert chair_preference is not None
            members.sort(key=lambda e: (-chair_preference[e], e))
            groups = [list(g) for _, g in groupby(members, key=lambda e: chair_preference[e])]
            resolved = all(len(g) == 1 for g in groups)
            if resolved:
                note = "the chair's preference orders them"
            elif len(groups[0]) == 1:
                note = "the chair's preference puts one first; the others stay tied"
            else:
                note = "the chair's preference leaves a tie at the top"
        else:
            groups = [sorted(members)]
            resolved = False
            note = "the chair did not vote here" if tie_break == "chair" else "no tie-break: reported as a tie"
        tie_breaks.append(TieBreak(tuple(sorted(members)), tie_break, resolved, tuple(map(tuple, groups)), note))
        for subgroup in groups:
            for entry in subgroup:
                preference = shown[entry] if use_chair and shown is not None else None
                tally = tallies[entry]
                standings.append(Standing(entry, position + 1, total, tally.contributions, tally.ranks, preference))
            position += len(subgroup)
    return Decision(subject, method, chair, tuple(sorted(jurors)), tuple(standings), tuple(tie_breaks))


def decide_category(
    category: str,
    entries: Sequence[str],
    ballots: Mapping[str, Sequence[str]] | Mapping[str, Mapping[str, Fraction | float | int]],
    rule: JuryRule,
    chair: str,
) -> Decision:
    """The jury's decision in one category.

    :param entries: the category's finalists.
    :param ballots: per juror voting in this category, a ranking best first (``borda``, ``points``) or a
        score per entry (``mean_score``).
    :param chair: the chair's juror id; the chair's ballot breaks ties when ``rule.tie_break`` is ``chair``.
    """
    preference: dict[str, Fraction] | None = None
    if rule.method == "mean_score":
        scored: Mapping[str, Mapping[str, Fraction | float | int]] = ballots  # type: ignore[assignment]
        tallies = mean_score(entries, scored)
        if chair in scored:
            preference = {e: exact(scored[chair][e]) for e in entries}
    else:
        ranked: Mapping[str, Sequence[str]] = ballots  # type: ignore[assignment]
        if any(isinstance(b, Mapping) for b in ranked.values()):
            raise ValueError(f"method {rule.method} needs rankings, not scores")
        tallies = points(entries, ranked, rule.points) if rule.method == "points" else borda(entries, ranked)
        if chair in ranked:
            places = {e: Fraction(list(ranked[chair]).index(e) + 1) for e in entries}
            preference = {e: -place for e, place in places.items()}
            return _order(category, rule.method, tallies, chair, preference, rule.tie_break, list(ranked), places)
    return _order(category, rule.method, tallies, chair, preference, rule.tie_break, list(ballots))


def decide_jury(
    rule: JuryRule,
    finalists: Mapping[str, Sequence[str]],
    ballots: Mapping[str, Mapping[str, Sequence[str]] | Mapping[str, Mapping[str, Fraction | float | int]]],
    chair: str,
) -> dict[str, Decision]:
    """The decision in every category: ``finalists`` and ``ballots`` are keyed by category key."""
    unknown = sorted(set(ballots) - set(finalists))
    if unknown:
        raise ValueError(f"ballots for categories without finalists: {', '.join(unknown)}")
    missing = sorted(set(finalists) - set(ballots))
    if missing:
        raise ValueError(f"no juror voted in {', '.join(missing)}")
    return {
        category: decide_category(category, entries, ballots[category], rule, chair)
        for category, entries in finalists.items()
    }


def decide_special_prize(
    prize: SpecialPrize,
    eligible: Sequence[str],
    votes: Mapping[str, str | None],
    chair: str,
    *,
    tie_break: str = "chair",
) -> Decision:
    """A special prize decided by ``jury_vote``: one vote per juror (``None`` abstains), the most votes win.

    Equal votes go to the entry the chair voted for, when it is one of them (``tie_break="chair"``). Without
    any vote the prize is not awarded (``note`` says so).
    """
    if prize.decided_by != "jury_vote":
        raise ValueError(f"special prize {prize.key}: cannot decide {prize.decided_by!r}")
    if not eligible or len(set(eligible)) != len(eligible):
        raise ValueError(f"special prize {prize.key}: need distinct eligible entries")
    wrong = {juror: entry for juror, entry in votes.items() if entry is not None and entry not in eligible}
    if wrong:
        raise ValueError(f"special prize {prize.key}: votes for entries that are not eligible: {wrong}")
    tallies = {}
    for entry in eligible:
        contributions = {juror: Fraction(1) for juror, voted in sorted(votes.items()) if voted == entry}
        tallies[entry] = Tally(Fraction(len(contributions)), _frozen(contributions))
    jurors = [juror for juror, entry in votes.items() if entry is not None]
    if not jurors:
        standings = tuple(Standing(e, 1, Fraction(0), _frozen({})) for e in sorted(eligible))
        return Decision(prize.key, prize.decided_by, chair, (), standings, note="no votes: the prize is not awarded")
    chair_vote = votes.get(chair)
    preference = None if chair_vote is None else {e: Fraction(int(e == chair_vote)) for e in eligible}
    return _order(prize.key, prize.decided_by, tallies, chair, preference, tie_break, jurors)

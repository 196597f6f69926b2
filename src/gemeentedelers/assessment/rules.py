"""Round 2's decision maths: evidence checks, assessor teams, report scores and the joint choice of finalists.

Everything here is pure (plain ids and numbers in, frozen records out), so a decision can be recomputed from
its inputs and published with its explanation. The assessment service reads Firestore, asks the edition
(``Edition.assessment_rules``, ``finalist_rule``, ``criteria(2)``, ``evidence_fields``) and calls these.

Scores are :class:`fractions.Fraction`, so equal scores are equal exactly and a tie is a tie, never a
rounding accident.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import groupby
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from gemeentedelers.plugins.api import AssessmentRules, Criterion, EvidenceField, FinalistRule, Text
from gemeentedelers.web.refusals import Refusal

__all__ = [
    "AssessmentRefusal",
    "BallotsDoNotFit",
    "CaseStanding",
    "CategorySelection",
    "EvidenceCheck",
    "FinalistSelection",
    "InfeasibleTeams",
    "PicksInvalid",
    "Report",
    "TeamPlan",
    "Vote",
    "check_evidence",
    "confirm_finalists",
    "criteria_score",
    "exact",
    "form_teams",
    "report_problems",
    "select_finalists",
]


def _frozen(mapping: Mapping[str, Any]) -> Mapping[str, Any]:
    return MappingProxyType(dict(mapping))


def exact(value: Fraction | float | int) -> Fraction:
    """A number as an exact fraction; a float by its shortest decimal form (0.1 is 1/10, not 0.1000...0055)."""
    if isinstance(value, bool) or not isinstance(value, Fraction | float | int):
        raise ValueError(f"{value!r} is not a number")
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


def _repeated(values: Sequence[str]) -> list[str]:
    return sorted({v for v in values if values.count(v) > 1})


class AssessmentRefusal(Refusal):
    """A round-2 refusal (catalogue key ``r2_...``); its values may be labels (:class:`Text`), other refusals or
    lists of them, each read in the language of the text (``refusals.read``)."""


def _named(ids: Iterable[str], names: Mapping[str, str | Text]) -> list[str | Text]:
    """``ids`` as the names a person reads (titles of cases, names of assessors, labels of categories)."""
    return [names.get(i, i) for i in ids]


# --- evidence -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EvidenceCheck:
    """The cleaned evidence (text trimmed, links as a list) and the problems found, per field key."""

    values: Mapping[str, str | tuple[str, ...]]
    problems: Mapping[str, tuple[Text, ...]]

    @property
    def ok(self) -> bool:
        return not self.problems


def _is_link(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in {"http", "https"} and bool(parts.netloc) and " " not in value


def check_evidence(fields: Sequence[EvidenceField], answers: Mapping[str, object]) -> EvidenceCheck:
    """Check a team's round-2 evidence against the edition's fields; every problem is reported at once.

    A ``url_list`` answer is a list of links or one text with a link a line; ``text`` is one line.
    """
    values: dict[str, str | tuple[str, ...]] = {}
    problems: dict[str, list[Text]] = {}
    known = {f.key for f in fields}
    for key in answers:
        if key not in known:
            problems[key] = [Text("Onbekend veld.", "Unknown field.")]
    for f in fields:
        raw = answers.get(f.key)
        found: list[Text] = []
        if f.kind == "url_list":
            items = raw.splitlines() if isinstance(raw, str) else raw if isinstance(raw, list | tuple) else []
            if raw is not None and not isinstance(raw, str | list | tuple):
                found.append(Text("Geef links, één per regel.", "Give links, one a line."))
            links = tuple(str(item).strip() for item in items if str(item).strip())
            found += [
                Text(f"'{link}' is geen link (http:// of https://).", f"'{link}' is not a link (http:// or https://).")
                for link in links
                if not _is_link(link)
            ]
            values[f.key] = links
            empty = not links
        else:
            if raw is not None and not isinstance(raw, str):
                found.append(Text("Geef een tekst.", "Give a text."))
                raw = ""
            text = (raw or "").strip()
            if f.kind == "text" and "\n" in text:
                found.append(Text("Eén regel, zonder regeleinden.", "One line, without line breaks."))
            if f.max_chars is not None and len(text) > f.max_chars:
                found.append(
                    Text(
                        f"{len(text)} tekens; maximaal {f.max_chars}.",
                        f"{len(text)} characters; at most {f.max_chars}.",
                    )
                )
            values[f.key] = text
            empty = not text
        if f.required and empty and not found:
            found.append(Text("Dit veld is verplicht.", "This field is required."))
        if found:
            problems[f.key] = found
    return EvidenceCheck(_frozen(values), _frozen({k: tuple(v) for k, v in problems.items()}))


# --- assessment reports ---------------------------------------------------------------------------------------


def criteria_score(criteria: Sequence[Criterion], scores: Mapping[str, int]) -> Fraction:
    """The weighted mean of the scores, each mapped from its criterion's scale onto [0, 1].

    Every criterion must be scored with an integer on its scale, and nothing else may be scored; the result
    is exact, so reports (and jurors) with equal scores tie exactly.
    """
    if not criteria:
        raise ValueError("no criteria to score")
    keys = [c.key for c in criteria]
    missing = [k for k in keys if k not in scores]
    unknown = sorted(set(scores) - set(keys))
    if missing or unknown:
        raise ValueError(f"scores must cover the criteria exactly: missing {missing}, unknown {unknown}")
    total = weights = Fraction(0)
    for c in criteria:
        value = scores[c.key]
        if isinstance(value, bool) or not isinstance(value, int) or not c.scale_min <= value <= c.scale_max:
            raise ValueError(f"criterion {c.key}: {value!r} is not a whole number from {c.scale_min} to {c.scale_max}")
        weight = Fraction(c.weight)
        total += weight * Fraction(value - c.scale_min, c.scale_max - c.scale_min)
        weights += weight
    return total / weights


@dataclass(frozen=True)
class Report:
    """A team's one assessment report of a case, on the extended criteria."""

    case: str
    scores: Mapping[str, int]
    explanations: Mapping[str, str]
    tops: tuple[str, ...]
    tips: tuple[str, ...]
    recommendation: str
    signed_off: frozenset[str] = frozenset()


def report_problems(
    report: Report,
    *,
    team: Collection[str],
    criteria: Sequence[Criterion],
    rules: AssessmentRules,
    people: Mapping[str, str] | None = None,
) -> list[Text]:
    """Why a report is not final yet; an empty list when it is complete and signed off as the rules require.

    ``people`` turns assessor ids into the names people read.
    """
    people = people or {}
    problems: list[Text] = []
    unscored = [c.label for c in criteria if c.key not in report.scores]
    if unscored:
        problems.append(Text(f"Geef een score voor: {_labels(unscored, 'nl')}.",
                             f"Give a score for: {_labels(unscored, 'en')}."))
    unknown = sorted(set(report.scores) - {c.key for c in criteria})
    if unknown:
        names = ", ".join(unknown)
        problems.append(Text(f"Geen criteria van deze ronde: {names}.", f"Not criteria of this round: {names}."))
    for c in criteria:
        value = report.scores.get(c.key)
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not c.scale_min <= value <= c.scale_max
        ):
            problems.append(
                Text(
                    f"{c.label.nl}: geef een heel getal van {c.scale_min} tot en met {c.scale_max}.",
                    f"{c.label.get('en')}: give a whole number from {c.scale_min} to {c.scale_max}.",
                )
            )
    if rules.explanation_required:
        unexplained = [c.label for c in criteria if not str(report.explanations.get(c.key) or "").strip()]
        if unexplained:
            problems.append(Text(f"Licht elke score toe; ontbreekt bij: {_labels(unexplained, 'nl')}.",
                                 f"Explain every score; missing: {_labels(unexplained, 'en')}."))
    if not [t for t in report.tops if t.strip()] or not [t for t in report.tips if t.strip()]:
        problems.append(Text("Geef minstens één top en één tip.", "Give at least one top and one tip."))
    if rules.recommendation(report.recommendation) is None:
        options = [o.label for o in rules.recommendations]
        problems.append(Text(f"Kies een aanbeveling: {_labels(options, 'nl')}.",
                             f"Choose a recommendation: {_labels(options, 'en')}."))
    outsiders = sorted(set(report.signed_off) - set(team))
    if outsiders:
        who = ", ".join(people.get(a, a) for a in outsiders)
        problems.append(Text(f"Niet in het team: {who}.", f"Not in the team: {who}."))
    if rules.sign_off_by_all:
        unsigned = sorted(set(team) - set(report.signed_off))
        if unsigned:
            who = ", ".join(people.get(a, a) for a in unsigned)
            problems.append(Text(f"Nog niet ondertekend door: {who}.", f"Not signed off yet by: {who}."))
    elif not set(report.signed_off) & set(team):
        problems.append(Text("Nog door niemand ondertekend.", "Not signed off by anyone yet."))
    return problems


def _labels(labels: Iterable[Text], language: str) -> str:
    return ", ".join(label.get(language) for label in labels)


# --- assessor teams -------------------------------------------------------------------------------------------


class InfeasibleTeams(AssessmentRefusal):
    """No plan gives every case a team of at least ``min_team_size``; ``short`` names the cases left short (with the
    size they could get), ``capacity`` says when the assessors' places cannot cover the cases at all."""

    def __init__(self, key: str, /, *, short: Mapping[str, int], capacity: Refusal | None = None,
                 **values: Any) -> None:
        self.short = dict(short)
        self.capacity = capacity
        super().__init__(key, **values)

    def text(self, language: str) -> str:
        why = super().text(language)
        return why if self.capacity is None else f"{why} {self.capacity.text(language)}"


@dataclass(frozen=True)
class TeamPlan:
    """Which assessors visit which case. ``teams`` and ``loads`` are sorted by id."""

    teams: Mapping[str, tuple[str, ...]]
    loads: Mapping[str, int]
    team_size: int

    @property
    def reduced(self) -> dict[str, int]:
        """Cases whose team is smaller than ``team_size`` (conflicts or capacity left no other way)."""
        return {case: len(team) for case, team in self.teams.items() if len(team) < self.team_size}

    def cases_of(self, assessor: str) -> tuple[str, ...]:
        return tuple(case for case, team in self.teams.items() if assessor in team)

    def as_dict(self) -> dict[str, Any]:
        return {
            "team_size": self.team_size,
            "teams": {case: list(team) for case, team in self.teams.items()},
            "loads": dict(self.loads),
        }


class _MinCostFlow:
    """Successive shortest paths (Bellman-Ford queue); small graphs, integer costs, deterministic order."""

    def __init__(self, nodes: int):
        self.adjacent: list[list[int]] = [[] for _ in range(nodes)]
        self.head: list[int] = []
        self.capacity: list[int] = []
        self.cost: list[int] = []

    def add(self, tail: int, head: int, capacity: int, cost: int) -> int:
        for a, b, cap, c in ((tail, head, capacity, cost), (head, tail, 0, -cost)):
            self.adjacent[a].append(len(self.head))
            self.head.append(b)
            self.capacity.append(cap)
            self.cost.append(c)
        return len(self.head) - 2

    def flow(self, edge: int) -> int:
        return self.capacity[edge ^ 1]

    def run(self, source: int, sink: int) -> None:
        """Augment along cheapest paths while they lower the cost: a minimum-cost flow of any value."""
        nodes = len(self.adjacent)
        while True:
            distance: list[float] = [float("inf")] * nodes
            via = [-1] * nodes
            queued = [False] * nodes
            distance[source] = 0
            queue = deque([source])
            while queue:
                node = queue.popleft()
                queued[node] = False
                for edge in self.adjacent[node]:
                    head = self.head[edge]
                    if self.capacity[edge] > 0 and distance[node] + self.cost[edge] < distance[head]:
                        distance[head] = distance[node] + self.cost[edge]
                        via[head] = edge
                        if not queued[head]:
                            queued[head] = True
                            queue.append(head)
            if distance[sink] >= 0:
                return
            path, node = [], sink
            while node != source:
                path.append(via[node])
                node = self.head[via[node] ^ 1]
            amount = min(self.capacity[edge] for edge in path)
            for edge in path:
                self.capacity[edge] -= amount
                self.capacity[edge ^ 1] += amount


def form_teams(
    cases: Iterable[str],
    assessors: Iterable[str],
    conflicts: Iterable[tuple[str, str]],
    team_size: int,
    max_cases: int,
    *,
    min_team_size: int | None = None,
    names: Mapping[str, str] | None = None,
) -> TeamPlan:
    """Assessor teams for the cases: conflict-free, within capacity, as full and as balanced as possible.

    ``conflicts`` are ``(assessor, case)`` pairs (``Edition.conflicts_of_interest`` answered for them). Every
    case gets at least ``min_team_size`` assessors (default ``team_size``) and at most ``team_size``; nobody
    visits more than ``max_cases`` cases. Among the plans that do so, the plan chosen (in this order) gives
    every case its minimum, then fills as many places up to ``team_size`` as it can, then spreads the load
    as evenly as possible (it minimises the sum of squared loads, which also minimises the busiest load).
    It depends only on the sets given, not on their order.

    :raises InfeasibleTeams: naming the cases (by ``names``, titles say, when given) that cannot get
        ``min_team_size`` assessors, and why.
    """
    case_ids, assessor_ids = list(cases), list(assessors)
    minimum = team_size if min_team_size is None else min_team_size
    if not 1 <= minimum <= team_size:
        raise ValueError("need 1 <= min_team_size <= team_size")
    if max_cases < 1:
        raise ValueError("max_cases must be at least 1")
    for what, ids in (("case", case_ids), ("assessor", assessor_ids)):
        if _repeated(ids):
            raise ValueError(f"{what} listed twice: {', '.join(_repeated(ids))}")
    case_ids.sort()
    assessor_ids.sort()
    blocked = set()
    for assessor, case in conflicts:
        if assessor not in assessor_ids or case not in case_ids:
            raise ValueError(f"conflict ({assessor!r}, {case!r}) names an unknown assessor or case")
        blocked.add((assessor, case))

    # Nodes: source, the cases, the assessors, sink. Filling a case's minimum is worth more than any number
    # of places above minimums, which is worth more than any change of the (convex) load costs.
    source, sink = 0, 1 + len(case_ids) + len(assessor_ids)
    case_node = {c: 1 + i for i, c in enumerate(case_ids)}
    assessor_node = {a: 1 + len(case_ids) + i for i, a in enumerate(assessor_ids)}
    load_costs = len(assessor_ids) * max_cases * (max_cases + 1) // 2
    extra_value = load_costs + 1
    minimum_value = extra_value * len(case_ids) * team_size + load_costs + 1
    network = _MinCostFlow(sink + 1)
    for c in case_ids:
        network.add(source, case_node[c], minimum, -minimum_value)
        if team_size > minimum:
            network.add(source, case_node[c], team_size - minimum, -extra_value)
    member_edges = {
        (a, c): network.add(case_node[c], assessor_node[a], 1, 0)
        for c in case_ids
        for a in assessor_ids
        if (a, c) not in blocked
    }
    for a in assessor_ids:
        for k in range(1, max_cases + 1):  # the k-th case of an assessor costs k: loads are spread evenly
            network.add(assessor_node[a], sink, 1, k)
    network.run(source, sink)

    teams = {
        c: tuple(a for a in assessor_ids if (a, c) in member_edges and network.flow(member_edges[a, c]))
        for c in case_ids
    }
    short = {c: len(team) for c, team in teams.items() if len(team) < minimum}
    if short:
        raise _infeasible(short, case_ids, assessor_ids, blocked, minimum, max_cases, names or {})
    loads = {a: sum(a in team for team in teams.values()) for a in assessor_ids}
    return TeamPlan(teams=_frozen(teams), loads=_frozen(loads), team_size=team_size)


def _infeasible(
    short: Mapping[str, int],
    cases: list[str],
    assessors: list[str],
    blocked: set[tuple[str, str]],
    minimum: int,
    max_cases: int,
    names: Mapping[str, str],
) -> InfeasibleTeams:
    reasons = []
    for case, size in short.items():
        free = sum((a, case) not in blocked for a in assessors)
        key = "r2_err_team_conflicts" if free < minimum else "r2_err_team_busy"
        reasons.append(Refusal(key, case=names.get(case, case), size=size, minimum=minimum, free=free,
                               max_cases=max_cases))
    places, needed = len(assessors) * max_cases, len(cases) * minimum
    capacity = Refusal("r2_err_team_places", cases=len(cases), needed=needed, assessors=len(assessors),
                       max_cases=max_cases, places=places) if places < needed else None
    return InfeasibleTeams("r2_err_teams_infeasible", short=short, capacity=capacity, minimum=minimum,
                           reasons=tuple(reasons))


# --- finalists ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vote:
    """One assessor's contribution to a case's score: ``points`` out of ``out_of``.

    ``ranked_votes``: the cases the case is ranked above, out of the other cases on that ballot in its
    category, and ``place`` on it; ``approval``: 1 or 0 out of 1.
    """

    points: int
    out_of: int
    place: int | None = None


@dataclass(frozen=True)
class CaseStanding:
    """A case's line in its category: place (shared when tied), status and how its score came about.

    ``score`` is the share of the points it could get that it got, over all ballots (``None`` when no ballot
    could compare it); ``status`` is ``finalist``, ``tied`` (the organiser chooses) or ``out``.
    """

    case: str
    place: int
    status: str
    score: Fraction | None
    report_score: Fraction
    votes: Mapping[str, Vote] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "place": self.place,
            "status": self.status,
            "score": None if self.score is None else str(self.score),
            "score_float": None if self.score is None else float(self.score),
            "report_score": str(self.report_score),
            "report_score_float": float(self.report_score),
            "votes": {a: {"points": v.points, "out_of": v.out_of, "place": v.place} for a, v in self.votes.items()},
        }


@dataclass(frozen=True)
class CategorySelection:
    """The assessors' choice in one category, best first."""

    category: str
    seats: int
    standings: tuple[CaseStanding, ...]

    @property
    def finalists(self) -> tuple[str, ...]:
        return tuple(s.case for s in self.standings if s.status == "finalist")

    @property
    def tied(self) -> tuple[str, ...]:
        """Cases tied across the last seat: the organiser picks ``open_seats`` of them."""
        return tuple(s.case for s in self.standings if s.status == "tied")

    @property
    def open_seats(self) -> int:
        return self.seats - len(self.finalists) if self.tied else 0

    @property
    def unfilled(self) -> int:
        """Seats left empty because the category has fewer cases than seats."""
        return max(0, self.seats - len(self.standings))

    @property
    def decided(self) -> bool:
        return not self.tied

    def as_dict(self) -> dict[str, Any]:
        return {
            "category": self.category,
            "seats": self.seats,
            "finalists": list(self.finalists),
            "tied": list(self.tied),
            "open_seats": self.open_seats,
            "unfilled": self.unfilled,
            "standings": [s.as_dict() for s in self.standings],
        }


@dataclass(frozen=True)
class FinalistSelection:
    """The proposal the organiser confirms (``confirm_finalists``): per category, finalists and ties."""

    method: str
    tie_break: str
    categories: Mapping[str, CategorySelection]

    @property
    def decided(self) -> bool:
        return all(c.decided for c in self.categories.values())

    @property
    def finalists(self) -> dict[str, tuple[str, ...]]:
        return {key: c.finalists for key, c in self.categories.items()}

    def as_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "tie_break": self.tie_break,
            "decided": self.decided,
            "categories": {key: c.as_dict() for key, c in self.categories.items()},
        }


class BallotsDoNotFit(AssessmentRefusal):
    """The ballots do not fit round 2's cases (a ballot saved before an assessor's conflict of interest came to
    light, say, or too few ballots yet to compare a case): the organiser reads which, and what to do."""


class PicksInvalid(AssessmentRefusal):
    """The organiser's picks among tied cases are not what the selection needs (``confirm_finalists``);
    ``category_key`` names the category at fault, when one is (a page marks that category's choices)."""

    def __init__(self, key: str, /, *, category_key: str | None = None, **values: Any) -> None:
        self.category_key = category_key
        super().__init__(key, **values)


def _votes_in_category(
    rule: FinalistRule,
    category: str,
    cases: list[str],
    ballots: Mapping[str, Sequence[str]],
    abstentions: Mapping[str, Collection[str]],
    names: Mapping[str, str | Text],
) -> dict[str, dict[str, Vote]]:
    votes: dict[str, dict[str, Vote]] = {c: {} for c in cases}
    for assessor in sorted(ballots):
        ballot = [c for c in ballots[assessor] if c in votes]
        barred = set(abstentions.get(assessor, ())) & set(cases)
        judged = [c for c in cases if c not in barred]
        conflicting = sorted(set(ballot) & barred)
        if conflicting:
            raise BallotsDoNotFit("r2_err_ballot_conflict", assessor=names.get(assessor, assessor),
                                  cases=_named(conflicting, names))
        if rule.method == "approval":
            for case in judged:
                votes[case][assessor] = Vote(points=int(case in ballot), out_of=1)
            continue
        if not ballot:
            continue  # this assessor does not rank this category
        missing = [c for c in judged if c not in ballot]
        if missing:
            raise BallotsDoNotFit("r2_err_ballot_incomplete", assessor=names.get(assessor, assessor),
                                  category=names.get(category, category), cases=_named(missing, names))
        for place, case in enumerate(ballot, 1):
            votes[case][assessor] = Vote(points=len(ballot) - place, out_of=len(ballot) - 1, place=place)
    return votes


def select_finalists(
    ballots: Mapping[str, Sequence[str]],
    report_scores: Mapping[str, Fraction | float | int],
    rule: FinalistRule,
    categories: Mapping[str, str],
    *,
    abstentions: Mapping[str, Collection[str]] | None = None,
    names: Mapping[str, str | Text] | None = None,
) -> FinalistSelection:
    """The assessors' joint proposal of finalists, per category, with every tie across a seat reported.

    - ``ballots``: per assessor, for ``ranked_votes`` the cases ranked best first (in every category the
      assessor ranks, all cases they may judge), for ``approval`` the cases they back.
    - ``report_scores``: per case, its report's score (``criteria_score`` over the round-2 criteria).
    - ``categories``: every case of round 2 and its category key.
    - ``abstentions``: per assessor, the cases they may not judge (conflicts of interest).

    A case's score is the points it got out of the points it could get on the ballots that judged it:
    under ``ranked_votes`` the share of head-to-head comparisons on the assessors' ballots it won (with
    complete ballots this orders the cases as a Borda count does), under ``approval`` the share of the
    assessors who judged it that back it. Equal scores are ordered by the report score when the rule's
    ``tie_break`` is ``report_score``; whatever is still equal across the last seat is ``tied``, for the
    organiser to settle with ``confirm_finalists``.

    Ballots that do not fit the cases raise :class:`BallotsDoNotFit`, naming cases, assessors and categories by
    ``names`` (titles, names, labels) when given.
    """
    abstentions = abstentions or {}
    names = names or {}
    unknown = sorted({c for ballot in ballots.values() for c in ballot} - set(categories))
    if unknown:
        raise BallotsDoNotFit("r2_err_ballots_unknown_cases", cases=_named(unknown, names))
    for assessor, ballot in ballots.items():
        if _repeated(list(ballot)):
            raise BallotsDoNotFit("r2_err_ballot_twice", assessor=names.get(assessor, assessor),
                                  cases=_named(_repeated(list(ballot)), names))
    if set(report_scores) != set(categories):
        missing = sorted(set(categories) - set(report_scores))
        extra = sorted(set(report_scores) - set(categories))
        raise ValueError(f"every case needs exactly one report score: missing {missing}, not in round 2 {extra}")
    reports = {c: exact(s) for c, s in report_scores.items()}

    selected: dict[str, CategorySelection] = {}
    for category in sorted({*categories.values(), *(k for k, _ in rule.category_counts)}):
        cases = sorted(c for c, k in categories.items() if k == category)
        seats = rule.count(category)
        votes = _votes_in_category(rule, category, cases, ballots, abstentions, names)
        scores: dict[str, Fraction | None] = {}
        for case in cases:
            out_of = sum(v.out_of for v in votes[case].values())
            scores[case] = Fraction(sum(v.points for v in votes[case].values()), out_of) if out_of else None
        unscored = [c for c in cases if scores[c] is None]
        if unscored and len(cases) > seats:
            raise BallotsDoNotFit("r2_err_not_judged", cases=_named(unscored, names),
                                  category=names.get(category, category))

        keys = {
            c: (
                Fraction(-1) if scores[c] is None else scores[c],
                reports[c] if rule.tie_break == "report_score" else Fraction(0),
            )
            for c in cases
        }
        ordered = sorted(cases, key=lambda c: (-keys[c][0], -keys[c][1], c))
        standings: list[CaseStanding] = []
        position = 0
        for _, group in groupby(ordered, key=keys.__getitem__):
            members = list(group)
            first, after = position, position + len(members)
            status = "finalist" if after <= seats else "out" if first >= seats else "tied"
            standings += [CaseStanding(c, first + 1, status, scores[c], reports[c], _frozen(votes[c])) for c in members]
            position = after
        selected[category] = CategorySelection(category, seats, tuple(standings))
    return FinalistSelection(rule.method, rule.tie_break, _frozen(selected))


def confirm_finalists(
    selection: FinalistSelection,
    picks: Mapping[str, Sequence[str]] | None = None,
    *,
    names: Mapping[str, str | Text] | None = None,
) -> dict[str, tuple[str, ...]]:
    """The finalists per category once the organiser has picked, in every tied category, ``open_seats``
    of its tied cases (and nothing in a decided one); otherwise :class:`PicksInvalid`, naming cases and
    categories by ``names`` when given."""
    picks = picks or {}
    names = names or {}
    unknown = sorted(set(picks) - set(selection.categories))
    if unknown:
        raise PicksInvalid("r2_err_picks_unknown_category", categories=unknown)
    confirmed = {}
    for key, category in selection.categories.items():
        chosen = list(picks.get(key, ()))
        if category.decided:
            if chosen:
                raise PicksInvalid("r2_err_pick_decided", category_key=key, category=names.get(key, key))
        else:
            wrong = [c for c in chosen if c not in category.tied]
            if wrong or _repeated(chosen) or len(chosen) != category.open_seats:
                raise PicksInvalid("r2_err_pick_count", category_key=key, category=names.get(key, key),
                                   n=category.open_seats,
                                   tied=_named(category.tied, names),
                                   chosen=_named(chosen, names) or Text("niets", "none"))
        confirmed[key] = (*category.finalists, *chosen)
    return confirmed

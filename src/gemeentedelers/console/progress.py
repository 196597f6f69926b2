"""Progress at a glance, with people: per round the totals and who is behind, by name.

Round 1: scorers done, ratings submitted of those assigned, who still has entries open. Round 2: evidence
complete, visits held, reports signed by the whole team, assessors who voted, and which teams and assessors are
behind. Round 3: jurors who ranked every category they vote in. Everything is read from Firestore as it stands;
nothing is counted on the side, so the figures cannot drift from the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.scoring.waves import RoundData


@dataclass(frozen=True)
class Person:
    """Someone's share of a round: ``done`` and ``open`` in the round's unit (ratings, reports, categories)."""

    person_id: str
    name: str
    done: int
    open: int
    detail: str = ""


@dataclass
class Round1:
    scorers: int
    scorers_done: int
    ratings_submitted: int
    ratings_assigned: int
    thin_entries: int
    people: list[Person] = field(default_factory=list)

    @property
    def outstanding(self) -> int:
        return self.ratings_assigned - self.ratings_submitted

    @property
    def behind(self) -> list[Person]:
        return [p for p in self.people if p.open]


def round1(edition: Edition, data: RoundData, state: Mapping[str, Any]) -> Round1:
    """Round 1 as it stands: per approved scorer with entries, how many are submitted and how many open; entries
    with fewer submitted ratings than the first wave gives each (``thin_entries``)."""
    assigned: dict[str, int] = {}
    for scorer_id, _ in data.active_pairs:
        assigned[scorer_id] = assigned.get(scorer_id, 0) + 1
    active = set(data.active_pairs)
    submitted: dict[str, int] = {}
    per_entry: dict[str, int] = {eid: 0 for eid in data.entries}
    for score in data.submitted:
        pair = (score["scorer_id"], score["submission_id"])
        if pair in active:
            submitted[pair[0]] = submitted.get(pair[0], 0) + 1
        per_entry[score["submission_id"]] = per_entry.get(score["submission_id"], 0) + 1
    people = [Person(sid, str(data.scorers.get(sid, {}).get("name", sid)), submitted.get(sid, 0),
                     n - submitted.get(sid, 0))
              for sid, n in assigned.items() if data.scorers.get(sid, {}).get("status") == "approved"]
    people.sort(key=lambda p: (-p.open, p.name))
    opened = state.get("status", "not_opened") != "not_opened"
    return Round1(
        scorers=len(people), scorers_done=sum(1 for p in people if not p.open),
        ratings_submitted=sum(p.done for p in people), ratings_assigned=sum(p.done + p.open for p in people),
        thin_entries=sum(1 for n in per_entry.values() if n < edition.round1_rules.first_wave) if opened else 0,
        people=people)


@dataclass
class Round2:
    cases: int
    evidence_complete: int
    visits_planned: int
    visits_held: int
    reports_signed: int
    assessors: int
    assessors_voted: int
    teams_behind: list[Person] = field(default_factory=list)
    assessors_behind: list[Person] = field(default_factory=list)
    visits_missing: list[str] = field(default_factory=list)
    reports_unsigned: list[str] = field(default_factory=list)
    ballots_missing: list[str] = field(default_factory=list)


def round2(client: firestore.Client, edition: Edition, now: datetime) -> Round2:
    """Round 2 as it stands at ``now`` (competition clock: a confirmed visit before it was held)."""
    from gemeentedelers.assessment import assessors, reports
    from gemeentedelers.platform import layout

    key = edition.key
    cases = assessors.cases(client, key)
    teams = assessors.teams(client, key)
    people = assessors.all_assessors(client, key)
    serving = {p["assessor_id"]: p for p in people if p.get("assessor_id") and assessors.active(p)}
    evidence = {d.id: d.to_dict() or {} for d in layout.evidence(client, key).stream()}
    visits = {d.id: d.to_dict() or {} for d in layout.visits(client, key).stream()}
    stored = {d.id: d.to_dict() or {} for d in layout.reports(client, key).stream()}
    voted = {d.id for d in layout.assessment_ballots(client, key).stream()}
    found = Round2(cases=len(cases), evidence_complete=0, visits_planned=0, visits_held=0, reports_signed=0,
                   assessors=len(serving), assessors_voted=len(voted & set(serving)))
    unsigned: dict[str, list[str]] = {}
    for entry in cases:
        sid, title = entry["submission_id"], str(entry.get("title", entry["submission_id"]))
        if evidence.get(sid, {}).get("status") == "complete":
            found.evidence_complete += 1
        else:
            found.teams_behind.append(Person(sid, f"{title} ({entry.get('municipality', '')})", 0, 1,
                                             evidence.get(sid, {}).get("status", "new")))
        confirmed = visits.get(sid, {}).get("confirmed")
        if confirmed is None:
            found.visits_missing.append(title)
        elif confirmed <= now:
            found.visits_held += 1
        else:
            found.visits_planned += 1
        members = teams.get(sid, [])
        report = stored.get(sid, {"version": 0, "signed_off": []})
        if report.get("version") and not reports.problems(edition, sid, report, members):
            found.reports_signed += 1
        else:
            found.reports_unsigned.append(title)
            for aid in members:
                if aid in serving and aid not in report.get("signed_off", []):
                    unsigned.setdefault(aid, []).append(title)
    for aid, person in sorted(serving.items(), key=lambda item: item[1]["name"]):
        cases_open = unsigned.get(aid, [])
        ballot_missing = aid not in voted
        if cases_open or ballot_missing:
            found.assessors_behind.append(Person(aid, person["name"], 0, len(cases_open) + int(ballot_missing),
                                                 "; ".join(cases_open)))
            if ballot_missing:
                found.ballots_missing.append(person["name"])
    return found


@dataclass
class Round3:
    jurors: int
    jurors_done: int
    finalists: int
    behind: list[Person] = field(default_factory=list)


def round3(client: firestore.Client, edition: Edition) -> Round3:
    """Round 3 as it stands: which serving jurors still have a category to rank (one they vote in)."""
    from gemeentedelers.jury import jurors
    from gemeentedelers.jury import round3 as jury
    from gemeentedelers.platform import layout

    shortlist = jury.finalists(client, edition)
    serving = jurors.serving(jurors.all_jurors(client, edition.key))
    ballots = {d.id: d.to_dict() or {} for d in layout.jury_ballots(client, edition.key).stream()}
    found = Round3(jurors=len(serving), jurors_done=0, finalists=sum(len(v) for v in shortlist.values()))
    labels = {c.key: c.label for c in edition.categories}
    for juror in serving:
        skip = jury.voting_categories(edition, juror, shortlist)
        mine = [c for c in shortlist if not skip[c]]
        given = ballots.get(juror["juror_id"], {}).get("categories", {})
        missing = [c for c in mine if c not in given]
        if missing:
            found.behind.append(Person(juror["juror_id"], juror["name"], len(mine) - len(missing), len(missing),
                                       ", ".join(labels[c].nl if c in labels else c for c in missing)))
        else:
            found.jurors_done += 1
    return found


@dataclass(frozen=True)
class Funnel:
    """The edition's funnel: how many took part at each stage."""

    registered: int
    round2: int
    finalists: int
    winners: int

    def stages(self) -> list[tuple[str, int]]:
        return [("funnel_registered", self.registered), ("funnel_round2", self.round2),
                ("funnel_finalists", self.finalists), ("funnel_winners", self.winners)]


def funnel(client: firestore.Client, edition: Edition) -> Funnel:
    """Counted with aggregation queries (one read per thousand documents), not by reading every registration."""
    from gemeentedelers.platform import layout

    def count(query: Any) -> int:
        return int(query.count().get()[0][0].value)

    result = layout.winners(client, edition.key).document("result").get().to_dict() or {}
    return Funnel(count(layout.submissions(client, edition.key)), count(layout.roster(client, edition.key, 2)),
                  count(layout.roster(client, edition.key, 3)), len(result.get("winners", [])))

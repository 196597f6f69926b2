"""Everything an edition plugin author needs: the ``hookimpl`` marker and the records hooks return.

Records are frozen dataclasses so that an edition, once loaded, cannot be changed by the code that reads it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from types import MappingProxyType
from typing import Any

import pluggy

PROJECT = "gemeentedelers"
hookimpl = pluggy.HookimplMarker(PROJECT)

LANGUAGES = ("nl", "en")


def organisation_keys(names: object) -> frozenset[str]:
    """What organisation names are compared by (one name or a list): the CBS codes of a municipality however it
    is written ("Gemeente Almere", "gem. Den Haag", "'s-Gravenhage", a municipality merged since 2021 gives its
    successor), the folded name of any other organisation. Two names mean the same organisation when their keys
    meet; conflict-of-interest rules compare names this way."""
    from gemeentedelers.people.organisations import keys

    return keys(names)


@dataclass(frozen=True)
class Text:
    """A text a person reads, in Dutch (the default) and English."""

    nl: str
    en: str = ""

    def get(self, language: str = "nl") -> str:
        return (self.en or self.nl) if language == "en" else self.nl


@dataclass(frozen=True)
class EditionInfo:
    """Who an edition is: ``key`` is its stable id (e.g. ``gd2024``), ``title`` what people see."""

    key: str
    title: Text
    year: int
    default_language: str = "nl"
    assumptions: tuple[str, ...] = ()
    parameters: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}), compare=False, hash=False)
    """Read-only parameters of the code rules, from the spec (e.g. ``conflicts_of_interest``'s arrangements)."""


@dataclass(frozen=True)
class Timeline:
    """The dates of an edition, timezone-aware. Registration is open in [opens, closes).

    ``evidence_due`` is when round 2's evidence (onderbouwing) must be in: after round 1's decision and before the
    visits and round 2's decision. An edition that does not set it has its evidence due at ``round2_decided``
    (:attr:`evidence_deadline` says which applies)."""

    registration_opens: datetime
    registration_closes: datetime
    round1_decided: datetime
    round2_decided: datetime
    winners_announced: datetime
    award_ceremony: datetime
    evidence_due: datetime | None = None

    def __post_init__(self) -> None:
        stamps = [
            ("registration_opens", self.registration_opens),
            ("registration_closes", self.registration_closes),
            ("round1_decided", self.round1_decided),
            *([("evidence_due", self.evidence_due)] if self.evidence_due is not None else []),
            ("round2_decided", self.round2_decided),
            ("winners_announced", self.winners_announced),
            ("award_ceremony", self.award_ceremony),
        ]
        for name, stamp in stamps:
            if stamp.tzinfo is None:
                raise ValueError(f"timeline.{name} must be timezone-aware")
        for (a, first), (b, second) in pairwise(stamps):
            if second < first:
                raise ValueError(f"timeline.{b} ({second:%Y-%m-%d}) is before {a} ({first:%Y-%m-%d})")

    @property
    def evidence_deadline(self) -> datetime:
        """Until when round 2's evidence can be supplied and changed."""
        return self.evidence_due or self.round2_decided

    def milestones(self) -> dict[str, datetime]:
        """The moments that are set, in the order they come."""
        order = ("registration_opens", "registration_closes", "round1_decided", "evidence_due", "round2_decided",
                 "winners_announced", "award_ceremony")
        return {name: getattr(self, name) for name in order if getattr(self, name) is not None}


@dataclass(frozen=True)
class Category:
    """A competition category; a winner is chosen in each. ``key`` is what forms may send too."""

    key: str
    label: Text
    description: Text


@dataclass(frozen=True)
class Criterion:
    """One scored criterion with its integer scale and its weight in the composite score."""

    key: str
    label: Text
    description: Text
    scale_min: int = 1
    scale_max: int = 10
    weight: float = 1.0
    scale_labels: dict[int, Text] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.scale_min >= self.scale_max:
            raise ValueError(f"criterion {self.key}: scale_min must be below scale_max")
        if self.weight <= 0:
            raise ValueError(f"criterion {self.key}: weight must be positive")


@dataclass(frozen=True)
class FieldError:
    """A registration problem an edition rule found, named by the registration field it concerns."""

    field: str
    message: Text


@dataclass(frozen=True)
class Round1Rules:
    """How round 1 runs: the rating budget, who advances, and what a scorer must write.

    ``ratings_per_entry`` is the total budget per entry; ``first_wave_share`` of it is assigned evenly up
    front and the rest goes adaptively where the cut-off is uncertain. ``category_quotas`` (category key to
    number advancing) replaces one overall top ``advance`` when given.
    """

    ratings_per_entry: int = 5
    first_wave_share: float = 0.6
    advance: int = 20
    category_quotas: tuple[tuple[str, int], ...] = ()
    scorer_capacity: int = 12
    require_tips_and_tops: bool = True
    link_valid_days: int = 45

    def __post_init__(self) -> None:
        if self.ratings_per_entry < 1 or self.advance < 1 or self.scorer_capacity < 1:
            raise ValueError("ratings_per_entry, advance and scorer_capacity must be at least 1")
        if not 0 < self.first_wave_share <= 1:
            raise ValueError("first_wave_share must be in (0, 1]")
        if self.category_quotas and sum(n for _, n in self.category_quotas) != self.advance:
            raise ValueError("category_quotas must add up to advance")

    @property
    def first_wave(self) -> int:
        """Ratings per entry in the first, even wave (at least 2, so every entry has a spread)."""
        return min(self.ratings_per_entry, max(2, round(self.ratings_per_entry * self.first_wave_share)))


REGISTRATION_FIELDS = (
    "municipality",
    "co_applicants",
    "contact_name",
    "contact_email",
    "contact_phone",
    "title",
    "description",
    "category",
    "consent",
    "consent_publication",
    "consent_version",
    "language",
)
"""The canonical registration fields; form field names are mapped onto these."""


# --- round 2 and round 3 ----------------------------------------------------------------------------------------

_KEY = re.compile(r"[a-z][a-z0-9_]*")


def _check_key(record: str, key: object) -> None:
    if not isinstance(key, str) or not _KEY.fullmatch(key):
        raise ValueError(f"{record}: key {key!r} must be lower-case letters, digits and '_', starting with a letter")


def _check_text(record: str, name: str, value: object) -> None:
    """Everything a person reads is a :class:`Text` with at least its Dutch wording."""
    if not isinstance(value, Text) or not value.nl.strip():
        raise ValueError(f"{record}: {name} must be a Text with a Dutch wording")


def _check_choice(record: str, name: str, value: object, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ValueError(f"{record}: {name} {value!r} is not one of {', '.join(choices)}")


def _as_tuple(record: object, name: str) -> tuple:
    """Store a sequence field as a tuple, so a plugin may pass a list and the record stays immutable."""
    value = tuple(getattr(record, name))
    object.__setattr__(record, name, value)
    return value


def _unique_keys(record: str, name: str, keys: list[str]) -> None:
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise ValueError(f"{record}: {name} repeats {', '.join(repeated)}")


EVIDENCE_KINDS = ("text", "long_text", "url_list")
"""What an evidence field holds: one line, a longer text, or links to documents (one URL a line)."""


@dataclass(frozen=True)
class EvidenceField:
    """One piece of round-2 evidence a team that advanced supplies, with the guidance shown next to it.

    ``max_chars`` limits a ``text`` or ``long_text`` answer; a ``url_list`` holds http(s) links to documents.
    """

    key: str
    label: Text
    guidance: Text
    kind: str = "long_text"
    required: bool = True
    max_chars: int | None = None

    def __post_init__(self) -> None:
        _check_key("evidence field", self.key)
        _check_text(f"evidence field {self.key}", "label", self.label)
        _check_text(f"evidence field {self.key}", "guidance", self.guidance)
        _check_choice(f"evidence field {self.key}", "kind", self.kind, EVIDENCE_KINDS)
        if self.max_chars is not None:
            if self.kind == "url_list":
                raise ValueError(f"evidence field {self.key}: max_chars applies to text fields, not to url_list")
            if self.max_chars < 1:
                raise ValueError(f"evidence field {self.key}: max_chars must be at least 1")


AI_PHASES = ("discover", "dream", "design", "destiny")
"""The 4-D cycle of appreciative inquiry (Waarderend Onderzoek), in the order an interview follows it."""

AI_PHASE_LABELS = MappingProxyType(
    {
        "discover": Text("Ontdekken", "Discover"),
        "dream": Text("Dromen", "Dream"),
        "design": Text("Ontwerpen", "Design"),
        "destiny": Text("Doen en verankeren", "Destiny"),
    }
)


@dataclass(frozen=True)
class InterviewSection:
    """The questions of one phase of the appreciative-inquiry cycle."""

    phase: str
    title: Text
    questions: tuple[Text, ...]

    def __post_init__(self) -> None:
        _check_choice("interview section", "phase", self.phase, AI_PHASES)
        _check_text(f"interview section {self.phase}", "title", self.title)
        questions = _as_tuple(self, "questions")
        if not questions:
            raise ValueError(f"interview section {self.phase}: has no questions")
        for n, question in enumerate(questions, 1):
            _check_text(f"interview section {self.phase}", f"question {n}", question)


@dataclass(frozen=True)
class InterviewGuide:
    """The guide assessors follow on their (online) visit: the 4-D cycle, each phase at least once, in order."""

    title: Text
    intro: Text
    sections: tuple[InterviewSection, ...]

    def __post_init__(self) -> None:
        _check_text("interview guide", "title", self.title)
        _check_text("interview guide", "intro", self.intro)
        sections = _as_tuple(self, "sections")
        phases = [s.phase for s in sections]
        if sorted(set(phases)) != sorted(AI_PHASES):
            missing = [p for p in AI_PHASES if p not in phases]
            raise ValueError(f"interview guide: no section for phase {', '.join(missing)} of the 4-D cycle")
        order = [AI_PHASES.index(p) for p in phases]
        if order != sorted(order):
            raise ValueError(f"interview guide: sections must follow the cycle {' > '.join(AI_PHASES)}")

    def questions(self, phase: str) -> tuple[Text, ...]:
        """All questions of one phase, in the guide's order."""
        return tuple(q for s in self.sections if s.phase == phase for q in s.questions)


@dataclass(frozen=True)
class RecommendationOption:
    """One recommendation an assessment report can end with (e.g. *aanbevolen als finalist*)."""

    key: str
    label: Text

    def __post_init__(self) -> None:
        _check_key("recommendation", self.key)
        _check_text(f"recommendation {self.key}", "label", self.label)


DEFAULT_RECOMMENDATIONS = (
    RecommendationOption("finalist", Text("Aanbevolen als finalist", "Recommended as a finalist")),
    RecommendationOption("twijfel", Text("Twijfel", "In doubt")),
    RecommendationOption("geen_finalist", Text("Niet aanbevolen als finalist", "Not recommended as a finalist")),
)


@dataclass(frozen=True)
class AssessmentRules:
    """How round 2's assessor teams are formed and what their one report per case needs.

    A team has ``team_size`` assessors, at least ``min_team_size`` when conflicts of interest or capacity
    leave no other way; an assessor joins at most ``max_cases_per_assessor`` teams.
    """

    team_size: int = 3
    min_team_size: int = 2
    max_cases_per_assessor: int = 4
    sign_off_by_all: bool = True
    explanation_required: bool = True
    recommendations: tuple[RecommendationOption, ...] = DEFAULT_RECOMMENDATIONS

    def __post_init__(self) -> None:
        if not 1 <= self.min_team_size <= self.team_size:
            raise ValueError("assessment rules: need 1 <= min_team_size <= team_size")
        if self.max_cases_per_assessor < 1:
            raise ValueError("assessment rules: max_cases_per_assessor must be at least 1")
        options = _as_tuple(self, "recommendations")
        if not options:
            raise ValueError("assessment rules: need at least one recommendation option")
        _unique_keys("assessment rules", "recommendations", [o.key for o in options])

    def recommendation(self, key: str) -> RecommendationOption | None:
        return next((o for o in self.recommendations if o.key == key), None)


FINALIST_METHODS = ("ranked_votes", "approval")
FINALIST_TIE_BREAKS = ("report_score", "none")


@dataclass(frozen=True)
class FinalistRule:
    """How the assessors together choose the finalists from the reports, and how many per category.

    ``ranked_votes``: every assessor ranks the cases of a category; ``approval``: every assessor names the
    cases they back. ``category_counts`` (category key, number of finalists) overrides
    ``finalists_per_category`` for the categories it names. Ties left after ``tie_break`` go to the organiser.
    """

    finalists_per_category: int = 3
    category_counts: tuple[tuple[str, int], ...] = ()
    method: str = "ranked_votes"
    tie_break: str = "report_score"

    def __post_init__(self) -> None:
        counts = tuple((category, n) for category, n in self.category_counts)
        object.__setattr__(self, "category_counts", counts)
        if self.finalists_per_category < 1 or any(n < 1 for _, n in counts):
            raise ValueError("finalist rule: every category has at least 1 finalist")
        _unique_keys("finalist rule", "category_counts", [c for c, _ in counts])
        _check_choice("finalist rule", "method", self.method, FINALIST_METHODS)
        _check_choice("finalist rule", "tie_break", self.tie_break, FINALIST_TIE_BREAKS)

    def count(self, category: str) -> int:
        """How many finalists ``category`` gets."""
        return dict(self.category_counts).get(category, self.finalists_per_category)


JURY_METHODS = ("borda", "points", "mean_score")
JURY_TIE_BREAKS = ("chair", "none")


@dataclass(frozen=True)
class JuryRule:
    """How the jury's rankings or scores of a category's finalists decide its winner.

    ``borda``: with n finalists, a juror's first gets n-1 points, the last 0. ``points``: a juror's first gets
    ``points[0]``, the second ``points[1]``, ... and places beyond the table 0. ``mean_score``: every juror
    scores every finalist on the round-3 criteria; the mean of the weighted scores counts. ``chair``: the
    chair's own ranking (or scores) orders entries that tie.
    """

    method: str = "borda"
    points: tuple[int, ...] = ()
    tie_break: str = "chair"

    def __post_init__(self) -> None:
        _check_choice("jury rule", "method", self.method, JURY_METHODS)
        _check_choice("jury rule", "tie_break", self.tie_break, JURY_TIE_BREAKS)
        table = _as_tuple(self, "points")
        if self.method != "points":
            if table:
                raise ValueError(f"jury rule: a points table is only used by method 'points', not {self.method!r}")
            return
        if not table or table[0] <= 0:
            raise ValueError("jury rule: method 'points' needs a table whose first place scores more than 0")
        if any(p < 0 for p in table) or list(table) != sorted(table, reverse=True):
            raise ValueError("jury rule: points must be non-negative and never rise from one place to the next")


PRIZE_ELIGIBILITY = ("finalists", "round2", "entries")
"""Who can win a special prize: the finalists, every entry assessed in round 2, or every entry."""
PRIZE_DECISIONS = ("jury_vote",)


@dataclass(frozen=True)
class SpecialPrize:
    """A prize besides the category winners (e.g. the 2021 *Actualiteitstrofee*), across categories.

    ``jury_vote``: every juror names one eligible entry; the most votes win, ties go to the chair's vote.
    """

    key: str
    label: Text
    description: Text
    eligibility: str = "finalists"
    decided_by: str = "jury_vote"

    def __post_init__(self) -> None:
        _check_key("special prize", self.key)
        _check_text(f"special prize {self.key}", "label", self.label)
        _check_text(f"special prize {self.key}", "description", self.description)
        _check_choice(f"special prize {self.key}", "eligibility", self.eligibility, PRIZE_ELIGIBILITY)
        _check_choice(f"special prize {self.key}", "decided_by", self.decided_by, PRIZE_DECISIONS)

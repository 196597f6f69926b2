"""Everything an edition plugin author needs: the ``hookimpl`` marker and the records hooks return.

Records are frozen dataclasses so that an edition, once loaded, cannot be changed by the code that reads it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise

import pluggy

PROJECT = "gemeentedelers"
hookimpl = pluggy.HookimplMarker(PROJECT)

LANGUAGES = ("nl", "en")


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


@dataclass(frozen=True)
class Timeline:
    """The dates of an edition, timezone-aware. Registration is open in [opens, closes)."""

    registration_opens: datetime
    registration_closes: datetime
    round1_decided: datetime
    round2_decided: datetime
    winners_announced: datetime
    award_ceremony: datetime

    def __post_init__(self) -> None:
        stamps = [
            ("registration_opens", self.registration_opens),
            ("registration_closes", self.registration_closes),
            ("round1_decided", self.round1_decided),
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

    def milestones(self) -> dict[str, datetime]:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


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
    "language",
)
"""The canonical registration fields; form field names are mapped onto these."""

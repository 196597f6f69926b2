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

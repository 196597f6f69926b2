"""The edition's timeline as the console shows it: every date in Amsterdam time, what has passed, what is due
next (by the competition clock)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from gemeentedelers.editions import Edition
from gemeentedelers.web.i18n import AMSTERDAM, format_date
from gemeentedelers.web.pages import translate

STEPS = ("registration_opens", "registration_closes", "round1_decided", "evidence_due", "round2_decided",
         "winners_announced", "award_ceremony")


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    when: datetime
    text: str
    passed: bool
    due_next: bool


def when_text(moment: datetime, language: str) -> str:
    """'vrijdag 21 juni 2024, 10.00 uur' / 'Friday 21 June 2024, 10:00', in Amsterdam time."""
    local = moment.astimezone(AMSTERDAM)
    day = translate(language, f"weekday_{local.weekday()}")
    if language == "en":
        return f"{day} {format_date(moment, 'en')}, {local:%H:%M}"
    return f"{day} {format_date(moment, 'nl')}, {local:%H.%M} uur"


def steps(edition: Edition, now: datetime, language: str) -> list[Step]:
    timeline = edition.timeline
    moments = [(key, getattr(timeline, key)) for key in STEPS if getattr(timeline, key) is not None]
    upcoming = next((key for key, when in moments if when > now), None)
    return [Step(key, translate(language, f"timeline_{key}"), when, when_text(when, language), when <= now,
                 key == upcoming) for key, when in moments]


def next_step(edition: Edition, now: datetime, language: str) -> Step | None:
    return next((s for s in steps(edition, now, language) if s.due_next), None)

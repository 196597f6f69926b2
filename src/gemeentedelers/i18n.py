"""Dutch (the default) and English for what people read: dates and the choice of language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from gemeentedelers.plugins.api import LANGUAGES

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
_MONTHS = {
    "nl": ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
           "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
}


def language_or_default(language: str | None, default: str = "nl") -> str:
    return language if language in LANGUAGES else default


def format_date(moment: datetime, language: str = "nl") -> str:
    """'1 december 2023' / '1 December 2023', in Amsterdam time."""
    local = moment.astimezone(AMSTERDAM)
    return f"{local.day} {_MONTHS[language_or_default(language)][local.month - 1]} {local.year}"

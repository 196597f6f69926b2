"""Dutch (the default) and English for what people read: dates and moments (Babel, Europe/Amsterdam, with the
weekday: "vrijdag 21 juni 2024, 10.00 uur") and the choice of language."""

from __future__ import annotations

import re
from dataclasses import dataclass
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


def parse_moment(value: str) -> datetime:
    """An ISO date or date-time; Amsterdam time when no zone is given (``ValueError`` when it is neither)."""
    moment = datetime.fromisoformat(value.strip())
    return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)


def format_date(moment: datetime, language: str = "nl") -> str:
    """'1 december 2023' / '1 December 2023', in Amsterdam time."""
    local = moment.astimezone(AMSTERDAM)
    return f"{local.day} {_MONTHS[language_or_default(language)][local.month - 1]} {local.year}"


_DAY_PATTERN = "EEEE d MMMM y"
_MOMENT_PATTERN = {"nl": "EEEE d MMMM y, HH.mm 'uur'", "en": "EEEE d MMMM y, HH:mm"}


def format_day(moment: datetime, language: str = "nl") -> str:
    """'vrijdag 1 december 2023' / 'Friday 1 December 2023', the day in Amsterdam."""
    from babel.dates import format_date as babel_date

    return babel_date(moment.astimezone(AMSTERDAM).date(), _DAY_PATTERN, locale=language_or_default(language))


def format_moment(moment: datetime, language: str = "nl") -> str:
    """'vrijdag 21 juni 2024, 10.00 uur' / 'Friday 21 June 2024, 10:00', in Amsterdam time."""
    from babel.dates import format_datetime

    language = language_or_default(language)
    return format_datetime(moment.astimezone(AMSTERDAM), _MOMENT_PATTERN[language], locale=language)


@dataclass(frozen=True)
class FormattedMoment:
    """A moment to be read later in the reader's language (a refusal's or a mail's value): :func:`format_moment`."""

    moment: datetime

    def text(self, language: str) -> str:
        return format_moment(self.moment, language)


def local_input(moment: datetime) -> str:
    """The value of an ``<input type="datetime-local">`` for ``moment``: Amsterdam wall-clock time."""
    return moment.astimezone(AMSTERDAM).strftime("%Y-%m-%dT%H:%M")


# marshmallow's own messages (4.x), as a person reads them in Dutch; anything not listed stays as it is.
_FIELD_MESSAGES_NL: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), dutch) for pattern, dutch in (
        (r"Missing data for required field\.", "Dit veld is verplicht."),
        (r"Field may not be null\.", "Dit veld mag niet leeg zijn."),
        (r"Invalid value\.", "Ongeldige waarde."),
        (r"Unknown field\.", "Onbekend veld."),
        (r"Invalid (input )?type\.", "Ongeldig type."),
        (r"Not a valid string\.", "Geen geldige tekst."),
        (r"Not a valid integer\.", "Geen geldig geheel getal."),
        (r"Not a valid number\.", "Geen geldig getal."),
        (r"Not a valid email address\.", "Geen geldig e-mailadres."),
        (r"Not a valid URL\.", "Geen geldige URL (begin met https://)."),
        (r"Not a valid boolean\.", "Geen geldige ja/nee-waarde."),
        (r"Not a valid list\.", "Geen geldige lijst."),
        (r"Not a valid (datetime|date)\.", "Geen geldige datum."),
        (r"Length must be between (?P<min>\d+) and (?P<max>\d+)\.", "Gebruik {min} tot {max} tekens."),
        (r"Length must be (?P<equal>\d+)\.", "Gebruik precies {equal} tekens."),
        (r"Longer than maximum length (?P<max>\d+)\.", "Gebruik hoogstens {max} tekens."),
        (r"Shorter than minimum length (?P<min>\d+)\.", "Gebruik minstens {min} tekens."),
        (r"Must be greater than or equal to (?P<min>[-\d.]+) and less than or equal to (?P<max>[-\d.]+)\.",
         "Kies een waarde van {min} tot en met {max}."),
        (r"Must be greater than or equal to (?P<min>[-\d.]+)\.", "Kies een waarde van minstens {min}."),
        (r"Must be less than or equal to (?P<max>[-\d.]+)\.", "Kies een waarde van hoogstens {max}."),
        (r"Must be one of: (?P<choices>.+)\.", "Kies een van: {choices}."),
        (r"String does not match expected pattern\.", "Dit heeft niet de verwachte vorm."),
    )
)


@dataclass(frozen=True)
class FieldMessage:
    """A marshmallow message to be read later, in the reader's language (a refusal's value)."""

    message: str

    def text(self, language: str) -> str:
        return field_message(self.message, language)


def field_message(message: str, language: str = "nl") -> str:
    """A marshmallow validation message in ``language``: Dutch by default, marshmallow's English on request."""
    if language_or_default(language) == "en":
        return message
    for pattern, dutch in _FIELD_MESSAGES_NL:
        found = pattern.fullmatch(message)
        if found:
            return dutch.format(**found.groupdict())
    return message

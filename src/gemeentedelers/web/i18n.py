"""Dutch (the default) and English for what people read: dates and moments (Babel, Europe/Amsterdam, with the
weekday: "vrijdag 21 juni 2024, 10.00 uur"), numbers ("0,5") and plurals ("1 inzending", "9 inzendingen") by
the language's own rules (Babel's CLDR data), and the choice of language."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any
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


def format_number(value: float | int | Decimal | Fraction, language: str = "nl", digits: int | None = None) -> str:
    """A number as ``language`` writes it: "0,5" and "1.250" in Dutch, "0.5" and "1,250" in English; with
    ``digits``, exactly that many decimals ("7,50"). A ``Fraction`` (a report's exact score) is divided out first."""
    from babel.numbers import format_decimal

    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    pattern = None if digits is None else "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=language_or_default(language))


def plural(n: int, one: str, other: str, language: str = "nl") -> str:
    """``one`` or ``other`` as Babel's plural rule for ``language`` picks for ``n``, with ``#`` replaced by the
    number ("# jurylid moet" / "# juryleden moeten"); a form without ``#`` gets the number in front
    ("1 inzending", "9 inzendingen")."""
    from babel import Locale

    chosen = one if Locale.parse(language_or_default(language)).plural_form(abs(n)) == "one" else other
    number = format_number(n, language)
    return chosen.replace("#", number) if "#" in chosen else f"{number} {chosen}"


class _TextFormatter(string.Formatter):
    """``str.format`` for catalogue texts: ``{n:plural:# inzending|# inzendingen}`` picks the plural form,
    ``{x:number}`` / ``{x:number:2}`` and any float or Decimal write the number in the language's way."""

    def __init__(self, language: str) -> None:
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> str:
        kind, _, rest = format_spec.partition(":")
        if kind == "plural":
            one, _, other = rest.partition("|")
            return plural(int(value), one, other or one, self.language)
        if kind == "number":
            return format_number(value, self.language, int(rest) if rest else None)
        if not format_spec and isinstance(value, float | Decimal | Fraction):
            return format_number(value, self.language)
        return super().format_field(value, format_spec)


def format_text(text: str, language: str = "nl", /, **values: Any) -> str:
    """A catalogue text with its values filled in, plurals and numbers in ``language`` (``_TextFormatter``)."""
    return _TextFormatter(language_or_default(language)).format(text, **values)


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

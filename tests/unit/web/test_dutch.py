"""Dutch that reads well: numbers and plurals through Babel (web/i18n), and no Dutch text a person reads with
"(en)"/"(s)" plurals, "jurylid/juryleden", a number formatted the English way, or the words the word list replaces
(onderbouwing, not bewijs; beoordeling, not assessment; beoordelaar, not scoorder)."""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import gemeentedelers
from gemeentedelers.export.texts import TEXTS as EXPORT_TEXTS
from gemeentedelers.people import consent
from gemeentedelers.web.i18n import format_number, format_text, plural
from gemeentedelers.web.messages import MESSAGES
from gemeentedelers.web.pages import translate

SOURCE = Path(gemeentedelers.__file__).resolve().parent
FORBIDDEN = (
    (re.compile(r"\w\((?:en|s|e|n)\)"), "a plural written as '(en)' or '(s)'"),
    (re.compile(r"\w+/\w+(?:en|s)\b"), "two forms with a slash ('jurylid/juryleden')"),
    (re.compile(r"\bbewijs", re.IGNORECASE), "'bewijs': the word is 'onderbouwing'"),
    (re.compile(r"\bassessment", re.IGNORECASE), "'assessment': the word is 'beoordeling'"),
    (re.compile(r"\bscoorder", re.IGNORECASE), "'scoorder': the word is 'beoordelaar'"),
)
SLASHES_ALLOWED = re.compile(r"https?://\S+|\b(?:en|of|and|or)/(?:of|en|or|and)\b|ja/nee|\{[^}]*\}")


def dutch_texts() -> list[tuple[str, str]]:
    """(where, text) for every Dutch text: the page catalogue, the export's texts, the consent texts shown now
    (older versions stay as people agreed to them) and the Dutch mail templates."""
    found = [(f"MESSAGES[{key!r}]", texts["nl"]) for key, texts in MESSAGES.items()]
    found += [(f"consent {p!r}", consent.current(p).text.nl) for p in consent.PURPOSES]
    found += [(f"export {key!r}", texts[0]) for key, texts in EXPORT_TEXTS.items()]
    found += [(path.name, path.read_text()) for path in sorted((SOURCE / "templates" / "mail").glob("*.nl.txt"))]
    return found


def problems(text: str) -> list[str]:
    cleaned = SLASHES_ALLOWED.sub(" ", text)
    return [why for pattern, why in FORBIDDEN if pattern.search(cleaned)]


@pytest.mark.parametrize(("where", "text"), dutch_texts(), ids=lambda v: v if len(v) < 60 else None)
def test_no_dutch_text_uses_a_forbidden_form(where: str, text: str) -> None:
    assert not problems(text), f"{where}: {problems(text)}: {text[:200]}"


@pytest.mark.parametrize("bad", ["9 inzending(en)", "winnaar(s)", "1 jurylid/juryleden moeten", "het bewijs",
                                 "de assessment", "een scoorder", "bevestigd(e) bezoek(en)"])
def test_the_check_finds_each_forbidden_form(bad: str) -> None:
    assert problems(bad)


@pytest.mark.parametrize("fine", ["ja/nee", "https://example.org/a/bestanden", "beoordelaars en assessoren",
                                  "{n:plural:# inzending|# inzendingen}"])
def test_the_check_leaves_good_dutch_alone(fine: str) -> None:
    assert not problems(fine)


def test_page_templates_leave_numbers_to_babel() -> None:
    """A page writes a number through the ``number`` filter, never with a Python format ("%.2f" gives "0.50")."""
    for path in sorted((SOURCE / "templates" / "pages").glob("*.html")):
        assert not re.search(r'"%[-\d.]*[fg]"\s*\|\s*format', path.read_text()), path.name


@pytest.mark.parametrize(("n", "nl", "en"), [(0, "0 inzendingen", "0 entries"), (1, "1 inzending", "1 entry"),
                                             (2, "2 inzendingen", "2 entries"), (1250, "1.250 inzendingen",
                                                                                 "1,250 entries")])
def test_plural_picks_the_form_and_writes_the_number(n: int, nl: str, en: str) -> None:
    assert plural(n, "inzending", "inzendingen", "nl") == nl
    assert plural(n, "entry", "entries", "en") == en


def test_plural_puts_the_number_where_the_form_says() -> None:
    assert plural(1, "# jurylid moet", "# juryleden moeten") == "1 jurylid moet"
    assert plural(3, "# jurylid moet", "# juryleden moeten") == "3 juryleden moeten"
    assert plural(5, "Deze casus gaat", "Deze # casussen gaan") == "Deze 5 casussen gaan"


@pytest.mark.parametrize(("value", "digits", "nl", "en"), [
    (0.5, None, "0,5", "0.5"), (7.25, 2, "7,25", "7.25"), (7.5, 2, "7,50", "7.50"), (Decimal("1234.5"), 1,
                                                                                     "1.234,5", "1,234.5"),
    (3, 0, "3", "3"), (-0.25, 1, "-0,2", "-0.2"), (Fraction(22, 3), 2, "7,33", "7.33"),
])
def test_numbers_are_written_the_languages_way(value: float, digits: int | None, nl: str, en: str) -> None:
    assert format_number(value, "nl", digits) == nl
    assert format_number(value, "en", digits) == en


def test_catalogue_texts_take_plurals_and_numbers() -> None:
    assert format_text("{n:plural:winnaar|winnaars} bekendgemaakt.", "nl", n=1) == "1 winnaar bekendgemaakt."
    assert format_text("{n:plural:winner|winners} announced.", "en", n=4) == "4 winners announced."
    assert format_text("{x} punt, {y:number:2}", "nl", x=0.5, y=3) == "0,5 punt, 3,00"
    assert format_text("ronde {round} van {year}", "nl", round=2, year=2024) == "ronde 2 van 2024"  # ints stay
    assert translate("nl", "r3_missing", n=1) == "1 jurylid moet nog rangschikken."
    assert translate("nl", "r3_missing", n=2) == "2 juryleden moeten nog rangschikken."
    assert translate("en", "r3_missing", n=1) == "1 juror still has to rank."
    assert translate("nl", "reminded_n", n=1).startswith("1 herinnering verstuurd")
    assert translate("nl", "calibration_bias_higher", points=format_number(0.5, "nl", 1)).count("0,5") == 1

"""Refusals a person reads: Dutch by default, English on request, and every key raised has both texts."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import gemeentedelers
from gemeentedelers.web.i18n import field_message
from gemeentedelers.web.messages import MESSAGES
from gemeentedelers.web.refusals import Refusal, explain

SOURCE = Path(gemeentedelers.__file__).resolve().parent


def refusal_classes() -> set[str]:
    """Names of Refusal and every subclass, after importing every core module (localcloud and demo aside)."""
    for module in pkgutil.walk_packages(gemeentedelers.__path__, "gemeentedelers."):
        if not module.name.startswith(("gemeentedelers.devtools.localcloud", "gemeentedelers.devtools.demo")):
            importlib.import_module(module.name)
    found: set[str] = set()
    todo: list[type] = [Refusal]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    return found


def raised_keys() -> set[tuple[str, str]]:
    """``(file, key)`` for every ``SomeRefusal("key", ...)`` in the core's source."""
    names = "|".join(sorted(refusal_classes() - {"FormRefused"}))
    call = re.compile(rf"\b(?:{names})\(\s*\"([a-z0-9_]+)\"")
    field_call = re.compile(r"\bFormRefused\(\s*[^,()]+,\s*\"([a-z0-9_]+)\"")  # FormRefused(field, key, ...)
    return {(str(path.relative_to(SOURCE)), key) for path in SOURCE.rglob("*.py")
            for pattern in (call, field_call) for key in pattern.findall(path.read_text(encoding="utf-8"))}


def test_refusals_are_raised_somewhere() -> None:
    assert len(raised_keys()) >= 4


@pytest.mark.parametrize(("where", "key"), sorted(raised_keys()))
def test_every_refusal_has_dutch_and_english(where: str, key: str) -> None:
    assert key in MESSAGES, f"{where} raises {key!r}, which is not in the page catalogue"
    assert MESSAGES[key].get("nl") and MESSAGES[key].get("en")


def test_a_refusal_reads_in_the_persons_language_and_english_elsewhere() -> None:
    refused = Refusal("csv_no_rows", source="jury.csv")
    assert refused.text("nl") == "jury.csv: geen rijen onder de kopregel"
    assert refused.text("en") == str(refused) == "jury.csv: no rows below the header"
    assert refused.text("fr") == refused.text("nl")  # an unknown language gets the default
    assert explain(refused, "nl") == refused.text("nl")
    assert explain(LookupError("no such entry"), "nl") == "no such entry"
    assert isinstance(refused, ValueError)  # callers that catch ValueError keep working


def test_a_key_missing_from_the_catalogue_still_says_what_was_refused() -> None:
    assert Refusal("no_such_key", n=3).text("nl") == "no_such_key: {'n': 3}"


@pytest.mark.parametrize(
    ("english", "dutch"),
    [
        ("Missing data for required field.", "Dit veld is verplicht."),
        ("Not a valid email address.", "Geen geldig e-mailadres."),
        ("Length must be between 2 and 100.", "Gebruik 2 tot 100 tekens."),
        ("Longer than maximum length 254.", "Gebruik hoogstens 254 tekens."),
        ("Must be greater than or equal to 1 and less than or equal to 40.", "Kies een waarde van 1 tot en met 40."),
        ("Must be one of: nl, en.", "Kies een van: nl, en."),
        ("Not a valid integer.", "Geen geldig geheel getal."),
        ("Something of our own.", "Something of our own."),
    ],
)
def test_marshmallow_messages_in_dutch(english: str, dutch: str) -> None:
    assert field_message(english) == dutch
    assert field_message(english, "en") == english

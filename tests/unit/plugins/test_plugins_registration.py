"""Cleaning a registration with an edition's rules (gemeentedelers.entries.registration.clean_registration).

Answers are keyed the way each form tool names them after intake.providers.parse: Typeform by ``ref``,
Tally by label (gd2022's form was Dutch), generic JSON by key.
"""

from __future__ import annotations

from typing import Any

import pytest

from gemeentedelers.editions import Edition, get_edition
from gemeentedelers.editions.specs import shipped_document
from gemeentedelers.entries.registration import RegistrationInvalid, clean_registration

DESCRIPTION = (
    "Inwoners spreken via een videoverbinding met een medewerker van de gemeente, zonder naar het "
    "stadskantoor te hoeven komen; 8.000 gesprekken in het eerste jaar."
)

CANONICAL_ANSWERS: dict[str, Any] = {
    "municipality": "Utrecht",
    "co_applicants": "Amersfoort; Zeist",
    "contact_name": "Fleur de Vries",
    "contact_email": "f.devries@utrecht.nl",
    "contact_phone": "+31 30 286 0000",
    "title": "Digitale balie op afspraak",
    "description": DESCRIPTION,
    "category": "Direct",
    "consent": True,
    "language": "Nederlands",
}

GD2022_TALLY_ANSWERS: dict[str, Any] = {
    "Gemeente": "Utrecht",
    "Mede-indieners": "Amersfoort\nZeist",
    "Naam contactpersoon": "Fleur de Vries",
    "E-mailadres": "f.devries@utrecht.nl",
    "Telefoonnummer": "+31 30 286 0000",
    "Naam van het initiatief": "Digitale balie op afspraak",
    "Korte omschrijving": DESCRIPTION,
    "Categorie": "Direct",
    "Toestemming": True,
    "Taal": "Nederlands",
}

CLEANED = {
    "municipality": "Utrecht",
    "co_applicants": ["Amersfoort", "Zeist"],
    "contact_name": "Fleur de Vries",
    "contact_email": "f.devries@utrecht.nl",
    "contact_phone": "+31 30 286 0000",
    "title": "Digitale balie op afspraak",
    "description": DESCRIPTION,
    "category": "direct",
    "consent": True,
    "consent_publication": False,
    "consent_version": None,
    "language": "nl",
}
MAX_DESCRIPTION_CHARS = (shipped_document("gd2022") or {})["registration"]["max_description_chars"]


def invalid(answers: dict[str, Any], edition: str, provider: str) -> dict[str, dict[str, Any]]:
    with pytest.raises(RegistrationInvalid) as raised:
        clean_registration(answers, get_edition(edition), provider)
    return raised.value.errors


@pytest.mark.parametrize(
    ("edition", "provider", "answers"),
    [
        ("gd2022", "typeform", CANONICAL_ANSWERS),
        ("gd2022", "tally", GD2022_TALLY_ANSWERS),
        ("gd2022", "generic", CANONICAL_ANSWERS),
        ("gd2024", "typeform", CANONICAL_ANSWERS),
        ("gd2024", "tally", CANONICAL_ANSWERS),
        ("gd2024", "generic", CANONICAL_ANSWERS),
    ],
)
def test_a_good_registration_is_cleaned_from_each_providers_field_names(
    edition: str, provider: str, answers: dict[str, Any]
) -> None:
    assert clean_registration(answers, get_edition(edition), provider) == CLEANED


def test_gd2022_tally_needs_the_dutch_labels() -> None:
    errors = invalid(CANONICAL_ANSWERS, "gd2022", "tally")
    assert errors["municipality"]["form_field"] == "Gemeente"
    assert errors["contact_email"]["form_field"] == "E-mailadres"


def test_every_bad_field_is_named_at_once_with_the_forms_field_name() -> None:
    answers = {
        **GD2022_TALLY_ANSWERS,
        "E-mailadres": "fleur at utrecht",
        "Telefoonnummer": "bel me maar",
        "Naam van het initiatief": "ab",
        "Toestemming": False,
        "Categorie": "Overig",
    }
    del answers["Gemeente"]
    errors = invalid(answers, "gd2022", "tally")
    assert {field: error["form_field"] for field, error in errors.items()} == {
        "municipality": "Gemeente",
        "contact_email": "E-mailadres",
        "contact_phone": "Telefoonnummer",
        "title": "Naam van het initiatief",
        "consent": "Toestemming",
        "category": "Categorie",
    }
    assert errors["contact_email"]["messages"] == ["Not a valid email address."]
    assert errors["consent"]["messages"] == ["Consent is required to take part."]
    assert errors["category"]["messages"] == ["Unknown category 'Overig'; one of: Direct, Indirect."]
    assert all(error["messages"] for error in errors.values())


@pytest.mark.parametrize("answer", ["Indirect", "indirect", " INDIRECT ", "InDirect"])
def test_a_category_label_or_key_is_stored_as_the_key(answer: str) -> None:
    cleaned = clean_registration({**CANONICAL_ANSWERS, "category": answer}, get_edition("gd2024"), "generic")
    assert cleaned["category"] == "indirect"


@pytest.mark.parametrize("edition", ["gd2022", "gd2024"])
def test_the_short_description_rule_of_gd2022_applies_to_gd2024_through_extends(edition: str) -> None:
    at_limit = ("Een korte omschrijving. " * 100)[:MAX_DESCRIPTION_CHARS]
    assert len(at_limit) == 1500
    cleaned = clean_registration({**CANONICAL_ANSWERS, "description": at_limit}, get_edition(edition), "generic")
    assert cleaned["description"] == at_limit

    errors = invalid({**CANONICAL_ANSWERS, "description": at_limit + "xy"}, edition, "generic")
    assert errors == {
        "description": {
            "form_field": "description",
            "messages": ["The short description has 1502 characters; at most 1500."],
        }
    }


def test_the_short_description_rule_names_the_dutch_tally_field_in_gd2022() -> None:
    errors = invalid({**GD2022_TALLY_ANSWERS, "Korte omschrijving": "x" * 1501}, "gd2022", "tally")
    assert errors["description"]["form_field"] == "Korte omschrijving"


def test_edition_rule_errors_are_reported_together_with_schema_errors() -> None:
    answers = {**CANONICAL_ANSWERS, "contact_email": "fleur at utrecht", "description": "x" * 1501}
    assert set(invalid(answers, "gd2024", "generic")) == {"contact_email", "description"}


def test_a_municipality_cannot_co_apply_with_itself() -> None:
    errors = invalid({**CANONICAL_ANSWERS, "co_applicants": "Zeist, utrecht"}, "gd2024", "generic")
    assert errors == {
        "co_applicants": {
            "form_field": "co_applicants",
            "messages": ["A municipality cannot be a co-applicant of its own entry."],
        }
    }


def test_language_defaults_to_the_editions_and_accepts_names() -> None:
    edition: Edition = get_edition("gd2024")
    without = {k: v for k, v in CANONICAL_ANSWERS.items() if k != "language"}
    assert clean_registration(without, edition, "generic")["language"] == "nl"
    assert clean_registration({**without, "language": "English"}, edition, "generic")["language"] == "en"
    assert invalid({**without, "language": "Frysk"}, "gd2024", "generic")["language"]["messages"] == [
        "Use 'nl' or 'en'."
    ]


def test_optional_answers_may_be_empty_and_unmapped_answers_are_ignored() -> None:
    answers = {**CANONICAL_ANSWERS, "contact_phone": "  ", "co_applicants": "", "utm_source": "nieuwsbrief"}
    cleaned = clean_registration(answers, get_edition("gd2024"), "typeform")
    assert cleaned["contact_phone"] is None
    assert cleaned["co_applicants"] == []
    assert "utm_source" not in cleaned


def test_the_consent_version_the_form_showed_must_exist() -> None:
    errors = invalid({**CANONICAL_ANSWERS, "consent_version": "1999-9"}, "gd2024", "generic")
    assert list(errors) == ["consent_version"] and "2024-1" in errors["consent_version"]["messages"][0]
    cleaned = clean_registration({**CANONICAL_ANSWERS, "consent_version": "2024-1", "consent_publication": "yes"},
                                 get_edition("gd2024"), "generic")
    assert cleaned["consent_version"] == "2024-1" and cleaned["consent_publication"] is True

"""The public dossier's free-text check: e-mail addresses (round 1's own pattern), phone numbers, known names."""

from __future__ import annotations

import pytest

from gemeentedelers.entries.anonymity import scrubbed
from gemeentedelers.export.redact import Redactor, keep

PHONE = "[telefoonnummer verwijderd]"


@pytest.mark.parametrize("number", [
    "06-12345678", "06 1234 5678", "0612345678", "030-2860000", "(030) 286 00 00", "030 286 0000",
    "+31 6 12345678", "+31612345678", "+31 (0)30 286 0000", "0031 6 1234 5678", "+32 2 123 45 67",
    "06.12.34.56.78", "0318/680000",
])
def test_phone_numbers_are_removed(number: str) -> None:
    assert Redactor()(f"Bel {number}, graag.") == f"Bel {PHONE}, graag."


@pytest.mark.parametrize("value", [
    "Gestart op 01-02-2024 10:00 uur", "op 1.2.24 10:15", "van 01/02/2024 09 tot 12 uur",
    "in 2023-2024 en 2019 2020 2021", "1.250.000 euro voor 12.500 inwoners",
    "kvk 12345678", "zaak Z-2023-0012345", "iban NL91ABNA0417164300", "postcode 3511 AB", "versie 0.1.2",
    "https://www.example.org/sub-0123456789/onderbouwing.pdf",
])
def test_numbers_that_are_not_phone_numbers_stay(value: str) -> None:
    assert Redactor()(value) == value


def test_email_addresses_are_found_by_round_1s_own_check() -> None:
    assert Redactor()("Mail f.devries@utrecht.nl of info+gd@vng.nl (liefst vandaag)") == \
        "Mail [e-mailadres verwijderd] of [e-mailadres verwijderd] (liefst vandaag)"
    # one idea of what an address is: what round 1 removes from the mailed tips and tops, the dossier removes too
    text = "Vraag het j.jansen@gemeente.example.nl"
    assert ("@" in scrubbed(text)) == ("@" in Redactor()(text)) is False


def test_known_names_are_removed_whole_words_any_case() -> None:
    redact = Redactor(["Fleur de Vries", "Jan", "Anouk Assessor", ""], language="en")
    assert redact("Ask FLEUR DE VRIES or anouk assessor.") == "Ask [name removed] or [name removed]."
    assert redact("Fleur de Vriesland") == "[name removed] de Vriesland"  # whole words only: the first name goes
    assert redact("januari, ik ben er") == "januari, ik ben er"  # ordinary words stay
    assert redact("Mail a@b.nl, call 06-12345678") == "Mail [e-mail address removed], call [phone number removed]"


def test_empty_text_and_the_organisers_identity() -> None:
    assert Redactor()(None) == "" and Redactor()("") == ""
    assert keep(None) == "" and keep("f.devries@utrecht.nl 06-12345678") == "f.devries@utrecht.nl 06-12345678"


def test_first_names_and_surnames_alone_are_removed_as_tokens() -> None:
    redact = Redactor(["Fleur de Vries", "Jan Bakker", "Anne-Marie van der Berg"], language="en")
    assert redact("Fleur presented; Vries and de Vries answered.") == (
        "[name removed] presented; [name removed] and [name removed] answered.")
    assert redact("Jan called Bakker and Anne-Marie; van der Berg agreed.") == (
        "[name removed] called [name removed] and [name removed]; [name removed] agreed.")
    assert redact("In januari ben ik er; de fleur is eraf; de bakkerij, Vriesland en Bergen.") == (
        "In januari ben ik er; de fleur is eraf; de bakkerij, Vriesland en Bergen.")  # words, places, lower case
    assert redact("De Anne-Marieke school") == "De Anne-Marieke school"


def test_name_tokens_leave_particles_and_initials() -> None:
    from gemeentedelers.export.redact import tokens

    assert tokens("Fleur de Vries") == {"Fleur", "Vries", "de Vries"}
    assert tokens("J. van der Berg") == {"Berg", "van der Berg"}
    assert tokens("Jan") == {"Jan"}

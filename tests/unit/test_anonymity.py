"""Contact data in free text: one definition for the feedback mailed to entrants and the public dossier."""

from __future__ import annotations

import pytest

from gemeentedelers.entries.anonymity import scrub, scrubbed


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Mail jan.de.vries@zeist.nl.", "Mail E."),  # the sentence's full stop stays
        ("Zie info@gemeente.example.org voor meer", "Zie E voor meer"),
        ("Bel 06-12345678 of +31 30 286 00 00", "Bel P of P"),
        ("Sinds 01-02-2024 draait het, 8.000 gesprekken", "Sinds 01-02-2024 draait het, 8.000 gesprekken"),
        ("Zaak sub-0123456789 op https://example.org/0301234567", "Zaak sub-0123456789 op https://example.org/0301234567"),
    ],
)
def test_scrub_removes_addresses_and_phone_numbers_only(text: str, expected: str) -> None:
    assert scrub(text, "E", "P") == expected


def test_round1_feedback_loses_phone_numbers_as_well_as_addresses() -> None:
    cleaned = scrubbed("Bel de trekker op 030-2860000 of mail trekker@houten.nl. ")
    assert cleaned == "Bel de trekker op [telefoonnummer verwijderd] of mail [e-mailadres verwijderd]."

"""What the public ``winners.announced`` event (and so every sponsor) carries of a winner."""

from __future__ import annotations

from gemeentedelers.jury.round3 import _public


def test_a_winners_description_reaches_the_public_without_addresses_or_phone_numbers() -> None:
    entry = {"submission_id": "sub-1", "title": "Schuldhulp", "municipality": "Almere",
             "description": "Vragen? Mail j.devries@almere.nl of bel 06-12345678. Het werkt al twee jaar."}
    public = _public(entry, "direct", "GemeenteDelers 2024, categorie Direct")
    assert public["description"] == ("Vragen? Mail [e-mailadres verwijderd] of bel [telefoonnummer verwijderd]. "
                                     "Het werkt al twee jaar.")
    assert "@" not in str(public) and "12345678" not in str(public)
    assert {k: public[k] for k in ("submission_id", "title", "municipality", "category")} == {
        "submission_id": "sub-1", "title": "Schuldhulp", "municipality": "Almere", "category": "direct"}

"""Organisation names compared as organisations, against the official list of municipalities shipped as data."""

from __future__ import annotations

import pytest

from gemeentedelers.editions import get_edition
from gemeentedelers.people import organisations
from gemeentedelers.people.organisations import check, keys, register, same


def test_the_list_is_cbs_on_1_january_2024_with_its_source() -> None:
    found = register()
    assert len(found) == 342 == found.about["count"]
    assert found.about["valid_on"] == "2024-01-01" and "CBS" in found.about["source"]
    assert found.municipalities["GM0363"].name == "Amsterdam"
    assert found.municipalities["GM1992"].name == "Voorne aan Zee"  # formed 1 January 2023
    assert all(code.startswith("GM") and len(code) == 6 for code in found.municipalities)
    assert "GM0457" not in found.municipalities  # Weesp is part of Amsterdam since 24 March 2022


@pytest.mark.parametrize(("written", "official"), [
    ("Gemeente Almere", "Almere"), ("gem. Almere", "Almere"), ("ALMERE", "Almere"), ("De gemeente Almere", "Almere"),
    ("Almere gemeente", "Almere"), ("'s-Gravenhage", "'s-Gravenhage"), ("Den Haag", "'s-Gravenhage"),
    ("gem. Den Haag", "'s-Gravenhage"), ("s Gravenhage", "'s-Gravenhage"), ("Den Bosch", "'s-Hertogenbosch"),
    ("Gemeente 's-Hertogenbosch", "'s-Hertogenbosch"), ("Gemeente Súdwest-Fryslân", "Súdwest-Fryslân"),
    ("Sudwest Fryslan", "Súdwest-Fryslân"), ("Zuidwest-Friesland", "Súdwest-Fryslân"), ("Hengelo", "Hengelo (O.)"),
    ("Middelburg", "Middelburg (Z.)"), ("Nuenen", "Nuenen, Gerwen en Nederwetten"), ("Gemert-Bakel", "Gemert-Bakel"),
])
def test_a_municipality_is_found_however_it_is_written(written: str, official: str) -> None:
    assert check(written) == {"status": "municipality", "code": check(official)["code"], "name": official}
    assert same(written, official)


@pytest.mark.parametrize(("former", "now"), [
    ("Weesp", ["Amsterdam"]), ("Gemeente Heerhugowaard", ["Dijk en Waard"]), ("Uden", ["Maashorst"]),
    ("Grave", ["Land van Cuijk"]), ("Hellevoetsluis", ["Voorne aan Zee"]), ("Delfzijl", ["Eemsdelta"]),
    ("Beemster", ["Purmerend"]), ("Haaren", ["Boxtel", "Oisterwijk", "Tilburg", "Vught"]),
])
def test_a_municipality_merged_since_2021_is_its_successor(former: str, now: list[str]) -> None:
    found = check(former)
    assert found["status"] == "merged" and sorted(found["names"]) == now
    assert all(same(former, name) for name in now)


def test_other_organisations_are_flagged_not_refused_and_compared_by_their_folded_name() -> None:
    assert check("Ministerie van BZK") == {"status": "not_a_municipality"}
    assert organisations.flagged(check("Ministerie van BZK")) and not organisations.flagged(check("Almere"))
    assert same("Ministerie van BZK", "ministerie van  BZK.") and not same("Ministerie van BZK", "Almere")
    assert check("Bergen")["status"] == "ambiguous"  # Bergen (L.) or Bergen (NH.): both count in a conflict
    assert same("Bergen", "Bergen (NH.)") and same("Bergen", "Bergen (L.)") and not same("Bergen (L.)", "Bergen (NH.)")
    assert keys(["", None, "Almere"]) == keys("Almere")


@pytest.mark.parametrize("organisation", ["Gemeente Almere", "gem. almere", "ALMERE"])
def test_a_scorer_of_gemeente_almere_does_not_get_almeres_entry(organisation: str) -> None:
    edition = get_edition("gd2024")
    entry = {"municipality": "Almere", "co_applicants": ["Lelystad"]}
    assert edition.conflicts_of_interest({"organisation": organisation}, entry) == ["own organisation"]
    assert edition.conflicts_of_interest({"organisation": "Gemeente Lelystad"}, entry) == [
        "own organisation is a co-applicant"]
    assert edition.conflicts_of_interest({"organisation": "Gemeente Zwolle"}, entry) == []


def test_den_haag_and_s_gravenhage_are_one_entrant() -> None:
    edition = get_edition("gd2024")
    assert edition.conflicts_of_interest({"organisation": "gem. Den Haag"}, {"municipality": "'s-Gravenhage"})
    problems = edition.validate_registration({"municipality": "Den Haag", "co_applicants": ["'s-Gravenhage"]})
    assert [p.field for p in problems] == ["co_applicants"]

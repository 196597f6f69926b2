"""The demo's generated registrations are valid for the edition they are posted to."""

from __future__ import annotations

from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.entries.registration import clean_registration


def test_generated_registrations_are_valid_and_reproducible() -> None:
    edition = get_edition("gd2024")
    batch = registrations(64, seed=7)
    assert batch == registrations(64, seed=7)
    assert len({r["contact_email"] for r in batch}) == 64
    for fields in batch:
        clean_registration(fields, edition, "generic")

"""The add-organiser form's field checks are the account schema's own, each field named."""

from __future__ import annotations

import pytest

from gemeentedelers.people import organisers


@pytest.mark.parametrize(("email", "name", "role", "bad"), [
    ("lea@vng.test", "Lea Leider", "observer", []),
    (" lea@vng.test ", " Lea Leider ", "observer", []),  # surrounding spaces are not a mistake
    ("lea@", "Lea Leider", "observer", ["email"]),
    ("lea@vng.test", "L", "observer", ["name"]),
    ("lea@vng.test", "Lea Leider", "baas", ["role"]),
    ("", "", "", ["name", "email", "role"]),
    ("a" * 250 + "@x.nl", "L" * 101, "coordinator", ["name", "email"]),
])
def test_every_refused_field_is_named(email: str, name: str, role: str, bad: list[str]) -> None:
    assert organisers.account_problems(email, name, role) == bad


@pytest.mark.parametrize(("email", "fine"), [("kim@vng.test", True), (" kim@vng.test", True), ("kim@", False),
                                             ("", False), ("kim vng.test", False)])
def test_a_well_formed_address_is_one_an_account_may_have(email: str, fine: bool) -> None:
    assert organisers.well_formed_address(email) is fine

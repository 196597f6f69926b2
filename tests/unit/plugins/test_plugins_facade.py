"""The facade the services ask (gemeentedelers.editions.Edition): complete field maps, category lookup,
collected validation, and the checks that make a broken edition fail at start-up."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from types import ModuleType

import pluggy
import pytest
from gemeentedelers.plugins import defaults, manager
from gemeentedelers.plugins.api import REGISTRATION_FIELDS, Category, FieldError, Text

from gemeentedelers import editions
from gemeentedelers.editions import Edition, EditionConfigError, get_edition

MakeEdition = Callable[..., ModuleType]
InstallEditions = Callable[..., dict[str, int]]


@pytest.fixture
def load(make_edition: MakeEdition, install_editions: InstallEditions) -> Callable[..., Edition]:
    """``load(**hooks)``: the facade over gd2030 (extending a complete gd2029) with ``hooks`` added to gd2030."""

    def build(**hooks: Callable[..., object]) -> Edition:
        install_editions(
            {"gd2029": make_edition("gd2029"), "gd2030": make_edition("gd2030", extends="gd2029", **hooks)}
        )
        return Edition("gd2030", manager.build_plugin_manager("gd2030"))

    return build


# --- field_map ------------------------------------------------------------------------------------------------


def test_field_map_is_complete_for_every_canonical_field(load: Callable[..., Edition]) -> None:
    edition = load(
        gd_registration_field_map=lambda provider: {"contact_email": "email"} if provider == "typeform" else None
    )
    typeform = edition.field_map("typeform")
    assert list(typeform) == list(REGISTRATION_FIELDS)
    assert typeform["contact_email"] == "email"
    assert {k: v for k, v in typeform.items() if k != "contact_email"} == {
        f: f for f in REGISTRATION_FIELDS if f != "contact_email"
    }
    assert edition.field_map("tally") == {f: f for f in REGISTRATION_FIELDS}


def test_field_map_is_complete_even_when_the_answer_is_empty(load: Callable[..., Edition]) -> None:
    edition = load(gd_registration_field_map=lambda: {})
    assert edition.field_map("generic") == {f: f for f in REGISTRATION_FIELDS}


def test_field_map_rejects_unknown_mapped_fields(load: Callable[..., Edition]) -> None:
    edition = load(gd_registration_field_map=lambda: {"telefoon": "Telefoon", "municipality": "Gemeente"})
    with pytest.raises(EditionConfigError, match=r"maps unknown fields: \['telefoon'\]"):
        edition.field_map("tally")
    with pytest.raises(EditionConfigError):
        edition.check()


# --- category -------------------------------------------------------------------------------------------------


def test_category_is_found_by_key_or_label_in_either_language_in_any_case(load: Callable[..., Edition]) -> None:
    edition = load(
        gd_categories=lambda: [
            Category("digital", Text("Digitaal", "Digital"), Text("Online.")),
            Category("counter", Text("Balie", "Front desk"), Text("Aan de balie.")),
        ]
    )
    for answer in ("counter", "COUNTER", "Balie", "balie", "  BALIE ", "Front desk", "front DESK"):
        found = edition.category(answer)
        assert found is not None and found.key == "counter", answer
    assert edition.category("Digital").key == "digital"  # type: ignore[union-attr]
    assert edition.category("Loket") is None
    assert edition.category("") is None


def test_category_with_an_english_label_missing_is_found_by_its_dutch_label(load: Callable[..., Edition]) -> None:
    edition = load(gd_categories=lambda: [Category("wijk", Text("Wijkgericht"), Text("In de wijk."))])
    assert edition.category("WIJKGERICHT").key == "wijk"  # type: ignore[union-attr]
    assert edition.category("") is None


# --- validate_registration ------------------------------------------------------------------------------------


def test_validate_registration_collects_errors_from_every_plugin(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    def base_rule(registration: Mapping[str, object]) -> Sequence[FieldError]:
        return [FieldError("title", Text("Titel te kort."))]

    def edition_rule() -> Sequence[FieldError]:
        return [FieldError("description", Text("Omschrijving te lang.")), FieldError("category", Text("Nee."))]

    install_editions(
        {
            "gd2029": make_edition("gd2029", gd_validate_registration=base_rule),
            "gd2030": make_edition("gd2030", extends="gd2029", gd_validate_registration=edition_rule),
        }
    )
    edition = Edition("gd2030", manager.build_plugin_manager("gd2030"))
    errors = edition.validate_registration({"municipality": "Utrecht", "co_applicants": ["Utrecht"]})
    assert sorted(e.field for e in errors) == ["category", "co_applicants", "description", "title"]
    assert all(isinstance(e, FieldError) for e in errors)


def test_validate_registration_with_no_problems_is_an_empty_list(load: Callable[..., Edition]) -> None:
    assert load().validate_registration({"municipality": "Utrecht", "co_applicants": ["Zeist"]}) == []


# --- required hooks and the cache -----------------------------------------------------------------------------


def test_check_asks_every_required_hook(make_edition: MakeEdition, install_editions: InstallEditions) -> None:
    install_editions({"gd2030": make_edition("gd2030", complete=False)})
    with pytest.raises(EditionConfigError, match="has no timeline"):
        Edition("gd2030", manager.build_plugin_manager("gd2030")).check()


@pytest.mark.parametrize(
    ("hooks", "message"),
    [
        ({"gd_criteria": lambda round: [] if round == 2 else None}, "has no round-2 criteria"),
        ({"gd_evidence_fields": lambda: []}, "asks for no round-2 evidence"),
    ],
)
def test_check_asks_the_round2_hooks(load: Callable[..., Edition], hooks: dict[str, object], message: str) -> None:
    with pytest.raises(EditionConfigError, match=message):
        load(**hooks).check()


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("gd_evidence_fields", "asks for no round-2 evidence"),
        ("gd_interview_guide", "has no interview guide"),
        ("gd_assessment_rules", "has no assessment rules"),
        ("gd_finalist_rule", "has no finalist rule"),
        ("gd_jury_rule", "has no jury rule"),
    ],
)
def test_check_fails_without_a_required_round2_or_round3_hook(
    make_edition: MakeEdition,
    install_editions: InstallEditions,
    monkeypatch: pytest.MonkeyPatch,
    missing: str,
    message: str,
) -> None:
    """With neither the edition nor the defaults answering, the check fails at start-up, naming what is missing."""
    monkeypatch.setattr(defaults, missing, lambda: None)  # an unmarked function is no hook implementation
    install_editions({"gd2030": make_edition("gd2030")})
    with pytest.raises(EditionConfigError, match=message):
        Edition("gd2030", manager.build_plugin_manager("gd2030")).check()


def test_an_edition_without_categories_fails_the_check(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    with_timeline = make_edition("gd2030")  # complete: answers gd_timeline too
    module = make_edition("gd2030", complete=False, gd_timeline=with_timeline.gd_timeline)
    install_editions({"gd2030": module})
    with pytest.raises(EditionConfigError, match="has no categories"):
        Edition("gd2030", manager.build_plugin_manager("gd2030")).check()


def test_get_edition_loads_checks_and_caches(make_edition: MakeEdition, install_editions: InstallEditions) -> None:
    loads = install_editions({"gd2030": make_edition("gd2030")})
    first = get_edition("gd2030")
    assert get_edition("gd2030") is first
    assert loads == {"gd2030": 1}
    assert editions._cache == {"gd2030": first}
    assert first.key == "gd2030"
    assert first.criteria(1)[0].key == "succesvol"


def test_criteria_of_an_unanswered_round_are_empty(load: Callable[..., Edition]) -> None:
    assert load().criteria(3) == ()


def test_the_facade_is_typed_over_a_plain_plugin_manager(load: Callable[..., Edition]) -> None:
    edition = load()
    assert isinstance(edition.pm, pluggy.PluginManager)
    assert edition.info is edition.info  # computed once

"""Editions as documents (gemeentedelers.editions.spec and .specs): validation by path, the canonical form and
its hash, ``extends``, and the committed JSON Schema."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from gemeentedelers.devtools.schemas import edition_schema
from gemeentedelers.editions import from_spec, get_edition
from gemeentedelers.editions.spec import SpecInvalid, canonical_json, spec_hash, validate_spec
from gemeentedelers.editions.specs import dump_yaml, load_shipped, merge, parse, resolve, shipped_document

SCHEMA_FILE = Path(__file__).resolve().parents[3] / "docs" / "edition.schema.json"


@pytest.fixture
def gd2024() -> dict:
    return copy.deepcopy(load_shipped("gd2024"))


def problems(document: dict) -> dict[str, str]:
    with pytest.raises(SpecInvalid) as refused:
        validate_spec(document)
    return {p.path: p.message for p in refused.value.problems}


def test_every_bad_field_is_named_by_its_path_and_nothing_else_is(gd2024: dict) -> None:
    gd2024["categories"].append({"key": "Nieuw!", "label": {"en": "New"}, "description": "Iets nieuws."})
    gd2024["criteria"]["round1"][1]["scale_max"] = 1
    gd2024["timeline"]["round1_decided"] = "2023-11-01T12:00"
    gd2024["jury_rule"]["method"] = "dice"
    gd2024["colour"] = "blue"
    found = problems(gd2024)
    assert found == {
        "categories[2].key": "Use lower-case letters, digits and '_', starting with a letter.",
        "categories[2].label.nl": "Missing data for required field.",
        "criteria.round1[1].scale_max": "Must be above scale_min.",
        "timeline.round1_decided": "Must not be before registration_closes.",
        "jury_rule.method": "Must be one of: borda, points, mean_score.",
        "colour": "Unknown field.",
    }


def test_consistency_across_sections_is_checked(gd2024: dict) -> None:
    gd2024["round1_rules"]["category_quotas"] = {"direct": 10, "elders": 10}
    gd2024["categories"].append(dict(gd2024["categories"][0]))
    gd2024["jury_rule"] = {"method": "mean_score"}
    found = problems(gd2024)
    assert found["categories[2].key"] == "'direct' appears twice in categories."
    assert found["round1_rules.category_quotas"] == "Unknown categories: elders."
    assert found["criteria.round3"] == "A jury that scores (mean_score) needs round-3 criteria."


def test_dutch_messages_for_the_page() -> None:
    with pytest.raises(SpecInvalid) as refused:
        validate_spec({"key": "gd2026"})
    title = next(p for p in refused.value.problems if p.path == "title")
    assert title.text("nl") == "Dit veld is verplicht." and title.text("en") == "Missing data for required field."


def test_the_canonical_form_survives_export_and_publish_unchanged(gd2024: dict) -> None:
    again = validate_spec(parse(dump_yaml(gd2024)))
    assert again == gd2024 and spec_hash(again) == spec_hash(gd2024)
    assert validate_spec(json.loads(canonical_json(gd2024))) == gd2024
    assert spec_hash(gd2024).startswith("sha256:") and len(spec_hash(gd2024)) == 71
    changed = copy.deepcopy(gd2024)
    changed["categories"][0]["label"]["en"] = "Directly"
    assert spec_hash(changed) != spec_hash(gd2024)


def test_yaml_shorthands_read_as_amsterdam_time_and_plain_dutch_text(gd2024: dict) -> None:
    text = dump_yaml(gd2024).replace("registration_opens: '2023-09-01T00:00:00+02:00'",
                                     "registration_opens: 2023-09-01")
    text = text.replace("  label:\n    nl: Direct\n    en: Direct\n", "  label: Direct\n", 1)
    again = validate_spec(parse(text))
    assert again["timeline"]["registration_opens"] == "2023-09-01T00:00:00+02:00"
    assert again["categories"][0]["label"] == {"nl": "Direct", "en": ""}


def test_extends_merges_maps_replaces_lists_and_null_removes() -> None:
    base = {"key": "a", "timeline": {"x": 1, "y": 2}, "categories": [1, 2], "field_maps": {"tally": {"m": "M"}}}
    child = {"extends": "a", "key": "b", "timeline": {"y": 3}, "categories": [9], "field_maps": {"tally": None}}
    resolved, chain = resolve(child, {"a": base}.get)
    assert resolved == {"key": "b", "timeline": {"x": 1, "y": 3}, "categories": [9], "field_maps": {}}
    assert chain == ["b", "a"]
    assert merge({"a": {"b": 1}}, {"a": {"c": 2}}) == {"a": {"b": 1, "c": 2}}


@pytest.mark.parametrize(("documents", "message"), [
    ({"a": {"key": "a", "extends": "b"}, "b": {"key": "b", "extends": "a"}}, "circular: a -> b -> a"),
    ({"a": {"key": "a", "extends": "zz"}}, "unknown edition 'zz'"),
])
def test_a_broken_extends_is_refused(documents: dict, message: str) -> None:
    with pytest.raises(SpecInvalid, match=message):
        resolve(documents["a"], documents.get)


def test_the_shipped_gd2024_extends_gd2022_and_resolves_to_a_whole_spec() -> None:
    document = shipped_document("gd2024")
    assert document is not None and document["extends"] == "gd2022" and "categories" not in document
    spec = load_shipped("gd2024")
    assert "extends" not in spec and [c["key"] for c in spec["categories"]] == ["direct", "indirect"]
    assert spec["field_maps"]["tally"] == {} and spec["plugins"] == ["gd2022"]
    assert get_edition("gd2024").spec == spec and get_edition("gd2024").spec_hash == spec_hash(spec)


def test_a_spec_edition_is_loaded_once_per_content(gd2024: dict) -> None:
    assert from_spec(gd2024) is from_spec(copy.deepcopy(gd2024))
    gd2024["title"]["nl"] = "GemeenteDelers 2024 (herzien)"
    assert from_spec(gd2024).info.title.nl == "GemeenteDelers 2024 (herzien)"


def test_the_committed_json_schema_is_the_generated_one() -> None:
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert committed == json.loads(json.dumps(edition_schema())), (
        "regenerate docs/edition.schema.json: python -c 'import json; from gemeentedelers.devtools.schemas import "
        "edition_schema; print(json.dumps(edition_schema(), indent=2, ensure_ascii=False, sort_keys=True))'")


@pytest.mark.parametrize("key", ["gd2022", "gd2024"])
def test_the_json_schema_accepts_the_shipped_specs_and_refuses_a_bad_one(key: str) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    document = shipped_document(key)
    jsonschema.validate(document, schema)
    jsonschema.validate(load_shipped(key), schema)
    broken = yaml.safe_load(yaml.safe_dump(load_shipped(key)))
    broken["jury_rule"]["method"] = "dice"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_the_evidence_deadline_lies_between_round_1_and_round_2s_decision(gd2024: dict) -> None:
    assert gd2024["timeline"]["evidence_due"] == "2024-03-01T17:00:00+01:00"
    early = copy.deepcopy(gd2024)
    early["timeline"]["evidence_due"] = "2024-01-05T12:00"
    assert problems(early) == {"timeline.evidence_due": "Must not be before round1_decided."}
    at_decision = copy.deepcopy(gd2024)
    at_decision["timeline"]["evidence_due"] = gd2024["timeline"]["round2_decided"]
    assert problems(at_decision) == {
        "timeline.evidence_due": "Must lie after round1_decided and before round2_decided (and the visits)."}
    with pytest.raises(SpecInvalid) as refused:
        validate_spec(at_decision)
    assert refused.value.problems[0].text("nl") == (
        "Moet na round1_decided en vóór round2_decided (en de bezoeken) liggen.")


def test_an_edition_without_an_evidence_deadline_has_its_evidence_due_at_round_2s_decision(gd2024: dict) -> None:
    edition = from_spec(validate_spec(gd2024))
    assert edition.timeline.evidence_deadline.isoformat() == "2024-03-01T17:00:00+01:00"
    assert list(edition.timeline.milestones())[3] == "evidence_due"
    del gd2024["timeline"]["evidence_due"]
    spec = validate_spec(gd2024)
    assert "evidence_due" not in spec["timeline"]
    without = from_spec(spec).timeline
    assert without.evidence_due is None and without.evidence_deadline == without.round2_decided
    assert "evidence_due" not in without.milestones()

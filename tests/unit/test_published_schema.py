"""The published JSON Schema of ``winners.announced`` is the marshmallow schema's, and accepts its sample."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema

from gemeentedelers.devtools import schemas

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_the_committed_schema_is_generated_from_the_catalogue() -> None:
    assert schemas.path().read_text(encoding="utf-8") == schemas.text(), (
        "docs/schemas is out of step with events.WinnersAnnounced: run python -m gemeentedelers.devtools.schemas")


def test_the_documented_sample_is_valid_and_a_broken_one_is_not() -> None:
    text = (DOCS / "events.md").read_text(encoding="utf-8")
    sample = json.loads(re.search(r"```json\n(\{\n  \"event_id\": \"winners\.announced.*?\n\})\n```", text,
                                  re.DOTALL).group(1))
    schema = json.loads(schemas.path().read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.validate(sample, schema)
    broken = {**sample, "winners": [{k: v for k, v in sample["winners"][0].items() if k != "prize"}]}
    try:
        jsonschema.validate(broken, schema)
    except jsonschema.ValidationError as problem:
        assert "prize" in problem.message
    else:
        raise AssertionError("a winner without its prize passed the schema")

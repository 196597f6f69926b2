"""The published JSON Schemas, generated from their marshmallow schemas: the public ``winners.announced`` event's,
and the edition spec's (``docs/edition.schema.json``, :func:`edition_schema`, for editors).

Sponsors validate what they receive (on their own subscription or their webhook) against
``docs/schemas/winners.announced.v<version>.json`` with any JSON Schema tool. The file is committed;
``python -m gemeentedelers.devtools.schemas`` writes it again after a change of the schema, and
``tests/unit/test_published_schema.py`` fails while it is out of step. Unknown properties are allowed, because
an additive change keeps the version (docs/events.md, *Versioning*).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from gemeentedelers.platform.events import topic_for

DOCS = Path(__file__).resolve().parents[3] / "docs" / "schemas"


def path(event_type: str = "winners.announced") -> Path:
    return DOCS / f"{event_type}.v{topic_for(event_type).version}.json"


def json_schema(event_type: str = "winners.announced") -> dict[str, Any]:
    """The event's body as a JSON Schema (draft 7), from the catalogue's marshmallow schema."""
    from marshmallow_jsonschema import JSONSchema  # a development tool, never deployed

    topic = topic_for(event_type)
    generated = JSONSchema().dump(topic.schema())
    for definition in generated["definitions"].values():
        definition.pop("additionalProperties", None)
    body = generated["definitions"][topic.schema.__name__]
    body["properties"]["event_type"]["const"] = event_type
    body["properties"]["schema_version"]["const"] = topic.version
    return {
        "$schema": generated["$schema"],
        "title": f"GemeenteDelers {event_type}, version {topic.version}",
        "description": topic.summary,
        **{key: value for key, value in generated.items() if key != "$schema"},
    }


def edition_schema() -> dict[str, Any]:
    """``docs/edition.schema.json``: the JSON Schema (draft 7) of an edition spec, from ``editions.spec.SCHEMA``."""
    from marshmallow_jsonschema import JSONSchema  # a development tool, never deployed

    from gemeentedelers.editions.spec import EDITION_KEY_PATTERN, SCHEMA

    generated = JSONSchema().dump(SCHEMA)
    generated["title"] = "GemeenteDelers edition spec"
    generated["description"] = ("One edition of GemeenteDelers as data (YAML or JSON). A spec may also name "
                                "'extends: <edition key>' and give only what it changes; see docs/plugin_hooks.md.")
    definitions = generated["definitions"]
    definitions["SpecSchema"]["properties"]["extends"] = {
        "title": "extends", "type": "string", "pattern": EDITION_KEY_PATTERN,
        "description": "The edition this one copies; its sections are merged in (maps deeply, lists replaced, "
                       "null removes)."}
    definitions["TextSchema"] = {"anyOf": [{"type": "string", "minLength": 1}, definitions["TextSchema"]]}
    # A spec that extends another gives only what it changes: the same schema with nothing required.
    partial = {f"Partial{name}": _without_required(json.loads(json.dumps(d).replace('"#/definitions/',
                                                                                    '"#/definitions/Partial')))
               for name, d in definitions.items()}
    definitions.update(partial)
    del generated["$ref"]
    generated["if"] = {"required": ["extends"]}
    generated["then"] = {"$ref": "#/definitions/PartialSpecSchema"}
    generated["else"] = {"$ref": "#/definitions/SpecSchema"}
    return generated


def _without_required(node: Any) -> Any:
    """A definition for a spec that extends another: nothing required, and ``null`` (remove) allowed anywhere."""
    if isinstance(node, dict):
        found = {k: _without_required(v) for k, v in node.items() if k != "required"}
        if isinstance(node.get("properties"), dict):
            found["properties"] = {k: {"anyOf": [v, {"type": "null"}]} for k, v in found["properties"].items()}
        return found
    if isinstance(node, list):
        return [_without_required(v) for v in node]
    return node


def text(event_type: str = "winners.announced") -> str:
    return json.dumps(json_schema(event_type), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

"""The published JSON Schema of the public ``winners.announced`` event, generated from its marshmallow schema.

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


def text(event_type: str = "winners.announced") -> str:
    return json.dumps(json_schema(event_type), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> None:
    target = path()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text(), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__":
    main()

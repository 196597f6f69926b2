"""The documentation in docs/ keeps step with the code it describes (as datasette's tests/test_docs.py does).

Each check introspects the code (hook specs, event schemas, Firestore layout) and looks for it in the
matching page, so adding a hook, an event field or a collection without documenting it fails here.
"""

from __future__ import annotations

import ast
import inspect
import re
from collections.abc import Iterator
from dataclasses import is_dataclass
from pathlib import Path
from types import FunctionType

import pluggy
import pytest
from gemeentedelers.plugins import api, hookspecs
from gemeentedelers.plugins.api import PROJECT
from marshmallow import Schema, fields

from gemeentedelers.platform import events, layout

DOCS = Path(__file__).resolve().parents[2] / "docs"


def _read(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def _section(text: str, title: str) -> str | None:
    """The text under the heading ``title`` (any level) up to the next heading of the same or a higher level."""
    match = re.search(rf"^(#+) +{re.escape(title)} *$", text, flags=re.MULTILINE)
    if match is None:
        return None
    level = len(match.group(1))
    rest = text[match.end() :]
    end = re.search(rf"^#{{1,{level}}} ", rest, flags=re.MULTILINE)
    return rest[: end.start()] if end else rest


def _hook_specs() -> dict[str, FunctionType]:
    pm = pluggy.PluginManager(PROJECT)
    return {
        name: getattr(hookspecs, name) for name in dir(hookspecs) if pm.parse_hookspec_opts(hookspecs, name) is not None
    }


def _is_first_result(name: str) -> bool:
    opts = pluggy.PluginManager(PROJECT).parse_hookspec_opts(hookspecs, name)
    assert opts is not None
    return bool(opts["firstresult"])


HOOKS = sorted(_hook_specs())


def test_hook_specs_are_found() -> None:
    assert "gd_edition_info" in HOOKS and "gd_validate_registration" in HOOKS
    assert all(name.startswith("gd_") for name in HOOKS)


# --- docs/plugin_hooks.md -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def plugin_hooks_md() -> str:
    return _read("plugin_hooks.md")


def _documented_signature(section: str, hook: str) -> ast.FunctionDef:
    """The ``gd_x(a: T, ...) -> R`` line of a hook's section, parsed as a function definition."""
    match = re.search(rf"^{re.escape(hook)}\((?P<params>.*)\)\s*->\s*(?P<ret>.+?)\s*$", section, re.MULTILINE)
    assert match, f"the section of {hook} shows no signature line '{hook}(...) -> ...'"
    tree = ast.parse(f"def {hook}({match['params']}) -> {match['ret']}: ...")
    node = tree.body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(plugin_hooks_md: str, hook: str) -> None:
    assert _section(plugin_hooks_md, hook) is not None, f"docs/plugin_hooks.md has no '### {hook}' section"


@pytest.mark.parametrize("hook", HOOKS)
def test_documented_signature_matches_the_spec(plugin_hooks_md: str, hook: str) -> None:
    section = _section(plugin_hooks_md, hook)
    assert section is not None
    documented = _documented_signature(section, hook)
    spec = inspect.signature(_hook_specs()[hook])

    assert [a.arg for a in documented.args.args] == list(spec.parameters), f"{hook}: parameter names differ"
    for arg in documented.args.args:
        expected = spec.parameters[arg.arg].annotation
        assert arg.annotation is not None and ast.unparse(arg.annotation) == expected, f"{hook}({arg.arg}) type"
    assert documented.returns is not None and ast.unparse(documented.returns) == spec.return_annotation


@pytest.mark.parametrize("hook", HOOKS)
def test_documented_first_result_matches_the_spec(plugin_hooks_md: str, hook: str) -> None:
    section = _section(plugin_hooks_md, hook)
    assert section is not None
    match = re.search(r"\*\*First result:\*\* (yes|no)", section)
    assert match, f"the section of {hook} does not say '**First result:** yes' or 'no'"
    assert (match[1] == "yes") == _is_first_result(hook)


def test_no_documented_hook_is_missing_from_the_specs(plugin_hooks_md: str) -> None:
    documented = set(re.findall(r"^### (gd_\w+) *$", plugin_hooks_md, flags=re.MULTILINE))
    assert documented - set(HOOKS) == set(), "docs/plugin_hooks.md documents hooks that do not exist"


API_RECORDS = sorted(
    name for name, value in vars(api).items() if is_dataclass(value) and value.__module__ == api.__name__
)


def test_api_records_are_found() -> None:
    assert {"Text", "EditionInfo", "Timeline", "Category", "Criterion", "FieldError"} <= set(API_RECORDS)


@pytest.mark.parametrize("record", [*API_RECORDS, "REGISTRATION_FIELDS"])
def test_every_api_record_is_documented(plugin_hooks_md: str, record: str) -> None:
    assert _section(plugin_hooks_md, record) is not None, f"docs/plugin_hooks.md has no '### {record}' section"


def test_every_registration_field_is_documented(plugin_hooks_md: str) -> None:
    section = _section(plugin_hooks_md, "REGISTRATION_FIELDS")
    assert section is not None
    assert [f for f in api.REGISTRATION_FIELDS if f"`{f}`" not in section] == []


# --- docs/events.md -------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def events_md() -> str:
    return _read("events.md")


def _field_names(schema: Schema | type[Schema], own_only: bool = True) -> Iterator[str]:
    """Field names of a schema, its nested schemas' too; without the envelope's when ``own_only``."""
    declared = schema._declared_fields
    only = getattr(schema, "only", None) if isinstance(schema, Schema) else None
    for name, field in declared.items():
        if own_only and name in events.EventSchema._declared_fields:
            continue
        if only is not None and name not in only:
            continue
        yield name
        inner = field.inner if isinstance(field, fields.List) else field
        if isinstance(inner, fields.Nested):
            nested = inner.nested
            if isinstance(nested, Schema) or (isinstance(nested, type) and issubclass(nested, Schema)):
                yield from _field_names(nested, own_only=False)


@pytest.mark.parametrize("topic", events.CATALOGUE, ids=lambda t: t.event_type)
def test_every_event_type_and_topic_is_documented(events_md: str, topic: events.Topic) -> None:
    section = _section(events_md, topic.event_type)
    assert section is not None, f"docs/events.md has no '### {topic.event_type}' section"
    assert f"`{topic.topic}`" in section, f"{topic.event_type}: topic {topic.topic} not named in its section"
    assert f"`{topic.schema.__name__}`" in section
    assert topic.publisher in section, f"{topic.event_type}: publisher {topic.publisher} not named"
    for subscriber in topic.subscribers:
        assert subscriber in section, f"{topic.event_type}: subscriber {subscriber} not named"
    audience = "public" if topic.public else "internal"
    assert re.search(rf"Audience \| \**{audience}", section), f"{topic.event_type}: should say {audience}"


@pytest.mark.parametrize("topic", events.CATALOGUE, ids=lambda t: t.event_type)
def test_every_schema_field_is_documented_in_its_section(events_md: str, topic: events.Topic) -> None:
    section = _section(events_md, topic.event_type)
    assert section is not None
    missing = [name for name in _field_names(topic.schema) if f"`{name}`" not in section]
    assert missing == [], f"{topic.event_type}: fields not documented in its section: {missing}"


def test_the_envelope_and_attributes_are_documented(events_md: str) -> None:
    section = _section(events_md, "The envelope: body fields and attributes every message carries")
    assert section is not None
    missing = [name for name in events.EventSchema._declared_fields if f"`{name}`" not in section]
    assert missing == []
    # bus.publish sets these attributes on every message
    for attribute in ("event_type", "event_id", "schema_version", "edition"):
        assert re.search(rf"^\| `{attribute}` \|", section, flags=re.MULTILINE), f"attribute {attribute}"


def test_the_dead_letter_topic_is_documented(events_md: str) -> None:
    assert f"`{events.DEAD_LETTER_TOPIC}`" in events_md
    assert f"({events.MAX_DELIVERY_ATTEMPTS})" in events_md


# --- docs/firestore.md ----------------------------------------------------------------------------------------


def _layout_functions() -> list[str]:
    """The functions of layout.py that build a collection or document path (not id helpers like ``pair_id``)."""
    return sorted(
        name
        for name, value in inspect.getmembers(layout, inspect.isfunction)
        if value.__module__ == layout.__name__
        and not name.startswith("_")
        and str(inspect.signature(value).return_annotation).endswith("Reference")
    )


@pytest.mark.parametrize("name", _layout_functions())
def test_every_collection_function_is_documented(name: str) -> None:
    assert f"`layout.{name}(" in _read("firestore.md"), f"docs/firestore.md does not mention layout.{name}()"


def test_collection_functions_are_found() -> None:
    assert {"active_config", "submissions", "round1_entries", "roster", "mails", "processed_event"} <= set(
        _layout_functions()
    )

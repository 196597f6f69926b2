"""Spec documents as files and as chains: reading YAML or JSON, resolving ``extends``, the specs the core ships.

A spec may say ``extends: gd2022`` and give only what it changes. :func:`resolve` merges it onto the edition it
extends (maps merge key by key, a list replaces the inherited list, ``null`` removes an inherited key) until
no ``extends`` is left; what comes out is self-contained, and that is what is validated, stored and hashed.
Where the base comes from is the caller's choice (``lookup``): the published versions in Firestore when
publishing, the shipped files (``plugins/editions/*.yaml``) otherwise.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from gemeentedelers.editions.spec import Problem, SpecInvalid, validate_spec

MAX_EXTENDS_DEPTH = 10

Lookup = Callable[[str], Mapping[str, Any] | None]
"""Finds the document of an edition a spec extends, or ``None`` when there is none."""


def _shipped_dir() -> Path:
    """The shipped specs: beside the plugins, where the package is installed (``gemeentedelers.plugins``)."""
    from gemeentedelers import plugins

    return Path(plugins.__file__).resolve().parent / "editions"


def parse(text: str, name: str = "spec") -> dict[str, Any]:
    """A spec document from YAML or JSON text (JSON is YAML too); a syntax error names the line."""
    try:
        document = json.loads(text) if name.endswith(".json") else yaml.safe_load(text)
    except (yaml.YAMLError, json.JSONDecodeError) as error:
        raise SpecInvalid([Problem("", f"{name} is not valid YAML or JSON: {error}")]) from None
    if not isinstance(document, dict):
        raise SpecInvalid([Problem("", f"{name} is not a mapping of sections (key, title, timeline, ...).")])
    return document


def read_file(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise SpecInvalid([Problem("", f"cannot read {path}: {error}")]) from None
    return parse(text, path.name)


def dump_yaml(spec: Mapping[str, Any]) -> str:
    """A spec as YAML a person edits (sections in the schema's order, Dutch characters kept)."""
    return yaml.safe_dump(dict(spec), allow_unicode=True, sort_keys=False, width=110, default_flow_style=False)


def merge(base: Any, change: Any) -> Any:
    """``change`` over ``base``: maps key by key (``None`` removes the key), anything else replaces."""
    if not isinstance(base, Mapping) or not isinstance(change, Mapping):
        return change
    merged = dict(base)
    for key, value in change.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge(base.get(key), value)
    return merged


def resolve(document: Mapping[str, Any], lookup: Lookup) -> tuple[dict[str, Any], list[str]]:
    """The document with every ``extends`` merged in, and the chain it came from (this key first)."""
    chain: list[Mapping[str, Any]] = [document]
    names: list[str] = [str(document.get("key", "?"))]
    current = document
    while current.get("extends") is not None:
        base = current["extends"]
        if not isinstance(base, str):
            raise SpecInvalid([Problem("extends", "Name one edition by its key, e.g. gd2024.")])
        if base in names:
            raise SpecInvalid([Problem("extends", f"circular: {' -> '.join([*names, base])}")])
        if len(names) > MAX_EXTENDS_DEPTH:
            raise SpecInvalid([Problem("extends", f"the chain is deeper than {MAX_EXTENDS_DEPTH}")])
        found = lookup(base)
        if found is None:
            raise SpecInvalid([Problem("extends", f"unknown edition {base!r}")])
        names.append(base)
        chain.append(found)
        current = found
    resolved: dict[str, Any] = {}
    for layer in reversed(chain):
        resolved = merge(resolved, {k: v for k, v in layer.items() if k != "extends"})
    return resolved, names


def shipped_keys() -> list[str]:
    """The editions whose spec ships with the core, by key."""
    return sorted(p.stem for p in _shipped_dir().glob("*.yaml"))


def shipped_document(key: str) -> dict[str, Any] | None:
    path = _shipped_dir() / f"{key}.yaml"
    return read_file(path) if path.is_file() else None


def load_shipped(key: str) -> dict[str, Any]:
    """A shipped edition, resolved against the other shipped specs and validated."""
    document = shipped_document(key)
    if document is None:
        raise LookupError(f"no shipped spec {key!r}")
    resolved, _ = resolve(document, shipped_document)
    return validate_spec(resolved)


def load_file(path: Path, lookup: Lookup | None = None) -> dict[str, Any]:
    """A spec file, resolved (against ``lookup``, by default the shipped specs) and validated."""
    resolved, _ = resolve(read_file(path), lookup or shipped_document)
    return validate_spec(resolved)

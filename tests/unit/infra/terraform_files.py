"""Reading infra/*.tf with python-hcl2 into plain Python: unquoted names and string values, blocks as dicts."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import hcl2

INFRA = Path(__file__).resolve().parents[3] / "infra"


def _plain(value: Any) -> Any:
    """python-hcl2 keeps quotes on names and string literals (``'"x"'``) and marks blocks; drop both."""
    if isinstance(value, dict):
        return {_unquote(k): _plain(v) for k, v in value.items() if k not in {"__is_block__", "__comments__"}}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, str):
        return _unquote(value)
    return value


def _unquote(text: str) -> str:
    return text[1:-1] if len(text) >= 2 and text[0] == text[-1] == '"' else text


def comments(value: Any) -> list[str]:
    """Every comment python-hcl2 kept inside ``value`` (a parsed block, quotes and all)."""
    found: list[str] = []
    if isinstance(value, dict):
        found += [c["value"] for c in value.get("__comments__", [])]
        for item in value.values():
            found += comments(item)
    elif isinstance(value, list):
        for item in value:
            found += comments(item)
    return found


@cache
def raw(name: str) -> dict[str, Any]:
    with (INFRA / name).open(encoding="utf-8") as file:
        return hcl2.load(file)


@cache
def files() -> tuple[str, ...]:
    return tuple(sorted(p.name for p in INFRA.glob("*.tf")))


def blocks(kind: str) -> dict[str, Any]:
    """``{"type.name": body}`` for ``resource`` and ``data``; ``{name: body}`` for ``variable``, ``output``."""
    found: dict[str, Any] = {}
    for name in files():
        for entry in raw(name).get(kind, []):
            for first, body in entry.items():
                if kind in {"resource", "data"}:
                    for second, inner in body.items():
                        found[f"{_unquote(first)}.{_unquote(second)}"] = _plain(inner)
                else:
                    found[_unquote(first)] = _plain(body)
    return found


def resources() -> dict[str, Any]:
    return blocks("resource")


def resources_of(kind: str) -> dict[str, Any]:
    return {name: body for name, body in resources().items() if name.split(".")[0] == kind}


def locals_() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for name in files():
        for entry in raw(name).get("locals", []):
            merged.update(_plain(entry))
    return merged


def terraform_block() -> dict[str, Any]:
    (found,) = [_plain(entry) for name in files() for entry in raw(name).get("terraform", [])]
    return found


def raw_block(kind: str, name: str) -> Any:
    """A resource's body as python-hcl2 gave it (with its comments)."""
    first, second = name.split(".")
    for file in files():
        for entry in raw(file).get(kind, []):
            for a, body in entry.items():
                if _unquote(a) == first:
                    for b, inner in body.items():
                        if _unquote(b) == second:
                            return inner
    raise KeyError(name)

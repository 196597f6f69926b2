"""Every hook has a test (as datasette's tests/test_plugins.py checks): a test whose name contains the hook's."""

from __future__ import annotations

import ast
from pathlib import Path

import pluggy
import pytest
from gemeentedelers.plugins import hookspecs
from gemeentedelers.plugins.api import PROJECT

HERE = Path(__file__).resolve().parent


def hook_names() -> list[str]:
    pm = pluggy.PluginManager(PROJECT)
    return sorted(name for name in dir(hookspecs) if pm.parse_hookspec_opts(hookspecs, name) is not None)


def collected_test_names() -> set[str]:
    names: set[str] = set()
    for path in sorted(HERE.glob("test_*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test_"):
                names.add(node.name)
    return names


def test_the_hooks_are_found() -> None:
    assert len(hook_names()) >= 6


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_test(hook: str) -> None:
    assert any(hook in name for name in collected_test_names()), (
        f"no test in {HERE.name}/ has {hook!r} in its name; add one to test_plugins_hooks.py"
    )

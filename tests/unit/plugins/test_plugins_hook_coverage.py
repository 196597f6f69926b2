"""Every hook has a test (as datasette's tests/test_plugins.py checks): a test whose name contains the hook's."""

from __future__ import annotations

import re
from pathlib import Path

import pluggy
import pytest
from gemeentedelers.plugins import hookspecs
from gemeentedelers.plugins.api import PROJECT

HERE = Path(__file__).resolve().parent
# Read with a pattern rather than ast.parse: CPython 3.11's ast can fail with "AST constructor recursion depth
# mismatch" when another thread parses at the same moment (gh-106905), as a traceback printed by a thread does.
TEST_DEF = re.compile(r"^\s*(?:async\s+)?def\s+(test_\w+)\s*\(", re.MULTILINE)


def hook_names() -> list[str]:
    pm = pluggy.PluginManager(PROJECT)
    return sorted(name for name in dir(hookspecs) if pm.parse_hookspec_opts(hookspecs, name) is not None)


def collected_test_names() -> set[str]:
    names: set[str] = set()
    for path in sorted(HERE.glob("test_*.py")):
        names.update(TEST_DEF.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_hooks_are_found() -> None:
    assert len(hook_names()) >= 6


@pytest.mark.parametrize("hook", hook_names())
def test_every_hook_has_a_test(hook: str) -> None:
    assert any(hook in name for name in collected_test_names()), (
        f"no test in {HERE.name}/ has {hook!r} in its name; add one to test_plugins_hooks.py"
    )

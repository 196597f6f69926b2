"""Building blocks for the plugin tests: fresh plugin managers and editions made up inside a test.

Nothing here touches Firestore or the network. Editions defined in a test are plain modules
(``types.ModuleType``) or classes with ``@hookimpl`` functions; ``install_editions`` makes the manager find
them instead of the installed entry points, the way pluggy's own tests build a fresh manager per test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from importlib import metadata
from types import ModuleType
from typing import Any
from zoneinfo import ZoneInfo

import pluggy
import pytest
from gemeentedelers.plugins import defaults, hookspecs, manager
from gemeentedelers.plugins.api import PROJECT, Category, EditionInfo, Text, Timeline, hookimpl

from gemeentedelers import editions

NL = ZoneInfo("Europe/Amsterdam")

MakePM = Callable[..., pluggy.PluginManager]
MakeEdition = Callable[..., ModuleType]
InstallEditions = Callable[..., dict[str, int]]


def timeline_for(year: int) -> Timeline:
    """A plausible timeline for an edition whose winners are announced in ``year``."""
    return Timeline(
        registration_opens=datetime(year - 1, 9, 1, tzinfo=NL),
        registration_closes=datetime(year - 1, 12, 1, tzinfo=NL),
        round1_decided=datetime(year, 1, 9, 12, tzinfo=NL),
        round2_decided=datetime(year, 4, 15, 12, tzinfo=NL),
        winners_announced=datetime(year, 6, 21, 10, tzinfo=NL),
        award_ceremony=datetime(year, 6, 26, 14, tzinfo=NL),
    )


CATEGORIES = (
    Category("direct", Text("Direct", "Direct"), Text("Meteen merkbaar.", "Noticeable at once.")),
    Category("indirect", Text("Indirect", "Indirect"), Text("Later merkbaar.", "Noticeable later.")),
)


@pytest.fixture
def make_pm() -> MakePM:
    """``make_pm(*plugins)``: a fresh manager with the specs and defaults, then ``plugins`` in order (base first)."""

    def build(*plugins: object, with_defaults: bool = True, check: bool = True) -> pluggy.PluginManager:
        pm = pluggy.PluginManager(PROJECT)
        pm.add_hookspecs(hookspecs)
        if with_defaults:
            pm.register(defaults, name="defaults")
        for plugin in plugins:
            pm.register(plugin)
        if check:
            pm.check_pending()
        return pm

    return build


@pytest.fixture
def make_edition() -> MakeEdition:
    """``make_edition(key, extends=None, complete=True, **hooks)``: an edition module made up in the test.

    A ``complete`` edition answers the hooks the facade requires (info, timeline, categories); one that
    extends another usually only answers ``gd_edition_info`` and what it changes. ``hooks`` are plain
    functions, marked ``@hookimpl`` here. The module's name is dotted, as a real edition's is.
    """

    def build(
        key: str, *, extends: str | None = None, complete: bool = True, **hooks: Callable[..., Any]
    ) -> ModuleType:
        module = ModuleType(f"thirdparty_editions.{key}")
        if extends is not None:
            module.EXTENDS = extends  # type: ignore[attr-defined]
        year = int(key[-4:]) if key[-4:].isdigit() else 2030

        def gd_edition_info() -> EditionInfo:
            return EditionInfo(key=key, title=Text(f"Test {key}"), year=year)

        implementations: dict[str, Callable[..., Any]] = {"gd_edition_info": gd_edition_info}
        if complete:
            implementations["gd_timeline"] = lambda: timeline_for(year)
            implementations["gd_categories"] = lambda: CATEGORIES
        implementations |= hooks
        for name, function in implementations.items():
            setattr(module, name, hookimpl(function))
        return module

    return build


@pytest.fixture
def install_editions(monkeypatch: pytest.MonkeyPatch) -> Iterator[InstallEditions]:
    """``install_editions(mapping)``: the manager finds only these editions; returns how often each loaded."""

    def install(mapping: Mapping[str, ModuleType]) -> dict[str, int]:
        loads: dict[str, int] = {}

        def fake_available() -> dict[str, metadata.EntryPoint]:
            return {
                name: metadata.EntryPoint(name, module.__name__, manager.ENTRY_POINT_GROUP)
                for name, module in mapping.items()
            }

        def fake_load(name: str) -> ModuleType:
            if name not in mapping:
                raise manager.UnknownEdition(name, sorted(mapping))
            loads[name] = loads.get(name, 0) + 1
            return mapping[name]

        monkeypatch.setattr(manager, "available_editions", fake_available)
        monkeypatch.setattr(manager, "load_edition_module", fake_load)
        monkeypatch.setattr(editions, "_cache", {})
        return loads

    yield install

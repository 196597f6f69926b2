"""Builds the plugin manager of one edition: hook specs, default rules, the edition and what it extends.

Editions are found through the ``gemeentedelers.editions`` entry-point group, so an organiser can ship next
year's rules as a separate package without touching or redeploying the core. ``check_pending`` makes a
misspelt hook fail at cold start instead of being silently ignored.
"""

from __future__ import annotations

import os
import sys
from importlib import import_module, metadata
from types import ModuleType

import pluggy
from gemeentedelers.plugins import defaults, hookspecs
from gemeentedelers.plugins.api import PROJECT

ENTRY_POINT_GROUP = "gemeentedelers.editions"
MAX_EXTENDS_DEPTH = 10


class UnknownEdition(LookupError):
    """The requested edition is not installed."""

    def __init__(self, name: str, available: list[str]):
        self.name = name
        self.available = available
        super().__init__(f"unknown edition {name!r}; installed: {', '.join(available) or 'none'}")


def available_editions() -> dict[str, metadata.EntryPoint]:
    """Installed editions by name."""
    return {ep.name: ep for ep in metadata.entry_points(group=ENTRY_POINT_GROUP)}


def load_edition_module(name: str) -> ModuleType:
    editions = available_editions()
    if name not in editions:
        raise UnknownEdition(name, sorted(editions))
    loaded = editions[name].load()
    return loaded if isinstance(loaded, ModuleType) else import_module(loaded.__module__)


def edition_chain(name: str) -> list[ModuleType]:
    """The edition's modules, base first: an edition may declare ``EXTENDS = "<earlier edition>"``."""
    chain: list[ModuleType] = []
    seen: list[str] = []
    current: str | None = name
    while current is not None:
        if current in seen:
            raise ValueError(f"edition {name!r}: EXTENDS is circular ({' -> '.join([*seen, current])})")
        if len(seen) >= MAX_EXTENDS_DEPTH:
            raise ValueError(f"edition {name!r}: EXTENDS chain is deeper than {MAX_EXTENDS_DEPTH}")
        seen.append(current)
        module = load_edition_module(current)
        chain.insert(0, module)
        current = getattr(module, "EXTENDS", None)
    return chain


def build_plugin_manager(edition: str) -> pluggy.PluginManager:
    """A fresh, validated plugin manager for one edition."""
    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(defaults, name="defaults")
    for module in edition_chain(edition):
        pm.register(module, name=f"edition:{module.__name__}")
    pm.check_pending()
    if os.environ.get("GD_TRACE_HOOKS", "").lower() in {"1", "true", "yes"}:
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm

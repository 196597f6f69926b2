"""Builds the plugin manager of one edition: hook specs, default rules, the edition's data and its code rules.

Two kinds of edition, and what each needs to change:

- **An edition as data** (the way gd2022 and gd2024 are kept): a spec document (``editions/spec.py``) published
  to Firestore and activated with ``gemeentedelers edition publish`` / ``activate`` or on the organisers' page.
  :func:`build_spec_plugin_manager` registers the defaults, then :class:`~gemeentedelers.plugins.specplugin.
  SpecPlugin` answering the hooks from the spec, then the code rules the spec names in ``plugins``. Changing
  data (dates, categories, criteria, texts, rules' numbers, the parameters of code rules) needs **no redeploy**:
  running functions pick up a newly activated version within seconds.
- **Code rules** (behaviour: a registration check, a conflict-of-interest rule) are plugin modules found
  through the entry-point group ``gemeentedelers.rules`` (:data:`RULES_GROUP`), shipped in the core or in a
  separate package that ``infra/bundle.py --plugin DIST`` bundles next to the core. A new or changed rule is
  code: it **needs a redeploy** of the functions that load editions. A spec may only name rules the deployed
  bundles contain; publishing refuses a rule that is not installed.

An edition written wholly in code (a module in the ``gemeentedelers.editions`` group, with ``EXTENDS``) still
loads through :func:`build_plugin_manager`; it is code, so every change to it needs a redeploy.
``check_pending`` makes a misspelt hook fail when the edition loads instead of being silently ignored.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from importlib import import_module, metadata
from types import ModuleType
from typing import Any

import pluggy
from gemeentedelers.plugins import defaults, hookspecs
from gemeentedelers.plugins.api import PROJECT

ENTRY_POINT_GROUP = "gemeentedelers.editions"
RULES_GROUP = "gemeentedelers.rules"
MAX_EXTENDS_DEPTH = 10


class UnknownEdition(LookupError):
    """The requested edition is not installed."""

    def __init__(self, name: str, available: list[str]):
        self.name = name
        self.available = available
        super().__init__(f"unknown edition {name!r}; installed: {', '.join(available) or 'none'}")


class UnknownRules(LookupError):
    """A spec names code rules that are not installed here (the bundle lacks their package)."""

    def __init__(self, name: str, available: list[str]):
        self.name = name
        self.available = available
        super().__init__(f"unknown code rules {name!r}; installed: {', '.join(available) or 'none'}")


def available_rules() -> dict[str, metadata.EntryPoint]:
    """Installed code rules by name (entry-point group ``gemeentedelers.rules``)."""
    return {ep.name: ep for ep in metadata.entry_points(group=RULES_GROUP)}


def load_rules(name: str) -> ModuleType:
    found = available_rules()
    if name not in found:
        raise UnknownRules(name, sorted(found))
    loaded = found[name].load()
    return loaded if isinstance(loaded, ModuleType) else import_module(loaded.__module__)


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
    return _checked(pm)


def build_spec_plugin_manager(spec: Mapping[str, Any]) -> pluggy.PluginManager:
    """A fresh, validated plugin manager for an edition as data: defaults, the spec, then its code rules."""
    from gemeentedelers.plugins.specplugin import SpecPlugin

    pm = pluggy.PluginManager(PROJECT)
    pm.add_hookspecs(hookspecs)
    pm.register(defaults, name="defaults")
    pm.register(SpecPlugin(spec), name=f"spec:{spec['key']}")
    for name in spec.get("plugins", ()):
        pm.register(load_rules(name), name=f"rules:{name}")
    return _checked(pm)


def _checked(pm: pluggy.PluginManager) -> pluggy.PluginManager:
    pm.check_pending()
    if os.environ.get("GD_TRACE_HOOKS", "").lower() in {"1", "true", "yes"}:
        pm.trace.root.setwriter(sys.stderr.write)
        pm.enable_tracing()
    return pm

"""The one object the services ask about an edition's rules, instead of calling hooks directly.

An edition is a spec (data, ``editions/spec.py``) with the code rules it names, or, the old way, a module of
code. Which version a running function serves is the active one in Firestore (``editions/active.py``), pinned
for the length of one request or event (``editions/pin.py``): :func:`get_edition` answers the pinned version
for the pinned edition's key, and the version shipped with the core (``plugins/editions/*.yaml``) otherwise,
so tools and tests without a store read the shipped specs. A loaded edition is immutable and cached (by the
content hash of its spec), so the cache is safe to share between functions-framework's threads.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import pluggy

from gemeentedelers.plugins.api import (
    REGISTRATION_FIELDS,
    AssessmentRules,
    Category,
    Criterion,
    EditionInfo,
    EvidenceField,
    FieldError,
    FinalistRule,
    InterviewGuide,
    JuryRule,
    Round1Rules,
    SpecialPrize,
    Text,
    Timeline,
)
from gemeentedelers.plugins.manager import UnknownEdition, build_plugin_manager, build_spec_plugin_manager

__all__ = ["Edition", "EditionConfigError", "UnknownEdition", "available_editions", "from_spec", "get_edition",
           "installed_edition"]


class EditionConfigError(RuntimeError):
    """An edition's plugins are loaded but do not answer a required hook sensibly."""


@dataclass(frozen=True, eq=False)
class Edition:
    """Typed access to one edition's hooks."""

    name: str
    pm: pluggy.PluginManager
    version: int | None = None
    """The published version this is (``editions/{key}/versions/{n}``); ``None`` for a shipped or coded edition."""
    spec: Mapping[str, Any] | None = None
    """The resolved spec it was built from (``None`` for an edition written in code)."""

    @cached_property
    def spec_hash(self) -> str | None:
        """The content hash of the spec (``sha256:...``), the same wherever the spec is loaded from."""
        from gemeentedelers.editions.spec import spec_hash

        return None if self.spec is None else spec_hash(self.spec)

    @cached_property
    def info(self) -> EditionInfo:
        info = self.pm.hook.gd_edition_info()
        if info is None:
            raise EditionConfigError(f"edition {self.name!r} does not implement gd_edition_info")
        if info.key != self.name:
            raise EditionConfigError(f"edition {self.name!r} calls itself {info.key!r}")
        return info

    @property
    def key(self) -> str:
        return self.info.key

    @cached_property
    def timeline(self) -> Timeline:
        timeline = self.pm.hook.gd_timeline(info=self.info)
        if timeline is None:
            raise EditionConfigError(f"edition {self.name!r} has no timeline")
        return timeline

    @cached_property
    def categories(self) -> tuple[Category, ...]:
        categories = tuple(self.pm.hook.gd_categories(info=self.info) or ())
        if not categories:
            raise EditionConfigError(f"edition {self.name!r} has no categories")
        keys = [c.key for c in categories]
        if len(set(keys)) != len(keys):
            raise EditionConfigError(f"edition {self.name!r} repeats a category key: {keys}")
        return categories

    def category(self, value: str) -> Category | None:
        """The category a form answer means: its key or its label in either language, any case."""
        wanted = value.strip().casefold()
        for category in self.categories:
            names = {category.key, category.label.nl, category.label.en}
            if wanted in {n.casefold() for n in names if n}:
                return category
        return None

    def criteria(self, round: int) -> tuple[Criterion, ...]:
        return tuple(self.pm.hook.gd_criteria(info=self.info, round=round) or ())

    def field_map(self, provider: str) -> Mapping[str, str]:
        """``{canonical field: form field name}`` for a provider, complete for every canonical field."""
        mapped = dict(self.pm.hook.gd_registration_field_map(info=self.info, provider=provider) or {})
        unknown = set(mapped) - set(REGISTRATION_FIELDS)
        if unknown:
            raise EditionConfigError(f"edition {self.name!r} maps unknown fields: {sorted(unknown)}")
        return {name: mapped.get(name, name) for name in REGISTRATION_FIELDS}

    def validate_registration(self, registration: Mapping[str, Any]) -> list[FieldError]:
        found = self.pm.hook.gd_validate_registration(info=self.info, registration=registration)
        return [error for errors in found for error in errors]

    @cached_property
    def round1_rules(self) -> Round1Rules:
        rules = self.pm.hook.gd_round1_rules(info=self.info)
        if rules is None:
            raise EditionConfigError(f"edition {self.name!r} has no round-1 rules")
        unknown = {key for key, _ in rules.category_quotas} - {c.key for c in self.categories}
        if unknown:
            raise EditionConfigError(f"edition {self.name!r} has quotas for unknown categories: {sorted(unknown)}")
        return rules

    def conflicts_of_interest(self, scorer: Mapping[str, Any], entry: Mapping[str, Any]) -> list[str]:
        found = self.pm.hook.gd_conflicts_of_interest(info=self.info, scorer=scorer, entry=entry)
        return [reason for reasons in found for reason in reasons]

    @cached_property
    def evidence_fields(self) -> tuple[EvidenceField, ...]:
        """What a team that advanced supplies in round 2, in form order."""
        fields = tuple(self.pm.hook.gd_evidence_fields(info=self.info) or ())
        if not fields:
            raise EditionConfigError(f"edition {self.name!r} asks for no round-2 evidence")
        self._unique(fields, "evidence field")
        return fields

    @cached_property
    def interview_guide(self) -> InterviewGuide:
        guide = self.pm.hook.gd_interview_guide(info=self.info)
        if guide is None:
            raise EditionConfigError(f"edition {self.name!r} has no interview guide")
        return guide

    @cached_property
    def assessment_rules(self) -> AssessmentRules:
        rules = self.pm.hook.gd_assessment_rules(info=self.info)
        if rules is None:
            raise EditionConfigError(f"edition {self.name!r} has no assessment rules")
        return rules

    @cached_property
    def finalist_rule(self) -> FinalistRule:
        rule = self.pm.hook.gd_finalist_rule(info=self.info)
        if rule is None:
            raise EditionConfigError(f"edition {self.name!r} has no finalist rule")
        unknown = {key for key, _ in rule.category_counts} - {c.key for c in self.categories}
        if unknown:
            raise EditionConfigError(f"edition {self.name!r} counts finalists of unknown categories: {sorted(unknown)}")
        return rule

    @cached_property
    def jury_rule(self) -> JuryRule:
        rule = self.pm.hook.gd_jury_rule(info=self.info)
        if rule is None:
            raise EditionConfigError(f"edition {self.name!r} has no jury rule")
        if rule.method == "mean_score" and not self.criteria(3):
            raise EditionConfigError(f"edition {self.name!r}: a jury that scores needs round-3 criteria")
        return rule

    @cached_property
    def special_prizes(self) -> tuple[SpecialPrize, ...]:
        """The prizes besides the category winners; empty when the edition has none."""
        prizes = tuple(self.pm.hook.gd_special_prizes(info=self.info) or ())
        self._unique(prizes, "special prize")
        return prizes

    def feedback_closing(self, round: int, advanced: bool) -> Text | None:
        """The paragraph a round's feedback mail adds after the tips and tops, if the edition has one."""
        closing = self.pm.hook.gd_feedback_closing(info=self.info, round=round, advanced=advanced)
        if closing is not None and not isinstance(closing, Text):
            raise EditionConfigError(f"edition {self.name!r}: a feedback closing must be a Text, not {closing!r}")
        return closing

    def _unique(self, records: tuple[EvidenceField, ...] | tuple[SpecialPrize, ...], what: str) -> None:
        keys = [r.key for r in records]
        if len(set(keys)) != len(keys):
            raise EditionConfigError(f"edition {self.name!r} repeats {what} keys: {keys}")

    def check(self) -> None:
        """Ask every required hook once, so a broken edition fails at start-up rather than mid-round."""
        _ = (self.info, self.timeline, self.categories, self.criteria(1), self.round1_rules)
        for provider in ("typeform", "tally", "generic"):
            self.field_map(provider)
        if not self.criteria(2):
            raise EditionConfigError(f"edition {self.name!r} has no round-2 criteria")
        _ = (self.evidence_fields, self.interview_guide, self.assessment_rules, self.finalist_rule)
        _ = (self.jury_rule, self.special_prizes)


_cache: dict[str, Edition] = {}
_by_hash: dict[str, Edition] = {}
_lock = threading.RLock()
MAX_LOADED = 16


def from_spec(spec: Mapping[str, Any], version: int | None = None) -> Edition:
    """The checked edition of a validated, resolved spec; loaded once per content hash (and version)."""
    from gemeentedelers.editions.spec import spec_hash

    digest = spec_hash(spec)
    with _lock:
        found = _by_hash.get(f"{digest}:{version}")
        if found is None:
            found = Edition(spec["key"], build_spec_plugin_manager(spec), version=version, spec=spec)
            found.check()
            if len(_by_hash) >= MAX_LOADED:
                _by_hash.pop(next(iter(_by_hash)))
            _by_hash[f"{digest}:{version}"] = found
        return found


def loaded(spec_hash: str, version: int | None) -> Edition | None:
    """The edition of this content hash and version if this process loaded it already (no store read)."""
    with _lock:
        return _by_hash.get(f"{spec_hash}:{version}")


def available_editions() -> dict[str, str]:
    """Editions this installation knows by key, with where each comes from (``spec`` shipped, or ``code``)."""
    from gemeentedelers.editions.specs import shipped_keys
    from gemeentedelers.plugins import manager

    return {**{name: "code" for name in manager.available_editions()}, **{k: "spec" for k in shipped_keys()}}


def installed_edition(name: str) -> Edition:
    """The edition ``name`` as installed here: its shipped spec, else an edition module (cached per process)."""
    from gemeentedelers.editions.specs import load_shipped, shipped_document

    with _lock:
        edition = _cache.get(name)
        if edition is None:
            if shipped_document(name) is not None:
                edition = from_spec(load_shipped(name))
            else:
                try:
                    edition = Edition(name, build_plugin_manager(name))
                except UnknownEdition as unknown:
                    raise UnknownEdition(name, sorted({*unknown.available, *available_editions()})) from None
                edition.check()
            _cache[name] = edition
        return edition


def get_edition(name: str) -> Edition:
    """The edition ``name``: the version this request or event is pinned to, when it is that edition's; else the
    installed one (:func:`installed_edition`)."""
    from gemeentedelers.editions import pin

    pinned = pin.edition_named(name)
    return pinned if pinned is not None else installed_edition(name)

"""What changed from one edition to the next: ``gemeentedelers edition diff OLD NEW``.

Organisers set up a year's edition by copying last year's with changes; this compares two *loaded* editions
(installed ones by key, or spec files)
through the :class:`~gemeentedelers.editions.Edition` facade (what the services see, after ``EXTENDS`` and the
defaults are applied), not their source. :func:`diff_editions` is pure: two editions in, a list of
:class:`Change` out, grouped by the sections of :data:`SECTIONS`. :func:`render` prints them for a person
(Dutch by default, dates in Amsterdam time); :meth:`Change.as_dict` is the machine-readable form.

Rules that are code rather than data (the collecting hooks ``gd_validate_registration`` and
``gd_conflicts_of_interest``) cannot be compared by value: their sections list which plugins contribute a
rule, with the first line of the rule's docstring.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from gemeentedelers.editions import Edition, EditionConfigError, UnknownEdition, get_edition
from gemeentedelers.plugins.api import Text
from gemeentedelers.web.i18n import AMSTERDAM, format_date, language_or_default

ADDED, REMOVED, CHANGED = "added", "removed", "changed"
PROVIDERS = ("typeform", "tally", "generic")
ROUNDS = (1, 2, 3)

SECTIONS: Mapping[str, Text] = {
    "identity": Text("identiteit", "identity"),
    "assumptions": Text("aannames", "assumptions"),
    "timeline": Text("tijdlijn", "timeline"),
    "categories": Text("categorieën", "categories"),
    "criteria_round1": Text("criteria ronde 1", "round-1 criteria"),
    "criteria_round2": Text("criteria ronde 2", "round-2 criteria"),
    "criteria_round3": Text("criteria ronde 3", "round-3 criteria"),
    "field_map": Text("veldnamen registratieformulier", "registration field map"),
    "round1_rules": Text("regels ronde 1", "round-1 rules"),
    "registration_checks": Text("controles registratie", "registration checks"),
    "conflicts_of_interest": Text("belangenverstrengeling", "conflicts of interest"),
    "evidence_fields": Text("onderbouwing ronde 2", "round-2 evidence fields"),
    "interview_guide": Text("interviewleidraad", "interview guide"),
    "assessment_rules": Text("regels beoordeling", "assessment rules"),
    "finalist_rule": Text("keuze finalisten", "finalist rule"),
    "jury_rule": Text("juryregel", "jury rule"),
    "special_prizes": Text("bijzondere prijzen", "special prizes"),
    "feedback_closing": Text("slot feedbackmail", "feedback closing texts"),
}
"""The sections of a diff, in the order they are printed, with their names in Dutch and English."""

_WORDS = {
    "nl": {"change": "wijziging", "changes": "wijzigingen", "none": "geen verschillen", "yes": "ja", "no": "nee",
           "empty": "—", "unknown": "onbekende editie {name!r}; geïnstalleerd: {available}",
           "broken": "editie {name!r} laadt niet: {problem}"},
    "en": {"change": "change", "changes": "changes", "none": "no differences", "yes": "yes", "no": "no",
           "empty": "—", "unknown": "unknown edition {name!r}; installed: {available}",
           "broken": "edition {name!r} does not load: {problem}"},
}


class Scale(NamedTuple):
    """A criterion's scale, shown as ``1-10``."""

    min: int
    max: int


@dataclasses.dataclass(frozen=True)
class Change:
    """One difference: ``key`` names what changed inside ``section`` (``succesvol.scale``, ``tally.title``).

    ``old`` is ``None`` for an addition and ``new`` for a removal; the values are the editions' own (a
    :class:`Text`, a ``datetime``, a record), :meth:`as_dict` turns them into JSON-ready values.
    """

    section: str
    key: str
    change: str
    old: Any = None
    new: Any = None

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "key": self.key, "change": self.change,
                "old": plain(self.old), "new": plain(self.new)}


def plain(value: Any) -> Any:
    """A value as JSON can hold it: texts as ``{nl, en}``, moments as ISO in Amsterdam time, records as objects."""
    if isinstance(value, Text):
        return {"nl": value.nl, "en": value.en}
    if isinstance(value, datetime):
        return value.astimezone(AMSTERDAM).isoformat()
    if isinstance(value, Scale):
        return value._asdict()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [plain(v) for v in value]
    return value


# --- the diff -------------------------------------------------------------------------------------------------


def diff_editions(old: Edition, new: Edition) -> list[Change]:
    """Everything the facade exposes that differs from ``old`` to ``new``, in the order of :data:`SECTIONS`."""
    changes: list[Change] = []
    for section, compare in _COMPARISONS.items():
        changes.extend(compare(section, old, new))
    return changes


def _ordered_union(old: Iterable[str], new: Iterable[str]) -> list[str]:
    names = list(old)
    return names + [n for n in new if n not in names]


def _fields(section: str, old: Mapping[str, Any], new: Mapping[str, Any], prefix: str = "") -> list[Change]:
    """Name by name: present in one only is added or removed, present in both with unequal values changed."""
    changes = []
    for name in _ordered_union(old, new):
        key = f"{prefix}{name}"
        if name not in old:
            changes.append(Change(section, key, ADDED, new=new[name]))
        elif name not in new:
            changes.append(Change(section, key, REMOVED, old=old[name]))
        elif old[name] != new[name]:
            changes.append(Change(section, key, CHANGED, old[name], new[name]))
    return changes


def _records(
    section: str,
    old: Sequence[tuple[str, Any]],
    new: Sequence[tuple[str, Any]],
    describe: Callable[[Any], Mapping[str, Any]],
    prefix: str = "",
) -> list[Change]:
    """A keyed collection: whole records added or removed, field changes of the ones kept, a changed order."""
    before, after = dict(old), dict(new)
    changes = []
    for key in _ordered_union(before, after):
        if key not in before:
            changes.append(Change(section, f"{prefix}{key}", ADDED, new=after[key]))
        elif key not in after:
            changes.append(Change(section, f"{prefix}{key}", REMOVED, old=before[key]))
        elif before[key] != after[key]:
            changes.extend(_fields(section, describe(before[key]), describe(after[key]), f"{prefix}{key}."))
    kept_before = tuple(k for k in before if k in after)
    kept_after = tuple(k for k in after if k in before)
    if kept_before != kept_after:
        changes.append(Change(section, f"{prefix}(order)", CHANGED, kept_before, kept_after))
    return changes


def _keyed(records: Iterable[Any]) -> list[tuple[str, Any]]:
    return [(r.key, r) for r in records]


def _record_fields(record: Any, **overrides: Any) -> dict[str, Any]:
    values = {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}
    values.update(overrides)
    return {name: value for name, value in values.items() if name != "key"}


def _criterion(criterion: Any) -> dict[str, Any]:
    return {
        "label": criterion.label,
        "description": criterion.description,
        "scale": Scale(criterion.scale_min, criterion.scale_max),
        "weight": criterion.weight,
        "scale_labels": dict(sorted(criterion.scale_labels.items())),
    }


def _identity(section: str, old: Edition, new: Edition) -> list[Change]:
    def fields(edition: Edition) -> dict[str, Any]:
        info = edition.info
        return {"key": info.key, "title": info.title, "year": info.year, "default_language": info.default_language}

    return _fields(section, fields(old), fields(new))


def _assumptions(section: str, old: Edition, new: Edition) -> list[Change]:
    """By wording, keyed by position (in the old list for a removal, in the new one for an addition)."""
    before, after = old.info.assumptions, new.info.assumptions
    removed = [Change(section, str(n), REMOVED, old=a) for n, a in enumerate(before, 1) if a not in after]
    added = [Change(section, str(n), ADDED, new=a) for n, a in enumerate(after, 1) if a not in before]
    return removed + added


def _timeline(section: str, old: Edition, new: Edition) -> list[Change]:
    return _fields(section, old.timeline.milestones(), new.timeline.milestones())


def _categories(section: str, old: Edition, new: Edition) -> list[Change]:
    return _records(section, _keyed(old.categories), _keyed(new.categories), _record_fields)


def _criteria(round_: int) -> Callable[[str, Edition, Edition], list[Change]]:
    def compare(section: str, old: Edition, new: Edition) -> list[Change]:
        return _records(section, _keyed(old.criteria(round_)), _keyed(new.criteria(round_)), _criterion)

    return compare


def _field_map(section: str, old: Edition, new: Edition) -> list[Change]:
    changes = []
    for provider in PROVIDERS:
        changes.extend(_fields(section, old.field_map(provider), new.field_map(provider), f"{provider}."))
    return changes


def _round1_rules(section: str, old: Edition, new: Edition) -> list[Change]:
    def fields(edition: Edition) -> dict[str, Any]:
        rules = edition.round1_rules
        return _record_fields(rules, category_quotas=dict(rules.category_quotas))

    return _fields(section, fields(old), fields(new))


def _plugin_label(plugin: object) -> str:
    name = getattr(plugin, "__name__", None) or type(plugin).__name__
    return str(name).rsplit(".", 1)[-1]


def _contributors(hook_name: str) -> Callable[[str, Edition, Edition], list[Change]]:
    """Which plugins answer a collecting hook, with the first docstring line of their rule (code, not data)."""

    def rules(edition: Edition) -> dict[str, str]:
        found: dict[str, str] = {}
        for impl in getattr(edition.pm.hook, hook_name).get_hookimpls():
            label = _plugin_label(impl.plugin)
            while label in found:
                label += "+"
            doc = (impl.function.__doc__ or "").strip()
            found[label] = doc.splitlines()[0] if doc else impl.function.__qualname__
        return found

    def compare(section: str, old: Edition, new: Edition) -> list[Change]:
        return _fields(section, rules(old), rules(new))

    return compare


def _evidence_fields(section: str, old: Edition, new: Edition) -> list[Change]:
    return _records(section, _keyed(old.evidence_fields), _keyed(new.evidence_fields), _record_fields)


def _interview_guide(section: str, old: Edition, new: Edition) -> list[Change]:
    """Title and intro, then each phase's section (keyed by phase, ``#2`` for a phase's second section)."""

    def sections(edition: Edition) -> list[tuple[str, Any]]:
        keyed, seen = [], {}
        for part in edition.interview_guide.sections:
            seen[part.phase] = seen.get(part.phase, 0) + 1
            keyed.append((part.phase if seen[part.phase] == 1 else f"{part.phase}#{seen[part.phase]}", part))
        return keyed

    def section_fields(part: Any) -> dict[str, Any]:
        return {"title": part.title, **{f"question{n}": q for n, q in enumerate(part.questions, 1)}}

    before, after = old.interview_guide, new.interview_guide
    head = _fields(
        section, {"title": before.title, "intro": before.intro}, {"title": after.title, "intro": after.intro}
    )
    return head + _records(section, sections(old), sections(new), section_fields)


def _assessment_rules(section: str, old: Edition, new: Edition) -> list[Change]:
    before, after = old.assessment_rules, new.assessment_rules
    def fields(rules: Any) -> dict[str, Any]:
        return {k: v for k, v in _record_fields(rules).items() if k != "recommendations"}

    changes = _fields(section, fields(before), fields(after))
    return changes + _records(
        section, _keyed(before.recommendations), _keyed(after.recommendations), _record_fields, "recommendations."
    )


def _finalist_rule(section: str, old: Edition, new: Edition) -> list[Change]:
    def fields(edition: Edition) -> dict[str, Any]:
        rule = edition.finalist_rule
        return _record_fields(rule, category_counts=dict(rule.category_counts))

    return _fields(section, fields(old), fields(new))


def _jury_rule(section: str, old: Edition, new: Edition) -> list[Change]:
    return _fields(section, _record_fields(old.jury_rule), _record_fields(new.jury_rule))


def _special_prizes(section: str, old: Edition, new: Edition) -> list[Change]:
    return _records(section, _keyed(old.special_prizes), _keyed(new.special_prizes), _record_fields)


def _feedback_closing(section: str, old: Edition, new: Edition) -> list[Change]:
    """Per round and outcome (``round1.advanced``, ``round1.not_advanced``, ...); no paragraph is no entry."""

    def closings(edition: Edition) -> dict[str, Text]:
        found = {}
        for round_ in ROUNDS:
            for advanced in (True, False):
                text = edition.feedback_closing(round_, advanced)
                if text is not None:
                    found[f"round{round_}.{'advanced' if advanced else 'not_advanced'}"] = text
        return found

    return _fields(section, closings(old), closings(new))


_COMPARISONS: dict[str, Callable[[str, Edition, Edition], list[Change]]] = {
    "identity": _identity,
    "assumptions": _assumptions,
    "timeline": _timeline,
    "categories": _categories,
    **{f"criteria_round{r}": _criteria(r) for r in ROUNDS},
    "field_map": _field_map,
    "round1_rules": _round1_rules,
    "registration_checks": _contributors("gd_validate_registration"),
    "conflicts_of_interest": _contributors("gd_conflicts_of_interest"),
    "evidence_fields": _evidence_fields,
    "interview_guide": _interview_guide,
    "assessment_rules": _assessment_rules,
    "finalist_rule": _finalist_rule,
    "jury_rule": _jury_rule,
    "special_prizes": _special_prizes,
    "feedback_closing": _feedback_closing,
}


# --- for a person ---------------------------------------------------------------------------------------------


def show(value: Any, language: str = "nl") -> str:
    """One value on one line: a text in ``language``, a moment as an Amsterdam date and time, a record by name."""
    words = _WORDS[language_or_default(language)]
    if value is None:
        return words["empty"]
    if isinstance(value, Text):
        return value.get(language)
    if isinstance(value, bool):
        return words["yes"] if value else words["no"]
    if isinstance(value, datetime):
        return f"{format_date(value, language)} {value.astimezone(AMSTERDAM):%H:%M}"
    if isinstance(value, Scale):
        return f"{value.min}-{value.max}"
    if isinstance(value, float):
        return f"{value:g}"
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name in ("label", "title"):
            if isinstance(getattr(value, name, None), Text):
                return show(getattr(value, name), language)
        return str(getattr(value, "key", value))
    if isinstance(value, Mapping):
        return ", ".join(f"{k}: {show(v, language)}" for k, v in value.items()) or words["empty"]
    if isinstance(value, tuple | list):
        return ", ".join(show(v, language) for v in value) or words["empty"]
    return str(value)


def _show_pair(old: Any, new: Any, language: str) -> tuple[str, str]:
    """Both sides; a text whose change is in the other language is shown in both, so the change is visible."""
    shown = show(old, language), show(new, language)
    if shown[0] == shown[1] and isinstance(old, Text) and isinstance(new, Text):
        return f"{old.nl} / {old.en}", f"{new.nl} / {new.en}"
    return shown


def render(changes: Sequence[Change], language: str = "nl") -> list[str]:
    """The lines a person reads: every section with its count, then ``+``, ``-`` and ``~`` lines under it."""
    language = language_or_default(language)
    words = _WORDS[language]
    if not changes:
        return [words["none"]]
    lines = []
    for section, name in SECTIONS.items():
        mine = [c for c in changes if c.section == section]
        count = f"{len(mine)} {words['change'] if len(mine) == 1 else words['changes']}"
        lines.append(f"{name.get(language)}: {count}")
        for change in mine:
            if change.change == ADDED:
                lines.append(f"  + {change.key}: {show(change.new, language)}")
            elif change.change == REMOVED:
                lines.append(f"  - {change.key}: {show(change.old, language)}")
            else:
                old, new = _show_pair(change.old, change.new, language)
                lines.append(f"  ~ {change.key}: {old} -> {new}")
    return lines


class EditionNotLoaded(LookupError):
    """An edition named on the command line is not installed or does not load; the message says which."""


def load(name: str, language: str = "nl") -> Edition:
    """The installed edition ``name``, or the spec in the file ``name`` (``.yaml``, ``.yml``, ``.json``), or
    :class:`EditionNotLoaded` with a message in ``language``."""
    from pathlib import Path

    from gemeentedelers.editions import from_spec
    from gemeentedelers.editions.spec import SpecInvalid
    from gemeentedelers.editions.specs import load_file

    words = _WORDS[language_or_default(language)]
    if name.endswith((".yaml", ".yml", ".json")):
        try:
            return from_spec(load_file(Path(name)))
        except (SpecInvalid, EditionConfigError, LookupError, ValueError) as problem:
            raise EditionNotLoaded(words["broken"].format(name=name, problem=problem)) from None
    try:
        return get_edition(name)
    except UnknownEdition as problem:
        available = ", ".join(problem.available) or words["empty"]
        raise EditionNotLoaded(words["unknown"].format(name=name, available=available)) from None
    except (EditionConfigError, ValueError) as problem:
        raise EditionNotLoaded(words["broken"].format(name=name, problem=problem)) from None

"""The built-in plugin that answers the hooks from an edition's spec (its data), so the services keep asking the
``Edition`` facade while an edition is a document instead of code.

Registered after the defaults and before the code plugins the spec names, so a code plugin overrides the spec
where both answer (first-result hooks) and adds to it (collecting hooks). The records are built once, when the
plugin is made; every hook then returns them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import Any

from gemeentedelers.plugins.api import (
    AssessmentRules,
    Category,
    Criterion,
    EditionInfo,
    EvidenceField,
    FieldError,
    FinalistRule,
    InterviewGuide,
    InterviewSection,
    JuryRule,
    RecommendationOption,
    Round1Rules,
    SpecialPrize,
    Text,
    Timeline,
    hookimpl,
)


def text(value: Mapping[str, str]) -> Text:
    return Text(value["nl"], value.get("en", ""))


def _criterion(c: Mapping[str, Any]) -> Criterion:
    return Criterion(key=c["key"], label=text(c["label"]), description=text(c["description"]),
                     scale_min=c["scale_min"], scale_max=c["scale_max"], weight=float(c["weight"]),
                     scale_labels={int(k): text(v) for k, v in sorted(c["scale_labels"].items(),
                                                                     key=lambda item: int(item[0]))})


def _frozen(value: Any) -> Any:
    """Parameters handed to code rules, read-only: maps as mapping proxies, lists as tuples."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: _frozen(v) for k, v in value.items()})
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


class SpecPlugin:
    """The hooks an edition's data answers. ``spec`` is a validated, resolved spec (``editions.spec``)."""

    def __init__(self, spec: Mapping[str, Any]):
        self.spec = spec
        self.key = spec["key"]
        self.info = EditionInfo(key=spec["key"], title=text(spec["title"]), year=spec["year"],
                                default_language=spec["default_language"], assumptions=tuple(spec["assumptions"]),
                                parameters=_frozen({"conflicts_of_interest": spec["conflicts_of_interest"]}))
        self.timeline = Timeline(**{name: datetime.fromisoformat(value) for name, value in spec["timeline"].items()})
        self.categories = tuple(Category(c["key"], text(c["label"]), text(c["description"]))
                                for c in spec["categories"])
        self.criteria = {int(name[-1]): tuple(_criterion(c) for c in found)
                         for name, found in spec["criteria"].items()}
        self.field_maps = {provider: MappingProxyType(dict(found)) for provider, found in spec["field_maps"].items()}
        self.max_description_chars = spec["registration"]["max_description_chars"]
        rules = spec["round1_rules"]
        self.round1_rules = Round1Rules(**{**rules, "category_quotas": tuple(rules["category_quotas"].items())})
        self.evidence_fields = tuple(EvidenceField(key=f["key"], label=text(f["label"]), guidance=text(f["guidance"]),
                                                   kind=f["kind"], required=f["required"], max_chars=f["max_chars"])
                                     for f in spec["evidence_fields"])
        guide = spec["interview_guide"]
        self.interview_guide = InterviewGuide(
            title=text(guide["title"]), intro=text(guide["intro"]),
            sections=tuple(InterviewSection(s["phase"], text(s["title"]), tuple(text(q) for q in s["questions"]))
                           for s in guide["sections"]))
        assessment = spec["assessment_rules"]
        self.assessment_rules = AssessmentRules(
            **{**assessment, "recommendations": tuple(RecommendationOption(r["key"], text(r["label"]))
                                                      for r in assessment["recommendations"])})
        finalist = spec["finalist_rule"]
        self.finalist_rule = FinalistRule(**{**finalist, "category_counts": tuple(finalist["category_counts"].items())})
        self.jury_rule = JuryRule(**{**spec["jury_rule"], "points": tuple(spec["jury_rule"]["points"])})
        self.special_prizes = tuple(SpecialPrize(p["key"], text(p["label"]), text(p["description"]), p["eligibility"],
                                                 p["decided_by"]) for p in spec["special_prizes"])
        year = str(self.info.year)
        self.closings = {
            (int(name[-1]), outcome == "advanced"): Text(found["nl"].replace("{year}", year),
                                                         found.get("en", "").replace("{year}", year))
            for name, by_outcome in spec["feedback_closing"].items()
            for outcome, found in by_outcome.items() if found is not None
        }

    @hookimpl
    def gd_edition_info(self) -> EditionInfo:
        return self.info

    @hookimpl
    def gd_timeline(self) -> Timeline:
        return self.timeline

    @hookimpl
    def gd_categories(self) -> Sequence[Category]:
        return self.categories

    @hookimpl
    def gd_criteria(self, round: int) -> Sequence[Criterion] | None:
        return self.criteria.get(round) or None

    @hookimpl
    def gd_registration_field_map(self, provider: str) -> Mapping[str, str] | None:
        return self.field_maps.get(provider)

    @hookimpl
    def gd_validate_registration(self, registration: Mapping[str, object]) -> Sequence[FieldError]:
        """The short description is at most the spec's ``registration.max_description_chars`` characters."""
        limit = self.max_description_chars
        description = str(registration.get("description") or "")
        if limit is None or len(description) <= limit:
            return []
        return [FieldError("description", Text(
            f"De korte omschrijving is {len(description)} tekens; maximaal {limit}.",
            f"The short description has {len(description)} characters; at most {limit}."))]

    @hookimpl
    def gd_round1_rules(self) -> Round1Rules:
        return self.round1_rules

    @hookimpl
    def gd_evidence_fields(self) -> Sequence[EvidenceField]:
        return self.evidence_fields

    @hookimpl
    def gd_interview_guide(self) -> InterviewGuide:
        return self.interview_guide

    @hookimpl
    def gd_assessment_rules(self) -> AssessmentRules:
        return self.assessment_rules

    @hookimpl
    def gd_finalist_rule(self) -> FinalistRule:
        return self.finalist_rule

    @hookimpl
    def gd_jury_rule(self) -> JuryRule:
        return self.jury_rule

    @hookimpl
    def gd_special_prizes(self) -> Sequence[SpecialPrize]:
        return self.special_prizes

    @hookimpl
    def gd_feedback_closing(self, round: int, advanced: bool) -> Text | None:
        return self.closings.get((round, advanced))

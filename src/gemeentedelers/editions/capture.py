"""A loaded edition written down as a spec: what its hooks answer, as data.

An edition written in code can be exported, compared and published as a document this way; the code rules
it contributes to the collecting hooks (registration checks, conflicts of interest) cannot be written down and
are named in ``plugins`` only when the edition names them itself.
"""

from __future__ import annotations

from typing import Any

from gemeentedelers.editions import Edition
from gemeentedelers.editions.spec import MILESTONES, PROVIDERS, ROUNDS, validate_spec
from gemeentedelers.plugins.api import REGISTRATION_FIELDS, Text


def _text(value: Text | None) -> dict[str, str] | None:
    return None if value is None else {"nl": value.nl, "en": value.en}


def _criterion(c: Any) -> dict[str, Any]:
    return {"key": c.key, "label": _text(c.label), "description": _text(c.description), "scale_min": c.scale_min,
            "scale_max": c.scale_max, "weight": c.weight,
            "scale_labels": {str(k): _text(v) for k, v in sorted(c.scale_labels.items())}}


def capture(edition: Edition, *, plugins: tuple[str, ...] = (), parameters: dict[str, Any] | None = None,
            max_description_chars: int | None = None) -> dict[str, Any]:
    """The spec that answers the hooks as ``edition`` does (validated, complete)."""
    info, timeline = edition.info, edition.timeline
    rules, assessment = edition.round1_rules, edition.assessment_rules
    finalist, jury, guide = edition.finalist_rule, edition.jury_rule, edition.interview_guide
    maps = {}
    for provider in PROVIDERS:
        mapped = edition.field_map(provider)
        maps[provider] = {k: v for k, v in mapped.items() if k in REGISTRATION_FIELDS and v != k}
    document = {
        "key": info.key, "title": _text(info.title), "year": info.year, "default_language": info.default_language,
        "assumptions": list(info.assumptions),
        "timeline": {name: getattr(timeline, name).isoformat() for name in MILESTONES
                     if getattr(timeline, name) is not None},
        "categories": [{"key": c.key, "label": _text(c.label), "description": _text(c.description)}
                       for c in edition.categories],
        "criteria": {f"round{r}": [_criterion(c) for c in edition.criteria(r)] for r in ROUNDS},
        "field_maps": maps,
        "registration": {"max_description_chars": max_description_chars},
        "round1_rules": {"ratings_per_entry": rules.ratings_per_entry, "first_wave_share": rules.first_wave_share,
                         "advance": rules.advance, "category_quotas": dict(rules.category_quotas),
                         "scorer_capacity": rules.scorer_capacity,
                         "require_tips_and_tops": rules.require_tips_and_tops,
                         "link_valid_days": rules.link_valid_days},
        "evidence_fields": [{"key": f.key, "label": _text(f.label), "guidance": _text(f.guidance), "kind": f.kind,
                             "required": f.required, "max_chars": f.max_chars} for f in edition.evidence_fields],
        "interview_guide": {"title": _text(guide.title), "intro": _text(guide.intro),
                            "sections": [{"phase": s.phase, "title": _text(s.title),
                                          "questions": [_text(q) for q in s.questions]} for s in guide.sections]},
        "assessment_rules": {"team_size": assessment.team_size, "min_team_size": assessment.min_team_size,
                             "max_cases_per_assessor": assessment.max_cases_per_assessor,
                             "sign_off_by_all": assessment.sign_off_by_all,
                             "explanation_required": assessment.explanation_required,
                             "recommendations": [{"key": o.key, "label": _text(o.label)}
                                                 for o in assessment.recommendations]},
        "finalist_rule": {"finalists_per_category": finalist.finalists_per_category,
                          "category_counts": dict(finalist.category_counts), "method": finalist.method,
                          "tie_break": finalist.tie_break},
        "jury_rule": {"method": jury.method, "points": list(jury.points), "tie_break": jury.tie_break},
        "special_prizes": [{"key": p.key, "label": _text(p.label), "description": _text(p.description),
                            "eligibility": p.eligibility, "decided_by": p.decided_by}
                           for p in edition.special_prizes],
        "feedback_closing": {f"round{r}": {"advanced": _text(edition.feedback_closing(r, True)),
                                           "not_advanced": _text(edition.feedback_closing(r, False))}
                             for r in ROUNDS},
        "conflicts_of_interest": parameters or {},
        "plugins": list(plugins),
    }
    return validate_spec(document)

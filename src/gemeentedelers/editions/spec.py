"""An edition as a document: the marshmallow schemas every spec passes at the boundary, and its canonical form.

A spec is what an edition decides that is data (identity, timeline, categories, criteria, field maps, rules,
texts, the parameters of code rules); rules that are behaviour stay in Python plugins, which the spec names in
``plugins``. :func:`validate` turns a parsed YAML or JSON document into a clean, complete spec (defaults filled
in) or raises :class:`SpecInvalid` naming every bad field by its path (``categories[2].label.nl``).
:func:`canonical_json` is the exact text that is stored and hashed, so exporting a published version and
publishing it again changes nothing. ``docs/edition.schema.json`` is generated from :data:`SCHEMA` by
``devtools.schemas.edition_schema`` (a development tool, never deployed), so editors can validate a spec as it is
typed (``tests/unit/editions/test_spec.py`` keeps the two in step).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from itertools import pairwise
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, pre_load, validate, validates_schema

from gemeentedelers.plugins.api import (
    AI_PHASES,
    EVIDENCE_KINDS,
    FINALIST_METHODS,
    FINALIST_TIE_BREAKS,
    JURY_METHODS,
    JURY_TIE_BREAKS,
    LANGUAGES,
    PRIZE_DECISIONS,
    PRIZE_ELIGIBILITY,
    REGISTRATION_FIELDS,
    AssessmentRules,
    FinalistRule,
    Round1Rules,
)
from gemeentedelers.web.i18n import AMSTERDAM, field_message

SPEC_FORMAT = 1
"""The version of the spec format itself; a stored spec says which one it follows."""

MILESTONES = (
    "registration_opens", "registration_closes", "round1_decided", "evidence_due", "round2_decided",
    "winners_announced", "award_ceremony",
)
OPTIONAL_MILESTONES = ("evidence_due",)
"""Moments a spec may leave out (an edition without ``evidence_due`` has its evidence due at round 2's decision)."""
PROVIDERS = ("typeform", "tally", "generic")
ROUNDS = (1, 2, 3)
KEY_PATTERN = r"^[a-z][a-z0-9_]*$"
EDITION_KEY_PATTERN = r"^[a-z][a-z0-9_-]*$"


# --- fields -----------------------------------------------------------------------------------------------------


class Moment(fields.Field):
    """A date and time, in Amsterdam time unless the text names another offset; stored with its offset.

    YAML may give an unquoted ``2023-12-01`` (a date) or ``2023-12-01 09:00:00`` (a naive date-time): both are
    read as Amsterdam time.
    """

    default_error_messages: ClassVar[dict[str, str]] = {
        "invalid": "Not a valid date and time (use 2023-12-01T09:00, Amsterdam time)."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> datetime:
        if isinstance(value, datetime):
            moment = value
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        elif isinstance(value, str):
            try:
                moment = datetime.fromisoformat(value.strip())
            except ValueError:
                raise self.make_error("invalid") from None
        else:
            raise self.make_error("invalid")
        return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else value.astimezone(AMSTERDAM).isoformat()

    def _jsonschema_type_mapping(self) -> dict[str, Any]:
        return {"type": "string", "title": "moment", "description": "ISO date and time, Amsterdam time by default",
                "pattern": r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)?)?$"}


class ScaleKey(fields.Field):
    """A point of a criterion's scale as a map key: YAML reads ``1:`` as a number, JSON as ``"1"``."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid": "Not a whole number."}

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> str:
        if isinstance(value, bool) or not re.fullmatch(r"-?\d+", str(value).strip()):
            raise self.make_error("invalid")
        return str(int(str(value).strip()))

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str:
        return str(value)


EMPTY = "May not be empty."
EVIDENCE_DUE_MESSAGE = "Must lie after round1_decided and before round2_decided (and the visits)."
KEY_MESSAGE = "Use lower-case letters, digits and '_', starting with a letter."
_DUTCH: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), d) for p, d in (
    (re.escape(EMPTY), "Vul dit veld in."),
    (re.escape(KEY_MESSAGE), "Gebruik kleine letters, cijfers en '_', te beginnen met een letter."),
    (r"Must not be before (?P<name>\w+)\.", "Mag niet vóór {name} liggen."),
    (re.escape(EVIDENCE_DUE_MESSAGE), "Moet na round1_decided en vóór round2_decided (en de bezoeken) liggen."),
    (r"Must be above scale_min\.", "Moet hoger zijn dan het begin van de schaal."),
    (r"Not a valid date and time.*", "Geen geldige datum en tijd (bijvoorbeeld 2023-12-01T09:00)."),
    (r"'(?P<key>[^']+)' appears twice in (?P<name>\w+)\.", "'{key}' komt twee keer voor in {name}."),
    (r"Unknown categories: (?P<names>.+)\.", "Onbekende categorieën: {names}."),
    (r"Must add up to advance\.", "Moet optellen tot het aantal dat doorgaat."),
))


def dutch(message: str) -> str:
    """A spec message as a person reads it in Dutch: the spec's own messages, else marshmallow's (``i18n``)."""
    for pattern, text in _DUTCH:
        found = pattern.fullmatch(message)
        if found:
            return text.format(**found.groupdict())
    return field_message(message, "nl")


class _Strict(Schema):
    class Meta:
        unknown = RAISE


class TextSchema(_Strict):
    """A text a person reads: Dutch (required) and English; a plain string is the Dutch text alone."""

    nl = fields.String(required=True, validate=validate.Length(min=1, error=EMPTY))
    en = fields.String(load_default="")

    @pre_load
    def plain_string(self, data: Any, **kwargs: Any) -> Any:
        return {"nl": data} if isinstance(data, str) else data

    @validates_schema
    def dutch_not_blank(self, data: dict[str, Any], **kwargs: Any) -> None:
        if not data["nl"].strip():
            raise ValidationError("The Dutch text may not be blank.", "nl")


def _text(**kwargs: Any) -> fields.Nested:
    return fields.Nested(TextSchema, **kwargs)


def _key(**kwargs: Any) -> fields.String:
    return fields.String(required=True, validate=validate.Regexp(KEY_PATTERN, error=KEY_MESSAGE), **kwargs)


def _repeats(items: list[dict[str, Any]], name: str, field: str = "key") -> dict[str, Any]:
    """The items of a list that repeat a key, by place: ``{name: {n: {field: [message]}}}`` (empty when none)."""
    seen: set[str] = set()
    problems: dict[int, dict[str, list[str]]] = {}
    for n, item in enumerate(items):
        if item[field] in seen:
            problems[n] = {field: [f"{item[field]!r} appears twice in {name}."]}
        seen.add(item[field])
    return {name: problems} if problems else {}


def _unique(items: list[dict[str, Any]], name: str, field: str = "key") -> None:
    """Refuse a list whose items repeat a key, naming the repeated item by its place."""
    problems = _repeats(items, name, field)
    if problems:
        raise ValidationError(problems)


class TimelineSchema(_Strict):
    """The edition's moments, each after (or at) the one before."""

    registration_opens = Moment(required=True)
    registration_closes = Moment(required=True)
    round1_decided = Moment(required=True)
    evidence_due = Moment(metadata={"description": "When round 2's evidence must be in: after round1_decided, "
                                                   "before the visits and round2_decided (default: round2_decided)."})
    round2_decided = Moment(required=True)
    winners_announced = Moment(required=True)
    award_ceremony = Moment(required=True)

    @validates_schema
    def in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        present = [m for m in MILESTONES if data.get(m) is not None]
        for before, after in pairwise(present):
            if data[after] < data[before]:
                raise ValidationError(f"Must not be before {before}.", after)
        due = data.get("evidence_due")
        if due is not None and not data["round1_decided"] < due < data["round2_decided"]:
            raise ValidationError(EVIDENCE_DUE_MESSAGE, "evidence_due")


class CategorySchema(_Strict):
    key = _key()
    label = _text(required=True)
    description = _text(required=True)


class CriterionSchema(_Strict):
    key = _key()
    label = _text(required=True)
    description = _text(required=True)
    scale_min = fields.Integer(load_default=1, strict=True)
    scale_max = fields.Integer(load_default=10, strict=True)
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0, min_inclusive=False))
    scale_labels = fields.Dict(keys=ScaleKey(), values=_text(), load_default=dict)

    @validates_schema
    def scale(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["scale_min"] >= data["scale_max"]:
            raise ValidationError("Must be above scale_min.", "scale_max")
        outside = [k for k in data["scale_labels"] if not data["scale_min"] <= int(k) <= data["scale_max"]]
        if outside:
            raise ValidationError(f"Points {', '.join(outside)} are outside the scale.", "scale_labels")


class CriteriaSchema(_Strict):
    round1 = fields.List(fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1))
    round2 = fields.List(fields.Nested(CriterionSchema), required=True, validate=validate.Length(min=1))
    round3 = fields.List(fields.Nested(CriterionSchema), load_default=list)

    @validates_schema
    def unique(self, data: dict[str, Any], **kwargs: Any) -> None:
        for name in ("round1", "round2", "round3"):
            _unique(data[name], name)


def _field_map() -> fields.Dict:
    return fields.Dict(keys=fields.String(validate=validate.OneOf(REGISTRATION_FIELDS)),
                       values=fields.String(validate=validate.Length(min=1)), load_default=dict)


class FieldMapsSchema(_Strict):
    """Per form tool, ``{canonical field: the form's name for it}``; unmapped fields keep their own name."""

    typeform = _field_map()
    tally = _field_map()
    generic = _field_map()


class RegistrationSchema(_Strict):
    """Checks of a registration that are values: how long the short description may be (``null``: no limit)."""

    max_description_chars = fields.Integer(load_default=None, allow_none=True, strict=True,
                                           validate=validate.Range(min=20, max=5000))


def _quotas() -> fields.Dict:
    return fields.Dict(keys=fields.String(validate=validate.Regexp(KEY_PATTERN)),
                       values=fields.Integer(strict=True, validate=validate.Range(min=1)), load_default=dict)


class Round1RulesSchema(_Strict):
    ratings_per_entry = fields.Integer(load_default=Round1Rules.ratings_per_entry, strict=True,
                                       validate=validate.Range(min=1))
    first_wave_share = fields.Float(load_default=Round1Rules.first_wave_share,
                                    validate=validate.Range(min=0, max=1, min_inclusive=False))
    advance = fields.Integer(load_default=Round1Rules.advance, strict=True, validate=validate.Range(min=1))
    category_quotas = _quotas()
    scorer_capacity = fields.Integer(load_default=Round1Rules.scorer_capacity, strict=True,
                                     validate=validate.Range(min=1))
    require_tips_and_tops = fields.Boolean(load_default=Round1Rules.require_tips_and_tops)
    link_valid_days = fields.Integer(load_default=Round1Rules.link_valid_days, strict=True,
                                     validate=validate.Range(min=1))

    @validates_schema
    def quotas_add_up(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["category_quotas"] and sum(data["category_quotas"].values()) != data["advance"]:
            raise ValidationError("Must add up to advance.", "category_quotas")


class EvidenceFieldSchema(_Strict):
    key = _key()
    label = _text(required=True)
    guidance = _text(required=True)
    kind = fields.String(load_default="long_text", validate=validate.OneOf(EVIDENCE_KINDS))
    required = fields.Boolean(load_default=True)
    max_chars = fields.Integer(load_default=None, allow_none=True, strict=True, validate=validate.Range(min=1))

    @validates_schema
    def links_have_no_length(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["kind"] == "url_list" and data["max_chars"] is not None:
            raise ValidationError("Applies to text fields, not to url_list.", "max_chars")


class InterviewSectionSchema(_Strict):
    phase = fields.String(required=True, validate=validate.OneOf(AI_PHASES))
    title = _text(required=True)
    questions = fields.List(_text(), required=True, validate=validate.Length(min=1))


class InterviewGuideSchema(_Strict):
    title = _text(required=True)
    intro = _text(required=True)
    sections = fields.List(fields.Nested(InterviewSectionSchema), required=True)

    @validates_schema
    def four_d_cycle(self, data: dict[str, Any], **kwargs: Any) -> None:
        phases = [s["phase"] for s in data["sections"]]
        missing = [p for p in AI_PHASES if p not in phases]
        if missing:
            raise ValidationError(f"No section for phase {', '.join(missing)} of the 4-D cycle.", "sections")
        order = [AI_PHASES.index(p) for p in phases]
        if order != sorted(order):
            raise ValidationError(f"Sections must follow the cycle {' > '.join(AI_PHASES)}.", "sections")


class RecommendationSchema(_Strict):
    key = _key()
    label = _text(required=True)


class AssessmentRulesSchema(_Strict):
    team_size = fields.Integer(load_default=AssessmentRules.team_size, strict=True, validate=validate.Range(min=1))
    min_team_size = fields.Integer(load_default=AssessmentRules.min_team_size, strict=True,
                                   validate=validate.Range(min=1))
    max_cases_per_assessor = fields.Integer(load_default=AssessmentRules.max_cases_per_assessor, strict=True,
                                            validate=validate.Range(min=1))
    sign_off_by_all = fields.Boolean(load_default=AssessmentRules.sign_off_by_all)
    explanation_required = fields.Boolean(load_default=AssessmentRules.explanation_required)
    recommendations = fields.List(fields.Nested(RecommendationSchema), required=True,
                                  validate=validate.Length(min=1))

    @validates_schema
    def sizes(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data["min_team_size"] > data["team_size"]:
            raise ValidationError("Must not be above team_size.", "min_team_size")
        _unique(data["recommendations"], "recommendations")


class FinalistRuleSchema(_Strict):
    finalists_per_category = fields.Integer(load_default=FinalistRule.finalists_per_category, strict=True,
                                            validate=validate.Range(min=1))
    category_counts = _quotas()
    method = fields.String(load_default=FinalistRule.method, validate=validate.OneOf(FINALIST_METHODS))
    tie_break = fields.String(load_default=FinalistRule.tie_break, validate=validate.OneOf(FINALIST_TIE_BREAKS))


class JuryRuleSchema(_Strict):
    method = fields.String(load_default="borda", validate=validate.OneOf(JURY_METHODS))
    points = fields.List(fields.Integer(strict=True, validate=validate.Range(min=0)), load_default=list)
    tie_break = fields.String(load_default="chair", validate=validate.OneOf(JURY_TIE_BREAKS))

    @validates_schema
    def table(self, data: dict[str, Any], **kwargs: Any) -> None:
        table = data["points"]
        if data["method"] != "points":
            if table:
                raise ValidationError(f"A points table is only used by method 'points', not {data['method']!r}.",
                                      "points")
            return
        if not table or table[0] <= 0:
            raise ValidationError("Method 'points' needs a table whose first place scores more than 0.", "points")
        if table != sorted(table, reverse=True):
            raise ValidationError("Points must never rise from one place to the next.", "points")


class SpecialPrizeSchema(_Strict):
    key = _key()
    label = _text(required=True)
    description = _text(required=True)
    eligibility = fields.String(load_default="finalists", validate=validate.OneOf(PRIZE_ELIGIBILITY))
    decided_by = fields.String(load_default="jury_vote", validate=validate.OneOf(PRIZE_DECISIONS))


class ClosingSchema(_Strict):
    """The paragraph a round's feedback mail ends with, for entries that go on and for those that do not.

    ``{year}`` in a text is the edition's year, so an edition that extends another may inherit the paragraph.
    """

    advanced = _text(load_default=None, allow_none=True)
    not_advanced = _text(load_default=None, allow_none=True)


class FeedbackClosingSchema(_Strict):
    round1 = fields.Nested(ClosingSchema, load_default=lambda: {"advanced": None, "not_advanced": None})
    round2 = fields.Nested(ClosingSchema, load_default=lambda: {"advanced": None, "not_advanced": None})
    round3 = fields.Nested(ClosingSchema, load_default=lambda: {"advanced": None, "not_advanced": None})


class ArrangementSchema(_Strict):
    name = fields.String(required=True, validate=validate.Length(min=1))
    members = fields.List(fields.String(validate=validate.Length(min=1)), required=True,
                          validate=validate.Length(min=2))


class ConflictsSchema(_Strict):
    """Parameters of the conflict-of-interest rules (code): shared regional arrangements, as lists."""

    regional_arrangements = fields.List(fields.Nested(ArrangementSchema), load_default=list)


_SECTIONS_WITH_DEFAULTS = ("field_maps", "registration", "round1_rules", "assessment_rules", "finalist_rule",
                           "jury_rule", "feedback_closing", "conflicts_of_interest")


class SpecSchema(_Strict):
    """A whole, resolved edition spec (``extends`` is resolved before this schema sees it)."""

    format = fields.Integer(load_default=SPEC_FORMAT, strict=True, validate=validate.Equal(SPEC_FORMAT))
    key = fields.String(required=True, validate=validate.Regexp(
        EDITION_KEY_PATTERN, error="Use lower-case letters, digits, '_' and '-', starting with a letter."))
    title = _text(required=True)
    year = fields.Integer(required=True, strict=True, validate=validate.Range(min=2000, max=2100))
    default_language = fields.String(load_default="nl", validate=validate.OneOf(LANGUAGES))
    assumptions = fields.List(fields.String(validate=validate.Length(min=1)), load_default=list)
    timeline = fields.Nested(TimelineSchema, required=True)
    categories = fields.List(fields.Nested(CategorySchema), required=True, validate=validate.Length(min=1))
    criteria = fields.Nested(CriteriaSchema, required=True)
    field_maps = fields.Nested(FieldMapsSchema)
    registration = fields.Nested(RegistrationSchema)
    round1_rules = fields.Nested(Round1RulesSchema)
    evidence_fields = fields.List(fields.Nested(EvidenceFieldSchema), required=True, validate=validate.Length(min=1))
    interview_guide = fields.Nested(InterviewGuideSchema, required=True)
    assessment_rules = fields.Nested(AssessmentRulesSchema, required=True)
    finalist_rule = fields.Nested(FinalistRuleSchema)
    jury_rule = fields.Nested(JuryRuleSchema)
    special_prizes = fields.List(fields.Nested(SpecialPrizeSchema), load_default=list)
    feedback_closing = fields.Nested(FeedbackClosingSchema)
    conflicts_of_interest = fields.Nested(ConflictsSchema)
    plugins = fields.List(fields.String(validate=validate.Regexp(EDITION_KEY_PATTERN)), load_default=list)

    @pre_load
    def sections_default_to_empty(self, data: Any, **kwargs: Any) -> Any:
        """A section left out gets its defaults, so the stored spec always holds every value in force."""
        if not isinstance(data, Mapping):
            return data
        return {**{name: {} for name in _SECTIONS_WITH_DEFAULTS}, **data}

    @validates_schema
    def consistent(self, data: dict[str, Any], **kwargs: Any) -> None:
        """Keys unique per list; quotas and counts name known categories; a scoring jury has round-3 criteria."""
        problems: dict[str, Any] = {}
        for name in ("categories", "evidence_fields", "special_prizes"):
            problems |= _repeats(data[name], name)
        known = {c["key"] for c in data["categories"]}
        for section, name in (("round1_rules", "category_quotas"), ("finalist_rule", "category_counts")):
            unknown = sorted(set(data[section][name]) - known)
            if unknown:
                problems[section] = {name: [f"Unknown categories: {', '.join(unknown)}."]}
        if data["jury_rule"]["method"] == "mean_score" and not data["criteria"]["round3"]:
            problems["criteria"] = {"round3": ["A jury that scores (mean_score) needs round-3 criteria."]}
        if len(set(data["plugins"])) != len(data["plugins"]):
            problems["plugins"] = ["A plugin is named twice."]
        if problems:
            raise ValidationError(problems)


SCHEMA = SpecSchema()


# --- what callers use --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One bad field: its path in the spec (``categories[2].label.nl``) and marshmallow's message (English)."""

    path: str
    message: str

    def text(self, language: str = "en") -> str:
        return self.message if language == "en" else dutch(self.message)

    def __str__(self) -> str:
        return f"{self.path or '(spec)'}: {self.message}"


class SpecInvalid(ValueError):
    """A spec that does not pass the schema; ``problems`` names every bad field."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(str(p) for p in problems))


def flatten(messages: Any, path: str = "") -> list[Problem]:
    """marshmallow's nested error dict as a list of (path, message), in the spec's order."""
    if isinstance(messages, str):
        return [Problem(path, messages)]
    if isinstance(messages, list | tuple):
        return [p for m in messages for p in flatten(m, path)]
    problems: list[Problem] = []
    for key, value in messages.items():
        if key == "_schema":
            problems += flatten(value, path)
        elif isinstance(key, int):
            problems += flatten(value, f"{path}[{key}]")
        else:
            problems += flatten(value, f"{path}.{key}" if path else str(key))
    return problems


def validate_spec(document: Any) -> dict[str, Any]:
    """A parsed spec document, validated and complete (defaults filled in), as plain JSON-ready data."""
    if not isinstance(document, Mapping):
        raise SpecInvalid([Problem("", "A spec is a mapping of sections (key, title, timeline, ...).")])
    if "extends" in document:
        raise SpecInvalid([Problem("extends", "Resolve 'extends' before validating (editions.specs.resolve).")])
    try:
        loaded = SCHEMA.load(dict(document))
    except ValidationError as error:
        raise SpecInvalid(flatten(error.messages)) from None
    return dict(SCHEMA.dump(loaded))


def canonical_json(spec: Mapping[str, Any]) -> str:
    """The exact text stored and hashed: keys sorted, no insignificant white space, UTF-8 kept."""
    return json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def spec_hash(spec: Mapping[str, Any]) -> str:
    """``sha256:<hex>`` of the canonical text."""
    return "sha256:" + hashlib.sha256(canonical_json(spec).encode("utf-8")).hexdigest()

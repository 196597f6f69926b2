"""The hooks an edition can implement. Every hook is prefixed ``gd_`` and called with keyword arguments.

Implementations may accept fewer arguments than the spec lists, so specs can grow without breaking editions.
Hooks marked *first result* are answered by the most recently registered plugin that returns non-``None``:
an edition overrides the edition it extends, which overrides the defaults. The rest collect every answer.
Each hook is documented in docs/plugin_hooks.md; tests/unit/test_docs_sync.py keeps the two in step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pluggy
from gemeentedelers.plugins.api import (
    PROJECT,
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

hookspec = pluggy.HookspecMarker(PROJECT)


@hookspec(firstresult=True)
def gd_edition_info() -> EditionInfo | None:
    """Identity of the edition: key, title, year, default language and the assumptions it makes.

    :return: the edition's :class:`EditionInfo`; first result wins.
    """


@hookspec(firstresult=True)
def gd_timeline(info: EditionInfo) -> Timeline | None:
    """The edition's dates: registration window, round decisions, announcement and ceremony.

    :param info: the edition's identity, so a shared plugin can derive dates from the year.
    :return: a :class:`Timeline`; first result wins.
    """


@hookspec(firstresult=True)
def gd_categories(info: EditionInfo) -> Sequence[Category] | None:
    """The categories entries compete in (a winner is picked in each).

    :param info: the edition's identity.
    :return: the categories, in display order; first result wins.
    """


@hookspec(firstresult=True)
def gd_criteria(info: EditionInfo, round: int) -> Sequence[Criterion] | None:
    """The criteria scored in a round, with scale, weight and explanation.

    :param info: the edition's identity.
    :param round: 1 (crowd scoring), 2 (assessment) or 3 (jury).
    :return: the criteria; ``None`` to leave the round to another plugin; first result wins.
    """


@hookspec(firstresult=True)
def gd_registration_field_map(info: EditionInfo, provider: str) -> Mapping[str, str] | None:
    """How a form tool's field names map to the canonical registration fields.

    :param info: the edition's identity.
    :param provider: ``typeform`` (field ``ref``), ``tally`` (field ``label``) or ``generic`` (JSON key).
    :return: ``{canonical field: the form's field name}``; unmapped fields keep their canonical name.
    """


@hookspec
def gd_validate_registration(info: EditionInfo, registration: Mapping[str, object]) -> Sequence[FieldError]:
    """Extra checks of a registration that already passed the core schema; all plugins are asked.

    :param info: the edition's identity.
    :param registration: the cleaned registration, keyed by canonical field.
    :return: the problems found, each naming its field; an empty list when all is well.
    """


@hookspec(firstresult=True)
def gd_round1_rules(info: EditionInfo) -> Round1Rules | None:
    """How round 1 runs: ratings per entry, the first wave's share, how many advance, scorer capacity.

    :param info: the edition's identity.
    :return: the :class:`Round1Rules`; first result wins.
    """


@hookspec
def gd_conflicts_of_interest(
    info: EditionInfo, scorer: Mapping[str, object], entry: Mapping[str, object]
) -> Sequence[str]:
    """Why a scorer may not rate an entry; all plugins are asked and every reason counts.

    :param info: the edition's identity.
    :param scorer: the scorer's record (``name``, ``organisation``, ``background``, ...).
    :param entry: the entry's public record (``municipality``, ``co_applicants``, ``title``, ``category``, ...).
    :return: the reasons (empty when there is no conflict).
    """


@hookspec(firstresult=True)
def gd_evidence_fields(info: EditionInfo) -> Sequence[EvidenceField] | None:
    """The evidence a team that advanced to round 2 supplies, each field with its guidance.

    :param info: the edition's identity.
    :return: the :class:`EvidenceField` records in form order; first result wins.
    """


@hookspec(firstresult=True)
def gd_interview_guide(info: EditionInfo) -> InterviewGuide | None:
    """The appreciative-inquiry (Waarderend Onderzoek) interview guide assessors use on their visit.

    :param info: the edition's identity.
    :return: an :class:`InterviewGuide` following the 4-D cycle; first result wins.
    """


@hookspec(firstresult=True)
def gd_assessment_rules(info: EditionInfo) -> AssessmentRules | None:
    """How assessor teams are formed (size, load) and what a team's assessment report needs.

    :param info: the edition's identity.
    :return: the :class:`AssessmentRules`; first result wins.
    """


@hookspec(firstresult=True)
def gd_finalist_rule(info: EditionInfo) -> FinalistRule | None:
    """How the assessors jointly choose the finalists per category from the assessment reports.

    :param info: the edition's identity.
    :return: the :class:`FinalistRule`; first result wins.
    """


@hookspec(firstresult=True)
def gd_jury_rule(info: EditionInfo) -> JuryRule | None:
    """How the jury's rankings or scores decide each category's winner, and who breaks a tie.

    :param info: the edition's identity.
    :return: the :class:`JuryRule`; first result wins.
    """


@hookspec(firstresult=True)
def gd_special_prizes(info: EditionInfo) -> Sequence[SpecialPrize] | None:
    """The prizes besides the category winners; a list answer replaces the extended edition's prizes.

    :param info: the edition's identity.
    :return: the :class:`SpecialPrize` records (``[]``: none this year); first result wins.
    """


@hookspec(firstresult=True)
def gd_feedback_closing(info: EditionInfo, round: int, advanced: bool) -> Text | None:
    """A closing paragraph the feedback mail of a round adds after the tips and tops.

    :param info: the edition's identity.
    :param round: the round the feedback is about (1, 2 or 3).
    :param advanced: whether the entry goes on (round 1: to round 2; round 2: finalist; round 3: won).
    :return: the paragraph in both languages, or ``None`` for none; first result wins.
    """

"""The default rules: what every edition gets unless it says otherwise.

Registered first and marked ``trylast`` so any edition overrides them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from gemeentedelers.plugins.api import (
    REGISTRATION_FIELDS,
    Criterion,
    EditionInfo,
    FieldError,
    Round1Rules,
    Text,
    hookimpl,
)

MAIN_CRITERIA = (
    Criterion(
        key="succesvol",
        label=Text("Succesvol", "Successful"),
        description=Text(
            "Het initiatief werkt aantoonbaar: er zijn meetbare resultaten voor inwoners of ondernemers.",
            "The initiative demonstrably works: there are measurable results for residents or businesses.",
        ),
    ),
    Criterion(
        key="waardevol",
        label=Text("Waardevol", "Valuable"),
        description=Text(
            "Het initiatief verbetert de gemeentelijke dienstverlening merkbaar, inclusief en met menselijke maat.",
            "The initiative noticeably improves municipal services, inclusively and on a human scale.",
        ),
    ),
    Criterion(
        key="herbruikbaar",
        label=Text("Herbruikbaar", "Reusable"),
        description=Text(
            "Andere gemeenten kunnen het initiatief overnemen zonder het wiel opnieuw uit te vinden.",
            "Other municipalities can adopt the initiative without reinventing the wheel.",
        ),
    ),
)
"""The three main criteria of the seeds, on a 1-10 scale with equal weights (the texts name no scale)."""


@hookimpl(trylast=True)
def gd_criteria(round: int) -> Sequence[Criterion] | None:
    return MAIN_CRITERIA if round == 1 else None


@hookimpl(trylast=True)
def gd_registration_field_map(provider: str) -> Mapping[str, str]:
    return {name: name for name in REGISTRATION_FIELDS}


@hookimpl
def gd_validate_registration(info: EditionInfo, registration: Mapping[str, object]) -> Sequence[FieldError]:
    """A municipality does not co-apply with itself, nor name a co-applicant twice."""
    errors: list[FieldError] = []
    own = str(registration.get("municipality", "")).strip().casefold()
    seen: set[str] = set()
    for name in registration.get("co_applicants") or ():  # type: ignore[attr-defined]
        folded = str(name).strip().casefold()
        if folded == own:
            errors.append(
                FieldError(
                    "co_applicants",
                    Text("Een gemeente kan niet mede-indiener van haar eigen inzending zijn.",
                         "A municipality cannot be a co-applicant of its own entry."),
                )
            )
        elif folded in seen:
            errors.append(
                FieldError("co_applicants", Text(f"'{name}' staat dubbel in de lijst.", f"'{name}' is listed twice."))
            )
        seen.add(folded)
    return errors


@hookimpl(trylast=True)
def gd_round1_rules() -> Round1Rules:
    """Five ratings per entry (three up front, two adaptive) and the seeds' "usually 20" advancing."""
    return Round1Rules()


def _names(value: object) -> set[str]:
    if isinstance(value, str):
        return {value.strip().casefold()} if value.strip() else set()
    if isinstance(value, list | tuple | set):
        return {str(v).strip().casefold() for v in value if str(v).strip()}
    return set()


@hookimpl
def gd_conflicts_of_interest(scorer: Mapping[str, object], entry: Mapping[str, object]) -> Sequence[str]:
    """Nobody rates an entry of their own organisation, as applicant or as co-applicant."""
    own = _names(scorer.get("organisation"))
    reasons = []
    if own & _names(entry.get("municipality")):
        reasons.append("own organisation")
    if own & _names(entry.get("co_applicants")):
        reasons.append("own organisation is a co-applicant")
    return reasons

"""Round 2's assessment reports: one per case, co-written by its team and signed off by each member.

Every save names the version it was edited from; a save from a stale version is refused (``StaleReport``,
carrying the latest text) rather than overwriting a colleague's work. The write itself is conditional on the
document's ``update_time``, so two saves racing from the same version cannot both win. Any edit clears the
sign-offs; a member signs off the version they read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from gemeentedelers import layout
from gemeentedelers.assessment import rules
from gemeentedelers.editions import Edition


class StaleReport(ValueError):
    """The report changed since the writer read it; ``latest`` is what is stored now."""

    def __init__(self, latest: dict[str, Any]):
        self.latest = latest
        super().__init__("someone else saved this report meanwhile")


class ReportInvalid(ValueError):
    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def get(db: firestore.Client, edition: str, sid: str) -> dict[str, Any]:
    return layout.reports(db, edition).document(sid).get().to_dict() or {"version": 0, "signed_off": []}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def from_form(edition: Edition, form: Mapping[str, str]) -> dict[str, Any]:
    """The report fields of a submitted form; scores outside the scale are refused (``ReportInvalid``)."""
    errors: dict[str, str] = {}
    scores: dict[str, int] = {}
    for c in edition.criteria(2):
        raw = (form.get(f"score_{c.key}") or "").strip()
        if not raw:
            continue
        try:
            value = int(raw)
        except ValueError:
            value = None
        if value is None or not c.scale_min <= value <= c.scale_max:
            errors[c.key] = f"{c.scale_min}-{c.scale_max}"
        else:
            scores[c.key] = value
    if errors:
        raise ReportInvalid(errors)
    return {
        "scores": scores,
        "explanations": {c.key: (form.get(f"explain_{c.key}") or "").strip() for c in edition.criteria(2)},
        "tops": _lines(form.get("tops", "")),
        "tips": _lines(form.get("tips", "")),
        "recommendation": (form.get("recommendation") or "").strip(),
        "summary": (form.get("summary") or "").strip(),
    }


def save(db: firestore.Client, edition: str, sid: str, by: str, fields: Mapping[str, Any], version: int) -> int:
    """Save the report as ``by`` from ``version``; returns the new version. Clears every sign-off."""
    ref = layout.reports(db, edition).document(sid)
    snapshot = ref.get()
    stored = snapshot.to_dict() if snapshot.exists else None
    current = int(stored.get("version", 0)) if stored else 0
    if current != version:
        raise StaleReport(stored or {})
    record = {**fields, "submission_id": sid, "version": version + 1, "signed_off": [], "updated_by": by,
              "updated_at": datetime.now(UTC)}
    try:
        if stored is None:
            ref.create(record)
        else:
            ref.update(record, option=db.write_option(last_update_time=snapshot.update_time))
    except (gexc.AlreadyExists, gexc.FailedPrecondition, gexc.Conflict):
        raise StaleReport(ref.get().to_dict() or {}) from None
    return version + 1


def sign_off(db: firestore.Client, edition: str, sid: str, by: str, version: int) -> None:
    """``by`` signs off the version they read; refused when the report changed meanwhile."""
    ref = layout.reports(db, edition).document(sid)
    snapshot = ref.get()
    stored = snapshot.to_dict()
    if stored is None or int(stored.get("version", 0)) != version:
        raise StaleReport(stored or {})
    try:
        ref.update({"signed_off": firestore.ArrayUnion([by])},
                   option=db.write_option(last_update_time=snapshot.update_time))
    except gexc.FailedPrecondition:
        raise StaleReport(ref.get().to_dict() or {}) from None


def as_rule_report(sid: str, stored: Mapping[str, Any]) -> rules.Report:
    return rules.Report(case=sid, scores=dict(stored.get("scores", {})),
                        explanations=dict(stored.get("explanations", {})), tops=tuple(stored.get("tops", ())),
                        tips=tuple(stored.get("tips", ())), recommendation=str(stored.get("recommendation", "")),
                        signed_off=frozenset(stored.get("signed_off", ())))


def problems(edition: Edition, sid: str, stored: Mapping[str, Any], team: list[str],
             people: Mapping[str, str] | None = None) -> list[Any]:
    return rules.report_problems(as_rule_report(sid, stored), team=team, criteria=edition.criteria(2),
                                 rules=edition.assessment_rules, people=people)


def score(edition: Edition, stored: Mapping[str, Any]) -> Fraction | None:
    try:
        return rules.criteria_score(edition.criteria(2), dict(stored.get("scores", {})))
    except ValueError:
        return None

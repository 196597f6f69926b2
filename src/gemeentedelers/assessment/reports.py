"""Round 2's assessment reports: one per case, co-written by its team and signed off by each member.

Every save names the version it was edited from; a save from a stale version is refused (``StaleReport``,
carrying the latest text) rather than overwriting a colleague's work. Saves and sign-offs are transactions that
also read the case's team, so two saves racing from the same version cannot both win, and nobody writes or signs
off a report of a team they have just left (``assessors.replace_member``). Any edit clears the sign-offs; a member
signs off the version they read.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from fractions import Fraction
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from gemeentedelers.assessment import rules
from gemeentedelers.editions import Edition
from gemeentedelers.platform import audit, layout
from gemeentedelers.web.refusals import Refusal


class StaleReport(Refusal):
    """The report changed since the writer read it; ``latest`` is what is stored now."""

    def __init__(self, latest: dict[str, Any]):
        self.latest = latest
        super().__init__("r2_stale")


class ReportInvalid(Refusal):
    """Problems with a report form, by criterion key: each a refusal, so the page shows it in the assessor's
    language; ``str()`` lists them in English."""

    def __init__(self, errors: dict[str, Refusal]):
        self.errors = errors
        super().__init__("r2_err_report_invalid", fields=", ".join(errors))

    def text(self, language: str) -> str:
        return "; ".join(f"{field}: {why.text(language)}" for field, why in self.errors.items())


class NotInTeam(Refusal, LookupError):
    """The case is not (or no longer) the writer's team's; still a ``LookupError`` for its callers."""


class ReportFinal(Refusal):
    """The finalists are being confirmed or confirmed: the reports they rest on (and their feedback) stay as they
    are."""


ROUND = 2


def get(db: firestore.Client, edition: str, sid: str) -> dict[str, Any]:
    return layout.reports(db, edition).document(sid).get().to_dict() or {"version": 0, "signed_off": []}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def from_form(edition: Edition, form: Mapping[str, str]) -> dict[str, Any]:
    """The report fields of a submitted form; scores outside the scale are refused (``ReportInvalid``)."""
    errors: dict[str, Refusal] = {}
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
            errors[c.key] = Refusal("r2_err_score_scale", min=c.scale_min, max=c.scale_max)
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


def _require_member(transaction: firestore.Transaction, db: firestore.Client, edition: str, sid: str,
                    by: str) -> None:
    """In ``transaction``: round 2 is still open and ``by`` is in the case's team."""
    status = (layout.round_state(db, edition, ROUND).get(transaction=transaction).to_dict() or {}).get("status")
    if status in ("confirming", "decided"):
        raise ReportFinal("r2_err_report_final")
    team = layout.assessment_teams(db, edition).document(sid).get(transaction=transaction).to_dict() or {}
    if by not in team.get("members", []):
        raise NotInTeam("r2_not_your_case")


def save(db: firestore.Client, edition: str, sid: str, by: str, fields: Mapping[str, Any], version: int) -> int:
    """Save the report as ``by`` (a member of the case's team) from ``version``; returns the new version. Clears
    every sign-off."""
    ref = layout.reports(db, edition).document(sid)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> int:
        _require_member(transaction, db, edition, sid, by)
        snapshot = ref.get(transaction=transaction)
        stored = snapshot.to_dict() if snapshot.exists else None
        if (int(stored.get("version", 0)) if stored else 0) != version:
            raise StaleReport(stored or {})
        record = {**fields, "submission_id": sid, "version": version + 1, "signed_off": [], "updated_by": by,
                  "updated_at": datetime.now(UTC)}
        if stored is None:
            transaction.create(ref, record)
        else:
            transaction.update(ref, record)  # top-level fields replaced whole: a score removed stays removed
        audit.record(db, actor=audit.person("assessor", by), action="report.saved", target=f"{edition}/reports/{sid}",
                     before=audited(stored), after=audited(record), edition=edition, writer=transaction)
        return version + 1

    try:
        return write(db.transaction())
    except (gexc.AlreadyExists, gexc.Aborted, gexc.Conflict):  # lost a race the retries could not settle
        raise StaleReport(ref.get().to_dict() or {}) from None


def sign_off(db: firestore.Client, edition: str, sid: str, by: str, version: int) -> None:
    """``by`` (a member of the case's team) signs off the version they read; refused when the report changed
    meanwhile."""
    ref = layout.reports(db, edition).document(sid)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> None:
        _require_member(transaction, db, edition, sid, by)
        stored = ref.get(transaction=transaction).to_dict()
        if stored is None or int(stored.get("version", 0)) != version:
            raise StaleReport(stored or {})
        signed = list(stored.get("signed_off", []))
        if by not in signed:
            transaction.update(ref, {"signed_off": [*signed, by]})
            audit.record(db, actor=audit.person("assessor", by), action="report.signed",
                         target=f"{edition}/reports/{sid}", after={"version": version}, edition=edition,
                         writer=transaction)

    try:
        write(db.transaction())
    except (gexc.Aborted, gexc.Conflict):
        raise StaleReport(ref.get().to_dict() or {}) from None


def audited(stored: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """What the audit trail keeps of a report version: its content and version (the old text is never lost)."""
    if not stored:
        return None
    return {k: stored.get(k) for k in ("version", "scores", "explanations", "tops", "tips", "recommendation",
                                       "summary")}


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

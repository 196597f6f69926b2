"""What an organiser page's template needs besides its own values, for tests that render one directly."""

from __future__ import annotations

from typing import Any


class _Me:
    name = "Anna de Vries"
    role = "coordinator"
    email = "anna@vng.test"


def console(**extra: Any) -> dict[str, Any]:
    """The console's part of an organiser page's context (``console.view.page`` adds it in the services)."""
    from gemeentedelers.console import progress

    return {"nav": [], "me": _Me(), "can_run": True, "can_manage": True,
            "progress": progress.Round2(cases=0, evidence_complete=0, visits_planned=0, visits_held=0,
                                        reports_signed=0, assessors=0, assessors_voted=0), **extra}

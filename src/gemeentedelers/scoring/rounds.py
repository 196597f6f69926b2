"""A round's state document (``rounds/{n}``): open, closed, decided; read where a score is accepted.

Changed only by organisers, so plain updates are fine; scorers only read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import create_once
from gemeentedelers.web.i18n import language_or_default
from gemeentedelers.web.refusals import Refusal


def status_text(status: str, language: str) -> str:
    """A round's status as a person reads it ("nog niet geopend", "not opened"); an unknown one as it is."""
    from gemeentedelers.web.messages import MESSAGES  # imported late, as Refusal.text does

    texts = MESSAGES.get(f"round_status_{status}")
    return texts[language_or_default(language)] if texts else status.replace("_", " ")


@dataclass(frozen=True)
class Status:
    """A round's status as a refusal's value, read in the person's language."""

    status: str

    def text(self, language: str) -> str:
        return status_text(self.status, language)


class RoundNotOpen(Refusal, RuntimeError):
    """The round is not (or no longer) accepting this action; ``status`` is read in the person's language.

    A refusal (so a ``ValueError``) that stays a ``RuntimeError`` for callers written against the old class.
    """

    def __init__(self, key: str, /, **values: Any) -> None:
        if isinstance(values.get("status"), str):
            values["status"] = Status(values["status"])
        super().__init__(key, **values)


def state(db: firestore.Client, edition: str, round: int) -> dict[str, Any]:
    return layout.round_state(db, edition, round).get().to_dict() or {"status": "not_opened", "waves": []}


def open_round(db: firestore.Client, edition: str, round: int, by: str) -> bool:
    """Open the round once; ``False`` when it was already open (or later)."""
    return create_once(
        layout.round_state(db, edition, round),
        {"round": round, "status": "open", "opened_at": datetime.now(UTC), "opened_by": by, "waves": []},
    )


def require_open(db: firestore.Client, edition: str, round: int) -> dict[str, Any]:
    current = state(db, edition, round)
    if current["status"] != "open":
        raise RoundNotOpen("round_not_open", round=round, status=current["status"])
    return current


def record_wave(db: firestore.Client, edition: str, round: int, wave: dict[str, Any]) -> None:
    layout.round_state(db, edition, round).update({"waves": firestore.ArrayUnion([wave])})


def record_reminder(db: firestore.Client, edition: str, round: int, day: str) -> None:
    """Note that scorers were reminded on ``day``: a reminder mail for a day not noted here is not sent."""
    layout.round_state(db, edition, round).update({"reminders": firestore.ArrayUnion([day])})


def mark(db: firestore.Client, edition: str, round: int, status: str, **fields: Any) -> None:
    layout.round_state(db, edition, round).update({"status": status, f"{status}_at": datetime.now(UTC), **fields})

"""Safety while a round runs: which changes of a new version touch what a running or decided round depends on.

A round depends on its criteria (labels, scales, weights), its rule and the categories that have entries. The
new version is compared (``editions.diff``) with the version of the same edition that was activated last;
every change in a section a round depends on, while that round runs or is decided, is a concern, and so is a
category removed while it has entries. ``activate`` refuses a version with concerns unless forced with a reason.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.platform import layout

DEPENDS_ON: dict[int, tuple[str, ...]] = {
    1: ("criteria_round1", "round1_rules"),
    2: ("criteria_round2", "evidence_fields", "assessment_rules", "finalist_rule"),
    3: ("criteria_round3", "jury_rule", "special_prizes"),
}
"""The diff sections each round depends on."""


class ActivationRefused(ValueError):
    """The version changes what a running or decided round depends on; ``concerns`` says what."""

    def __init__(self, key: str, version: int | None, concerns: Sequence[str]):
        self.concerns = list(concerns)
        super().__init__(f"activating {key} version {version} is refused: " + "; ".join(concerns)
                         + ". Add --force --reason TEXT to activate it anyway.")


def round_status(db: firestore.Client, key: str, round: int) -> str:
    """``not_opened`` when the round has not started; round 2 runs from the moment round 1 is decided."""
    state = layout.round_state(db, key, round).get().to_dict()
    if state is not None:
        return str(state.get("status") or "open")
    if round == 2 and (layout.round_state(db, key, 1).get().to_dict() or {}).get("status") == "decided":
        return "open"
    return "not_opened"


def last_activated(db: firestore.Client, key: str) -> Edition | None:
    """The version of ``key`` activated most recently, if any."""
    from gemeentedelers.editions import versions

    version = (layout.edition(db, key).get().to_dict() or {}).get("activated_version")
    if not version:
        return None
    try:
        return versions.load(db, key, int(version))
    except Exception:  # a version that no longer loads here cannot be compared; nothing stands to lose
        return None


def concerns(db: firestore.Client, key: str, new: Edition) -> list[str]:
    """Why activating ``new`` would change a running or decided round of ``key`` (empty: it does not)."""
    from gemeentedelers.editions.diff import diff_editions

    old = last_activated(db, key)
    if old is None or old.spec_hash == new.spec_hash:
        return []
    changes = diff_editions(old, new)
    found: list[str] = []
    for round_, sections in DEPENDS_ON.items():
        status = round_status(db, key, round_)
        if status == "not_opened":
            continue
        touched = [c for c in changes if c.section in sections]
        if touched:
            names = ", ".join(f"{c.section}.{c.key}" for c in touched[:8]) + (" ..." if len(touched) > 8 else "")
            found.append(f"round {round_} is {status} and the new version changes {names}")
    removed = [c.key for c in changes if c.section == "categories" and c.change == "removed"]
    for category in removed:
        if _has_entries(db, key, category):
            found.append(f"category {category!r} has entries and the new version removes it")
    return found


def _has_entries(db: firestore.Client, key: str, category: str) -> bool:
    query: Any = layout.submissions(db, key).where(filter=firestore.FieldFilter("category", "==", category))
    return bool(query.limit(1).get())

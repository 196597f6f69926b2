"""Each scorer's calibration (their leniency and agreement with the crowd), stored when the model is fitted.

The scorer's page reads their own document: one read per view, whatever the size of the edition. Fitting the
model for every page view read the whole round (every entry, scorer, assignment and score), so the cost of
one scorer looking grew with the edition. The organiser's fits (preview, adaptive wave, closing) write every
scorer's document blind, in batches.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from google.cloud import firestore

from gemeentedelers.platform import layout

if TYPE_CHECKING:  # the model (numpy, scipy) loads only where a fit is made or read
    from gemeentedelers.scoring.ratermodel import ScorerCalibration

BATCH = 400
MIN_RATINGS = 2
"""Fewer submitted scores tell a scorer nothing about themselves (their page says so)."""


def store(db: firestore.Client, edition: str, fitted: Any, method: str) -> int:
    """Write every scorer's calibration from a fit (a ``ratermodel.Fit``); returns how many were written."""
    now = datetime.now(UTC)
    rows = [c for c in fitted.scorers() if c.n_ratings >= MIN_RATINGS]
    collection = layout.round1_calibration(db, edition)
    for start in range(0, len(rows), BATCH):
        batch = db.batch()
        for row in rows[start:start + BATCH]:
            batch.set(collection.document(row.scorer_id), {**asdict(row), "method": method, "fitted_at": now})
        batch.commit()
    return len(rows)


def read(db: firestore.Client, edition: str, scorer_id: str) -> ScorerCalibration | None:
    """The scorer's calibration as of the last fit, or None before there is one."""
    from gemeentedelers.scoring.ratermodel import ScorerCalibration

    found = layout.round1_calibration(db, edition).document(scorer_id).get().to_dict()
    if not found:
        return None
    return ScorerCalibration(**{k: found[k] for k in ScorerCalibration.__dataclass_fields__})

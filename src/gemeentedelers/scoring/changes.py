"""Saying that round 1's data changed, so readers that keep what they read (``fitcache.current_round``) read
again: every writer of round 1's entries, scorers, assignments and scores calls :func:`touch` after its change,
or in the same batch or transaction."""

from __future__ import annotations

from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import layout


def touch(db: firestore.Client, edition: str, writer: Any = None) -> None:
    """Bump ``counters/round1``: a blind ``Increment`` (no read), in ``writer``'s batch or transaction when given."""
    ref = layout.round1_changes(db, edition)
    change = {"changes": firestore.Increment(1)}
    if writer is None:
        ref.set(change, merge=True)
    else:
        writer.set(ref, change, merge=True)

"""Shared fixtures for the scoring engine tests."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import pytest

from gemeentedelers.scoring.ratings import Ratings

CRITERIA = ("succesvol", "waardevol", "herbruikbaar")


@pytest.fixture
def uniform_ratings() -> Callable[[Iterable[tuple[str, str, int]]], Ratings]:
    """Builds ratings in which each (scorer, entry, score) gives ``score`` on all three criteria."""

    def build(rows: Iterable[tuple[str, str, int]]) -> Ratings:
        return Ratings.from_rows(
            (entry, scorer, criterion, int(score)) for scorer, entry, score in rows for criterion in CRITERIA
        )

    return build

"""How many people the demo recruits for an edition of a given size, from the edition's own rules.

The crowd grows with the entries (every entry needs the edition's ratings, a scorer takes about
``RATINGS_PER_SCORER`` of them, well inside their capacity, so an adaptive wave that leaves careless scorers
out still fits); round 2's assessors grow with the cases (full teams, each assessor in at most the rules' number
of cases); the jury grows with the finalists. The first edition's sizes (64 entries: 60 scorers, 10 assessors,
5 jurors) are the floor, so the demo of 64 entries plays as before.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from gemeentedelers.editions import Edition

RATINGS_PER_SCORER = 8
"""What one volunteer rates on average: the rater model needs several ratings per scorer to tell leniency from
quality, and a volunteer gives an evening, not a week."""
MIN_SCORERS = 60
MIN_ASSESSORS = 10
MIN_JURORS = 5


@dataclass(frozen=True)
class Sizes:
    """People to recruit; ``scorer_capacity`` is what each scorer is imported with."""

    entries: int
    scorers: int
    scorer_capacity: int
    assessors: int
    jurors: int


def sizes(edition: Edition, entries: int) -> Sizes:
    """The demo's crowd, assessors and jury for ``entries`` registrations of ``edition``."""
    if entries < 1:
        raise ValueError("an edition needs at least one entry")
    r1 = edition.round1_rules
    capacity = max(r1.scorer_capacity, 12)
    scorers = max(MIN_SCORERS, math.ceil(entries * r1.ratings_per_entry / RATINGS_PER_SCORER))
    cases = min(r1.advance, entries)
    r2 = edition.assessment_rules
    assessors = max(MIN_ASSESSORS, math.ceil(cases * r2.team_size / r2.max_cases_per_assessor))
    finalists = sum(edition.finalist_rule.count(c.key) for c in edition.categories)
    jurors = max(MIN_JURORS, math.ceil(finalists * 5 / 6))
    return Sizes(entries=entries, scorers=scorers, scorer_capacity=capacity, assessors=assessors, jurors=jurors)

"""Round 1: the crowd scores every registration; the rater model decides who advances."""

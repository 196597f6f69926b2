"""The crowds the round-1 benchmark plays on: the issue's three, worlds that break one assumption each, and held-out
variants of the issue's three that were not looked at while the model and the planner were tuned.

Tuning (issue 12) used the worlds ``main``, ``hard``, ``big`` and ``first`` on seeds 0-39 only. The benchmark's seeds
start at :data:`HELD_OUT_SEED` (never used while tuning), and the ``*-B`` worlds draw every trait differently (halo,
noise spread, straight-liners' wobble and jitter, heavy-tailed leniency, careless scorers who still see a little of
the quality, weaker criterion correlation); they were first run once the model and planner were fixed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from gemeentedelers.scoring.simulation import WorldConfig

HELD_OUT_SEED = 1000

STRAIGHTLINERS = {"careless_style": "straightline", "careless_range": (5.0, 8.0), "careless_sd": 0.7,
                  "straightline_jitter": 0.1, "noise_spread": 0.4, "halo": 0.5, "criterion_corr": 0.6}
"""Careless scorers straight-line around a mean of their own (5 to 8), noise per scorer log-normal, a halo shares
half of a scorer's noise across the three criteria, criteria correlate 0.6."""

MAIN = WorldConfig(n_entries=120, n_scorers=60, bias_sd=0.5, noise_sd=0.8, careless_share=0.1, **STRAIGHTLINERS)
VARIANT_B = {"halo": 0.7, "noise_spread": 0.55, "noise_sd": 0.9, "careless_sd": 0.4, "straightline_jitter": 0.3,
             "bias_df": 4.0, "careless_follow": 0.2, "criterion_corr": 0.5}


@dataclass(frozen=True)
class World:
    name: str
    config: WorldConfig
    what: str
    held_out: bool = False
    """Never run while tuning (its traits, not only its seeds)."""


WORLDS = (
    World("main", MAIN, "120 entries, 60 scorers, bias sd 0.5, noise 0.8, 10% careless straight-liners"),
    World("hard", replace(MAIN, bias_sd=1.0, careless_share=0.2), "main with bias sd 1.0, 20% careless"),
    World("big", replace(MAIN, n_entries=300, n_scorers=150), "main with 300 entries, 150 scorers"),
    World("narrow", replace(MAIN, narrow_share=0.3), "main; 30% of scorers use only part of the scale"),
    World("heavy", replace(MAIN, capacity=8, heavy_share=0.1, heavy_capacity=50),
          "main; most scorers take 8 entries at most, 10% take up to 50"),
    World("lengths", replace(MAIN, length_spread=0.8, length_noise=0.6),
          "main; entries of very different length, scored noisier far from the usual length"),
    World("first", WorldConfig(), "the project's first world: careless scorers at random, no halo"),
    World("main-B", replace(MAIN, **VARIANT_B), "main, every trait drawn differently", held_out=True),
    World("hard-B", replace(MAIN, bias_sd=1.0, careless_share=0.2, **VARIANT_B), "hard, traits as main-B",
          held_out=True),
    World("big-B", replace(MAIN, n_entries=300, n_scorers=150, **VARIANT_B), "big, traits as main-B", held_out=True),
)
BY_NAME = {w.name: w for w in WORLDS}

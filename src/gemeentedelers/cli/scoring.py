"""``scoring`` commands: rank round-1 ratings and plan who rates what, from CSV files.

Problems in the files are reported as clean CLI errors ("file, row, column: ...", exit code 1 or 2), never
as tracebacks. Run standalone as ``python -m gemeentedelers.cli.scoring``.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager

import click

from gemeentedelers.scoring.assignment import (
    InfeasiblePlanError,
    plan_adaptive_wave,
    plan_first_wave,
    plan_spread,
    plan_top_up,
)
from gemeentedelers.scoring.csvio import (
    CsvError,
    read_conflicts,
    read_ratings,
    read_scorers,
    read_submissions,
    write_plan,
    write_ranking,
)
from gemeentedelers.scoring.ranking import rank
from gemeentedelers.scoring.ratermodel import fit
from gemeentedelers.scoring.ratings import DEFAULT_SCALE

__all__ = ["scoring"]

Weights = Mapping[str, float] | None
Scale = tuple[int, int] | Mapping[str, tuple[int, int]]

_FILE = click.Path(exists=True, dir_okay=False)
_OUT = click.Path(dir_okay=False, writable=True)


def _edition_criteria(name: str | None) -> tuple[Weights, Scale]:
    """Round-1 weights and scales from the edition; without one, the file's criteria, equal, on 1-10."""
    if name is None:
        return None, DEFAULT_SCALE
    try:
        from gemeentedelers.editions import get_edition
    except ImportError as exc:
        raise click.ClickException(f"editions are not available here: {exc}") from None
    try:
        criteria = list(get_edition(name).criteria(round=1))
    except LookupError as exc:
        raise click.BadParameter(str(exc).strip("'\""), param_hint="--edition") from None
    except (RuntimeError, ValueError) as exc:
        raise click.ClickException(f"edition {name!r} cannot be loaded: {exc}") from None
    if not criteria:
        raise click.ClickException(f"edition {name!r} has no round-1 criteria")
    weights = {c.key: float(c.weight) for c in criteria}
    scale = {c.key: (int(c.scale_min), int(c.scale_max)) for c in criteria}
    return weights, scale


@contextmanager
def _clean_errors() -> Iterator[None]:
    """Expected input problems become ClickExceptions: the message, exit code 1, no traceback."""
    try:
        yield
    except (CsvError, InfeasiblePlanError) as exc:
        raise click.ClickException(str(exc)) from None


@click.group("scoring")
def scoring() -> None:
    """Round 1: rank the crowd's ratings and plan who rates what."""


@scoring.command("rank")
@click.option(
    "--ratings",
    "ratings_path",
    required=True,
    type=_FILE,
    help="CSV: submission_id,scorer_id,criterion,score (one row per criterion score).",
)
@click.option("--edition", help="Take criterion weights and scales from this edition.")
@click.option("--top", "top_n", default=20, show_default=True, type=click.IntRange(min=1), help="How many advance.")
@click.option("--out", type=_OUT, help="Write the ranking here instead of to standard output.")
@click.option("--seed", default=0, show_default=True, help="Seed of the top-N probability simulation.")
@click.option(
    "--draws",
    default=2000,
    show_default=True,
    type=click.IntRange(min=100),
    help="Monte Carlo draws for the top-N probability.",
)
def rank_command(ratings_path: str, edition: str | None, top_n: int, out: str | None, seed: int, draws: int) -> None:
    """Rank submissions with the rater model: estimate, 90% interval, P(top N), advances."""
    weights, scale = _edition_criteria(edition)
    with _clean_errors():
        ratings, specs = read_ratings(ratings_path, weights, scale)
    if not len(ratings):
        raise click.ClickException(f"{ratings_path}: there are no ratings to rank")
    model = fit(ratings, {s.key: s.weight for s in specs}, {s.key: (s.scale_min, s.scale_max) for s in specs})
    ranking = rank(model, top_n, seed=seed, draws=draws)
    with click.open_file(out or "-", "w", encoding="utf-8", lazy=False) as handle:
        write_ranking(ranking, handle)


@scoring.command("plan")
@click.option("--submissions", "subs_path", required=True, type=_FILE, help="CSV with submission_id.")
@click.option("--scorers", "scorers_path", required=True, type=_FILE, help="CSV with scorer_id,capacity.")
@click.option(
    "--ratings",
    "ratings_path",
    type=_FILE,
    help="Ratings so far; then the next wave is planned (adaptive with --budget).",
)
@click.option("--conflicts", "conflicts_path", type=_FILE, help="CSV with scorer_id,submission_id.")
@click.option(
    "--per-submission",
    "per_submission",
    type=click.IntRange(min=1),
    help="Ratings each submission should have (first wave, or top-up to this many).",
)
@click.option("--budget", type=click.IntRange(min=1), help="Number of new ratings to plan.")
@click.option("--edition", help="Criterion weights and scales for reading --ratings.")
@click.option(
    "--top",
    "top_n",
    default=20,
    show_default=True,
    type=click.IntRange(min=1),
    help="The cut-off adaptive planning aims at.",
)
@click.option("--seed", default=0, show_default=True, help="Seed for tie-breaking (reproducible plans).")
@click.option("--out", type=_OUT, help="Write the plan here instead of to standard output.")
def plan_command(
    subs_path: str,
    scorers_path: str,
    ratings_path: str | None,
    conflicts_path: str | None,
    per_submission: int | None,
    budget: int | None,
    edition: str | None,
    top_n: int,
    seed: int,
    out: str | None,
) -> None:
    """Plan scorer_id,submission_id pairs: the first wave, or with --ratings the next wave.

    \b
    no --ratings, --per-submission K: every submission gets K ratings
    no --ratings, --budget B:         B ratings spread evenly
    --ratings, --per-submission K:    top every submission up to K ratings
    --ratings, --budget B:            B ratings where they best settle who is in the top N
    """
    if (per_submission is None) == (budget is None):
        raise click.UsageError("give exactly one of --per-submission and --budget")
    weights, scale = _edition_criteria(edition) if ratings_path else (None, DEFAULT_SCALE)
    with _clean_errors():
        submissions = read_submissions(subs_path)
        capacity = read_scorers(scorers_path)
        conflicts = read_conflicts(conflicts_path, capacity, submissions) if conflicts_path else []
        if ratings_path is None:
            if per_submission is not None:
                plan = plan_first_wave(submissions, capacity, per_submission, conflicts=conflicts, seed=seed)
            else:
                plan = plan_spread(submissions, capacity, budget or 0, conflicts=conflicts, seed=seed)
        else:
            ratings, specs = read_ratings(
                ratings_path, weights, scale, submissions=submissions, submissions_file=subs_path
            )
            if per_submission is not None:
                plan = plan_top_up(
                    submissions, capacity, per_submission, existing=ratings.pairs(), conflicts=conflicts, seed=seed
                )
            else:
                model = fit(
                    ratings,
                    {s.key: s.weight for s in specs},
                    {s.key: (s.scale_min, s.scale_max) for s in specs},
                    submissions=submissions,
                )
                plan = plan_adaptive_wave(model, budget or 0, capacity, top_n=top_n, conflicts=conflicts, seed=seed)
    with click.open_file(out or "-", "w", encoding="utf-8", lazy=False) as handle:
        write_plan(plan, handle)


if __name__ == "__main__":
    scoring()

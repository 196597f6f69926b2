"""``gemeentedelers demo`` and ``bench``: the main job on a fresh local cloud, and benchmarks that print figures."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.option("--entries", default=64, show_default=True, help="Registrations to post (the first edition had 64).")
@click.option("--seed", default=2024, show_default=True, help="Seed of the generated registrations.")
@click.option("--json-out", type=click.Path(path_type=Path), default=None, help="Also write the summary as JSON.")
@click.option("--keep", is_flag=True, help="Leave the local cloud running afterwards (state in .local/cloud.json) "
              "to look at every page, mail and decision; 'gemeentedelers dev down' stops it.")
def demo(entries: int, seed: int, json_out: Path | None, keep: bool) -> None:
    """Play the main job on a fresh local cloud and show the result; tear everything down unless --keep."""
    from gemeentedelers.devtools.demo import CloudRecorded, play
    from gemeentedelers.devtools.localcloud.emulators import MissingTool

    try:
        summary = play(entries=entries, seed=seed, keep=keep, echo=click.echo)
    except (MissingTool, CloudRecorded) as problem:
        raise click.ClickException(str(problem)) from None
    if json_out:
        json_out.write_text(json.dumps(summary, indent=2, default=str))
    if not summary["ok"]:
        raise click.ClickException("the demo did not end as expected (see above)")


@click.group()
def bench() -> None:
    """Benchmarks that print figures (not timed tests)."""


@bench.command("intake")
@click.option("--requests", "total", default=400, show_default=True)
@click.option("--concurrency", default=20, show_default=True)
def bench_intake(total: int, concurrency: int) -> None:
    """Intake requests/s and latency on the local cloud, cold imports, Firestore operations per registration."""
    from gemeentedelers.devtools.benchmarks import run_intake_benchmark

    run_intake_benchmark(total=total, concurrency=concurrency, echo=click.echo)


@bench.command("console")
@click.option("--entries", default=300, show_default=True)
@click.option("--scorers", default=150, show_default=True)
@click.option("--ratings", default=1500, show_default=True)
@click.option("--views", default=20, show_default=True, help="Page views timed per page.")
def bench_console(entries: int, scorers: int, ratings: int, views: int) -> None:
    """The console's page time (p50/p95) with a round of this size, and Firestore reads per page view."""
    from gemeentedelers.devtools.console_benchmark import run_console_benchmark

    run_console_benchmark(entries=entries, scorers=scorers, ratings=ratings, views=views, echo=click.echo)

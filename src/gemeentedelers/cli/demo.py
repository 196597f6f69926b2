"""``gemeentedelers demo`` and ``bench``: the main job on a fresh local cloud, and benchmarks that print figures."""

from __future__ import annotations

import json
from pathlib import Path

import click


@click.command()
@click.option("--entries", default=64, show_default=True, type=click.IntRange(min=1),
              help="Registrations to post (the first edition had 64); the crowd, assessors and jury grow with it.")
@click.option("--seed", default=2024, show_default=True, help="Seed of the generated registrations.")
@click.option("--json-out", type=click.Path(path_type=Path), default=None, help="Also write the summary as JSON.")
@click.option("--keep", is_flag=True, help="Leave the local cloud running afterwards (state in .local/cloud.json) "
              "to look at every page, mail and decision; 'gemeentedelers dev down' stops it.")
def demo(entries: int, seed: int, json_out: Path | None, keep: bool) -> None:
    """Play the main job on a fresh local cloud and show the result; tear everything down unless --keep."""
    from gemeentedelers.devtools.demo import CloudRecorded, play
    from gemeentedelers.devtools.localcloud.emulators import MissingTool
    from gemeentedelers.web.refusals import Refusal

    try:
        summary = play(entries=entries, seed=seed, keep=keep, echo=click.echo)
    except (MissingTool, CloudRecorded) as problem:
        raise click.ClickException(str(problem)) from None
    except Refusal as problem:  # what an organiser would read on the page, with the planner's detail if any
        detail = f" ({problem.__cause__})" if problem.__cause__ else ""
        raise click.ClickException(f"the demo stopped: {problem}{detail}") from None
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


def _sizes(_: click.Context, __: click.Parameter, value: str) -> list[int]:
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a list of numbers such as 64,300,1000") from None
    if not sizes or min(sizes) < 1:
        raise click.BadParameter("give one or more numbers of entries, each at least 1")
    return sizes


@bench.command("edition")
@click.option("--sizes", default="64,300,1000", show_default=True, callback=_sizes,
              help="Numbers of entries, one edition each, on a fresh local cloud.")
@click.option("--seed", default=2024, show_default=True, help="Seed of the generated registrations and crowd.")
def bench_edition(sizes: list[int], seed: int) -> None:
    """Whole editions on the metered local cloud: wall time per stage, Firestore reads/writes, Pub/Sub messages and
    function requests per entry, and the cost at Google Cloud's list prices (Firestore multi-region $0.06 / $0.18 /
    $0.02 per 100,000 reads / writes / deletes; Pub/Sub $40 per TiB, 1,000 bytes at least per message; Cloud Run
    functions $0.40 per million requests, $0.000024 per vCPU-second and $0.0000025 per GiB-second at 1 vCPU and
    0.5 GiB, request time rounded up to 100 ms; read 2026-12-01, free tiers left out)."""
    from gemeentedelers.devtools.edition_benchmark import run_edition_benchmark
    from gemeentedelers.devtools.localcloud.emulators import MissingTool

    try:
        results = run_edition_benchmark(sizes, seed, echo=click.echo)
    except MissingTool as problem:
        raise click.ClickException(str(problem)) from None
    if not all(r.ok for r in results):
        raise click.ClickException("an edition did not play to the end (see above)")

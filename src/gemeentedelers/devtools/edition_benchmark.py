"""`gemeentedelers bench edition`: whole editions of several sizes on the local cloud, and what each would cost.

Per size, a fresh local cloud whose functions are metered (``devtools/meter.py``: the client libraries' Firestore
RPCs, Pub/Sub publishes and pushes, every request a function served) plays the demo (intake, rounds 1 to 3, the
crowd, assessors and jury sized to the entries). The process driving the demo counts the organisers', scorers',
assessors' and jurors' actions it performs through the core functions (each one request in production), and the
Firestore and Pub/Sub work done inside them, not its own checks. Printed per size: wall time per stage (until the
local cloud is quiet again), Firestore reads, writes and deletes, Pub/Sub messages and function requests per
entry, and the edition's cost at list prices (:data:`PRICES`; free tiers left out, so small editions are not
flattered). Figures are printed, never asserted; the emulators cap local speed (LOCAL_CLOUD.md).
"""

from __future__ import annotations

import math
import os
import shutil
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from gemeentedelers.devtools import meter
from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT, LocalCloud

Echo = Callable[[str], None]
QUIET_S = 2.0


@dataclass(frozen=True)
class Prices:
    """List prices in USD, without free tiers, as read on the date below (prices change: check before quoting).

    Firestore: Standard edition, multi-region (the deployment's ``eur3``; the copy of the pricing page read lists
    the multi-region price as $0.06 / $0.18 / $0.02 per 100,000 document reads / writes / deletes). Pub/Sub:
    message delivery (basic) $40 per TiB, every publish and every delivery billed at least 1,000 bytes. Cloud Run
    functions (2nd gen, request-based billing, Tier 1 region such as europe-west4): $0.40 per million requests,
    $0.000024 per vCPU-second and $0.0000025 per GiB-second of request time rounded up to 100 ms, at 1 vCPU and
    0.5 GiB per instance.
    """

    read_per_100k: float = 0.06
    write_per_100k: float = 0.18
    delete_per_100k: float = 0.02
    pubsub_per_tib: float = 40.0
    pubsub_min_bytes: int = 1000
    requests_per_million: float = 0.40
    vcpu_second: float = 0.000024
    gib_second: float = 0.0000025
    vcpus: float = 1.0
    gib: float = 0.5
    read_on: str = "2026-12-01"
    sources: tuple[str, ...] = ("https://cloud.google.com/firestore/pricing", "https://cloud.google.com/pubsub/pricing",
                                "https://cloud.google.com/run/pricing")

    def cost(self, counts: Counter[str]) -> dict[str, float]:
        """USD per service for ``counts`` (a meter's totals)."""
        pubsub_bytes = (max(counts["pubsub.published_bytes"], self.pubsub_min_bytes * counts["pubsub.published"])
                        + max(counts["pubsub.delivered_bytes"], self.pubsub_min_bytes * counts["pubsub.delivered"]))
        seconds = counts["functions.billed_ms"] / 1000
        return {
            "firestore": (counts["firestore.reads"] * self.read_per_100k + counts["firestore.writes"]
                          * self.write_per_100k + counts["firestore.deletes"] * self.delete_per_100k) / 100_000,
            "pubsub": pubsub_bytes / 2**40 * self.pubsub_per_tib,
            "functions": counts["functions.requests"] * self.requests_per_million / 1e6
            + seconds * (self.vcpus * self.vcpu_second + self.gib * self.gib_second),
        }


PRICES = Prices()


@dataclass
class EditionFigures:
    entries: int
    seconds: dict[str, float] = field(default_factory=dict)
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    processes: dict[str, Counter[str]] = field(default_factory=dict)
    ok: bool = False
    failed: list[str] = field(default_factory=list)
    quiet: bool = True

    @property
    def total(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for counts in self.counts.values():
            found.update(counts)
        return found

    def per_entry(self, key: str) -> float:
        return self.total[key] / self.entries


def _actions() -> list[tuple[Any, str]]:
    """The core functions the demo calls in-process that are one request each in production (a page's submit, an
    organiser's command, a scorer opening their sheet)."""
    from gemeentedelers.assessment import assessors, evidence, finalists, reports, visits
    from gemeentedelers.jury import jurors, round3
    from gemeentedelers.notify import sponsors
    from gemeentedelers.scoring import scorers, sheets, verdict, waves

    return [
        (scorers, "import_csv"), (waves, "first_wave"), (waves, "adaptive_wave"), (sheets, "sheet"),
        (sheets, "save"), (verdict, "close"),
        (evidence, "save"), (assessors, "import_csv"), (assessors, "form"), (assessors, "cases"),
        (assessors, "all_assessors"), (visits, "propose"), (visits, "confirm"), (reports, "save"),
        (reports, "sign_off"), (finalists, "save_ballot"), (finalists, "inputs"), (finalists, "confirm"),
        (jurors, "import_csv"), (jurors, "all_jurors"), (round3, "open_round"), (round3, "finalists"),
        (round3, "save_ranking"), (round3, "confirm"), (round3, "announce_if_due"), (sponsors, "register"),
    ]


def play_metered(entries: int, seed: int, echo: Echo) -> EditionFigures:
    """One edition on a fresh, metered local cloud."""
    from gemeentedelers.devtools.demo import play_on

    root = PROJECT_ROOT / ".local" / "bench-edition"
    meter_dir = root / "meter"
    shutil.rmtree(meter_dir, ignore_errors=True)
    path = os.pathsep.join(p for p in (str(meter.SITE_DIR), os.environ.get("PYTHONPATH", "")) if p)
    cloud = LocalCloud(root=root, edition="gd2024", function_env={"PYTHONPATH": path, "GD_METER_DIR": str(meter_dir)})
    figures = EditionFigures(entries)
    meter.install(meter_dir, name="demo-driver", actions_only=True)
    meter.reset()
    restore = meter.count_calls(_actions())
    cloud.start()
    try:
        meter.wait_quiet(meter_dir, QUIET_S)  # the functions' start-up (the edition's activation) is not a stage
        before, began = meter.totals(meter_dir), time.monotonic()

        def stage_done(name: str) -> None:
            nonlocal before, began
            figures.quiet &= meter.wait_quiet(meter_dir, QUIET_S)
            now = meter.totals(meter_dir)
            figures.seconds[name] = time.monotonic() - began - QUIET_S
            figures.counts[name] = now - before
            before, began = now, time.monotonic()

        summary = play_on(cloud, entries, seed, lambda _: None, stage_done)
        figures.ok = bool(summary["ok"])
        figures.failed = list(summary.get("failed_checks", []))
        figures.processes = meter.by_process(meter_dir)
    finally:
        restore()
        cloud.stop()
    return figures


def run_edition_benchmark(sizes: Sequence[int], seed: int = 2024, echo: Echo = print) -> list[EditionFigures]:
    results = []
    for entries in sizes:
        echo(f"Playing an edition of {entries} entries on a fresh, metered local cloud ...")
        began = time.monotonic()
        figures = play_metered(entries, seed, echo)
        echo(f"  played in {time.monotonic() - began:.0f} s; result "
             + ("OK" if figures.ok else "NOT OK: " + ", ".join(figures.failed)))
        results.append(figures)
    print_figures(results, echo)
    return results


def print_figures(results: Sequence[EditionFigures], echo: Echo, prices: Prices = PRICES) -> None:
    from gemeentedelers.devtools.demo import STAGES

    sizes = [f.entries for f in results]
    head = f"{'entries':<38}" + "".join(f"{n:>12}" for n in sizes)
    echo("")
    echo("Whole editions on the local cloud (the demo's play; crowd, assessors and jury sized to the entries)")
    echo(head)
    echo("Wall time per stage, s")
    for stage in STAGES:
        echo(f"  {stage:<36}" + "".join(f"{f.seconds.get(stage, math.nan):>12.1f}" for f in results))
    echo(f"  {'total':<36}" + "".join(f"{sum(f.seconds.values()):>12.1f}" for f in results))
    rows = [
        ("Firestore document reads", "firestore.reads"),
        ("Firestore document writes", "firestore.writes"),
        ("Firestore document deletes", "firestore.deletes"),
        ("Pub/Sub messages published", "pubsub.published"),
        ("Pub/Sub pushes delivered", "pubsub.delivered"),
        ("function requests (all)", "functions.requests"),
        ("  of which HTTP to a function", "functions.requests.http"),
        ("  of which pushes to a function", "functions.requests.pushes"),
        ("  of which actions run in-process", "functions.requests.in_process"),
    ]
    echo("Per entry (whole edition)")
    for label, key in rows:
        echo(f"  {label:<36}" + "".join(f"{f.per_entry(key):>12.2f}" for f in results))
    echo("Per entry and stage: Firestore reads / writes")
    for stage in STAGES:
        cells = "".join(f"{f.counts.get(stage, Counter())['firestore.reads'] / f.entries:>6.1f}/"
                        f"{f.counts.get(stage, Counter())['firestore.writes'] / f.entries:<5.1f}" for f in results)
        echo(f"  {stage:<36}{cells}")
    echo("Per entry and process: Firestore reads / writes, requests")
    for name in sorted({n for f in results for n in f.processes}):
        cells = "".join(f"{_cell(f, name)}" for f in results)
        echo(f"  {name:<36}{cells}")
    echo(f"Cost at list prices (USD, read {prices.read_on}; no free tiers; see --help for the prices)")
    costs = [prices.cost(f.total) for f in results]
    for service in ("firestore", "pubsub", "functions"):
        echo(f"  {service + ' per edition':<36}" + "".join(f"{c[service]:>12.4f}" for c in costs))
    echo(f"  {'total per edition':<36}" + "".join(f"{sum(c.values()):>12.4f}" for c in costs))
    echo(f"  {'total per 1,000 entries':<36}"
         + "".join(f"{sum(c.values()) / f.entries * 1000:>12.4f}" for c, f in zip(costs, results, strict=True)))
    slowest = max(results, key=lambda f: f.entries)
    total = sum(slowest.seconds.values())
    echo(f"{'PASS' if total < 900 else 'FAIL'}  {slowest.entries} entries played in {total / 60:.1f} min "
         "(target < 15 min)")
    if len(results) > 1:
        first = sum(costs[0].values()) / results[0].entries
        last = sum(costs[-1].values()) / results[-1].entries
        echo(f"{'PASS' if last <= 1.15 * first else 'FAIL'}  cost per entry {results[0].entries} -> "
             f"{results[-1].entries} entries: x{last / first:.2f} (target: flat, at most x1.15)")
    if not all(f.ok and f.quiet for f in results):
        echo("NOTE  an edition did not end as expected, or the local cloud was still busy after a stage")


def _cell(figures: EditionFigures, process: str) -> str:
    counts = figures.processes.get(process, Counter())
    return (f"{counts['firestore.reads'] / figures.entries:>5.1f}/{counts['firestore.writes'] / figures.entries:<4.1f}"
            f" {counts['functions.requests'] / figures.entries:<4.1f}")

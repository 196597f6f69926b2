"""Editions benchmark: how long from ``activate`` until the running functions serve the new version, and what a
request pays for the version check.

Run: ``.venv/bin/python tests/bench/editions.py [--rounds 6] [--requests 2000]``. A command, not a test: it starts a
local cloud of its own (the functions with their default ``GD_EDITION_CHECK_SECONDS``), publishes a second
version and activates the two in turn, polling every HTTP function's ``/edition`` until all of them name the
activated hash. Then, in this process, it times ``read_active`` inside a request pin (the check every request
makes) against the same work with the check taken out, and counts the ``config/active`` reads per request at a
steady request rate. Targets (issue 8): under 5 s to go live; under 2 ms and at most one small read per request.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

try:
    import gemeentedelers  # noqa: F401
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src"))

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.editions import active, pin, versions
from gemeentedelers.editions.specs import load_shipped
from gemeentedelers.platform.firestore import db


def go_live(cloud: LocalCloud, rounds: int) -> list[float]:
    """Seconds from the activation's commit until every HTTP function serves it, for ``rounds`` activations."""
    spec = load_shipped("gd2024")
    spec["title"] = {"nl": "GemeenteDelers 2024 (benchmark)", "en": "GemeenteDelers 2024 (benchmark)"}
    second = versions.publish(db(), spec, by="system:bench")
    first = versions.version_record(db(), "gd2024", 1)
    urls = [url for name, url in cloud.state["functions"].items() if name.endswith("-http")]
    session = requests.Session()
    times = []
    for n in range(rounds):
        version, digest = (second.version, second.hash) if n % 2 == 0 else (1, first["hash"])
        began = time.perf_counter()
        active.activate(db(), "gd2024", version=version, by="system:bench")
        waiting = set(urls)
        while waiting:
            waiting = {u for u in waiting if session.get(u + "/edition", timeout=10).json().get("hash") != digest}
            if waiting:
                time.sleep(0.02)
        times.append(time.perf_counter() - began)
    return times


def check_cost(requests_total: int) -> dict[str, float]:
    """Per request: the version check's time (cached and uncached) and how many ``config/active`` reads it made."""
    client = db()
    reads = 0
    original = active.read_pointer

    def counting(database: object, *, cached: bool = False) -> active.Pointer:
        nonlocal reads
        before = active._cached
        found = original(database, cached=cached)  # type: ignore[arg-type]
        reads += active._cached is not before  # a fresh read replaces the cache entry
        return found

    active.read_pointer = counting  # type: ignore[assignment]
    try:
        with pin.pinned(cached=True):
            active.read_active(client)  # warm: the version is loaded once, as at a function's first request
        samples = []
        began = time.perf_counter()
        for _ in range(requests_total):
            start = time.perf_counter()
            with pin.pinned(cached=True):
                active.read_active(client)
            samples.append(time.perf_counter() - start)
            time.sleep(0.004)  # a steady ~200 requests/s, so the few-seconds cache expires several times
        elapsed = time.perf_counter() - began
        in_requests = reads
        uncached = []
        for _ in range(200):
            start = time.perf_counter()
            with pin.pinned(cached=False):
                active.read_active(client)
            uncached.append(time.perf_counter() - start)
    finally:
        active.read_pointer = original  # type: ignore[assignment]
    samples.sort()
    return {"requests": requests_total, "seconds": elapsed, "reads": in_requests,
            "reads_per_request": in_requests / requests_total,
            "median_ms": statistics.median(samples) * 1000, "p99_ms": samples[int(len(samples) * 0.99)] * 1000,
            "mean_ms": statistics.fmean(samples) * 1000, "uncached_median_ms": statistics.median(uncached) * 1000}


def http_overhead(cloud: LocalCloud, total: int = 400) -> dict[str, float]:
    """``/edition`` (the check and a tiny answer) against ``/healthz`` (no check) on the intake function."""
    url = cloud.url("intake-http")
    session = requests.Session()

    def timed(path: str) -> float:
        start = time.perf_counter()
        session.get(url + path, timeout=10)
        return time.perf_counter() - start

    with ThreadPoolExecutor(1) as pool:
        healthz = sorted(pool.map(lambda _: timed("/healthz"), range(total)))
        edition = sorted(pool.map(lambda _: timed("/edition"), range(total)))
    return {"healthz_median_ms": statistics.median(healthz) * 1000, "edition_median_ms": statistics.median(edition)
            * 1000}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6, help="activations to time")
    parser.add_argument("--requests", type=int, default=2000, help="requests whose version check is timed")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as root:
        cloud = LocalCloud(root=Path(root), project="demo-gemeentedelers-bench")
        with cloud:
            print(f"local cloud up in {cloud.state['started_in_s']} s; version check cache "
                  f"{active.CHECK_SECONDS:g} s (GD_EDITION_CHECK_SECONDS)")
            live = go_live(cloud, args.rounds)
            cost = check_cost(args.requests)
            http = http_overhead(cloud)
    print(f"go live after activate, {len(live)} activations: median {statistics.median(live):.2f} s, "
          f"max {max(live):.2f} s  (target < 5 s: {'PASS' if max(live) < 5 else 'FAIL'})")
    print(f"version check per request ({cost['requests']} requests over {cost['seconds']:.1f} s): median "
          f"{cost['median_ms']:.3f} ms, mean {cost['mean_ms']:.3f} ms, p99 {cost['p99_ms']:.3f} ms "
          f"(target < 2 ms: {'PASS' if cost['mean_ms'] < 2 else 'FAIL'})")
    print(f"config/active reads: {cost['reads']} in {cost['requests']} requests = {cost['reads_per_request']:.4f} "
          f"per request (target <= 1: {'PASS' if cost['reads_per_request'] <= 1 else 'FAIL'}); a check that reads "
          f"(events, due jobs): median {cost['uncached_median_ms']:.2f} ms")
    print(f"over HTTP on intake: /healthz median {http['healthz_median_ms']:.2f} ms, /edition (check + answer) "
          f"median {http['edition_median_ms']:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())

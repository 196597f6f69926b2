"""`gemeentedelers bench console`: the console's round-1 page with 300 entries, 150 scorers and 1,500 ratings.

1. Page time over HTTP on the local cloud: a signed-in organiser GETs ``/organiser/round1`` (and the overview)
   repeatedly; the first view fits the rater model, later ones find the fit in the cache (``scoring.fitcache``)
   because the ratings did not change; then one score changes and the next view refits. p50/p95/max printed.
2. Firestore reads per page view: the same page rendered in this process with the client's reads counted
   (documents streamed or fetched, aggregation queries as one read each), once with nothing cached (the first
   view of an instance, or after a change) and once as every later view of an unchanged round.
Figures only (the target for the round-1 page is p95 under 300 ms); the emulator and a shared machine make
them local, noisy figures, not production ones.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import requests

from gemeentedelers.devtools.benchmarks import counting_firestore, percentile
from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT, LocalCloud

Echo = Callable[[str], None]
CRITERIA = ("succesvol", "waardevol", "herbruikbaar")


def seed_round1(entries: int, scorers: int, ratings: int) -> None:
    """Round 1 stored as the services store it: entries, approved scorers, assignments and submitted scores,
    written in batches (seeding is not what is measured)."""
    import random

    from gemeentedelers.platform import layout
    from gemeentedelers.platform.firestore import db

    client = db()
    rng = random.Random(300)
    now = datetime.now(UTC)
    writes: list[tuple[Any, dict[str, Any]]] = []
    entry_ids = [f"sub-bench{n:06d}" for n in range(entries)]
    for n, sid in enumerate(entry_ids):
        writes.append((layout.round1_entries(client, "gd2024").document(sid),
                       {"submission_id": sid, "edition": "gd2024", "municipality": f"Gemeente {n}", "co_applicants": [],
                        "title": f"Initiatief {n}", "description": "Een initiatief om te delen.",
                        "category": "direct" if n % 2 else "indirect", "entered_at": now}))
    scorer_ids = [f"sc-bench{n:05d}" for n in range(scorers)]
    for n, scorer in enumerate(scorer_ids):
        writes.append((layout.scorers(client, "gd2024").document(scorer),
                       {"scorer_id": scorer, "name": f"Scoorder {n}", "email": f"s{n}@example.org",
                        "organisation": f"Bureau {n}", "status": "approved", "capacity": 12, "language": "nl",
                        "signed_up_at": now}))
    quality = {sid: rng.gauss(6, 1.5) for sid in entry_ids}
    for k in range(ratings):
        sid, scorer = entry_ids[k % entries], scorer_ids[(k * 7 + k // entries) % scorers]
        pair = layout.pair_id(scorer, sid)
        writes.append((layout.round1_assignments(client, "gd2024").document(pair),
                       {"scorer_id": scorer, "submission_id": sid, "wave": 1, "status": "assigned",
                        "assigned_at": now}))
        if k % 10:  # nine in ten submitted, the rest still open (someone is behind)
            scores = {c: max(1, min(10, round(quality[sid] + rng.gauss(0, 1.2)))) for c in CRITERIA}
            writes.append((layout.round1_scores(client, "gd2024").document(pair),
                           {"scorer_id": scorer, "submission_id": sid, "scores": scores, "tops": "t", "tips": "t",
                            "status": "submitted", "updated_at": now, "submitted_at": now - timedelta(days=k % 9),
                            "revisions": 1}))
    writes.append((layout.round_state(client, "gd2024", 1),
                   {"round": 1, "status": "open", "opened_at": now, "opened_by": "system:bench", "waves": []}))
    for start in range(0, len(writes), 400):
        batch = client.batch()
        for ref, data in writes[start:start + 400]:
            batch.set(ref, data)
        batch.commit()
    from gemeentedelers.scoring.changes import touch

    touch(client, "gd2024")  # as every writer of round 1 does


def timed_views(session: requests.Session, url: str, views: int) -> list[float]:
    found = []
    for _ in range(views):
        began = time.perf_counter()
        answer = session.get(url, timeout=120)
        found.append((time.perf_counter() - began) * 1000)
        if answer.status_code != 200:
            raise RuntimeError(f"{url} answered {answer.status_code}")
    return found


def reads_per_view(path: str, cookie: str) -> tuple[int, int]:
    """The page rendered twice in this process (the same code as the function): its Firestore reads with nothing
    cached, and on the next view of the unchanged round."""
    from flask import Flask

    from gemeentedelers.scoring.fitcache import clear
    from gemeentedelers.scoring.web import ROUTES
    from gemeentedelers.web.app import serve

    clear()
    app = Flask("bench")
    found = []
    for _ in range(2):
        with counting_firestore() as counts, app.test_request_context(path, headers={"Cookie": cookie}):
            from flask import request

            answer = serve("scoring", ROUTES, request)
            if answer.status_code != 200:
                raise RuntimeError(f"{path} answered {answer.status_code} in process")
        found.append(int(counts["reads"]))
    return found[0], found[1]


def run_console_benchmark(*, entries: int = 300, scorers: int = 150, ratings: int = 1500, views: int = 20,
                          echo: Echo = print) -> dict[str, Any]:
    from gemeentedelers.people import organisers
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import sheets, waves

    cloud = LocalCloud(root=PROJECT_ROOT / ".local" / "bench-console", edition="gd2024")
    results: dict[str, Any] = {}
    with cloud:
        echo(f"Seeding round 1: {entries} entries, {scorers} scorers, {ratings} ratings ...")
        seed_round1(entries, scorers, ratings)
        record, _ = organisers.add(db(), email="bench@vng.test", name="Bench Organiser", role="coordinator",
                                   by=None)
        link = organisers.sign_in_link(record, "scoring")
        session = requests.Session()
        token = link.split("token=", 1)[1]
        base = cloud.url("scoring-http")
        session.post(base + "/organiser/login", data={"token": token}, timeout=30).raise_for_status()
        page = base + "/organiser/round1"
        cold = timed_views(session, page, 1)[0]
        warm = timed_views(session, page, views)
        data = waves.read_round(db(), "gd2024")
        scorer_id, sid = data.active_pairs[1]
        from gemeentedelers.editions import get_edition

        sheets.save(db(), get_edition("gd2024"), scorer_id, sid, {"succesvol": 9, "waardevol": 9, "herbruikbaar": 9,
                                                                   "tops": "x", "tips": "y"}, submit=True)
        changed = timed_views(session, page, 1)[0]
        overview = timed_views(session, base + "/organiser", views)
        cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies if c.name == "gd_organiser")
        results = {
            "round1_cold_ms": cold, "round1_after_a_changed_score_ms": changed,
            "round1_ms": {"p50": percentile(warm, 0.5), "p95": percentile(warm, 0.95), "max": max(warm)},
            "overview_ms": {"p50": percentile(overview, 0.5), "p95": percentile(overview, 0.95),
                            "max": max(overview)},
            "round1_reads": reads_per_view("/organiser/round1", cookie),
            "overview_reads": reads_per_view("/organiser", cookie),
        }
    _print(results, entries, scorers, ratings, views, echo)
    return results


def _print(results: dict[str, Any], entries: int, scorers: int, ratings: int, views: int, echo: Echo) -> None:
    r1, home = results["round1_ms"], results["overview_ms"]
    echo("")
    echo(f"Console on the local cloud: {entries} entries, {scorers} scorers, {ratings} ratings, {views} views each")
    echo(f"  round 1 page, first view (fits the model)   {results['round1_cold_ms']:8.0f} ms")
    echo(f"  round 1 page, cached fit                    p50 {r1['p50']:6.0f} ms   p95 {r1['p95']:6.0f} ms   "
         f"max {r1['max']:6.0f} ms   (target p95 < 300 ms)")
    echo(f"  round 1 page after one changed score        {results['round1_after_a_changed_score_ms']:8.0f} ms "
         "(refits)")
    echo(f"  overview page                               p50 {home['p50']:6.0f} ms   p95 {home['p95']:6.0f} ms   "
         f"max {home['max']:6.0f} ms")
    (r1_cold, r1_warm), (home_cold, home_warm) = results["round1_reads"], results["overview_reads"]
    echo(f"  Firestore reads per view, nothing cached / unchanged round: round 1 page {r1_cold} / {r1_warm}, "
         f"overview {home_cold} / {home_warm}")

"""`gemeentedelers bench intake`: figures for the intake path on the local cloud, printed, never asserted.

1. HTTP: signed registrations posted at a fixed concurrency to the intake function; requests/s and latency
   percentiles, then how long until every confirmation mail arrived (the whole push pipeline).
2. Cold import: each function module imported in a fresh interpreter, median of several runs.
3. Firestore operations per registration: intake, scoring and notify run in this process against the
   emulator with the client's document methods wrapped and counted (push subscriptions removed meanwhile,
   so no other process touches the same documents).
The emulators cap what is possible (LOCAL_CLOUD.md): these are local figures, not production ones.
"""

from __future__ import annotations

import base64
import json
import statistics
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import requests

from gemeentedelers.devtools.formtools import build_request
from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT, LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.platform.events import SERVICES

Echo = Callable[[str], None]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def run_intake_benchmark(*, total: int, concurrency: int, echo: Echo = print) -> dict[str, Any]:
    results: dict[str, Any] = {"imports_ms": cold_imports()}
    cloud = LocalCloud(root=PROJECT_ROOT / ".local" / "bench", edition="gd2024")
    with cloud:
        results["http"] = http_load(cloud, total, concurrency)
        results["firestore_ops"] = firestore_ops_per_registration(cloud, samples=20)
    _print(results, total, concurrency, echo)
    return results


def http_load(cloud: LocalCloud, total: int, concurrency: int) -> dict[str, float]:
    providers = ("typeform", "tally", "generic")
    secrets = cloud.state["webhook_secrets"]
    jobs = [build_request(providers[i % 3], fields, secrets[providers[i % 3]])
            for i, fields in enumerate(registrations(total, seed=99))]
    url = cloud.url("intake-http")
    sessions: dict[int, requests.Session] = {}

    def send(job: Any) -> tuple[int, float]:
        session = sessions.setdefault(threading.get_ident(), requests.Session())
        began = time.perf_counter()
        answer = session.post(url + job.path, data=job.body, headers=job.headers, timeout=60)
        return answer.status_code, time.perf_counter() - began

    began = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        outcomes = list(pool.map(send, jobs))
    wall = time.perf_counter() - began
    latencies = [seconds * 1000 for _, seconds in outcomes]
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and len(read_mailbox(cloud.maildir)) < total:
        time.sleep(0.2)
    mails_done = time.perf_counter() - began
    return {
        "requests": total,
        "ok": sum(1 for status, _ in outcomes if status == 201),
        "requests_per_s": total / wall,
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "mails": len(read_mailbox(cloud.maildir)),
        "all_mails_after_s": mails_done,
    }


def cold_imports(runs: int = 5) -> dict[str, float]:
    """Median milliseconds to import each function module in a fresh interpreter."""
    code = (
        "import importlib.util, sys, time; t = time.perf_counter();"
        "spec = importlib.util.spec_from_file_location('main', sys.argv[1]);"
        "module = importlib.util.module_from_spec(spec); spec.loader.exec_module(module);"
        "print((time.perf_counter() - t) * 1000)"
    )
    figures = {}
    for service in SERVICES:
        source = PROJECT_ROOT / "services" / service / "main.py"
        samples = [
            float(subprocess.run([sys.executable, "-c", code, str(source)], capture_output=True, text=True,
                                 check=True).stdout)
            for _ in range(runs)
        ]
        figures[service] = statistics.median(samples)
    return figures


@contextmanager
def counting_firestore() -> Iterator[Counter[str]]:
    """Count the document operations this process issues (reads: get, get_all and streamed documents, an
    aggregation query as one; writes: each write of a committed batch)."""
    from google.cloud.firestore_v1 import aggregation, batch, client, document, query

    counts: Counter[str] = Counter()
    originals: list[tuple[Any, str, Any]] = []

    def wrap(owner: Any, name: str, kind: str, streamed: bool = False) -> None:
        original = getattr(owner, name)
        originals.append((owner, name, original))

        def counted(*args: Any, **kwargs: Any) -> Any:
            if not streamed:
                counts[kind] += 1
                return original(*args, **kwargs)
            items = list(original(*args, **kwargs))
            counts[kind] += max(1, len(items))  # Firestore bills an empty query as one read
            return iter(items)

        setattr(owner, name, counted)

    commit = batch.WriteBatch.commit
    originals.append((batch.WriteBatch, "commit", commit))

    def counted_commit(self: Any, *args: Any, **kwargs: Any) -> Any:
        """Every write goes through a batch (``DocumentReference.set`` and the like make one of their own);
        each write of a committed batch is one write (a refused one, such as a create that exists, is none)."""
        writes = len(self._write_pbs)
        result = commit(self, *args, **kwargs)
        counts["writes"] += writes
        return result

    batch.WriteBatch.commit = counted_commit
    wrap(document.DocumentReference, "get", "reads")
    wrap(query.Query, "stream", "reads", streamed=True)  # CollectionReference.stream runs a Query's: counted there
    wrap(client.Client, "get_all", "reads", streamed=True)
    wrap(aggregation.AggregationQuery, "get", "reads")
    try:
        yield counts
    finally:
        for owner, name, original in originals:
            setattr(owner, name, original)


def firestore_ops_per_registration(cloud: LocalCloud, samples: int) -> dict[str, dict[str, float]]:
    from cloudevents.http import CloudEvent

    from gemeentedelers.devtools.localcloud.pubsub_admin import PubSubAdmin
    from gemeentedelers.entries import submissions
    from gemeentedelers.intake import service
    from gemeentedelers.notify.service import consumer as notify
    from gemeentedelers.platform import bus, layout
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring.service import consumer as scoring

    cloud.reset()
    cloud.use_in_this_process()
    admin = PubSubAdmin(cloud.state["pubsub_emulator_host"], cloud.project)
    admin.clear()  # no push subscriptions: only this process touches the documents
    admin.ensure_topic("gd-submission-received")
    secrets = cloud.state["webhook_secrets"]
    totals: dict[str, Counter[str]] = {"intake": Counter(), "scoring": Counter(), "notify": Counter(),
                                       "intake (duplicate)": Counter()}
    for number, fields in enumerate(registrations(samples, seed=5)):
        request = build_request("generic", fields, secrets["generic"])
        with counting_firestore() as counts:
            outcome = service.receive("generic", request.body, request.headers)
        assert outcome.status == 201, outcome.body
        totals["intake"] += counts
        with counting_firestore() as counts:
            service.receive("generic", request.body, request.headers)
        totals["intake (duplicate)"] += counts
        sid = outcome.body["submission_id"]
        record = layout.submissions(db(), "gd2024").document(sid).get().to_dict()
        data = bus.envelope("submission.received", submissions.received_event_id(sid), "gd2024",
                            submissions.received_event_body(record))
        event = CloudEvent(
            {"type": "google.cloud.pubsub.topic.v1.messagePublished", "source": "//bench", "id": f"b{number}"},
            {"message": {"data": base64.b64encode(json.dumps(data).encode()).decode(), "messageId": f"b{number}",
                         "attributes": {"event_type": "submission.received"}}},
        )
        for name, consumer in (("scoring", scoring), ("notify", notify)):
            with pushed_with_token(cloud), counting_firestore() as counts:
                consumer(event)
            totals[name] += counts
    cloud.reset()
    return {name: {kind: counts[kind] / samples for kind in ("reads", "writes")} for name, counts in totals.items()}


def pushed_with_token(cloud: Any) -> Any:
    """A request context as the emulator's push makes it, with the local cloud's push token in the query."""
    from flask import Flask

    return Flask(__name__).test_request_context(f"/?push_token={cloud.state['push_token']}")


def _print(results: dict[str, Any], total: int, concurrency: int, echo: Echo) -> None:
    http = results["http"]
    echo(f"Intake on the local cloud: {total} signed registrations at concurrency {concurrency}")
    echo(f"  accepted                 {http['ok']}/{http['requests']}")
    echo(f"  throughput               {http['requests_per_s']:.1f} requests/s")
    echo(f"  latency p50 / p95 / p99  {http['p50_ms']:.0f} / {http['p95_ms']:.0f} / {http['p99_ms']:.0f} ms")
    echo(f"  all {http['mails']} confirmation mails in {http['all_mails_after_s']:.1f} s from the first request")
    echo("Cold import of each function module (median of 5 fresh interpreters)")
    for service, ms in results["imports_ms"].items():
        echo(f"  services/{service}/main.py{'':<{12 - len(service)}} {ms:.0f} ms")
    echo("Firestore operations per registration (counted in-process, mean of 20)")
    for name, ops in results["firestore_ops"].items():
        echo(f"  {name:<20} reads {ops['reads']:.1f}  writes {ops['writes']:.1f}")

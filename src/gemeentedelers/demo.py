"""The main job, played on a fresh local cloud: what `make demo` shows.

For now (the foundation) it is the intake of an edition: municipalities register through three form tools
via the signed webhooks, form tools redeliver some registrations, a few requests are bad, and every entrant
gets exactly one confirmation mail. Later rounds extend this play.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from gemeentedelers import layout
from gemeentedelers.formtools import FormRequest, build_request
from gemeentedelers.localcloud.cloud import PROJECT_ROOT, LocalCloud
from gemeentedelers.localcloud.smtp import read_mailbox
from gemeentedelers.sampledata import registrations

PROVIDER_CYCLE = ("typeform", "typeform", "tally", "generic", "typeform", "tally", "generic")
Echo = Callable[[str], None]


@dataclass(frozen=True)
class Posted:
    provider: str
    request: FormRequest
    status: int
    body: dict[str, Any]


def post(cloud: LocalCloud, provider: str, request: FormRequest) -> Posted:
    answer = requests.post(cloud.url("intake-http") + request.path, data=request.body, headers=request.headers,
                           timeout=30)
    return Posted(provider, request, answer.status_code, answer.json())


def wait_until(predicate: Callable[[], bool], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return predicate()


def play(*, entries: int = 64, seed: int = 2024, echo: Echo = print) -> dict[str, Any]:
    cloud = LocalCloud(root=PROJECT_ROOT / ".local" / "demo", edition="gd2024")
    echo("Starting the local cloud (Firestore and Pub/Sub emulators, 9 functions, SMTP) ...")
    with cloud:
        echo(f"  ready in {cloud.state['started_in_s']} s; edition gd2024, competition clock mid-registration")
        return _play(cloud, entries, seed, echo)


def _play(cloud: LocalCloud, entries: int, seed: int, echo: Echo) -> dict[str, Any]:
    secrets = cloud.state["webhook_secrets"]
    people = registrations(entries, seed)
    planned = []
    for number, fields in enumerate(people):
        provider = PROVIDER_CYCLE[number % len(PROVIDER_CYCLE)]
        planned.append((provider, build_request(provider, fields, secrets[provider])))

    echo(f"Posting {entries} registrations through the Typeform, Tally and generic webhooks ...")
    began = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda job: post(cloud, *job), planned))
        redelivered = list(pool.map(lambda job: post(cloud, *job), planned[: max(1, entries // 10)]))
    intake_s = time.monotonic() - began

    bad_requests = _bad_requests(people[0], secrets)
    rejected = [post(cloud, provider, request) for provider, request in bad_requests]

    from gemeentedelers.firestore import db

    client = db()
    mails_expected = sum(1 for r in results if r.status == 201)
    echo(f"Waiting for {mails_expected} confirmation mails ...")
    wait_until(lambda: len(read_mailbox(cloud.maildir)) >= mails_expected, timeout_s=120)
    time.sleep(1.0)  # let any duplicate mail (there should be none) arrive before counting
    mails = read_mailbox(cloud.maildir)
    stored = [doc.to_dict() for doc in layout.submissions(client, "gd2024").stream()]
    round1 = sum(1 for _ in layout.round1_entries(client, "gd2024").stream())

    summary: dict[str, Any] = {
        "registrations_posted": entries,
        "registered": sum(1 for r in results if r.status == 201),
        "redeliveries": len(redelivered),
        "redeliveries_answered_duplicate": sum(1 for r in redelivered if r.status == 200),
        "rejected": dict(Counter(f"{p.status} {p.body.get('error')}" for p in rejected)),
        "stored": len(stored),
        "round1_entries": round1,
        "mails": len(mails),
        "mails_by_language": dict(Counter(m.language for m in mails)),
        "stored_by_category": dict(Counter(s["category"] for s in stored)),
        "stored_by_provider": dict(Counter(s["source"]["provider"] for s in stored)),
        "intake_seconds": round(intake_s, 2),
    }
    summary["ok"] = (
        summary["registered"] == entries
        and summary["stored"] == entries
        and summary["round1_entries"] == entries
        and summary["mails"] == entries
        and summary["redeliveries_answered_duplicate"] == len(redelivered)
        and all(400 <= p.status < 500 for p in rejected)
    )
    _print_summary(summary, mails, echo)
    return summary


def _bad_requests(fields: dict[str, Any], secrets: dict[str, str]) -> list[tuple[str, FormRequest]]:
    """What form tools and people get wrong: a tampered body, a missing consent, an unusable address."""
    good = build_request("typeform", fields, secrets["typeform"])
    tampered = FormRequest(good.path, good.body.replace(b"Utrecht", b"Utrecht!") + b" ", good.headers)
    no_consent = build_request("tally", {**fields, "consent": False}, secrets["tally"])
    bad_email = build_request("generic", {**fields, "contact_email": "fleur at utrecht"}, secrets["generic"])
    return [("typeform", tampered), ("tally", no_consent), ("generic", bad_email)]


def _print_summary(summary: dict[str, Any], mails: list[Any], echo: Echo) -> None:
    echo("")
    echo("GemeenteDelers 2024, intake on the local cloud")
    echo(f"  registrations posted        {summary['registrations_posted']}")
    echo(f"  stored                      {summary['stored']}  by category {summary['stored_by_category']}")
    echo(f"                              by form tool {summary['stored_by_provider']}")
    echo(f"  redelivered by form tools   {summary['redeliveries']}, all answered as duplicates: "
         f"{summary['redeliveries_answered_duplicate'] == summary['redeliveries']}")
    echo("  bad requests rejected       " + ", ".join(f"{n} x {why}" for why, n in summary["rejected"].items()))
    echo(f"  round-1 entries (anonymised){summary['round1_entries']:>3}")
    echo(f"  confirmation mails sent     {summary['mails']}  by language {summary['mails_by_language']}")
    echo(f"  intake time                 {summary['intake_seconds']} s")
    if mails:
        echo("")
        echo(f"  first mail: to {mails[0].to}: {mails[0].subject}")
    echo("")
    echo("Result: " + ("OK" if summary["ok"] else "NOT OK"))

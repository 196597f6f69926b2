"""The demo's intake: registrations through the three form tools' signed webhooks, redeliveries, bad requests."""

from __future__ import annotations

import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

import requests

from gemeentedelers.devtools.demo.common import Echo, wait_until
from gemeentedelers.devtools.formtools import FormRequest, build_request
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.platform import layout

PROVIDER_CYCLE = ("typeform", "typeform", "tally", "generic", "typeform", "tally", "generic")


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




def play_intake(cloud: LocalCloud, entries: int, seed: int, echo: Echo) -> dict[str, Any]:
    """Registrations through the three form tools, some redelivered, a few bad; every entrant confirmed once."""
    secrets = cloud.state["webhook_secrets"]
    people = registrations(entries, seed)
    planned = []
    for number, fields in enumerate(people):
        fields = {**fields, "consent_publication": number % 4 != 3}  # three in four agree to the databank
        provider = PROVIDER_CYCLE[number % len(PROVIDER_CYCLE)]
        # a stable delivery id per registration makes a seeded demo reproducible, ids and all
        planned.append((provider, build_request(provider, fields, secrets[provider], event_id=f"demo-{seed}-{number}")))

    echo(f"Posting {entries} registrations through the Typeform, Tally and generic webhooks ...")
    began = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda job: post(cloud, *job), planned))
        redelivered = list(pool.map(lambda job: post(cloud, *job), planned[: max(1, entries // 10)]))
    intake_s = time.monotonic() - began

    bad = bad_requests(people[0], secrets)
    rejected = [post(cloud, provider, request) for provider, request in bad]

    from gemeentedelers.platform.firestore import db

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
        "confirmation_mails": len(mails),
        "mails_by_language": dict(Counter(m.language for m in mails)),
        "stored_by_category": dict(Counter(s["category"] for s in stored)),
        "stored_by_provider": dict(Counter(s["source"]["provider"] for s in stored)),
        "intake_seconds": round(intake_s, 2),
    }
    summary["redelivered_ok"] = summary["redeliveries_answered_duplicate"] == len(redelivered)
    summary["rejected_ok"] = all(400 <= p.status < 500 for p in rejected)
    print_intake(summary, mails, echo)
    return summary


def bad_requests(fields: dict[str, Any], secrets: dict[str, str]) -> list[tuple[str, FormRequest]]:
    """What form tools and people get wrong: a tampered body, a missing consent, an unusable address."""
    good = build_request("typeform", fields, secrets["typeform"])
    tampered = FormRequest(good.path, good.body.replace(b"Utrecht", b"Utrecht!") + b" ", good.headers)
    no_consent = build_request("tally", {**fields, "consent": False}, secrets["tally"])
    bad_email = build_request("generic", {**fields, "contact_email": "fleur at utrecht"}, secrets["generic"])
    return [("typeform", tampered), ("tally", no_consent), ("generic", bad_email)]


def print_intake(summary: dict[str, Any], mails: list[Any], echo: Echo) -> None:
    echo("")
    echo("GemeenteDelers 2024, intake on the local cloud")
    echo(f"  registrations posted        {summary['registrations_posted']}")
    echo(f"  stored                      {summary['stored']}  by category {summary['stored_by_category']}")
    echo(f"                              by form tool {summary['stored_by_provider']}")
    echo(f"  redelivered by form tools   {summary['redeliveries']}, all answered as duplicates: "
         f"{summary['redeliveries_answered_duplicate'] == summary['redeliveries']}")
    echo("  bad requests rejected       " + ", ".join(f"{n} x {why}" for why, n in summary["rejected"].items()))
    echo(f"  round-1 entries (anonymised){summary['round1_entries']:>3}")
    echo(f"  confirmation mails sent     {summary['confirmation_mails']}  by language {summary['mails_by_language']}")
    echo(f"  intake time                 {summary['intake_seconds']} s")
    if mails:
        echo("")
        echo(f"  first mail: to {mails[0].to}: {mails[0].subject}")



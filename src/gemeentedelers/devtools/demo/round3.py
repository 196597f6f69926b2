"""The demo's round 3: the jury ranks, the chair confirms, the tick announces under embargo, a sponsor receives."""

from __future__ import annotations

import random
import time
from typing import Any

from google.cloud.firestore import FieldFilter

from gemeentedelers.devtools.demo.common import ACTOR, Echo, wait_until
from gemeentedelers.devtools.demo.sizing import sizes
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.platform import layout

JURORS = (("Gemeente", "Amersfoort", "nl"), ("Rijk", "Ministerie van BZK", "nl"), ("Bedrijf", "Sponsor BV", "en"),
          ("Maatschappij", "Divosa", "nl"))
"""The jury's members besides the chair: a municipality, the state, a company, civil society."""


class SponsorSink:
    """A sponsor's system on loopback: receives the signed winners webhook, as a real sponsor would."""

    def __init__(self) -> None:
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        received = self.received = []  # type: list[tuple[dict[str, str], bytes]]

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.append((dict(self.headers), body))
                self.send_response(200)
                self.end_headers()

            def log_message(self, *_: object) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/gemeentedelers/winners"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def play_round3(cloud: LocalCloud, client: Any, truth: dict[str, float], seed: int, echo: Echo) -> dict[str, Any]:
    """The jury ranks the finalists, the chair confirms, the winners wait for the announcement date, then go
    out to entrants, assessors, jury and a sponsor's webhook."""
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.entries import composer
    from gemeentedelers.jury import jurors as jury_members
    from gemeentedelers.jury import round3
    from gemeentedelers.notify import sponsors
    from gemeentedelers.platform.tick import publish_tick

    edition = read_active(client).edition  # the published gd2024 the functions serve
    rng = random.Random(seed)
    sink = SponsorSink()
    endpoint, secret = sponsors.register(client, "Sponsor (demo)", sink.url)
    jury_csv = _jury_csv(sizes(edition, len(truth)).jurors)
    jury_members.import_csv(client, "gd2024", jury_csv, source="jury.csv", by=ACTOR)
    people = jury_members.all_jurors(client, "gd2024")
    chair = jury_members.chair_of(people)
    round3.open_round(client, edition, by=ACTOR)
    shortlist = round3.finalists(client, edition)
    for juror in people:
        skip = round3.voting_categories(edition, juror, shortlist)
        for category, entries in shortlist.items():
            if skip[category]:
                continue
            order = sorted(entries, key=lambda e: -(truth.get(e["submission_id"], 0) + rng.gauss(0, 0.5)))
            form = {f"rank_{e['submission_id']}": str(place) for place, e in enumerate(order, start=1)}
            round3.save_ranking(client, edition, juror["juror_id"], category, form)
    result = round3.confirm(client, edition, chair)
    composer.approve_all(client, "gd2024", 3, by=ACTOR)  # the final feedback, reviewed under embargo
    before = round3.announce_if_due(client, edition, read_active(client).clock.now())
    echo(f"Round 3: {len(people)} jurors ranked {sum(len(v) for v in shortlist.values())} finalists; the chair "
         f"confirmed; embargo until {edition.timeline.winners_announced:%Y-%m-%d %H:%M} ({before.status}).")
    cloud.activate("gd2024", edition.timeline.winners_announced)
    publish_tick()  # what the scheduler does every few minutes: the jury announces, now that the moment has come
    announced_by_tick = wait_until(lambda: (layout.winners(client, "gd2024").document("result").get().to_dict()
                                            or {}).get("status") == "announced", timeout_s=60)
    after = round3.announce_if_due(client, edition, read_active(client).clock.now())
    echo(f"  the competition clock reaches the announcement; the next tick announces: "
         f"{'announced' if announced_by_tick else after.status}; waiting for mails and the sponsor ...")
    wait_until(lambda: len(sink.received) >= 1, timeout_s=60)
    announced = wait_until(lambda: sum(1 for m in read_mailbox(cloud.maildir) if "winnaars" in m.subject.lower()
                                       or "winners" in m.subject.lower()) >= len(truth), timeout_s=120)
    # every entrant's final feedback goes out with the announcement too: a large edition's takes a while longer
    wait_until(lambda: _final_feedback_mails(read_mailbox(cloud.maildir)) >= len(truth), timeout_s=180)
    publish_tick()  # the next tick: notify publishes the consenting entries in the databank
    databank = wait_until(lambda: layout.databank_marker(client, "gd2024").get().exists, timeout_s=60)
    published = len(list(layout.databank(client).where(filter=FieldFilter("edition", "==", "gd2024")).stream()))
    echo(f"  the databank publishes {published} consenting entries: /databank/gd2024.json and .csv on intake")
    time.sleep(1.0)
    sink.close()
    mails = read_mailbox(cloud.maildir)
    signed = all(_verified(secret, headers, body) for headers, body in sink.received)
    return {
        "round3": {
            "jurors": len(people),
            "finalists": {c: len(v) for c, v in shortlist.items()},
            "winners": [(w["category"], w["title"], w["municipality"]) for w in result["winners"]],
            "embargo_respected": before.status == "not_due",
            "announced": "announced" if announced_by_tick else after.status,
            "announced_by_tick": announced_by_tick,
            "sponsor_deliveries": len(sink.received),
            "sponsor_signatures_valid": signed,
            "sponsor_endpoint": endpoint.endpoint_id,
            "announcement_mails": sum(1 for m in mails if "winnaars" in m.subject.lower()
                                      or "winners" in m.subject.lower()) if announced else 0,
            "databank_entries": published if databank else 0,
            "final_feedback_mails": _final_feedback_mails(mails),
        }
    }


def _final_feedback_mails(mails: list[Any]) -> int:
    return sum(1 for m in mails if "ronde 3" in m.subject.lower() or "round 3" in m.subject.lower())


def _jury_csv(jurors: int) -> str:
    """The chair and ``jurors - 1`` members, the four kinds of member in turn (numbered from the second round)."""
    rows = ["name,email,organisation,is_chair,language", "Voorzitter Jury,voorzitter@example.org,VNG Realisatie,ja,nl"]
    for n in range(jurors - 1):
        kind, organisation, language = JURORS[n % len(JURORS)]
        number = "" if n < len(JURORS) else str(n // len(JURORS) + 1)
        rows.append(f"Jurylid {kind} {number}".rstrip() + f",jurylid.{kind.lower()}{number}@example.org,"
                    f"{organisation},nee,{language}")
    return "\n".join(rows)


def _verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    from gemeentedelers.intake.signatures import SignatureError, verify

    try:
        verify("generic", secret, body, headers)
    except SignatureError:
        return False
    return True



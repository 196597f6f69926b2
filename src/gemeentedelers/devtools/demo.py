"""The main job, played on a fresh local cloud: what `make demo` shows.

Intake: municipalities register through three form tools via the signed webhooks, form tools redeliver some
registrations, a few requests are bad, and every entrant gets exactly one confirmation mail.
Round 1: a crowd of 60 scorers (from the benchmark's simulated world: lenient, strict, noisy and careless
ones) is imported, the first wave is assigned and mailed, the crowd scores, an adaptive wave goes where the
cut-off is uncertain, the round closes, 20 advance, and every entrant gets tips and tops.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import requests

from gemeentedelers.devtools.formtools import FormRequest, build_request
from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT, LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.platform import layout

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
    from gemeentedelers.editions import get_edition

    secrets = cloud.state["webhook_secrets"]
    people = registrations(entries, seed)
    planned = []
    for number, fields in enumerate(people):
        provider = PROVIDER_CYCLE[number % len(PROVIDER_CYCLE)]
        # a stable delivery id per registration makes a seeded demo reproducible, ids and all
        planned.append((provider, build_request(provider, fields, secrets[provider], event_id=f"demo-{seed}-{number}")))

    echo(f"Posting {entries} registrations through the Typeform, Tally and generic webhooks ...")
    began = time.monotonic()
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda job: post(cloud, *job), planned))
        redelivered = list(pool.map(lambda job: post(cloud, *job), planned[: max(1, entries // 10)]))
    intake_s = time.monotonic() - began

    bad_requests = _bad_requests(people[0], secrets)
    rejected = [post(cloud, provider, request) for provider, request in bad_requests]

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
    summary |= play_round1(cloud, client, seed, echo)
    truth = summary.pop("truth")
    summary |= play_round2(cloud, client, truth, seed, echo)
    summary |= play_round3(cloud, client, truth, seed, echo)
    summary["ok"] = (
        summary["round2"]["finalists"] == 2 * get_edition("gd2024").finalist_rule.finalists_per_category
        and len(summary["round3"]["winners"]) == len(get_edition("gd2024").categories)
        and summary["round3"]["embargo_respected"] and summary["round3"]["announced_by_tick"]
        and summary["round3"]["sponsor_deliveries"] == 1 and summary["round3"]["sponsor_signatures_valid"]
        and summary["round3"]["final_feedback_mails"] == entries
        and
        summary["round1"]["advancing"] == min(20, entries)
        and summary["round1"]["feedback_mails"] == entries
        and summary["registered"] == entries
        and summary["stored"] == entries
        and summary["round1_entries"] == entries
        and summary["confirmation_mails"] == entries
        and summary["redeliveries_answered_duplicate"] == len(redelivered)
        and all(400 <= p.status < 500 for p in rejected)
    )
    _print_summary(summary, mails, echo)
    _print_round1(summary["round1"], echo)
    _print_rounds_2_and_3(summary, echo)
    echo("")
    echo("Result: " + ("OK" if summary["ok"] else "NOT OK"))
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
    echo(f"  confirmation mails sent     {summary['confirmation_mails']}  by language {summary['mails_by_language']}")
    echo(f"  intake time                 {summary['intake_seconds']} s")
    if mails:
        echo("")
        echo(f"  first mail: to {mails[0].to}: {mails[0].subject}")


def play_round1(cloud: LocalCloud, client: Any, seed: int, echo: Echo) -> dict[str, Any]:
    """Round 1 with a simulated crowd, driven through the same core the organiser's pages use."""
    import numpy as np

    from gemeentedelers.devtools.sampledata import MUNICIPALITIES
    from gemeentedelers.editions import get_edition
    from gemeentedelers.scoring import scorers, sheets, verdict, waves
    from gemeentedelers.scoring.simulation import WorldConfig, make_world

    edition = get_edition("gd2024")
    entry_ids = sorted(d.id for d in layout.round1_entries(client, "gd2024").stream())
    world = make_world(seed, WorldConfig(n_entries=len(entry_ids), n_scorers=60))
    rng = random.Random(seed)
    organisations = [*MUNICIPALITIES, "VNG Realisatie", "Provincie Utrecht", "Dienst Uitvoering Onderwijs",
                     "Belastingdienst", "Kadaster", "UWV"]
    rows = ["name,email,organisation,background,capacity,language"]
    for n in range(60):
        rows.append(f"Scoorder {n + 1},scoorder{n + 1}@example.org,{rng.choice(organisations)},"
                    f"Dienstverlening,12,{'en' if n % 9 == 0 else 'nl'}")
    crowd = scorers.import_csv(client, "gd2024", "\n".join(rows)).created
    world_scorer = {sid: i for i, sid in enumerate(crowd)}
    world_entry = {eid: i for i, eid in enumerate(entry_ids)}
    echo(f"Round 1: {len(crowd)} scorers imported; assigning the first wave ...")

    def score_outstanding() -> int:
        data = waves.read_round(client, "gd2024")
        pairs = data.outstanding()
        if not pairs:
            return 0
        given = world.scores(np.array([world_scorer[s] for s, _ in pairs]),
                             np.array([world_entry[e] for _, e in pairs]))

        def save(index: int) -> None:
            scorer_id, entry_id = pairs[index]
            values = dict(zip(world.config.criteria, (int(v) for v in given[index]), strict=True))
            strong, weak = max(values, key=values.get), min(values, key=values.get)
            sheets.save(client, edition, scorer_id, entry_id,
                        {**values, "tops": f"Sterk op {strong}.", "tips": f"Onderbouw {weak} met cijfers."},
                        submit=True)

        with ThreadPoolExecutor(8) as pool:
            list(pool.map(save, range(len(pairs))))
        return len(pairs)

    first = waves.first_wave(client, edition, by="demo")
    scored = score_outstanding()
    adaptive = waves.adaptive_wave(client, edition, by="demo")
    scored += score_outstanding()
    echo(f"  wave 1: {len(first.pairs)} ratings, wave 2 (adaptive): {len(adaptive.pairs)} ratings; closing ...")
    decision = verdict.close(client, edition, by="demo")
    feedback = wait_until(
        lambda: sum(1 for m in read_mailbox(cloud.maildir) if "ronde 1" in m.subject or "round 1" in m.subject)
        >= len(entry_ids),
        timeout_s=120,
    )
    mails = read_mailbox(cloud.maildir)
    truth = {entry_ids[i] for i in np.argsort(-world.truth, kind="stable")[: len(decision["advancing"])]}
    roster = sum(1 for _ in layout.roster(client, "gd2024", 2).stream())
    return {
        "round1": {
            "scorers": len(crowd),
            "careless_scorers": int(world.careless.sum()),
            "ratings": scored,
            "first_wave": len(first.pairs),
            "adaptive_wave": len(adaptive.pairs),
            "advancing": len(decision["advancing"]),
            "decision_id": decision["decision_id"],
            "true_top_recovered": len(truth & set(decision["advancing"])),
            "round2_roster": roster,
            "invitation_mails": sum(1 for m in mails if "/score/login" in m.text),
            "feedback_mails": sum(1 for m in mails if "ronde 1" in m.subject or "round 1" in m.subject)
            if feedback else 0,
            "top": [(row["rank"], row["submission_id"], round(row["estimate"], 2), round(row["p_top"], 2))
                    for row in decision["ranking"][:5]],
        },
        "truth": {eid: float(world.truth[i]) for i, eid in enumerate(entry_ids)},
    }


def _print_round1(round1: dict[str, Any], echo: Echo) -> None:
    echo("")
    echo("Round 1, crowd scoring")
    echo(f"  scorers                     {round1['scorers']} ({round1['careless_scorers']} careless, simulated)")
    echo(f"  ratings                     {round1['ratings']} (first wave {round1['first_wave']}, "
         f"adaptive {round1['adaptive_wave']})")
    echo(f"  scorer invitations mailed   {round1['invitation_mails']}")
    echo(f"  advancing to round 2        {round1['advancing']}  (decision {round1['decision_id']}; "
         f"round-2 roster {round1['round2_roster']})")
    echo(f"  true top {round1['advancing']} recovered        {round1['true_top_recovered']} "
         "(the simulation knows the truth)")
    echo(f"  feedback mails (tips/tops)  {round1['feedback_mails']}")


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
    from gemeentedelers.editions import get_edition
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.jury import jurors as jury_members
    from gemeentedelers.jury import round3
    from gemeentedelers.notify import sponsors
    from gemeentedelers.platform.tick import publish_tick

    edition = get_edition("gd2024")
    rng = random.Random(seed)
    sink = SponsorSink()
    endpoint, secret = sponsors.register(client, "Sponsor (demo)", sink.url)
    jury_csv = "\n".join([
        "name,email,organisation,is_chair,language",
        "Voorzitter Jury,voorzitter@example.org,VNG Realisatie,ja,nl",
        "Jurylid Gemeente,jurylid.gemeente@example.org,Amersfoort,nee,nl",
        "Jurylid Rijk,jurylid.rijk@example.org,Ministerie van BZK,nee,nl",
        "Jurylid Bedrijf,jurylid.bedrijf@example.org,Sponsor BV,nee,en",
        "Jurylid Maatschappij,jurylid.maatschappij@example.org,Divosa,nee,nl",
    ])
    jury_members.import_csv(client, "gd2024", jury_csv, source="jury.csv")
    people = jury_members.all_jurors(client, "gd2024")
    chair = jury_members.chair_of(people)
    round3.open_round(client, edition, by="demo")
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
            "final_feedback_mails": sum(1 for m in mails if "ronde 3" in m.subject or "round 3" in m.subject),
        }
    }


def _verified(secret: str, headers: dict[str, str], body: bytes) -> bool:
    from gemeentedelers.intake.signatures import SignatureError, verify

    try:
        verify("generic", secret, body, headers)
    except SignatureError:
        return False
    return True


def play_round2(cloud: LocalCloud, client: Any, truth: dict[str, float], seed: int, echo: Echo) -> dict[str, Any]:
    """Teams supply evidence, assessor teams visit and co-write reports, assessors vote, the organiser confirms."""
    from gemeentedelers.assessment import assessors, evidence, finalists, reports, visits
    from gemeentedelers.editions import get_edition

    edition = get_edition("gd2024")
    rng = random.Random(seed)
    cases = sorted(d.id for d in layout.roster(client, "gd2024", 2).stream())
    for sid in cases:
        answers = {f.key: f"{f.label.nl}: wat wij bereikten en hoe, met cijfers uit 2023 ({sid[-4:]})."
                   for f in edition.evidence_fields if f.kind != "url_list"}
        answers |= {f.key: f"https://www.example.org/{sid}/onderbouwing.pdf"
                    for f in edition.evidence_fields if f.kind == "url_list"}
        evidence.save(client, edition, sid, answers, complete=True)
    panel = ["name,email,organisation,language"] + [
        f"Assessor {n + 1},assessor{n + 1}@example.org,{org},{'en' if n == 4 else 'nl'}"
        for n, org in enumerate(("VNG Realisatie", "Provincie Gelderland", "Divosa", "Kennisnet", "Sponsor BV",
                                 "Gemeente Súdwest-Fryslân", "Logius", "KING", "Stichting Inclusie", "Waterschap"))
    ]
    assessors.import_csv(client, "gd2024", "\n".join(panel), source="assessoren.csv")
    plan = assessors.form(client, edition)
    echo(f"Round 2: {len(cases)} teams supplied evidence; {len(plan.teams)} assessor teams formed; visits, "
         "reports, votes ...")
    day = edition.timeline.round1_decided
    for number, (sid, members) in enumerate(sorted(plan.teams.items())):
        slots = [(day + timedelta(days=14 + number, hours=h)).strftime("%Y-%m-%dT%H:%M") for h in (0, 3)]
        visits.propose(client, "gd2024", sid, members[0], slots, f"https://meet.example.org/gd2024-{sid[-6:]}")
        visits.confirm(client, "gd2024", sid, slots[rng.randrange(2)], by="team")
        criteria = edition.criteria(2)
        form = {f"score_{c.key}": str(max(c.scale_min, min(c.scale_max, round(truth[sid] + rng.gauss(0, 0.6)))))
                for c in criteria}
        form |= {f"explain_{c.key}": f"Uit het gesprek en de onderbouwing: {c.label.nl.lower()} is zichtbaar."
                 for c in criteria}
        form |= {"tops": "Sterke betrokkenheid van inwoners\nResultaten zijn gemeten",
                 "tips": "Maak de kosten van hergebruik inzichtelijk",
                 "summary": "Een inspirerende casus die het delen waard is.",
                 "recommendation": "finalist" if truth[sid] >= 6 else "twijfel" if truth[sid] >= 5 else "geen_finalist"}
        version = reports.save(client, "gd2024", sid, members[0], reports.from_form(edition, form), 0)
        for member in members:
            reports.sign_off(client, "gd2024", sid, member, version)
    entries = assessors.cases(client, "gd2024")
    people = assessors.all_assessors(client, "gd2024")
    barred = finalists.abstentions(edition, people, entries)
    for person in people:
        aid = person["assessor_id"]
        form = {}
        for group in finalists.by_category(entries).values():
            judged = [e["submission_id"] for e in group if e["submission_id"] not in barred.get(aid, set())]
            judged.sort(key=lambda s: -(truth[s] + rng.gauss(0, 0.4)))
            form |= {f"rank_{s}": str(place) for place, s in enumerate(judged, start=1)}
        finalists.save_ballot(client, edition, aid, form)
    selection = finalists.select(edition, finalists.inputs(client, edition))
    picks = {key: sorted(c.tied, key=lambda s: -truth[s])[: c.open_seats]
             for key, c in selection.categories.items() if not c.decided}
    decision = finalists.confirm(client, edition, picks or None, by="demo")
    wait_until(lambda: sum(1 for _ in layout.roster(client, "gd2024", 3).stream()) == len(decision["advancing"]),
               timeout_s=60)
    mails = read_mailbox(cloud.maildir)
    return {
        "round2": {
            "cases": len(cases),
            "assessors": len(people),
            "teams": len(plan.teams),
            "visit_invitations": sum(1 for m in mails if ": bezoek aan " in m.subject or ": visit to " in m.subject),
            "ties_picked_by_organiser": sum(len(v) for v in picks.values()),
            "finalists": len(decision["advancing"]),
            "decision_id": decision["decision_id"],
        }
    }


def _print_rounds_2_and_3(summary: dict[str, Any], echo: Echo) -> None:
    r2, r3 = summary["round2"], summary["round3"]
    echo("")
    echo("Round 2, assessment")
    echo(f"  cases with evidence         {r2['cases']}; {r2['assessors']} assessors in {r2['teams']} teams")
    echo(f"  visit invitation mails      {r2['visit_invitations']} (each with an .ics)")
    echo(f"  finalists                   {r2['finalists']}  (decision {r2['decision_id']}; "
         f"{r2['ties_picked_by_organiser']} tied seats picked by the organiser)")
    echo("")
    echo("Round 3, jury and announcement")
    echo(f"  jurors                      {r3['jurors']}; finalists per category {r3['finalists']}")
    echo(f"  embargo respected           {r3['embargo_respected']}; announcement: {r3['announced']}")
    for category, title, municipality in r3["winners"]:
        echo(f"  winner {category:<20} {title} ({municipality})")
    echo(f"  sponsor webhook deliveries  {r3['sponsor_deliveries']} "
         f"(signature valid: {r3['sponsor_signatures_valid']})")
    echo(f"  announcement mails          {r3['announcement_mails']}; final feedback mails {r3['final_feedback_mails']}")
    echo("")
    echo("Funnel: {} registered -> {} in round 2 -> {} finalists -> {} winners".format(
        summary["stored"], summary["round1"]["advancing"], r2["finalists"], len(r3["winners"])))

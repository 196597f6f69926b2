"""The demo's round 2: evidence, assessor teams, visits, co-written reports, votes, the finalists."""

from __future__ import annotations

import random
import re
from datetime import timedelta
from typing import Any

from gemeentedelers.devtools.demo.common import ACTOR, Echo, wait_until
from gemeentedelers.devtools.demo.sizing import sizes
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.platform import audit, layout
from gemeentedelers.web.i18n import AMSTERDAM

ORGANISATIONS = ("VNG Realisatie", "Provincie Gelderland", "Divosa", "Kennisnet", "Sponsor BV",
                 "Gemeente Súdwest-Fryslân", "Logius", "KING", "Stichting Inclusie", "Waterschap")


FEEDBACK = re.compile(r", (?:ronde|round) 2: (?:uw casus gaat door|de beoordeling van uw casus|your case goes on|"
                      r"the assessment of your case) \(")
"""The subject of round 2's feedback mail (``templates/mail/feedback.*.txt``)."""


def play_round2(cloud: LocalCloud, client: Any, truth: dict[str, float], seed: int, echo: Echo) -> dict[str, Any]:
    """Teams supply evidence, assessor teams visit and co-write reports, assessors vote, the organiser confirms."""
    from gemeentedelers.assessment import assessors, evidence, finalists, reports, visits
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.entries import composer, release
    from gemeentedelers.platform.tick import publish_tick

    edition = read_active(client).edition  # the published gd2024 the functions serve
    rng = random.Random(seed)
    cases = sorted(d.id for d in layout.roster(client, "gd2024", 2).stream())
    for sid in cases:
        answers = {f.key: f"{f.label.nl}: wat wij bereikten en hoe, met cijfers uit 2023 ({sid[-4:]})."
                   for f in edition.evidence_fields if f.kind != "url_list"}
        answers |= {f.key: f"https://www.example.org/{sid}/onderbouwing.pdf"
                    for f in edition.evidence_fields if f.kind == "url_list"}
        evidence.save(client, edition, sid, answers, complete=True)
    panel = ["name,email,organisation,language"] + [
        f"Assessor {n + 1},assessor{n + 1}@example.org,{ORGANISATIONS[n % len(ORGANISATIONS)]},"
        f"{'en' if n % 10 == 4 else 'nl'}"
        for n in range(sizes(edition, len(truth)).assessors)
    ]
    assessors.import_csv(client, "gd2024", "\n".join(panel), source="assessoren.csv", by=ACTOR)
    plan = assessors.form(client, edition, by=ACTOR)
    echo(f"Round 2: {len(cases)} teams supplied evidence; {len(plan.teams)} assessor teams formed; visits, "
         "reports, votes ...")
    day = evidence.deadline(edition).astimezone(AMSTERDAM).replace(hour=10, minute=0)  # visits follow the evidence
    for number, (sid, members) in enumerate(sorted(plan.teams.items())):
        slots = [(day + timedelta(days=3 + number, hours=h)).strftime("%Y-%m-%dT%H:%M") for h in (0, 3)]
        visits.propose(client, "gd2024", sid, members[0], slots, f"https://meet.example.org/gd2024-{sid[-6:]}",
                       not_before=evidence.deadline(edition))
        visits.confirm(client, "gd2024", sid, slots[rng.randrange(2)], by=audit.team(sid))
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
    decision = finalists.confirm(client, edition, picks or None, by=ACTOR)
    wait_until(lambda: sum(1 for _ in layout.roster(client, "gd2024", 3).stream()) == len(decision["advancing"]),
               timeout_s=60)
    held = release.status(client, edition, 2).state
    composer.approve_all(client, "gd2024", 2, by=ACTOR)  # the organiser reviews and approves in the composer
    cloud.activate("gd2024", edition.timeline.round2_decided)
    publish_tick()  # mid-April: the tick releases round 2's results
    released_by_tick = wait_until(lambda: release.released(client, "gd2024", 2), timeout_s=60)
    feedback = wait_until(lambda: sum(1 for m in read_mailbox(cloud.maildir) if FEEDBACK.search(m.subject))
                          >= len(cases), timeout_s=120)
    echo(f"  {len(decision['advancing'])} finalists confirmed; results {held} until "
         f"{edition.timeline.round2_decided:%Y-%m-%d %H:%M}, then released by the tick"
         f"{'' if released_by_tick else ' (NOT)'}")
    mails = read_mailbox(cloud.maildir)
    return {
        "round2": {
            "held_until_announcement": held == "held",
            "released_by_tick": released_by_tick,
            "feedback_mails": sum(1 for m in mails if FEEDBACK.search(m.subject)) if feedback else 0,
            "cases": len(cases),
            "assessors": len(people),
            "teams": len(plan.teams),
            "visit_invitations": sum(1 for m in mails if ": bezoek aan " in m.subject or ": visit to " in m.subject),
            "ties_picked_by_organiser": sum(len(v) for v in picks.values()),
            "finalists": len(decision["advancing"]),
            "decision_id": decision["decision_id"],
        }
    }



"""The demo's round 1: a simulated crowd scores a first and an adaptive wave, the round closes."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from gemeentedelers.devtools.demo.common import ACTOR, Echo, wait_until
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.platform import layout


def play_round1(cloud: LocalCloud, client: Any, seed: int, echo: Echo) -> dict[str, Any]:
    """Round 1 with a simulated crowd, driven through the same core the organiser's pages use."""
    import numpy as np

    from gemeentedelers.devtools.sampledata import MUNICIPALITIES
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.scoring import scorers, sheets, verdict, waves
    from gemeentedelers.scoring.simulation import WorldConfig, make_world

    edition = read_active(client).edition  # the published gd2024 the functions serve
    entry_ids = sorted(d.id for d in layout.round1_entries(client, "gd2024").stream())
    world = make_world(seed, WorldConfig(n_entries=len(entry_ids), n_scorers=60))
    rng = random.Random(seed)
    organisations = [*MUNICIPALITIES, "VNG Realisatie", "Provincie Utrecht", "Dienst Uitvoering Onderwijs",
                     "Belastingdienst", "Kadaster", "UWV"]
    rows = ["name,email,organisation,background,capacity,language"]
    for n in range(60):
        rows.append(f"Scoorder {n + 1},scoorder{n + 1}@example.org,{rng.choice(organisations)},"
                    f"Dienstverlening,12,{'en' if n % 9 == 0 else 'nl'}")
    crowd = scorers.import_csv(client, "gd2024", "\n".join(rows), by=ACTOR).created
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

    first = waves.first_wave(client, edition, by=ACTOR)
    scored = score_outstanding()
    adaptive = waves.adaptive_wave(client, edition, by=ACTOR)
    scored += score_outstanding()
    echo(f"  wave 1: {len(first.pairs)} ratings, wave 2 (adaptive): {len(adaptive.pairs)} ratings; closing ...")
    decision = verdict.close(client, edition, by=ACTOR)
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



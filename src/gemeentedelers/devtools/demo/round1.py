"""The demo's round 1: a simulated crowd scores a first and an adaptive wave, the round closes."""

from __future__ import annotations

import random
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from gemeentedelers.devtools.demo.common import ACTOR, Echo, wait_until
from gemeentedelers.devtools.demo.sizing import sizes
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.platform import layout


def play_round1(cloud: LocalCloud, client: Any, seed: int, echo: Echo) -> dict[str, Any]:
    """Round 1 with a simulated crowd, driven through the same core the organiser's pages use."""
    import numpy as np

    from gemeentedelers.devtools.sampledata import MUNICIPALITIES
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.entries import composer, release
    from gemeentedelers.platform.tick import publish_tick
    from gemeentedelers.scoring import scorers, sheets, verdict, waves
    from gemeentedelers.scoring.simulation import WorldConfig, make_world

    edition = read_active(client).edition  # the published gd2024 the functions serve
    entry_ids = sorted(d.id for d in layout.round1_entries(client, "gd2024").stream())
    size = sizes(edition, len(entry_ids))
    world = make_world(seed, WorldConfig(n_entries=len(entry_ids), n_scorers=size.scorers))
    rng = random.Random(seed)
    organisations = [*MUNICIPALITIES, "VNG Realisatie", "Provincie Utrecht", "Dienst Uitvoering Onderwijs",
                     "Belastingdienst", "Kadaster", "UWV"]
    rows = ["name,email,organisation,background,capacity,language"]
    for n in range(size.scorers):
        rows.append(f"Beoordelaar {n + 1},beoordelaar{n + 1}@example.org,{rng.choice(organisations)},"
                    f"Dienstverlening,{size.scorer_capacity},{'en' if n % 9 == 0 else 'nl'}")
    crowd = scorers.import_csv(client, "gd2024", "\n".join(rows), by=ACTOR).created
    world_scorer = {sid: i for i, sid in enumerate(crowd)}
    world_entry = {eid: i for i, eid in enumerate(entry_ids)}
    echo(f"Round 1: {len(crowd)} scorers imported; assigning the first wave ...")

    def score(scorer_id: str) -> int:
        """What one scorer does after the mail: open their sheet and score every entry still to do."""
        todo = [row.entry["submission_id"] for row in sheets.sheet(client, "gd2024", scorer_id) if row.status == "todo"]
        given = world.scores(np.full(len(todo), world_scorer[scorer_id]), np.array([world_entry[e] for e in todo]))
        for entry_id, values in zip(todo, given, strict=True):
            named = dict(zip(world.config.criteria, (int(v) for v in values), strict=True))
            strong, weak = max(named, key=named.get), min(named, key=named.get)
            sheets.save(client, edition, scorer_id, entry_id,
                        {**named, "tops": f"Sterk op {strong}.", "tips": f"Onderbouw {weak} met cijfers."},
                        submit=True)
        return len(todo)

    def score_wave(wave: waves.WaveResult) -> int:
        with ThreadPoolExecutor(8) as pool:
            return sum(pool.map(score, sorted(wave.scorers)))

    first = waves.first_wave(client, edition, by=ACTOR)
    scored = score_wave(first)
    try:
        adaptive = waves.adaptive_wave(client, edition, by=ACTOR)
    except waves.WaveRefused as refused:
        if refused.key != "wave_not_needed":
            raise
        echo(f"  wave 1: {len(first.pairs)} ratings; no adaptive wave: {refused.text('en')}")
        adaptive_pairs = 0
    else:
        scored += score_wave(adaptive)
        adaptive_pairs = len(adaptive.pairs)
        echo(f"  wave 1: {len(first.pairs)} ratings, wave 2 (adaptive): {adaptive_pairs} ratings; closing ...")
    decision = verdict.close(client, edition, by=ACTOR)
    held = release.status(client, edition, 1).state
    flagged = sum(1 for d in composer.drafts(client, "gd2024", 1) if d.flags)
    approved = composer.approve_all(client, "gd2024", 1, by=ACTOR)
    echo(f"  the organiser reviews the tips and tops in the composer ({flagged} flagged) and approves "
         f"{len(approved)}")
    echo(f"  decided; the results are {held} until {edition.timeline.round1_decided:%Y-%m-%d %H:%M} "
         "(the edition's announcement)")
    cloud.activate("gd2024", edition.timeline.round1_decided)
    publish_tick()  # what the scheduler does every few minutes: notify releases the results, now that it is time
    released_by_tick = wait_until(lambda: release.released(client, "gd2024", 1), timeout_s=60)
    echo(f"  the competition clock reaches the announcement; the next tick releases: "
         f"{'released' if released_by_tick else 'NOT released'}; waiting for the feedback mails ...")
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
            "adaptive_wave": adaptive_pairs,
            "advancing": len(decision["advancing"]),
            "held_until_announcement": held == "held",
            "released_by_tick": released_by_tick,
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
    echo(f"  results held, then released {'by the tick at the announcement' if round1['released_by_tick'] else 'NOT'}"
         f"{'' if round1['held_until_announcement'] else ' (NOT held)'}")
    echo(f"  feedback mails (tips/tops)  {round1['feedback_mails']}")



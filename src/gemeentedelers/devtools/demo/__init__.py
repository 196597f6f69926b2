"""The main job, played on the local cloud: what `make demo` shows, stage by stage.

Intake (``intake.py``): municipalities register through three form tools via the signed webhooks, form tools
redeliver some registrations, a few requests are bad, and every entrant gets exactly one confirmation mail.
Round 1 (``round1.py``): a simulated crowd scores a first and an adaptive wave, the round closes, 20 advance,
the results wait for the edition's announcement moment and the tick releases them: every entrant gets tips and
tops. Round 2 (``round2.py``): evidence, assessor teams, visits, reports, votes and the finalists, released on the
tick in mid-April. Round 3 (``round3.py``): the jury, the chair's confirmation, the embargo, the announcement on
the scheduler's tick, a sponsor's webhook. Each stage checks itself; ``ok`` says whether everything happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gemeentedelers.devtools.demo.common import ORGANISER_EMAIL, ORGANISER_NAME, Echo, bootstrap_organiser
from gemeentedelers.devtools.demo.intake import play_intake
from gemeentedelers.devtools.demo.round1 import _print_round1, play_round1
from gemeentedelers.devtools.demo.round2 import play_round2
from gemeentedelers.devtools.demo.round3 import play_round3
from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT, LocalCloud

__all__ = ["STAGES", "CloudRecorded", "play", "play_on"]


class CloudRecorded(RuntimeError):
    """``--keep`` would leave a cloud at the usual place, but one is recorded there already."""


def play(*, entries: int = 64, seed: int = 2024, keep: bool = False, echo: Echo = print) -> dict[str, Any]:
    """Play an edition on a fresh local cloud; torn down afterwards unless ``keep``.

    Kept, the cloud is the usual one (``.local/``, state in ``.local/cloud.json``) so that every command, page,
    mail and decision can be looked at afterwards and ``gemeentedelers dev down`` stops it."""
    if keep:
        cloud = LocalCloud(edition="gd2024")
        assert cloud.state_file is not None
        if cloud.state_file.exists():
            raise CloudRecorded(f"a local cloud is recorded in {cloud.state_file}; run 'gemeentedelers dev down' "
                                "first")
    else:
        cloud = LocalCloud(root=PROJECT_ROOT / ".local" / "demo", edition="gd2024")
    echo("Starting the local cloud (Firestore and Pub/Sub emulators, every function, SMTP) ...")
    cloud.start()
    try:
        echo(f"  ready in {cloud.state['started_in_s']} s; edition gd2024, competition clock mid-registration")
        summary = play_on(cloud, entries, seed, echo)
    except BaseException:
        cloud.stop()
        raise
    if keep:
        print_how_to_look_around(cloud, echo)
    else:
        cloud.stop()
    return summary


STAGES = ("intake", "round1", "round2", "round3")


def play_on(cloud: LocalCloud, entries: int, seed: int, echo: Echo,
            on_stage: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    """Every stage on a running local cloud (the integration tests call this on their own cloud); ``on_stage``
    hears the name of each stage as it ends (the edition benchmark times and meters them)."""
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.platform.firestore import db

    client = db()
    edition = read_active(client).edition  # the published gd2024 the functions serve
    bootstrap_organiser(client)
    echo(f"Playing the edition as the organiser {ORGANISER_NAME} <{ORGANISER_EMAIL}> (coordinator).")
    summary = play_intake(cloud, entries, seed, echo)
    on_stage("intake")
    summary |= play_round1(cloud, client, seed, echo)
    on_stage("round1")
    truth = summary.pop("truth")
    summary |= play_round2(cloud, client, truth, seed, echo)
    on_stage("round2")
    summary |= play_round3(cloud, client, truth, seed, echo)
    on_stage("round3")
    r1, r2, r3 = summary["round1"], summary["round2"], summary["round3"]
    checks = {
        "finalists": r2["finalists"] == 2 * edition.finalist_rule.finalists_per_category,
        "winners": len(r3["winners"]) == len(edition.categories),
        "embargo respected": r3["embargo_respected"], "announced by the tick": r3["announced_by_tick"],
        "one sponsor delivery": r3["sponsor_deliveries"] == 1, "sponsor signature": r3["sponsor_signatures_valid"],
        "final feedback mails": r3["final_feedback_mails"] == entries,
        "databank entries": r3["databank_entries"] == sum(1 for n in range(entries) if n % 4 != 3),
        "round 1 advancing": r1["advancing"] == min(20, entries),
        "round 1 feedback mails": r1["feedback_mails"] == entries,
        "round 1 held": r1["held_until_announcement"], "round 1 released by the tick": r1["released_by_tick"],
        "round 2 held": r2["held_until_announcement"], "round 2 released by the tick": r2["released_by_tick"],
        "round 2 feedback mails": r2["feedback_mails"] == r2["cases"],
        "registered": summary["registered"] == entries, "stored": summary["stored"] == entries,
        "round 1 entries": summary["round1_entries"] == entries,
        "confirmation mails": summary["confirmation_mails"] == entries,
        "redelivery recognised": summary["redelivered_ok"], "bad requests refused": summary["rejected_ok"],
    }
    summary["failed_checks"] = [name for name, passed in checks.items() if not passed]
    summary["ok"] = not summary["failed_checks"]
    _print_round1(summary["round1"], echo)
    _print_rounds_2_and_3(summary, echo)
    echo("")
    echo("Result: " + ("OK" if summary["ok"] else "NOT OK: " + ", ".join(summary["failed_checks"])))
    return summary


def print_how_to_look_around(cloud: LocalCloud, echo: Echo) -> None:
    state = cloud.state
    echo("")
    echo(f"The local cloud keeps running (state in {cloud.state_file}). To look around:")
    from gemeentedelers.people import organisers
    from gemeentedelers.platform.firestore import db

    record = organisers.find(db(), ORGANISER_EMAIL)
    if record is not None:
        echo(f"  the console, as {ORGANISER_NAME} (this link works once, for 15 minutes):")
        echo(f"                         {organisers.sign_in_link(record)}")
    echo(f"  a new sign-in link     .venv/bin/gemeentedelers organisers link {ORGANISER_EMAIL} --print "
         f"--as {ORGANISER_EMAIL}")
    echo("  the audit trail        .venv/bin/gemeentedelers audit")
    echo("  the mails              .venv/bin/gemeentedelers dev mail --full   (Maildir: "
         f"{state['smtp']['maildir']})")
    echo("  every function         .venv/bin/gemeentedelers dev status")
    echo("  stop everything        .venv/bin/gemeentedelers dev down")


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
    echo(f"  databank entries published  {r3['databank_entries']} (the teams that agreed to publication)")
    echo("")
    echo("Funnel: {} registered -> {} in round 2 -> {} finalists -> {} winners".format(
        summary["stored"], summary["round1"]["advancing"], r2["finalists"], len(r3["winners"])))

"""The ``gemeentedelers`` command: the local cloud, editions, the competition clock, the demo and benchmarks.

Commands that touch Firestore find the local cloud through its state file (``.local/cloud.json``) unless
the environment already names the emulators; they refuse to run against anything but a demo project.
"""

from __future__ import annotations

import json
import os
import signal
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from gemeentedelers.export import command as export_cli
from gemeentedelers.jury import cli as jury_cli
from gemeentedelers.localcloud.cloud import PROJECT_ROOT
from gemeentedelers.notify import sponsors_cli
from gemeentedelers.scoring import cli as scoring_cli

STATE_FILE = PROJECT_ROOT / ".local" / "cloud.json"


def parse_when(value: str) -> datetime:
    """An ISO date or date-time; Amsterdam time when no zone is given."""
    from gemeentedelers.i18n import AMSTERDAM

    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date such as 2023-11-15 or 2023-11-15T09:00") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)


def connect(state_file: Path = STATE_FILE) -> None:
    """Point this process at the running local cloud (or the environment's emulators)."""
    from gemeentedelers import settings
    from gemeentedelers.localcloud.cloud import read_state

    if not os.environ.get("FIRESTORE_EMULATOR_HOST") and state_file.exists():
        state = read_state(state_file)
        os.environ.update(
            {
                "GOOGLE_CLOUD_PROJECT": state["project"],
                "FIRESTORE_EMULATOR_HOST": state["firestore_emulator_host"],
                "PUBSUB_EMULATOR_HOST": state["pubsub_emulator_host"],
            }
        )
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", settings.DEFAULT_PROJECT)
    settings.reset_cache()
    try:
        settings.current()
    except settings.UnsafeEnvironment as problem:
        raise click.ClickException(f"{problem}") from None


@click.group()
def main() -> None:
    """GemeenteDelers: VNG's competition in which municipalities share proven service innovations."""


# -- dev: the local cloud -------------------------------------------------------------------------------------


@main.group()
def dev() -> None:
    """Run the local cloud: emulators, every function, push subscriptions and an SMTP server."""


@dev.command("up")
@click.option("--edition", default="gd2024", show_default=True, help="Edition to activate.")
@click.option("--at", "at", default=None, help="Competition time to start at (default: mid-registration).")
@click.option("--detach", is_flag=True, help="Leave it running in the background; stop with 'dev down'.")
def dev_up(edition: str, at: str | None, detach: bool) -> None:
    """Start the local cloud and print where everything is; Ctrl-C stops it all."""
    from gemeentedelers.localcloud.cloud import LocalCloud
    from gemeentedelers.localcloud.emulators import MissingTool

    if STATE_FILE.exists():
        raise click.ClickException(f"a local cloud is recorded in {STATE_FILE}; run 'gemeentedelers dev down' first")
    cloud = LocalCloud(edition=edition, competition_now=parse_when(at) if at else None)
    try:
        state = cloud.start()
    except MissingTool as problem:
        raise click.ClickException(str(problem)) from None
    print_state(state)
    if detach:
        click.echo("Running in the background: 'gemeentedelers dev down' stops it.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("Ctrl-C stops everything.")
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        cloud.stop()
        click.echo("Stopped.")


def print_state(state: dict[str, object]) -> None:
    click.echo(f"Local cloud for {state['project']} (started in {state['started_in_s']} s)")
    click.echo(f"  Firestore emulator  {state['firestore_emulator_host']}")
    click.echo(f"  Pub/Sub emulator    {state['pubsub_emulator_host']}")
    smtp = state["smtp"]
    assert isinstance(smtp, dict)
    click.echo(f"  SMTP                127.0.0.1:{smtp['port']}  (mail kept in {smtp['maildir']})")
    functions = state["functions"]
    assert isinstance(functions, dict)
    for name, url in functions.items():
        click.echo(f"  {name:<19} {url}")
    webhooks = state["webhooks"]
    assert isinstance(webhooks, dict)
    for provider, url in webhooks.items():
        click.echo(f"  webhook {provider:<11} {url}")
    click.echo(f"  state file          {STATE_FILE}  (webhook secrets are in it)")


@dev.command("check")
def dev_check() -> None:
    """Check that Java and the emulators are installed; say how to install them if not."""
    from gemeentedelers.localcloud.emulators import MissingTool, check

    try:
        sdk = check()
    except MissingTool as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Java and the Firestore and Pub/Sub emulators are installed ({sdk}).")


@dev.command("down")
def dev_down() -> None:
    """Stop a local cloud started with --detach (or left behind)."""
    from gemeentedelers.localcloud.cloud import stop_recorded

    if not STATE_FILE.exists():
        click.echo("No local cloud is recorded.")
        return
    stopped = stop_recorded(STATE_FILE)
    click.echo(f"Stopped {len(stopped)} processes.")


@dev.command("status")
def dev_status() -> None:
    """Show the recorded local cloud and whether each function answers."""
    import requests

    from gemeentedelers.localcloud.cloud import read_state

    if not STATE_FILE.exists():
        raise click.ClickException("no local cloud is running ('gemeentedelers dev up' starts one)")
    state = read_state(STATE_FILE)
    print_state(state)
    for name, url in state["functions"].items():
        try:
            ok = requests.get(f"{url}/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            ok = False
        click.echo(f"  {name:<19} {'ok' if ok else 'NOT ANSWERING'}")


@dev.command("reset")
def dev_reset() -> None:
    """Empty Firestore, re-create topics and subscriptions, empty the mailbox, re-activate the edition."""
    from gemeentedelers.localcloud.cloud import LocalCloud, read_state

    if not STATE_FILE.exists():
        raise click.ClickException("no local cloud is running")
    cloud = LocalCloud(state=read_state(STATE_FILE))
    cloud.use_in_this_process()
    cloud.reset()
    click.echo("Reset.")


@dev.command("mail")
@click.option("--last", default=10, show_default=True, help="How many of the newest mails to show.")
@click.option("--full", is_flag=True, help="Print the text of each mail.")
def dev_mail(last: int, full: bool) -> None:
    """Read the mail the local SMTP server received."""
    from gemeentedelers.localcloud.cloud import read_state
    from gemeentedelers.localcloud.smtp import read_mailbox

    maildir = (
        Path(read_state(STATE_FILE)["smtp"]["maildir"]) if STATE_FILE.exists() else PROJECT_ROOT / ".local" / "mail"
    )
    mails = read_mailbox(maildir)
    click.echo(f"{len(mails)} mails in {maildir}")
    for mail in mails[-last:]:
        click.echo(f"- to {mail.to} [{mail.language}]: {mail.subject}")
        if full:
            click.echo(mail.text)


# -- editions and the clock -----------------------------------------------------------------------------------


@main.group()
def edition() -> None:
    """Inspect and activate editions (each year's rules, installed as plugins)."""


@edition.command("list")
def edition_list() -> None:
    from gemeentedelers.editions import available_editions

    for name in sorted(available_editions()):
        click.echo(name)


@edition.command("show")
@click.argument("name")
def edition_show(name: str) -> None:
    """An edition's dates, categories, criteria and assumptions."""
    from gemeentedelers.editions import UnknownEdition, get_edition
    from gemeentedelers.i18n import format_date

    try:
        ed = get_edition(name)
    except UnknownEdition as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{ed.info.title.nl} ({ed.key})")
    for milestone, moment in ed.timeline.milestones().items():
        click.echo(f"  {milestone:<20} {format_date(moment)}  {moment.isoformat()}")
    click.echo("  categories: " + ", ".join(c.label.nl for c in ed.categories))
    for round_ in (1, 2, 3):
        criteria = ed.criteria(round_)
        if criteria:
            names = ", ".join(f"{c.label.nl} ({c.scale_min}-{c.scale_max}, x{c.weight:g})" for c in criteria)
            click.echo(f"  round {round_} criteria: {names}")
    for assumption in ed.info.assumptions:
        click.echo(f"  assumption: {assumption}")


@edition.command("diff")
@click.argument("old")
@click.argument("new")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of {section, key, change, old, new}.")
@click.option("--lang", type=click.Choice(["nl", "en"]), default="nl", show_default=True, help="Language of the text.")
def edition_diff(old: str, new: str, as_json: bool, lang: str) -> None:
    """What changed from edition OLD to edition NEW: dates, categories, criteria, rules, prizes, texts."""
    from gemeentedelers.edition_diff import EditionNotLoaded, diff_editions, load, render

    try:
        before, after = load(old, lang), load(new, lang)
    except EditionNotLoaded as problem:
        raise click.ClickException(str(problem)) from None
    changes = diff_editions(before, after)
    if as_json:
        click.echo(json.dumps([c.as_dict() for c in changes], indent=2, ensure_ascii=False))
        return
    click.echo(f"{before.info.title.get(lang)} ({old}) -> {after.info.title.get(lang)} ({new})")
    for line in render(changes, lang):
        click.echo(line)


@edition.command("activate")
@click.argument("name")
@click.option("--at", "at", default=None, help="Also set the competition clock to this moment.")
def edition_activate(name: str, at: str | None) -> None:
    """Make NAME the active edition in Firestore."""
    from gemeentedelers import active
    from gemeentedelers.editions import UnknownEdition
    from gemeentedelers.firestore import db

    connect()
    try:
        active.activate(db(), name, competition_now=parse_when(at) if at else None)
    except UnknownEdition as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{name} is active.")


@main.group()
def clock() -> None:
    """The competition clock: real time plus an offset, so a local cloud can stand at any date."""


@clock.command("show")
def clock_show() -> None:
    from gemeentedelers.active import NoActiveEdition, read_active
    from gemeentedelers.firestore import db

    connect()
    try:
        current = read_active(db())
    except NoActiveEdition as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{current.edition.key}: competition time {current.clock.now().isoformat()}")


@clock.command("set")
@click.argument("when")
def clock_set(when: str) -> None:
    """Set the competition time to WHEN (ISO date or date-time, Amsterdam time by default)."""
    from gemeentedelers import active
    from gemeentedelers.firestore import db

    connect()
    moment = parse_when(when)
    active.set_clock(db(), moment)
    click.echo(f"Competition time is now {moment.isoformat()}.")


# -- round 1 for organisers ------------------------------------------------------------------------------------


@main.group()
def round1() -> None:
    """Round 1 for organisers: scorers, waves, reminders, preview and closing (also on the organiser page)."""


def _active_edition() -> Any:
    from gemeentedelers.active import NoActiveEdition, read_active
    from gemeentedelers.firestore import db

    connect()
    try:
        return read_active(db()).edition
    except NoActiveEdition as problem:
        raise click.ClickException(str(problem)) from None


def _organiser_call(action: Callable[[], Any]) -> Any:
    from gemeentedelers.scoring.assignment import InfeasiblePlanError
    from gemeentedelers.scoring.rounds import RoundNotOpen

    try:
        return action()
    except (InfeasiblePlanError, RoundNotOpen, LookupError, ValueError) as problem:
        detail = f" ({problem.__cause__})" if isinstance(problem.__cause__, InfeasiblePlanError) else ""
        raise click.ClickException(f"{problem}{detail}") from None


@round1.command("import-scorers")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def round1_import(csv_file: Path) -> None:
    """Import approved scorers from CSV_FILE (name,email,organisation[,background,capacity,language])."""
    from gemeentedelers.firestore import db
    from gemeentedelers.scoring import scorers

    edition = _active_edition()
    result = _organiser_call(lambda: scorers.import_csv(db(), edition.key, csv_file.read_text(), source=csv_file.name))
    click.echo(f"{len(result.created)} scorers imported, {len(result.existing)} were there already.")


@round1.command("wave")
@click.option("--budget", type=int, default=None, help="Extra ratings (adaptive); default: the rest of the budget.")
@click.option("--first", is_flag=True, help="Open the round and assign the first, even wave.")
def round1_wave(budget: int | None, first: bool) -> None:
    """Assign a wave; scorers with new entries get their link by mail."""
    from gemeentedelers.firestore import db
    from gemeentedelers.scoring import waves

    edition = _active_edition()
    result = _organiser_call(lambda: waves.first_wave(db(), edition, by="cli") if first
                             else waves.adaptive_wave(db(), edition, budget, by="cli"))
    click.echo(f"Wave {result.wave} ({result.kind}): {len(result.pairs)} ratings for {len(result.scorers)} scorers.")


@round1.command("remind")
def round1_remind() -> None:
    """Mail every scorer with unfinished entries a reminder (once per scorer per day)."""
    from gemeentedelers.firestore import db
    from gemeentedelers.scoring import waves

    edition = _active_edition()
    reminded = _organiser_call(lambda: waves.remind(db(), edition, datetime.now().date().isoformat()))
    click.echo(f"{len(reminded)} scorers reminded.")


@round1.command("drop")
@click.argument("scorer_id")
def round1_drop(scorer_id: str) -> None:
    """A scorer drops out: their unfinished entries go to others."""
    from gemeentedelers.firestore import db
    from gemeentedelers.scoring import waves

    edition = _active_edition()
    result = _organiser_call(lambda: waves.drop_scorer(db(), edition, scorer_id, by="cli"))
    click.echo(f"{len(result.pairs)} ratings reassigned.")


@round1.command("preview")
@click.option("--all", "show_all", is_flag=True, help="Every entry, not only the top and those near the cut-off.")
def round1_preview(show_all: bool) -> None:
    """The ranking as it stands, with uncertainty and each entry's chance of advancing."""
    from gemeentedelers.firestore import db
    from gemeentedelers.scoring import verdict

    edition = _active_edition()
    shown = _organiser_call(lambda: verdict.preview(db(), edition))
    click.echo(f"{shown.ratings} scores submitted, {shown.outstanding} outstanding; top {shown.top_n} advance.")
    click.echo(f"{'rank':>4}  {'entry':<40} {'estimate':>8} {'90% interval':>15} {'p_top':>6} {'n':>3}")
    for row in shown.ranking:
        near = verdict.NEAR[0] < row.p_top < verdict.NEAR[1]
        if show_all or row.advances or near:
            title = shown.entries[row.submission_id]["title"][:40]
            click.echo(f"{row.rank:>4}  {title:<40} {row.estimate:>8.2f} {row.lower:>7.2f}-{row.upper:<7.2f} "
                       f"{row.p_top:>6.0%} {row.n_ratings:>3}{'  near the cut-off' if near else ''}")


@round1.command("close")
@click.confirmation_option(prompt="Close round 1? Scorers can no longer change anything.")
def round1_close() -> None:
    """Close round 1, decide who advances, publish the decision and the feedback."""
    from gemeentedelers.firestore import db
    from gemeentedelers.scoring import verdict

    edition = _active_edition()
    decision = _organiser_call(lambda: verdict.close(db(), edition, by="cli"))
    click.echo(f"Decision {decision['decision_id']}: {len(decision['advancing'])} advance.")


# -- the main job and the benchmarks --------------------------------------------------------------------------


@main.command()
@click.option("--entries", default=64, show_default=True, help="Registrations to post (the first edition had 64).")
@click.option("--seed", default=2024, show_default=True, help="Seed of the generated registrations.")
@click.option("--json-out", type=click.Path(path_type=Path), default=None, help="Also write the summary as JSON.")
def demo(entries: int, seed: int, json_out: Path | None) -> None:
    """Play the main job on a fresh local cloud, show the result, tear everything down."""
    from gemeentedelers.demo import play
    from gemeentedelers.localcloud.emulators import MissingTool

    try:
        summary = play(entries=entries, seed=seed, echo=click.echo)
    except MissingTool as problem:
        raise click.ClickException(str(problem)) from None
    if json_out:
        json_out.write_text(json.dumps(summary, indent=2, default=str))
    if not summary["ok"]:
        raise click.ClickException("the demo did not end as expected (see above)")


@main.group()
def bench() -> None:
    """Benchmarks that print figures (not timed tests)."""


@bench.command("intake")
@click.option("--requests", "total", default=400, show_default=True)
@click.option("--concurrency", default=20, show_default=True)
def bench_intake(total: int, concurrency: int) -> None:
    """Intake requests/s and latency on the local cloud, cold imports, Firestore operations per registration."""
    from gemeentedelers.benchmarks import run_intake_benchmark

    run_intake_benchmark(total=total, concurrency=concurrency, echo=click.echo)


main.add_command(scoring_cli.scoring)
main.add_command(sponsors_cli.sponsors)
main.add_command(jury_cli.announce)
main.add_command(export_cli.export)

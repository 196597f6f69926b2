"""``gemeentedelers edition`` and ``clock``: export, publish and activate editions, move the competition clock.

Commands that read or write Firestore reach the local cloud through its state file; a real project only when
``--project ID`` is given (with Application Default Credentials), never by accident.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from gemeentedelers.cli.common import connect, parse_when

PROJECT_OPTION = click.option("--project", default=None, metavar="ID",
                              help="A real Google Cloud project (Application Default Credentials); default: the "
                                   "local cloud.")


def connect_to(project: str | None) -> None:
    """The local cloud, or the project named explicitly (its emulator variables, if any, are ignored)."""
    if project is None:
        connect()
        return
    from gemeentedelers.platform import firestore, settings

    for name in ("FIRESTORE_EMULATOR_HOST", "PUBSUB_EMULATOR_HOST"):
        os.environ.pop(name, None)
    os.environ["GOOGLE_CLOUD_PROJECT"] = project
    settings.reset_cache()
    firestore.reset_client()
    try:
        settings.current()
    except settings.UnsafeEnvironment as problem:
        raise click.ClickException(str(problem)) from None


def organiser() -> str:
    """Who acts from this command line, for the audit trail (``GD_ORGANISER_EMAIL``, else the user's name)."""
    import getpass

    from gemeentedelers.platform import audit

    return audit.organiser(os.environ.get("GD_ORGANISER_EMAIL") or getpass.getuser())


@click.group()
def edition() -> None:
    """Editions: each year's rules as a spec (data), published and activated without a redeploy."""


@edition.command("list")
def edition_list() -> None:
    """The editions shipped with this installation (specs) and any written in code."""
    from gemeentedelers.editions import available_editions

    for name in sorted(available_editions()):
        click.echo(name)


@edition.command("export")
@click.argument("key")
@click.option("--version", "version", type=int, default=None, help="This published version (default: the latest).")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of YAML.")
@PROJECT_OPTION
def edition_export(key: str, version: int | None, as_json: bool, project: str | None) -> None:
    """Print edition KEY as a resolved, self-contained spec (no extends): what is stored and hashed."""
    from gemeentedelers.editions import versions
    from gemeentedelers.editions.spec import canonical_json
    from gemeentedelers.editions.specs import dump_yaml
    from gemeentedelers.platform.firestore import db

    connect_to(project)
    try:
        spec = versions.spec_of(versions.version_record(db(), key, version))
    except versions.UnknownVersion as problem:
        raise click.ClickException(f"{problem} (publish one: gemeentedelers edition publish FILE)") from None
    click.echo(json.dumps(json.loads(canonical_json(spec)), indent=2, ensure_ascii=False) if as_json
               else dump_yaml(spec).rstrip("\n"))


@edition.command("publish")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@PROJECT_OPTION
def edition_publish(file: Path, project: str | None) -> None:
    """Validate spec FILE (YAML or JSON) and store it as the next version of its edition; prints key, version and
    hash. An identical spec stores nothing and prints the version that has it; a bad one names every bad field."""
    from gemeentedelers.editions import versions
    from gemeentedelers.editions.spec import SpecInvalid
    from gemeentedelers.editions.specs import read_file
    from gemeentedelers.platform.firestore import db

    connect_to(project)
    try:
        published = versions.publish(db(), read_file(file), by=organiser())
    except SpecInvalid as refused:
        for problem in refused.problems:
            click.echo(f"  {problem}", err=True)
        raise click.ClickException(f"{file} is not a valid edition spec; nothing was stored") from None
    if published.created:
        click.echo(f"{published.key} version {published.version} {published.hash}")
    else:
        click.echo(f"{published.key} version {published.version} {published.hash} (identical: nothing stored)")


@edition.command("show")
@click.argument("name")
def edition_show(name: str) -> None:
    """An edition's dates, categories, criteria and assumptions."""
    from gemeentedelers.editions import UnknownEdition, get_edition
    from gemeentedelers.web.i18n import format_date

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
    """What changed from edition OLD to edition NEW (keys or spec files): dates, categories, criteria, rules, texts."""
    from gemeentedelers.editions.diff import EditionNotLoaded, diff_editions, load, render

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
@click.argument("key")
@click.option("--version", "version", type=int, default=None, help="This published version (default: the latest).")
@click.option("--at", "at", default=None, help="Also set the competition clock to this moment.")
@click.option("--force", is_flag=True, help="Activate even though a running or decided round depends on a change.")
@click.option("--reason", default=None, help="Why (required with --force; recorded with the activation).")
@PROJECT_OPTION
def edition_activate(key: str, version: int | None, at: str | None, force: bool, reason: str | None,
                     project: str | None) -> None:
    """Make a published version of KEY the active edition; running functions serve it within seconds."""
    from gemeentedelers.editions import EditionConfigError, active, safety, versions
    from gemeentedelers.platform.firestore import db

    if reason and not force:
        raise click.UsageError("--reason goes with --force")
    moment = parse_when(at) if at else None
    connect_to(project)
    try:
        done = active.activate(db(), key, version=version, competition_now=moment, force=force, reason=reason,
                               by=organiser())
    except safety.ActivationRefused as refused:
        raise click.ClickException(str(refused)) from None
    except (versions.UnknownVersion, EditionConfigError, LookupError, ValueError) as problem:
        raise click.ClickException(str(problem)) from None
    forced = f" (forced: {'; '.join(done.refusals)}; reason: {reason})" if done.forced else ""
    click.echo(f"{key} version {done.edition.version} {done.edition.spec_hash} is active{forced}.")


@click.group()
def clock() -> None:
    """The competition clock: real time plus an offset, so a local cloud can stand at any date."""


@clock.command("show")
def clock_show() -> None:
    from gemeentedelers.editions.active import NoActiveEdition, read_active
    from gemeentedelers.platform.firestore import db

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
    from gemeentedelers.editions import active
    from gemeentedelers.platform.firestore import db

    connect()
    moment = parse_when(when)
    active.set_clock(db(), moment)
    click.echo(f"Competition time is now {moment.isoformat()}.")


@click.command("tick")
def tick() -> None:
    """Publish one tick, as the scheduler does every few minutes: every service does what is due now."""
    from gemeentedelers.platform.tick import publish_tick

    connect()
    try:
        message_id = publish_tick()
    except Exception as problem:  # the bus is down or unreachable: say so, exit 1
        raise click.ClickException(f"the tick was not published: {problem}") from None
    click.echo(f"Tick published (message {message_id}).")

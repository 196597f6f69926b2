"""``gemeentedelers edition`` and ``clock``: inspect and activate editions, move the competition clock."""

from __future__ import annotations

import json

import click

from gemeentedelers.cli.common import connect, parse_when


@click.group()
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
    """What changed from edition OLD to edition NEW: dates, categories, criteria, rules, prizes, texts."""
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
@click.argument("name")
@click.option("--at", "at", default=None, help="Also set the competition clock to this moment.")
def edition_activate(name: str, at: str | None) -> None:
    """Make NAME the active edition in Firestore."""
    from gemeentedelers.editions import UnknownEdition, active
    from gemeentedelers.platform.firestore import db

    connect()
    try:
        active.activate(db(), name, competition_now=parse_when(at) if at else None)
    except UnknownEdition as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{name} is active.")


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

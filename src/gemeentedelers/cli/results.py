"""``gemeentedelers results``: where round 1's and round 2's results stand, and releasing one before the edition's
announcement moment (the notify service's due job releases them at the moment itself, on the tick)."""

from __future__ import annotations

import click

from gemeentedelers.cli.common import acting, active_edition, as_option


@click.group()
def results() -> None:
    """Round 1's and round 2's results: held until the edition's announcement moment, or released early."""


@results.command("status")
def status() -> None:
    """Per round: undecided, held until the announcement moment, or released (when, by whom)."""
    from gemeentedelers.entries import release
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    for number in release.ROUNDS:
        found = release.status(db(), edition, number)
        line = f"round {number}: {found.state} (announcement {found.moment.isoformat()})"
        if found.state == "released":
            line += f", released {found.released_at:%Y-%m-%d %H:%M} UTC by {found.released_by}"
            line += " (early)" if found.early else ""
        click.echo(line)


@results.command("release")
@click.option("--round", "number", type=click.IntRange(1, 2), required=True, help="The round: 1 or 2.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option
def release_now(number: int, yes: bool, as_email: str) -> None:
    """Release a decided round's results now: its feedback mails (and after round 1 the teams' links) go out."""
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.entries import release
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    found = release.status(db(), edition, number)
    if found.state == "released":
        click.echo(f"Round {number}'s results were released already ({found.released_by}).")
        return
    if found.state != "held":
        raise click.ClickException(f"round {number} is not decided yet: there are no results to release")
    click.echo(f"Every entrant of round {number} gets their feedback now, not at {found.moment.isoformat()}.")
    if not yes:
        click.confirm("Release?", abort=True)
    try:
        done = release.release(db(), edition, number, by=by, now=read_active(db()).clock.now())
    except release.ReleaseRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Round {number}'s results are released ({done.released_by}).")

"""``gemeentedelers programme``: the finalists' programme; ``pitch`` schedules the pitch to the jury (a slot per
finalist, .ics invitations to the finalists and the jury through notify)."""

from __future__ import annotations

import click

from gemeentedelers.cli.common import acting, active_edition, as_option, parse_when


@click.group()
def programme() -> None:
    """The finalists' programme: the pitch to the jury."""


@programme.command("pitch")
@click.option("--start", "start", required=True, help="The session's start, e.g. 2024-05-20T13:00 (Amsterdam time).")
@click.option("--slot-minutes", type=int, default=20, show_default=True, help="Minutes per finalist.")
@click.option("--place", required=True, help="Where the jury meets, e.g. 'VNG, Nassaulaan 12, Den Haag'.")
@as_option
def pitch(start: str, slot_minutes: int, place: str, as_email: str) -> None:
    """Schedule (or move) the finalists' pitches; every finalist and juror gets an invitation with an .ics."""
    from gemeentedelers.jury import programme as core
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    try:
        stored = core.schedule(db(), edition, start=parse_when(start), minutes=slot_minutes, place=place, by=by)
    except core.PitchRefused as refused:
        raise click.ClickException(str(refused)) from None
    for slot in stored["slots"]:
        click.echo(f"{slot['starts']:%Y-%m-%d %H:%M} UTC  {slot['submission_id']}")
    click.echo(f"Pitch schedule version {stored['version']}: {len(stored['slots'])} finalists; invitations go out.")

"""``gemeentedelers programme``: the finalists' programme. ``pitch`` schedules the pitch to the jury (a slot per
finalist, .ics invitations to the finalists and the jury through notify), ``track`` records the presentation
training and the promo video per finalist, ``show`` lists it all, ``ceremony`` invites to the award ceremony."""

from __future__ import annotations

from typing import Any

import click

from gemeentedelers.cli.common import acting, active_edition, as_option, parse_when


@click.group()
def programme() -> None:
    """The finalists' programme: the pitch, the training and the video, the award ceremony."""


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


@programme.command("track")
@click.argument("submission_id")
@click.option("--item", type=click.Choice(["training", "video"]), required=True,
              help="The presentation training or the promo video.")
@click.option("--on", "on", required=True, help="The date (and time), e.g. 2024-05-02 or 2024-05-02T10:00.")
@click.option("--done", is_flag=True, help="It took place (else: it is planned).")
@as_option
def track(submission_id: str, item: str, on: str, done: bool, as_email: str) -> None:
    """Record a finalist's presentation training or promo video: planned for, or done on, a date."""
    from gemeentedelers.jury import programme as core
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    try:
        core.track(db(), edition, submission_id, item, on=parse_when(on), state="done" if done else "planned", by=by)
    except core.PitchRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"{submission_id}: {item} {'done' if done else 'planned'} on {on}.")


@programme.command("show")
def show() -> None:
    """Per finalist: the pitch slot, the training and the video."""
    from gemeentedelers.jury import programme as core
    from gemeentedelers.platform.firestore import db

    edition = active_edition()

    from gemeentedelers.web.i18n import AMSTERDAM

    def said(value: dict[str, Any] | None) -> str:
        return f"{value['state']} {value['on'].astimezone(AMSTERDAM):%Y-%m-%d}" if value else "-"

    for row in core.overview(db(), edition):
        pitch = f"{row['pitch']['starts']:%Y-%m-%d %H:%M} UTC" if row["pitch"] else "-"
        click.echo(f"{row['submission_id']}  pitch {pitch}  training {said(row['training'])}  "
                   f"video {said(row['video'])}  {row['title']}")


@programme.command("ceremony")
@click.option("--place", required=True, help="Where the prizes are awarded, e.g. 'VNG Jaarcongres, Den Haag'.")
@as_option
def ceremony(place: str, as_email: str) -> None:
    """Invite the finalists, the jury and the sponsors (with a contact address) to the award ceremony (.ics)."""
    from gemeentedelers.jury import programme as core
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    try:
        stored = core.invite_to_ceremony(db(), edition, place=place, by=by)
    except core.PitchRefused as refused:
        raise click.ClickException(str(refused)) from None
    click.echo(f"Ceremony {stored['starts'].isoformat()} at {stored['place']} (version {stored['version']}): "
               "invitations go out.")

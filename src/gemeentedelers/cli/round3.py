"""``gemeentedelers round3``: what the round-3 organiser page does, acting ``--as`` a named organiser.

Import the jury, open the round (every juror gets their link), remind jurors, withdraw one, preview the outcome.
The jury's outcome stays the chair's to confirm, on the chair's own page; ``gemeentedelers announce`` (or the
scheduler's tick) announces it at the edition's moment.
"""

from __future__ import annotations

from pathlib import Path

import click

from gemeentedelers.cli.common import acting, active_edition, as_option, organiser_call


def _juror(value: str) -> str:
    from gemeentedelers.jury.jurors import juror_id

    return juror_id(value) if "@" in value else value


@click.group()
def round3() -> None:
    """Round 3 for organisers: the jury, opening the round, reminders, withdrawals, the outcome's preview."""


@round3.command("import-jurors")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def import_jurors(csv_file: Path, as_email: str) -> None:
    """Import the jury from CSV_FILE (name,email,organisation,is_chair[,language]; exactly one chair)."""
    from gemeentedelers.jury import jurors
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    created, existing = organiser_call(lambda: jurors.import_csv(db(), edition.key, csv_file.read_text(),
                                                                 source=csv_file.name, by=by))
    click.echo(f"{len(created)} jurors imported, {len(existing)} were there already.")


@round3.command("open")
@as_option
def open_round(as_email: str) -> None:
    """Open round 3: every juror gets their personal link by mail."""
    from gemeentedelers.jury import round3 as core
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    n = organiser_call(lambda: core.open_round(db(), edition, by=by))
    click.echo(f"Round 3 is open; {n} jurors invited.")


@round3.command("remind")
@as_option
def remind(as_email: str) -> None:
    """Remind jurors with categories still to rank; at most one reminder per juror per day."""
    from gemeentedelers.jury import reminders
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    done = organiser_call(lambda: reminders.remind_jurors(db(), edition, by=by))
    click.echo(f"{len(done)} jurors reminded.")


@round3.command("withdraw")
@click.argument("juror")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option
def withdraw(juror: str, yes: bool, as_email: str) -> None:
    """Withdraw a JUROR (e-mail or id) who drops out: their link stops, their ballot stops counting."""
    from gemeentedelers.jury import jurors
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    jid = _juror(juror)
    person = jurors.get(db(), edition.key, jid)
    if person is None:
        raise click.ClickException(f"there is no juror {juror}")
    click.echo(f"Withdrawing {person['name']}: their link stops working; their ballot is kept but does not count.")
    if not yes:
        click.confirm("Withdraw?", abort=True)
    changed = organiser_call(lambda: jurors.withdraw(db(), edition.key, jid, by=by))
    click.echo(f"{'Withdrawn' if changed else 'Was withdrawn already'}: {person['name']}.")


@round3.command("preview")
def preview() -> None:
    """The outcome the stored ballots give now, per category, and whose rankings are missing."""
    from gemeentedelers.jury import jurors
    from gemeentedelers.jury import round3 as core
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    found = organiser_call(lambda: core.outcome(db(), edition))
    names = {j["juror_id"]: j["name"] for j in jurors.all_jurors(db(), edition.key)}
    titles = {e["submission_id"]: e["title"] for entries in found.shortlist.values() for e in entries}
    for category, made in found.categories.items():
        click.echo(f"{category}: winner {titles.get(made.winner, made.winner) if made.decided else '(undecided)'}")
    for category, missing in found.missing.items():
        if missing:
            click.echo(f"  {category}: no ranking yet from {', '.join(names.get(j, j) for j in missing)}")
    click.echo("Complete: the chair can confirm." if found.complete else "Not complete yet.")

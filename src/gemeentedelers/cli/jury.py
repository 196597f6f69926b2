"""``gemeentedelers announce``: announce the winners when the edition's announcement time has come.

The same as the jury's due job on every tick (``gemeentedelers tick``; Cloud Scheduler in production): before
``timeline.winners_announced`` (competition clock) it does nothing and says when; after it, it announces the
chair's confirmed winners once; running it again announces nothing twice.
"""

from __future__ import annotations

import click

from gemeentedelers.cli.common import as_option


@click.command("announce")
@as_option
def announce(as_email: str) -> None:
    """Announce the confirmed winners of the active edition, if the announcement time has come."""
    from gemeentedelers.cli.common import acting, connect

    connect()
    by = acting(as_email)
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.jury.round3 import announce_if_due
    from gemeentedelers.platform.firestore import db

    active = read_active(db())
    done = announce_if_due(db(), active.edition, active.clock.now(), by=by)
    click.echo(f"{active.edition.key}: {done.status}: {done.message} (announcement time {done.when.isoformat()})")

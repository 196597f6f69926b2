"""``privacy`` commands: a person's rights under the AVG, exercised for them by an organiser.

``privacy export --email E`` prints everything stored about the address as JSON (art. 15, right of access; exit 1
when nothing is found); ``privacy erase --email E --yes`` removes the person's data everywhere in Firestore and
keeps a pseudonym where a decision or the audit trail needs a row (art. 17; ``people/privacy.py``). Imports happen
when a command runs, so ``gemeentedelers --help`` does not load the Google clients.
"""

from __future__ import annotations

import json

import click

__all__ = ["privacy"]


@click.group("privacy")
def privacy() -> None:
    """A person's data: everything stored about them (export) and erasure on request (erase)."""


@privacy.command("export")
@click.option("--email", "email", required=True, metavar="E", help="The person's e-mail address.")
def export(email: str) -> None:
    """Print everything stored about E as JSON (exit 1 when nothing is stored)."""
    from gemeentedelers.cli.common import connect
    from gemeentedelers.people import privacy as people_privacy
    from gemeentedelers.platform.firestore import db

    connect()
    found = people_privacy.find(db(), email)
    if found.empty:
        raise click.ClickException(f"nothing is stored about {email.strip()}")
    click.echo(json.dumps(found.export(), ensure_ascii=False, indent=2, default=str, sort_keys=True))


@privacy.command("erase")
@click.option("--email", "email", required=True, metavar="E", help="The person's e-mail address.")
@click.option("--yes", is_flag=True, help="Confirm: the erasure cannot be undone (backups expire on their own).")
@click.option("--as", "as_email", metavar="O", envvar="GD_ORGANISER", default=None,
              help="The organiser handling the request (or GD_ORGANISER); the audit trail names them. Without it "
                   "the erasure is recorded as the privacy officer's (system:privacy), who need not be an organiser.")
def erase(email: str, yes: bool, as_email: str | None) -> None:
    """Erase E's personal data everywhere in Firestore; a pseudonym stays where a decision or the audit trail keeps
    a row, and the erasure is recorded in the audit trail."""
    from gemeentedelers.cli.common import acting, connect
    from gemeentedelers.people import privacy as people_privacy
    from gemeentedelers.platform import audit
    from gemeentedelers.platform.firestore import db

    if not yes:
        raise click.ClickException("erasing cannot be undone: add --yes to erase " + email.strip())
    actor = acting(as_email, "manage") if as_email else audit.system("privacy")
    connect()
    try:
        done = people_privacy.erase(db(), email, actor=actor)
    except people_privacy.NothingFound as problem:
        raise click.ClickException(str(problem)) from None
    summary = done.summary()
    click.echo(f"Erased {email.strip()}: {summary['deleted']} documents deleted, {summary['pseudonymised']} "
               f"pseudonymised, {summary['swept']} cleaned of the address or name; pseudonym {done.pseudonym}.")


@privacy.command("withdraw-publication")
@click.option("--entry", "entry", required=True, metavar="SUB", help="The entry's submission id (sub-...).")
@click.option("--edition", "edition", default=None, metavar="KEY",
              help="The edition of the entry (default: the active edition).")
@click.option("--as", "as_email", metavar="O", envvar="GD_ORGANISER", required=True,
              help="The organiser handling the team's request (or GD_ORGANISER); the audit trail names them.")
def withdraw_publication(entry: str, edition: str | None, as_email: str) -> None:
    """The team of SUB withdraws its consent to publication: the entry leaves the databank's feed and page at once
    (the page answers 410) and is not published later."""
    from gemeentedelers.cli.common import acting, connect
    from gemeentedelers.databank import withdraw
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.platform.firestore import db

    actor = acting(as_email, "manage")
    connect()
    key = edition or read_active(db()).edition.key
    try:
        changed = withdraw.withdraw_consent(db(), key, entry.strip(), actor=actor)
    except withdraw.WithdrawRefused as refused:
        raise click.ClickException(refused.text("en")) from None
    click.echo(f"{entry.strip()} ({key}): consent to publication withdrawn; taken out of the databank."
               if changed else f"{entry.strip()} ({key}): had no consent to publication and is not in the databank.")

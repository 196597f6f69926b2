"""``gemeentedelers organisers``: the named organisers, their roles and their sign-in links.

The first coordinator is bootstrapped here (``organisers add`` while there are none, no ``--as`` needed); from
then on a coordinator adds, changes and revokes organisers (``--as``). ``--print-link`` prints a single-use sign-in
link (15 minutes) instead of mailing one, for the first coordinator or a machine without mail.
"""

from __future__ import annotations

import json

import click

from gemeentedelers.cli.common import acting, as_option, connect, organiser_call


@click.group()
def organisers() -> None:
    """Organisers: add or change (with a role), list, revoke, sign-in links."""


@organisers.command("add")
@click.option("--email", required=True, help="The organiser's e-mail address (their account).")
@click.option("--name", required=True, help="Their name, as the console and the audit trail show it.")
@click.option("--role", required=True, type=click.Choice(["coordinator", "round-lead", "observer"]),
              help="coordinator: manages organisers and editions; round-lead: runs rounds; observer: reads only.")
@click.option("--print-link", is_flag=True, help="Print a single-use sign-in link (15 minutes) instead of mailing it.")
@click.option("--as", "as_email", metavar="E", envvar="GD_ORGANISER", default=None,
              help="The coordinator acting (not needed for the very first organiser).")
def add(email: str, name: str, role: str, print_link: bool, as_email: str | None) -> None:
    """Add an organiser, or change a known one's name and role (a revoked one is reinstated)."""
    from gemeentedelers.cli.common import active_edition
    from gemeentedelers.people import organisers as core
    from gemeentedelers.platform import bus
    from gemeentedelers.platform.firestore import db

    connect()
    by = acting(as_email, "manage") if as_email else None
    record, created = organiser_call(lambda: core.add(db(), email=email, name=name, role=role, by=by))
    click.echo(f"{'Added' if created else 'Updated'} {record['name']} <{record['email']}> as {record['role']}.")
    if print_link:
        click.echo(f"Sign-in link (works once, for 15 minutes): {core.sign_in_link(record)}")
    else:
        from gemeentedelers.console.pages import link_event

        bus.publish(*link_event(record, active_edition().key))
        click.echo(f"A sign-in link is on its way to {record['email']}.")


@organisers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list.")
def list_(as_json: bool) -> None:
    """Every organiser with role and status (revoked ones too)."""
    from gemeentedelers.people import organisers as core
    from gemeentedelers.platform.firestore import db

    connect()
    people = core.all_organisers(db())
    keys = ("email", "name", "role", "status")
    if as_json:
        click.echo(json.dumps([{k: p.get(k) for k in keys} for p in people], ensure_ascii=False, indent=2))
        return
    if not people:
        click.echo("No organisers yet; bootstrap the first coordinator with 'organisers add ... --role coordinator'.")
    for p in people:
        click.echo(f"{p['email']:<36} {p['name']:<28} {p['role']:<12} {p['status']}")


@organisers.command("revoke")
@click.argument("email")
@as_option
def revoke(email: str, as_email: str) -> None:
    """Revoke an organiser: their sessions and sign-in links stop working at once; nobody else is touched."""
    from gemeentedelers.people import organisers as core
    from gemeentedelers.platform.firestore import db

    by = acting(as_email, "manage")
    changed = organiser_call(lambda: core.revoke(db(), email, by=by))
    click.echo(f"Revoked {email}." if changed else f"{email} was revoked already.")


@organisers.command("link")
@click.argument("email")
@click.option("--print", "print_it", is_flag=True, help="Print the link instead of mailing it.")
@as_option
def link(email: str, print_it: bool, as_email: str) -> None:
    """A fresh single-use sign-in link for an organiser (mailed, or printed with --print)."""
    from gemeentedelers.cli.common import active_edition
    from gemeentedelers.console.pages import link_event
    from gemeentedelers.people import organisers as core
    from gemeentedelers.platform import bus
    from gemeentedelers.platform.firestore import db

    acting(as_email, "manage")
    record = organiser_call(lambda: core.acting(db(), email, "read"))
    if print_it:
        click.echo(core.sign_in_link(record))
    else:
        bus.publish(*link_event(record, active_edition().key))
        click.echo(f"A sign-in link is on its way to {record['email']}.")

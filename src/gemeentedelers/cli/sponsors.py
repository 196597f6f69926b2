"""``sponsors`` commands: register sponsors' webhook endpoints, see what was delivered to them, redeliver.

Sponsors on Google Cloud need none of this: they subscribe to ``gd-winners-announced`` (docs/events.md).
Every command touches Firestore, so each calls ``cli.connect()`` first. Imports happen when a command runs:
``gemeentedelers.cli`` imports this module to attach the group (a top-level import of it would be circular),
and ``gemeentedelers --help`` should not pay for loading the Google clients.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from google.cloud import firestore

__all__ = ["sponsors"]


def _store() -> tuple[ModuleType, firestore.Client, bool]:
    """The sponsors module, the connected cloud's Firestore client, and whether that cloud is the local one."""
    from gemeentedelers.cli.common import connect
    from gemeentedelers.notify import sponsors as core
    from gemeentedelers.platform import settings
    from gemeentedelers.platform.firestore import db

    connect()
    return core, db(), settings.current().is_local


@click.group("sponsors")
def sponsors() -> None:
    """Sponsors' webhooks that receive the winners (winners.announced), signed and retried."""


@sponsors.command("add")
@click.option("--name", required=True, help="The sponsor, as organisers know it.")
@click.option("--url", required=True, help="The endpoint: https (plain http only for 127.0.0.1 locally).")
@click.option("--secret", default=None, help="The signing secret agreed with the sponsor; generated when absent.")
@click.option("--contact", default=None, help="The sponsor's e-mail address for people (the ceremony's invitation).")
def add(name: str, url: str, secret: str | None, contact: str | None) -> None:
    """Register an endpoint; a generated secret is printed this once."""
    core, client, local = _store()
    try:
        endpoint, used = core.register(client, name, url, secret, local=local, contact_email=contact)
    except core.InvalidEndpoint as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Registered {endpoint.endpoint_id}: {endpoint.name} <{endpoint.url}>")
    if secret is None:
        click.echo(f"Signing secret (shown only now; give it to the sponsor): {used}")
    click.echo(f"The same secret for Standard Webhooks libraries (webhook-signature): {core.whsec(used)}")


@sponsors.command("contact")
@click.argument("endpoint_id")
@click.argument("email")
def contact(endpoint_id: str, email: str) -> None:
    """Give a sponsor the e-mail address the award ceremony's invitation goes to."""
    core, client, _ = _store()
    try:
        core.set_contact(client, endpoint_id, email)
    except core.InvalidEndpoint as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{endpoint_id}: contact {email}.")


@sponsors.command("list")
def list_endpoints() -> None:
    """Every registered endpoint, active or not (secrets are never shown)."""
    core, client, _ = _store()
    found = core.endpoints(client)
    if not found:
        click.echo("No sponsor endpoints registered.")
    for endpoint in found:
        state = "active" if endpoint.active else "disabled"
        click.echo(f"{endpoint.endpoint_id}  {state:<8}  {endpoint.name}  <{endpoint.url}>")


@sponsors.command("disable")
@click.argument("endpoint_id")
def disable(endpoint_id: str) -> None:
    """Stop sending to an endpoint (its deliveries are kept)."""
    core, client, _ = _store()
    try:
        endpoint = core.disable(client, endpoint_id)
    except LookupError as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Disabled {endpoint.endpoint_id}: {endpoint.name}")


@sponsors.command("deliveries")
@click.option("--event", "event_id", default=None, help="Only this event's deliveries, e.g. winners.announced:gd2024.")
def list_deliveries(event_id: str | None) -> None:
    """Each (event, endpoint) delivery: status, attempts and the last answer."""
    core, client, _ = _store()
    found = core.deliveries(client, event_id)
    if not found:
        click.echo("No deliveries" + (f" for {event_id}." if event_id else "."))
    for delivery in found:
        click.echo(f"{delivery['event_id']}  {delivery['endpoint_id']}  {delivery.get('status', '?'):<10}  "
                   f"{delivery.get('attempt_count', 0)} attempt(s)  last: {_last(delivery)}{_redelivered(delivery)}")


def _last(delivery: dict[str, Any]) -> str:
    if delivery.get("last_error"):
        return str(delivery["last_error"])
    if delivery.get("last_status_code") is not None:
        return f"HTTP {delivery['last_status_code']}"
    return "-"


def _redelivered(delivery: dict[str, Any]) -> str:
    last = delivery.get("last_redelivery")
    if not last:
        return ""
    at = last.get("at")
    when = f" at {at:%Y-%m-%d %H:%M:%S} UTC" if at is not None else ""
    return f"  redelivered by {last.get('by', '?')}{when} (was {last.get('previous_status') or 'never delivered'})"


def _login() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in this environment
        return "organiser"


@sponsors.command("redeliver")
@click.argument("endpoint_id", required=False)
@click.option("--edition", default=None, help="The edition whose winners to send; default: the active one.")
@click.option("--force", is_flag=True,
              help="With ENDPOINT_ID: send it even when it was delivered (or a redelivery seems stuck).")
@click.option("--dry-run", is_flag=True, help="Only list what would be sent, and what is left alone and why.")
@click.option("--by", "by", default=None, help="Who asks, kept in the delivery record; default: your login name.")
def redeliver(endpoint_id: str | None, edition: str | None, force: bool, dry_run: bool, by: str | None) -> None:
    """Send an edition's announced winners again to ENDPOINT_ID, or to every active endpoint that did not get
    them (failed, gave up, never sent). Same body, same event id: the notify function posts it, signed."""
    core, client, _ = _store()
    if edition is None:
        from gemeentedelers.editions.active import NoActiveEdition, read_active

        try:
            edition = read_active(client).edition.key
        except NoActiveEdition as problem:
            raise click.ClickException(f"{problem}; or name one with --edition") from None
    try:
        done = core.redeliver(client, edition, endpoint_id, force=force, dry_run=dry_run, by=by or _login())
    except core.RedeliveryRefused as problem:
        raise click.ClickException(str(problem)) from None
    plan = done.plan
    if dry_run:
        click.echo(f"Dry run: {plan.event_id} would be redelivered to {len(plan.send)} endpoint(s):")
        for target in plan.send:
            click.echo(f"  {_target(target)}")
    else:
        for target in done.queued:
            click.echo(f"Redelivering {plan.event_id} to {_target(target)}")
        for target in done.lost:
            click.echo(f"Not redelivered to {target.endpoint.endpoint_id} ({target.endpoint.name}): its delivery "
                       "changed meanwhile (another redelivery, or the delivery itself); see 'sponsors deliveries'")
        for target, problem in done.unpublished:
            click.echo(f"Not redelivered to {target.endpoint.endpoint_id} ({target.endpoint.name}): publishing "
                       f"failed ({problem}); nothing was changed, run this again")
    for target in plan.skipped:
        click.echo(f"Left alone: {target.endpoint.endpoint_id} ({target.endpoint.name}) {target.reason}")
    if not dry_run:
        if done.queued:
            click.echo(f"Follow it with: gemeentedelers sponsors deliveries --event {plan.event_id}")
        if not done.queued or done.unpublished:
            raise click.exceptions.Exit(1)


def _target(target: Any) -> str:
    endpoint = target.endpoint
    state = target.status if target.record is None else (
        f"{target.status}, {target.attempt_count} attempt(s), last: {_last(dict(target.record))}")
    return f"{endpoint.endpoint_id}  {endpoint.name}  <{endpoint.url}>  ({state})"


if __name__ == "__main__":
    sponsors()

"""``sponsors`` commands: register sponsors' webhook endpoints and see what was delivered to them.

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
    from gemeentedelers import settings
    from gemeentedelers.cli import connect
    from gemeentedelers.firestore import db
    from gemeentedelers.notify import sponsors as core

    connect()
    return core, db(), settings.current().is_local


@click.group("sponsors")
def sponsors() -> None:
    """Sponsors' webhooks that receive the winners (winners.announced), signed and retried."""


@sponsors.command("add")
@click.option("--name", required=True, help="The sponsor, as organisers know it.")
@click.option("--url", required=True, help="The endpoint: https (plain http only for 127.0.0.1 locally).")
@click.option("--secret", default=None, help="The signing secret agreed with the sponsor; generated when absent.")
def add(name: str, url: str, secret: str | None) -> None:
    """Register an endpoint; a generated secret is printed this once."""
    core, client, local = _store()
    try:
        endpoint, used = core.register(client, name, url, secret, local=local)
    except core.InvalidEndpoint as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Registered {endpoint.endpoint_id}: {endpoint.name} <{endpoint.url}>")
    if secret is None:
        click.echo(f"Signing secret (shown only now; give it to the sponsor): {used}")


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
                   f"{delivery.get('attempt_count', 0)} attempt(s)  last: {_last(delivery)}")


def _last(delivery: dict[str, Any]) -> str:
    if delivery.get("last_error"):
        return str(delivery["last_error"])
    if delivery.get("last_status_code") is not None:
        return f"HTTP {delivery['last_status_code']}"
    return "-"


if __name__ == "__main__":
    sponsors()

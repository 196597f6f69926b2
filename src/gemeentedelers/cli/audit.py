"""``gemeentedelers audit``: the audit trail, oldest first, optionally from a moment on or of one actor."""

from __future__ import annotations

import json
from datetime import datetime

import click

from gemeentedelers.cli.common import connect, parse_when


@click.command("audit")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of entries.")
@click.option("--since", metavar="ISO-MOMENT", default=None,
              help="Only entries from this moment on (an ISO date or date-time; Amsterdam time without a zone).")
@click.option("--actor", metavar="A", default=None,
              help="Only entries of this actor, e.g. organiser:anna@vng.nl, scorer:<pseudonym>, system:jury.")
def audit(as_json: bool, since: str | None, actor: str | None) -> None:
    """Every organiser action, decision, score/ballot/report change, sign-in and revocation: who, what, when."""
    from gemeentedelers.platform import audit as trail
    from gemeentedelers.platform.firestore import db

    moment = parse_when(since) if since else None
    connect()
    found = trail.entries(db(), since=moment, actor=actor)
    if as_json:
        click.echo(json.dumps([_plain(e) for e in found], ensure_ascii=False, indent=2, default=str))
        return
    for entry in found:
        at = entry["at"].isoformat(timespec="seconds") if isinstance(entry.get("at"), datetime) else "-"
        change = ""
        if entry.get("before") is not None or entry.get("after") is not None:
            before, after = (json.dumps(entry.get(k), default=str) for k in ("before", "after"))
            change = f"  {before} -> {after}"
        click.echo(f"{at}  {entry['actor']:<40} {entry['action']:<30} {entry['target']}{change}")
    if not found:
        click.echo("No entries.")


def _plain(entry: dict) -> dict:
    at = entry.get("at")
    return {"id": entry["id"], "at": at.isoformat() if isinstance(at, datetime) else at,
            **{k: entry.get(k) for k in ("actor", "action", "target", "before", "after", "edition")}}

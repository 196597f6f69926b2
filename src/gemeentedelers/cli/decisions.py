"""``gemeentedelers decision``: list every stored decision and replay one, exactly or under other rules."""

from __future__ import annotations

import json

import click

from gemeentedelers.cli.editions import PROJECT_OPTION, connect_to


@click.group()
def decision() -> None:
    """Stored decisions of rounds 1, 2 and 3: list them, recompute one from its stored inputs."""


@decision.command("list")
@click.option("--json", "as_json", is_flag=True, help="A JSON list of {id, round, at, by, rule, outcome, ...}.")
@PROJECT_OPTION
def decision_list(as_json: bool, project: str | None) -> None:
    """Every stored decision: id, round, when, by whom, the rule and the outcome."""
    from gemeentedelers.editions.replay import stored_decisions, summary
    from gemeentedelers.platform.firestore import db

    connect_to(project)
    rows = [summary(d) for d in stored_decisions(db())]
    if as_json:
        click.echo(json.dumps(rows, indent=2, ensure_ascii=False, default=str))
        return
    if not rows:
        click.echo("No decisions are stored.")
    for row in rows:
        click.echo(f"{row['id']}  round {row['round']}  {row['edition']} v{row['edition_version']}  {row['at']}  "
                   f"by {row['by']}\n    rule: {row['rule']}\n    outcome: {row['outcome']}")


@decision.command("replay")
@click.argument("decision_id", metavar="ID")
@click.option("--json", "as_json", is_flag=True, help="The comparison as JSON.")
@click.option("--under", default=None, metavar="KEY|FILE",
              help="Recompute under this edition's rules instead (what-if); lists who would have placed otherwise.")
@PROJECT_OPTION
def decision_replay(decision_id: str, as_json: bool, under: str | None, project: str | None) -> None:
    """Recompute decision ID from its stored inputs under its stored rules and method: exit 0 when the outcome is
    identical (numbers within 1e-9), 1 with the difference otherwise. With --under, exit 0 and list the changes."""
    from gemeentedelers.editions.diff import EditionNotLoaded
    from gemeentedelers.editions.replay import CannotReplay, DecisionNotFound, edition_for, replay, what_if
    from gemeentedelers.platform.firestore import db

    connect_to(project)
    try:
        found = what_if(db(), decision_id, edition_for(db(), under)) if under else replay(db(), decision_id)
    except (DecisionNotFound, CannotReplay, EditionNotLoaded, LookupError) as problem:
        raise click.ClickException(str(problem)) from None
    if as_json:
        click.echo(json.dumps(found.as_dict(), indent=2, ensure_ascii=False))
    elif under:
        click.echo(f"{decision_id} (round {found.round}) under {found.under}: "
                   f"{len(found.placements)} entries would have placed differently")
        for p in found.placements:
            click.echo(f"  {p.subject}: {p.entry}: {p.before} -> {p.after}")
    elif found.identical:
        click.echo(f"{decision_id} (round {found.round}): identical")
    else:
        click.echo(f"{decision_id} (round {found.round}): DIFFERENT")
        for line in found.differences[:50]:
            click.echo(f"  {line}")
    if not under and not found.identical:
        raise SystemExit(1)

"""``ops`` commands: what an operator looks at when messages did not get through.

``ops dead-letters`` lists the messages Pub/Sub gave up on (kept by notify, ``platform/deadletters.py``);
``--replay`` publishes each one not replayed yet to its topic again. Imports happen when a command runs, so
``gemeentedelers --help`` does not load the Google clients.
"""

from __future__ import annotations

import click

__all__ = ["ops"]


@click.group("ops")
def ops() -> None:
    """Operations: dead-lettered messages, and replaying them."""


@ops.command("dead-letters")
@click.option("--replay", is_flag=True, help="Publish every dead letter not replayed yet to its topic again.")
def dead_letters(replay: bool) -> None:
    """List the dead-lettered messages (source subscription, event, attempts); --replay publishes them again.

    Replaying is safe: consumers act on what is stored in Firestore and deduplicate on business keys."""
    from gemeentedelers.cli.common import connect
    from gemeentedelers.platform import bus, deadletters
    from gemeentedelers.platform.firestore import db

    connect()
    letters = deadletters.listing(db())
    if not letters:
        click.echo("No dead letters.")
        return
    for letter in letters:
        record = letter.record
        state = f"replayed {record['replays']}x" if letter.replayed else "not replayed"
        received = record.get("received_at")
        when = f"{received:%Y-%m-%d %H:%M:%S} UTC" if received else "?"
        click.echo(f"{letter.doc_id}  {record.get('event_type') or '?'}  {record.get('event_id') or '-'}  "
                   f"from {record.get('source_subscription')}  after {record.get('delivery_attempts') or '?'} "
                   f"deliveries  kept {when}  {state}")
    if not replay:
        return
    waiting = [letter for letter in letters if not letter.replayed]
    if not waiting:
        click.echo("Nothing to replay: every dead letter was replayed already.")
        return
    failed = []
    for letter in waiting:
        try:
            message_id = deadletters.replay(db(), letter)
        except (deadletters.NotReplayable, bus.PublishFailed) as problem:
            failed.append(str(problem))
            continue
        click.echo(f"Replayed {letter.doc_id} to {letter.record['topic']} (message {message_id})")
    if failed:
        raise click.ClickException(f"{len(failed)} of {len(waiting)} could not be replayed: " + "; ".join(failed))
    click.echo(f"Replayed {len(waiting)} dead letter(s).")

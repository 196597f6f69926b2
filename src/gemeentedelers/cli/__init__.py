"""The ``gemeentedelers`` command: the local cloud, editions, the competition clock, the rounds, the demo.

Commands that touch Firestore find the local cloud through its state file (``.local/cloud.json``) unless
the environment already names the emulators; they refuse to run against anything but a demo project.
Each group lives in its own module; this one only assembles them.
"""

from __future__ import annotations

import click

from gemeentedelers.cli import audit as audit_cli
from gemeentedelers.cli import decisions as decisions_cli
from gemeentedelers.cli import demo as demo_cli
from gemeentedelers.cli import dev as dev_cli
from gemeentedelers.cli import editions as editions_cli
from gemeentedelers.cli import export as export_cli
from gemeentedelers.cli import jury as jury_cli
from gemeentedelers.cli import ops as ops_cli
from gemeentedelers.cli import organisers as organisers_cli
from gemeentedelers.cli import privacy as privacy_cli
from gemeentedelers.cli import programme as programme_cli
from gemeentedelers.cli import results as results_cli
from gemeentedelers.cli import round1 as round1_cli
from gemeentedelers.cli import round2 as round2_cli
from gemeentedelers.cli import round3 as round3_cli
from gemeentedelers.cli import scoring as scoring_cli
from gemeentedelers.cli import sponsors as sponsors_cli
from gemeentedelers.cli.common import STATE_FILE, connect, parse_when

__all__ = ["STATE_FILE", "connect", "main", "parse_when"]


@click.group()
def main() -> None:
    """GemeenteDelers: VNG's competition in which municipalities share proven service innovations."""


COMMANDS = (
    dev_cli.dev, editions_cli.edition, editions_cli.clock, editions_cli.tick, round1_cli.round1, demo_cli.demo,
    demo_cli.bench, scoring_cli.scoring, sponsors_cli.sponsors, jury_cli.announce, export_cli.export, ops_cli.ops,
    decisions_cli.decision, organisers_cli.organisers, audit_cli.audit, round2_cli.round2, round3_cli.round3,
    privacy_cli.privacy, results_cli.results, programme_cli.programme,
)
for command in COMMANDS:
    main.add_command(command)

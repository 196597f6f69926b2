"""``gemeentedelers round1``: round 1 for organisers (also on the organiser page)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import click

from gemeentedelers.cli.common import active_edition, organiser_call


@click.group()
def round1() -> None:
    """Round 1 for organisers: scorers, waves, reminders, preview and closing (also on the organiser page)."""


@round1.command("import-scorers")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def round1_import(csv_file: Path) -> None:
    """Import approved scorers from CSV_FILE (name,email,organisation[,background,capacity,language])."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import scorers

    edition = active_edition()
    result = organiser_call(lambda: scorers.import_csv(db(), edition.key, csv_file.read_text(), source=csv_file.name))
    click.echo(f"{len(result.created)} scorers imported, {len(result.existing)} were there already.")


@round1.command("wave")
@click.option("--budget", type=int, default=None, help="Extra ratings (adaptive); default: the rest of the budget.")
@click.option("--first", is_flag=True, help="Open the round and assign the first, even wave.")
def round1_wave(budget: int | None, first: bool) -> None:
    """Assign a wave; scorers with new entries get their link by mail."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import waves

    edition = active_edition()
    result = organiser_call(lambda: waves.first_wave(db(), edition, by="cli") if first
                             else waves.adaptive_wave(db(), edition, budget, by="cli"))
    click.echo(f"Wave {result.wave} ({result.kind}): {len(result.pairs)} ratings for {len(result.scorers)} scorers.")


@round1.command("remind")
def round1_remind() -> None:
    """Mail every scorer with unfinished entries a reminder (once per scorer per day)."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import waves

    edition = active_edition()
    reminded = organiser_call(lambda: waves.remind(db(), edition, datetime.now().date().isoformat()))
    click.echo(f"{len(reminded)} scorers reminded.")


@round1.command("drop")
@click.argument("scorer_id")
def round1_drop(scorer_id: str) -> None:
    """A scorer drops out: their unfinished entries go to others."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import waves

    edition = active_edition()
    result = organiser_call(lambda: waves.drop_scorer(db(), edition, scorer_id, by="cli"))
    click.echo(f"{len(result.pairs)} ratings reassigned.")


@round1.command("preview")
@click.option("--all", "show_all", is_flag=True, help="Every entry, not only the top and those near the cut-off.")
def round1_preview(show_all: bool) -> None:
    """The ranking as it stands, with uncertainty and each entry's chance of advancing."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import verdict

    edition = active_edition()
    shown = organiser_call(lambda: verdict.preview(db(), edition))
    click.echo(f"{shown.ratings} scores submitted, {shown.outstanding} outstanding; top {shown.top_n} advance.")
    st = shown.stability
    if st.remaining == 0:
        click.echo(f"Every rating is in; the top {shown.top_n} will not change any more.")
    else:
        click.echo(f"Shortlist {'stable' if st.stable else 'not stable yet'}: the chance that the {st.remaining} "
                   f"ratings still to come change the top {shown.top_n} is {st.percent} (the waves stop below 5%).")
    click.echo(f"{'rank':>4}  {'entry':<40} {'estimate':>8} {'90% interval':>15} {'p_top':>6} {'n':>3}")
    for row in shown.ranking:
        near = verdict.NEAR[0] < row.p_top < verdict.NEAR[1]
        if show_all or row.advances or near:
            title = shown.entries[row.submission_id]["title"][:40]
            click.echo(f"{row.rank:>4}  {title:<40} {row.estimate:>8.2f} {row.lower:>7.2f}-{row.upper:<7.2f} "
                       f"{row.p_top:>6.0%} {row.n_ratings:>3}{'  near the cut-off' if near else ''}")


@round1.command("close")
@click.confirmation_option(prompt="Close round 1? Scorers can no longer change anything.")
def round1_close() -> None:
    """Close round 1, decide who advances, publish the decision and the feedback."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import verdict

    edition = active_edition()
    decision = organiser_call(lambda: verdict.close(db(), edition, by="cli"))
    click.echo(f"Decision {decision['decision_id']}: {len(decision['advancing'])} advance.")

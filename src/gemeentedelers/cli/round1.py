"""``gemeentedelers round1``: round 1 for organisers (also on the organiser page)."""

from __future__ import annotations

from pathlib import Path

import click

from gemeentedelers.cli.common import acting, active_edition, as_option, organiser_call


@click.group()
def round1() -> None:
    """Round 1 for organisers: scorers, waves, reminders, preview and closing (also on the organiser page)."""


@round1.command("import-scorers")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def round1_import(csv_file: Path, as_email: str) -> None:
    """Import approved scorers from CSV_FILE (name,email,organisation[,background,capacity,language])."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import scorers

    edition = active_edition()
    by = acting(as_email)
    result = organiser_call(lambda: scorers.import_csv(db(), edition.key, csv_file.read_text(), source=csv_file.name,
                                                       by=by))
    click.echo(f"{len(result.created)} scorers imported, {len(result.existing)} were there already.")


@round1.command("wave")
@click.option("--budget", type=int, default=None, help="Extra ratings (adaptive); default: the rest of the budget.")
@click.option("--first", is_flag=True, help="Open the round and assign the first, even wave.")
@as_option
def round1_wave(budget: int | None, first: bool, as_email: str) -> None:
    """Assign a wave; scorers with new entries get their link by mail."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import waves

    edition = active_edition()
    by = acting(as_email)
    result = organiser_call(lambda: waves.first_wave(db(), edition, by=by) if first
                             else waves.adaptive_wave(db(), edition, budget, by=by))
    click.echo(f"Wave {result.wave} ({result.kind}): {len(result.pairs)} ratings for {len(result.scorers)} scorers.")


@round1.command("remind")
@as_option
def round1_remind(as_email: str) -> None:
    """Mail every scorer with unfinished entries a reminder with the deadline (at most once per scorer per day)."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import waves

    edition = active_edition()
    by = acting(as_email)
    reminded = organiser_call(lambda: waves.remind(db(), edition, by=by))
    click.echo(f"{len(reminded)} scorers reminded (anyone reminded today already is not reminded again).")


@round1.command("drop")
@click.argument("scorer")
@as_option
def round1_drop(scorer: str, as_email: str) -> None:
    """A scorer (id or e-mail address) drops out: their link stops working, their unfinished entries go to others."""
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import scorers, waves

    edition = active_edition()
    by = acting(as_email)
    scorer_id = scorers.scorer_id(scorer) if "@" in scorer else scorer
    result = organiser_call(lambda: waves.drop_scorer(db(), edition, scorer_id, by=by))
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
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (the warnings are printed all the same).")
@as_option
def round1_close(yes: bool, as_email: str) -> None:
    """Close round 1, decide who advances, publish the decision and the feedback (after a confirmation that says
    what is still missing)."""
    from gemeentedelers.console import progress
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.scoring import rounds, verdict, waves

    edition = active_edition()
    by = acting(as_email)
    found = progress.round1(edition, waves.read_round(db(), edition.key), rounds.state(db(), edition.key, 1))
    click.echo("Closing round 1: scorers can no longer change anything; the decision is stored and every entrant "
               "gets a mail.")
    if found.outstanding:
        click.echo(f"Missing: {found.outstanding} assigned ratings not submitted, by "
                   f"{', '.join(p.name for p in found.behind)}.")
    if not yes:
        click.confirm("Close round 1?", abort=True)
    decision = organiser_call(lambda: verdict.close(db(), edition, by=by))
    click.echo(f"Decision {decision['decision_id']}: {len(decision['advancing'])} advance.")

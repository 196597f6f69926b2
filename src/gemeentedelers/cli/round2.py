"""``gemeentedelers round2``: everything the round-2 organiser page does, acting ``--as`` a named organiser.

Import assessors, form the teams, confirm a visit, remind teams and assessors, withdraw or replace an assessor,
preview the finalists and confirm them (after a confirmation that says what is missing).
"""

from __future__ import annotations

from pathlib import Path

import click

from gemeentedelers.cli.common import acting, active_edition, as_option, organiser_call


def _assessor(value: str) -> str:
    from gemeentedelers.assessment.assessors import assessor_id

    return assessor_id(value) if "@" in value else value


@click.group()
def round2() -> None:
    """Round 2 for organisers: assessors, teams, visits, reminders, withdrawals, the finalists."""


@round2.command("import-assessors")
@click.argument("csv_file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@as_option
def import_assessors(csv_file: Path, as_email: str) -> None:
    """Import assessors from CSV_FILE (name,email,organisation[,language])."""
    from gemeentedelers.assessment import assessors
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    created, existing = organiser_call(lambda: assessors.import_csv(db(), edition.key, csv_file.read_text(),
                                                                    source=csv_file.name, by=by))
    click.echo(f"{len(created)} assessors imported, {len(existing)} were there already.")


@round2.command("form-teams")
@as_option
def form_teams(as_email: str) -> None:
    """Form conflict-free, balanced teams, one per case, and invite every assessor in one."""
    from gemeentedelers.assessment import assessors
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    plan = organiser_call(lambda: assessors.form(db(), edition, by=by))
    click.echo(f"{len(plan.teams)} teams formed (team size {plan.team_size}).")


@round2.command("revoke-team-link")
@click.argument("case")
@click.option("--print-link", is_flag=True, help="Print the entrant's new personal link, to send to them.")
@as_option
def revoke_team_link(case: str, print_link: bool, as_email: str) -> None:
    """Stop the personal link of CASE's entrant (and every session made with it) and make a new one."""
    from gemeentedelers.assessment import entrant
    from gemeentedelers.assessment.assessors import team_link
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    version = organiser_call(lambda: entrant.revoke_link(db(), edition.key, case, by=by))
    click.echo(f"The personal link of {case} is revoked; the new link is version {version}.")
    if print_link:
        click.echo(team_link(edition.key, case, version))


@round2.command("confirm-visit")
@click.argument("case")
@click.argument("slot")
@as_option
def confirm_visit(case: str, slot: str, as_email: str) -> None:
    """Confirm one of the slots the team of CASE proposed (SLOT as 2024-03-20T10:00, UTC without an offset)."""
    from gemeentedelers.assessment import visits
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    when = organiser_call(lambda: visits.confirm(db(), edition.key, case, slot, by=by))
    click.echo(f"Visit of {case} confirmed for {when.isoformat()}; the invitations go out.")


@round2.command("remind")
@click.option("--teams/--no-teams", default=True, show_default=True, help="Teams whose evidence is not complete.")
@click.option("--assessors/--no-assessors", default=True, show_default=True,
              help="Assessors with reports to sign or no ballot yet.")
@as_option
def remind(teams: bool, assessors: bool, as_email: str) -> None:
    """Remind who is behind, with the deadline; at most one reminder per person per day."""
    from gemeentedelers.assessment import reminders
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    if teams:
        done = organiser_call(lambda: reminders.remind_teams(db(), edition, by=by))
        click.echo(f"{len(done)} teams reminded.")
    if assessors:
        done = organiser_call(lambda: reminders.remind_assessors(db(), edition, by=by))
        click.echo(f"{len(done)} assessors reminded.")


@round2.command("withdraw")
@click.argument("assessor")
@click.option("--replace", is_flag=True, help="Give each of their teams a replacement in the same action.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@as_option
def withdraw(assessor: str, replace: bool, yes: bool, as_email: str) -> None:
    """Withdraw an ASSESSOR (e-mail address or id) who drops out: their link stops, their ballot stops counting."""
    from gemeentedelers.assessment import assessors
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    aid = _assessor(assessor)
    person = assessors.get(db(), edition.key, aid)
    if person is None:
        raise click.ClickException(f"there is no assessor {assessor}")
    mine = assessors.cases_of(assessors.teams(db(), edition.key), aid)
    click.echo(f"Withdrawing {person['name']}: their link stops working and their ballot no longer counts; "
               f"teams of {len(mine)} case(s) {'get a replacement now' if replace else 'then need a replacement'}.")
    if not yes:
        click.confirm("Withdraw?", abort=True)
    done = organiser_call(lambda: assessors.withdraw(db(), edition, aid, replace=replace, by=by))
    click.echo(("Withdrawn" if done.changed else "Was withdrawn already") + f": {done.name}.")
    for sid, joining in sorted(done.replaced.items()):
        click.echo(f"  {sid}: replaced by {joining}")
    if done.open_cases:
        click.echo(f"  still needs a replacement in: {', '.join(done.open_cases)}")


@round2.command("replace")
@click.argument("case")
@click.argument("leaving")
@click.option("--joining", default=None, help="Who joins (e-mail or id); default: the least busy who may.")
@as_option
def replace(case: str, leaving: str, joining: str | None, as_email: str) -> None:
    """Replace LEAVING (e-mail or id) in the team of CASE."""
    from gemeentedelers.assessment import assessors
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    newcomer = organiser_call(lambda: assessors.replace_member(db(), edition, case, _assessor(leaving),
                                                               _assessor(joining) if joining else None, by=by))
    person = assessors.get(db(), edition.key, newcomer) or {}
    click.echo(f"{person.get('name', newcomer)} joined the team of {case}.")


def _selection(edition: object) -> object:
    from gemeentedelers.assessment import finalists
    from gemeentedelers.platform.firestore import db

    return organiser_call(lambda: finalists.select(edition, finalists.inputs(db(), edition),
                                                   finalists.names(db(), edition)))


@round2.command("preview")
def preview() -> None:
    """The assessors' proposal per category: finalists, ties the organisers pick from, the rest."""
    from gemeentedelers.assessment import finalists
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    selection = _selection(edition)
    named = finalists.names(db(), edition)
    for key, category in selection.categories.items():  # type: ignore[attr-defined]
        label = named.get(key, key)
        click.echo(f"{getattr(label, 'nl', label)}:" + (f" pick {category.open_seats} of the tied" if category.tied
                                                        else ""))
        for s in category.standings:
            click.echo(f"  {s.case:<22} {str(named.get(s.case, s.case))[:50]:<50} {s.status}")


@round2.command("confirm-finalists")
@click.option("--pick", "picks", multiple=True, metavar="CATEGORY=CASE",
              help="A tied case the organisers choose (repeat for several).")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (the warnings are printed all the same).")
@as_option
def confirm_finalists(picks: tuple[str, ...], yes: bool, as_email: str) -> None:
    """Confirm the finalists: the decision is stored, ballots and reports freeze, every team gets its feedback."""
    from gemeentedelers.assessment import finalists, rules
    from gemeentedelers.console import progress
    from gemeentedelers.editions.active import read_active
    from gemeentedelers.platform.firestore import db

    edition = active_edition()
    by = acting(as_email)
    chosen: dict[str, list[str]] = {}
    for pick in picks:
        category, _, case = pick.partition("=")
        if not case:
            raise click.BadParameter(f"{pick!r} is not CATEGORY=CASE", param_hint="--pick")
        chosen.setdefault(category, []).append(case)
    selection = _selection(edition)
    named = finalists.names(db(), edition)
    confirmed = organiser_call(lambda: rules.confirm_finalists(selection, chosen, names=named))
    found = progress.round2(db(), edition, read_active(db()).clock.now())
    click.echo("Finalists: " + ", ".join(str(named.get(sid, sid)) for ids in confirmed.values() for sid in ids))
    if found.ballots_missing:
        click.echo(f"Missing: no ballot from {', '.join(found.ballots_missing)}.")
    if found.visits_missing:
        click.echo(f"Missing: no confirmed visit for {', '.join(found.visits_missing)}.")
    if not yes:
        click.confirm("Confirm these finalists? Ballots and reports can no longer change.", abort=True)
    decision = organiser_call(lambda: finalists.confirm(db(), edition, chosen, by=by))
    click.echo(f"Decision {decision['decision_id']}: {len(decision['advancing'])} finalists.")

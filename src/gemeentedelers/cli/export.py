"""``gemeentedelers export``: the organiser workbook or, with ``--public``, the results dossier, as .xlsx.

Problems an organiser can meet (an unknown edition, a path that cannot be written, nothing stored, no local
cloud) end with a one-line message and exit code 1, never a stack trace.
"""

from __future__ import annotations

import os
from pathlib import Path

import click


def check_destination(out: Path) -> Path:
    """The absolute path to write, or a ``ClickException`` saying why it cannot be written."""
    path = out.expanduser().resolve()
    folder = path.parent
    if path.is_dir():
        raise click.ClickException(f"{out} is a folder; give the name of the .xlsx file to write")
    if folder.exists() and not folder.is_dir():
        raise click.ClickException(f"cannot write {out}: {folder} is not a folder")
    if not folder.is_dir():
        raise click.ClickException(f"cannot write {out}: the folder {folder} does not exist")
    if not os.access(folder, os.W_OK | os.X_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise click.ClickException(f"cannot write {out}: permission denied")
    return path


@click.command("export")
@click.option("--edition", "edition_name", default=None, metavar="NAME", help="Edition to export (default: the "
              "active one).")
@click.option("--out", type=click.Path(path_type=Path), required=True, metavar="FILE.xlsx",
              help="The workbook to write (replaced if it exists).")
@click.option("--public", is_flag=True, help="The public results dossier (Woo): no personal data, free text "
              "redacted, round 3 only once announced.")
@click.option("--lang", "language", type=click.Choice(["nl", "en"]), default="nl", show_default=True,
              help="Language of sheet names, headers and texts.")
def export(edition_name: str | None, out: Path, public: bool, language: str) -> None:
    """Export an edition to a spreadsheet: every round and every decision, traceable.

    Without --public the workbook contains personal data (entrants' contact details) and is for organisers only.
    """
    from google.api_core import exceptions as google_errors

    from gemeentedelers.cli import common
    from gemeentedelers.editions import EditionConfigError, UnknownEdition, get_edition
    from gemeentedelers.export import export_edition
    from gemeentedelers.export.read import NoEditionData
    from gemeentedelers.platform.firestore import db

    path = check_destination(out)
    if edition_name is not None:
        try:
            edition = get_edition(edition_name)
        except (UnknownEdition, EditionConfigError) as problem:
            raise click.ClickException(str(problem)) from None
        common.connect()
    else:
        edition = common.active_edition()
    try:
        sheets = export_edition(db(), edition, path, public=public, language=language)
    except NoEditionData as problem:
        raise click.ClickException(str(problem)) from None
    except OSError as problem:
        raise click.ClickException(f"cannot write {out}: {problem.strerror or problem}") from None
    except google_errors.GoogleAPIError as problem:
        raise click.ClickException(f"cannot read Firestore: {problem}") from None
    kind = "public results dossier (no personal data)" if public else "organiser workbook (CONTAINS PERSONAL DATA)"
    click.echo(f"Wrote {path}: {kind} of {edition.key}, {len(sheets)} sheets.")
    for sheet in sheets:
        click.echo(f"  {sheet.title:<24} {sheet.message if sheet.message is not None else f'{len(sheet.rows)} rows'}")

"""An edition exported to a spreadsheet: the organisers' complete workbook, or the public results dossier (Woo).

``gemeentedelers export [--edition NAME] --out FILE.xlsx [--public] [--lang nl|en]`` (``export.command``):

- ``read``: what the rounds stored, read once into plain data;
- ``rows``: the sheets as rows (pure), with pseudonyms for people and, in the public dossier, redacted free text
  (``redact``) and round 3 held back while the winners are under embargo;
- ``workbook``: the .xlsx file (openpyxl), written atomically;
- ``texts``: sheet names, headers and fixed texts in Dutch and English.

Imports are made where they are used, so that loading the CLI (which registers the command) stays cheap.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from google.cloud import firestore

    from gemeentedelers.editions import Edition
    from gemeentedelers.export.rows import Sheet

__all__ = ["export_edition", "write"]


def write(sheets: list[Sheet], path: Path, edition: Edition, *, public: bool, language: str) -> None:
    """The sheets as an .xlsx file at ``path``, its document properties saying what it is."""
    from gemeentedelers.export import workbook
    from gemeentedelers.export.texts import text

    title = f"{edition.info.title.get(language)}: {text('kind_public' if public else 'kind_organiser', language)}"
    subject = text("personal_no" if public else "personal_yes", language)
    keywords = "woo, openbaar" if public else "persoonsgegevens, vertrouwelijk"
    workbook.save(workbook.workbook(sheets, title=title, subject=subject, keywords=keywords), path)


def export_edition(db: firestore.Client, edition: Edition, path: Path, *, public: bool = False, language: str = "nl",
                   exported_at: datetime | None = None) -> list[Sheet]:
    """Read the edition, build its sheets and write them to ``path``; the sheets written. Raises
    ``read.NoEditionData`` when nothing is stored for the edition, ``OSError`` when the file cannot be written."""
    from gemeentedelers.export import read, rows

    stored = read.read(db, edition.key)
    sheets = rows.build(stored, edition, public=public, language=language, exported_at=exported_at)
    write(sheets, path, edition, public=public, language=language)
    return sheets

"""The .xlsx file (openpyxl, read back) and the ``export`` command's refusals, without a store."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from test_export_rows import small_edition

from gemeentedelers.cli import main
from gemeentedelers.editions import get_edition
from gemeentedelers.export import write
from gemeentedelers.export.rows import Column, Sheet, build
from gemeentedelers.export.workbook import MAX_WIDTH, MIN_WIDTH


def test_the_workbook_has_bold_frozen_headers_sensible_widths_and_text_kept_as_text(tmp_path: Path) -> None:
    gd2024 = get_edition("gd2024")
    sheets = build(small_edition(gd2024), gd2024, public=False)
    sheets[3].rows[0][5] = "=HYPERLINK(\"http://evil.example\")"
    sheets[3].rows[1][6] = "tab\x01and bell\x07"
    path = tmp_path / "editie.xlsx"
    write(sheets, path, gd2024, public=False, language="nl")
    book = load_workbook(path)
    assert book.sheetnames == [s.title for s in sheets]
    assert book.properties.keywords == "persoonsgegevens, vertrouwelijk"
    first = book.worksheets[0]
    assert first["A2"].value == "Persoonsgegevens" and first["B2"].value.startswith("JA: dit bestand bevat")
    for sheet, ws in zip(sheets, book.worksheets, strict=True):
        if sheet.message is not None:
            continue
        assert ws.max_row == len(sheet.rows) + 1, sheet.key
        assert ws.freeze_panes == "A2" and all(cell.font.bold for cell in ws[1])
        assert [cell.value for cell in ws[1]] == [c.header for c in sheet.columns]
        for letter, dimension in ws.column_dimensions.items():
            assert MIN_WIDTH <= dimension.width <= MAX_WIDTH, (sheet.key, letter)
    ratings = book["Beoordelingen ronde 1"]
    assert ratings["F2"].value == "=HYPERLINK(\"http://evil.example\")" and ratings["F2"].data_type == "s"
    assert ratings["G3"].value == "taband bell"
    round1 = book["Ronde 1"]
    assert round1["I2"].number_format == "0%" and isinstance(round1["F2"].value, int | float)
    assert len(round1._charts) == 1 and len(book["Trechter"]._charts) == 1  # native charts over the sheets' cells


def test_a_round_not_reached_is_a_sheet_with_one_line(tmp_path: Path) -> None:
    gd2024 = get_edition("gd2024")
    sheets = [Sheet("round2", "Ronde 2", message="Ronde 2 is nog niet bereikt."),
              Sheet("x", "X", [Column("a"), Column("b", wrap=True)], [["1", "lang " * 40]])]
    path = tmp_path / "a.xlsx"
    write(sheets, path, gd2024, public=True, language="nl")
    book = load_workbook(path)
    assert book["Ronde 2"]["A1"].value == "Ronde 2 is nog niet bereikt." and book["Ronde 2"].max_row == 1
    assert book["X"]["B2"].alignment.wrap_text and book["X"].column_dimensions["B"].width == 60


def test_an_earlier_export_survives_a_failed_write(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gd2024 = get_edition("gd2024")
    path = tmp_path / "editie.xlsx"
    path.write_bytes(b"earlier")

    def broken(self: object, filename: str) -> None:
        Path(filename).write_bytes(b"half")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("openpyxl.Workbook.save", broken)
    with pytest.raises(OSError):
        write(build(small_edition(gd2024), gd2024, public=True), path, gd2024, public=True, language="nl")
    assert path.read_bytes() == b"earlier" and [p.name for p in tmp_path.iterdir()] == ["editie.xlsx"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["--edition", "gd1999", "--out", "{tmp}/a.xlsx"], "gd1999"),
    (["--out", "{tmp}/missing/a.xlsx"], "does not exist"),
    (["--out", "{tmp}"], "is a folder"),
    (["--out", "{tmp}/locked/a.xlsx"], "permission denied"),
    (["--out", "{tmp}/file/a.xlsx"], "is not a folder"),
])
def test_the_command_refuses_with_a_message_and_exit_code_1(tmp_path: Path, arguments: list[str],
                                                             message: str) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    (tmp_path / "file").write_text("not a folder")
    try:
        if os.access(locked, os.W_OK) and "locked" in " ".join(arguments):
            pytest.skip("running as a user who may write anywhere")
        result = CliRunner().invoke(main, ["export", *(a.format(tmp=tmp_path) for a in arguments)])
    finally:
        locked.chmod(0o700)
    assert result.exit_code == 1, result.output
    assert message in result.output and "Traceback" not in result.output
    assert result.output.startswith("Error: ")

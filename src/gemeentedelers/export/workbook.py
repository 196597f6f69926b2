"""Writing the sheets to an .xlsx file with openpyxl: bold, frozen header row, sensible widths, text kept as text.

The file is written next to its destination and moved into place, so a failed export leaves no half-written
workbook behind (and an earlier export at that path intact).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gemeentedelers.export.rows import Sheet

MIN_WIDTH, MAX_WIDTH = 8, 60
EXCEL_CELL_LIMIT = 32_767
SAMPLE_ROWS = 500  # rows looked at to size a column


def cell_text(value: Any) -> str:
    return "" if value is None else str(value)


def width_of(header: str, values: Sequence[Any]) -> float:
    """Characters wide: the header's or the longest line's among the first rows, within limits (longer text
    wraps in the columns marked for it, and is cut off on screen in the others)."""
    longest = max([len(header), *(max((len(line) for line in cell_text(v).splitlines()), default=0)
                                   for v in values[:SAMPLE_ROWS])])
    return max(MIN_WIDTH, min(MAX_WIDTH, longest + 2))


def _safe(value: Any) -> Any:
    """A value a cell can hold: control characters Excel refuses removed, overlong text cut."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str):
        cleaned = ILLEGAL_CHARACTERS_RE.sub("", value)
        return cleaned if len(cleaned) <= EXCEL_CELL_LIMIT else cleaned[: EXCEL_CELL_LIMIT - 1] + "…"
    return value


def workbook(sheets: Sequence[Sheet], *, title: str, subject: str, keywords: str) -> Any:
    """An openpyxl ``Workbook`` with one worksheet per sheet, in order."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    book.remove(book.active)
    book.properties.title = title
    book.properties.subject = subject
    book.properties.keywords = keywords
    bold = Font(bold=True)
    wrapped = Alignment(wrap_text=True, vertical="top")
    for sheet in sheets:
        ws = book.create_sheet(sheet.title[:31])
        if sheet.message is not None:
            ws["A1"] = _safe(sheet.message)
            ws["A1"].font = bold
            ws.column_dimensions["A"].width = min(MAX_WIDTH * 2, max(MIN_WIDTH, len(sheet.message) + 2))
            continue
        for col, column in enumerate(sheet.columns, start=1):
            cell = ws.cell(row=1, column=col, value=_safe(column.header))
            cell.font = bold
            cell.data_type = "s"
        for number, row in enumerate(sheet.rows, start=2):
            for col, value in enumerate(row, start=1):
                cell = ws.cell(row=number, column=col, value=_safe(value))
                if isinstance(value, str):
                    cell.data_type = "s"  # a text starting with '=' stays text, never a formula
                column = sheet.columns[col - 1] if col <= len(sheet.columns) else None
                if column is not None and column.number_format and value is not None:
                    cell.number_format = column.number_format
                if column is not None and column.wrap:
                    cell.alignment = wrapped
        for col, column in enumerate(sheet.columns, start=1):
            values = [row[col - 1] for row in sheet.rows if col <= len(row)]
            ws.column_dimensions[get_column_letter(col)].width = width_of(column.header, values)
        ws.freeze_panes = "A2"
        if sheet.rows:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"
            for number, spec in enumerate(sheet.charts):
                ws.add_chart(chart(ws, spec, len(sheet.rows)),
                             f"{get_column_letter(len(sheet.columns) + 2)}{2 + number * 18}")
    return book


def chart(ws: Any, spec: Any, rows: int) -> Any:
    """A native chart (``rows.ChartSpec``) over the sheet's own cells, so it follows the data when it is edited."""
    from openpyxl.chart import BarChart, LineChart, Reference

    made = BarChart() if spec.kind == "bar" else LineChart()
    made.title = spec.title
    made.y_axis.title = spec.y_title
    made.x_axis.title = spec.x_title
    made.height, made.width = 8, 16
    for column in spec.series:
        made.add_data(Reference(ws, min_col=column, min_row=1, max_row=rows + 1), titles_from_data=True)
    made.set_categories(Reference(ws, min_col=spec.category, min_row=2, max_row=rows + 1))
    return made


def save(book: Any, path: Path) -> None:
    """Write ``book`` to ``path`` atomically (a temporary file in the same folder, then a rename)."""
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

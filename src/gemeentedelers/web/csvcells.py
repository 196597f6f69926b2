"""Cells of a CSV file people open in a spreadsheet: text that a spreadsheet would run as a formula is defused.

OWASP's CSV injection advice: a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, LibreOffice and Google Sheets as a formula (``=HYPERLINK(...)``, ``@SUM(...)``, DDE). Such a cell
gets a leading ``'``, which spreadsheets show as text and hide. Every CSV the project serves from texts other
people typed (the databank feed, the console's sheets) writes its cells through :func:`cell`; the ``.xlsx``
workbook needs no prefix, since it stores every text as a string cell, never as a formula (``export/workbook.py``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> Any:
    """``value`` as a CSV cell: a text starting like a formula prefixed with ``'``; numbers and ``None`` as they
    are (a negative number is data, not a formula)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def row(values: Iterable[Any]) -> list[Any]:
    return [cell(v) for v in values]


def mapping(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: cell(v) for k, v in values.items()}

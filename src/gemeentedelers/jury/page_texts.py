"""Texts of the Round 3 pages: the jury's finalists, rankings, special prizes and the chair's confirmation."""

TEXTS: dict[str, dict[str, str]] = {}

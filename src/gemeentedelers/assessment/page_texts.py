"""Texts of the Round 2 pages: evidence, assessor teams and visits, assessment reports, finalists."""

TEXTS: dict[str, dict[str, str]] = {}

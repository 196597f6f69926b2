"""CSV injection (OWASP): a cell a spreadsheet would run as a formula gets a leading quote, in every CSV served."""

from __future__ import annotations

import csv
import io

import pytest

from gemeentedelers.databank import feed
from gemeentedelers.web import csvcells


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\")", "+31 6 1234", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_a_text_that_starts_like_a_formula_is_prefixed(text: str) -> None:
    assert csvcells.cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Gemeente Utrecht", "", "a=b", " =x", "'quoted", None, -3, 2.5, True])
def test_other_values_are_left_as_they_are(value: object) -> None:
    assert csvcells.cell(value) == value


def test_the_databank_csv_defuses_every_text_column() -> None:
    found = feed.entry({"submission_id": "sub-1", "municipality": "Gemeente Utrecht", "title": "=cmd|' /C calc'!A0",
                        "co_applicants": ["@evil"], "description": "-1+1 is een formule, geen beschrijving.",
                        "category": "direct"}, edition="gd2024", year=2024,
                       category_label={"nl": "+Direct", "en": "Direct"}, how_far="round1", prizes=[],
                       url="https://example.org/x")
    rows = list(csv.DictReader(io.StringIO(feed.csv_text(feed.document("gd2024", 2024, [found], {})))))
    assert rows[0]["title"] == "'=cmd|' /C calc'!A0"
    assert rows[0]["co_applicants"] == "'@evil"
    assert rows[0]["description"].startswith("'-1+1")
    assert rows[0]["category_label_nl"] == "'+Direct"
    assert rows[0]["municipality"] == "Gemeente Utrecht"
    assert rows[0]["year"] == "2024"

"""A part in another language than the page carries its own ``lang`` (WCAG 3.1.2): Dutch entries on English
pages, an English entry on a Dutch page, nothing when the languages agree."""

from __future__ import annotations

from pathlib import Path

import pytest

from gemeentedelers.web.pages import environment

PAGES = Path(__file__).resolve().parents[2] / "src" / "gemeentedelers" / "templates" / "pages"


@pytest.mark.parametrize(("entry", "page", "expected"), [
    ({"title": "Bouwdepot"}, "en", '<h1 lang="nl">Bouwdepot</h1>'),
    ({"title": "Bouwdepot", "language": "nl"}, "nl", "<h1>Bouwdepot</h1>"),
    ({"title": "Housing fund", "language": "en"}, "nl", '<h1 lang="en">Housing fund</h1>'),
    ({"title": "Housing fund", "language": "en"}, "en", "<h1>Housing fund</h1>"),
])
def test_lang_of_marks_another_language(entry: dict[str, str], page: str, expected: str) -> None:
    template = environment().from_string("<h1{{ entry | lang_of(language) }}>{{ entry.title }}</h1>")
    assert template.render(entry=entry, language=page) == expected


@pytest.mark.parametrize(("template", "shown"), [
    ("entry.html", "{{ entry.title }}"), ("entry.html", "{{ entry.description }}"),
    ("sheet.html", "{{ row.entry.title }}"), ("r2_assessor.html", "{{ c.entry.title }}"),
    ("r2_case.html", "{{ entry.title }}"), ("r2_case.html", "{{ entry.description }}"),
    ("r3_category.html", "{{ e.title }}"), ("r3_category.html", "{{ e.description }}"),
    ("databank_entry.html", "{{ entry.title }}"),
])
def test_entries_on_the_pages_carry_their_language(template: str, shown: str) -> None:
    """Each place an entry's own words are shown (not the page's title tag, which takes no lang) marks them."""
    lines = [line for line in (PAGES / template).read_text(encoding="utf-8").splitlines()
             if shown in line and "block title" not in line]
    assert lines, (template, shown)
    for line in lines:
        at = line.index(shown)
        opening = line.rfind("<", 0, at)
        assert "lang_of(language)" in line[opening:at + len(shown)], (template, line)

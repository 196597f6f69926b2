"""The feedback composer's own refusals name the field in the reader's language, not by its form name."""

from __future__ import annotations

import pytest

from gemeentedelers.entries import composer


@pytest.mark.parametrize(("values", "field", "nl", "en"), [
    ({"summary": "x " * (composer.MAX_SUMMARY + 1)}, "summary",
     f"Samenvatting: gebruik hoogstens {composer.MAX_SUMMARY:,} tekens.".replace(",", "."),
     f"Summary: use at most {composer.MAX_SUMMARY:,} characters."),
    ({"tops": ["t"] * (composer.MAX_ITEMS + 1)}, "tops", f"Tops: gebruik hoogstens {composer.MAX_ITEMS} regels.",
     f"Tops: use at most {composer.MAX_ITEMS} lines."),
    ({"tips": ["x" * (composer.MAX_ITEM + 1)]}, "tips", f"Tips: gebruik hoogstens {composer.MAX_ITEM} tekens.",
     f"Tips: use at most {composer.MAX_ITEM} characters."),
])
def test_a_refused_draft_names_its_field_in_words(values: dict[str, object], field: str, nl: str, en: str) -> None:
    with pytest.raises(composer.FeedbackRefused) as refused:
        composer.check(values)
    assert refused.value.values["field"] == field  # the page marks the field by its form name
    assert refused.value.text("nl") == nl
    assert refused.value.text("en") == en


def test_a_draft_within_the_limits_is_cleaned_not_refused() -> None:
    assert composer.check({"summary": "  Goed   werk ", "tops": ["a"], "tips": []}) == {
        "summary": "Goed werk", "tops": ["a"], "tips": []}

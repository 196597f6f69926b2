"""The accessibility statement says what the tests do: the axe-core version they lock, the rules they run, and
it names the model statement's parts in both languages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from flask import Request
from werkzeug.test import EnvironBuilder

from gemeentedelers.web import accessibility

ROOT = Path(__file__).resolve().parents[2]


def test_the_axe_version_is_the_one_the_browser_tests_lock() -> None:
    locked = json.loads((ROOT / "tests" / "browser" / "package.json").read_text())["devDependencies"]["axe-core"]
    assert locked == accessibility.AXE_VERSION


@pytest.mark.parametrize(("language", "words"), [
    ("nl", ("Nalevingsstatus", "Status C", "schermlezer", "Een probleem melden", "2 december 2026")),
    ("en", ("Compliance status", "Status C", "screen reader", "Reporting a problem", "2 December 2026")),
])
def test_the_statement_has_the_model_parts(language: str, words: tuple[str, ...], monkeypatch: pytest.MonkeyPatch
                                           ) -> None:
    for name, value in {"GD_MAIL_REPLY_TO": "GemeenteDelers <toegankelijk@example.org>",
                        "GOOGLE_CLOUD_PROJECT": "demo-statement", "FIRESTORE_EMULATOR_HOST": "127.0.0.1:1",
                        "PUBSUB_EMULATOR_HOST": "127.0.0.1:2"}.items():
        monkeypatch.setenv(name, value)
    from gemeentedelers.platform import settings

    settings.reset_cache()
    try:
        page = accessibility.page(Request(EnvironBuilder(path="/toegankelijkheid", query_string={"lang": language})
                                          .get_environ()))
    finally:
        settings.reset_cache()
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and f'<html lang="{language}"' in html
    for word in words:
        assert word in html, word
    assert html.count('href="mailto:toegankelijk@example.org"') == 2  # in the text and in the footer
    assert 'data-footer="privacy"' in html and 'data-footer="accessibility"' in html

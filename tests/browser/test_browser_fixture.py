"""The fixture's own promises, checked in a separate pytest run on a copy of this folder's conftest.py:
a failing browser test leaves a screenshot and the page source, and a machine without Chromium gets told to run
`make browser` instead of a skip."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

CONFTEST = Path(__file__).with_name("conftest.py")

INI = """[pytest]
markers =
    browser: needs headless Chromium
addopts = -p no:cacheprovider
"""

FAILING = """
def test_fails_on_a_page(browser):
    browser.get("data:text/html,<h1 id='kop'>Zichtbaar bij falen</h1>")
    assert False, "on purpose"


def test_marked(request):
    assert request.node.get_closest_marker("browser") is not None
"""


def _run(folder: Path, conftest: str) -> subprocess.CompletedProcess[str]:
    (folder / "conftest.py").write_text(conftest, encoding="utf-8")
    (folder / "pytest.ini").write_text(INI, encoding="utf-8")
    (folder / "test_inner.py").write_text(FAILING, encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rA", str(folder)],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_failing_browser_test_leaves_screenshot_and_page_source(tmp_path: Path) -> None:
    result = _run(tmp_path, CONFTEST.read_text(encoding="utf-8"))
    assert "1 failed, 1 passed" in result.stdout, result.stdout + result.stderr
    artifacts = tmp_path / ".artifacts"
    png, html = (artifacts / f"test_inner.py_test_fails_on_a_page.{ext}" for ext in ("png", "html"))
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Zichtbaar bij falen" in html.read_text(encoding="utf-8")
    assert "browser artifacts" in result.stdout
    assert "started in" in result.stdout  # the start time is reported at the end of the run


def test_missing_chromium_fails_and_says_make_browser(tmp_path: Path) -> None:
    conftest = CONFTEST.read_text(encoding="utf-8").replace(
        "CHROMEDRIVER = devtools_browser.CHROMEDRIVER", 'CHROMEDRIVER = "/nonexistent/chromedriver"'
    )
    assert "/nonexistent/chromedriver" in conftest
    result = _run(tmp_path, conftest)
    assert "1 passed, 1 error" in result.stdout, result.stdout + result.stderr
    assert "run `make browser`" in result.stdout
    assert "/nonexistent/chromedriver" in result.stdout
    assert "skipped" not in result.stdout


def test_axe_finds_what_wcag_forbids_and_passes_a_sound_page(browser, axe) -> None:  # type: ignore[no-untyped-def]
    import pytest

    browser.check_pages = False  # this test looks at a bad page on purpose
    browser.get("data:text/html,<html><body><img src='x.png'><input type='text'></body></html>")
    with pytest.raises(AssertionError, match="accessibility violation") as found:
        axe(browser)
    for rule in ("image-alt", "label", "html-has-lang", "document-title"):
        assert f"- {rule} " in str(found.value)
    browser.get("data:text/html,<!doctype html><html lang='nl'><head><title>Goed</title></head><body><main>"
                "<h1>Goed</h1><label for='n'>Naam</label><input id='n' type='text'></main></body></html>")
    axe(browser)

"""The browser fixture really renders and drives a page: a small form served from a local http.server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By

PAGE = """<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Rookproef</title>
</head>
<body>
  <h1>Rookproef</h1>
  <form id="greet" onsubmit="return false">
    <label for="municipality">Gemeente</label>
    <input id="municipality" name="municipality" type="text" autocomplete="off">
    <button id="go" type="button"
      onclick="document.getElementById('greeting').textContent =
               'Hallo, ' + document.getElementById('municipality').value + '!'">Begroet</button>
  </form>
  <p id="greeting">Nog niemand begroet</p>
</body>
</html>
"""


class _PageHandler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path not in ("/", "/index.html"):
            self.send_error(HTTPStatus.NOT_FOUND)
            return
        body = PAGE.encode("utf-8")
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # keep the test output quiet
        pass


@pytest.fixture(scope="module")
def page_url() -> Iterator[str]:
    """The smoke page, served by an http.server thread on 127.0.0.1 at an ephemeral port."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _PageHandler)
    thread = threading.Thread(target=server.serve_forever, name="smoke-page-server", daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_types_clicks_and_the_dom_changes(browser, wait_for, page_url: str, tmp_path: Path) -> None:
    browser.get(page_url)
    assert browser.title == "Rookproef"
    field = wait_for(browser, "#municipality")
    label = browser.find_element(By.CSS_SELECTOR, "label[for='municipality']")
    assert label.text == "Gemeente"
    greeting = browser.find_element(By.ID, "greeting")
    assert greeting.text == "Nog niemand begroet"

    label.click()  # a label tied to its input gives the input focus, as a scorer tapping the label expects
    assert browser.switch_to.active_element == field
    field.send_keys("Utrecht")
    assert field.get_attribute("value") == "Utrecht"
    browser.find_element(By.ID, "go").click()

    assert greeting.text == "Hallo, Utrecht!"
    assert browser.execute_script("return document.getElementById('greeting').textContent") == "Hallo, Utrecht!"

    shot = tmp_path / "smoke.png"
    assert browser.save_screenshot(str(shot))
    data = shot.read_bytes()
    assert len(data) > 1000
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (412, 915)  # the phone viewport


def test_runs_headless_chromium(browser) -> None:
    assert "HeadlessChrome" in browser.execute_script("return navigator.userAgent")
    assert browser.capabilities["browserName"] in ("chrome", "chromium")


def test_is_a_phone_by_default(browser, page_url: str) -> None:
    browser.get(page_url)
    width, height, coarse = browser.execute_script(
        "return [window.innerWidth, window.innerHeight, matchMedia('(pointer: coarse)').matches]"
    )
    assert (width, height, coarse) == (412, 915, True)


def test_desktop_fixture_gives_a_desktop_viewport(desktop, page_url: str) -> None:
    desktop.get(page_url)
    width, height, coarse = desktop.execute_script(
        "return [window.innerWidth, window.innerHeight, matchMedia('(pointer: coarse)').matches]"
    )
    assert (width, height, coarse) == (1366, 900, False)
    # State the reset after this test must clear.
    desktop.add_cookie({"name": "sessie", "value": "jury"})
    desktop.execute_script("localStorage.setItem('concept', 'half ingevuld')")


def test_next_test_is_a_phone_again_with_no_leftover_state(browser, page_url: str) -> None:
    # Runs after the desktop test above and after tests that typed into the page: all of it was reset.
    assert browser.current_url == "about:blank"
    browser.get(page_url)
    assert browser.execute_script("return window.innerWidth") == 412
    assert browser.find_element(By.ID, "greeting").text == "Nog niemand begroet"
    assert browser.get_cookies() == []
    assert browser.execute_script("return localStorage.getItem('concept')") is None


def test_wait_for_names_the_missing_selector(browser, wait_for, page_url: str) -> None:
    browser.get(page_url)
    assert wait_for(browser, "#greeting", timeout=2).text == "Nog niemand begroet"
    with pytest.raises(TimeoutException, match="#not-there"):
        wait_for(browser, "#not-there", timeout=0.5)

"""Browser fixtures: the project's HTML pages (scorers, assessors, jury, organisers) in headless Chromium.

Chromium and its WebDriver come from Debian's `chromium` and `chromium-driver` packages, installed by
`make browser` (`scripts/install-browser.sh`, which `make test` runs first). Without them the browser tests
fail with that instruction instead of being skipped: CI installs them, so a skip would hide a broken set-up.

Use in a test::

    def test_scorer_sees_form(browser, wait_for, page_url):  # page_url: your own local server fixture
        browser.get(page_url)                                # phone-sized (412x915) unless `desktop` is used
        wait_for(browser, "form#score input[name=points]").send_keys("4")

Every page a test reaches is checked with axe-core (WCAG 2.0 and 2.1, levels A and AA) and the test fails on
any violation: after each ``browser.get(...)`` and each ``navigate(...)``. A state a page reaches without loading
(focus moved, an element shown) is checked with ``check_accessibility(browser)`` (also the ``axe`` fixture).
axe-core comes from npm (``tests/browser/package.json``, installed by ``make axe``, which ``make test`` runs).

`wait_for` is also a fixture of the same name. Every test in this
folder is marked `browser` automatically (`make unit` leaves them out with ``-m "not browser"``). When a test that
uses the browser fails, a screenshot and the page source are saved in ``tests/browser/.artifacts/``.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from gemeentedelers.devtools import browser as devtools_browser

HERE = Path(__file__).resolve().parent
ARTIFACTS = HERE / ".artifacts"
# Chromium's path, its flags, axe-core and the rules it runs are shared with the tools that look at pages
# (``dev check-links``, ``dev screenshots``): one definition, in devtools/browser.py.
AXE_JS = devtools_browser.AXE_JS
WCAG_TAGS = devtools_browser.WCAG_TAGS
CHROMIUM = devtools_browser.CHROMIUM
CHROMEDRIVER = devtools_browser.CHROMEDRIVER
CHROMIUM_FLAGS = devtools_browser.CHROMIUM_FLAGS

# Scorers score on their phones, so tests run as a phone unless they ask for a desktop.
PHONE = (412, 915)
DESKTOP = (1366, 900)

_START_SECONDS = pytest.StashKey[float]()
_VERSION = pytest.StashKey[str]()


# --- hooks -------------------------------------------------------------------------------------------------


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test under tests/browser as `browser` (this hook sees the whole session's items)."""
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item (`item.rep_setup`, `rep_call`, `rep_teardown`) for the fixtures.

    A failed test that used the browser also names, in its report, where `_browser_per_test` saves the
    screenshot and page source.
    """
    report = yield
    setattr(item, f"rep_{report.when}", report)
    if report.when == "call" and report.failed and "browser" in getattr(item, "funcargs", {}):
        paths = [os.path.relpath(path) for path in _artifact_paths(item.nodeid)]
        report.sections.append(("browser artifacts", "\n".join(paths)))
    return report


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    if _START_SECONDS in config.stash:
        terminalreporter.write_line(
            f"browser: Chromium {config.stash[_VERSION]} (headless) started in {config.stash[_START_SECONDS]:.2f}s"
        )


# --- helpers -----------------------------------------------------------------------------------------------


def wait_for(driver: webdriver.Remote, css: str, timeout: float = 30, *, visible: bool = True) -> WebElement:
    """Wait until the element matching CSS selector `css` is there and return it.

    By default the element must be visible (displayed, non-zero size), as a user would need it; pass
    ``visible=False`` to only wait for it to be in the DOM. Raises a TimeoutException naming the selector and
    the current URL when it does not appear within `timeout` seconds.
    """
    condition = ec.visibility_of_element_located if visible else ec.presence_of_element_located
    try:
        return WebDriverWait(driver, timeout).until(condition((By.CSS_SELECTOR, css)))
    except TimeoutException as exc:
        state = "visible" if visible else "present"
        raise TimeoutException(f"no {state} element {css!r} after {timeout}s on {driver.current_url}") from exc


_RUN_AXE = devtools_browser.RUN_AXE


class AccessibilityViolation(AssertionError):
    """axe-core found WCAG 2.0/2.1 A or AA violations on a page."""


def _axe_source() -> str:
    if not AXE_JS.is_file():
        pytest.fail(f"axe-core is not installed ({AXE_JS} is missing): run `make axe`", pytrace=False)
    return AXE_JS.read_text(encoding="utf-8")


def axe_violations(driver: webdriver.Remote) -> list[dict[str, object]]:
    """axe-core's violations of the WCAG 2.0/2.1 A and AA rules on the current page, as it is now."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(_axe_source())
    return list(driver.execute_async_script(_RUN_AXE, list(WCAG_TAGS)))


def check_accessibility(driver: webdriver.Remote) -> None:
    """Fail the test if the current page has any WCAG 2.0/2.1 A or AA violation axe-core can find."""
    if driver.current_url.startswith("about:"):
        return
    violations = axe_violations(driver)
    if violations:
        lines = [f"{len(violations)} accessibility violation(s) on {driver.current_url}:"]
        for v in violations:
            lines.append(f"- {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {node}" for node in v["nodes"])  # type: ignore[attr-defined]
        raise AccessibilityViolation("\n".join(lines))


class CheckedChrome(webdriver.Chrome):
    """Chromium that checks every page it loads with axe-core (``check_pages`` off for a test of the checker)."""

    check_pages = True

    def get(self, url: str) -> None:
        super().get(url)
        if self.check_pages:
            check_accessibility(self)


def navigate(driver: webdriver.Remote, element: WebElement, timeout: float = 30) -> None:
    """Click ``element`` (a link or a submit button) and wait until the next page has replaced this one."""
    arrive(driver, element.click, timeout)


def arrive(driver: webdriver.Remote, leave: Callable[[], object], timeout: float = 30) -> None:
    """Do ``leave`` (a click, a key press) and wait until the next page has replaced this one; then check it
    with axe-core.

    Reading the next page straight after a click races with the navigation: an element found may belong to the
    old page, or to a document being torn down ("Node with given id does not belong to the document"), and
    Selenium's ``staleness_of`` meets the same error while it polls. So the old page gets a mark on its
    ``window`` (a new document has a new one), and the wait asks, through script, for a page without the mark
    that has finished loading; an error while the browser is between documents means "not yet".
    """
    driver.execute_script("window.__gdLeaving = true")
    leave()

    def arrived(d: webdriver.Remote) -> bool:
        try:
            return bool(d.execute_script("return window.__gdLeaving !== true && document.readyState === 'complete'"))
        except WebDriverException:
            return False

    try:
        WebDriverWait(driver, timeout).until(arrived)
    except TimeoutException as exc:
        raise TimeoutException(f"the page did not change, still on {driver.current_url}") from exc
    if getattr(driver, "check_pages", True):
        check_accessibility(driver)


set_viewport = devtools_browser.set_viewport


def use_phone(driver: webdriver.Remote) -> None:
    """Phone viewport (412x915, mobile, touch): the default of every test."""
    set_viewport(driver, PHONE, mobile=True)


def use_desktop(driver: webdriver.Remote) -> None:
    """Desktop viewport (1366x900, no touch), e.g. for the organisers' and jury's pages. Undone after the test."""
    set_viewport(driver, DESKTOP, mobile=False)


def _missing_binaries() -> list[str]:
    return [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]


def _reset(driver: webdriver.Remote) -> None:
    """Leave the shared browser as a new test expects it: phone size, no cookies or storage, a blank page."""
    with contextlib.suppress(WebDriverException):
        origin = driver.execute_script("return window.location.origin")
        if origin and origin != "null":
            driver.execute_cdp_cmd("Storage.clearDataForOrigin", {"origin": origin, "storageTypes": "all"})
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})
    driver.get("about:blank")
    use_phone(driver)


def _artifact_paths(nodeid: str) -> tuple[Path, Path]:
    """Where a failed test's screenshot and page source go: tests/browser/.artifacts/<test id>.png/.html."""
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:180]
    return ARTIFACTS / f"{stem}.png", ARTIFACTS / f"{stem}.html"


def _save_artifacts(driver: webdriver.Remote, nodeid: str) -> None:
    png, html = _artifact_paths(nodeid)
    ARTIFACTS.mkdir(exist_ok=True)
    with contextlib.suppress(WebDriverException):
        driver.save_screenshot(str(png))
    with contextlib.suppress(WebDriverException):
        html.write_text(driver.page_source, encoding="utf-8")


# --- fixtures ----------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser(pytestconfig: pytest.Config) -> Iterator[CheckedChrome]:
    """One headless Chromium for the whole session, driven by Selenium (a `selenium.webdriver.Chrome`).

    - Debian's /usr/bin/chromium through /usr/bin/chromedriver, with a new empty profile in a temporary folder
      and the flags that keep it off the network (`CHROMIUM_FLAGS`). Starting takes about a second.
    - Every test starts on ``about:blank`` as a phone: a 412x915 viewport with mobile layout and touch
      (`use_phone`). Request the `desktop` fixture, or call `use_desktop(browser)`, for a desktop viewport.
    - After every test the browser is reset: cookies and the current origin's storage cleared, back to phone
      size. State does not leak between tests, but windows or tabs a test opens itself it must close itself.
    - Pages must be served locally (e.g. an `http.server` thread on 127.0.0.1); only the registries are
      reachable from CI.
    - Fails (not skips) with "run `make browser`" when Chromium or chromedriver is not installed.
    """
    missing = _missing_binaries()
    if missing:
        pytest.fail(
            f"headless Chromium is not installed (missing {', '.join(missing)}): run `make browser` "
            "(scripts/install-browser.sh installs Debian's chromium and chromium-driver packages)",
            pytrace=False,
        )
    profile = tempfile.mkdtemp(prefix="gd-chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={PHONE[0]},{PHONE[1]}")
    started = time.monotonic()
    try:
        driver = CheckedChrome(service=Service(CHROMEDRIVER), options=options)
    except WebDriverException as exc:
        shutil.rmtree(profile, ignore_errors=True)
        pytest.fail(f"headless Chromium did not start ({CHROMIUM} via {CHROMEDRIVER}): {exc}", pytrace=False)
    pytestconfig.stash[_START_SECONDS] = time.monotonic() - started
    pytestconfig.stash[_VERSION] = driver.capabilities.get("browserVersion", "?")
    try:
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(60)  # axe on a long page under load
        use_phone(driver)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(autouse=True)
def _browser_per_test(request: pytest.FixtureRequest) -> Iterator[None]:
    """For tests that use the browser: on failure save a screenshot and the page source, then reset it."""
    yield
    driver = request.node.funcargs.get("browser")
    if driver is None:
        return
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _save_artifacts(driver, request.node.nodeid)
    driver.check_pages = True
    _reset(driver)


@pytest.fixture
def desktop(browser: webdriver.Chrome) -> webdriver.Chrome:
    """The browser with a desktop viewport (1366x900) for this test; phone size is restored afterwards."""
    use_desktop(browser)
    return browser


@pytest.fixture(name="wait_for")
def _wait_for_fixture() -> Callable[..., WebElement]:
    """`wait_for(driver, css, timeout=30)` as a fixture, for tests that prefer not to import from conftest."""
    return wait_for


@pytest.fixture(name="navigate")
def _navigate_fixture() -> Callable[..., None]:
    """`navigate(driver, element)` as a fixture: click, then wait until the next page has replaced this one."""
    return navigate


@pytest.fixture(name="arrive")
def _arrive_fixture() -> Callable[..., None]:
    """`arrive(driver, leave)`: do ``leave`` (a key press) and wait for the next page, then check it with axe."""
    return arrive


@pytest.fixture(name="axe")
def _axe_fixture() -> Callable[[webdriver.Remote], None]:
    """`axe(driver)`: check the page as it is now (a state reached without loading a page)."""
    return check_accessibility

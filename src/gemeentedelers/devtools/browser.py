"""Headless Chromium with axe-core, for the tools that look at pages as people do (``dev check-links``,
``dev screenshots``) and for the browser tests (``tests/browser/conftest.py`` takes its flags and axe from here).

Chromium and chromedriver are Debian's (``make browser``), axe-core is npm's (``make axe``, locked in
``tests/browser/package.json``). Never deployed.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
AXE_JS = PROJECT_ROOT / "tests" / "browser" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
"""The rules axe runs: every WCAG 2.0 and 2.1 success criterion of level A and AA it can test."""

# Without these Chromium reaches for the network (updates, sync, field trials) at every start, and as root
# it refuses to run sandboxed. --disable-dev-shm-usage: containers often have a tiny /dev/shm.
CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
    "--disable-dev-shm-usage",
)
PHONE = (390, 844)
"""A common phone's viewport (the screenshots'); the browser tests use their own (412x915)."""
DESKTOP = (1366, 900)

RUN_AXE = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]}).then(
  (result) => done(result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 5).map((n) => n.target.join(" ") + " | " + (n.failureSummary || "").replace(/\\s+/g, " "))
  }))),
  (problem) => done([{id: "axe-error", impact: "error", help: String(problem), nodes: []}]));
"""


class BrowserMissing(RuntimeError):
    """Chromium, chromedriver or axe-core is not installed: the message says which make target installs it."""


def missing() -> str | None:
    """What is not installed, as a sentence with its remedy, or None."""
    absent = [path for path in (CHROMIUM, CHROMEDRIVER) if not shutil.which(path)]
    if absent:
        return f"headless Chromium is not installed (missing {', '.join(absent)}): run `make browser`"
    if not AXE_JS.is_file():
        return f"axe-core is not installed ({AXE_JS} is missing): run `make axe`"
    return None


def set_viewport(driver: Any, size: tuple[int, int], *, mobile: bool) -> None:
    """Give the current tab an exact viewport of ``size`` CSS pixels (a headless window's viewport is smaller
    than its window, so Chrome's device emulation sets it); ``mobile`` honours ``<meta name="viewport">`` and
    turns touch on."""
    width, height = size
    driver.set_window_size(width, height)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
    driver.execute_cdp_cmd("Emulation.setTouchEmulationEnabled", {"enabled": mobile, "maxTouchPoints": 5})


def axe_violations(driver: Any) -> list[dict[str, Any]]:
    """axe-core's violations of the WCAG 2.0/2.1 A and AA rules on the current page, as it is now."""
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_JS.read_text(encoding="utf-8"))
    return list(driver.execute_async_script(RUN_AXE, list(WCAG_TAGS)))


def forget_everyone(driver: Any) -> None:
    """Clear every cookie of every host: the next page opens as nobody (the hosts share 127.0.0.1's cookies)."""
    driver.execute_cdp_cmd("Network.clearBrowserCookies", {})


@contextmanager
def chromium(size: tuple[int, int] = PHONE, *, mobile: bool = True) -> Iterator[Any]:
    """A headless Chromium with an empty profile, removed afterwards."""
    problem = missing()
    if problem:
        raise BrowserMissing(problem)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="gd-chromium-profile-")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (*CHROMIUM_FLAGS, f"--user-data-dir={profile}", f"--window-size={size[0]},{size[1]}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        driver.set_page_load_timeout(30)
        driver.set_script_timeout(60)
        set_viewport(driver, size, mobile=mobile)
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(Path(profile), ignore_errors=True)

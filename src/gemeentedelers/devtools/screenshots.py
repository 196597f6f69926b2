"""Screenshots of each role's main page at phone size and of the organisers' console at desktop size, for the
docs (``docs/screenshots/``) and for a look at what people see. ``gemeentedelers dev screenshots`` takes them
on a running local cloud that has played an edition (``gemeentedelers demo --keep``): each person's page is
opened through the personal link in the first mail of its kind, as that person; the organiser signs in with a
fresh single-use link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gemeentedelers.devtools import browser as chromium_tools
from gemeentedelers.devtools.linkcheck import links_in
from gemeentedelers.devtools.localcloud.smtp import StoredMail

MAX_HEIGHT = 2000
"""The tallest screenshot, in CSS pixels: a page's top is what people see first; it keeps the files small."""


@dataclass(frozen=True)
class Shot:
    name: str
    link: str
    """What the personal link's address contains (its login route)."""
    then: str = ""
    """A CSS selector of a link on the page reached to follow before the picture (the assessor's case)."""
    desktop: bool = False


SHOTS = (
    Shot("entrant-team", "/team/login?token="),
    Shot("scorer", "/score/login?token="),
    Shot("assessor", "/assess/login?token="),
    Shot("assessor-case", "/assess/login?token=", then="a[href*='/assess/case/']"),
    Shot("assessor-ballot", "/assess/login?token=", then="a[href$='/assess/finalists']"),
    Shot("juror", "/jury/login?token="),
)


def first_link(mails: list[StoredMail], hosts: list[str], contains: str) -> str | None:
    for mail in mails:
        for link in links_in(mail, hosts):
            if contains in link:
                return link
    return None


def capture(driver: Any, path: Path, size: tuple[int, int], *, mobile: bool) -> int:
    """Write a PNG of the page as it is, the viewport ``size`` wide and as tall as the page (at most
    :data:`MAX_HEIGHT`); returns the file's size in bytes."""
    height = int(driver.execute_script("return document.documentElement.scrollHeight"))
    chromium_tools.set_viewport(driver, (size[0], max(size[1], min(height, MAX_HEIGHT))), mobile=mobile)
    try:
        path.write_bytes(driver.get_screenshot_as_png())
    finally:
        chromium_tools.set_viewport(driver, size, mobile=mobile)
    return path.stat().st_size


def take(mails: list[StoredMail], hosts: list[str], organiser_link: str, out: Path,
         echo: Callable[[str], None] = print) -> list[Path]:
    """Every shot of :data:`SHOTS` whose link is in ``mails``, and the console through ``organiser_link``."""
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with chromium_tools.chromium(chromium_tools.PHONE) as driver:
        for shot in SHOTS:
            link = first_link(mails, hosts, shot.link)
            if link is None:
                echo(f"  {shot.name}: no mail has a link to {shot.link.split('?')[0]}; skipped")
                continue
            chromium_tools.forget_everyone(driver)
            driver.get(link)
            if shot.then:
                targets = driver.find_elements("css selector", shot.then)
                if not targets:
                    echo(f"  {shot.name}: the page has no {shot.then}; skipped")
                    continue
                driver.get(targets[0].get_attribute("href"))
            written.append(_save(driver, out / f"{shot.name}-phone.png", chromium_tools.PHONE, True, echo))
        chromium_tools.forget_everyone(driver)
        chromium_tools.set_viewport(driver, chromium_tools.DESKTOP, mobile=False)
        driver.get(organiser_link)
        _press_sign_in(driver)
        written.append(_save(driver, out / "organiser-console-desktop.png", chromium_tools.DESKTOP, False, echo))
        chromium_tools.set_viewport(driver, chromium_tools.PHONE, mobile=True)
        driver.get(organiser_link.split("/organiser/")[0] + "/organiser/round1")
        written.append(_save(driver, out / "organiser-round1-phone.png", chromium_tools.PHONE, True, echo))
    return written


def _press_sign_in(driver: Any) -> None:
    """The sign-in link shows a button (a link opened by a mail scanner must not sign anyone in): press it and wait
    for the console to replace the page."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.execute_script("window.__gdLeaving = true")
    driver.find_element("css selector", "main form button[type=submit]").click()
    WebDriverWait(driver, 30).until(lambda d: d.execute_script(
        "return window.__gdLeaving !== true && document.readyState === 'complete'"))


def _save(driver: Any, path: Path, size: tuple[int, int], mobile: bool, echo: Callable[[str], None]) -> Path:
    written = capture(driver, path, size, mobile=mobile)
    echo(f"  {path.name}: {driver.title} ({driver.current_url.split('?')[0]}), {written // 1024} KB")
    return path

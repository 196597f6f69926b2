"""Every host people reach has the footer (contact, privacy statement, accessibility statement), and both
statements open from it, in Dutch and in English, without an axe-core violation (checked on every arrival)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement

from gemeentedelers.devtools.localcloud.cloud import LocalCloud

HOSTS = ("intake-http", "scoring-http", "assessment-http", "jury-http", "notify-http")
START = {"scoring-http": "/scorers/signup", "jury-http": "/privacy", "intake-http": "/privacy",
         "assessment-http": "/privacy", "notify-http": "/privacy"}
"""A page on each host a visitor can open without a personal link (scoring: the sign-up form)."""


def footer_link(browser: WebDriver, which: str) -> WebElement:
    return browser.find_element(By.CSS_SELECTOR, f"footer#page-footer a[data-footer='{which}']")


@pytest.mark.parametrize("host", HOSTS)
def test_the_footer_leads_to_both_statements(browser: WebDriver, fresh: LocalCloud, navigate: Callable[..., None],
                                             host: str) -> None:
    base = fresh.url(host)
    browser.get(base + START[host] + "?lang=nl")
    contact = footer_link(browser, "contact")
    assert contact.get_attribute("href") == "mailto:gemeentedelers@vng.nl"

    navigate(browser, footer_link(browser, "accessibility"))
    assert browser.current_url.startswith(base + "/toegankelijkheid")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Toegankelijkheidsverklaring"
    assert browser.find_element(By.CSS_SELECTOR, "[data-a11y-status]").get_attribute("data-a11y-status") == "C"
    assert "schermlezer" in browser.find_element(By.ID, "known-gaps").text
    assert browser.find_element(By.CSS_SELECTOR, "#report-problem a").get_attribute("href") == \
        "mailto:gemeentedelers@vng.nl"

    navigate(browser, footer_link(browser, "privacy"))
    assert browser.current_url.startswith(base + "/privacy")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"

    navigate(browser, browser.find_element(By.CSS_SELECTOR, "header#page-header a[lang='en']"))
    navigate(browser, footer_link(browser, "accessibility"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Accessibility statement"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"


def test_the_console_has_the_footer(browser: WebDriver, fresh: LocalCloud, navigate: Callable[..., None]) -> None:
    browser.get(fresh.url("scoring-http") + "/organiser/login?lang=nl")
    navigate(browser, footer_link(browser, "accessibility"))
    assert browser.find_element(By.TAG_NAME, "h1").text == "Toegankelijkheidsverklaring"


def test_the_stylesheets_load(browser: WebDriver, fresh: LocalCloud) -> None:
    """The theme is applied: the header has the VNG blue the theme sets, not the browser's default."""
    browser.get(fresh.url("jury-http") + "/toegankelijkheid")
    colour = browser.execute_script(
        "return getComputedStyle(document.getElementById('page-header')).backgroundColor")
    assert colour == "rgb(8, 63, 114)"  # --gd-blauw-600
    sheets = browser.execute_script("return [...document.styleSheets].map(s => s.cssRules.length)")
    assert len(sheets) == 4 and min(sheets) > 0

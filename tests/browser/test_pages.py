"""Pages any visitor can reach: a wrong address gets a real page (title, language, axe-clean), not raw JSON, while
programs still get JSON; a language chosen with ``?lang=en`` stays chosen on the pages after it."""

from __future__ import annotations

import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver

from gemeentedelers.devtools.localcloud.cloud import LocalCloud


def test_a_wrong_address_gets_a_page_and_the_language_sticks(browser: WebDriver, fresh: LocalCloud) -> None:
    base = fresh.url("scoring-http")
    browser.get(base + "/score/bestaat-niet")  # checked by axe on arrival
    assert browser.title.startswith("Pagina niet gevonden")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"
    assert browser.find_element(By.TAG_NAME, "h1").text == "Pagina niet gevonden"

    browser.get(base + "/score/bestaat-niet?lang=en")
    assert browser.title.startswith("Page not found")
    browser.get(base + "/privacy")  # no ?lang=: the choice was remembered
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    browser.get(base + "/privacy?lang=nl")
    browser.get(base + "/score/bestaat-niet")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "nl"

    program = requests.get(base + "/score/bestaat-niet", headers={"Accept": "application/json"}, timeout=30)
    assert program.status_code == 404 and program.json()["error"] == "not_found"
    anything = requests.get(base + "/bestaat-niet", timeout=30)  # requests says Accept: */*
    assert anything.status_code == 404 and anything.headers["Content-Type"].startswith("application/json")

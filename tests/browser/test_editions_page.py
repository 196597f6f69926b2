"""An organiser sets up next year's edition on the page: copies gd2024, changes a date and a category, is told
about a bad field without anything stored, sees the diff, publishes and activates."""

from __future__ import annotations

from collections.abc import Callable

import cloudtest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.editions import versions
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db


def fill(browser: object, field_id: str, value: str) -> None:
    element = browser.find_element(By.ID, field_id)
    browser.execute_script("arguments[0].value = arguments[1]", element, value)  # date inputs take no typing


def test_an_organiser_copies_gd2024_changes_a_date_and_a_category_sees_the_diff_and_publishes(
    browser: object, request: object, fresh: LocalCloud
) -> None:
    wait_for: Callable[..., WebElement] = request.getfixturevalue("wait_for")
    navigate: Callable[..., None] = request.getfixturevalue("navigate")
    request.getfixturevalue("desktop")
    base = fresh.url("scoring-http")
    from gemeentedelers.people import organisers

    browser.get(organisers.sign_in_link(cloudtest.add_organiser("kim@vng.test", "Kim Coördinator", "coordinator")))
    navigate(browser, wait_for(browser, "button#sign-in"))  # the single-use link, redeemed by the button
    wait_for(browser, "nav.console")
    browser.get(base + "/organiser/editions")
    assert wait_for(browser, "h1").text == "Edities"
    assert "Actief: gd2024 versie 1" in browser.find_element(By.ID, "active").text
    Select(browser.find_element(By.ID, "from")).select_by_value("gd2024")
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "#copy button"))
    assert wait_for(browser, "h1").text == "Editie bewerken (kopie van gd2024 versie 1)"
    assert browser.find_element(By.ID, "categories-0-label-nl").get_attribute("value") == "Direct"

    fill(browser, "key", "gd2025")
    fill(browser, "title-nl", "GemeenteDelers 2025")
    fill(browser, "year", "2025")
    fill(browser, "timeline-winners_announced", "2025-06-20T10:00")
    fill(browser, "timeline-award_ceremony", "2025-06-25T14:00")
    fill(browser, "categories-0-label-nl", "")  # a mistake first: the Dutch name is required
    fill(browser, "categories-2-key", "regionaal")
    fill(browser, "categories-2-label-nl", "Regionaal")
    fill(browser, "categories-2-description-nl", "Samen met andere gemeenten in de regio.")
    navigate(browser, browser.find_element(By.ID, "preview"))
    assert "Controleer de gemarkeerde velden; er is niets opgeslagen." in wait_for(browser, "#errors").text
    assert browser.find_element(By.ID, "categories-0-label-nl-error").text == "Vul dit veld in."
    assert browser.find_element(By.ID, "categories-0-label-nl").get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, "categories-2-key").get_attribute("value") == "regionaal"  # kept
    assert not layout.edition(db(), "gd2025").get().exists

    fill(browser, "categories-0-label-nl", "Direct merkbaar")
    navigate(browser, browser.find_element(By.ID, "preview"))
    diff = wait_for(browser, "#diff").text
    assert "~ winners_announced: 21 juni 2024 10:00 -> 20 juni 2025 10:00" in diff
    assert "~ direct.label: Direct -> Direct merkbaar" in diff
    assert "+ regionaal: Regionaal" in diff
    navigate(browser, browser.find_element(By.ID, "publish"))
    assert "gd2025 versie 1 is gepubliceerd" in wait_for(browser, "#notice").text
    assert [v["version"] for v in versions.listing(db(), "gd2025")] == [1]
    spec = versions.latest_spec(db(), "gd2025")
    assert [c["key"] for c in spec["categories"]] == ["direct", "indirect", "regionaal"]
    assert spec["timeline"]["winners_announced"] == "2025-06-20T10:00:00+02:00"
    assert spec["criteria"]["round2"] == versions.latest_spec(db(), "gd2024")["criteria"]["round2"]  # carried over

    navigate(browser, browser.find_element(By.CSS_SELECTOR, "#activate button"))
    assert "gd2025 versie 1 is actief." in wait_for(browser, "#notice").text
    assert (layout.active_config(db()).get().to_dict() or {})["edition"] == "gd2025"

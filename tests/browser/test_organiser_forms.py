"""An organiser at a desk sends two bad forms (a CSV import with a bad row, a new organiser with a bad address): the
page comes back with the focus on the summary, its link takes the focus to the field, what was typed is still
there, and axe-core finds nothing (every page load is checked by ``navigate``)."""

from __future__ import annotations

from collections.abc import Callable

import cloudtest
from formcheck import assert_field_refused
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.people import organisers
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers

BAD_CSV = "name,email,organisation\nAnna Bakker,geen-adres,Gemeente Zeist"


def focused_id(browser: WebDriver) -> str:
    return str(browser.switch_to.active_element.get_attribute("id"))


def follow_summary_link(browser: WebDriver, element_id: str) -> None:
    """Activate the summary's link to ``element_id`` and wait for the focus to land on that field."""
    browser.find_element(By.CSS_SELECTOR, f"#errors a[href='#{element_id}']").click()
    WebDriverWait(browser, 10).until(lambda b: focused_id(b) == element_id)


def sign_in(browser: WebDriver, request: object, fresh: LocalCloud) -> Callable[[WebElement, str], WebElement]:
    """Sign Lea in on the round-1 host from her single-use link; returns a click-and-wait-for-the-next-page."""
    wait_for_element: Callable[..., WebElement] = request.getfixturevalue("wait_for")  # type: ignore[attr-defined]
    navigate: Callable[..., None] = request.getfixturevalue("navigate")  # type: ignore[attr-defined]

    def click_and_wait(element: WebElement, css: str) -> WebElement:
        navigate(browser, element)  # waits for the old page to go and checks the new one with axe-core
        return wait_for_element(browser, css)

    link = organisers.sign_in_link(cloudtest.add_organiser("lea@vng.test", "Lea Leider", "coordinator"), "scoring")
    browser.get(link)
    click_and_wait(wait_for_element(browser, "button#sign-in"), "nav.console")
    return click_and_wait


def test_a_bad_csv_import_comes_back_marked_and_kept(desktop: WebDriver, request: object,
                                                    fresh: LocalCloud) -> None:
    browser = desktop
    click_and_wait = sign_in(browser, request, fresh)
    browser.get(fresh.url("scoring-http") + "/organiser/round1")
    field = browser.find_element(By.ID, "csv")
    field.send_keys(BAD_CSV)
    form = field.find_element(By.XPATH, "./ancestor::form")
    click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "#errors")

    assert browser.title.startswith("Fout:")
    assert focused_id(browser) == "errors"  # the summary has the focus, read out first
    assert_field_refused(browser.page_source, "csv")
    follow_summary_link(browser, "csv")
    assert browser.find_element(By.ID, "csv").get_attribute("value") == BAD_CSV  # nothing to type again
    assert scorers.all_scorers(db(), "gd2024") == []


def test_a_bad_address_for_a_new_organiser_comes_back_marked_and_kept(desktop: WebDriver, request: object,
                                                                      fresh: LocalCloud) -> None:
    browser = desktop
    click_and_wait = sign_in(browser, request, fresh)
    click_and_wait(browser.find_element(By.CSS_SELECTOR, "a[data-nav='organisers']"), "input#name")
    browser.find_element(By.ID, "name").send_keys("Piet Planner")
    browser.find_element(By.ID, "email").send_keys("piet@")
    form = browser.find_element(By.ID, "email").find_element(By.XPATH, "./ancestor::form")
    click_and_wait(form.find_element(By.CSS_SELECTOR, "button[type=submit]"), "#errors")

    assert browser.title.startswith("Fout:")
    assert focused_id(browser) == "errors"
    assert_field_refused(browser.page_source, "email", says="geldig e-mailadres")
    follow_summary_link(browser, "email")
    assert browser.find_element(By.ID, "email").get_attribute("value") == "piet@"
    assert browser.find_element(By.ID, "name").get_attribute("value") == "Piet Planner"
    assert organisers.find(db(), "piet@") is None

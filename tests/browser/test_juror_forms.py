"""A juror's refused special-prize form in Chromium: the focus lands on the error summary, its link moves the focus
to the prize's select (which still shows the choice), and axe-core finds nothing on the error page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from cloudtest import Intake, decide_round
from cloudtest import wait_for as wait_until
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.jury import jurors, round3
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

JURORS = """name,email,organisation,is_chair
Carla Voorzitter,carla@vng.example.org,VNG Realisatie,ja
Anton Lid,anton@example.org,Provincie Utrecht,nee
"""
PRIZE = "prize_actualiteitstrofee"


def focused_id(browser: WebDriver) -> str:
    return str(browser.execute_script("return document.activeElement ? document.activeElement.id : ''"))


def wait_for_focus(browser: WebDriver, element_id: str) -> None:
    WebDriverWait(browser, 30).until(lambda b: focused_id(b) == element_id,
                                     message=f"the focus never reached #{element_id}")


def test_a_refused_prize_form_takes_the_focus_to_its_summary_and_on_to_the_select(
        browser: WebDriver, fresh: LocalCloud, wait_for: Callable[..., WebElement], navigate: Callable[..., None],
        axe: Callable[[WebDriver], None]) -> None:
    edition = get_edition("gd2022")
    fresh.activate("gd2022", edition.timeline.registration_opens + timedelta(days=3))
    intake = Intake(fresh)
    ids = []
    for fields in registrations(3, seed=13):
        answer = intake.post("generic", {**fields, "category": "Direct", "co_applicants": []})
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    decide_round("gd2022", 2, ids)
    wait_until(lambda: len(list(layout.roster(db(), "gd2022", 3).stream())) == 3, what="round-3 roster")
    fresh.activate("gd2022", edition.timeline.round2_decided + timedelta(days=10))
    jurors.import_csv(db(), "gd2022", JURORS)
    round3.open_round(db(), edition)
    anton = jurors.juror_id("anton@example.org")

    browser.get(jurors.juror_link("gd2022", anton, 1))
    select = wait_for(browser, f"select#{PRIZE}")
    assert focused_id(browser) != "errors"  # no summary before a problem
    choice = ids[1]
    Select(select).select_by_value(choice)
    # Meanwhile (another tab, say) Anton declares a conflict with that very entry: the vote cannot count.
    finalists = {e["submission_id"] for group in round3.finalists(db(), edition).values() for e in group}
    jurors.declare_conflict(db(), "gd2022", anton, choice, "mijn zus werkt daar", finalists=finalists)
    navigate(browser, browser.find_element(By.ID, "save-votes"))  # waits for the new page; axe checks it

    summary = wait_for(browser, "#errors")
    wait_for_focus(browser, "errors")
    assert browser.title.startswith("Fout:")
    assert "belangenverstrengeling met deze inzending" in summary.text
    kept = Select(browser.find_element(By.ID, PRIZE))
    assert kept.first_selected_option.get_attribute("value") == choice  # the choice is kept, with its message
    assert browser.find_element(By.ID, PRIZE).get_attribute("aria-invalid") == "true"
    assert f"{PRIZE}-error" in browser.find_element(By.ID, PRIZE).get_attribute("aria-describedby")
    link = summary.find_element(By.CSS_SELECTOR, f'a[href="#{PRIZE}"]')
    link.click()
    wait_for_focus(browser, PRIZE)
    axe(browser)  # the page as the juror has it now
    assert round3.ballot(db(), "gd2022", anton)["prizes"] == {}  # nothing stored

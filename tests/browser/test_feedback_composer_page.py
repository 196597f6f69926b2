"""An organiser in the browser: the console's navigation leads to the feedback composer, a flagged text is
rewritten and saved, the entrant's feedback approved with the keyboard's button; and the results page shows the
round held until its announcement."""

from __future__ import annotations

from collections.abc import Callable

import cloudtest
from cloudtest import Intake, decide_round
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.people import organisers
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db


def test_an_organiser_rewrites_and_approves_feedback(desktop: object, request: object, fresh: LocalCloud) -> None:
    browser = desktop
    wait_for_element: Callable[..., WebElement] = request.getfixturevalue("wait_for")
    navigate: Callable[..., None] = request.getfixturevalue("navigate")

    def click_and_wait(element: WebElement, css: str) -> WebElement:
        navigate(browser, element)
        return wait_for_element(browser, css)

    intake = Intake(fresh)
    ids = []
    for n, fields in enumerate(registrations(2, seed=6)):
        answer = intake.post("generic", {**fields, "contact_email": f"team{n}@example.org", "language": "nl"})
        ids.append(answer.json()["submission_id"])
    for sid in ids:
        layout.feedback(db(), "gd2024", 1, sid).set({"round": 1, "submission_id": sid, "advanced": False,
                                                     "summary": "", "tops": ["Bel 06-12345678"], "tips": ["Meet"]})
    decide_round("gd2024", 1, [], ids)  # decided mid-registration: held until 9 January

    link = organisers.sign_in_link(cloudtest.add_organiser("lea@vng.test", "Lea Leider", "round-lead"), "scoring")
    browser.get(link)
    click_and_wait(wait_for_element(browser, "button#sign-in"), "nav.console")
    click_and_wait(browser.find_element(By.CSS_SELECTOR, "a[data-nav='results']"), "table#results")
    assert browser.find_element(By.CSS_SELECTOR, "tr[data-round='1']").get_attribute("data-state") == "held"
    click_and_wait(browser.find_element(By.CSS_SELECTOR, "a[data-nav='feedback']"), f"#fb-{ids[0]}")
    card = browser.find_element(By.ID, f"fb-{ids[0]}")
    assert "Bevat een e-mailadres of telefoonnummer." in card.text

    tops = browser.find_element(By.ID, f"tops-{ids[0]}")
    tops.clear()
    tops.send_keys("Een duidelijke aanpak")
    click_and_wait(browser.find_element(By.ID, f"save-{ids[0]}"), "#notice")
    assert "De feedback is aangepast." in browser.find_element(By.ID, "notice").text
    assert "Bevat een e-mailadres" not in browser.find_element(By.ID, f"fb-{ids[0]}").text
    click_and_wait(browser.find_element(By.ID, f"approve-{ids[0]}"), "#notice")
    assert "1 goedgekeurd." in browser.find_element(By.ID, "notice").text
    approved = browser.find_element(By.ID, f"fb-{ids[0]}")
    assert approved.get_attribute("data-approved") == "yes"
    assert "goedgekeurd door organiser:lea@vng.test" in approved.text
    assert layout.feedback(db(), "gd2024", 1, ids[0]).get().to_dict()["tops"] == ["Een duidelijke aanpak"]
    assert not [m for m in read_mailbox(fresh.maildir) if "ronde 1:" in m.subject]  # approved, still held

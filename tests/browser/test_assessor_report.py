"""An assessor on a phone: opens the personal link from the mail, writes the team's report on a case beside the
interview guide, saves it and signs it off; the report is complete once the other member signs off too."""

from __future__ import annotations

import re
from collections.abc import Callable

from cloudtest import Intake, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.expected_conditions import text_to_be_present_in_element
from selenium.webdriver.support.ui import Select, WebDriverWait

from gemeentedelers.assessment import assessors, reports
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

ASSESSORS = """name,email,organisation,language
Ada Assessor,ada@example.org,VNG Realisatie,nl
Ben Beoordelaar,ben@example.org,Provincie Utrecht,nl
"""


def test_assessor_writes_and_signs_off_a_report(browser: object, request: object, fresh: LocalCloud) -> None:
    wait_for_element: Callable[..., WebElement] = request.getfixturevalue("wait_for")
    navigate: Callable[..., None] = request.getfixturevalue("navigate")
    edition = get_edition("gd2024")
    answer = Intake(fresh).post("generic", {**registrations(1, seed=3)[0], "municipality": "Gemeente Zeist",
                                            "co_applicants": []})
    assert answer.status_code == 201, answer.text
    sid = answer.json()["submission_id"]
    layout.roster(db(), "gd2024", 2).document(sid).set({"submission_id": sid, "status": "awaiting_evidence"})
    assessors.import_csv(db(), "gd2024", ASSESSORS)
    plan = assessors.form(db(), edition)
    assert len(plan.teams[sid]) == 2
    invitation = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir) if m.to == "ada@example.org"), None),
                          what="Ada's invitation")
    link = re.search(r"(http://\S+/assess/login\?token=\S+)", invitation.text).group(1)

    browser.get(link)
    case = wait_for_element(browser, f"a[data-case='{sid}']")
    assert "token" not in browser.current_url
    navigate(browser, case)
    wait_for_element(browser, "form#report")
    assert edition.interview_guide.title.nl in browser.page_source  # the guide beside the report
    for n, criterion in enumerate(edition.criteria(2)):
        value = min(criterion.scale_max, criterion.scale_min + 5 + n % 3)
        browser.find_element(
            By.XPATH, f"//fieldset[@id='{criterion.key}']//label[.//input[@value='{value}']]").click()
        browser.find_element(By.ID, f"explain_{criterion.key}").send_keys(f"Onderbouwing van {criterion.key}")
    browser.find_element(By.ID, "tops").send_keys("Inwoners merken het verschil")
    browser.find_element(By.ID, "tips").send_keys("Leg de kosten van hergebruik vast")
    browser.find_element(By.ID, "summary").send_keys("Een overtuigende aanpak.")
    Select(browser.find_element(By.ID, "recommendation")).select_by_value("finalist")
    navigate(browser, browser.find_element(By.ID, "save"))
    WebDriverWait(browser, 30).until(text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), "Opgeslagen"))
    assert "Nog niet ondertekend door: Ada Assessor, Ben Beoordelaar" in browser.page_source.replace("\n", " ") \
        or "Nog niet ondertekend door: Ben Beoordelaar, Ada Assessor" in browser.page_source.replace("\n", " ")
    navigate(browser, browser.find_element(By.ID, "signoff"))  # the old page's notice is gone once it is stale
    WebDriverWait(browser, 30).until(text_to_be_present_in_element((By.CSS_SELECTOR, ".notice"), "Ondertekend"))
    assert "Ada Assessor" in browser.find_element(By.ID, "signed").text
    stored = reports.get(db(), "gd2024", sid)
    assert stored["version"] == 1 and stored["tops"] == ["Inwoners merken het verschil"]
    ada = assessors.assessor_id("ada@example.org")
    assert stored["signed_off"] == [ada]
    assert reports.problems(edition, sid, stored, plan.teams[sid])  # Ben has not signed off yet

    reports.sign_off(db(), "gd2024", sid, assessors.assessor_id("ben@example.org"), 1)
    browser.get(browser.current_url.split("?")[0].rsplit("/assess", 1)[0] + "/assess")
    badge = wait_for_element(browser, f"a[data-case='{sid}'] .badge")
    assert "compleet" in badge.text

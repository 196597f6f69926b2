"""An entrant on a phone: opens the personal link from the confirmation mail and sees the case's own page while
round 1 runs; once round 1 is out, the same page shows the outcome, the feedback, the evidence form and the visit's
proposed moments; a draft is saved and a moment picked. axe-core checks every state (the browser fixture)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from cloudtest import Intake, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

EDITION = "gd2024"


def test_an_entrant_follows_the_case_on_its_own_page(browser: object, request: object, fresh: LocalCloud) -> None:
    wait_for_element: Callable[..., WebElement] = request.getfixturevalue("wait_for")
    navigate: Callable[..., None] = request.getfixturevalue("navigate")
    check: Callable[[object], None] = request.getfixturevalue("axe")
    fields = {**registrations(1, seed=4)[0], "municipality": "Gemeente Zeist", "co_applicants": [], "language": "nl"}
    answer = Intake(fresh).post("generic", fields)
    assert answer.status_code == 201, answer.text
    sid = answer.json()["submission_id"]
    mail = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir) if m.subject.startswith("Bevestiging")),
                                 None), what="the confirmation mail")
    link = re.search(r"(http://\S+/team/login\?token=\S+)", mail.text).group(1)

    browser.get(link)  # round 1 runs
    wait_for_element(browser, "#rounds li[data-round='1'][data-state='running']")
    assert "token" not in browser.current_url
    assert "dinsdag 9 januari 2024, 12.00 uur" in browser.find_element(By.ID, "rounds").text
    assert browser.find_elements(By.ID, "evidence") == []

    # round 1 decided and released, with approved feedback; the assessors proposed two moments for the visit
    client = db()
    layout.round_state(client, EDITION, 1).set({"status": "decided", "decision_id": "r1-test"}, merge=True)
    layout.roster(client, EDITION, 2).document(sid).set({"submission_id": sid, "status": "awaiting_evidence"})
    layout.feedback(client, EDITION, 1, sid).set({
        "round": 1, "submission_id": sid, "approved": True, "advanced": True, "summary": "Een sterke casus.",
        "tops": ["Inwoners merken het verschil"], "tips": ["Meet de effecten"]})
    layout.release(client, EDITION, 1).set({"status": "released", "released_at": datetime.now(UTC)})
    layout.visits(client, EDITION).document(sid).set({
        "submission_id": sid, "meeting_url": "https://meet.example.org/zeist",
        "slots": [datetime(2024, 3, 12, 9, tzinfo=UTC), datetime(2024, 3, 14, 13, 30, tzinfo=UTC)]})

    browser.get(browser.current_url)
    wait_for_element(browser, "#rounds li[data-round='2'][data-state='running']")
    assert "Meet de effecten" in browser.find_element(By.ID, "feedback").text
    assert "vrijdag 1 maart 2024, 17.00 uur" in browser.page_source  # the evidence deadline
    visit = browser.find_element(By.ID, "visit").text
    assert "dinsdag 12 maart 2024, 10.00 uur" in visit  # 09:00 UTC shown in Amsterdam time
    first = next(f for f in browser.find_elements(By.CSS_SELECTOR, "form[action='/team'] textarea, "
                                                                   "form[action='/team'] input[type='text']"))
    first.send_keys("https://example.org/resultaten")
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "button[value='draft']"))
    assert wait_for_element(browser, "#notice").text == "Opgeslagen."
    assert browser.find_element(By.CSS_SELECTOR, "#rounds li[data-round='1']").get_attribute("data-state") == \
        "advanced"
    navigate(browser, browser.find_elements(By.CSS_SELECTOR, "form[action='/team/visit'] button")[1])
    confirmed = wait_for_element(browser, "#visit [data-confirmed]")
    assert "donderdag 14 maart 2024, 14.30 uur" in confirmed.text
    check(browser)

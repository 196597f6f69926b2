"""An organiser at a desk: signs in from the mailed link, sees who is behind in round 1, reminds them, reads the
chart of the estimates, and closes the round through the confirmation step."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import cloudtest
from cloudtest import Intake, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import rounds, scorers, sheets, waves

ENTRIES = 22  # more than the 20 who advance, so the chart has a cut-off


def test_an_organiser_signs_in_reminds_who_is_behind_and_closes_round1(desktop: object, request: object,
                                                                       fresh: LocalCloud, tmp_path: Path) -> None:
    browser = desktop
    wait_for_element: Callable[..., WebElement] = request.getfixturevalue("wait_for")
    navigate: Callable[..., None] = request.getfixturevalue("navigate")

    def click_and_wait(element: WebElement, css: str) -> WebElement:
        """Click, wait until the next page replaced this one, then for ``css`` on it."""
        navigate(browser, element)
        return wait_for_element(browser, css)

    intake = Intake(fresh)
    for fields in registrations(ENTRIES, seed=21):
        assert intake.post("generic", fields).status_code == 201
    wait_for(lambda: len(list(layout.round1_entries(db(), "gd2024").stream())) == ENTRIES, what="round-1 entries")
    edition = get_edition("gd2024")
    rows = ["name,email,organisation,capacity"] + [f"Scoorder {n},s{n}@example.org,Bureau {n},6" for n in range(12)]
    scorers.import_csv(db(), "gd2024", "\n".join(rows))
    waves.first_wave(db(), edition)
    data = waves.read_round(db(), "gd2024")
    late = scorers.scorer_id("s0@example.org")
    for scorer_id, sid in data.active_pairs:  # everyone scores except Scoorder 0
        if scorer_id != late:
            sheets.save(db(), edition, scorer_id, sid, {"succesvol": 3 + int(sid[-2:], 36) % 6, "waardevol": 6,
                                                        "herbruikbaar": 7, "tops": "Sterk", "tips": "Meet meer"},
                        submit=True)

    # the organiser asks for a sign-in link and signs in from the mail
    cloudtest.add_organiser("lea@vng.test", "Lea Leider", "round-lead")
    base = fresh.url("scoring-http")
    browser.get(base + "/organiser/login")
    wait_for_element(browser, "input#email").send_keys("lea@vng.test")
    click_and_wait(browser.find_element(By.ID, "request-link"), "#notice")
    mail = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir) if m.to == "lea@vng.test"), None),
                    what="the sign-in mail")
    link = re.search(r"(http://\S+/organiser/login\?token=\S+)", mail.text).group(1)
    browser.get(link)
    button = wait_for_element(browser, "button#sign-in")
    click_and_wait(button, "nav.console")
    assert "token" not in browser.current_url and browser.current_url.endswith("/organiser")
    assert "Lea Leider" in browser.find_element(By.CSS_SELECTOR, "nav.console").text

    # round 1: who is behind, by name; remind them (a reload repeats nothing)
    click_and_wait(browser.find_element(By.CSS_SELECTOR, "a[data-nav='round1']"), "[data-behind='round1']")
    behind = browser.find_element(By.CSS_SELECTOR, "[data-behind='round1']").text
    assert "Scoorder 0" in behind and "Scoorder 1:" not in behind
    notice = click_and_wait(browser.find_element(By.ID, "remind-scorers"), "#notice")
    assert "1 herinnering verstuurd" in notice.text
    reminder = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir)
                                      if m.to == "s0@example.org" and m.subject.startswith("Herinnering")), None),
                        what="the reminder")
    assert "9 januari 2024" in reminder.text
    browser.execute_script("window.__gdLeaving = true")
    browser.refresh()
    WebDriverWait(browser, 30).until(lambda d: d.execute_script(
        "return window.__gdLeaving !== true && document.readyState === 'complete'"))
    wait_for_element(browser, "[data-behind='round1']")
    assert not browser.find_elements(By.ID, "notice")  # post/redirect/get: the notice was shown once

    # the chart of the estimates, with its table
    chart = wait_for_element(browser, "svg[data-chart='estimates']")
    assert chart.get_attribute("role") == "img"
    assert len(browser.find_elements(By.CSS_SELECTOR, "svg[data-chart='estimates'] circle[data-entry]")) == ENTRIES
    assert browser.find_elements(By.CSS_SELECTOR, "svg[data-chart='estimates'] line[data-cutoff]")
    table = wait_for_element(browser, "table[data-table='estimates']", visible=False)  # the ranking beside it
    assert len(table.find_elements(By.CSS_SELECTOR, "tbody tr")) == ENTRIES
    browser.save_screenshot(str(tmp_path / "round1.png"))

    # closing goes through the confirmation step, which names who has not finished
    close = browser.find_element(By.CSS_SELECTOR, "form[action='/organiser/round1/close'] button")
    step = click_and_wait(close, "#warnings")
    assert "Scoorder 0" in step.text
    assert rounds.state(db(), "gd2024", 1)["status"] == "open"
    notice = click_and_wait(browser.find_element(By.ID, "confirm"), "#notice")
    assert "inzendingen gaan door" in notice.text
    assert rounds.state(db(), "gd2024", 1)["status"] == "decided"

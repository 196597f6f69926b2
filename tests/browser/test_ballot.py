"""An assessor votes for the finalists on a phone (390x844) with the keyboard only: every case's place is visible
without scrolling sideways, a case whose report is not complete is marked, a place given twice is refused with
the form pattern's error state (summary with the focus, "Fout:" in the title, the field tied to its message, the
choices kept), and the corrected vote is saved. A refused visit proposal keeps the moments typed."""

from __future__ import annotations

import re
from collections.abc import Callable

from cloudtest import Intake, wait_for
from keyboard import activate, press, tab_to
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from test_assessor_report import ASSESSORS

from gemeentedelers.assessment import assessors, reports
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

PHONE_390 = (390, 844)


def _phone_390(browser: WebDriver) -> None:
    """A 390x844 phone (conftest's set_viewport, which this module cannot import beside the integration tests'
    conftest): the window and Chrome's device emulation, so the page's viewport meta is honoured."""
    browser.set_window_size(*PHONE_390)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": PHONE_390[0], "height": PHONE_390[1], "deviceScaleFactor": 1, "mobile": True})


def _signed_report(sid: str, team: list[str]) -> None:
    """A complete report on ``sid``, signed by its whole team."""
    edition = get_edition("gd2024")
    form = {"tops": "Inwoners merken het", "tips": "Meet de kosten", "summary": "Overtuigend.",
            "recommendation": edition.assessment_rules.recommendations[0].key}
    for c in edition.criteria(2):
        form |= {f"score_{c.key}": str(c.scale_max), f"explain_{c.key}": "Onderbouwd met cijfers"}
    reports.save(db(), "gd2024", sid, team[0], reports.from_form(edition, form), 0)
    for aid in team:
        reports.sign_off(db(), "gd2024", sid, aid, 1)


def _place(browser: WebDriver, sid: str, place: int) -> None:
    """Tab to the case's place and pick ``place`` with the arrow keys (a closed select changes with them)."""
    select = tab_to(browser, f"select#rank_{sid}")
    for _ in range(12):
        value = select.get_attribute("value")
        if value == str(place):
            return
        press(browser, Keys.ARROW_DOWN if not value or int(value) < place else Keys.ARROW_UP)
    raise AssertionError(f"could not choose place {place} for {sid}")


def _open_round2(fresh: LocalCloud, n: int, seed: int) -> tuple[list[str], dict[str, list[str]], str]:
    intake = Intake(fresh)
    ids = []
    for fields in registrations(n, seed=seed):
        answer = intake.post("generic", {**fields, "category": "Direct", "co_applicants": []})
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    for sid in ids:
        layout.roster(db(), "gd2024", 2).document(sid).set({"submission_id": sid, "status": "awaiting_evidence"})
    assessors.import_csv(db(), "gd2024", ASSESSORS)
    plan = assessors.form(db(), get_edition("gd2024"))
    mail = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir) if m.to == "ada@example.org"), None),
                    what="Ada's invitation")
    link = re.search(r"(http://\S+/assess/login\?token=\S+)", mail.text).group(1)  # type: ignore[union-attr]
    return ids, dict(plan.teams), link


def test_an_assessor_ranks_the_cases_on_a_phone_with_the_keyboard(
        browser: WebDriver, fresh: LocalCloud, arrive: Callable[..., None], wait_for: Callable[..., object]) -> None:
    _phone_390(browser)
    ids, teams, link = _open_round2(fresh, 4, seed=12)
    _signed_report(ids[0], teams[ids[0]])
    browser.get(link)
    wait_for(browser, f"a[data-case='{ids[0]}']")
    tab_to(browser, "a[href='/assess/finalists']")
    activate(browser, arrive)
    wait_for(browser, "form#ballot")

    width = browser.execute_script("return window.innerWidth")
    assert browser.execute_script("return document.documentElement.scrollWidth") <= width  # no sideways scrolling
    for sid in ids:
        rank = browser.find_element(By.ID, f"rank_{sid}")
        box = rank.rect
        assert rank.is_displayed() and box["x"] >= 0 and box["x"] + box["width"] <= width, sid
        assert len(rank.find_elements(By.TAG_NAME, "option")) == len(ids) + 1  # "choose" and the places 1..4
    marked = {e.get_attribute("data-incomplete") for e in browser.find_elements(By.CSS_SELECTOR, "[data-incomplete]")}
    assert marked == set(ids[1:])  # only the first case's report is complete and signed

    order = sorted(ids)
    for place, sid in zip((1, 1, 3), order, strict=False):  # a place twice, the last case left without one
        _place(browser, sid, place)
    tab_to(browser, "button#save")
    activate(browser, arrive)
    assert browser.title.startswith("Fout:")
    assert browser.switch_to.active_element.get_attribute("id") == "errors"  # the summary has the focus
    twice = browser.find_element(By.ID, f"rank_{order[1]}")
    assert twice.get_attribute("aria-invalid") == "true"
    assert browser.find_element(By.ID, f"rank_{order[1]}-error").text == "Deze plaats is vaker gegeven."
    assert f"rank_{order[1]}-error" in twice.get_attribute("aria-describedby")
    assert browser.find_element(By.ID, f"rank_{order[3]}-error").text == "Geef een plaats."
    assert browser.find_element(By.ID, f"rank_{order[2]}").get_attribute("value") == "3"  # the choices are kept
    links = [a.get_attribute("href").rsplit("#", 1)[1] for a in browser.find_elements(By.CSS_SELECTOR, "#errors a")]
    assert set(links) >= {f"rank_{order[1]}", f"rank_{order[3]}"}

    _place(browser, order[1], 2)
    _place(browser, order[3], 4)
    tab_to(browser, "button#save")
    activate(browser, arrive)
    assert "opgeslagen" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    ada = assessors.assessor_id("ada@example.org")
    stored = layout.assessment_ballots(db(), "gd2024").document(ada).get().to_dict()
    assert stored["ballot"] == order
    assert [browser.find_element(By.ID, f"rank_{sid}").get_attribute("value") for sid in order] == ["1", "2", "3", "4"]


def test_a_refused_visit_proposal_keeps_the_moments_typed(
        browser: WebDriver, fresh: LocalCloud, navigate: Callable[..., None], wait_for: Callable[..., object]) -> None:
    ids, _teams, link = _open_round2(fresh, 1, seed=13)
    browser.get(link)
    navigate(browser, wait_for(browser, f"a[data-case='{ids[0]}']"))
    slot = wait_for(browser, "input#slot_0")
    browser.execute_script("arguments[0].value = '2024-05-14T10:00'", slot)
    browser.find_element(By.ID, "meeting_url").send_keys("geen adres")
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "form#visit button[type=submit]"))
    assert browser.title.startswith("Fout:")
    assert browser.switch_to.active_element.get_attribute("id") == "problem"
    assert browser.find_element(By.ID, "slot_0").get_attribute("value") == "2024-05-14T10:00"
    url = browser.find_element(By.ID, "meeting_url")
    assert url.get_attribute("value") == "geen adres" and url.get_attribute("aria-describedby") == "slot-problem"
    assert browser.find_element(By.ID, "slot-problem").text

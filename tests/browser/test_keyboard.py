"""The scoring, report and ballot forms with the keyboard only: Tab to each field, arrows and Space on the scales,
typing in the text fields, Enter to send; at every stop the focus is visible at 3:1 (keyboard.assert_focus_visible)
and every page reached passes axe."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from cloudtest import Intake, decide_round, wait_for
from keyboard import activate, press, tab_to
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from test_juror_ranking import JURORS
from test_scorer_page import SCORERS

from gemeentedelers.assessment import assessors, reports
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.jury import jurors, round3
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers, waves


def _link(fresh: LocalCloud, to: str, path: str) -> str:
    mail = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir) if m.to == to), None), what=f"mail to {to}")
    return re.search(rf"(http://\S+{re.escape(path)}\?token=\S+)", mail.text).group(1)  # type: ignore[union-attr]


def _scale(browser: WebDriver, name: str, value: int) -> None:
    """Tab into a scale (a group of radios), Space picks the first, the right arrow moves to ``value``."""
    tab_to(browser, f"input[type=radio][name='{name}']")
    press(browser, Keys.SPACE)
    for _ in range(value - 1):
        press(browser, Keys.ARROW_RIGHT)
    assert browser.switch_to.active_element.get_attribute("value") == str(value)


def _type(browser: WebDriver, css: str, text: str) -> None:
    tab_to(browser, css)
    press(browser, text)


def test_a_scorer_scores_with_the_keyboard_only(browser: WebDriver, fresh: LocalCloud,
        arrive: Callable[..., None]) -> None:
    intake = Intake(fresh)
    for fields in registrations(2, seed=31):
        assert intake.post("tally", fields).status_code == 201
    wait_for(lambda: len(list(layout.round1_entries(db(), "gd2024").stream())) == 2, what="round-1 entries")
    scorers.import_csv(db(), "gd2024", SCORERS)
    waves.first_wave(db(), get_edition("gd2024"))
    browser.get(_link(fresh, "noor@example.org", "/score/login"))

    sid = tab_to(browser, "ul.entries a[data-entry]").get_attribute("data-entry")
    activate(browser, arrive)
    _scale(browser, "succesvol", 7)
    _type(browser, "#tops", "Meetbaar resultaat")
    tab_to(browser, "button[value=submit]")
    activate(browser, arrive)  # two scores missing: the form pattern's error state
    assert browser.title.startswith("Fout:")
    assert browser.switch_to.active_element.get_attribute("id") == "errors"  # the summary has the focus
    missing = browser.find_element(By.ID, "waardevol")
    assert missing.get_attribute("aria-invalid") == "true"
    assert "waardevol-error" in missing.get_attribute("aria-describedby")
    assert browser.find_element(By.ID, "waardevol-error").text
    assert browser.find_element(By.CSS_SELECTOR, "input[name=succesvol][value='7']").is_selected()  # input kept
    assert browser.find_element(By.ID, "tops").get_attribute("value") == "Meetbaar resultaat"
    for criterion, value in (("waardevol", 8), ("herbruikbaar", 6)):
        _scale(browser, criterion, value)
    _type(browser, "#tips", "Beschrijf de kosten")
    tab_to(browser, "button[value=submit]")
    activate(browser, arrive)
    assert "Score ingediend" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    noor = scorers.scorer_id("noor@example.org")
    stored = layout.round1_scores(db(), "gd2024").document(layout.pair_id(noor, sid)).get().to_dict()
    assert stored["scores"] == {"succesvol": 7, "waardevol": 8, "herbruikbaar": 6}
    assert stored["tops"] == "Meetbaar resultaat" and stored["status"] == "submitted"


def test_an_assessor_writes_a_report_with_the_keyboard_only(browser: WebDriver, fresh: LocalCloud,
        arrive: Callable[..., None]) -> None:
    edition = get_edition("gd2024")
    answer = Intake(fresh).post("generic", {**registrations(1, seed=4)[0], "co_applicants": []})
    sid = answer.json()["submission_id"]
    layout.roster(db(), "gd2024", 2).document(sid).set({"submission_id": sid, "status": "awaiting_evidence"})
    assessors.import_csv(db(), "gd2024", "name,email,organisation,language\nAda Assessor,ada@example.org,VNG,nl\n"
                                          "Ben Beoordelaar,ben@example.org,Provincie,nl\n")
    assessors.form(db(), edition)
    browser.get(_link(fresh, "ada@example.org", "/assess/login"))

    tab_to(browser, f"a[data-case='{sid}']")
    activate(browser, arrive)
    for n, criterion in enumerate(edition.criteria(2)):
        _scale(browser, f"score_{criterion.key}", 5 + n % 3)
        _type(browser, f"#explain_{criterion.key}", f"Onderbouwing {n}")
    _type(browser, "#tops", "Inwoners merken het")
    _type(browser, "#summary", "Overtuigend.")
    select = tab_to(browser, "select#recommendation")
    for _ in range(6):  # the arrows change a closed select's choice
        if select.get_attribute("value") == "finalist":
            break
        press(browser, Keys.ARROW_DOWN)
    tab_to(browser, "button#save")
    activate(browser, arrive)
    assert "Opgeslagen" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    stored = reports.get(db(), "gd2024", sid)
    assert stored["recommendation"] == "finalist" and stored["tops"] == ["Inwoners merken het"]
    assert [stored["scores"][c.key] for c in edition.criteria(2)][:3] == [5, 6, 7]


def test_a_juror_ranks_with_the_keyboard_only(browser: WebDriver, fresh: LocalCloud,
        arrive: Callable[..., None]) -> None:
    intake = Intake(fresh)
    ids = [intake.post("generic", {**f, "category": "Direct", "co_applicants": []}).json()["submission_id"]
           for f in registrations(3, seed=9)]
    decide_round("gd2024", 2, ids)
    wait_for(lambda: len(list(layout.roster(db(), "gd2024", 3).stream())) == 3, what="round-3 roster")
    edition = get_edition("gd2024")
    fresh.activate("gd2024", edition.timeline.round2_decided + timedelta(days=10))
    jurors.import_csv(db(), "gd2024", JURORS)
    round3.open_round(db(), edition)
    browser.get(_link(fresh, "anton@example.org", "/jury/login"))

    tab_to(browser, "ul.entries a[data-category='direct']")
    activate(browser, arrive)
    order = sorted(ids)
    for place, sid in enumerate(order, start=1):
        tab_to(browser, f"select#rank_{sid}")
        press(browser, str(place))  # typing an option's text chooses it
    tab_to(browser, "button#save")
    activate(browser, arrive)
    assert "opgeslagen" in browser.find_element(By.CSS_SELECTOR, ".notice").text
    anton = jurors.juror_id("anton@example.org")
    assert round3.ballot(db(), "gd2024", anton)["categories"] == {"direct": order}

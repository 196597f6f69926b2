"""A scorer on a phone: opens the personal link from the mail, scores an entry, then changes the score."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from cloudtest import Intake, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers, waves

SCORERS = """name,email,organisation,background,capacity,language
Noor Visser,noor@example.org,Zeist,Klantcontact,12,nl
Daan Bos,daan@example.org,Houten,ICT,12,nl
Iris Mulder,iris@example.org,Delft,Beleid,12,nl
Ruben Smit,ruben@example.org,Ede,Wijkteam,12,nl
"""


def pick(browser: object, criterion: str, value: int) -> None:
    """Tap the scale button of ``value`` (the radio itself is visually hidden, as on a phone)."""
    label = browser.find_element(By.XPATH, f"//fieldset[@id='{criterion}']//label[.//input[@value='{value}']]")
    label.click()


def test_scorer_scores_and_changes_an_entry(
    browser: object, request: object, fresh: LocalCloud, tmp_path: Path
) -> None:
    wait_for_element: Callable[..., WebElement] = request.getfixturevalue("wait_for")
    navigate: Callable[..., None] = request.getfixturevalue("navigate")
    intake = Intake(fresh)
    for fields in registrations(4, seed=21):
        assert intake.post("tally", fields).status_code == 201
    wait_for(lambda: len(list(layout.round1_entries(db(), "gd2024").stream())) == 4, what="round-1 entries")
    scorers.import_csv(db(), "gd2024", SCORERS)
    waves.first_wave(db(), get_edition("gd2024"))
    invitation = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir) if m.to == "noor@example.org"), None),
                          what="Noor's invitation")
    link = re.search(r"(http://\S+/score/login\?token=\S+)", invitation.text).group(1)

    browser.get(link)
    first = wait_for_element(browser, "ul.entries a[data-entry]")
    assert "token" not in browser.current_url  # the link left the address bar
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Mijn inzendingen"
    sid = first.get_attribute("data-entry")
    navigate(browser, first)
    wait_for_element(browser, "fieldset#succesvol")
    assert "Het initiatief werkt aantoonbaar" in browser.page_source  # the criterion explained
    for criterion, value in (("succesvol", 7), ("waardevol", 8), ("herbruikbaar", 6)):
        pick(browser, criterion, value)
    browser.find_element(By.ID, "tops").send_keys("Meetbaar resultaat voor inwoners")
    browser.find_element(By.ID, "tips").send_keys("Beschrijf wat hergebruik kost")
    browser.save_screenshot(str(tmp_path / "entry.png"))
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "button[value=submit]"))
    notice = wait_for_element(browser, ".notice")
    assert "Score ingediend" in notice.text
    badge = browser.find_element(By.CSS_SELECTOR, f"a[data-entry='{sid}'] .badge")
    assert badge.get_attribute("data-status") == "submitted"

    navigate(browser, browser.find_element(By.CSS_SELECTOR, f"a[data-entry='{sid}']"))
    wait_for_element(browser, "fieldset#herbruikbaar")
    assert browser.find_element(By.CSS_SELECTOR, "fieldset#herbruikbaar input[value='6']").is_selected()
    pick(browser, "herbruikbaar", 9)
    navigate(browser, browser.find_element(By.CSS_SELECTOR, "button[value=submit]"))
    assert "Score ingediend" in wait_for_element(browser, ".notice").text

    noor = scorers.scorer_id("noor@example.org")
    stored = layout.round1_scores(db(), "gd2024").document(layout.pair_id(noor, sid)).get().to_dict()
    assert stored["scores"] == {"succesvol": 7, "waardevol": 8, "herbruikbaar": 9}
    assert stored["tops"] == "Meetbaar resultaat voor inwoners" and stored["status"] == "submitted"
    assert (tmp_path / "entry.png").stat().st_size > 10_000

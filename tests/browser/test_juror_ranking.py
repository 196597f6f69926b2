"""A juror on a phone: opens the personal link from the mail, ranks a category's finalists (a place chosen twice
is refused with a clear message), and finds the ranking saved."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from cloudtest import Intake, decide_round, wait_for
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.jury import jurors, round3
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

JURORS = """name,email,organisation,is_chair
Carla Voorzitter,carla@vng.example.org,VNG Realisatie,ja
Anton Lid,anton@example.org,Provincie Utrecht,nee
"""


def choose(browser: object, sid: str, place: int) -> None:
    Select(browser.find_element(By.ID, f"rank_{sid}")).select_by_value(str(place))


def test_juror_ranks_the_finalists_of_a_category(
    browser: object, request: object, fresh: LocalCloud, tmp_path: Path
) -> None:
    wait_for_element: Callable[..., WebElement] = request.getfixturevalue("wait_for")
    navigate: Callable[..., None] = request.getfixturevalue("navigate")
    intake = Intake(fresh)
    ids = []
    for fields in registrations(3, seed=8):
        answer = intake.post("generic", {**fields, "category": "Direct", "co_applicants": []})
        assert answer.status_code == 201
        ids.append(answer.json()["submission_id"])
    decide_round("gd2024", 2, ids)
    wait_for(lambda: len(list(layout.roster(db(), "gd2024", 3).stream())) == 3, what="round-3 roster")
    edition = get_edition("gd2024")
    fresh.activate("gd2024", edition.timeline.round2_decided + timedelta(days=10))
    jurors.import_csv(db(), "gd2024", JURORS)
    round3.open_round(db(), edition)
    invitation = wait_for(lambda: next((m for m in read_mailbox(fresh.maildir) if m.to == "anton@example.org"), None),
                          what="Anton's invitation")
    link = re.search(r"(http://\S+/jury/login\?token=\S+)", invitation.text).group(1)

    browser.get(link)
    category = wait_for_element(browser, "ul.entries a[data-category='direct']")
    assert "token" not in browser.current_url  # the link left the address bar
    assert browser.find_element(By.CSS_SELECTOR, "h1").text == "Jury: de finalisten"
    navigate(browser, category)
    wait_for_element(browser, f"select#rank_{ids[0]}")
    titles = [e.text for e in browser.find_elements(By.CSS_SELECTOR, "[data-entry] h2")]
    assert len(titles) == 3
    order = sorted(ids)  # the juror's own order
    choose(browser, order[0], 1)
    choose(browser, order[1], 1)  # a place twice
    choose(browser, order[2], 3)
    navigate(browser, browser.find_element(By.ID, "save"))
    errors = wait_for_element(browser, "#errors")
    assert "precies één keer" in errors.text
    assert browser.find_elements(By.CSS_SELECTOR, "[data-error='twice']")
    choose(browser, order[1], 2)
    browser.save_screenshot(str(tmp_path / "ranking.png"))
    navigate(browser, browser.find_element(By.ID, "save"))
    notice = wait_for_element(browser, ".notice")
    assert "opgeslagen" in notice.text
    badge = browser.find_element(By.CSS_SELECTOR, "a[data-category='direct'] .badge")
    assert badge.get_attribute("data-status") == "ranked"
    anton = jurors.juror_id("anton@example.org")
    assert round3.ballot(db(), "gd2024", anton)["categories"] == {"direct": order}
    width = browser.execute_script("return document.documentElement.scrollWidth")
    assert width <= browser.execute_script("return window.innerWidth")  # no sideways scrolling on a phone
    assert (tmp_path / "ranking.png").stat().st_size > 10_000

"""Issue 11's done-when on a small played edition: every mail has Date, Message-ID and an HTML part, and every
link in every mail opens in Chromium as its person, with no axe-core violation (WCAG 2.0/2.1 A and AA) on the
page reached or on the pages it links to on the same host (``devtools/linkcheck.py``, ``dev check-links``)."""

from __future__ import annotations

import pytest

from gemeentedelers.devtools import browser as chromium_tools
from gemeentedelers.devtools.demo import play_on
from gemeentedelers.devtools.linkcheck import check_mails, links_in
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox

ENTRIES = 12
pytestmark = pytest.mark.timeout(1200)  # a whole edition is played first (~3 minutes), then every mail


def test_every_link_in_every_mail_opens_as_its_person_without_violations(fresh: LocalCloud) -> None:
    summary = play_on(fresh, ENTRIES, seed=5, echo=lambda *_: None)
    assert summary["ok"], summary
    mails = read_mailbox(fresh.maildir)
    hosts = [url for name, url in fresh.state["functions"].items() if name.endswith("-http")]
    with chromium_tools.chromium() as driver:
        report = check_mails(mails, hosts, driver)
    print("\n".join(report.lines()))
    assert report.mails == len(mails) > 3 * ENTRIES
    routes = {link.split("?")[0].split(":", 2)[2].split("/", 1)[1] for mail in mails for link in links_in(mail, hosts)}
    assert {"score/login", "assess/login", "team/login", "jury/login"} <= routes, routes
    assert report.pages > report.links >= 3 * ENTRIES
    assert report.ok, "\n".join(report.lines())

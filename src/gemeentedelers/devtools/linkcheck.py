"""Every mail an edition sent, checked as its reader meets it: the mail has ``Date``, ``Message-ID`` and an HTML
part; every link in it to the local cloud opens in Chromium as the person it was sent to (a browser without
anyone's cookies), and the page reached and the pages it links to on the same host (one level) have no axe-core
violation of WCAG 2.0/2.1 A and AA. ``gemeentedelers dev check-links`` runs it after ``demo --keep``; the browser
test ``tests/browser/test_mail_links.py`` on its own small played edition.

Links are opened with GET only, as a person clicking would; forms are not sent. The page a link reaches is
checked for every person when it is personal (a link with a token: it shows their own work), once otherwise (the
statements, the databank); a page it links to is checked once per address, for the first person who reaches it
(the entries, the statements and the other language are the same for the next).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from gemeentedelers.devtools import browser as chromium_tools
from gemeentedelers.devtools.localcloud.smtp import StoredMail, read_mailbox

_URL = re.compile(r"https?://[^\s<>\"')\]]+")
REQUIRED_HEADERS = ("Date", "Message-ID")


@dataclass
class Report:
    mails: int = 0
    links: int = 0
    pages: int = 0
    mail_problems: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)
    broken: list[str] = field(default_factory=list)
    checked: set[str] = field(default_factory=set)

    @property
    def ok(self) -> bool:
        return not (self.mail_problems or self.violations or self.broken)

    def lines(self) -> list[str]:
        summary = (f"{self.mails} mails, {self.links} personal links opened, {self.pages} pages checked with axe-core "
                   f"({', '.join(chromium_tools.WCAG_TAGS)}): {len(self.mail_problems)} mail problems, "
                   f"{len(self.violations)} pages with violations, {len(self.broken)} broken links")
        return [summary, *self.mail_problems, *self.violations, *self.broken]


def mail_problems(mail: StoredMail) -> list[str]:
    """What a mail lacks of what every mail must have: the headers, and an HTML part beside the text."""
    problems = [f"mail to {mail.to} ({mail.subject!r}) has no {name} header" for name in REQUIRED_HEADERS
                if not mail.header(name)]
    if not mail.html.strip():
        problems.append(f"mail to {mail.to} ({mail.subject!r}) has no HTML part")
    return problems


def links_in(mail: StoredMail, hosts: Iterable[str]) -> list[str]:
    """The addresses in the mail's text that go to one of ``hosts`` (``scheme://host:port``), in order, once."""
    origins = {origin.rstrip("/") for origin in hosts}
    found: list[str] = []
    for match in _URL.finditer(mail.text):
        url = match.group(0).rstrip(".,;:!?")
        if _origin(url) in origins and url not in found:
            found.append(url)
    return found


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _same_host_links(driver: Any) -> list[str]:
    hrefs = driver.execute_script("return [...document.querySelectorAll('a[href]')].map(a => a.href)")
    here = _origin(driver.current_url)
    return [urldefrag(h)[0] for h in hrefs if h.startswith(("http://", "https://")) and _origin(h) == here]


def _check_page(driver: Any, report: Report, reached_from: str) -> None:
    status = driver.execute_script("return document.title")
    violations = chromium_tools.axe_violations(driver)
    report.pages += 1
    if violations:
        lines = [f"{driver.current_url} (title {status!r}, reached from {reached_from}): {len(violations)} "
                 "violation(s)"]
        for v in violations:
            lines.append(f"  - {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"      {node}" for node in v["nodes"])
        report.violations.append("\n".join(lines))


def _open(driver: Any, url: str) -> bool:
    from selenium.common.exceptions import WebDriverException

    try:
        driver.get(url)
        return bool(driver.execute_script("return document.readyState === 'complete'"))
    except (WebDriverException, OSError):  # the page did not load, or Chromium did not answer in time
        return False


def check_mails(mails: list[StoredMail], hosts: Iterable[str], driver: Any,
                echo: Callable[[str], None] = lambda _: None) -> Report:
    """Check every mail, and open its links as its person in ``driver`` (a Chromium from ``browser.chromium``)."""
    hosts = list(hosts)
    report = Report(mails=len(mails))
    for number, mail in enumerate(mails, start=1):
        report.mail_problems += mail_problems(mail)
        links = links_in(mail, hosts)
        if not links:
            continue
        chromium_tools.forget_everyone(driver)  # as the person the mail was sent to, and nobody else
        for link in links:
            if "token=" not in link and link in report.checked:
                continue  # not personal (the statements, the databank): the same page for everyone
            report.links += 1
            if not _open(driver, link):
                report.broken.append(f"{link} (in the mail to {mail.to}, {mail.subject!r}) did not open")
                continue
            landed = urldefrag(driver.current_url)[0]
            report.checked.update((link, landed))
            _check_page(driver, report, f"the mail to {mail.to}")
            for onward in _same_host_links(driver):
                if onward in report.checked:
                    continue
                report.checked.add(onward)
                if not _open(driver, onward):
                    report.broken.append(f"{onward} (linked from {landed}) did not open")
                    continue
                _check_page(driver, report, landed)
        if number % 25 == 0:
            echo(f"  {number}/{len(mails)} mails, {report.pages} pages checked")
    return report


def check_maildir(maildir: Path, hosts: Iterable[str], echo: Callable[[str], None] = lambda _: None) -> Report:
    """Every mail in ``maildir``, each link opened in a fresh headless Chromium at phone size."""
    with chromium_tools.chromium() as driver:
        return check_mails(read_mailbox(maildir), hosts, driver, echo)

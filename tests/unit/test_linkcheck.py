"""The pure parts of the mail link check: which links a mail has, what a mail lacks."""

from __future__ import annotations

from gemeentedelers.devtools.linkcheck import Report, links_in, mail_problems
from gemeentedelers.devtools.localcloud.smtp import StoredMail

HOSTS = ["http://127.0.0.1:8101", "http://127.0.0.1:8102"]


def mail(text: str, html: str = "<p>x</p>", headers: tuple[tuple[str, str], ...] = (
        ("Date", "Mon, 1 Jan 2024 10:00:00 +0100"), ("Message-ID", "<a@gemeentedelers.nl>"))) -> StoredMail:
    return StoredMail(key="k", to="a@example.org", subject="Onderwerp", language="nl", text=text, html=html,
                      headers=headers)


def test_links_to_the_cloud_once_in_order_without_trailing_punctuation() -> None:
    text = ("Open http://127.0.0.1:8102/score/login?token=abc. Of http://127.0.0.1:8101/privacy?lang=nl, "
            "en https://example.org/elders en (http://127.0.0.1:8102/score/login?token=abc)")
    assert links_in(mail(text), HOSTS) == ["http://127.0.0.1:8102/score/login?token=abc",
                                           "http://127.0.0.1:8101/privacy?lang=nl"]


def test_a_complete_mail_has_no_problems_and_a_bare_one_has_three() -> None:
    assert mail_problems(mail("tekst")) == []
    problems = mail_problems(mail("tekst", html="", headers=()))
    assert len(problems) == 3 and any("Date" in p for p in problems) and any("HTML" in p for p in problems)


def test_the_report_fails_on_any_problem() -> None:
    assert Report(mails=1).ok
    assert not Report(mails=1, violations=["x"]).ok and not Report(broken=["y"]).ok
    assert not Report(mail_problems=["z"]).ok

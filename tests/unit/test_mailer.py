"""Composing mail: headers people's mail programs rely on, and attachments such as a visit's calendar file."""

from __future__ import annotations

import email
import email.policy

from gemeentedelers.notify.mailer import Attachment, Mail, compose

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"


def test_plain_mail_has_language_and_id() -> None:
    message, message_id = compose(Mail("a@example.org", "Onderwerp", "Tekst", "nl"), "GD <noreply@example.org>")
    assert message["Content-Language"] == "nl" and message["Message-ID"] == message_id
    assert message.get_content().strip() == "Tekst"


def test_an_attachment_travels_with_its_type_and_name() -> None:
    mail = Mail("a@example.org", "Bezoek", "Zie de uitnodiging.", "nl",
                (Attachment("bezoek.ics", ICS, "text/calendar; method=REQUEST"),))
    message, _ = compose(mail, "GD <noreply@example.org>")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    [part] = list(parsed.iter_attachments())
    assert part.get_filename() == "bezoek.ics"
    assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
    assert part.get_content().replace("\r\n", "\n") == ICS.decode().replace("\r\n", "\n")
    assert parsed["Content-Language"] == "nl"


def test_every_mail_has_a_date_a_reply_to_and_says_it_is_automatic() -> None:
    message, message_id = compose(Mail("a@example.org", "Onderwerp", "Tekst", "nl"), "GD <noreply@example.org>",
                                  reply_to="GD <gd@example.org>", domain="mail.example.org")
    parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
    assert parsed["Date"] and parsed["Date"].datetime.tzinfo is not None  # RFC 5322's required header
    assert parsed["Reply-To"] == "GD <gd@example.org>" and parsed["Auto-Submitted"] == "auto-generated"
    assert message_id.endswith("@mail.example.org>")
    assert "List-Unsubscribe" not in parsed  # only reminders carry it


def test_a_reminder_carries_a_one_click_unsubscribe() -> None:
    mail = Mail("a@example.org", "Herinnering", "Tekst", "nl", unsubscribe_url="https://n.example.org/unsubscribe?t=1")
    parsed = email.message_from_bytes(compose(mail, "GD <noreply@example.org>")[0].as_bytes(),
                                      policy=email.policy.default)
    assert parsed["List-Unsubscribe"] == "<https://n.example.org/unsubscribe?t=1>"
    assert parsed["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"  # RFC 8058


def test_the_html_part_sits_beside_the_text_and_before_the_attachment() -> None:
    mail = Mail("a@example.org", "Bezoek", "Zie de uitnodiging.", "nl",
                (Attachment("bezoek.ics", ICS, "text/calendar; method=REQUEST"),), html="<p>Zie de uitnodiging.</p>")
    parsed = email.message_from_bytes(compose(mail, "GD <noreply@example.org>")[0].as_bytes(),
                                      policy=email.policy.default)
    assert parsed.get_content_type() == "multipart/mixed"
    assert parsed.get_body(("plain",)).get_content().strip() == "Zie de uitnodiging."
    assert parsed.get_body(("html",)).get_content().strip() == "<p>Zie de uitnodiging.</p>"
    assert [p.get_filename() for p in parsed.iter_attachments()] == ["bezoek.ics"]

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

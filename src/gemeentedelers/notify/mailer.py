"""Sending one mail over SMTP (a relay in production, the local cloud's SMTP server locally)."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from gemeentedelers.platform import settings

SMTP_TIMEOUT_S = 20


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mime_type: str  # e.g. "text/calendar; method=REQUEST"


@dataclass(frozen=True)
class Mail:
    to: str
    subject: str
    text: str
    language: str = "nl"
    attachments: tuple[Attachment, ...] = ()


def compose(mail: Mail, sender: str) -> tuple[EmailMessage, str]:
    """The MIME message for ``mail`` and its Message-ID."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    message["Subject"] = mail.subject
    message_id = make_msgid(domain="gemeentedelers.nl")
    message["Message-ID"] = message_id
    message.set_content(mail.text)
    for attachment in mail.attachments:
        maintype, _, rest = attachment.mime_type.partition("/")
        subtype, _, params = rest.partition(";")
        extra = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype.strip(),
                               filename=attachment.filename, params=extra)
    message["Content-Language"] = mail.language  # after set_content, which drops Content-* headers
    return message, message_id


def send(mail: Mail) -> str:
    """Send ``mail``; returns its Message-ID. SMTP errors propagate so the event is retried."""
    config = settings.current()
    message, message_id = compose(mail, config.mail_from)
    with smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SMTP_TIMEOUT_S) as smtp:
        if config.smtp_starttls:
            smtp.starttls()
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password or "")
        smtp.send_message(message)
    return message_id

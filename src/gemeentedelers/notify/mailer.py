"""Sending mail over SMTP (a relay in production, the local cloud's SMTP server locally).

STARTTLS verifies the relay's certificate and host name (``ssl.create_default_context()``): an unverified
upgrade would hand the relay password to anyone in the path. A burst of mails (the announcement goes to
hundreds of people in one invocation) shares one connection through :class:`Connection`.

Every mail carries what mail programs and spam filters expect of a service's mail: ``Date``, a ``Message-ID`` on
the service's own domain, ``Reply-To`` a mailbox people read (the sender is no-reply), ``Auto-Submitted:
auto-generated`` (RFC 3834: no out-of-office answers), a plain-text part and an HTML part beside it, and on
reminders ``List-Unsubscribe`` with ``List-Unsubscribe-Post`` (RFC 8058 one-click).
"""

from __future__ import annotations

import smtplib
import ssl
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

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
    message_id: str | None = None  # fixed by the ledger per entry, so a mail sent twice is recognisably one
    html: str | None = None  # the same text as HTML (``notify.mail_html``), shown by most mail programs
    unsubscribe_url: str | None = None  # reminders only: where one click stops them (``notify.optouts``)


def compose(mail: Mail, sender: str, *, reply_to: str | None = None,
            domain: str = "gemeentedelers.nl") -> tuple[EmailMessage, str]:
    """The MIME message for ``mail`` and its Message-ID (on ``domain`` unless the ledger fixed one)."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = mail.to
    if reply_to:
        message["Reply-To"] = reply_to
    message["Subject"] = mail.subject
    message["Date"] = format_datetime(datetime.now(UTC))  # "+0000": UTC, known (RFC 5322 3.3)
    message_id = mail.message_id or make_msgid(domain=domain)
    message["Message-ID"] = message_id
    message["Auto-Submitted"] = "auto-generated"
    if mail.unsubscribe_url:
        message["List-Unsubscribe"] = f"<{mail.unsubscribe_url}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(mail.text)
    if mail.html:
        message.add_alternative(mail.html, subtype="html")
    for attachment in mail.attachments:
        maintype, _, rest = attachment.mime_type.partition("/")
        subtype, _, params = rest.partition(";")
        extra = dict(p.strip().split("=", 1) for p in params.split(";") if "=" in p)
        message.add_attachment(attachment.content, maintype=maintype, subtype=subtype.strip(),
                               filename=attachment.filename, params=extra)
    message["Content-Language"] = mail.language  # after set_content, which drops Content-* headers
    return message, message_id


def open_smtp() -> smtplib.SMTP:
    """A connection to the relay, upgraded with a verified STARTTLS and logged in where configured."""
    config = settings.current()
    smtp = smtplib.SMTP(config.smtp_host, config.smtp_port, timeout=SMTP_TIMEOUT_S)
    try:
        if config.smtp_starttls:
            smtp.starttls(context=ssl.create_default_context())
        if config.smtp_user:
            smtp.login(config.smtp_user, config.smtp_password or "")
    except BaseException:
        smtp.close()
        raise
    return smtp


class Connection:
    """One SMTP connection for a burst of mails, opened on the first and re-opened once if the relay hung up.

    Used as a context manager; not shared between threads (each handler opens its own)."""

    def __init__(self) -> None:
        self._smtp: smtplib.SMTP | None = None
        self._owner = threading.get_ident()

    def send(self, mail: Mail) -> str:
        if threading.get_ident() != self._owner:
            raise RuntimeError("an SMTP connection is used by the thread that opened it only")
        config = settings.current()
        message, message_id = compose(mail, config.mail_from, reply_to=config.mail_reply_to,
                                      domain=config.mail_domain)
        for attempt in (1, 2):
            if self._smtp is None:
                self._smtp = open_smtp()
            try:
                self._smtp.send_message(message)
                return message_id
            except smtplib.SMTPServerDisconnected:
                self._smtp = None  # the relay closed an idle connection: open a new one, once
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")

    def close(self) -> None:
        if self._smtp is not None:
            try:
                self._smtp.quit()
            except (smtplib.SMTPException, OSError):
                self._smtp.close()
            self._smtp = None

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def send(mail: Mail, connection: Connection | None = None) -> str:
    """Send ``mail`` (over ``connection`` when given); returns its Message-ID. SMTP errors propagate so the
    event is retried."""
    if connection is not None:
        return connection.send(mail)
    with Connection() as own:
        return own.send(mail)

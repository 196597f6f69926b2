"""The local cloud's SMTP server: a real SMTP server on loopback that keeps every mail in a Maildir.

A person reads the mail with ``gemeentedelers dev mail`` (or any Maildir reader); tests read the same folder.
To exercise retries it can answer the next N messages with a temporary failure (451), as a real relay
under load does: ``control.json`` in the Maildir holds ``{"tempfail": N}``.

Run as ``python -m gemeentedelers.devtools.localcloud.smtp --port N --maildir DIR``.
"""

from __future__ import annotations

import argparse
import email
import email.policy
import json
import mailbox
import signal
import threading
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from typing import Any

CONTROL_FILE = "control.json"


class MaildirHandler:
    """aiosmtpd handler: store each message, unless told to fail temporarily."""

    def __init__(self, maildir: Path):
        self.maildir = maildir
        for sub in ("tmp", "new", "cur"):  # Maildir(create=True) skips these when the root already exists
            (maildir / sub).mkdir(parents=True, exist_ok=True)
        self.box = mailbox.Maildir(maildir, create=False)
        self.lock = threading.Lock()

    def _take(self, counter: str) -> dict[str, Any] | None:
        """The control state if its ``counter`` is still above zero (counting this message off), else ``None``."""
        control = self.maildir / CONTROL_FILE
        with self.lock:
            try:
                state = json.loads(control.read_text())
            except (OSError, ValueError):
                return None
            if int(state.get(counter, 0)) <= 0:
                return None
            state[counter] = int(state[counter]) - 1
            control.write_text(json.dumps(state))
            return dict(state)

    def _take_tempfail(self) -> bool:
        return self._take("tempfail") is not None

    def _take_hold(self) -> float:
        """Seconds to hold the next message before answering (``{"hold_s": S, "hold": N}``: the next N)."""
        state = self._take("hold")
        return float(state.get("hold_s", 0)) if state else 0.0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        import asyncio

        hold = self._take_hold()
        if hold:
            await asyncio.sleep(hold)  # a slow relay: the sender may die before the answer (then it is stored)
        if self._take_tempfail():
            return "451 4.3.0 Temporary local failure, try again later"
        content = envelope.original_content or envelope.content
        if isinstance(content, str):
            content = content.encode("utf-8")
        header = f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n".encode()
        with self.lock:
            self.box.add(header + content)
        return "250 Message accepted for delivery"


def set_tempfail(maildir: Path, count: int) -> None:
    (maildir / CONTROL_FILE).write_text(json.dumps({"tempfail": count}))


def set_hold(maildir: Path, seconds: float, count: int = 1) -> None:
    """Hold the next ``count`` messages ``seconds`` before accepting them (a slow relay)."""
    (maildir / CONTROL_FILE).write_text(json.dumps({"hold_s": seconds, "hold": count}))


@dataclass(frozen=True)
class StoredMail:
    key: str
    to: str
    subject: str
    language: str
    text: str
    message_id: str = ""
    html: str = ""  # the text/html alternative, if the mail has one
    headers: tuple[tuple[str, str], ...] = ()  # every header as sent, in order

    def header(self, name: str) -> str:
        """The first header called ``name`` (any case), or ``""``."""
        return next((value for key, value in self.headers if key.lower() == name.lower()), "")


_parsed_lock = threading.Lock()
_parsed: dict[str, dict[str, tuple[int, StoredMail]]] = {}
"""Per maildir, every message parsed so far by key, with the file's mtime: a poll of a big mailbox (the demo at
1,000 entries holds thousands of mails) parses only what is new, and forgets what was removed."""


def _parse(key: str, raw: bytes) -> StoredMail:
    message = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(message, EmailMessage)
    body = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    return StoredMail(
        key=key,
        to=str(message["To"]),
        subject=str(message["Subject"]).strip(),
        language=str(message.get("Content-Language", "")),
        text=body.get_content() if body is not None else "",
        message_id=str(message.get("Message-ID", "")),
        html=html.get_content() if html is not None else "",
        headers=tuple((str(k), str(v)) for k, v in message.items()),
    )


def read_mailbox(maildir: Path) -> list[StoredMail]:
    """Every stored message, oldest first."""
    if not (maildir / "new").is_dir():
        return []
    box = mailbox.Maildir(maildir, create=False)
    with _parsed_lock:
        known = dict(_parsed.get(str(maildir), {}))
    kept: dict[str, tuple[int, StoredMail]] = {}
    found: list[tuple[float, StoredMail]] = []
    for key in box.iterkeys():
        try:
            path = maildir / box._lookup(key)  # type: ignore[attr-defined]
            stat = path.stat()
            cached = known.get(key)
            if cached is not None and cached[0] == stat.st_mtime_ns:
                mail = cached[1]
            else:
                mail = _parse(key, box.get_bytes(key))
        except (KeyError, OSError):
            continue  # moved by a reader meanwhile
        kept[key] = (stat.st_mtime_ns, mail)
        found.append((stat.st_mtime, mail))
    with _parsed_lock:
        _parsed[str(maildir)] = kept
    return [mail for _, mail in sorted(found, key=lambda pair: pair[0])]


def main() -> None:
    from aiosmtpd.controller import Controller

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--maildir", type=Path, required=True)
    args = parser.parse_args()
    controller = Controller(MaildirHandler(args.maildir), hostname="127.0.0.1", port=args.port)
    controller.start()
    print(f"SMTP on 127.0.0.1:{args.port}, mail kept in {args.maildir}", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()

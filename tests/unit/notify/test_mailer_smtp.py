"""Mail over a real SMTP server on loopback: STARTTLS verifies the relay, and a burst shares one connection."""

from __future__ import annotations

import smtplib
import socket
import ssl
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP as SMTPServer

from gemeentedelers.devtools.localcloud.processes import free_port
from gemeentedelers.notify import mailer
from gemeentedelers.notify.mailer import Connection, Mail
from gemeentedelers.platform import settings


class Counting:
    """An aiosmtpd handler that keeps every message and counts the connections (one EHLO each)."""

    def __init__(self) -> None:
        self.messages: list[bytes] = []
        self.connections = 0

    async def handle_EHLO(self, server: SMTPServer, session: object, envelope: object, hostname: str,
                          responses: list[str]) -> list[str]:
        self.connections += 1
        session.host_name = hostname  # type: ignore[attr-defined]
        return responses

    async def handle_DATA(self, server: SMTPServer, session: object, envelope: object) -> str:
        self.messages.append(envelope.content)  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def use_smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[callable]:
    def point_at(port: int, starttls: bool = False) -> None:
        monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "demo-mailer-test")
        monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")
        monkeypatch.setenv("PUBSUB_EMULATOR_HOST", "127.0.0.1:1")
        monkeypatch.setenv("GD_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("GD_SMTP_PORT", str(port))
        monkeypatch.setenv("GD_SMTP_STARTTLS", "1" if starttls else "")
        settings.reset_cache()

    yield point_at
    settings.reset_cache()


def start(handler: Counting, **options: object) -> tuple[Controller, int]:
    port = free_port()
    server = Controller(handler, hostname="127.0.0.1", port=port, **options)
    server.start()
    return server, port


def mail(n: int) -> Mail:
    return Mail(f"person{n}@example.org", f"Onderwerp {n}", "Tekst", "nl")


def test_a_burst_shares_one_connection(use_smtp: callable) -> None:
    handler = Counting()
    server, port = start(handler)
    try:
        use_smtp(port)
        with Connection() as connection:
            ids = [connection.send(mail(n)) for n in range(5)]
        assert len(set(ids)) == 5 and len(handler.messages) == 5
        assert handler.connections == 1
        mailer.send(mail(6))  # without a connection: one of its own
        assert handler.connections == 2 and len(handler.messages) == 6
    finally:
        server.stop()


def test_a_connection_the_relay_closed_is_opened_again(use_smtp: callable) -> None:
    handler = Counting()
    server, port = start(handler)
    try:
        use_smtp(port)
        with Connection() as connection:
            connection.send(mail(1))
            connection._smtp.sock.shutdown(socket.SHUT_RDWR)  # the relay hung up on an idle connection
            connection.send(mail(2))
        assert len(handler.messages) == 2 and handler.connections == 2
    finally:
        server.stop()


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return key, cert


def test_starttls_refuses_a_relay_whose_certificate_is_not_trusted(use_smtp: callable,
                                                                    self_signed: tuple[Path, Path]) -> None:
    key, cert = self_signed
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    handler = Counting()
    server, port = start(handler, tls_context=context, require_starttls=True)
    try:
        use_smtp(port, starttls=True)
        with pytest.raises(ssl.SSLCertVerificationError):
            mailer.send(mail(1))
        assert handler.messages == []
        # the same relay, trusted: the mail goes out over the upgraded connection
        trusted = ssl.create_default_context(cafile=str(cert))
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
            smtp.starttls(context=trusted)
            smtp.send_message(mailer.compose(mail(2), "GD <noreply@example.org>")[0])
        assert len(handler.messages) == 1
    finally:
        server.stop()

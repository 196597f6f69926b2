"""``gemeentedelers dev`` for newcomers: a demo's Maildir read with --maildir, event functions probed as what they
are (a CloudEvent function refuses GET with 405), the console's sign-in address printed."""

from __future__ import annotations

import mailbox
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from click.testing import CliRunner

from gemeentedelers.cli import main
from gemeentedelers.cli.dev import print_state, probe


def test_dev_mail_reads_the_maildir_it_is_given(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "mail", create=True)
    message = EmailMessage()
    message["To"], message["Subject"] = "noor@example.org", "Bevestiging"
    message.set_content("Beste Noor,")
    message["Content-Language"] = "nl"  # after set_content, which drops Content-* headers
    box.add(message)
    shown = CliRunner().invoke(main, ["dev", "mail", "--maildir", str(tmp_path / "mail"), "--full"])
    assert shown.exit_code == 0, shown.output
    assert "1 mails in" in shown.output and "to noor@example.org [nl]: Bevestiging" in shown.output
    assert "Beste Noor," in shown.output
    wrong = CliRunner().invoke(main, ["dev", "mail", "--maildir", str(tmp_path)])
    assert wrong.exit_code == 1 and "is not a Maildir" in wrong.output


def _get(answers: dict[str, int | Exception]) -> Any:
    def get(url: str, timeout: float) -> SimpleNamespace:
        answer = answers[url]
        if isinstance(answer, Exception):
            raise answer
        return SimpleNamespace(status_code=answer)

    return get


def test_status_probes_event_functions_as_cloudevent_functions() -> None:
    get = _get({"http://e": 405, "http://h/healthz": 200, "http://dead": ConnectionRefusedError(),
                "http://wrong": 200})
    assert probe("notify-events", "http://e", get) and probe("notify-http", "http://h", get)
    assert not probe("jury-events", "http://dead", get)
    assert not probe("jury-events", "http://wrong", get)  # a 200 to GET is not a CloudEvent function


def test_up_prints_where_an_organiser_signs_in() -> None:
    state = {"project": "demo-x", "started_in_s": 1, "firestore_emulator_host": "h:1", "pubsub_emulator_host": "h:2",
             "smtp": {"port": 25, "maildir": "/m"}, "functions": {"scoring-http": "http://127.0.0.1:9"},
             "webhooks": {}}
    runner = CliRunner()
    with runner.isolation() as (out, _, _):
        print_state(state)
        printed = out.getvalue().decode()
    assert "http://127.0.0.1:9/organiser/login" in printed and "organisers add" in printed

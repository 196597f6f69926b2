"""Mail that arrives and can be answered, on the real local cloud: every mail has Date, Message-ID on the settings'
domain, Reply-To, Auto-Submitted and an HTML part; reminders carry List-Unsubscribe (one-click, RFC 8058) to
notify's /unsubscribe, which records the opt-out, and later reminders skip that person; assignments do not."""

from __future__ import annotations

import cloudtest
import pytest
import requests
from click.testing import CliRunner
from cloudtest import Intake, wait_for

from gemeentedelers.cli import main
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import StoredMail, read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.notify import optouts
from gemeentedelers.platform import audit, layout, settings
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers, waves

pytestmark = pytest.mark.integration
EDITION = "gd2024"


def _reminders(fresh: LocalCloud) -> list[StoredMail]:
    return [m for m in read_mailbox(fresh.maildir) if m.subject.startswith("Herinnering: ")]


def test_reminders_can_be_stopped_with_one_click_and_other_mail_still_comes(intake: Intake,
                                                                            fresh: LocalCloud) -> None:
    runner = CliRunner(env={"GD_ORGANISER": None})
    cloudtest.add_organiser("lea@vng.test", "Lea Leider", "round-lead")
    for n, fields in enumerate(registrations(6, seed=5)):
        answer = intake.post("generic", {**fields, "co_applicants": [], "contact_email": f"team{n}@example.org",
                                         "language": "nl"})
        assert answer.status_code == 201, answer.text
    wait_for(lambda: len(list(layout.round1_entries(db(), EDITION).stream())) == 6, what="round-1 entries")
    rows = ["name,email,organisation,capacity"] + [f"Scoorder {n},s{n}@example.org,Org {n},6" for n in range(3)]
    scorers.import_csv(db(), EDITION, "\n".join(rows))
    waves.first_wave(db(), get_edition(EDITION))
    by_email = {d.to_dict()["email"]: d.id for d in layout.scorers(db(), EDITION).stream()}
    assigned = wait_for(lambda: (found := [m for m in read_mailbox(fresh.maildir) if m.to in by_email])
                        and len(found) == 3 and found, what="the assignment mails")

    # every mail: the headers mail programs and spam filters expect, and an HTML part saying the same
    config = settings.current()
    for mail in read_mailbox(fresh.maildir):
        assert mail.header("Date") and mail.message_id.endswith(f"@{config.mail_domain}>"), mail.subject
        assert mail.header("Reply-To") == config.mail_reply_to and mail.header("Auto-Submitted") == "auto-generated"
        assert mail.html.startswith("<!doctype html>") and f'lang="{mail.language}"' in mail.html
    assert not any(m.header("List-Unsubscribe") for m in assigned)  # an assignment cannot be unsubscribed from

    # scorer 0 stops reminders with the one click a mail program makes (RFC 8058)
    stopped = by_email["s0@example.org"]
    address = optouts.url(EDITION, "scorer", stopped)
    answer = requests.post(address, data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert answer.status_code == 200 and "geen herinneringen meer" in answer.text
    record = layout.reminder_optout(db(), EDITION, "scorer", stopped).get().to_dict()
    assert record["how"] == "one-click" and record["person_id"] == stopped
    assert requests.post(address, data={"List-Unsubscribe": "One-Click"}, timeout=30).status_code == 200  # again
    entries = [e for e in audit.entries(db()) if e["action"] == "reminders.opted_out"]
    assert [e["actor"] for e in entries] == [audit.person("scorer", stopped)]  # recorded and audited once
    forged = requests.post(address.replace("token=", "token=x"), data={"List-Unsubscribe": "One-Click"}, timeout=30)
    assert forged.status_code == 400 and "<title>" in forged.text

    # the reminder goes to the others, with its own unsubscribe address; scorer 0 gets none
    behind = {s for s, _ in waves.read_round(db(), EDITION).outstanding()}
    assert stopped in behind
    done = runner.invoke(main, ["round1", "remind", "--as", "lea@vng.test"])
    assert done.exit_code == 0, done.output
    reminded = wait_for(lambda: len(_reminders(fresh)) == len(behind) - 1 and _reminders(fresh),
                        what="the reminders of everyone but scorer 0")
    assert "s0@example.org" not in {m.to for m in reminded}
    mail = reminded[0]
    assert mail.header("List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    link = mail.header("List-Unsubscribe").strip("<>")
    assert link.startswith(fresh.url("notify-http") + "/unsubscribe?token=")

    # opening the address only asks (a link scanner unsubscribes nobody); the page's button records it
    person = by_email[mail.to]
    page = requests.get(link, timeout=30)
    assert page.status_code == 200 and "Stuur mij geen herinneringen meer" in page.text
    assert not optouts.opted_out(db(), EDITION, "scorer", person)
    assert requests.post(link, data={}, timeout=30).status_code == 200
    assert layout.reminder_optout(db(), EDITION, "scorer", person).get().to_dict()["how"] == "page"

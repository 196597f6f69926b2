"""Mail through the real SMTP server: one confirmation per registration, in the entrant's language, sent
once however often Pub/Sub or the form tool delivers, and retried after a temporary SMTP failure."""

from __future__ import annotations

import base64
import json
import re
import time
from collections.abc import Callable
from datetime import timedelta

import requests
from cloudtest import Intake, wait_for
from test_intake_webhooks import REGISTRATION

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import StoredMail, set_tempfail
from gemeentedelers.platform import bus, layout
from gemeentedelers.platform.firestore import db

Mailbox = Callable[[], list[StoredMail]]


def test_the_contact_gets_a_dutch_confirmation_by_default(intake: Intake, mailbox: Mailbox) -> None:
    sid = intake.post("typeform", REGISTRATION).json()["submission_id"]
    [mail] = wait_for(mailbox, what="the confirmation mail")
    assert mail.to == REGISTRATION["contact_email"]
    assert mail.language == "nl"
    assert mail.subject == "Bevestiging van uw aanmelding voor GemeenteDelers 2024: Samen sterk in de wijk"
    assert "Beste Erwin van der Maesen" in mail.text
    assert sid in mail.text
    assert "samen met Groningen" in mail.text
    assert "1 december 2023" in mail.text and "9 januari 2024" in mail.text
    privacy = re.search(r"privacyverklaring: (\S+)", mail.text)
    assert privacy is not None
    page = requests.get(privacy.group(1), timeout=30)
    assert page.status_code == 200 and "<h1>Privacyverklaring</h1>" in page.text
    assert "12 maanden na de prijsuitreiking" in page.text and "Autoriteit Persoonsgegevens" in page.text


def test_english_when_the_form_says_so(intake: Intake, mailbox: Mailbox) -> None:
    intake.post("tally", {**REGISTRATION, "language": "English"})
    [mail] = wait_for(mailbox, what="the confirmation mail")
    assert mail.language == "en"
    assert mail.subject.startswith("Your registration for GemeenteDelers 2024 is confirmed")
    assert "Dear Erwin van der Maesen" in mail.text and "9 January 2024" in mail.text


def test_duplicate_deliveries_send_one_mail(intake: Intake, mailbox: Mailbox) -> None:
    request = intake.request("generic", REGISTRATION)
    for _ in range(3):
        assert intake.send(request).status_code in (200, 201)
    wait_for(mailbox, what="the confirmation mail")
    time.sleep(2.0)  # any second mail would have arrived by now (push delay is ~100 ms)
    assert len(mailbox()) == 1


def test_a_failing_handler_is_redelivered_and_mails_once(intake: Intake, mailbox: Mailbox, fresh: LocalCloud) -> None:
    """The SMTP relay refuses twice (451); Pub/Sub redelivers; the mail goes out exactly once."""
    set_tempfail(fresh.maildir, 2)
    sid = intake.post("typeform", REGISTRATION).json()["submission_id"]
    wait_for(mailbox, timeout_s=30, what="the mail after redelivery")
    time.sleep(2.0)
    assert len(mailbox()) == 1
    [ledger] = [doc.to_dict() for doc in layout.mails(db(), "gd2024").stream()]
    assert ledger["status"] == "sent" and ledger["submission_id"] == sid
    assert ledger["attempts"] >= 3, ledger
    assert "451" in ledger.get("last_error", "")


def test_a_republished_event_does_not_mail_again(intake: Intake, mailbox: Mailbox) -> None:
    """Intake re-publishes under the same event id when a form tool retries; notify keys on that id."""
    sid = intake.post("typeform", REGISTRATION).json()["submission_id"]
    wait_for(mailbox, what="the first mail")
    record = layout.submissions(db(), "gd2024").document(sid).get().to_dict()
    from gemeentedelers.entries import submissions

    bus.publish("submission.received", submissions.received_event_id(sid), "gd2024",
                submissions.received_event_body(record))
    time.sleep(2.0)
    assert len(mailbox()) == 1


def test_a_poison_message_is_kept_and_not_redelivered_forever(fresh: LocalCloud) -> None:
    """A message no retry can fix is stored in poison_messages and acked."""
    notify = fresh.url("notify-events")
    topic = f"projects/{fresh.project}/topics/gd-submission-received"
    push = {
        "message": {"data": base64.b64encode(b"not json; from jan@example.org, 06-12345678").decode(),
                    "attributes": {"event_type": "submission.received", "note": "mail jan@example.org"},
                    "messageId": "poison-1", "publishTime": "2024-01-01T00:00:00Z"},
        "subscription": f"projects/{fresh.project}/subscriptions/notify--gd-submission-received",
    }
    answer = requests.post(f"{notify}/{topic}?push_token={fresh.state['push_token']}", data=json.dumps(push),
                           headers={"Content-Type": "application/json"}, timeout=10)
    assert answer.status_code in (200, 204), answer.text
    kept = db().collection("poison_messages").document("notify:poison-1").get().to_dict()
    assert kept is not None and "not base64 JSON" in kept["reason"]
    assert "jan@example.org" not in json.dumps(kept, default=str) and "12345678" not in json.dumps(kept, default=str)
    assert kept["message"]["data_text"].startswith("not json; from [e-mail]") and "data" not in kept["message"]
    assert kept["expires_at"] - kept["received_at"] == timedelta(days=30)  # and the retention job deletes it then


def test_every_http_function_serves_the_privacy_statement(fresh: LocalCloud) -> None:
    for function in ("intake-http", "scoring-http", "assessment-http", "jury-http", "notify-http"):
        page = requests.get(fresh.url(function) + "/privacy?lang=en", timeout=30)
        assert page.status_code == 200 and "<h1>Privacy statement</h1>" in page.text, function
        assert "12 months after the award ceremony" in page.text and "privacy@vng.nl" in page.text
        assert "at most 7 days after the erasure" in page.text  # the backups

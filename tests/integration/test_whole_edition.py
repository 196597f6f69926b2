"""A whole small edition on the real local cloud, from registration to the winners: the same play as
`make demo`, checked from the outside (a sponsor's own subscription, every entrant's mailbox)."""

from __future__ import annotations

import base64
import json
import re
from collections import Counter

import requests

from gemeentedelers.devtools.demo import play_on
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.platform import layout
from gemeentedelers.platform.events import WinnersAnnounced
from gemeentedelers.platform.firestore import db

ENTRIES = 26


def test_a_whole_edition_from_registration_to_winners(fresh: LocalCloud) -> None:
    host, project = fresh.state["pubsub_emulator_host"], fresh.project
    sponsor_subscription = f"http://{host}/v1/projects/{project}/subscriptions/sponsor-on-gcp"
    requests.put(sponsor_subscription, json={"topic": f"projects/{project}/topics/gd-winners-announced"},
                 timeout=10).raise_for_status()

    summary = play_on(fresh, ENTRIES, seed=7, echo=lambda *_: None)
    assert summary["ok"], summary
    assert summary["round1"]["advancing"] == 20 and summary["round2"]["finalists"] == 6
    assert len(summary["round3"]["winners"]) == 2 and summary["round3"]["sponsor_deliveries"] == 1

    # a sponsor on Google Cloud, with its own subscription to the public topic, gets the winners once
    pulled = requests.post(f"{sponsor_subscription}:pull", json={"maxMessages": 10, "returnImmediately": True},
                           timeout=10).json().get("receivedMessages", [])
    assert len(pulled) == 1
    message = pulled[0]["message"]
    body = json.loads(base64.b64decode(message["data"]))
    WinnersAnnounced().load(body)
    assert message["attributes"]["event_type"] == "winners.announced"
    assert "@" not in json.dumps(body)  # public: no contact details

    # every entrant got feedback after every round they took part in, exactly once per round
    contacts = {d.id: d.to_dict()["contact"]["email"] for d in layout.submissions(db(), "gd2024").stream()}
    round2 = {d.id for d in layout.roster(db(), "gd2024", 2).stream()}
    per_round: Counter[tuple[str, int]] = Counter()
    feedback = re.compile(r", (?:ronde|round) (\d): (?:uw casus gaat door|de beoordeling van uw casus|"
                          r"uw casus heeft gewonnen|de uitslag voor uw casus|your case goes on|"
                          r"the assessment of your case|your case has won|the result for your case) \(")
    for mail in read_mailbox(fresh.maildir):
        found = feedback.search(mail.subject)
        if found:
            per_round[mail.to, int(found.group(1))] += 1
    for sid, email in contacts.items():
        assert per_round[email, 1] == 1, email
        assert per_round[email, 2] == (1 if sid in round2 else 0), email
        assert per_round[email, 3] == 1, email

    # the audit trail lists every decisive action, each with a named person or a system as its actor
    from click.testing import CliRunner

    from gemeentedelers.cli import main

    listed = CliRunner().invoke(main, ["audit", "--json"])
    assert listed.exit_code == 0, listed.output
    entries = json.loads(listed.output)
    actors = {e["action"]: e["actor"] for e in entries}
    assert actors["round1.closed"] == actors["round2.finalists_confirmed"] == "organiser:marieke.jansen@vng.example.org"
    assert re.fullmatch(r"juror:[0-9a-f]{10}", actors["round3.confirmed"])
    assert actors["winners.announced"] == "system:jury"  # the scheduler's tick announced them
    assert all(re.fullmatch(r"(organiser|scorer|assessor|juror|team|system):\S+", e["actor"]) for e in entries)
    assert sum(1 for e in entries if e["action"] == "score.submitted") == summary["round1"]["ratings"]

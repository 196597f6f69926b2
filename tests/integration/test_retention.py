"""Retention on the real local cloud: on the tick after an edition's retention period, its personal data goes
(contacts, people, visits, mails), an entry whose team consented to publication keeps its text, and a poison
message past 30 days is deleted; before that moment nothing changes, and a second tick changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cloudtest import Intake, wait_for

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.editions.active import read_active, set_clock
from gemeentedelers.people import retention
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.platform.tick import publish_tick
from gemeentedelers.scoring import scorers


def test_personal_data_goes_on_the_tick_after_the_retention_period(intake: Intake, fresh: LocalCloud) -> None:
    kept, plain = registrations(2, seed=9)
    assert intake.post("generic", {**kept, "consent_publication": True}).status_code == 201
    assert intake.post("generic", plain).status_code == 201
    wait_for(lambda: [d for d in layout.mails(db(), "gd2024").stream() if d.to_dict()["status"] == "sent"][1:],
             what="both confirmation mails sent")
    scorers.import_csv(db(), "gd2024", "name,email,organisation\nRia Retentie,ria@example.org,Gemeente Ede\n")
    old = datetime.now(UTC) - timedelta(days=31)
    db().collection("poison_messages").document("notify:old").set({"service": "notify", "received_at": old})
    db().collection("poison_messages").document("notify:new").set({"service": "notify",
                                                                   "received_at": datetime.now(UTC)})

    ceremony = get_edition("gd2024").timeline.award_ceremony
    done = retention.apply(db(), ceremony + timedelta(days=364))  # not yet: only the old poison message goes
    assert done.pop("poison_messages") == 1 and "gd2024" not in done
    assert set(done) <= {"gd2022"}  # the 2022 edition (published, holding no data) is past its period already
    assert all(d.to_dict()["contact"]["email"] for d in layout.submissions(db(), "gd2024").stream())

    set_clock(db(), ceremony + timedelta(days=366))
    assert read_active(db()).clock.now() > ceremony + retention.EDITION_DATA
    publish_tick()
    marker = wait_for(lambda: layout.retention_marker(db(), "gd2024").get().to_dict(), what="retention applied")
    assert marker["rules_version"] == retention.RULES_VERSION and marker["removed"]["submissions"] == 2
    stored = {d.to_dict()["title"]: d.to_dict() for d in layout.submissions(db(), "gd2024").stream()}
    for record in stored.values():
        assert record["contact"]["email"] is None and record["contact"]["name"].startswith("erased-")
    assert stored[kept["title"]]["description"] == kept["description"]  # consent for publication: text stays
    assert stored[plain["title"]]["description"] is None
    [scorer] = [d.to_dict() for d in layout.scorers(db(), "gd2024").stream()]
    assert scorer["email"] is None and scorer["organisation"] is None and "Ria" not in scorer["name"]
    assert list(layout.mails(db(), "gd2024").stream()) == []  # the confirmations' ledger entries
    assert {d.id for d in db().collection("poison_messages").stream()} == {"notify:new"}

    assert retention.apply(db(), ceremony + timedelta(days=400)) == {}  # done once: a later tick changes nothing

"""The VNG Databank on the real local cloud: after the announcement the tick publishes an edition's consenting
entries (JSON valid against docs/databank.schema.json, CSV, a page per entry), with no personal data, and links a
municipality's entries across editions."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cloudtest
import jsonschema
import requests
from click.testing import CliRunner
from cloudtest import Intake, add_organiser, decide_round, wait_for

from gemeentedelers.cli import main
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.platform.tick import publish_tick

SCHEMA = json.loads((Path(__file__).parents[2] / "docs" / "databank.schema.json").read_text())


def register(intake: Intake, edition: str, rows: list[dict[str, object]]) -> list[str]:
    ids = []
    for n, (fields, extra) in enumerate(zip(registrations(len(rows), seed=3 + len(edition)), rows, strict=True)):
        answer = intake.post("generic", {**fields, "co_applicants": [], "contact_name": f"Contact Persoon {n}",
                                         "contact_email": f"contact{n}.{edition}@example.org",
                                         "contact_phone": "06-12345678", **extra})
        assert answer.status_code == 201, answer.text
        assert answer.json()["edition"] == edition
        ids.append(answer.json()["submission_id"])
    return ids


def announce(edition: str, winner: str, prize: str) -> None:
    """The jury's announced result, as round 3 stores it (the jury's own tests cover how it gets there)."""
    layout.winners(db(), edition).document("result").set(
        {"status": "announced", "confirmed": True, "decision_id": "r3-test", "announced_at": datetime.now(UTC),
         "winners": [{"submission_id": winner, "category": "direct", "prize": prize}], "finalists": []})


def published(fresh: LocalCloud, edition: str) -> dict[str, object]:
    publish_tick()
    answer = wait_for(lambda: (got := requests.get(fresh.url("intake-http") + f"/databank/{edition}.json",
                                                   timeout=30)).status_code == 200 and got,
                      what=f"the databank feed of {edition}")
    return answer.json()


def test_the_feed_lists_only_consenting_entries_and_no_personal_data(intake: Intake, fresh: LocalCloud) -> None:
    base = fresh.url("intake-http")
    old = get_edition("gd2022")
    fresh.activate("gd2022", old.timeline.registration_opens + timedelta(days=3))
    (earlier,) = register(intake, "gd2022", [{"municipality": "Gemeente Súdwest-Fryslân", "category": "Direct",
                                              "consent_publication": True}])
    decide_round("gd2022", 1, [earlier])
    decide_round("gd2022", 2, [earlier])
    wait_for(lambda: layout.roster(db(), "gd2022", 3).document(earlier).get().exists, what="gd2022's finalist")
    assert requests.get(base + "/databank/gd2022.json", timeout=30).status_code == 404  # not announced: nothing
    fresh.activate("gd2022", old.timeline.winners_announced + timedelta(days=1))
    announce("gd2022", "sub-nobody", "GemeenteDelers 2022")
    first = published(fresh, "gd2022")
    assert [e["reached"] for e in first["entries"]] == ["final"]

    edition = get_edition("gd2024")
    fresh.activate("gd2024", edition.timeline.registration_opens + timedelta(days=3))
    ids = register(intake, "gd2024", [
        {"municipality": "Súdwest-Fryslân", "category": "Direct", "consent_publication": True,
         "description": "Wij delen onze aanpak met iedereen. Vragen? Mail info@sudwestfryslan.example.nl of bel "
                        "0515-489000. " * 2},
        {"municipality": "Utrecht", "category": "Indirect", "consent_publication": True},
        {"municipality": "Almere", "category": "Direct", "consent_publication": False},
        {"municipality": "Zwolle", "category": "Indirect"},
    ])
    consenting, refusing = ids[:2], ids[2:]
    decide_round("gd2024", 1, ids[:3], ids[3:])
    decide_round("gd2024", 2, ids[:1], ids[1:3])
    wait_for(lambda: layout.roster(db(), "gd2024", 3).document(ids[0]).get().exists, what="the finalist")
    fresh.activate("gd2024", edition.timeline.winners_announced + timedelta(hours=1))
    announce("gd2024", ids[0], "GemeenteDelers 2024, categorie Direct")
    feed = published(fresh, "gd2024")

    jsonschema.validate(feed, SCHEMA)  # the committed schema
    assert sorted(e["id"] for e in feed["entries"]) == sorted(f"gd2024-{sid}" for sid in consenting)
    by_id = {e["id"].removeprefix("gd2024-"): e for e in feed["entries"]}
    assert by_id[ids[0]]["reached"] == "winner" and by_id[ids[0]]["prize"] == "GemeenteDelers 2024, categorie Direct"
    assert by_id[ids[1]]["reached"] == "round2" and by_id[ids[1]]["prize"] is None
    assert by_id[ids[0]]["municipality_codes"] == ["GM1900"] and by_id[ids[0]]["category_label"]["nl"]
    # the same municipality across editions: the 2022 finalist is linked, whatever the name's form
    assert [(o["edition"], o["reached"]) for o in by_id[ids[0]]["same_municipality"]] == [("gd2022", "final")]
    assert by_id[ids[1]]["same_municipality"] == []

    text = json.dumps(feed, ensure_ascii=False)
    csv_text = requests.get(base + "/databank/gd2024.csv", timeout=30).text
    for found in (text, csv_text):  # no personal data: no contact person, address or phone, in JSON or CSV
        assert "Contact Persoon" not in found and "@" not in found and "06-12345678" not in found
        assert "0515-489000" not in found and "[e-mailadres verwijderd]" in found
        assert all(sid not in found for sid in refusing)
    rows = list(csv.DictReader(io.StringIO(csv_text)))
    assert sorted(r["id"] for r in rows) == sorted(e["id"] for e in feed["entries"])

    page = requests.get(base + f"/databank/gd2024/{ids[0]}", timeout=30)
    assert page.status_code == 200 and "<h1>" in page.text and 'data-reached="winner"' in page.text
    assert "Meer van Súdwest-Fryslân" in page.text and f"/databank/gd2022/{earlier}" in page.text
    assert "finalist 2022" in page.text and "Contact Persoon" not in page.text
    assert "@" not in cloudtest.main_of(page.text)  # the footer's contact is the organisation's, not a person's
    english = requests.get(base + f"/databank/gd2022/{earlier}?lang=en", timeout=30).text
    assert "More from" in english and "winner 2024" in english  # and back: linked both ways
    assert requests.get(base + f"/databank/gd2024/{refusing[0]}", timeout=30).status_code == 404
    assert requests.get(base + "/databank/nope.json", timeout=30).status_code == 404
    publish_tick()  # published once: a later tick changes nothing
    assert requests.get(base + "/databank/gd2024.json", timeout=30).json() == feed


def test_an_entry_leaves_the_databank_at_once_when_consent_is_withdrawn_or_its_contact_erased(
        intake: Intake, fresh: LocalCloud) -> None:
    base = fresh.url("intake-http")
    edition = get_edition("gd2024")
    fresh.activate("gd2024", edition.timeline.registration_opens + timedelta(days=3))
    ids = register(intake, "gd2024", [{"municipality": m, "category": "Direct", "consent_publication": True}
                                      for m in ("Utrecht", "Zwolle", "Almere")])
    withdrawing, erased, staying = ids
    decide_round("gd2024", 1, ids[:1], ids[1:])
    fresh.activate("gd2024", edition.timeline.winners_announced + timedelta(hours=1))
    announce("gd2024", staying, "GemeenteDelers 2024, categorie Direct")
    assert len(published(fresh, "gd2024")["entries"]) == 3
    assert requests.get(base + f"/databank/gd2024/{withdrawing}", timeout=30).status_code == 200

    add_organiser("anna@vng.test", "Anna de Vries", "coordinator")
    result = CliRunner().invoke(main, ["privacy", "withdraw-publication", "--entry", withdrawing, "--as",
                                       "anna@vng.test"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert "consent to publication withdrawn" in result.output
    feed = requests.get(base + "/databank/gd2024.json", timeout=30).json()  # at once: no tick, no wait
    jsonschema.validate(feed, SCHEMA)
    assert sorted(e["id"] for e in feed["entries"]) == sorted(f"gd2024-{sid}" for sid in (erased, staying))
    assert withdrawing not in requests.get(base + "/databank/gd2024.csv", timeout=30).text
    gone = requests.get(base + f"/databank/gd2024/{withdrawing}", timeout=30)
    assert gone.status_code == 410 and "Deze inzending is uit de databank gehaald." in gone.text
    assert 'lang="nl"' in gone.text and "Utrecht" not in gone.text
    english = requests.get(base + f"/databank/gd2024/{withdrawing}?lang=en", timeout=30)
    assert english.status_code == 410 and "This entry was taken out of the databank." in english.text
    record = layout.submissions(db(), "gd2024").document(withdrawing).get().to_dict()
    assert record["publication_consent"] is False
    assert record["consents"]["publication"]["withdrawn_by"] == "organiser:anna@vng.test"
    again = CliRunner().invoke(main, ["privacy", "withdraw-publication", "--entry", withdrawing, "--as",
                                      "anna@vng.test"], catch_exceptions=False)
    assert again.exit_code == 0 and "had no consent to publication" in again.output
    unknown = CliRunner().invoke(main, ["privacy", "withdraw-publication", "--entry", "sub-nothere", "--as",
                                        "anna@vng.test"])
    assert unknown.exit_code == 1 and "does not exist in edition gd2024" in unknown.output

    # an erased contact person: their entry goes too (its row stays, pseudonymised, for round 1's decision)
    erasing = CliRunner().invoke(main, ["privacy", "erase", "--email", "contact1.gd2024@example.org", "--yes"],
                                 catch_exceptions=False)
    assert erasing.exit_code == 0, erasing.output
    feed = requests.get(base + "/databank/gd2024.json", timeout=30).json()
    assert [e["id"] for e in feed["entries"]] == [f"gd2024-{staying}"]
    assert requests.get(base + f"/databank/gd2024/{erased}", timeout=30).status_code == 410
    assert requests.get(base + f"/databank/gd2024/{staying}", timeout=30).status_code == 200
    assert layout.submissions(db(), "gd2024").document(erased).get().to_dict()["publication_consent"] is False
    reasons = sorted(e["after"]["reason"] for e in audit.entries(db(), edition="gd2024")
                     if e["action"] == "databank.unpublished")
    assert reasons == ["consent_withdrawn", "erased"]
    publish_tick()  # a later tick publishes nothing again
    assert [e["id"] for e in requests.get(base + "/databank/gd2024.json", timeout=30).json()["entries"]] == [
        f"gd2024-{staying}"]

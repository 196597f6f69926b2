"""Round 1's and round 2's results on the real local cloud: held until the edition's announcement moment, released by
notify's due job on the tick, or earlier by an organiser (the console's results page, ``gemeentedelers results``)."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import cloudtest
import requests
from click.testing import CliRunner
from cloudtest import Intake, decide_round, wait_for

from gemeentedelers.assessment.assessors import team_link
from gemeentedelers.cli import main
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.entries import composer, feedback, release
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.platform.tick import publish_tick
from gemeentedelers.scoring import scorers, sheets, verdict, waves

EDITION = "gd2024"
ENTRIES = 8


def register(intake: Intake, count: int = ENTRIES) -> list[str]:
    ids = []
    for fields in registrations(count, seed=5):
        answer = intake.post("generic", fields)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    wait_for(lambda: len(list(layout.round1_entries(db(), EDITION).stream())) == count, what="round-1 entries")
    return ids


def score_everything() -> None:
    rng = random.Random(2)
    edition = get_edition(EDITION)
    for scorer_id, sid in waves.read_round(db(), EDITION).outstanding():
        values = {c.key: rng.randint(4, 9) for c in edition.criteria(1)}
        sheets.save(db(), edition, scorer_id, sid, {**values, "tops": "Heldere aanpak", "tips": "Meet de effecten"},
                    submit=True)


def feedback_mails(cloud: LocalCloud, round_: int) -> list[object]:
    return [m for m in read_mailbox(cloud.maildir)
            if f"ronde {round_}:" in m.subject or f"round {round_}:" in m.subject]


def team_mails(cloud: LocalCloud) -> list[object]:
    return [m for m in read_mailbox(cloud.maildir) if "/team/login?token=" in m.text
            and not m.subject.startswith(("Bevestiging", "Your registration"))]  # the confirmations carry it too


def test_round1_results_are_held_until_the_announcement_moment(intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition(EDITION)
    ids = register(intake)
    rows = ["name,email,organisation,background,capacity,language"]
    rows += [f"Scoorder {n},scorer{n}@example.org,Organisatie {n},Dienstverlening,10,nl" for n in range(6)]
    scorers.import_csv(db(), EDITION, "\n".join(rows))
    waves.first_wave(db(), edition)
    score_everything()
    # the competition clock stands mid-registration: the round is decided weeks before 9 January
    decision = verdict.close(db(), edition, by=audit.organiser("anna@vng.test"))
    advancing = decision["advancing"]
    assert advancing

    # assessment took the decision (round 2's roster), but nothing reveals it to the entrants yet
    wait_for(lambda: len(list(layout.roster(db(), EDITION, 2).stream())) == len(advancing), what="round-2 roster")
    assert release.status(db(), edition, 1).state == "held"
    assert all(feedback.due(db(), EDITION, 1, sid) is None for sid in ids)
    assert layout.feedback(db(), EDITION, 1, ids[0]).get().exists  # stored, only held
    # the entrant's own page opens, but tells nothing of the outcome while the results are held
    held = requests.Session()
    assert held.get(team_link(EDITION, advancing[0], 1), allow_redirects=False, timeout=30).status_code == 303
    page = held.get(team_link(EDITION, advancing[0], 1).split("/team/login")[0] + "/team", timeout=30).text
    assert 'data-round="1" data-state="running"' in page and 'data-state="advanced"' not in page
    assert 'data-round="2" data-state="later"' in page and 'id="evidence"' not in page
    approved = composer.approve_all(db(), EDITION, 1, by=audit.organiser("anna@vng.test"))
    assert len(approved) == ENTRIES  # approved in the composer, and still held
    publish_tick()  # a tick before the moment releases nothing
    status = CliRunner().invoke(main, ["results", "status"])
    assert status.exit_code == 0 and "round 1: held" in status.output, status.output
    assert not feedback_mails(fresh, 1) and not team_mails(fresh)

    # the clock reaches 9 January 12.00: the next tick releases, once; every entrant gets feedback, every advancing
    # team its link
    fresh.activate(EDITION, edition.timeline.round1_decided + timedelta(minutes=1))
    publish_tick()
    wait_for(lambda: release.status(db(), edition, 1).state == "released", what="round 1 released by the tick")
    found = wait_for(lambda: len(feedback_mails(fresh, 1)) == ENTRIES and len(team_mails(fresh)) == len(advancing)
                     and (feedback_mails(fresh, 1), team_mails(fresh)), what="feedback and team mails")
    mailed, invited = found
    assert len({m.to for m in mailed}) == ENTRIES
    contacts = {sid: layout.submissions(db(), EDITION).document(sid).get().to_dict()["contact"]["email"]
                for sid in advancing}
    assert sorted(m.to for m in invited) == sorted(contacts.values())
    assert all("Meet de effecten" in m.text for m in mailed)
    entries = [e for e in audit.entries(db(), edition=EDITION) if e["action"] == "round1.results_released"]
    assert len(entries) == 1 and entries[0]["actor"] == "system:notify" and entries[0]["after"]["early"] is False
    publish_tick()  # a later tick releases nothing twice
    opened = requests.get(team_link(EDITION, advancing[0], 1), allow_redirects=False, timeout=30)
    assert opened.status_code == 303 and opened.headers["Location"] == "/team"
    assert len([e for e in audit.entries(db(), edition=EDITION) if e["action"] == "round1.results_released"]) == 1
    assert len(feedback_mails(fresh, 1)) == ENTRIES


def test_an_organiser_releases_round2_early_from_the_console(intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition(EDITION)
    ids = register(intake, 3)
    for sid in ids:
        layout.feedback(db(), EDITION, 2, sid).set({"round": 2, "submission_id": sid, "advanced": sid == ids[0],
                                                    "summary": "Een sterke casus.", "tops": ["Goed onderbouwd"],
                                                    "tips": ["Deel de cijfers"]})
    organiser = cloudtest.organiser_session(fresh, "assessment", role="round-lead")
    base = fresh.url("assessment-http")

    refused = CliRunner().invoke(main, ["results", "release", "--round", "2", "--yes", "--as", "anna@vng.test"])
    assert refused.exit_code == 1 and "not decided" in refused.output
    page = organiser.get(base + "/organiser/results", timeout=30)
    assert page.status_code == 200 and 'data-round="2" data-state="undecided"' in page.text
    assert "nog niet besloten" in page.text and 'id="release-2"' not in page.text

    decide_round(EDITION, 2, ids[:1], ids[1:])
    composer.approve_all(db(), EDITION, 2, by=audit.organiser("anna@vng.test"))  # notify finds them held
    page = organiser.get(base + "/organiser/results", timeout=30).text
    assert 'data-round="2" data-state="held"' in page and 'id="release-2"' in page
    assert "15 april 2024, 12.00 uur" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    step = organiser.post(base + "/organiser/results/release", data={"csrf": csrf, "round": "2"}, timeout=30)
    assert step.status_code == 200 and "Uitslag van ronde 2 nu vrijgeven?" in step.text
    assert release.status(db(), edition, 2).state == "held"  # the confirmation step changes nothing
    bad = organiser.post(base + "/organiser/results/release", data={"csrf": csrf, "round": "7", "confirmed": "yes"},
                         timeout=30)
    assert bad.status_code == 409 and "niet die van ronde 7" in bad.text
    done = organiser.post(base + "/organiser/results/release", data={"csrf": csrf, "round": "2", "confirmed": "yes"},
                          timeout=30)
    assert done.status_code == 200 and "De uitslag van ronde 2 is vrijgegeven." in done.text
    assert 'data-round="2" data-state="released"' in done.text and "(eerder dan gepland)" in done.text

    mailed = wait_for(lambda: len(feedback_mails(fresh, 2)) == 3 and feedback_mails(fresh, 2), what="round-2 mails")
    assert all("Deel de cijfers" in m.text for m in mailed)
    entries = [e for e in audit.entries(db(), edition=EDITION) if e["action"] == "round2.results_released"]
    assert len(entries) == 1 and entries[0]["actor"] == "organiser:anna@vng.test"
    assert entries[0]["after"]["early"] is True
    again = CliRunner().invoke(main, ["results", "release", "--round", "2", "--yes", "--as", "anna@vng.test"])
    assert again.exit_code == 0 and "released already" in again.output
    assert len([e for e in audit.entries(db(), edition=EDITION) if e["action"] == "round2.results_released"]) == 1

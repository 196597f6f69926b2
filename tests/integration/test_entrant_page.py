"""Every entrant has a page of their own, on the real local cloud: registered through intake, the confirmation mail
carries the personal link; the page shows round 1 running and the dates ahead, after round 1's release the outcome
and the feedback, in round 2 the evidence form and the visit; bumping the registration's link version stops it."""

from __future__ import annotations

import random
import re
from datetime import timedelta

import cloudtest
import requests
from click.testing import CliRunner
from cloudtest import Intake, wait_for

from gemeentedelers.cli.round2 import round2
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.entries import composer, release
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.platform.tick import publish_tick
from gemeentedelers.scoring import scorers, sheets, verdict, waves

EDITION = "gd2024"
ENTRIES = 8
LINK = r"(http://\S+/team/login\?token=\S+)"


def confirmations(cloud: LocalCloud) -> dict[str, str]:
    """The personal link of each confirmation mail, by recipient."""
    return {m.to: re.search(LINK, m.text).group(1) for m in read_mailbox(cloud.maildir)
            if m.subject.startswith(("Bevestiging", "Your registration"))}


def open_page(link: str) -> tuple[requests.Session, str]:
    session = requests.Session()
    first = session.get(link, allow_redirects=False, timeout=30)
    assert first.status_code == 303 and first.headers["Location"] == "/team", first.text[:300]
    return session, link.split("/team/login")[0] + "/team"


def test_the_confirmation_mail_leads_to_the_cases_own_page_through_every_round(intake: Intake,
                                                                               fresh: LocalCloud) -> None:
    edition = get_edition(EDITION)
    ids = []
    for fields in registrations(ENTRIES, seed=5):
        answer = intake.post("generic", fields)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    contacts = {sid: layout.submissions(db(), EDITION).document(sid).get().to_dict() for sid in ids}
    links = wait_for(lambda: len(found := confirmations(fresh)) == ENTRIES and found, what="confirmation mails")
    sessions = {sid: open_page(links[record["contact"]["email"]]) for sid, record in contacts.items()}

    # round 1 runs: its status, the dates ahead in Amsterdam time, no feedback, no evidence form
    session, page_url = sessions[ids[0]]
    page = session.get(page_url, timeout=30)
    assert page.status_code == 200
    assert 'data-round="1" data-state="running"' in page.text and 'data-round="2" data-state="later"' in page.text
    assert ("dinsdag 9 januari 2024, 12.00 uur" in page.text if contacts[ids[0]]["language"] == "nl"
            else "Tuesday 9 January 2024, 12:00" in page.text)
    assert 'data-moment="evidence_due"' in page.text and 'data-moment="winners_announced"' in page.text
    assert 'id="evidence"' not in page.text and "Meet de effecten" not in page.text
    refused = session.post(page_url, data={"csrf": "x", "action": "draft"}, timeout=30)
    assert refused.status_code in (403, 409)  # no evidence before round 2

    # round 1 decided and released at its moment: the outcome and the feedback, the evidence form for who advanced
    rows = ["name,email,organisation,background,capacity,language"]
    rows += [f"Scoorder {n},scorer{n}@example.org,Organisatie {n},Dienstverlening,10,nl" for n in range(6)]
    scorers.import_csv(db(), EDITION, "\n".join(rows))
    waves.first_wave(db(), edition)
    rng = random.Random(2)
    for scorer_id, sid in waves.read_round(db(), EDITION).outstanding():
        values = {c.key: rng.randint(4, 9) for c in edition.criteria(1)}
        sheets.save(db(), edition, scorer_id, sid, {**values, "tops": "Heldere aanpak", "tips": "Meet de effecten"},
                    submit=True)
    decision = verdict.close(db(), edition, by=audit.organiser("anna@vng.test"))
    wait_for(lambda: len(list(layout.roster(db(), EDITION, 2).stream())) == len(decision["advancing"]),
             what="round-2 roster")
    held = session.get(page_url, timeout=30).text
    assert 'data-round="1" data-state="running"' in held and "Meet de effecten" not in held  # decided, held
    composer.approve_all(db(), EDITION, 1, by=audit.organiser("anna@vng.test"))
    fresh.activate(EDITION, edition.timeline.round1_decided + timedelta(minutes=1))
    publish_tick()
    wait_for(lambda: release.status(db(), edition, 1).state == "released", what="round 1 released")

    advancing = decision["advancing"][0]
    session, page_url = sessions[advancing]
    page = session.get(page_url, timeout=30).text
    assert 'data-round="1" data-state="advanced"' in page and 'data-round="2" data-state="running"' in page
    assert "Meet de effecten" in page and "Heldere aanpak" in page  # round 1's feedback, released
    assert 'id="evidence"' in page and 'name="action" value="complete"' in page and 'id="visit"' in page
    due = ("vrijdag 1 maart 2024, 17.00 uur" if contacts[advancing]["language"] == "nl"
           else "Friday 1 March 2024, 17:00")
    assert due in page  # the evidence deadline, before the visits
    csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    saved = session.post(page_url, data={"csrf": csrf, "action": "draft"}, allow_redirects=False, timeout=30)
    assert saved.status_code == 303 and saved.headers["Location"] == "/team?n=r2_saved"
    assert 'data-round="1"' in session.get(page_url, timeout=30).text  # the same page after saving

    stopped = [sid for sid in ids if sid not in decision["advancing"]]
    if stopped:
        session_out, url_out = sessions[stopped[0]]
        page = session_out.get(url_out, timeout=30).text
        assert 'data-round="1" data-state="stopped"' in page and 'data-round="2" data-state="none"' in page
        assert "Meet de effecten" in page and 'id="evidence"' not in page

    # revocable: an organiser revokes the link (a link forwarded too widely); it and its session stop at once,
    # the new link works
    cloudtest.add_organiser("anna@vng.test", "Anna de Vries", "round-lead")
    revoked = CliRunner(env={"GD_ORGANISER": None}).invoke(
        round2, ["revoke-team-link", advancing, "--as", "anna@vng.test", "--print-link"], catch_exceptions=False)
    assert revoked.exit_code == 0 and "version 2" in revoked.output, revoked.output
    assert layout.submissions(db(), EDITION).document(advancing).get().to_dict()["link_version"] == 2
    assert session.get(page_url, timeout=30).status_code == 401
    again = requests.get(links[contacts[advancing]["contact"]["email"]], allow_redirects=False, timeout=30)
    assert again.status_code == 401
    renewed, _ = open_page(re.search(LINK, revoked.output).group(1))
    assert 'data-round="2"' in renewed.get(page_url, timeout=30).text
    assert any(e.get("action") == "team.link_revoked" and e.get("actor") == "organiser:anna@vng.test"
               for e in (d.to_dict() for d in layout.audit(db()).stream()))
    unknown = CliRunner(env={"GD_ORGANISER": None}).invoke(
        round2, ["revoke-team-link", "sub-nothere", "--as", "anna@vng.test"])
    assert unknown.exit_code == 1 and "no registration sub-nothere" in unknown.output

"""The jury's tips and tops on the real local cloud: written beside the ranking on the juror's page (contact data
refused there), and after the announcement mailed to the finalists, anonymous, instead of a place."""

from __future__ import annotations

import re
from datetime import timedelta

import requests
from cloudtest import Intake, decide_round, wait_for

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.entries import composer
from gemeentedelers.jury import jurors, round3
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.platform.tick import publish_tick

JURY = "\n".join(["name,email,organisation,is_chair,language",
                  "Carla Voorzitter,carla@vng.example.org,VNG Realisatie,ja,nl",
                  "Quirijn Lid,quirijn@example.org,Provincie Utrecht,nee,nl"])


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def juror_sessions(fresh: LocalCloud) -> dict[str, requests.Session]:
    invitations = wait_for(lambda: (found := [m for m in read_mailbox(fresh.maildir) if "/jury/login?token=" in m.text])
                           and len(found) == 2 and found, what="two juror invitations")
    sessions = {}
    for mail in invitations:
        session = requests.Session()
        link = re.search(r"(http://\S+/jury/login\?token=\S+)", mail.text).group(1)
        assert session.get(link, allow_redirects=False, timeout=30).status_code == 303
        sessions[mail.to.split("@")[0]] = session
    return sessions


def test_jury_feedback_reaches_the_finalists(intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition("gd2024")
    ids = []
    for n, fields in enumerate(registrations(5, seed=9)):
        answer = intake.post("generic", {**fields, "category": "Direct" if n < 2 else "Indirect", "co_applicants": [],
                                         "municipality": f"Gemeente {n}", "contact_email": f"team{n}@example.org",
                                         "language": "nl"})
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    direct, indirect, out = ids[:2], ids[2:4], ids[4]
    fresh.activate("gd2024", edition.timeline.round2_decided + timedelta(days=10))
    decide_round("gd2024", 2, direct + indirect, [out])
    wait_for(lambda: len(list(layout.roster(db(), "gd2024", 3).stream())) == 4, what="round-3 roster")
    jurors.import_csv(db(), "gd2024", JURY, source="jury.csv")
    round3.open_round(db(), edition)
    sessions = juror_sessions(fresh)
    base = fresh.url("jury-http")

    # the ranking form has a tops and a tips box per finalist; contact data is refused with the box's message
    page = sessions["carla"].get(f"{base}/jury/category/direct", timeout=30).text
    assert f'name="tops_{direct[0]}"' in page and f'name="tips_{direct[1]}"' in page
    form = {"csrf": csrf_of(page), f"rank_{direct[0]}": "1", f"rank_{direct[1]}": "2",
            f"tops_{direct[0]}": "Inwoners doen echt mee.", f"tips_{direct[0]}": "Bel mij op 06-12345678 voor tips."}
    refused = sessions["carla"].post(f"{base}/jury/category/direct", data=form, allow_redirects=False, timeout=30)
    assert refused.status_code == 422 and "Haal het e-mailadres of telefoonnummer weg" in refused.text
    assert f'id="tips_{direct[0]}" name="tips_{direct[0]}"' in refused.text and 'aria-invalid=true' in refused.text
    assert "Inwoners doen echt mee." in refused.text  # what was typed stays
    assert not round3.ballot(db(), "gd2024", jurors.juror_id("carla@vng.example.org")).get("categories")
    form[f"tips_{direct[0]}"] = "Maak de kosten per inwoner zichtbaar."
    assert sessions["carla"].post(f"{base}/jury/category/direct", data=form, allow_redirects=False,
                                  timeout=30).status_code == 303
    again = sessions["carla"].get(f"{base}/jury/category/direct", timeout=30).text
    assert "Maak de kosten per inwoner zichtbaar." in again  # the saved words are shown again
    for who, tops in (("carla", "Sterk verhaal."), ("quirijn", "Goed herbruikbaar.")):
        page = sessions[who].get(f"{base}/jury/category/indirect", timeout=30).text
        answer = sessions[who].post(f"{base}/jury/category/indirect", allow_redirects=False, timeout=30, data={
            "csrf": csrf_of(page), f"rank_{indirect[0]}": "1", f"rank_{indirect[1]}": "2",
            f"tops_{indirect[1]}": tops, f"tips_{indirect[1]}": "Deel de cijfers."})
        assert answer.status_code == 303
    page = sessions["quirijn"].get(f"{base}/jury/category/direct", timeout=30).text
    assert sessions["quirijn"].post(f"{base}/jury/category/direct", allow_redirects=False, timeout=30, data={
        "csrf": csrf_of(page), f"rank_{direct[0]}": "1", f"rank_{direct[1]}": "2",
        f"tops_{direct[0]}": "Inwoners doen echt mee."}).status_code == 303  # the same words, mailed once

    round3.confirm(db(), edition, jurors.juror_id("carla@vng.example.org"))
    assert len(composer.approve_all(db(), "gd2024", 3, by=audit.organiser("anna@vng.test"))) == 5
    fresh.activate("gd2024", edition.timeline.winners_announced + timedelta(minutes=1))
    publish_tick()

    def final_mails() -> dict[str, object]:
        return {m.to: m for m in read_mailbox(fresh.maildir) if "ronde 3:" in m.subject}

    mails = wait_for(lambda: len(final_mails()) == 5 and final_mails(), what="the final feedback mails")
    first = mails["team0@example.org"].text
    assert first.count("Inwoners doen echt mee.") == 1 and "Maak de kosten per inwoner zichtbaar." in first
    assert "Tops (wat sterk is)" in first
    second = mails["team3@example.org"].text
    assert "Sterk verhaal." in second and "Goed herbruikbaar." in second and second.count("Deel de cijfers.") == 1
    assert "finalist in de categorie" in mails["team1@example.org"].text
    for text in (m.text for m in mails.values()):
        assert "plaats" not in text and "punten" not in text  # the jury's words, not a canned place
        assert "Voorzitter" not in text and "Quirijn" not in text  # anonymous
    assert "Tops" not in mails["team4@example.org"].text  # not a finalist: no jury feedback

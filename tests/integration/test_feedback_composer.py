"""The feedback composer on the real local cloud: an organiser sees each entrant's tips and tops with contact data
and names flagged, edits them (audited with before and after) and approves, per entrant or all at once; nothing is
mailed before the approval."""

from __future__ import annotations

import re
from datetime import timedelta

import cloudtest
from cloudtest import Intake, decide_round, wait_for
from formcheck import assert_field_refused

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.entries import composer, feedback
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers

EDITION = "gd2024"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def round1_mails(cloud: LocalCloud) -> dict[str, object]:
    return {m.to: m for m in read_mailbox(cloud.maildir) if "ronde 1:" in m.subject}


def test_an_organiser_edits_and_approves_feedback_before_it_is_sent(intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition(EDITION)
    ids = []
    for n, fields in enumerate(registrations(3, seed=4)):
        answer = intake.post("generic", {**fields, "contact_email": f"team{n}@example.org"})
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    scorers.import_csv(db(), EDITION, "name,email,organisation,background,capacity,language\n"
                                      "Joost Jansen,joost@example.org,Utrecht,Wijkteams,5,nl")
    texts = {ids[0]: ["Mail joost@example.org voor meer.", "Goed verhaal, groet Joost Jansen"],
             ids[1]: ["Heldere doelen.", "Meet de effecten."], ids[2]: ["Sterke aanpak.", "Deel de kosten."]}
    names = composer.known_names(db(), EDITION)
    for sid, (top, tip) in texts.items():  # as round 1's verdict stores them
        layout.feedback(db(), EDITION, 1, sid).set(composer.reviewed(
            {"round": 1, "submission_id": sid, "advanced": sid == ids[1], "summary": "", "tops": [top],
             "tips": [tip]}, names))
    # the round is decided after its announcement moment: released at once, so only the approval holds the mails
    fresh.activate(EDITION, edition.timeline.round1_decided + timedelta(days=1))
    decide_round(EDITION, 1, ids[1:2], [ids[0], ids[2]])
    feedback.announce(EDITION, 1, ids)
    wait_for(lambda: (layout.release(db(), EDITION, 1).get().to_dict() or {}).get("status") == "released",
             what="round 1 released on its decision")

    organiser = cloudtest.organiser_session(fresh, "scoring", role="round-lead")
    base = fresh.url("scoring-http")
    page = organiser.get(base + "/organiser/feedback/round1", timeout=30)
    assert page.status_code == 200 and "Feedback na ronde 1" in page.text
    assert "Inzenders: 3; nog goed te keuren: 3; met een markering: 1." in page.text
    card = page.text.split(f'id="fb-{ids[0]}"')[1].split("</section>")[0]
    assert "Bevat een e-mailadres of telefoonnummer." in card and "Bevat de naam Joost Jansen." in card
    assert "Let op: met een markering: 1. Kijk die eerst na." in page.text
    assert 'id="approve-all"' in page.text
    assert not round1_mails(fresh)  # released, but not approved: nothing is mailed

    # the organiser rewrites the flagged texts; the audit trail keeps before and after
    csrf = csrf_of(page.text)
    edited = organiser.post(base + "/organiser/feedback/round1/edit", timeout=30, data={
        "csrf": csrf, "submission_id": ids[0], "summary": "Een casus die andere gemeenten verder helpt.",
        "tops": "Goed verhaal\n\n", "tips": "Beschrijf wie wat doet."})
    assert edited.status_code == 200 and "De feedback is aangepast." in edited.text
    assert "Bevat de naam" not in edited.text.split(f'id="fb-{ids[0]}"')[1].split("</section>")[0]
    entry = next(e for e in audit.entries(db(), edition=EDITION) if e["action"] == "feedback.edited")
    assert entry["actor"] == "organiser:anna@vng.test" and entry["target"] == f"{EDITION}/feedback/r1-{ids[0]}"
    assert entry["before"] == {"summary": "", "tops": ["Mail joost@example.org voor meer."],
                               "tips": ["Goed verhaal, groet Joost Jansen"]}
    assert entry["after"]["tops"] == ["Goed verhaal"] and entry["after"]["tips"] == ["Beschrijf wie wat doet."]
    too_long = organiser.post(base + "/organiser/feedback/round1/edit", timeout=30, data={
        "csrf": csrf, "submission_id": ids[1], "summary": "x" * 2500, "tops": "", "tips": ""})
    assert too_long.status_code == 422  # the input is at fault: the posted draft's summary field says why
    assert_field_refused(too_long.text, f"summary-{ids[1]}", typed="x" * 2500, says="Gebruik hoogstens 2.000 tekens.")
    assert layout.feedback(db(), EDITION, 1, ids[1]).get().to_dict()["tops"] == ["Heldere doelen."]  # unchanged

    # approved per entrant: that one is mailed, with the edited text; approved work can no longer change
    approved = organiser.post(base + "/organiser/feedback/round1/approve", timeout=30,
                              data={"csrf": csrf, "submission_id": ids[0]})
    assert approved.status_code == 200 and "1 goedgekeurd." in approved.text
    mail = wait_for(lambda: round1_mails(fresh).get("team0@example.org"), what="the approved entrant's mail")
    assert "Beschrijf wie wat doet." in mail.text and "joost" not in mail.text.lower()
    assert "Een casus die andere gemeenten verder helpt." in mail.text
    late = organiser.post(base + "/organiser/feedback/round1/edit", timeout=30, data={
        "csrf": csrf, "submission_id": ids[0], "summary": "Anders", "tops": "", "tips": ""})
    assert late.status_code == 409 and "al goedgekeurd" in late.text
    assert set(round1_mails(fresh)) == {"team0@example.org"}

    # the rest all at once
    everything = organiser.post(base + "/organiser/feedback/round1/approve", timeout=30,
                                data={"csrf": csrf, "all": "yes"})
    assert everything.status_code == 200 and "2 goedgekeurd." in everything.text
    assert 'data-approved="no"' not in everything.text and 'id="approve-all"' not in everything.text
    wait_for(lambda: len(round1_mails(fresh)) == 3, what="every entrant's mail")
    approvals = [e for e in audit.entries(db(), edition=EDITION) if e["action"] == "feedback.approved"]
    assert len(approvals) == 3 and {e["actor"] for e in approvals} == {"organiser:anna@vng.test"}
    english = organiser.get(base + "/organiser/feedback/round3?lang=en", timeout=30).text
    assert "There is no feedback after round 3 yet." in english
    assert organiser.get(base + "/organiser/feedback/round9", timeout=30).status_code == 404


def cards(html: str) -> list[str]:
    return re.findall(r'<section class="card" id="fb-([^"]+)"', html)


def test_the_composer_shows_a_big_round_a_page_at_a_time(fresh: LocalCloud) -> None:
    """120 entrants: pages of 50 by submission id with next and previous, and filters for the flagged and the
    not yet approved; an edit or approval returns to the page it was made on."""
    sids = [f"sub-{n:04d}" for n in range(120)]
    batch = db().batch()
    for n, sid in enumerate(sids):
        batch.set(layout.submissions(db(), EDITION).document(sid), {"submission_id": sid, "title": f"Casus {n:03d}",
                                                                    "municipality": "Gemeente Utrecht"})
        tops = [f"Bel 06-1234567{n % 10} voor meer."] if n % 10 == 3 else ["Heldere doelen."]
        stored = composer.reviewed({"round": 1, "submission_id": sid, "advanced": n < 20, "summary": "",
                                    "tops": tops, "tips": ["Meet de effecten."]}, set())
        if n % 4 == 0:
            stored = {**stored, "approved": True, "approved_by": "organiser:anna@vng.test"}
        batch.set(layout.feedback(db(), EDITION, 1, sid), stored)
    batch.commit()
    flagged = [s for n, s in enumerate(sids) if n % 10 == 3]
    waiting = [s for n, s in enumerate(sids) if n % 4]

    organiser = cloudtest.organiser_session(fresh, "scoring", role="round-lead")
    base = fresh.url("scoring-http") + "/organiser/feedback/round1"
    first = organiser.get(base, timeout=30)
    assert first.status_code == 200, first.text[:300]
    assert cards(first.text) == sids[:50]
    assert "Inzenders: 120; nog goed te keuren: 90; met een markering: 12." in first.text
    assert "U ziet 50 van 120 in deze selectie." in first.text and 'id="page-previous"' not in first.text
    second = organiser.get(base + "?after=sub-0049", timeout=30)
    assert cards(second.text) == sids[50:100]
    assert 'href="/organiser/feedback/round1?after=sub-0099"' in second.text
    assert 'href="/organiser/feedback/round1?before=sub-0050"' in second.text
    last = organiser.get(base + "?after=sub-0099", timeout=30)
    assert cards(last.text) == sids[100:] and 'id="page-next"' not in last.text
    back = organiser.get(base + "?before=sub-0100", timeout=30)
    assert cards(back.text) == sids[50:100]
    assert cards(organiser.get(base + "?before=sub-0050", timeout=30).text) == sids[:50]

    only_flagged = organiser.get(base + "?show=flagged", timeout=30)
    assert cards(only_flagged.text) == flagged and 'id="page-next"' not in only_flagged.text
    assert "U ziet 12 van 12 in deze selectie." in only_flagged.text
    to_approve = organiser.get(base + "?show=waiting", timeout=30)
    assert cards(to_approve.text) == waiting[:50]
    assert f'href="/organiser/feedback/round1?show=waiting&amp;after={waiting[49]}"' in to_approve.text
    rest = organiser.get(base + f"?show=waiting&after={waiting[49]}", timeout=30)
    assert cards(rest.text) == waiting[50:] and 'id="page-next"' not in rest.text
    assert cards(organiser.get(base + "?show=bogus&after=../x", timeout=30).text) == sids[:50]  # a mangled link

    # fixing a flagged text on the flagged page returns there, without it
    fixed = organiser.post(base + "/edit", timeout=30, data={
        "csrf": csrf_of(only_flagged.text), "submission_id": flagged[0], "show": "flagged", "summary": "",
        "tops": "Heldere doelen.", "tips": "Meet de effecten."})
    assert fixed.status_code == 200 and "De feedback is aangepast." in fixed.text
    assert fixed.url.endswith("/organiser/feedback/round1?show=flagged")
    assert cards(fixed.text) == flagged[1:] and "met een markering: 11." in fixed.text
    assert layout.feedback(db(), EDITION, 1, flagged[0]).get().to_dict()["flagged"] is False
    english = organiser.get(base + "?show=flagged&lang=en", timeout=30).text
    assert "You see 11 of 11 in this selection." in english and "Flagged" in english

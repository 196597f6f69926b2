"""Round 2 on the real local cloud: round 1's decision invites the teams, evidence through the team's link,
assessors imported and formed into conflict-free teams, a visit confirmed with an .ics invitation, a report
co-written by its team (a stale save refused with 409) and signed off, the assessors' ballots, the organiser's
confirmation, round 3's roster and the round-2 feedback mails."""

from __future__ import annotations

import email
import mailbox
import re
import threading
from datetime import timedelta
from pathlib import Path

import cloudtest
import pytest
import requests
from cloudtest import Intake, decide_round, wait_for
from formcheck import assert_field_refused

from gemeentedelers.assessment import assessors, finalists, reports, visits
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import StoredMail, read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import Edition, get_edition
from gemeentedelers.entries import composer
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.platform.tick import publish_tick

CONFLICTED = "Almere"  # the municipality of the first direct case, and the organisation of one assessor
EDITION = "gd2024"


def assessors_csv() -> str:
    return "\n".join([
        "name,email,organisation,language",
        "Ada Assessor,ada@example.org,VNG Realisatie,nl",
        "Ben Beoordelaar,ben@example.org,Provincie Utrecht,en",
        "Cor Coach,cor@example.org,Gemeente Delft,nl",
        f"Dirk {CONFLICTED},dirk@example.org,{CONFLICTED},nl",
        "Eva Expert,eva@example.org,KING,nl",
    ])


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def mails(fresh: LocalCloud, marker: str, count: int) -> list[StoredMail]:
    return wait_for(lambda: (found := [m for m in read_mailbox(fresh.maildir) if marker in m.text])
                    and len(found) >= count and found, what=f"{count} mails with {marker}")


def sign_in(link_text: str, pattern: str) -> tuple[requests.Session, str]:
    link = re.search(pattern, link_text).group(1)
    session = requests.Session()
    first = session.get(link, allow_redirects=False, timeout=30)
    assert first.status_code == 303, first.text[:300]
    return session, first.headers["Location"]


def register(intake: Intake) -> list[dict[str, object]]:
    batch = registrations(6, seed=7)
    for n, fields in enumerate(batch):
        batch[n] = {**fields, "category": "Direct" if n < 4 else "Indirect", "co_applicants": [],
                    "municipality": CONFLICTED if n == 0 else f"Gemeente {n}", "contact_email": f"team{n}@example.org",
                    "language": "en" if n == 5 else "nl"}
    ids = []
    for fields in batch:
        answer = intake.post("generic", fields)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    return [layout.submissions(db(), EDITION).document(sid).get().to_dict() for sid in ids]


def report_form(edition: Edition, csrf: str, version: int, text: str, score: int = 7) -> dict[str, str]:
    form = {"csrf": csrf, "version": str(version), "tops": f"{text}: sterk\nGoed gedeeld", "tips": "Meet meer",
            "recommendation": "finalist", "summary": f"Samenvatting {text}"}
    for c in edition.criteria(2):
        form[f"score_{c.key}"] = str(min(c.scale_max, max(c.scale_min, score)))
        form[f"explain_{c.key}"] = f"{text} licht {c.key} toe"
    return form


def test_round2_from_evidence_to_finalists(intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition(EDITION)
    entries = register(intake)
    fresh.activate(EDITION, edition.timeline.round1_decided + timedelta(days=7))
    ids = [str(e["submission_id"]) for e in entries]
    decide_round(EDITION, 1, ids)
    wait_for(lambda: len(list(layout.roster(db(), EDITION, 2).stream())) == 6, what="round-2 roster")
    base = fresh.url("assessment-http")

    # -- evidence through the team's personal link
    invitations = wait_for(lambda: (found := [
        m for m in read_mailbox(fresh.maildir) if "/team/login?token=" in m.text
        and not m.subject.startswith(("Bevestiging", "Your registration"))]) and len(found) >= 6 and found,
        what="6 team invitations")  # the confirmations carry the same link, to the same page
    assert {m.to for m in invitations} == {f"team{n}@example.org" for n in range(6)}
    teams = {}
    for mail in invitations:
        session, home = sign_in(mail.text, r"(http://\S+/team/login\?token=\S+)")
        assert home == "/team"
        teams[ids[int(mail.to[4])]] = session
    assert next(m for m in invitations if m.to == "team5@example.org").language == "en"
    team = teams[ids[0]]
    page = team.get(base + "/team", timeout=30).text
    fields = edition.evidence_fields
    answers = {f.key: ("https://example.org/rapport.pdf\nhttps://example.org/plan" if f.kind == "url_list"
                       else f"Ons {f.key}") for f in fields}
    link_field = next(f.key for f in fields if f.kind == "url_list")
    bad = team.post(base + "/team", data={"csrf": csrf_of(page), "action": "complete", **answers,
                                          link_field: "geen link"}, timeout=30)
    assert bad.status_code == 422 and "geen link" in bad.text
    assert team.post(base + "/team", data={"csrf": csrf_of(page), "action": "draft", **answers, link_field: "x"},
                     allow_redirects=False, timeout=30).status_code == 303
    assert layout.evidence(db(), EDITION).document(ids[0]).get().to_dict()["status"] == "draft"
    done = team.post(base + "/team", data={"csrf": csrf_of(page), "action": "complete", **answers},
                     allow_redirects=False, timeout=30)
    assert done.status_code == 303 and done.headers["Location"] == "/team?n=r2_completed"
    stored = layout.evidence(db(), EDITION).document(ids[0]).get().to_dict()
    assert stored["status"] == "complete" and stored["fields"][link_field] == ["https://example.org/rapport.pdf",
                                                                              "https://example.org/plan"]
    assert requests.get(base + "/team", timeout=30).status_code == 401  # no session, no page

    # -- assessors and teams, on the organiser page
    organiser = cloudtest.organiser_session(fresh, "assessment", role="round-lead")
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    organiser_csrf = csrf_of(page)
    twice = assessors_csv().replace("eva@example.org", "ada@example.org")
    bad = organiser.post(base + "/organiser/round2/assessors/import", timeout=30,
                         data={"csrf": csrf_of(page), "csv": twice})
    assert bad.status_code == 422 and "CSV: ada@example.org komt meer dan eens voor" in bad.text
    bad = organiser.post(base + "/organiser/round2/assessors/import?lang=en", timeout=30,
                         data={"csrf": csrf_of(page), "csv": twice})
    assert bad.status_code == 422 and "CSV: ada@example.org appears more than once" in bad.text
    assert not list(layout.assessors(db(), EDITION).stream())
    imported = organiser.post(base + "/organiser/round2/assessors/import", timeout=30,
                              data={"csrf": csrf_of(page), "csv": assessors_csv()})
    assert imported.status_code == 200 and "5 nieuw" in imported.text, imported.text[-800:]
    formed = organiser.post(base + "/organiser/round2/teams", data={"csrf": csrf_of(page)}, timeout=30)
    assert formed.status_code == 200 and "6 teams gevormd" in formed.text, formed.text[-800:]
    plan = {d.id: d.to_dict()["members"] for d in layout.assessment_teams(db(), EDITION).stream()}
    people = {p.to_dict()["email"].split("@")[0]: p.id for p in layout.assessors(db(), EDITION).stream()}
    assert set(plan) == set(ids) and all(2 <= len(m) <= 3 for m in plan.values())
    assert people["dirk"] not in plan[ids[0]]  # a conflict of interest: Dirk works for Almere
    loads = [sum(a in m for m in plan.values()) for a in people.values()]
    assert max(loads) <= 4 and max(loads) - min(loads) <= 1
    assessor = {}
    for mail in mails(fresh, "/assess/login?token=", 5):
        assessor[people[mail.to.split("@")[0]]], home = sign_in(mail.text, r"(http://\S+/assess/login\?token=\S+)")
        assert home == "/assess"

    # -- a refused proposal reads in the assessor's language: Ada's Dutch, Ben's English, Ada's on request
    for name, lang, expected in (("ada", "", "De link naar de bijeenkomst moet beginnen met http:// of https://."),
                                 ("ben", "", "The meeting link must start with http:// or https://."),
                                 ("ada", "?lang=en", "The meeting link must start with http:// or https://.")):
        sid = next(s for s in ids if people[name] in plan[s])
        page = assessor[people[name]].get(f"{base}/assess/case/{sid}", timeout=30).text
        refused = assessor[people[name]].post(f"{base}/assess/case/{sid}/visit{lang}", timeout=30, data={
            "csrf": csrf_of(page), "slots": "2024-03-12T09:00", "meeting_url": "meet.example.org"})
        assert refused.status_code == 422 and expected in refused.text, (name, lang)

    # -- the visit: the team proposes slots, the entrant team picks one, everyone gets an .ics
    first, second = plan[ids[0]][:2]
    case_page = assessor[first].get(f"{base}/assess/case/{ids[0]}", timeout=30).text
    assert edition.interview_guide.title.nl in case_page
    proposed = assessor[first].post(f"{base}/assess/case/{ids[0]}/visit", allow_redirects=False, timeout=30,
                                    data={"csrf": csrf_of(case_page), "slots": "2024-03-12T10:00\n2024-03-14T14:30",
                                          "meeting_url": "https://meet.example.org/gd-visit"})
    assert proposed.status_code == 303
    page = team.get(base + "/team", timeout=30).text
    assert "donderdag 14 maart 2024, 14.30 uur" in page and "UTC" not in page  # Amsterdam time, as entered
    picked = team.post(base + "/team/visit", data={"csrf": csrf_of(page), "slot": "2024-03-14T13:30:00+00:00"},
                       allow_redirects=False, timeout=30)
    assert picked.status_code == 303
    visit_mails = mails(fresh, "https://meet.example.org/gd-visit", len(plan[ids[0]]) + 1)
    assert {m.to for m in visit_mails} == {"team0@example.org"} | {
        p.to_dict()["email"] for p in layout.assessors(db(), EDITION).stream() if p.id in plan[ids[0]]}
    box = mailbox.Maildir(fresh.maildir, create=False)
    message = email.message_from_bytes(box.get_bytes(visit_mails[0].key))
    calendar = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
    raw = calendar.get_payload(decode=True)
    assert b"\r\n" in raw and all(len(line) <= 75 for line in raw.split(b"\r\n"))
    unfolded = raw.replace(b"\r\n ", b"").decode()
    assert "METHOD:REQUEST" in unfolded and "BEGIN:VEVENT" in unfolded
    assert "DTSTART:20240314T133000Z" in unfolded and "DTEND:20240314T150000Z" in unfolded
    assert f"UID:visit-{EDITION}-{ids[0]}@gemeentedelers.nl" in unfolded
    assert "URL:https://meet.example.org/gd-visit" in unfolded
    for sent in visit_mails:  # the entrant's contact is on their own invitation only, never on an assessor's
        message = email.message_from_bytes(box.get_bytes(sent.key))
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        text = part.get_payload(decode=True).replace(b"\r\n ", b"").decode()
        assert ("team0@example.org" in text) == (sent.to == "team0@example.org"), sent.to
    injected = assessor[first].post(f"{base}/assess/case/{ids[0]}/visit", timeout=30, data={
        "csrf": csrf_of(case_page), "slots": "2024-03-12T09:00",
        "meeting_url": "https://meet.example.org/x\r\nORGANIZER:mailto:evil@example.org"})
    assert injected.status_code in (409, 422) and "evil" not in str(layout.visits(db(), EDITION).document(
        ids[0]).get().to_dict())

    other = plan[ids[1]][0]
    page = assessor[other].get(f"{base}/assess/case/{ids[1]}", timeout=30).text
    assert assessor[other].post(f"{base}/assess/case/{ids[1]}/visit", allow_redirects=False, timeout=30,
                                data={"csrf": csrf_of(page), "slots": "2024-03-20T11:00",
                                      "meeting_url": "https://meet.example.org/gd-two"}).status_code == 303
    assert 'name="slot"' in organiser.get(base + "/organiser/round2", timeout=30).text
    not_offered = organiser.post(base + "/organiser/round2/visit", timeout=30, data={
        "csrf": organiser_csrf, "submission_id": ids[1], "slot": "2024-03-21T10:00:00+00:00"})
    assert not_offered.status_code == 422  # a slot the team did not offer: the case's own slot field says so
    assert_field_refused(not_offered.text, f"slot-{ids[1]}")
    assert not layout.visits(db(), EDITION).document(ids[1]).get().to_dict().get("confirmed")
    by_organiser = organiser.post(base + "/organiser/round2/visit", timeout=30, data={
        "csrf": organiser_csrf, "submission_id": ids[1], "slot": "2024-03-20T10:00:00+00:00"})
    assert by_organiser.status_code == 200 and "bevestigd" in by_organiser.text
    mails(fresh, "https://meet.example.org/gd-two", len(plan[ids[1]]) + 1)

    # -- a report co-written by two members: the stale save gets 409 with the latest text
    url = f"{base}/assess/case/{ids[0]}"
    page_a = assessor[first].get(url, timeout=30).text
    page_b = assessor[second].get(url, timeout=30).text
    saved = assessor[first].post(url, data=report_form(edition, csrf_of(page_a), 0, "Ada"), allow_redirects=False,
                                 timeout=30)
    assert saved.status_code == 303
    stale = assessor[second].post(url, data=report_form(edition, csrf_of(page_b), 0, "Ben"), timeout=30)
    assert stale.status_code == 409 and "Ada: sterk" in stale.text and 'id="latest"' in stale.text
    in_english = layout.assessors(db(), EDITION).document(second).get().to_dict()["language"] == "en"
    assert ("A team member saved the report meanwhile" if in_english
            else "Een teamgenoot heeft het rapport intussen opgeslagen") in stale.text
    assert layout.reports(db(), EDITION).document(ids[0]).get().to_dict()["tops"][0] == "Ada: sterk"
    merged = assessor[second].post(url, data=report_form(edition, csrf_of(stale.text), 1, "Ada en Ben"),
                                   allow_redirects=False, timeout=30)
    assert merged.status_code == 303
    old = assessor[first].post(url + "/signoff", data={"csrf": csrf_of(page_a), "version": "1"}, timeout=30)
    assert old.status_code == 409  # signing an older version is refused

    # -- every case's report written and signed off by its whole team (the scores order the cases)
    for n, sid in enumerate(ids):
        members = plan[sid]
        if n:
            page = assessor[members[0]].get(f"{base}/assess/case/{sid}", timeout=30).text
            assert assessor[members[0]].post(f"{base}/assess/case/{sid}", allow_redirects=False, timeout=30,
                                             data=report_form(edition, csrf_of(page), 0, f"Case {n}", 9 - n)
                                             ).status_code == 303
        version = layout.reports(db(), EDITION).document(sid).get().to_dict()["version"]
        for aid in members:
            page = assessor[aid].get(f"{base}/assess/case/{sid}", timeout=30).text
            signed = assessor[aid].post(f"{base}/assess/case/{sid}/signoff", allow_redirects=False, timeout=30,
                                        data={"csrf": csrf_of(page), "version": str(version)})
            assert signed.status_code == 303
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    assert 'data-report="complete"' in page and "compleet en ondertekend" in page
    assert "Nog geen enkele assessor heeft gestemd." in page  # why there is no proposal yet
    assert "<title>Fout:" not in page and 'role="alert"' not in page  # the round's state, not an error
    again = organiser.post(base + "/organiser/round2/teams", data={"csrf": organiser_csrf}, timeout=30)
    assert again.status_code == 409 and "de teams kunnen niet opnieuw worden gevormd" in again.text

    # -- ballots: every assessor ranks the cases side by side (Dirk not Almere's case), the organiser confirms
    direct, indirect = ids[:4], ids[4:]
    page = assessor[people["dirk"]].get(base + "/assess/finalists", timeout=30).text  # Dirk declares one more
    declared = assessor[people["dirk"]].post(base + "/assess/conflict", allow_redirects=False, timeout=30, data={
        "csrf": csrf_of(page), "submission_id": indirect[1], "reason": "oud-collega"})
    assert declared.status_code == 303
    for name, aid in people.items():
        page = assessor[aid].get(base + "/assess/finalists", timeout=30)
        assert page.status_code == 200 and page.text.count("data-report=") == 6
        # only reports every member signed are shown, and none of a case the assessor may not judge
        hidden = dict(re.findall(r'data-report="([^"]+)" data-hidden="([a-z]+)"', page.text))
        for sid in ids:
            stored = reports.get(db(), EDITION, sid)
            members = layout.assessment_teams(db(), EDITION).document(sid).get().to_dict()["members"]
            complete = bool(stored.get("version")) and not reports.problems(edition, sid, stored, members)
            assert (hidden.get(sid) == "unsigned") == (not complete and hidden.get(sid) != "conflict"), sid
        if name == "dirk":
            assert hidden[ids[0]] == "conflict" and hidden[indirect[1]] == "conflict"
        else:
            assert ids[0] not in hidden  # its report is signed by its whole team
        order = [sid for sid in direct if not (name == "dirk" and sid == ids[0])]
        shown_indirect = [sid for sid in indirect if not (name == "dirk" and sid == indirect[1])]
        form = {"csrf": csrf_of(page.text), **{f"rank_{sid}": str(k) for k, sid in enumerate(order, 1)},
                **{f"rank_{sid}": str(k) for k, sid in enumerate(shown_indirect, 1)}}
        if name == "ada":
            wrong = assessor[aid].post(base + "/assess/finalists", data={**form, f"rank_{direct[1]}": "1"}, timeout=30)
            assert wrong.status_code == 422
        assert assessor[aid].post(base + "/assess/finalists", data=form, allow_redirects=False,
                                  timeout=30).status_code == 303
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    assert page.count('data-status="finalist"') == 5
    step = organiser.post(base + "/organiser/round2/confirm", data={"csrf": csrf_of(page)}, timeout=30)
    assert step.status_code == 200 and "Finalisten bevestigen?" in step.text and 'id="consequences"' in step.text
    assert finalists.state(db(), EDITION).get("status", "open") == "open"  # nothing happened yet
    confirmed = organiser.post(base + "/organiser/round2/confirm", data={"csrf": csrf_of(page), "confirmed": "yes"},
                               timeout=30)
    assert confirmed.status_code == 200 and "5 finalisten bevestigd" in confirmed.text, confirmed.text[-600:]
    decisions = [d.to_dict() for d in layout.decisions(db(), EDITION).stream() if d.id.startswith("r2-")]
    assert len(decisions) == 1 and decisions[0]["advancing"] == sorted(direct[:3] + indirect)
    assert decisions[0]["inputs"]["ballots"] and decisions[0]["not_advancing"] == [direct[3]]

    # -- the jury's handler puts the finalists on round 3's roster; every round-2 entry gets its feedback
    wait_for(lambda: len(list(layout.roster(db(), EDITION, 3).stream())) == 5, what="round-3 roster")
    # held until the edition's announcement moment (mid-April), when the tick releases them
    assert layout.release(db(), EDITION, 2).get().to_dict() is None
    assert len(composer.approve_all(db(), EDITION, 2, by=audit.organiser("anna@vng.test"))) == 6
    fresh.activate(EDITION, edition.timeline.round2_decided + timedelta(minutes=1))
    publish_tick()
    feedback = mails(fresh, "Samenvatting", 6)
    by_to = {m.to: m for m in feedback if "ronde 2" in m.subject.lower() or "round 2" in m.subject.lower()}
    assert len(by_to) == 6
    assert "Ada en Ben: sterk" in by_to["team0@example.org"].text and "Meet meer" in by_to["team0@example.org"].text
    assert "gaat door" in by_to["team0@example.org"].subject and "gaat door" not in by_to["team3@example.org"].subject
    closing = edition.feedback_closing(2, True)
    assert closing is not None and by_to["team0@example.org"].text.count(closing.nl) == 1  # once, not twice

    # -- after the round-2 deadline (competition clock) the evidence can no longer change
    fresh.activate(EDITION, edition.timeline.round2_decided + timedelta(minutes=1))
    page = team.get(base + "/team", timeout=30).text
    late = team.post(base + "/team", data={"csrf": csrf_of(page), "action": "draft", **answers}, timeout=30)
    assert late.status_code == 409 and layout.evidence(db(), EDITION).document(ids[0]).get().to_dict()["status"] == (
        "complete")
    assert "De deadline is verstreken; de onderbouwing kan niet meer worden gewijzigd." in late.text
    assert "has passed" not in late.text


def reports_done(intake: Intake, fresh: LocalCloud) -> tuple[Edition, list[str], dict[str, str], str]:
    """Six cases on round 2's roster (four direct), teams of Ada, Ben, Cor and Eva, every report complete and signed
    off with the same scores: ``(edition, ids, titles, the direct category's key)``."""
    edition = get_edition(EDITION)
    entries = register(intake)
    fresh.activate(EDITION, edition.timeline.round1_decided + timedelta(days=7))
    ids = [str(e["submission_id"]) for e in entries]
    titles = {str(e["submission_id"]): str(e["title"]) for e in entries}
    for sid in ids:  # round 1 decided (its mails are another test's business)
        layout.roster(db(), EDITION, 2).document(sid).set({"submission_id": sid, "status": "awaiting_evidence"})
    assessors.import_csv(db(), EDITION, "\n".join(line for line in assessors_csv().splitlines() if "dirk" not in line))
    plan = assessors.form(db(), edition).teams
    for sid in ids:
        version = reports.save(db(), EDITION, sid, plan[sid][0], reports.from_form(
            edition, report_form(edition, "", 0, titles[sid])), 0)
        for aid in plan[sid]:
            reports.sign_off(db(), EDITION, sid, aid, version)
    category = str(entries[0]["category"])
    assert {str(e["category"]) for e in entries[:4]} == {category} and edition.finalist_rule.count(category) == 3
    return edition, ids, titles, category


def ranks(*orders: list[str]) -> dict[str, str]:
    return {f"rank_{sid}": str(n) for order in orders for n, sid in enumerate(order, 1)}


def test_a_tie_at_the_cut_off_is_settled_by_the_organisers_pick(intake: Intake, fresh: LocalCloud) -> None:
    """Two ballots tie two direct cases with equal reports across the last seat: the organiser page shows the tie,
    a confirmation without a pick is refused (in Dutch, in English on request), the pick is stored in the decision
    and round 3's roster takes the picked case, not the other."""
    edition, ids, titles, category = reports_done(intake, fresh)
    direct, indirect = ids[:4], ids[4:]
    base = fresh.url("assessment-http")

    # two ballots through the assessors' page: the last two direct cases swap places, so they tie for seat 3
    voters = {}
    for name, order in (("ada", direct), ("cor", [*direct[:2], direct[3], direct[2]])):
        voters[name], _ = sign_in(assessors.assessor_link(EDITION, assessors.assessor_id(f"{name}@example.org"), 1),
                                  r"(\S+)")
        page = voters[name].get(base + "/assess/finalists", timeout=30).text
        assert voters[name].post(base + "/assess/finalists", data={"csrf": csrf_of(page), **ranks(order, indirect)},
                                 allow_redirects=False, timeout=30).status_code == 303

    organiser = cloudtest.organiser_session(fresh, "assessment", role="round-lead")
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    assert page.count('data-status="finalist"') == 4 and page.count('data-status="tied"') == 2
    for sid in direct[2:]:
        assert f'name="pick_{category}" value="{sid}"' in page and titles[sid] in page
    assert "gelijk: kies 1" in page

    unpicked = organiser.post(base + "/organiser/round2/confirm", data={"csrf": csrf_of(page)}, timeout=30)
    assert unpicked.status_code == 422  # the picks are at fault: the tied category's group of choices says so
    assert_field_refused(unpicked.text, f"pick-{category}")
    tied = ", ".join(titles[sid] for sid in sorted(direct[2:]))  # the standings list equals by id
    assert f"kies 1 van de gelijk geëindigde casussen ({tied}); gekozen: niets." in unpicked.text
    both = organiser.post(base + "/organiser/round2/confirm?lang=en", timeout=30,
                          data={"csrf": csrf_of(page), f"pick_{category}": sorted(direct[2:])})
    assert both.status_code == 422
    assert_field_refused(both.text, f"pick-{category}")
    for sid in direct[2:]:  # both choices come back ticked
        assert f'name="pick_{category}" value="{sid}" checked' in both.text
    assert f"pick 1 of the tied cases ({tied}); picked: {tied}." in both.text
    assert finalists.state(db(), EDITION).get("status") != "decided"

    picked = organiser.post(base + "/organiser/round2/confirm", timeout=30,
                            data={"csrf": csrf_of(page), f"pick_{category}": direct[3], "confirmed": "yes"})
    assert picked.status_code == 200 and "5 finalisten bevestigd" in picked.text, picked.text[-600:]
    decisions = [d.to_dict() for d in layout.decisions(db(), EDITION).stream() if d.id.startswith("r2-")]
    assert len(decisions) == 1
    decision = decisions[0]
    assert decision["picks"] == {category: [direct[3]]}
    assert decision["finalists"][category] == [direct[0], direct[1], direct[3]]
    assert decision["selection"]["categories"][category]["tied"] == sorted(direct[2:])
    assert decision["advancing"] == sorted([direct[0], direct[1], direct[3], *indirect])
    assert decision["not_advancing"] == [direct[2]]
    assert finalists.state(db(), EDITION) == {"status": "decided", "decision_id": decision["decision_id"]}

    # round.decided round 2: the jury's handler puts exactly the confirmed finalists, the pick included, on the roster
    roster = wait_for(lambda: (found := {d.id: d.to_dict() for d in layout.roster(db(), EDITION, 3).stream()})
                      and len(found) == 5 and found, what="round-3 roster")
    assert set(roster) == set(decision["advancing"]) and direct[2] not in roster
    assert {r["decision_id"] for r in roster.values()} == {decision["decision_id"]}
    feedback = {sid: layout.feedback(db(), EDITION, 2, sid).get().to_dict() for sid in direct[2:]}
    assert feedback[direct[3]]["advanced"] is True and feedback[direct[2]]["advanced"] is False
    assert "Besloten" in organiser.get(base + "/organiser/round2", timeout=30).text

    # decided: ballots and reports stay as they are, and the assessor reads why in their language
    page = voters["ada"].get(base + "/assess/finalists", timeout=30).text
    late = voters["ada"].post(base + "/assess/finalists", timeout=30,
                              data={"csrf": csrf_of(page), **ranks(direct[::-1], indirect)})
    assert late.status_code == 409 and "De finalisten zijn al bevestigd; stemmen kan niet meer." in late.text
    ada = assessors.assessor_id("ada@example.org")
    sid = next(s for s in ids if ada in layout.assessment_teams(db(), EDITION).document(s).get().to_dict()["members"])
    page = voters["ada"].get(f"{base}/assess/case/{sid}", timeout=30).text
    edited = voters["ada"].post(f"{base}/assess/case/{sid}", timeout=30,
                                data=report_form(edition, csrf_of(page), 1, "Te laat"))
    assert edited.status_code == 409 and "de rapporten liggen vast" in edited.text
    assert reports.get(db(), EDITION, sid)["version"] == 1


def test_a_ballot_saved_while_the_organiser_confirms_is_counted_or_refused(intake: Intake,
                                                                           fresh: LocalCloud) -> None:
    """An assessor changes a ballot at the moment the organiser confirms: the change is either in the decision, or
    the assessor is told it came too late; never saved (and shown as saved) but left out of the decision."""
    edition, ids, _, _ = reports_done(intake, fresh)
    direct, indirect = ids[:4], ids[4:]
    ada, cor = (assessors.assessor_id(f"{name}@example.org") for name in ("ada", "cor"))
    for aid in (ada, cor):
        finalists.save_ballot(db(), edition, aid, ranks(direct, indirect))
    changed = ranks(direct, indirect[::-1])  # decides nothing else: both indirect cases are finalists either way
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def change() -> None:
        start.wait()
        try:
            finalists.save_ballot(db(), edition, cor, changed)
            outcome["saved"] = True
        except finalists.NotReady as refused:
            outcome["saved"] = refused.key

    def confirm() -> None:
        start.wait()
        outcome["decision"] = finalists.confirm(db(), edition)

    threads = [threading.Thread(target=change), threading.Thread(target=confirm)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    decision = outcome["decision"]
    assert isinstance(decision, dict) and decision["advancing"] == sorted([*direct[:3], *indirect])
    counted = decision["inputs"]["ballots"][cor]
    stored = layout.assessment_ballots(db(), EDITION).document(cor).get().to_dict()["ballot"]
    assert counted == stored  # what is stored is what was decided on
    assert (counted == [*direct, *indirect[::-1]]) if outcome["saved"] is True else (
        outcome["saved"] in ("r2_err_finalists_confirming", "r2_err_finalists_confirmed")
        and counted == [*direct, *indirect]), outcome


def test_an_organiser_replaces_an_assessor_who_drops_out(intake: Intake, fresh: LocalCloud) -> None:
    """An assessor drops out after the reports are signed off: the organiser replaces them in one team; the one who
    leaves loses access to the case, the sign-offs of those who stay hold for the unchanged version, the new member
    (the least busy without a conflict of interest) is invited, gets the visit's invitation and signs off, and the
    report is complete again. Refusals read in Dutch, in English on request."""
    edition, ids, titles, _ = reports_done(intake, fresh)
    base = fresh.url("assessment-http")
    assessors.import_csv(db(), EDITION, "\n".join([
        "name,email,organisation,language", f"Dirk {CONFLICTED},dirk@example.org,{CONFLICTED},nl",
        "Fien Fris,fien@example.org,Gemeente Ede,en"]))
    dirk, fien = assessors.assessor_id("dirk@example.org"), assessors.assessor_id("fien@example.org")
    sid = ids[1]
    team = layout.assessment_teams(db(), EDITION).document(sid).get().to_dict()["members"]
    leaving, staying = team[0], team[1:]
    visits.propose(db(), EDITION, sid, staying[0], ["2024-03-20T10:00"], "https://meet.example.org/gd-swap")
    visits.confirm(db(), EDITION, sid, "2024-03-20T10:00", by=audit.team(sid))
    mails(fresh, "https://meet.example.org/gd-swap", len(team) + 1)
    leaver, _ = sign_in(assessors.assessor_link(EDITION, leaving, 1), r"(\S+)")
    assert leaver.get(f"{base}/assess/case/{sid}", timeout=30).status_code == 200

    organiser = cloudtest.organiser_session(fresh, "assessment", role="round-lead")
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    assert f'data-replace="{sid}"' in page
    almere = ids[0]  # Dirk works for Almere; everybody else has the most cases already
    almere_member = layout.assessment_teams(db(), EDITION).document(almere).get().to_dict()["members"][0]
    for lang, data, expected in (
        ("", {"joining": dirk}, f"Dirk {CONFLICTED} heeft belangenverstrengeling met {titles[almere]}."),
        ("?lang=en", {"joining": dirk}, f"Dirk {CONFLICTED} has a conflict of interest with {titles[almere]}."),
        ("", {"joining": next(a for a in (staying[0], leaving) if a != almere_member)}, "het hoogste aantal"),
    ):
        if data["joining"] in layout.assessment_teams(db(), EDITION).document(almere).get().to_dict()["members"]:
            expected = "zit al in het team van"
        refused = organiser.post(f"{base}/organiser/round2/replace{lang}", timeout=30, data={
            "csrf": csrf_of(page), "submission_id": almere, "leaving": almere_member, **data})
        assert refused.status_code == 422 and expected in refused.text, (lang, data)  # the choice is at fault
        assert_field_refused(refused.text, f"joining-{almere}")  # (one not eligible is no option to keep)

    # the automatic choice: the least busy who may (Dirk and Fien have no case; Dirk comes first by name)
    replaced = organiser.post(f"{base}/organiser/round2/replace", timeout=30, data={
        "csrf": csrf_of(page), "submission_id": sid, "leaving": leaving, "joining": ""})
    assert replaced.status_code == 200 and f"vervangen door Dirk {CONFLICTED}" in replaced.text, replaced.text[-800:]
    again = organiser.post(f"{base}/organiser/round2/replace", timeout=30, data={  # the form sent twice
        "csrf": csrf_of(page), "submission_id": sid, "leaving": leaving, "joining": dirk})
    assert again.status_code == 200 and f"vervangen door Dirk {CONFLICTED}" in again.text
    members = layout.assessment_teams(db(), EDITION).document(sid).get().to_dict()
    assert members["members"] == [dirk, *staying] and len(members["changes"]) == 1
    assert members["changes"][0]["leaving"] == leaving and members["changes"][0]["report_version"] == 1
    report = reports.get(db(), EDITION, sid)
    assert report["version"] == 1 and sorted(report["signed_off"]) == sorted(staying)  # the same text, still signed
    assert reports.problems(edition, sid, report, [dirk, *staying])  # ... but not yet by Dirk
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    assert re.search(rf'<tr data-case="{sid}">.*?data-report="draft"', page, flags=re.DOTALL)

    # who left loses access at once
    assert leaver.get(f"{base}/assess/case/{sid}", timeout=30).status_code == 404
    with pytest.raises(reports.NotInTeam):
        reports.sign_off(db(), EDITION, sid, leaving, 1)

    # the new member is invited, gets the visit's invitation (nobody gets it twice) and signs off
    invitation = mails(fresh, "/assess/login?token=", 5)
    dirks = [m for m in invitation if m.to == "dirk@example.org"]
    assert len(dirks) == 1
    visit_mails = mails(fresh, "https://meet.example.org/gd-swap", len(team) + 2)
    assert sorted(m.to for m in visit_mails).count("dirk@example.org") == 1
    assert len(visit_mails) == len(team) + 2 and len({m.to for m in visit_mails}) == len(team) + 2
    session, _ = sign_in(dirks[0].text, r"(http://\S+/assess/login\?token=\S+)")
    case_page = session.get(f"{base}/assess/case/{sid}", timeout=30).text
    assert session.post(f"{base}/assess/case/{sid}/signoff", allow_redirects=False, timeout=30,
                        data={"csrf": csrf_of(case_page), "version": "1"}).status_code == 303
    assert not reports.problems(edition, sid, reports.get(db(), EDITION, sid), [dirk, *staying])

    # a second drop-out: the load stays even, so Fien (no case) joins rather than Dirk (one case)
    other = next(s for s in ids[2:] if dirk not in layout.assessment_teams(db(), EDITION).document(s).get().to_dict()[
        "members"])
    out = layout.assessment_teams(db(), EDITION).document(other).get().to_dict()["members"][0]
    assert assessors.replace_member(db(), edition, other, out) == fien
    page_b = layout.reports(db(), EDITION).document(other).get().to_dict()
    assert page_b["signed_off"] and out not in page_b["signed_off"]


def team_of(sid: str) -> list[str]:
    return list(layout.assessment_teams(db(), EDITION).document(sid).get().to_dict()["members"])


def test_an_organiser_withdraws_an_assessor_who_drops_out(intake: Intake, fresh: LocalCloud) -> None:
    """Ada, in teams and with a ballot cast, drops out of round 2. Withdrawing her with a replacement in each team is
    refused while nobody may join (nothing changes, the case is named); withdrawn without replacements, her link and
    session stop working at once, the page shows where a replacement is needed and her ballot as kept but not
    counted, and a second withdrawal changes nothing. Once Fien is imported, withdrawing with replacements puts
    Fien in every team of Ada's: Fien gets one invitation (no mail per case), signs off, and the organiser's
    outcome and decision leave Ada's ballot out. Page texts in Dutch by default."""
    edition, ids, titles, category = reports_done(intake, fresh)
    direct, indirect = ids[:4], ids[4:]
    base = fresh.url("assessment-http")
    ada, cor = (assessors.assessor_id(f"{name}@example.org") for name in ("ada", "cor"))
    mine = [sid for sid in ids if ada in team_of(sid)]
    assert mine

    # Ada votes on her page (the reverse of Cor's ranking: counted together, the direct cases tie)
    link = assessors.assessor_link(EDITION, ada, 1)
    voter, _ = sign_in(link, r"(\S+)")
    page = voter.get(base + "/assess/finalists", timeout=30).text
    assert voter.post(base + "/assess/finalists", data={"csrf": csrf_of(page), **ranks(direct[::-1], indirect)},
                      allow_redirects=False, timeout=30).status_code == 303
    finalists.save_ballot(db(), edition, cor, ranks(direct, indirect))
    organiser = cloudtest.organiser_session(fresh, "assessment", role="round-lead")
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    assert 'data-status="tied"' in page and f'data-withdraw="{ada}"' in page and "heeft gestemd" in page

    # with replacements while every other assessor has the most cases already: refused, nothing changes
    refused = organiser.post(base + "/organiser/round2/assessors/withdraw", timeout=30,
                             data={"csrf": csrf_of(page), "assessor_id": ada, "replace": "yes"})
    assert refused.status_code == 422, refused.text[-800:]  # replacing is what cannot be done: that field says so
    assert_field_refused(refused.text, f"replace-{ada}")
    assert f'id="replace-{ada}" name="replace" value="yes" checked' in refused.text
    assert "Er is niets veranderd: niemand kan de plaats van Ada Assessor innemen in het team van" in refused.text
    assert all(titles[sid] in refused.text for sid in mine)
    assert assessors.get(db(), EDITION, ada)["status"] == "active"
    assert voter.get(base + "/assess", timeout=30).status_code == 200

    # withdrawn without replacements: the link and the session stop working at once
    step = organiser.post(base + "/organiser/round2/assessors/withdraw", timeout=30,
                          data={"csrf": csrf_of(page), "assessor_id": ada})
    assert step.status_code == 200 and "Ada Assessor terugtrekken?" in step.text
    assert assessors.get(db(), EDITION, ada)["status"] == "active"  # the confirmation step changes nothing
    done = organiser.post(base + "/organiser/round2/assessors/withdraw", timeout=30,
                          data={"csrf": csrf_of(page), "assessor_id": ada, "confirmed": "yes"})
    assert done.status_code == 200 and "Ada Assessor is teruggetrokken." in done.text, done.text[-800:]
    assert "Ada Assessor zit nog in het team van" in done.text
    stored = assessors.get(db(), EDITION, ada)
    assert stored["status"] == "withdrawn" and stored["link_version"] == 2
    assert stored["withdrawn_by"] == "organiser:anna@vng.test"
    gone = voter.get(base + "/assess", timeout=30)
    assert gone.status_code == 401 and "Open uw persoonlijke link uit de mail" in gone.text
    assert voter.get(f"{base}/assess/case/{mine[0]}", timeout=30).status_code == 401
    again = requests.get(link, allow_redirects=False, timeout=30)
    assert again.status_code == 401 and "Deze link werkt niet" in again.text and "ingetrokken" in again.text
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    for sid in mine:
        assert f'data-needs-replacement="{sid}"' in page
    assert "Vervanger nodig voor Ada Assessor (teruggetrokken)" in page and "stem bewaard, telt niet mee" in page
    assert re.search(rf'data-assessor="{ada}" data-assessor-status="withdrawn">.*?teruggetrokken op', page)
    assert f'data-withdraw="{ada}"' not in page
    assert layout.assessment_ballots(db(), EDITION).document(ada).get().exists  # kept

    twice = organiser.post(base + "/organiser/round2/assessors/withdraw", timeout=30,
                           data={"csrf": csrf_of(page), "assessor_id": ada})
    assert twice.status_code == 200 and "Ada Assessor was al teruggetrokken." in twice.text
    assert assessors.get(db(), EDITION, ada) == stored and [sid for sid in ids if ada in team_of(sid)] == mine

    # with replacements, once someone may join: Fien takes Ada's place in every team, in one action
    assessors.import_csv(db(), EDITION, "name,email,organisation,language\nFien Fris,fien@example.org,Gemeente Ede,en")
    fien = assessors.assessor_id("fien@example.org")
    replaced = organiser.post(base + "/organiser/round2/assessors/withdraw", timeout=30,
                              data={"csrf": csrf_of(page), "assessor_id": ada, "replace": "yes"})
    assert replaced.status_code == 200, replaced.text[-800:]
    assert "Ada Assessor was al teruggetrokken." in replaced.text
    assert all(f"In het team van {titles[sid]} neemt Fien Fris de plaats in." in replaced.text for sid in mine)
    assert all(fien in team_of(sid) and ada not in team_of(sid) for sid in mine)
    assert 'data-needs-replacement="' not in organiser.get(base + "/organiser/round2", timeout=30).text
    notices = sorted(layout.assessment_teams(db(), EDITION).document(sid).get().to_dict()["changes"][-1]["notice"]
                     for sid in mine)
    assert notices == ["invitation"] + ["none"] * (len(mine) - 1)
    assert assessors.get(db(), EDITION, ada) == stored  # still withdrawn once, at the same moment
    teams_then = {sid: layout.assessment_teams(db(), EDITION).document(sid).get().to_dict() for sid in ids}
    repeated = organiser.post(base + "/organiser/round2/assessors/withdraw", timeout=30,
                              data={"csrf": csrf_of(page), "assessor_id": ada, "replace": "yes"})
    assert repeated.status_code == 200 and "Ada Assessor was al teruggetrokken." in repeated.text
    assert "neemt Fien Fris de plaats in" not in repeated.text
    assert {sid: layout.assessment_teams(db(), EDITION).document(sid).get().to_dict() for sid in ids} == teams_then

    # Fien: one invitation (in English) for all her cases, signs every one off
    fien_id = assessors.assessor_id("fien@example.org")
    try:
        invitation = wait_for(lambda: [m for m in read_mailbox(fresh.maildir)
                                       if m.to == "fien@example.org" and "/assess/login?token=" in m.text],
                              what="Fien's invitation")
    except AssertionError as missing:  # say where it stopped: her record, the mail ledger, notify's log lines
        ledger = {d.id: d.to_dict() for d in layout.mails(db(), EDITION).stream()
                  if (d.to_dict() or {}).get("to") == "fien@example.org"}
        logs = Path(fresh.state["logs"])
        said = [line for log in logs.glob("notify*") for line in log.read_text(errors="replace").splitlines()
                if fien_id in line][-20:]
        raise AssertionError(f"{missing}; assessor {assessors.get(db(), EDITION, fien_id)}; ledger {ledger}; "
                             f"notify said {said}") from None
    assert len(invitation) == 1 and invitation[0].language == "en"
    newcomer, _ = sign_in(invitation[0].text, r"(http://\S+/assess/login\?token=\S+)")
    for sid in mine:
        case_page = newcomer.get(f"{base}/assess/case/{sid}", timeout=30).text
        assert newcomer.post(f"{base}/assess/case/{sid}/signoff", allow_redirects=False, timeout=30, data={
            "csrf": csrf_of(case_page), "version": str(reports.get(db(), EDITION, sid)["version"])}).status_code == 303

    # the outcome counts Cor's ballot only: no tie; the decision keeps Ada's ballot out and names her
    page = organiser.get(base + "/organiser/round2", timeout=30).text
    assert 'data-status="tied"' not in page, page[-2000:]
    assert re.search(rf'data-case="{direct[3]}" data-status="out"', page)
    step = organiser.post(base + "/organiser/round2/confirm", data={"csrf": csrf_of(page)}, timeout=30)
    assert step.status_code == 200 and "Finalisten bevestigen?" in step.text and 'id="consequences"' in step.text
    assert finalists.state(db(), EDITION).get("status", "open") == "open"  # nothing happened yet
    confirmed = organiser.post(base + "/organiser/round2/confirm", data={"csrf": csrf_of(page), "confirmed": "yes"},
                               timeout=30)
    assert confirmed.status_code == 200 and "5 finalisten bevestigd" in confirmed.text, confirmed.text[-600:]
    decision = next(d.to_dict() for d in layout.decisions(db(), EDITION).stream() if d.id.startswith("r2-"))
    assert set(decision["inputs"]["ballots"]) == {cor} and decision["withdrawn_assessors"] == [ada]
    assert decision["finalists"][category] == direct[:3]
    assert layout.assessment_ballots(db(), EDITION).document(ada).get().to_dict()["ballot"][0] == direct[3]
    late = organiser.post(base + "/organiser/round2/assessors/withdraw", timeout=30,
                          data={"csrf": csrf_of(page), "assessor_id": cor})
    assert late.status_code == 409 and "assessoren kunnen niet meer worden teruggetrokken" in late.text
    assert not [m for m in read_mailbox(fresh.maildir) if m.to == "fien@example.org" and "added to the team" in m.text]


def test_an_assessor_invited_before_gets_one_mail_for_the_case_they_join(intake: Intake, fresh: LocalCloud) -> None:
    """A replacement brings in someone who has the invitation already: they get one short mail naming the case, with
    their personal link (Dutch for Ada, English for Ben), not a second invitation; a repeated announcement or a
    redelivered event sends nothing more. A newcomer (Fien) gets the invitation only."""
    from gemeentedelers.notify import round2_mail
    from gemeentedelers.notify.ledger import mail_key
    from gemeentedelers.platform.consumer import Event

    edition, ids, titles, _ = reports_done(intake, fresh)
    ada, ben, cor = (assessors.assessor_id(f"{name}@example.org") for name in ("ada", "ben", "cor"))
    mails(fresh, "/assess/login?token=", 4)  # the teams' invitations
    assessors.import_csv(db(), EDITION, "name,email,organisation,language\nFien Fris,fien@example.org,Gemeente Ede,en")
    fien = assessors.assessor_id("fien@example.org")
    # Fien takes one of Ada's places (an invitation), so Ada has room to join another team
    first = next(sid for sid in ids if ada in team_of(sid))
    assert assessors.replace_member(db(), edition, first, ada, fien) == fien
    second = next(sid for sid in ids if ben in team_of(sid) and ada not in team_of(sid))
    assert assessors.replace_member(db(), edition, second, ben, ada) == ada
    third = next(sid for sid in ids if sid != second and cor in team_of(sid) and ben not in team_of(sid))
    assert assessors.replace_member(db(), edition, third, cor, ben) == ben

    told = mails(fresh, "toegevoegd aan het team van", 1)
    assert [m.to for m in told] == ["ada@example.org"]
    assert told[0].subject == f"U bent toegevoegd aan het team van {titles[second]}" and told[0].language == "nl"
    told_en = mails(fresh, "added to the team of", 1)
    assert [m.to for m in told_en] == ["ben@example.org"] and told_en[0].language == "en"
    assert told_en[0].subject == f"You have been added to the team of {titles[third]}"
    session, home = sign_in(told[0].text, r"(http://\S+/assess/login\?token=\S+)")
    assert home == "/assess" and titles[second] in session.get(fresh.url("assessment-http") + "/assess",
                                                               timeout=30).text

    # the replacement repeated (its announcement interrupted, say) and the event redelivered: nothing more
    assert assessors.replace_member(db(), edition, second, ben, ada) == ada
    change = layout.assessment_teams(db(), EDITION).document(second).get().to_dict()["changes"]
    event_id = f"assessor.added:{EDITION}:{second}:{ada}:{len(change)}"
    assert change[-1]["notice"] == "added"
    event = Event("assessor.added", event_id, EDITION, {"assessor_id": ada, "submission_id": second}, "redelivered",
                  {})
    round2_mail.tell_assessor_added(event)
    ledger = layout.mails(db(), EDITION).document(mail_key(event_id, "assessor_added", "ada@example.org")).get()
    assert ledger.to_dict()["status"] == "sent" and ledger.to_dict()["attempts"] == 1
    invitations = [m.to for m in mails(fresh, "/assess/login?token=", 7) if "toegevoegd" not in m.subject
                   and "added" not in m.subject]
    assert invitations.count("fien@example.org") == 1
    assert invitations.count("ada@example.org") == 1  # the teams' invitation, not a second one
    everything = read_mailbox(fresh.maildir)
    assert [m.to for m in everything if "toegevoegd aan het team van" in m.text] == ["ada@example.org"]
    assert not [m for m in everything if m.to == "fien@example.org" and "added to the team" in m.text]

"""Organisers as named people on the real local cloud: invited, signed in from the mailed single-use link, signed
out, revoked at once; what each role may do; the hand-over between the rounds' hosts; reminders for every role,
once a day; the audit trail keeping a changed score's history and naming who decided."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import cloudtest
import pytest
import requests
from click.testing import CliRunner
from cloudtest import Intake, wait_for

from gemeentedelers.cli import main
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.people import organisers
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers, sheets, waves

EDITION = "gd2024"


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def link_mails(fresh: LocalCloud, to: str, count: int = 1) -> list[str]:
    def found() -> list[str]:
        return [re.search(r"(http://\S+/organiser/login\?token=\S+)", m.text).group(1)  # type: ignore[union-attr]
                for m in read_mailbox(fresh.maildir) if m.to == to and "/organiser/login?token=" in m.text]

    return wait_for(lambda: len(found()) >= count and found(), what=f"{count} sign-in mail(s) to {to}")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner(env={"GD_ORGANISER": None})


def test_an_organiser_is_invited_signs_in_once_signs_out_and_is_revoked_at_once(fresh: LocalCloud,
                                                                                 runner: CliRunner) -> None:
    scoring, jury = fresh.url("scoring-http"), fresh.url("jury-http")
    # the first coordinator is bootstrapped on the command line; a second bootstrap is refused
    first = runner.invoke(main, ["organisers", "add", "--email", "Kim@VNG.test", "--name", "Kim Coördinator",
                                 "--role", "coordinator", "--print-link"])
    assert first.exit_code == 0, first.output
    printed = re.search(r"(http://\S+/organiser/login\?token=\S+)", first.output).group(1)
    again = runner.invoke(main, ["organisers", "add", "--email", "x@vng.test", "--name", "X Y", "--role",
                                 "coordinator"])
    assert again.exit_code == 1 and "only a coordinator adds one (--as)" in again.output
    kim = cloudtest.sign_in(fresh, printed)

    # Kim invites Lea on the console: Lea gets a mailed link; opening it does not use it, the button does
    page = kim.get(scoring + "/organiser/organisers", timeout=30).text
    added = kim.post(scoring + "/organiser/organisers/add", timeout=30,
                     data={"csrf": csrf_of(page), "email": "lea@vng.test", "name": "Lea Leider", "role": "round-lead",
                           "send_link": "yes"})
    assert added.status_code == 200 and "Lea Leider is toegevoegd als rondeleider." in added.text
    assert added.history and added.history[0].status_code == 303  # post/redirect/get
    link = link_mails(fresh, "lea@vng.test")[0]
    lea = requests.Session()
    opened = lea.get(link, timeout=30)
    assert opened.status_code == 200 and 'id="sign-in"' in opened.text
    assert lea.get(scoring + "/organiser", timeout=30).status_code == 401  # not signed in by opening it
    token = re.search(r'name="token" value="([^"]+)"', opened.text).group(1)
    signed_in = lea.post(scoring + "/organiser/login", data={"token": token}, allow_redirects=False, timeout=30)
    assert signed_in.status_code == 303 and signed_in.headers["Location"] == "/organiser"  # no token in the bar
    home = lea.get(scoring + "/organiser", timeout=30)
    assert home.status_code == 200 and "Aangemeld als Lea Leider (rondeleider)." in home.text
    replay = requests.post(scoring + "/organiser/login", data={"token": token}, timeout=30)
    assert replay.status_code == 401 and "al gebruikt" in replay.text  # single use: a logged link is worthless
    forged = requests.post(scoring + "/organiser/login", data={"token": token[:-2] + "xx"}, timeout=30)
    assert forged.status_code == 401

    # asking for a link by e-mail tells nobody who the organisers are
    for email in ("kim@vng.test", "nobody@example.org"):
        asked = requests.post(scoring + "/organiser/login", data={"email": email}, timeout=30)
        assert asked.status_code == 200 and "Als dit adres van een organisator is" in asked.text
    link_mails(fresh, "kim@vng.test")
    assert not [m for m in read_mailbox(fresh.maildir) if m.to == "nobody@example.org"]

    # signing out ends Lea's sessions everywhere (on the jury's host too); signing in again works
    on_jury = requests.Session()
    handed = lea.get(scoring + "/organiser/go/jury?to=/organiser/round3", allow_redirects=False, timeout=30)
    on_jury.get(handed.headers["Location"], timeout=30)
    assert on_jury.get(jury + "/organiser/round3", timeout=30).status_code == 200
    out = lea.post(scoring + "/organiser/logout", data={"csrf": csrf_of(home.text)}, timeout=30)
    assert out.status_code == 200 and "U bent afgemeld" in out.text
    assert lea.get(scoring + "/organiser", timeout=30).status_code == 401
    assert on_jury.get(jury + "/organiser/round3", timeout=30).status_code == 401
    lea = cloudtest.sign_in(fresh, organisers.sign_in_link(organisers.find(db(), "lea@vng.test")))

    # Kim revokes Lea after a confirmation step: Lea's session stops on the next request; Kim's goes on
    page = kim.get(scoring + "/organiser/organisers", timeout=30).text
    step = kim.post(scoring + "/organiser/organisers/revoke", data={"csrf": csrf_of(page), "email": "lea@vng.test"},
                    timeout=30)
    assert step.status_code == 200 and "Toegang van Lea Leider intrekken?" in step.text
    assert lea.get(scoring + "/organiser", timeout=30).status_code == 200
    revoked = kim.post(scoring + "/organiser/organisers/revoke", timeout=30,
                       data={"csrf": csrf_of(page), "email": "lea@vng.test", "confirmed": "yes"})
    assert revoked.status_code == 200 and "De toegang van lea@vng.test is ingetrokken." in revoked.text
    assert lea.get(scoring + "/organiser", timeout=30).status_code == 401
    assert kim.get(scoring + "/organiser", timeout=30).status_code == 200
    listed = json.loads(runner.invoke(main, ["organisers", "list", "--json"]).output)
    assert {p["email"]: p["status"] for p in listed} == {"kim@vng.test": "active", "lea@vng.test": "revoked"}
    refused = runner.invoke(main, ["round1", "wave", "--first", "--as", "lea@vng.test"])
    assert refused.exit_code == 1 and "The access of lea@vng.test is revoked." in refused.output

    actions = [(e["actor"], e["action"], e["target"]) for e in audit.entries(db())]
    assert ("organiser:kim@vng.test", "organiser.added", "organiser:lea@vng.test") in actions
    assert ("organiser:lea@vng.test", "organiser.signed_in", "organiser:lea@vng.test") in actions
    assert ("organiser:lea@vng.test", "organiser.signed_out", "organiser:lea@vng.test") in actions
    assert ("organiser:kim@vng.test", "organiser.revoked", "organiser:lea@vng.test") in actions


def test_a_round_lead_cannot_manage_organisers_and_an_observer_cannot_act(fresh: LocalCloud,
                                                                          runner: CliRunner) -> None:
    scoring = fresh.url("scoring-http")
    lead = cloudtest.organiser_session(fresh, role="round-lead", email="lea@vng.test", name="Lea Leider")
    assert lead.get(scoring + "/organiser/organisers", timeout=30).status_code == 403
    home = lead.get(scoring + "/organiser", timeout=30).text
    assert 'data-nav="organisers"' not in home
    refused = lead.post(scoring + "/organiser/organisers/add", timeout=30,
                        data={"csrf": csrf_of(home), "email": "x@vng.test", "name": "X Y", "role": "coordinator"})
    assert refused.status_code == 403 and "Alleen een coördinator" in refused.text
    assert organisers.find(db(), "x@vng.test") is None
    cli = runner.invoke(main, ["organisers", "add", "--email", "x@vng.test", "--name", "X Y", "--role", "observer",
                               "--as", "lea@vng.test"])
    assert cli.exit_code == 1 and "lea@vng.test is round-lead and may not do this (manage)." in cli.output

    observer = cloudtest.organiser_session(fresh, role="observer", email="olga@vng.test", name="Olga Ogen")
    page = observer.get(scoring + "/organiser/round1", timeout=30)
    assert page.status_code == 200 and "first-wave" not in page.text  # reads, sees no action
    acted = observer.post(scoring + "/organiser/round1/first-wave", data={"csrf": csrf_of(page.text)}, timeout=30)
    assert acted.status_code == 403 and "waarnemer" in acted.text
    assert layout.round_state(db(), EDITION, 1).get().to_dict() is None
    cli = runner.invoke(main, ["round2", "form-teams", "--as", "olga@vng.test"])
    assert cli.exit_code == 1 and "olga@vng.test is observer and may not do this (run)." in cli.output
    assert observer.get(scoring + "/organiser/audit", timeout=30).status_code == 200


def test_the_hand_over_between_hosts_works_once(fresh: LocalCloud) -> None:
    scoring, assessment = fresh.url("scoring-http"), fresh.url("assessment-http")
    anna = cloudtest.organiser_session(fresh)
    home = anna.get(scoring + "/organiser", timeout=30).text
    assert 'href="/organiser/go/assessment?to=/organiser/round2"' in home  # one navigation across the hosts
    go = anna.get(scoring + "/organiser/go/assessment?to=/organiser/round2", allow_redirects=False, timeout=30)
    assert go.status_code == 303 and go.headers["Location"].startswith(assessment + "/organiser/handover?token=")
    # in production every function has its own host, so its own cookie; locally the hosts differ only by port and
    # share cookies, so the browser on the other host is a session without any cookie
    there = requests.Session()
    assert there.get(assessment + "/organiser/round2", timeout=30).status_code == 401
    arrived = there.get(go.headers["Location"], allow_redirects=False, timeout=30)
    assert arrived.status_code == 303 and arrived.headers["Location"] == "/organiser/round2"
    page = there.get(assessment + "/organiser/round2", timeout=30)
    assert page.status_code == 200 and "Ronde 2" in page.text and "Anna de Vries" in page.text
    replay = requests.get(go.headers["Location"], allow_redirects=False, timeout=30)
    assert replay.status_code == 401 and "al gebruikt" in replay.text
    # a hand-over made for one host opens nothing on another
    other = anna.get(scoring + "/organiser/go/jury?to=/organiser/round3", allow_redirects=False, timeout=30)
    token = other.headers["Location"].split("token=", 1)[1]
    assert requests.get(f"{assessment}/organiser/handover?token={token}", timeout=30).status_code == 401
    # and it never leads off the console
    away = anna.get(scoring + "/organiser/go/jury?to=//evil.example.org/", allow_redirects=False, timeout=30)
    handed = requests.get(away.headers["Location"], allow_redirects=False, timeout=30)
    assert handed.headers["Location"] == "/organiser"


def _mails_to(fresh: LocalCloud, subject_start: str) -> list[str]:
    return sorted(m.to for m in read_mailbox(fresh.maildir) if m.subject.startswith(subject_start))


def test_reminders_go_to_every_role_once_a_day_with_the_deadline(intake: Intake, fresh: LocalCloud,
                                                                 runner: CliRunner) -> None:
    edition = get_edition(EDITION)
    cloudtest.add_organiser("lea@vng.test", "Lea Leider", "round-lead")
    lead = ["--as", "lea@vng.test"]
    ids = []
    for n, fields in enumerate(registrations(6, seed=11)):
        fields = {**fields, "category": "Direct" if n < 3 else "Indirect", "co_applicants": [],
                  "municipality": f"Gemeente {n}", "contact_email": f"team{n}@example.org", "language": "nl"}
        answer = intake.post("generic", fields)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    wait_for(lambda: len(list(layout.round1_entries(db(), EDITION).stream())) == 6, what="round-1 entries")

    # scorers
    rows = ["name,email,organisation,capacity"] + [f"Scoorder {n},s{n}@example.org,Org {n},6" for n in range(4)]
    scorers.import_csv(db(), EDITION, "\n".join(rows))
    waves.first_wave(db(), edition)
    behind = {s for s, _ in waves.read_round(db(), EDITION).outstanding()}
    first = runner.invoke(main, ["round1", "remind", *lead])
    assert first.exit_code == 0 and f"{len(behind)} scorers reminded" in first.output
    wait_for(lambda: len(_mails_to(fresh, "Herinnering: ")) == len(behind), what="scorer reminders")
    mail = next(m for m in read_mailbox(fresh.maildir) if m.subject.startswith("Herinnering: "))
    assert "9 januari 2024" in mail.text  # round 1's deadline
    assert "0 scorers reminded" in runner.invoke(main, ["round1", "remind", *lead]).output

    # teams and assessors (round 2)
    fresh.activate(EDITION, edition.timeline.round1_decided + timedelta(days=7))
    cloudtest.decide_round(EDITION, 1, ids)
    wait_for(lambda: len(list(layout.roster(db(), EDITION, 2).stream())) == 6, what="round-2 roster")
    panel = ["name,email,organisation"] + [f"Assessor {n},a{n}@example.org,Bureau {n}" for n in range(5)]
    from gemeentedelers.assessment import assessors

    assessors.import_csv(db(), EDITION, "\n".join(panel))
    assert "teams formed" in runner.invoke(main, ["round2", "form-teams", *lead]).output
    done = runner.invoke(main, ["round2", "remind", *lead])
    assert done.exit_code == 0 and "6 teams reminded" in done.output and "5 assessors reminded" in done.output
    wait_for(lambda: len(_mails_to(fresh, "Herinnering: de onderbouwing")) == 6, what="team reminders")
    wait_for(lambda: len(_mails_to(fresh, "Herinnering: GemeenteDelers 2024, ronde 2")) == 5,
             what="assessor reminders")
    team_mail = next(m for m in read_mailbox(fresh.maildir) if m.subject.startswith("Herinnering: de onderbouwing"))
    # the evidence deadline (before the visits) as a moment, what is left, the link
    assert "vrijdag 1 maart 2024, 17.00 uur" in team_mail.text and "/team/login?token=" in team_mail.text
    assert "Nog in te vullen: " in team_mail.text
    again = runner.invoke(main, ["round2", "remind", *lead])
    assert "0 teams reminded" in again.output and "0 assessors reminded" in again.output

    # jurors (round 3)
    cloudtest.decide_round(EDITION, 2, ids[:2] + ids[3:5], [ids[2], ids[5]])
    wait_for(lambda: len(list(layout.roster(db(), EDITION, 3).stream())) == 4, what="round-3 roster")
    jury = ("name,email,organisation,is_chair\nVera Voorzitter,vera@example.org,VNG,ja\n"
            "Jan Jurylid,jan@example.org,BZK,nee\n")
    from gemeentedelers.jury import jurors

    jurors.import_csv(db(), EDITION, jury)
    assert "2 jurors invited" in runner.invoke(main, ["round3", "open", *lead]).output
    assert "2 jurors reminded" in runner.invoke(main, ["round3", "remind", *lead]).output
    wait_for(lambda: len(_mails_to(fresh, "Herinnering: GemeenteDelers 2024, de jury")) == 2, what="juror reminders")
    assert "0 jurors reminded" in runner.invoke(main, ["round3", "remind", *lead]).output
    reminded = {e["action"] for e in audit.entries(db(), actor="organiser:lea@vng.test")}
    assert {"round1.scorers_reminded", "round2.teams_reminded", "round2.assessors_reminded",
            "round3.jurors_reminded"} <= reminded


def test_a_changed_score_keeps_its_history_and_decisions_name_their_organiser(intake: Intake, fresh: LocalCloud,
                                                                              runner: CliRunner) -> None:
    edition = get_edition(EDITION)
    for fields in registrations(4, seed=12):
        assert intake.post("generic", fields).status_code == 201
    wait_for(lambda: len(list(layout.round1_entries(db(), EDITION).stream())) == 4, what="round-1 entries")
    scorers.import_csv(db(), EDITION, "\n".join(["name,email,organisation"] + [
        f"Scoorder {n},s{n}@example.org,Bureau {n}" for n in range(5)]))
    anna = cloudtest.organiser_session(fresh)
    scoring = fresh.url("scoring-http")
    page = anna.get(scoring + "/organiser/round1", timeout=30).text
    opened = anna.post(scoring + "/organiser/round1/first-wave", data={"csrf": csrf_of(page)}, timeout=60)
    assert opened.status_code == 200 and "Golf 1 toegewezen" in opened.text
    scorer_id, sid = waves.read_round(db(), EDITION).active_pairs[0]
    values = {"succesvol": 4, "waardevol": 5, "herbruikbaar": 6, "tops": "Helder", "tips": "Meer cijfers"}
    sheets.save(db(), edition, scorer_id, sid, values, submit=True)
    sheets.save(db(), edition, scorer_id, sid, {**values, "herbruikbaar": 9}, submit=True)
    history = [e for e in audit.entries(db(), actor=audit.person("scorer", scorer_id))
               if e["target"].endswith(f"{scorer_id}__{sid}")]
    assert [e["action"] for e in history] == ["score.submitted", "score.changed"]
    assert history[1]["before"]["scores"] == {"succesvol": 4, "waardevol": 5, "herbruikbaar": 6}
    assert history[1]["after"]["scores"]["herbruikbaar"] == 9
    assert scorer_id not in json.dumps([e["actor"] for e in history])  # a pseudonym, not the stored id

    waves_by = [e for e in audit.entries(db()) if e["action"] == "round1.wave_assigned"]
    assert [e["actor"] for e in waves_by] == ["organiser:anna@vng.test"]
    as_json = runner.invoke(main, ["audit", "--json", "--actor", "organiser:anna@vng.test"])
    assert as_json.exit_code == 0
    listed = json.loads(as_json.output)
    assert {e["action"] for e in listed} >= {"organiser.signed_in", "round1.wave_assigned"}
    assert all(set(e) >= {"at", "actor", "action", "target", "before", "after"} for e in listed)
    later = runner.invoke(main, ["audit", "--json", "--since", "2999-01-01"])
    assert later.exit_code == 0 and json.loads(later.output) == []
    bad = runner.invoke(main, ["audit", "--since", "gisteren"])
    assert bad.exit_code != 0 and "not an ISO date" in bad.output
    shown = anna.get(scoring + "/organiser/audit", timeout=30)
    assert shown.status_code == 200 and "score.changed" in shown.text and "round1.wave_assigned" in shown.text

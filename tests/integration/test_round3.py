"""Round 3 on the real local cloud: jurors imported and invited, rankings on the juror pages (a conflict of
interest, a tie the chair breaks, special prizes under gd2022 and none under gd2024), the chair's confirmation
under embargo, and the announcement: nothing before the date, once after it, to sponsors and by mail."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import cloudtest
import pytest
import requests
from click.testing import CliRunner
from cloudtest import Intake, decide_round, wait_for
from unit.notify.sponsor_receiver import Receiver

from gemeentedelers.cli.editions import tick
from gemeentedelers.cli.jury import announce
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.entries import composer
from gemeentedelers.jury import jurors as jury_members
from gemeentedelers.jury import round3
from gemeentedelers.notify import sponsors
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db

CONFLICTED = "Almere"  # the municipality of a direct finalist, and the organisation of one juror


def jurors_csv() -> str:
    return "\n".join([
        "name,email,organisation,is_chair,language",
        "Carla Voorzitter,carla@vng.example.org,VNG Realisatie,ja,nl",
        "Anton Lid,anton@example.org,Provincie Utrecht,nee,en",
        f"Bea {CONFLICTED},bea@example.org,Gemeente {CONFLICTED},nee,nl",  # "Gemeente Almere" is Almere
    ])


def jurors_by_email(email: str) -> str:
    from gemeentedelers.jury.jurors import juror_id

    return juror_id(email)


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def register(intake: Intake, fresh: LocalCloud, edition: str) -> dict[str, list[dict[str, object]]]:
    """Six entries, three per category, all made finalists by a round-2 decision; returns them per category."""
    batch = registrations(6, seed=5)
    for n, fields in enumerate(batch):
        batch[n] = {**fields, "category": "Direct" if n < 3 else "Indirect",
                    "municipality": CONFLICTED if n == 0 else f"Gemeente {n}", "co_applicants": []}
    ids = []
    for fields in batch:
        answer = intake.post("generic", fields)
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    decide_round(edition, 2, ids)
    wait_for(lambda: len(list(layout.roster(db(), edition, 3).stream())) == 6, what="round-3 roster")
    records = [layout.submissions(db(), edition).document(sid).get().to_dict() for sid in ids]
    return {"direct": records[:3], "indirect": records[3:]}


def organiser(fresh: LocalCloud) -> requests.Session:
    """A round lead signed in on the jury's host."""
    session = cloudtest.organiser_session(fresh, "jury", role="round-lead")
    answer = session.get(fresh.url("jury-http") + "/organiser/round3", timeout=30)
    assert answer.status_code == 200 and "Ronde 3" in answer.text, answer.text[:300]
    return session


def open_round(fresh: LocalCloud) -> dict[str, requests.Session]:
    """Import the jurors and open the round on the organiser page; sign every juror in from the mail."""
    base = fresh.url("jury-http")
    session = organiser(fresh)
    page = session.get(base + "/organiser/round3", timeout=30).text
    bad = session.post(base + "/organiser/round3/jurors/import", timeout=30,
                       data={"csrf": csrf_of(page), "csv": jurors_csv().replace(",nee,en", ",ja,en")})
    assert bad.status_code == 422 and "precies één voorzitter" in bad.text
    imported = session.post(base + "/organiser/round3/jurors/import", data={"csrf": csrf_of(page), "csv": jurors_csv()},
                            timeout=30)
    assert imported.status_code == 200 and "3 nieuw" in imported.text
    opened = session.post(base + "/organiser/round3/open", data={"csrf": csrf_of(page)}, timeout=30)
    assert opened.status_code == 200 and "3 juryleden uitgenodigd" in opened.text
    invitations = wait_for(lambda: (found := [m for m in read_mailbox(fresh.maildir) if "/jury/login?token=" in m.text])
                           and len(found) == 3 and found, what="three juror invitations")
    sessions = {}
    for mail in invitations:
        link = re.search(r"(http://\S+/jury/login\?token=\S+)", mail.text).group(1)
        juror = requests.Session()
        first = juror.get(link, allow_redirects=False, timeout=30)
        assert first.status_code == 303 and first.headers["Location"] == "/jury"
        sessions[mail.to.split("@")[0]] = juror
    assert (invitations[0].language == "en") == (invitations[0].to == "anton@example.org")
    return sessions


def rank(session: requests.Session, base: str, category: str, order: list[str]) -> requests.Response:
    return places(session, base, category, {sid: n for n, sid in enumerate(order, start=1)})


def places(session: requests.Session, base: str, category: str, given: dict[str, int]) -> requests.Response:
    page = session.get(f"{base}/jury/category/{category}", timeout=30)
    assert page.status_code == 200
    form = {"csrf": csrf_of(page.text), **{f"rank_{sid}": str(n) for sid, n in given.items()}}
    return session.post(f"{base}/jury/category/{category}", data=form, allow_redirects=False, timeout=30)


def ids(entries: list[dict[str, object]]) -> list[str]:
    return [str(e["submission_id"]) for e in entries]


@pytest.fixture
def receivers() -> Iterator[list[Receiver]]:
    made: list[Receiver] = []
    yield made
    for receiver in made:
        receiver.close()


def test_the_jury_decides_and_the_winners_are_announced_once(
        intake: Intake, fresh: LocalCloud, receivers: list[Receiver]) -> None:
    edition = get_edition("gd2024")
    timeline = edition.timeline
    finalists = register(intake, fresh, "gd2024")
    layout.edition(db(), "gd2024").collection("assessors").document("as-1").set(
        {"name": "Aad Assessor", "email": "aad@example.org", "language": "nl"})
    receivers.append(Receiver())
    sponsors.register(db(), "Sponsor BV", receivers[0].url)
    fresh.activate("gd2024", timeline.round2_decided + timedelta(days=10))
    base = fresh.url("jury-http")
    jurors = open_round(fresh)
    direct, indirect = ids(finalists["direct"]), ids(finalists["indirect"])

    field = edition.evidence_fields[0]
    layout.reports(db(), "gd2024").document(direct[0]).set({"summary": "Een sterk rapport.", "version": 1})
    layout.evidence(db(), "gd2024").document(direct[0]).set(
        {"submission_id": direct[0], "fields": {field.key: "Veel bewijs."}, "status": "complete"})
    shown = jurors["carla"].get(base + "/jury/category/direct", timeout=30).text
    assert "Een sterk rapport." in shown and f"{field.label.nl}</strong>: Veel bewijs." in shown
    assert shown.count("data-report") == 1  # the finalists without a report show none, and do not fail
    home = jurors["bea"].get(base + "/jury", timeout=30).text
    assert 'data-status="conflict"' in home and "prize_" not in home  # gd2024 has no special prizes
    conflicted = rank(jurors["bea"], base, "direct", direct)  # a conflict: no vote in Direct, said in Dutch
    assert conflicted.status_code == 409 and "U heeft een belangenconflict in deze categorie" in conflicted.text
    twice = places(jurors["anton"], base, "direct", {direct[0]: 1, direct[1]: 1, direct[2]: 3})
    assert twice.status_code == 422 and 'data-error="twice"' in twice.text
    # Direct: Carla a>b>c and Anton b>a>c give a and b 3 Borda points each; the chair's ranking puts a first.
    assert rank(jurors["carla"], base, "direct", direct).status_code == 303
    assert rank(jurors["anton"], base, "direct", [direct[2], direct[0], direct[1]]).status_code == 303
    assert rank(jurors["anton"], base, "direct", [direct[1], direct[0], direct[2]]).status_code == 303  # changed
    for who, order in (("carla", indirect), ("anton", [indirect[0], indirect[2], indirect[1]]),
                       ("bea", [indirect[1], indirect[0], indirect[2]])):
        assert rank(jurors[who], base, "indirect", order).status_code == 303

    page = jurors["anton"].get(base + "/jury", timeout=30).text
    assert 'id="confirm"' not in page  # only the chair sees the outcome and confirms it
    token = csrf_of(jurors["anton"].get(base + "/jury/category/direct", timeout=30).text)
    refused = jurors["anton"].post(base + "/jury/confirm", data={"csrf": token}, timeout=30)
    assert refused.status_code == 403
    chair_page = jurors["carla"].get(base + "/jury", timeout=30).text
    assert f'data-winner="{direct[0]}"' in chair_page and "beslist door de voorzitter" in chair_page
    step = jurors["carla"].post(base + "/jury/confirm", data={"csrf": csrf_of(chair_page)}, timeout=30)
    assert step.status_code == 200 and "De uitslag bevestigen?" in step.text and 'id="confirm-final"' in step.text
    assert round3.state(db(), "gd2024")["status"] == "open"  # the chair's confirmation step changes nothing
    confirmed = jurors["carla"].post(base + "/jury/confirm", data={"csrf": csrf_of(chair_page), "confirmed": "yes"},
                                     timeout=30)
    assert confirmed.status_code == 200 and "bevestigd" in confirmed.text
    late = rank(jurors["anton"], base, "direct", direct)  # no changes after confirmation; Anton reads English
    assert late.status_code == 409 and "rankings and votes can no longer be changed" in late.text
    late = rank(jurors["bea"], base, "indirect", indirect)
    assert late.status_code == 409 and "niet meer te wijzigen" in late.text
    status = organiser(fresh).get(base + "/organiser/round3", timeout=30).text
    assert 'data-status="confirmed"' in status and "Status: uitslag bevestigd; 3 juryleden." in status
    assert "geheim tot de bekendmaking" in status  # the result's badge

    result = layout.winners(db(), "gd2024").document("result").get().to_dict()
    assert result["status"] == "embargoed" and result["embargo_until"] == timeline.winners_announced
    assert [(w["category"], w["submission_id"]) for w in result["winners"]] == [("direct", direct[0]),
                                                                              ("indirect", indirect[0])]
    decision = layout.decisions(db(), "gd2024").document(result["decision_id"]).get().to_dict()
    assert decision["round"] == 3 and set(decision["ballots"]) == {j["juror_id"] for j in
                                                                   map(lambda d: d.to_dict(),
                                                                       layout.jurors(db(), "gd2024").stream())}
    assert decision["categories"]["direct"]["tie_breaks"][0]["resolved"] is True
    assert "bea" not in str(decision["categories"]["direct"]["jurors"])

    # the final feedback is stored at the confirmation, for the organisers to approve before the announcement
    assert len(composer.approve_all(db(), "gd2024", 3, by=audit.organiser("anna@vng.test"))) == 6

    # Before the date: nothing, and says when.
    session = organiser(fresh)
    output = CliRunner(env={"GD_ORGANISER": None}).invoke(announce, ["--as", "anna@vng.test"],
                                                          catch_exceptions=False).output
    assert "not_due" in output and "2024-06-21" in output
    page = session.get(base + "/organiser/round3", timeout=30).text
    early = session.post(base + "/organiser/round3/announce", data={"csrf": csrf_of(page)}, timeout=30)
    assert early.status_code == 200 and "de winnaars blijven geheim tot 21 juni 2024" in early.text
    # a tick before the date (the scheduler's, or a forged one) only makes the jury check: nothing is due
    assert "Tick published" in CliRunner().invoke(tick, [], catch_exceptions=False).output
    wait_for(lambda: "announce the winners: not_due" in (Path(fresh.state["logs"]) / "jury-events.log").read_text(),
             what="the jury to handle the tick")
    assert receivers[0].accepted() == {}
    assert layout.winners(db(), "gd2024").document("result").get().to_dict()["status"] == "embargoed"

    fresh.activate("gd2024", timeline.winners_announced + timedelta(hours=1))
    assert "Tick published" in CliRunner().invoke(tick, [], catch_exceptions=False).output
    wait_for(lambda: receivers[0].accepted() == {"winners.announced:gd2024": 1}, what="the sponsor's webhook")
    assert layout.winners(db(), "gd2024").document("result").get().to_dict()["status"] == "announced"

    entrants = {str(r["contact"]["email"]) for rs in finalists.values() for r in rs}
    everyone = entrants | {"aad@example.org", "carla@vng.example.org", "anton@example.org", "bea@example.org"}

    def mails() -> tuple[set[str], set[str]]:
        box = read_mailbox(fresh.maildir)
        announced = {m.to for m in box if "winnaars zijn bekend" in m.subject or "winners are known" in m.subject}
        feedback = {m.to for m in box if "ronde 3" in m.subject or "round 3" in m.subject}
        return announced, feedback

    wait_for(lambda: mails() == (everyone, entrants), timeout_s=30, what="announcement and final feedback mails")
    again = CliRunner(env={"GD_ORGANISER": None}).invoke(announce, ["--as", "anna@vng.test"],
                                                         catch_exceptions=False).output
    assert "already_announced" in again
    time.sleep(2.0)
    assert receivers[0].accepted() == {"winners.announced:gd2024": 1} and len(receivers[0].received()) == 1
    box = read_mailbox(fresh.maildir)
    assert len([m for m in box if "/jury/login" not in m.text and ("bekend" in m.subject or "known" in m.subject)]) \
        == len(everyone)
    winner = finalists["direct"][0]["contact"]["email"]
    winner_mail = next(m for m in box if m.to == winner and re.search(r"ronde 3|round 3", m.subject))
    assert "winnaar" in winner_mail.text or "winner" in winner_mail.text
    assert layout.winners(db(), "gd2024").document("result").get().to_dict()["status"] == "announced"


def test_gd2022_awards_its_special_prize(intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition("gd2022")
    timeline = edition.timeline
    fresh.activate("gd2022", timeline.registration_opens + timedelta(days=3))
    finalists = register(intake, fresh, "gd2022")
    fresh.activate("gd2022", timeline.round2_decided + timedelta(days=10))
    base = fresh.url("jury-http")
    jurors = open_round(fresh)
    direct, indirect = ids(finalists["direct"]), ids(finalists["indirect"])
    for who in ("carla", "anton"):
        assert rank(jurors[who], base, "direct", direct).status_code == 303
    for who in ("carla", "anton", "bea"):
        assert rank(jurors[who], base, "indirect", indirect).status_code == 303
    # Bea (Gemeente Almere) may not vote for Almere's entry, nor for one she declared a conflict with.
    page = jurors["bea"].get(base + "/jury", timeout=30).text
    assert f'<option value="{direct[0]}"' not in page.split('id="conflict"')[0]  # not among her trophy choices
    refused = jurors["bea"].post(base + "/jury/prizes", timeout=30,
                                 data={"csrf": csrf_of(page), "prize_actualiteitstrofee": direct[0]})
    assert refused.status_code == 422 and "belangenverstrengeling met deze inzending" in refused.text
    declared = jurors["bea"].post(base + "/jury/conflict", allow_redirects=False, timeout=30,
                                  data={"csrf": csrf_of(page), "submission_id": indirect[1], "reason": "mijn zus"})
    assert declared.status_code == 303
    refused = jurors["bea"].post(base + "/jury/prizes", timeout=30,
                                 data={"csrf": csrf_of(page), "prize_actualiteitstrofee": indirect[1]})
    assert refused.status_code == 422 and 'id="prize_actualiteitstrofee-error"' in refused.text
    assert layout.jurors(db(), "gd2022").document(jurors_by_email("bea@example.org")).get().to_dict()[
        "declared_conflicts"] == {indirect[1]: "mijn zus"}
    # The trophy: Anton and Bea split, the chair's vote for the Indirect winner decides.
    for who, choice in (("carla", indirect[0]), ("anton", direct[1]), ("bea", indirect[0])):
        page = jurors[who].get(base + "/jury", timeout=30).text
        assert 'name="prize_actualiteitstrofee"' in page
        form = {"csrf": csrf_of(page), "prize_actualiteitstrofee": choice}
        saved = jurors[who].post(base + "/jury/prizes", data=form, allow_redirects=False, timeout=30)
        assert saved.status_code == 303
    chair_page = jurors["carla"].get(base + "/jury", timeout=30).text
    assert 'data-prize="actualiteitstrofee"' in chair_page
    assert jurors["carla"].post(base + "/jury/confirm", data={"csrf": csrf_of(chair_page), "confirmed": "yes"},
                                timeout=30).status_code == 200
    result = layout.winners(db(), "gd2022").document("result").get().to_dict()
    assert [(w["prize"], w["submission_id"]) for w in result["winners"]][-1] == ("Actualiteitstrofee", indirect[0])
    assert len(result["winners"]) == 3 and result["status"] == "embargoed"


def test_a_ranking_saved_while_the_chair_confirms_is_counted_or_refused(intake: Intake, fresh: LocalCloud) -> None:
    """A juror changes a ranking at the moment the chair confirms: the change is either in the decision, or the
    juror is told it came too late; never saved and shown as saved but left out of the decision."""
    edition = get_edition("gd2024")
    finalists = register(intake, fresh, "gd2024")
    fresh.activate("gd2024", edition.timeline.round2_decided + timedelta(days=10))
    base = fresh.url("jury-http")
    jurors = open_round(fresh)
    direct, indirect = ids(finalists["direct"]), ids(finalists["indirect"])
    for who in ("carla", "anton"):
        assert rank(jurors[who], base, "direct", direct).status_code == 303
    for who in ("carla", "anton", "bea"):
        assert rank(jurors[who], base, "indirect", indirect).status_code == 303
    anton = next(j["juror_id"] for j in jury_members.all_jurors(db(), "gd2024") if j["email"] == "anton@example.org")
    carla = next(j["juror_id"] for j in jury_members.all_jurors(db(), "gd2024") if j["is_chair"])
    changed = [indirect[2], indirect[1], indirect[0]]
    start = threading.Barrier(2)
    outcome: dict[str, object] = {}

    def change() -> None:
        start.wait()
        try:
            round3.save_ranking(db(), edition, anton, "indirect", {f"rank_{sid}": str(n)
                                                                   for n, sid in enumerate(changed, start=1)})
            outcome["saved"] = True
        except round3.RoundError as refused:
            outcome["saved"] = refused.key

    def confirm() -> None:
        start.wait()
        outcome["result"] = round3.confirm(db(), edition, carla)

    threads = [threading.Thread(target=change), threading.Thread(target=confirm)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    result = outcome["result"]
    assert isinstance(result, dict) and result["confirmed"]
    decision = layout.decisions(db(), "gd2024").document(result["decision_id"]).get().to_dict()
    counted = decision["ballots"][anton]["categories"]["indirect"]
    stored = round3.ballot(db(), "gd2024", anton)["categories"]["indirect"]
    assert counted == stored  # what is stored is what was decided on
    assert (counted == changed) if outcome["saved"] is True else (outcome["saved"] == "r3_err_confirmed"
                                                                   and counted == indirect), outcome
    with pytest.raises(round3.RoundError, match="can no longer be changed"):
        round3.save_ranking(db(), edition, anton, "indirect", {f"rank_{sid}": str(n)
                                                               for n, sid in enumerate(indirect, start=1)})


def test_a_juror_who_drops_out_is_withdrawn_and_the_chair_confirms_without_them(
        intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition("gd2024")
    finalists = register(intake, fresh, "gd2024")
    fresh.activate("gd2024", edition.timeline.round2_decided + timedelta(days=10))
    base = fresh.url("jury-http")
    jurors = open_round(fresh)
    direct, indirect = ids(finalists["direct"]), ids(finalists["indirect"])
    people = {j["email"].split("@")[0]: j for j in jury_members.all_jurors(db(), "gd2024")}
    assert rank(jurors["anton"], base, "indirect", list(reversed(indirect))).status_code == 303  # then drops out
    assert rank(jurors["carla"], base, "direct", direct).status_code == 303
    for who in ("carla", "bea"):
        assert rank(jurors[who], base, "indirect", indirect).status_code == 303
    chair_page = jurors["carla"].get(base + "/jury", timeout=30).text
    waiting = jurors["carla"].post(base + "/jury/confirm", data={"csrf": csrf_of(chair_page)}, timeout=30)
    assert waiting.status_code == 409 and "niet elk jurylid heeft elke categorie gerangschikt" in waiting.text

    session = organiser(fresh)
    page = session.get(base + "/organiser/round3", timeout=30).text
    chair = session.post(base + "/organiser/round3/jurors/withdraw", timeout=30,
                         data={"csrf": csrf_of(page), "juror_id": people["carla"]["juror_id"]})
    assert chair.status_code == 409 and "is voorzitter en kan niet worden teruggetrokken" in chair.text
    gone = session.post(base + "/organiser/round3/jurors/withdraw", timeout=30,
                        data={"csrf": csrf_of(page), "juror_id": people["anton"]["juror_id"], "confirmed": "yes"})
    assert gone.status_code == 200 and "Anton Lid is teruggetrokken." in gone.text
    assert f'data-juror="{people["anton"]["juror_id"]}" data-juror-status="withdrawn"' in gone.text
    again = session.post(base + "/organiser/round3/jurors/withdraw", timeout=30,
                         data={"csrf": csrf_of(page), "juror_id": people["anton"]["juror_id"]})
    assert again.status_code == 200 and "Anton Lid was al teruggetrokken." in again.text
    stored = jury_members.get(db(), "gd2024", people["anton"]["juror_id"])
    assert stored["status"] == "withdrawn" and stored["link_version"] == 2
    assert jurors["anton"].get(base + "/jury", allow_redirects=False, timeout=30).status_code == 401  # link gone

    chair_page = jurors["carla"].get(base + "/jury", timeout=30).text
    confirmed = jurors["carla"].post(base + "/jury/confirm", data={"csrf": csrf_of(chair_page), "confirmed": "yes"},
                                     timeout=30)
    assert confirmed.status_code == 200 and "bevestigd" in confirmed.text
    result = layout.winners(db(), "gd2024").document("result").get().to_dict()
    decision = layout.decisions(db(), "gd2024").document(result["decision_id"]).get().to_dict()
    assert decision["withdrawn_jurors"] == [people["anton"]["juror_id"]]
    assert people["anton"]["juror_id"] not in decision["ballots"]  # kept in jury_ballots, not counted
    assert round3.ballot(db(), "gd2024", people["anton"]["juror_id"])["categories"]["indirect"] == \
        list(reversed(indirect))
    assert [w["submission_id"] for w in result["winners"]] == [direct[0], indirect[0]]
    late = session.post(base + "/organiser/round3/jurors/withdraw", timeout=30,
                        data={"csrf": csrf_of(page), "juror_id": people["bea"]["juror_id"]})
    assert late.status_code == 409 and "niet meer te wijzigen" in late.text

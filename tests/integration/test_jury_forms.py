"""The jury's forms over HTTP on the real local cloud: a special-prize form with two bad prizes is refused whole
(422, each prize's problem at its select, every choice kept, the stored ballot unchanged); a conflict declaration
is refused before anything is stored (no finalist, no reason, a reason too long) and a reason of the longest
length is kept whole; the chair's refused confirmation has one focused summary."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import requests
from cloudtest import Intake, decide_round, wait_for

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import Edition, active, get_edition, versions
from gemeentedelers.editions.specs import load_shipped
from gemeentedelers.jury import jurors, round3
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

CONFLICTED = "Almere"  # the municipality of the first finalist, and Bea's organisation
JURORS = f"""name,email,organisation,is_chair,language
Carla Voorzitter,carla@vng.example.org,VNG Realisatie,ja,nl
Bea {CONFLICTED},bea@example.org,Gemeente {CONFLICTED},nee,nl
"""
EXTRA_PRIZES = [
    {"key": "publieksprijs", "label": {"nl": "Publieksprijs", "en": "Audience award"},
     "description": {"nl": "Voor de inzending die het publiek het meest aansprak.",
                     "en": "For the entry the audience liked best."},
     "eligibility": "finalists", "decided_by": "jury_vote"},
    {"key": "samenwerkingsprijs", "label": {"nl": "Samenwerkingsprijs", "en": "Cooperation award"},
     "description": {"nl": "Voor de beste samenwerking tussen gemeenten.",
                     "en": "For the best cooperation between municipalities."},
     "eligibility": "finalists", "decided_by": "jury_vote"},
]


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def select_of(html: str, control: str) -> str:
    found = re.search(rf'<select id="{control}"[^>]*>.*?</select>', html, re.DOTALL)
    assert found, f"no select #{control}"
    return found.group(0)


def selected(html: str, control: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select_of(html, control))


def summary_targets(html: str) -> list[str]:
    summary = html.split('id="errors"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def three_prize_edition(fresh: LocalCloud) -> Edition:
    """gd2022 with two more special prizes, published and active with the clock in round 3."""
    spec = load_shipped("gd2022")
    spec["special_prizes"] = [*spec["special_prizes"], *EXTRA_PRIZES]
    published = versions.publish(db(), spec, by="organiser:test@vng.example.org")
    activation = active.activate(db(), "gd2022", version=published.version, force=True,
                                 reason="a test of the jury's forms with three prizes",
                                 competition_now=get_edition("gd2022").timeline.round2_decided + timedelta(days=10),
                                 by="organiser:test@vng.example.org")
    fresh.wait_until_served(activation.edition.spec_hash)
    return activation.edition


@pytest.fixture
def jury(intake: Intake, fresh: LocalCloud) -> tuple[Edition, dict[str, list[str]], dict[str, requests.Session]]:
    """Six finalists of gd2022 (three a category), the three-prize edition active, round 3 open, Carla (chair)
    and Bea signed in by their personal links."""
    timeline = get_edition("gd2022").timeline
    fresh.activate("gd2022", timeline.registration_opens + timedelta(days=3))
    ids = []
    for n, fields in enumerate(registrations(6, seed=11)):
        answer = intake.post("generic", {**fields, "category": "Direct" if n < 3 else "Indirect",
                                         "municipality": CONFLICTED if n == 0 else f"Gemeente {n}",
                                         "co_applicants": []})
        assert answer.status_code == 201, answer.text
        ids.append(answer.json()["submission_id"])
    decide_round("gd2022", 2, ids)
    wait_for(lambda: len(list(layout.roster(db(), "gd2022", 3).stream())) == 6, what="round-3 roster")
    edition = three_prize_edition(fresh)
    assert [p.key for p in edition.special_prizes] == ["actualiteitstrofee", "publieksprijs", "samenwerkingsprijs"]
    jurors.import_csv(db(), "gd2022", JURORS)
    round3.open_round(db(), edition)
    sessions = {}
    for email in ("carla@vng.example.org", "bea@example.org"):
        session = requests.Session()
        first = session.get(jurors.juror_link("gd2022", jurors.juror_id(email), 1), allow_redirects=False, timeout=30)
        assert first.status_code == 303 and first.headers["Location"] == "/jury"
        sessions[email.split("@")[0]] = session
    shortlist = round3.finalists(db(), edition)
    found = {c: [e["submission_id"] for e in es] for c, es in shortlist.items()}
    found["conflicted"] = [e["submission_id"] for es in shortlist.values() for e in es
                           if e["municipality"] == CONFLICTED]
    assert len(found["conflicted"]) == 1
    return edition, found, sessions


def test_a_prize_form_with_two_bad_prizes_is_refused_whole_and_keeps_every_choice(
        fresh: LocalCloud, jury: tuple[Edition, dict[str, list[str]], dict[str, requests.Session]]) -> None:
    _, finalists, sessions = jury
    base = fresh.url("jury-http")
    indirect = finalists["indirect"]
    bea = sessions["bea"]
    page = bea.get(base + "/jury", timeout=30).text
    good = {"prize_actualiteitstrofee": indirect[0], "prize_publieksprijs": indirect[1],
            "prize_samenwerkingsprijs": ""}
    saved = bea.post(base + "/jury/prizes", data={"csrf": csrf_of(page), **good}, allow_redirects=False, timeout=30)
    assert saved.status_code == 303
    bea_id = jurors.juror_id("bea@example.org")
    before = round3.ballot(db(), "gd2022", bea_id)
    assert before["prizes"] == {"actualiteitstrofee": indirect[0], "publieksprijs": indirect[1],
                                "samenwerkingsprijs": None}

    sent = {"prize_actualiteitstrofee": finalists["conflicted"][0],  # Almere's entry: Bea's conflict of interest
            "prize_publieksprijs": "no-such-entry",  # not eligible
            "prize_samenwerkingsprijs": indirect[2]}  # fine, and kept
    refused = bea.post(base + "/jury/prizes", data={"csrf": csrf_of(page), **sent}, timeout=30)
    assert refused.status_code == 422
    html = refused.text
    assert "<title>Fout:" in html and html.count("autofocus") == 1
    assert summary_targets(html) == ["prize_actualiteitstrofee", "prize_publieksprijs"]
    assert "belangenverstrengeling met deze inzending" in html and "komt niet in aanmerking" in html
    for control in ("prize_actualiteitstrofee", "prize_publieksprijs"):
        opening = re.search(rf'<select id="{control}"[^>]*>', html).group(0)
        assert 'aria-invalid="true"' in opening and f"{control}-error" in opening
        assert f'<p class="field-error" id="{control}-error">' in html
    assert 'aria-invalid' not in re.search(r'<select id="prize_samenwerkingsprijs"[^>]*>', html).group(0)
    for name, value in sent.items():
        assert selected(html, name) == [value], name
    assert all(select_of(html, name).count('<option value="">Kies een finalist</option>') == 1 for name in sent)
    after = round3.ballot(db(), "gd2022", bea_id)
    assert after["prizes"] == before["prizes"] and after["updated_at"] == before["updated_at"]


def test_a_conflict_declaration_is_refused_before_anything_is_stored(
        fresh: LocalCloud, jury: tuple[Edition, dict[str, list[str]], dict[str, requests.Session]]) -> None:
    _, finalists, sessions = jury
    base = fresh.url("jury-http")
    bea, bea_id = sessions["bea"], jurors.juror_id("bea@example.org")
    page = bea.get(base + "/jury", timeout=30).text
    assert '<option value="">Kies een finalist</option>' in select_of(page, "conflict_entry")
    assert 'maxlength="500"' in page and 'id="conflict_reason-hint"' in page

    empty = bea.post(base + "/jury/conflict", data={"csrf": csrf_of(page), "submission_id": "", "reason": " "},
                     timeout=30)
    assert empty.status_code == 422 and empty.text.count("autofocus") == 1
    assert summary_targets(empty.text) == ["conflict_entry", "conflict_reason"]
    assert "Kies een finalist uit de lijst." in empty.text and "Schrijf op waarom" in empty.text
    assert 'aria-describedby="conflict_reason-hint conflict_reason-error" aria-invalid="true"' in empty.text

    chosen = finalists["indirect"][1]
    long = "a" * 501
    too_long = bea.post(base + "/jury/conflict", data={"csrf": csrf_of(page), "submission_id": chosen,
                                                       "reason": long}, timeout=30)
    assert too_long.status_code == 422 and summary_targets(too_long.text) == ["conflict_reason"]
    assert "Uw reden is 501 tekens lang. Gebruik hoogstens 500 tekens." in too_long.text
    assert selected(too_long.text, "conflict_entry") == [chosen]
    assert re.search(r'<textarea id="conflict_reason"[^>]*>([^<]*)</textarea>', too_long.text).group(1) == long
    assert "declared_conflicts" not in jurors.get(db(), "gd2022", bea_id)

    whole = "b" * 500
    declared = bea.post(base + "/jury/conflict", data={"csrf": csrf_of(page), "submission_id": chosen,
                                                       "reason": whole}, allow_redirects=False, timeout=30)
    assert declared.status_code == 303
    assert jurors.get(db(), "gd2022", bea_id)["declared_conflicts"] == {chosen: whole}


def test_the_chairs_refused_confirmation_has_one_focused_summary(
        fresh: LocalCloud, jury: tuple[Edition, dict[str, list[str]], dict[str, requests.Session]]) -> None:
    _, _, sessions = jury
    base = fresh.url("jury-http")
    carla = sessions["carla"]
    home = carla.get(base + "/jury?lang=en", timeout=30)
    assert home.status_code == 200 and home.text.count("autofocus") == 0
    options = re.findall(r'<option value="[^"]+"[^>]*>', select_of(home.text, "conflict_entry"))
    assert options and all(' lang="nl"' in o for o in options)  # Dutch titles on an English page
    for data in ({}, {"confirmed": "yes"}):  # the step, and the final confirmation, both refused: nothing ranked
        refused = carla.post(base + "/jury/confirm", data={"csrf": csrf_of(home.text), **data}, timeout=30)
        assert refused.status_code == 409, refused.text[:300]
        assert refused.text.count("autofocus") == 1 and refused.text.count('role="alert"') == 1
        assert "not every juror has ranked every category" in refused.text  # ?lang=en stays chosen
        assert "Carla Voorzitter" in refused.text.split('id="problem"', 1)[1].split("</div>", 1)[0]  # what is missing
        assert re.search(r'id="confirm-final"\s+disabled', refused.text)
    assert round3.state(db(), "gd2022")["status"] == "open"

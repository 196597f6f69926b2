"""The organisers' forms on the real local cloud: a refused field answers 422 and is marked (aria-invalid, its
message tied by aria-describedby, a summary linking to it), what was typed comes back, and nothing is stored; a
refusal of state (a round not open) stays 409 for the whole form."""

from __future__ import annotations

import re

import cloudtest
import pytest
import requests
from cloudtest import main_of
from formcheck import assert_field_refused, assert_no_field_refused

from gemeentedelers.assessment import assessors
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import read_mailbox
from gemeentedelers.jury import jurors
from gemeentedelers.people import organisers
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import scorers

EDITION = "gd2024"
BAD_CSV = "name,email,organisation\nAnna Bakker,geen-adres,Gemeente Zeist\n"
"""A CSV whose one row has no usable address: refused as a whole, so nothing is stored."""


def csrf_of(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def post_form(session: requests.Session, base: str, page: str, action: str, **fields: str) -> requests.Response:
    """Open ``page``, then post ``fields`` to ``action`` with the page's CSRF token, as the form does."""
    shown = session.get(base + page, timeout=30)
    assert shown.status_code == 200, shown.text
    return session.post(base + action, data={"csrf": csrf_of(shown.text), **fields}, timeout=60)


@pytest.mark.parametrize(("service", "page", "action", "stored"), [
    ("scoring", "/organiser/round1", "/organiser/scorers/import", lambda: scorers.all_scorers(db(), EDITION)),
    ("assessment", "/organiser/round2", "/organiser/round2/assessors/import",
     lambda: assessors.all_assessors(db(), EDITION)),
    ("jury", "/organiser/round3", "/organiser/round3/jurors/import", lambda: jurors.all_jurors(db(), EDITION)),
])
def test_a_bad_csv_import_marks_the_csv_field_and_keeps_the_text(fresh: LocalCloud, service: str, page: str,
                                                                 action: str, stored: object) -> None:
    session = cloudtest.organiser_session(fresh, service)
    answer = post_form(session, fresh.url(f"{service}-http"), page, action, csv=BAD_CSV)
    assert answer.status_code == 422, answer.text[:500]
    said = assert_field_refused(answer.text, "csv", typed=BAD_CSV)
    assert said.startswith("CSV"), said  # the message names the file, row and column at fault
    assert stored() == []  # type: ignore[operator]
    english = post_form(session, fresh.url(f"{service}-http"), page + "?lang=en", action + "?lang=en", csv=BAD_CSV)
    assert english.status_code == 422 and assert_field_refused(english.text, "csv", typed=BAD_CSV) != said


def test_a_wave_budget_that_is_no_number_marks_the_budget_field(fresh: LocalCloud) -> None:
    session = cloudtest.organiser_session(fresh)
    base = fresh.url("scoring-http")
    layout.round_state(db(), EDITION, 1).set({"status": "open"}, merge=True)  # the budget field is shown when open
    answer = post_form(session, base, "/organiser/round1", "/organiser/round1/wave", budget="veel")
    assert answer.status_code == 422, answer.text[:500]
    assert_field_refused(answer.text, "budget", typed="veel", says="geheel getal van 1 of meer")
    assert not [e for e in audit.entries(db()) if "wave" in e.get("action", "")]  # no wave was assigned


def test_a_state_refusal_stays_409_for_the_whole_form(fresh: LocalCloud) -> None:
    session = cloudtest.organiser_session(fresh)
    answer = post_form(session, fresh.url("scoring-http"), "/organiser/round1", "/organiser/round1/wave", budget="3")
    assert answer.status_code == 409 and "Ronde 1 is nog niet geopend." in answer.text
    assert_no_field_refused(answer.text)
    assert 'id="problem"' in answer.text and "autofocus" in answer.text


@pytest.mark.parametrize(("fields", "refused", "says"), [
    ({"name": "Lea Leider", "email": "lea@", "role": "round-lead"}, "email", "geldig e-mailadres"),
    ({"name": "Lea Leider", "email": "lea@vng.test", "role": "baas"}, "role", "rollen"),
    ({"name": "L", "email": "lea@vng.test", "role": "observer"}, "name", "2 tot 100 tekens"),
])
def test_the_add_organiser_form_marks_the_field_at_fault(fresh: LocalCloud, fields: dict[str, str], refused: str,
                                                         says: str) -> None:
    session = cloudtest.organiser_session(fresh)
    answer = post_form(session, fresh.url("scoring-http"), "/organiser/organisers", "/organiser/organisers/add",
                       send_link="yes", **fields)
    assert answer.status_code == 422, answer.text[:500]
    assert_field_refused(answer.text, refused, typed=fields[refused] if refused != "role" else None, says=says)
    for name in ("name", "email"):  # the other fields keep what was typed too
        assert f'value="{fields[name]}"' in answer.text
    assert organisers.find(db(), "lea@vng.test") is None
    assert not [m for m in read_mailbox(fresh.maildir) if m.to == "lea@vng.test"]


def test_the_add_organiser_form_marks_every_field_at_fault_at_once(fresh: LocalCloud) -> None:
    session = cloudtest.organiser_session(fresh)
    fields = {"name": "L", "email": "lea@", "role": "baas"}
    answer = post_form(session, fresh.url("scoring-http"), "/organiser/organisers", "/organiser/organisers/add",
                       **fields)
    assert answer.status_code == 422, answer.text[:500]
    assert_field_refused(answer.text, "name", typed="L", says="2 tot 100 tekens")
    assert_field_refused(answer.text, "email", typed="lea@", says="geldig e-mailadres")
    assert_field_refused(answer.text, "role", says="rollen")
    assert organisers.find(db(), "lea@") is None


def test_the_audit_filter_refuses_a_date_it_cannot_read(fresh: LocalCloud) -> None:
    session = cloudtest.organiser_session(fresh)
    answer = session.get(fresh.url("scoring-http") + "/organiser/audit", params={"since": "gisteren"}, timeout=30)
    assert answer.status_code == 422, answer.text[:500]
    assert_field_refused(answer.text, "since", typed="gisteren", says="2024-01-09")
    good = session.get(fresh.url("scoring-http") + "/organiser/audit", params={"since": "2024-01-09"}, timeout=30)
    assert good.status_code == 200
    assert_no_field_refused(good.text)


@pytest.mark.parametrize(("email", "says"), [("", "Vul uw e-mailadres in."), ("kim@", "geldig e-mailadres")])
def test_asking_for_a_link_with_a_bad_address_marks_the_field(fresh: LocalCloud, email: str, says: str) -> None:
    answer = requests.post(fresh.url("scoring-http") + "/organiser/login", data={"email": email}, timeout=30)
    assert answer.status_code == 422, answer.text[:500]
    assert_field_refused(answer.text, "email", typed=email, says=says)
    assert 'autocomplete="email"' in answer.text and 'inputmode="email"' in answer.text
    assert list(db().collection("rate_limits").stream())  # counted: a bad address is a try like any other


def test_any_well_formed_address_gets_the_same_link_sent_page(fresh: LocalCloud) -> None:
    organisers.add(db(), email="kim@vng.test", name="Kim Coördinator", role="coordinator", by=None)
    url = fresh.url("scoring-http") + "/organiser/login"
    known = requests.post(url, data={"email": "kim@vng.test"}, timeout=30)
    unknown = requests.post(url, data={"email": "nobody@example.org"}, timeout=30)
    assert known.status_code == unknown.status_code == 200
    assert main_of(known.text) == main_of(unknown.text) and 'id="notice"' in known.text
    assert_no_field_refused(known.text)


def test_the_rate_limit_is_checked_before_the_address(fresh: LocalCloud) -> None:
    from test_rate_limits import PER_IP, within_one_window

    url = fresh.url("scoring-http") + "/organiser/login"
    within_one_window(60, 600)
    answers = [requests.post(url, data={"email": "kim@"}, timeout=30) for _ in range(PER_IP + 1)]
    assert [a.status_code for a in answers] == [422] * PER_IP + [429]

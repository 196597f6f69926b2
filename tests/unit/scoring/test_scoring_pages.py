"""Round 1's service as people read it: refusals and form problems in Dutch by default, English on request,
and the English ``str()`` the CLI and the logs keep. No emulator: nothing here reaches Firestore."""

from __future__ import annotations

from typing import Any

import pytest
from werkzeug.test import EnvironBuilder
from werkzeug.wrappers import Request

from gemeentedelers.editions import get_edition
from gemeentedelers.scoring import rounds, scorers, sheets, verdict, waves, web
from gemeentedelers.scoring.waves import RoundData
from gemeentedelers.web.refusals import FormRefused, Refusal, explain

EDITION = get_edition("gd2024")


def request(method: str = "GET", query: str = "", form: dict[str, str] | None = None) -> Request:
    return Request(EnvironBuilder(method=method, query_string=query, data=form).get_environ())


def test_a_round_that_is_not_open_says_so_in_both_languages() -> None:
    refused = rounds.RoundNotOpen("round_not_open", round=1, status="not_opened")
    assert refused.text("nl") == "Ronde 1 is nog niet geopend."
    assert str(refused) == refused.text("en") == "Round 1 is not opened."
    assert rounds.RoundNotOpen("round_not_open", round=1, status="decided").text("nl") == (
        "Ronde 1 is afgerond (besluit genomen).")
    assert rounds.RoundNotOpen("round_not_open", round=1, status="odd_state").text("nl") == "Ronde 1 is odd state."
    # still caught where a RuntimeError was, and now where a refusal (ValueError) is
    assert isinstance(refused, RuntimeError) and isinstance(refused, ValueError)


@pytest.mark.parametrize(("status", "dutch", "english"), [
    ("not_opened", "nog niet geopend", "not opened"),
    ("open", "open", "open"),
    ("closed", "gesloten", "closed"),
    ("decided", "afgerond (besluit genomen)", "decided"),
])
def test_every_round_status_has_a_name(status: str, dutch: str, english: str) -> None:
    assert (rounds.status_text(status, "nl"), rounds.status_text(status, "en")) == (dutch, english)


def test_a_score_is_refused_field_by_field_in_the_scorers_language() -> None:
    with pytest.raises(sheets.ScoreInvalid) as caught:
        sheets.validate(EDITION, {"succesvol": "veel", "waardevol": "11", "tops": "x" * 2001}, final=True)
    problem = caught.value
    dutch = {field: why.text("nl") for field, why in problem.errors.items()}
    english = {field: why.text("en") for field, why in problem.errors.items()}
    assert dutch == {"succesvol": "'veel' is geen geheel getal", "waardevol": "kies van 1 tot en met 10",
                     "herbruikbaar": "verplicht", "tops": "hoogstens 2000 tekens", "tips": "verplicht"}
    assert english["succesvol"] == "'veel' is not a whole number" and english["herbruikbaar"] == "required"
    assert str(problem).startswith("succesvol: 'veel' is not a whole number; waardevol: must be from 1 to 10")
    assert explain(problem, "nl").startswith("succesvol: 'veel' is geen geheel getal; waardevol: kies van 1")


def test_refusals_keep_the_exception_types_their_callers_catch() -> None:
    assert isinstance(sheets.NotAssigned("entry_not_assigned"), LookupError)
    assert isinstance(scorers.UnknownScorer("scorer_unknown", scorer="sc-1"), LookupError)
    assert isinstance(verdict.NothingToDecide("round1_no_entries"), LookupError)
    assert explain(sheets.NotAssigned("entry_not_assigned"), "nl") == "Deze inzending is niet (meer) aan u toegewezen."
    assert str(scorers.UnknownScorer("scorer_unknown", scorer="sc-1")) == "There is no scorer sc-1."


def round_data(capacities: dict[str, int], pairs: list[tuple[str, str]]) -> RoundData:
    scorer_records = {sid: {"status": "approved", "capacity": cap, "organisation": "X"} for sid, cap in
                      capacities.items()}
    assignments = [{"scorer_id": s, "submission_id": e, "status": "assigned"} for s, e in pairs]
    return RoundData(entries={"e1": {}, "e2": {}}, scorers=scorer_records, assignments=assignments, scores=[])


@pytest.mark.parametrize(("capacities", "pairs", "needed", "key"), [
    ({}, [], 6, "wave_no_scorers"),
    ({"a": 2, "b": 2}, [("a", "e1")], 6, "wave_no_capacity"),
    ({"a": 5, "b": 5}, [], 6, "wave_blocked"),
])
def test_a_wave_that_does_not_fit_says_what_the_organiser_can_do(
    capacities: dict[str, int], pairs: list[tuple[str, str]], needed: int, key: str
) -> None:
    refused = waves._no_room(EDITION, round_data(capacities, pairs), needed)
    assert refused.key == key
    if key == "wave_no_capacity":
        assert refused.values == {"scorers": 2, "room": 3, "needed": 6}
        assert refused.text("nl").startswith("Deze golf past niet: de 2 goedgekeurde beoordelaars kunnen samen nog 3")


@pytest.mark.parametrize("budget", ["veel", "2.5", "0"])
def test_an_adaptive_wave_needs_a_whole_number(budget: str) -> None:
    with pytest.raises(FormRefused) as caught:
        web._adaptive_wave(EDITION, request("POST", form={"budget": budget}), None)  # refused before it is used
    assert caught.value.field == "budget"  # the page marks the budget field, not the whole form
    assert caught.value.text("nl").startswith("Vul bij extra scores een geheel getal")


def test_a_negative_budget_is_refused_before_anything_is_read() -> None:
    with pytest.raises(waves.WaveRefused, match="whole number of 1 or more"):
        waves.adaptive_wave(None, EDITION, -3)  # type: ignore[arg-type]  # refused before the database is used


@pytest.fixture
def no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """Sign-up problems are found before anything is stored; any use of the database fails the test."""

    def unused() -> Any:
        raise AssertionError("the database was used")

    monkeypatch.setattr(web, "db", lambda: None)
    monkeypatch.setattr(web, "_edition", lambda: EDITION)
    monkeypatch.setattr(scorers, "create_once", lambda *a, **k: unused())


@pytest.mark.usefixtures("no_database")
@pytest.mark.parametrize(("query", "expected", "absent"), [
    ("", ["Geen geldig e-mailadres.", "Dit veld is verplicht.", "Gebruik 2 tot 100 tekens.",
          "Taal van mails en pagina", "Kies een van: nl, en."], ["Not a valid email address."]),
    ("lang=en", ["Not a valid email address.", "Missing data for required field.",
                 "Length must be between 2 and 100.", "Language of mails and pages"], ["Geen geldig e-mailadres."]),
])
def test_sign_up_problems_in_the_pages_language(query: str, expected: list[str], absent: list[str]) -> None:
    answer = web.signup(request("POST", query, {"name": "A", "email": "nope", "organisation": "", "language": "fr"}))
    html = answer.get_data(as_text=True)
    assert answer.status_code == 422
    for text in expected:
        assert text in html, text
    for text in absent:
        assert text not in html, text


def test_a_refusal_page_is_in_the_persons_language() -> None:
    page = web._refused(404, sheets.NotAssigned("entry_not_assigned"), "nl").get_data(as_text=True)
    assert "Dat lukt niet" in page and "niet (meer) aan u toegewezen" in page
    page = web._refused(404, Refusal("entry_not_assigned"), "en").get_data(as_text=True)
    assert "That did not work" in page and "no longer) assigned to you" in page

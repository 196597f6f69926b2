"""Withdrawing an assessor who drops out of round 2, and how someone who joins a team hears of it: the plan of
replacements, the notice per join, the organiser page and the refusals, in Dutch and English."""

from __future__ import annotations

from datetime import UTC, datetime

import pagecontext
import pytest

from gemeentedelers.assessment import assessors
from gemeentedelers.editions import get_edition
from gemeentedelers.platform.events import topic_for
from gemeentedelers.web.messages import MESSAGES
from gemeentedelers.web.pages import render
from gemeentedelers.web.refusals import Refusal


def _person(aid: str, organisation: str, **extra: object) -> dict[str, object]:
    return {"assessor_id": aid, "name": aid.upper(), "organisation": organisation, "status": "active", **extra}


def _entry(sid: str, municipality: str) -> dict[str, object]:
    return {"submission_id": sid, "title": f"Casus {sid}", "municipality": municipality, "co_applicants": []}


def test_withdraw_refusals_are_refusals_with_both_texts() -> None:
    assert issubclass(assessors.WithdrawRefused, Refusal) and issubclass(assessors.WithdrawRefused, ValueError)
    for key in ("r2_err_withdraw_final", "r2_err_withdraw_no_replacement", "r2_withdrew", "r2_withdrew_already",
                "r2_withdraw_replaced", "r2_withdraw_needs_replacement", "r2_needs_replacement",
                "r2_ballot_not_counted", "r2_withdrawn_on"):
        assert MESSAGES[key]["nl"] and MESSAGES[key]["en"], key
    final = assessors.WithdrawRefused("r2_err_withdraw_final")
    assert final.text("nl") == ("De finalisten worden of zijn bevestigd: assessoren kunnen niet meer worden "
                                "teruggetrokken.")
    assert str(final) == "The finalists are being or have been confirmed: assessors can no longer be withdrawn."


def test_replacements_are_planned_least_busy_first_counting_the_places_given() -> None:
    edition = get_edition("gd2024")  # at most 4 cases per assessor; one's own organisation is a conflict
    people = [_person("a", "VNG"), _person("b", "Divosa"), _person("c", "Logius"), _person("d", "KING")]
    formed = {"s1": ["a", "b"], "s2": ["a", "c"], "s3": ["b", "c"]}
    entries = {sid: _entry(sid, "Ede") for sid in formed}
    plan = assessors.plan_replacements(edition, people, formed, entries, "a")
    # d has no case: d takes the first; then d (1) is still the least busy for the second
    assert plan == {"s1": "d", "s2": "d"}
    assert assessors.plan_replacements(edition, people, formed, entries, "d") == {}  # in no team: nothing to plan


def test_the_case_with_the_fewest_candidates_is_served_first() -> None:
    edition = get_edition("gd2024")
    # only b may take the Almere case (c and d work there), and b has room for one more case: taking the cases in
    # title order would give b the other case and leave the Almere case without anyone
    people = [_person("a", "VNG"), _person("b", "KING"), _person("c", "Almere"), _person("d", "Almere")]
    formed = {"s1": ["a"], "s2": ["a"], "x1": ["b", "c", "d"], "x2": ["b", "c", "d"], "x3": ["b", "c", "d"]}
    entries = {"s1": _entry("s1", "Ede"), "s2": _entry("s2", "Almere")}
    assert assessors.plan_replacements(edition, people, formed, entries, "a") == {"s2": "b", "s1": "c"}


def test_a_case_nobody_may_join_is_named_and_nothing_is_planned() -> None:
    edition = get_edition("gd2024")
    people = [_person("a", "VNG"), _person("b", "Almere"), _person("c", "Logius", status="withdrawn")]
    formed = {"s1": ["a"], "s2": ["a"]}
    entries = {"s1": _entry("s1", "Almere"), "s2": _entry("s2", "Ede")}
    with pytest.raises(assessors.WithdrawRefused) as refused:
        assessors.plan_replacements(edition, people, formed, entries, "a")
    assert refused.value.text("nl").startswith(
        "Er is niets veranderd: niemand kan de plaats van A innemen in het team van Casus s1 (")
    assert "nobody can take the place of A in the team of Casus s1 (" in str(refused.value)
    assert "Casus s2" not in str(refused.value)


@pytest.mark.parametrize(("joiner", "had_cases", "same_action", "expected"), [
    ({"link_version": 1}, False, False, "invitation"),  # imported, never in a team
    ({"link_version": 1}, True, False, "added"),  # formed into a team before invited_version was kept
    ({"link_version": 1, "invited_version": 1}, False, False, "added"),  # invited, later replaced out of every team
    ({"link_version": 2, "invited_version": 1}, True, False, "invitation"),  # a new link needs a new invitation
    ({"link_version": 1, "invited_version": 1}, True, True, "none"),  # invited a moment ago, for another case
])
def test_who_joins_a_team_hears_of_it_once(joiner: dict[str, object], had_cases: bool, same_action: bool,
                                           expected: str) -> None:
    assert assessors.join_notice(joiner, had_cases=had_cases, invited_in_this_action=same_action) == expected


def test_assessor_added_is_in_the_catalogue_for_notify() -> None:
    topic = topic_for("assessor.added")
    assert topic.publisher == "assessment" and topic.subscribers == ("notify",) and not topic.public
    loaded = topic.schema().load({"event_id": "assessor.added:gd2024:s1:as-1:2", "event_type": "assessor.added",
                                  "schema_version": 1, "edition": "gd2024",
                                  "occurred_at": "2024-03-01T10:00:00+00:00", "assessor_id": "as-1",
                                  "submission_id": "s1"})
    assert loaded["submission_id"] == "s1"


def _page(language: str, status: str = "open") -> str:
    people = [
        {**_person("as-a", "VNG"), "name": "Ada", "load": 2, "voted": True},
        {**_person("as-b", "Divosa"), "name": "Ben", "load": 0, "voted": True, "status": "withdrawn",
         "withdrawn_by": "organiser", "withdrawn_at": datetime(2024, 3, 1, 10, tzinfo=UTC)},
        {**_person("as-c", "Logius"), "name": "Cor", "load": 2, "voted": False},
    ]
    row = {"entry": {"submission_id": "c1", "title": "Digitale balie"}, "team": ["Ada", "Ben"],
           "members": [("as-a", "Ada"), ("as-b", "Ben")], "withdrawn": ["Ben"], "gone": ["as-b"],
           "candidates": [("as-c", "Cor", 2)], "evidence": "draft", "visit": None, "slots": [], "report": "draft"}
    return render("r2_organiser.html", language, assessors=people, rows=[row], preview=None, names={},
                  state={"status": status}, csrf="x", notice=None, problem=None,
                  **pagecontext.console()).get_data(as_text=True)


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ("Vervanger nodig voor Ben (teruggetrokken)", "teruggetrokken op vrijdag 1 maart 2024 door de organisatie",
            "stem bewaard, telt niet mee", "heeft gestemd", "nog niet gestemd", "en in elk team vervangen",
            "Terugtrekken", "2 casussen")),
    ("en", ("Replacement needed for Ben (withdrawn)", "withdrawn on Friday 1 March 2024 by the organisers",
            "vote kept, not counted", "has voted", "not voted yet", "and replace in each team", "Withdraw",
            "2 cases")),
])
def test_the_organiser_page_shows_a_withdrawn_assessor_and_where_a_replacement_is_needed(
        language: str, expected: tuple[str, ...]) -> None:
    html = _page(language)
    for text in expected:
        assert text in html, text
    assert 'data-needs-replacement="c1"' in html and 'data-assessor-status="withdrawn"' in html
    assert 'data-ballot="not_counted"' in html and html.count('data-ballot="voted"') == 1
    assert 'data-withdraw="as-a"' in html and 'data-withdraw="as-c"' in html and 'data-withdraw="as-b"' not in html
    assert '<option value="as-b" selected>' in html  # the replace form proposes the withdrawn member as the leaver


@pytest.mark.parametrize("status", ["confirming", "decided"])
def test_no_withdrawal_is_offered_once_the_finalists_are_being_confirmed(status: str) -> None:
    assert "data-withdraw=" not in _page("nl", status)

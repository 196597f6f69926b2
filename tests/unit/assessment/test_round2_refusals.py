"""Round 2's refusals and states as people read them: Dutch by default, English on request, the English ``str()``
for logs; and the pages' labels for the codes they show."""

from __future__ import annotations

from fractions import Fraction
from types import SimpleNamespace

import pagecontext
import pytest
from gemeentedelers.plugins.api import FinalistRule, Text

from gemeentedelers.assessment import assessors, evidence, finalists, reports, rules, visits
from gemeentedelers.editions import get_edition
from gemeentedelers.web.messages import MESSAGES
from gemeentedelers.web.pages import render
from gemeentedelers.web.refusals import Refusal, explain


def test_refusals_keep_their_classes_and_ancestry() -> None:
    for cls in (evidence.EvidenceClosed, visits.VisitError, reports.StaleReport, reports.ReportInvalid,
                reports.NotInTeam, reports.ReportFinal, finalists.BallotInvalid, finalists.NotReady,
                rules.InfeasibleTeams, rules.BallotsDoNotFit, rules.PicksInvalid, assessors.TeamsRefused):
        assert issubclass(cls, Refusal) and issubclass(cls, ValueError), cls
    assert issubclass(reports.NotInTeam, LookupError)


def test_refusals_raised_without_a_literal_key_have_both_texts() -> None:
    """The catalogue test finds ``SomeRefusal("key", ...)``; these set their key in ``__init__``."""
    made = [reports.StaleReport({"version": 2}), reports.ReportInvalid({}), finalists.BallotInvalid({"x": "twice"})]
    with pytest.raises(finalists.BallotInvalid) as approval:
        approving = SimpleNamespace(finalist_rule=FinalistRule(method="approval"))
        finalists.check_ballot(approving, [{"submission_id": "a", "category": "direct"}], {"a"},  # type: ignore[arg-type]
                               {"approve": ["a"]})
    assert approval.value.errors == {"a": "not_allowed"}
    made.append(approval.value)
    for refused in made:
        assert MESSAGES[refused.key]["nl"] and MESSAGES[refused.key]["en"], refused.key
    stale = made[0]
    assert stale.latest == {"version": 2}
    assert explain(stale, "nl").startswith("Een teamgenoot heeft het rapport intussen opgeslagen")
    assert str(stale).startswith("A team member saved the report meanwhile")


def test_a_report_score_off_the_scale_reads_in_the_assessors_language() -> None:
    edition = get_edition("gd2024")
    first = edition.criteria(2)[0]
    with pytest.raises(reports.ReportInvalid) as invalid:
        reports.from_form(edition, {f"score_{first.key}": "elf"})
    why = invalid.value.errors[first.key]
    assert why.text("nl") == f"Kies een heel getal van {first.scale_min} tot en met {first.scale_max}."
    assert why.text("en") == f"Choose a whole number from {first.scale_min} to {first.scale_max}."
    assert str(invalid.value) == f"{first.key}: Choose a whole number from {first.scale_min} to {first.scale_max}."


@pytest.mark.parametrize(
    ("act", "dutch", "english"),
    [
        (lambda: visits.parse_slot("morgen"), "'morgen' is geen datum en tijd (JJJJ-MM-DDTUU:MM).",
         "'morgen' is not a date and time (YYYY-MM-DDTHH:MM)."),
        (lambda: visits.propose(None, "gd2024", "s", "a", ["", " "], "https://meet.example.org"),  # type: ignore[arg-type]
         "Stel minstens één moment voor.", "Propose at least one moment."),
        (lambda: visits.propose(None, "gd2024", "s", "a", ["2024-03-12T10:00"], "meet.example.org"),  # type: ignore[arg-type]
         "De link naar de bijeenkomst moet beginnen met http:// of https://.",
         "The meeting link must start with http:// or https://."),
        (lambda: visits.propose(None, "gd2024", "s", "a", ["2024-03-12T10:00", "2024-03-01T16:45"],  # type: ignore[arg-type]
                                "https://meet.example.org",
                                not_before=get_edition("gd2024").timeline.evidence_deadline),
         "Plan het bezoek na de termijn voor de onderbouwing: vrijdag 1 maart 2024, 17.00 uur.",
         "Plan the visit after the evidence deadline: Friday 1 March 2024, 17:00."),
    ],
)
def test_visit_refusals_in_dutch_and_english(act: object, dutch: str, english: str) -> None:
    with pytest.raises(visits.VisitError) as refused:
        act()  # type: ignore[operator]
    assert refused.value.text("nl") == dutch and refused.value.text("en") == english == str(refused.value)


def test_every_ballot_problem_code_has_a_text() -> None:
    edition = get_edition("gd2024")
    entries = [{"submission_id": s, "category": "direct"} for s in ("a", "b", "c")]
    codes = set()
    for form in ({"rank_a": "1", "rank_b": "1"}, {"rank_a": "9", "rank_b": "x", "rank_c": "2"}):
        with pytest.raises(finalists.BallotInvalid) as invalid:
            finalists.check_ballot(edition, entries, set(), form)
        codes |= set(invalid.value.errors.values())
    assert codes == {"twice", "missing", "out_of_range"}
    for code in codes | {"not_allowed"}:
        assert MESSAGES[f"r2_ballot_err_{code}"]["nl"] and MESSAGES[f"r2_ballot_err_{code}"]["en"]


def test_not_ready_names_the_unfinished_cases() -> None:
    refused = finalists.NotReady("r2_err_reports_unfinished", cases="Digitale balie, Buurtbus")
    assert refused.text("nl") == ("Nog niet elk rapport is compleet en door het hele team ondertekend: "
                                  "Digitale balie, Buurtbus.")


@pytest.mark.parametrize("prefix,codes", [
    ("r2_state_", ("new", "draft", "complete")),
    ("r2_report_state_", ("new", "draft", "complete")),
    ("r2_standing_", ("finalist", "tied", "out")),
])
def test_the_organiser_page_has_a_label_for_every_status(prefix: str, codes: tuple[str, ...]) -> None:
    for code in codes:
        assert MESSAGES[prefix + code]["nl"] and MESSAGES[prefix + code]["en"]


def _tied_selection() -> rules.FinalistSelection:
    ballots = {"a1": ["c1", "c2", "c3"], "a2": ["c1", "c3", "c2"]}
    return rules.select_finalists(ballots, {c: Fraction(1, 2) for c in ("c1", "c2", "c3")},
                                  FinalistRule(finalists_per_category=2), {c: "direct" for c in ("c1", "c2", "c3")})


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", ("Digitale balie · finalist", "Buurtbus</label> · gelijk", "gelijk: kies 1", "Directe casussen")),
    ("en", ("Digitale balie · finalist", "Buurtbus</label> · tied", "tied: pick 1", "Direct cases")),
])
def test_the_organiser_page_shows_a_tie_with_titles_labels_and_statuses(language: str,
                                                                        expected: tuple[str, ...]) -> None:
    names = {"c1": "Digitale balie", "c2": "Wijkapp", "c3": "Buurtbus",
             "direct": Text("Directe casussen", "Direct cases").get(language)}
    row = {"entry": {"submission_id": "c1", "title": "Digitale balie"}, "team": ["Ada", "Ben"],
           "members": [("as-a", "Ada"), ("as-b", "Ben")], "candidates": [("as-c", "Cor", 2)], "evidence": "draft",
           "visit": None, "slots": [], "report": "draft"}
    html = render("r2_organiser.html", language, assessors=[], rows=[row], preview=_tied_selection(), names=names,
                  state={"status": "open"}, csrf="x", notice=None, problem=None,
                  **pagecontext.console()).get_data(as_text=True)
    for text in expected:
        assert text in html, text
    assert html.count('data-status="tied"') == 2 and html.count('name="pick_direct"') == 2
    assert 'data-evidence="draft"' in html and 'data-report="draft"' in html and 'data-replace="c1"' in html
    labels = {"nl": ("concept", "in bewerking", "Cor (2 casussen)"), "en": ("draft", "in progress", "Cor (2 cases)")}
    for text in labels[language]:
        assert text in html, text


def test_the_ballot_page_explains_problem_codes() -> None:
    edition = get_edition("gd2024")
    row = {"entry": {"submission_id": "c1", "title": "Digitale balie"}, "report": {"recommendation": "twijfel"},
           "score": "0.50", "hidden": None}
    html = render("r2_ballot.html", "nl", categories={"direct": [row]}, labels={"direct": "Direct"},
                  criteria=edition.criteria(2), method="ranked_votes", values={}, approved=set(), barred=set(),
                  errors={"c1": "twice"}, problem="x", csrf="x", notice=None,
                  recommendation_labels={"twijfel": "Twijfel"}).get_data(as_text=True)
    assert "Deze plaats is vaker gegeven." in html and 'data-error="twice"' in html and "Twijfel" in html
    assert html.count('aria-invalid="true">') == 1 and 'aria-describedby="rank_c1-error"' in html
    assert "<title>Fout:" in html and 'id="errors" tabindex="-1" autofocus' in html


def _ballot(**context: object) -> str:
    edition = get_edition("gd2024")
    rows = [{"entry": {"submission_id": sid, "title": f"Casus {sid}"}, "report": {}, "score": None,
             "hidden": "unsigned" if sid == "c2" else None} for sid in ("c1", "c2", "c3")]
    values: dict[str, object] = {"criteria": edition.criteria(2), "method": "ranked_votes", "values": {"rank_c2": "1"},
                                 "approved": set(), "barred": {"c3"}, "errors": {}, "problem": None, "csrf": "x",
                                 "notice": None, "recommendation_labels": {}, "categories": {"direct": rows},
                                 "labels": {"direct": "Direct"}}
    return render("r2_ballot.html", "nl", **(values | context)).get_data(as_text=True)


def test_the_ballot_offers_the_places_of_the_cases_the_assessor_judges_and_marks_incomplete_reports() -> None:
    html = _ballot()
    assert html.count('<option value="1"') == 2 and html.count('<option value="2"') == 2  # c3 is barred
    assert '<option value="3"' not in html and 'id="rank_c3"' not in html
    assert '<option value="1" selected>' in html  # c2's place, kept
    assert 'data-incomplete="c2"' in html and 'data-incomplete="c1"' not in html
    assert "1 tot en met 2" in html and 'id="save"' in html


def test_a_closed_ballot_says_the_vote_is_over_and_offers_no_save() -> None:
    html = _ballot(closed=True)
    assert "De stemming is voorbij" in html and 'id="save"' not in html and "Geef per categorie" not in html


def _person(aid: str, organisation: str, **extra: object) -> dict[str, object]:
    return {"assessor_id": aid, "name": aid.upper(), "organisation": organisation, "status": "active", **extra}


def test_who_may_replace_a_team_member_least_busy_first() -> None:
    edition = get_edition("gd2024")  # at most 4 cases per assessor; one's own organisation is a conflict
    people = [_person("a", "VNG"), _person("b", "Almere"), _person("c", "Divosa", status="dropped"),
              _person("d", "Logius"), _person("e", "KING"), _person("f", "Kennisnet")]
    entry = {"submission_id": "s1", "municipality": "Almere", "co_applicants": []}
    found = assessors.candidates(edition, people, ["a"], entry, {"a": 1, "d": 4, "e": 2, "f": 2})
    # a is in the team, b has a conflict, c dropped out, d has the most cases; e and f by name
    assert [(p["assessor_id"], p["load"]) for p in found] == [("e", 2), ("f", 2)]
    assert [p["assessor_id"] for p in assessors.candidates(edition, people, ["a"], entry, {"e": 3})] == ["d", "f", "e"]


def test_why_an_assessor_may_not_join_reads_in_dutch() -> None:
    edition = get_edition("gd2024")
    entry = {"submission_id": "s1", "municipality": "Almere", "co_applicants": []}
    why = assessors._why_not(edition, _person("b", "Almere"), ["a"], entry, 0, "Digitale balie")
    assert why.text("nl") == "B heeft belangenverstrengeling met Digitale balie."
    assert assessors._why_not(edition, _person("d", "Logius"), ["a"], entry, 4, "x").text("nl") == (
        "D heeft al 4 casussen, het hoogste aantal.")
    assert assessors._why_not(edition, None, ["a"], entry, 0, "x").key == "r2_err_unknown_assessor"


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_entrants_page_shows_each_rounds_state_the_dates_ahead_and_the_feedback(language: str) -> None:
    from gemeentedelers.assessment.entrant import Feedback, RoundState, Standing

    edition = get_edition("gd2024")
    timeline = edition.timeline
    standing = Standing(
        rounds=[RoundState(1, "advanced"), RoundState(2, "running", timeline.round2_decided,
                                                       timeline.evidence_deadline), RoundState(3, "later")],
        ahead=[("evidence_due", timeline.evidence_deadline), ("winners_announced", timeline.winners_announced)],
        feedback=[Feedback(1, "Een sterke casus.", ["Heldere aanpak"], ["Meet de effecten"])], in_round2=True)
    context = {"entry": {"title": "Digitale balie", "municipality": "Zeist"}, "category": edition.categories[0],
               "fields": edition.evidence_fields, "values": {}, "problems": {}, "state": "draft", "open": True,
               "deadline": timeline.evidence_deadline, "visit": {}, "csrf": "x", "problem": None, "notice": None}
    html = render("r2_team.html", language, standing=standing, **context).get_data(as_text=True)
    due = {"nl": "vrijdag 1 maart 2024, 17.00 uur", "en": "Friday 1 March 2024, 17:00"}[language]
    decided = {"nl": "maandag 15 april 2024, 12.00 uur", "en": "Monday 15 April 2024, 12:00"}[language]
    rounds = html.split('id="rounds"')[1].split("</ul>")[0]
    assert due in rounds and decided in rounds and 'data-state="advanced"' in rounds
    assert 'data-moment="evidence_due"' in html and "Meet de effecten" in html and "Heldere aanpak" in html
    assert 'id="evidence"' in html and 'name="action" value="complete"' in html
    later = Standing(rounds=[RoundState(1, "running", timeline.round1_decided), RoundState(2, "later"),
                             RoundState(3, "later")], ahead=[], feedback=[], in_round2=False)
    html = render("r2_team.html", language, standing=later, **context).get_data(as_text=True)
    assert 'id="evidence"' not in html and 'id="visit"' not in html and 'id="ahead"' not in html
    assert {"nl": "dinsdag 9 januari 2024, 12.00 uur", "en": "Tuesday 9 January 2024, 12:00"}[language] in html
    assert {"nl": "nog geen beoordeling", "en": "not received feedback yet"}[language] in html

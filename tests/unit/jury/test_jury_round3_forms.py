"""Round 3's pure parts: the ranking form's validation, the juror CSV rows, storing decisions, the mails; the
juror's forms (special prizes, a conflict of interest, the chair's confirmation) checked whole and shown with the one
form pattern."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from fractions import Fraction
from types import SimpleNamespace

import pytest
from gemeentedelers.plugins.api import JuryRule, SpecialPrize, Text
from marshmallow import ValidationError

from gemeentedelers.editions import get_edition
from gemeentedelers.jury import jurors, round3
from gemeentedelers.jury.rules import decide_category
from gemeentedelers.notify.templates import render
from gemeentedelers.web.messages import MESSAGES
from gemeentedelers.web.pages import render as page_render

ENTRIES = ["sub-a", "sub-b", "sub-c"]


def test_a_ranking_is_every_finalist_once_best_first() -> None:
    form = {"rank_sub-a": "2", "rank_sub-b": "3", "rank_sub-c": "1"}
    assert round3.check_ranking("borda", ENTRIES, form) == ["sub-c", "sub-a", "sub-b"]


@pytest.mark.parametrize(("form", "errors"), [
    ({"rank_sub-a": "1", "rank_sub-b": "1", "rank_sub-c": "3"}, {"sub-a": "twice", "sub-b": "twice"}),
    ({"rank_sub-a": "1", "rank_sub-b": "", "rank_sub-c": "2"}, {"sub-b": "missing"}),
    ({"rank_sub-a": "1", "rank_sub-b": "4", "rank_sub-c": "x"}, {"sub-b": "missing", "sub-c": "missing"}),
])
def test_a_ranking_names_each_finalist_that_is_wrong(form: dict[str, str], errors: dict[str, str]) -> None:
    with pytest.raises(round3.BallotInvalid) as problem:
        round3.check_ranking("points", ENTRIES, form)
    assert problem.value.errors == errors


def test_scores_are_one_to_ten() -> None:
    assert round3.check_ranking("mean_score", ["sub-a"], {"score_sub-a": "7,5"}) == {"sub-a": 7.5}
    with pytest.raises(round3.BallotInvalid):
        round3.check_ranking("mean_score", ["sub-a", "sub-b"], {"score_sub-a": "11", "score_sub-b": "5"})


def test_juror_rows_are_cleaned() -> None:
    row = jurors.clean({"name": " Carla ", "email": "carla@example.org", "organisation": "VNG", "is_chair": "Ja"})
    assert row == {"name": "Carla", "email": "carla@example.org", "organisation": "VNG", "is_chair": True,
                   "language": "nl", "organisation_check": {"status": "not_a_municipality"}}
    assert jurors.clean({"name": "Anton", "email": "a@example.org", "organisation": "XY", "is_chair": "nee"})[
        "is_chair"] is False
    with pytest.raises(ValidationError):
        jurors.clean({"name": "Anton", "email": "no-address", "organisation": "XY", "is_chair": "nee"})
    assert jurors.juror_id("Carla@Example.org ") == jurors.juror_id("carla@example.org")


def test_exactly_one_chair() -> None:
    assert jurors.chair_of([{"juror_id": "ju-1", "is_chair": True}, {"juror_id": "ju-2"}]) == "ju-1"
    with pytest.raises(LookupError):
        jurors.chair_of([{"juror_id": "ju-1", "is_chair": True}, {"juror_id": "ju-2", "is_chair": True}])


def test_a_decision_with_a_tie_is_storable_in_firestore() -> None:
    decision = decide_category("direct", ENTRIES, {"ju-1": ENTRIES, "ju-2": ["sub-b", "sub-a", "sub-c"]},
                               JuryRule(), "ju-1")
    stored = round3.storable(decision.as_dict())
    assert stored["tie_breaks"][0]["order"] == [{"group": ["sub-a"]}, {"group": ["sub-b"]}]
    assert stored["winner"] == "sub-a"
    assert round3.storable({"x": Fraction(3, 2)}) == {"x": "3/2"}


@pytest.mark.parametrize("language", ["nl", "en"])
def test_the_round3_mails_render(language: str) -> None:
    edition = get_edition("gd2022")
    invited = render("juror_invited", "x@example.org", language, edition_title="GemeenteDelers 2022", name="Carla",
                     is_chair=True, link="http://jury/jury/login?token=t", valid_until=datetime(2022, 6, 1, tzinfo=UTC),
                     prizes="Actualiteitstrofee", winners_announced=edition.timeline.winners_announced)
    assert "http://jury/jury/login?token=t" in invited.text and "Actualiteitstrofee" in invited.text
    assert ("8 juni 2022" if language == "nl" else "8 June 2022") in invited.text
    winners = [{"prize": "Actualiteitstrofee", "title": "Digitale balie", "municipality": "Rotterdam"}]
    finalists = [{"title": "Digitale balie", "municipality": "Rotterdam"},
                 {"title": "Buurtteams", "municipality": "Ede"}]
    announced = render("winners_announced", "x@example.org", language, edition_title="GemeenteDelers 2022",
                       name="Noor", winners=winners, finalists=finalists,
                       award_ceremony=edition.timeline.award_ceremony)
    assert '- Actualiteitstrofee: "Digitale balie" (Rotterdam)' in announced.text
    assert '- "Buurtteams" (Ede)' in announced.text


# -- the juror's forms: every problem at once, nothing stored, and the pages' one form pattern ------------------

TROPHY = SpecialPrize("trofee", Text("Trofee"), Text("Voor de beste."), "finalists", "jury_vote")
AUDIENCE = SpecialPrize("publiek", Text("Publieksprijs", "Audience award"), Text("Van het publiek."), "finalists",
                        "jury_vote")
FINALISTS = [{"submission_id": sid, "title": f"Titel {sid}", "municipality": "Ede", "category": "direct",
              "description": "Een aanpak.", "co_applicants": []}
             for sid in ENTRIES]
CONFLICTED = "sub-c"  # the juror's own municipality's entry, say


def two_prize_edition() -> SimpleNamespace:
    return SimpleNamespace(key="gd-test", special_prizes=(TROPHY, AUDIENCE),
                           conflicts_of_interest=lambda juror, entry: ["own"] if entry["submission_id"] == CONFLICTED
                           else [])


@pytest.fixture
def stored(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, object]]:
    """``round3.save_votes`` over an open round of three finalists, with what it would store collected."""
    saved: list[dict[str, object]] = []
    monkeypatch.setattr(round3, "state", lambda db, edition: {"status": "open"})
    monkeypatch.setattr(round3, "finalists", lambda db, edition: {"direct": FINALISTS})
    monkeypatch.setattr(round3, "eligible", lambda db, edition, eligibility, shortlist: FINALISTS)
    monkeypatch.setattr(round3.jury_members, "get", lambda db, edition, jid: {"juror_id": jid})
    monkeypatch.setattr(round3, "_save_ballot", lambda db, edition, jid, fields: saved.append(fields))
    return saved


def test_save_votes_reports_every_bad_prize_and_stores_nothing(stored: list[dict[str, object]]) -> None:
    form = {"prize_trofee": "sub-x", "prize_publiek": CONFLICTED}
    with pytest.raises(round3.BallotInvalid) as invalid:
        round3.save_votes(None, two_prize_edition(), "ju-1", form)  # type: ignore[arg-type]
    assert invalid.value.errors == {"trofee": "not_eligible", "publiek": "conflict"}
    assert invalid.value.key == "r3_prize_errors"
    assert stored == []


def test_one_bad_prize_among_good_ones_stores_nothing_either(stored: list[dict[str, object]]) -> None:
    with pytest.raises(round3.BallotInvalid) as invalid:
        round3.save_votes(None, two_prize_edition(), "ju-1",  # type: ignore[arg-type]
                          {"prize_trofee": "sub-a", "prize_publiek": "sub-x"})
    assert invalid.value.errors == {"publiek": "not_eligible"} and stored == []


def test_good_votes_are_stored_and_a_prize_may_be_left_open(stored: list[dict[str, object]]) -> None:
    round3.save_votes(None, two_prize_edition(), "ju-1", {"prize_trofee": " sub-b ", "prize_publiek": ""})  # type: ignore[arg-type]
    assert stored == [{"prizes": {"trofee": "sub-b", "publiek": None}}]


def test_every_prize_problem_code_has_a_text_on_the_page() -> None:
    from gemeentedelers.jury import web

    assert set(web.PRIZE_PROBLEMS) == {"not_eligible", "conflict"}
    for key in (*web.PRIZE_PROBLEMS.values(), "r3_prize_errors", "r3_conflict_errors",
                *(f"r3_conflict_err_{code}" for code in ("not_finalist", "missing", "too_long"))):
        assert MESSAGES[key]["nl"] and MESSAGES[key]["en"], key


FINALIST_IDS = set(ENTRIES)


@pytest.mark.parametrize(("sid", "reason", "errors"), [
    ("sub-x", "mijn zus werkt daar", {"submission_id": "not_finalist"}),
    ("", "mijn zus werkt daar", {"submission_id": "not_finalist"}),
    ("sub-a", "", {"reason": "missing"}),
    ("sub-a", "   \n ", {"reason": "missing"}),
    ("sub-a", "x" * 501, {"reason": "too_long"}),
    ("sub-x", "", {"submission_id": "not_finalist", "reason": "missing"}),
])
def test_a_conflict_declaration_is_checked_before_anything_is_stored(sid: str, reason: str,
                                                                     errors: dict[str, str]) -> None:
    with pytest.raises(jurors.ConflictInvalid) as invalid:
        jurors.check_conflict(sid, reason, finalists=FINALIST_IDS)
    assert invalid.value.errors == errors


def test_a_reason_of_500_characters_is_kept_whole() -> None:
    reason = "y" * 500
    assert jurors.check_conflict("sub-a", reason, finalists=FINALIST_IDS) == ("sub-a", reason)
    assert jurors.check_conflict(" sub-b ", "  mijn\n zus ", finalists=FINALIST_IDS) == ("sub-b", "mijn zus")


def test_declare_conflict_refuses_before_it_writes() -> None:
    class NoStore:
        def __getattr__(self, name: str) -> object:
            raise AssertionError(f"declare_conflict touched the store ({name}) for a refused declaration")

    with pytest.raises(jurors.ConflictInvalid):
        jurors.declare_conflict(NoStore(), "gd-test", "ju-1", "sub-a", "z" * 501,  # type: ignore[arg-type]
                                finalists=FINALIST_IDS)


def home_page(language: str = "nl", **context: object) -> str:
    """r3_home.html as the juror's handler renders it, without a store."""
    prizes = [{"prize": prize, "id": f"prize_{prize.key}", "label": prize.label.get(language),
               "description": prize.description.get(language), "entries": FINALISTS[:2], "chosen": None,
               "unlisted": None, "choose": "r3_choose_finalist"} for prize in (TROPHY, AUDIENCE)]
    values: dict[str, object] = {
        "juror": {"name": "Anton"}, "shortlist": {"direct": FINALISTS}, "conflicts": {"direct": []},
        "labels": {"direct": "Direct"}, "done": set(), "prizes": prizes, "state": "open", "preview": None,
        "csrf": "x", "problem": None, "errors": {}, "errors_intro": None, "sent": {}, "reason_max": 500,
        "fields": {"prize_trofee": "Trofee", "prize_publiek": "Publieksprijs", "conflict_entry": "Met welke finalist?",
                   "conflict_reason": "Reden"},
        "announced": False, "deadline": datetime(2024, 6, 21, tzinfo=UTC), "notice": None,
        "titles": {e["submission_id"]: e["title"] for e in FINALISTS},
        "entries": {e["submission_id"]: e for e in FINALISTS}, "prize_labels": {"trofee": "Trofee"}}
    return page_render("r3_home.html", language, **{**values, **context}).get_data(as_text=True)


def summary_targets(html: str) -> list[str]:
    summary = html.split('id="errors"', 1)[1].split("</div>", 1)[0]
    return re.findall(r'href="#([^"]+)"', summary)


def test_the_prize_form_marks_each_bad_prize_and_keeps_every_choice() -> None:
    prizes_sent = {"prize_trofee": "sub-b", "prize_publiek": "sub-c"}
    html = home_page(errors={"prize_trofee": "Niet deze.", "prize_publiek": "Ook niet."},
                     errors_intro="r3_prize_errors", sent=prizes_sent)
    assert "<title>Fout:" in html and html.count("autofocus") == 1
    targets = summary_targets(html)
    assert targets == ["prize_trofee", "prize_publiek"]
    for target in targets:
        control = re.search(rf'<select id="{target}"[^>]*>', html).group(0)
        assert f'aria-describedby="{target}-hint {target}-error"' in control and 'aria-invalid="true"' in control
        assert f'id="{target}-error"' in html and f'id="{target}-hint"' in html
    assert '<option value="">Kies een finalist</option>' in html


def test_the_conflict_form_ties_its_problems_to_its_fields_and_keeps_what_was_sent() -> None:
    html = home_page(errors={"conflict_entry": "Kies.", "conflict_reason": "Te lang."},
                     errors_intro="r3_conflict_errors", sent={"submission_id": "sub-b", "reason": "mijn <zus>"})
    assert summary_targets(html) == ["conflict_entry", "conflict_reason"] and html.count("autofocus") == 1
    assert re.search(r'<option value="sub-b"[^>]*selected>', html)
    textarea = re.search(r'<textarea id="conflict_reason"[^>]*>([^<]*)</textarea>', html)
    assert textarea and textarea.group(1) == "mijn &lt;zus&gt;"
    assert 'maxlength="500"' in textarea.group(0)
    assert 'aria-describedby="conflict_reason-hint conflict_reason-error" aria-invalid="true"' in textarea.group(0)
    assert 'aria-describedby="conflict_entry-error" aria-invalid="true"' in html


def test_a_refusal_of_the_whole_form_is_the_one_focused_summary() -> None:
    html = home_page(problem="Ronde 3 is niet open.")
    assert html.count("autofocus") == 1 and 'id="problem"' in html
    assert home_page().count("autofocus") == 0


def test_dutch_titles_carry_their_language_on_an_english_page() -> None:
    html = home_page("en")
    options = re.findall(r'<option value="sub-[abc]"[^>]*>', html)
    assert options and all(' lang="nl"' in o for o in options)
    assert ' lang="nl"' not in "".join(re.findall(r'<option value="sub-[abc]"[^>]*>', home_page("nl")))


def test_the_chairs_refused_confirmation_has_one_focused_summary() -> None:
    html = page_render("r3_confirm_step.html", "nl", consequences=["Opslaan."], warnings=["Anton mist."],
                       csrf="x", complete=False, problem="Nog niet te bevestigen.").get_data(as_text=True)
    assert html.count("autofocus") == 1 and html.count('role="alert"') == 1 and "Anton mist." in html
    assert "<title>Fout:" in html and re.search(r'id="confirm-final"\s+disabled', html)
    fine = page_render("r3_confirm_step.html", "nl", consequences=["Opslaan."], warnings=[], csrf="x",
                       complete=True, problem=None).get_data(as_text=True)
    assert fine.count("autofocus") == 0


def test_the_ranking_summary_links_to_each_problem_field() -> None:
    html = page_render(
        "r3_category.html", "en", key="direct", label="Direct", entries=FINALISTS, method="borda",
        details={sid: {"summary": None, "evidence": []} for sid in ENTRIES}, conflict=[], max_length=800,
        values={}, errors={"sub-a": "twice", "sub-b": "twice", "tips_sub-c": "long"}, rank_errors=True,
        csrf="x", problem=None, closed=False).get_data(as_text=True)
    targets = summary_targets(html)
    assert targets == ["rank_sub-a", "rank_sub-b", "tips_sub-c"]
    for target in targets:
        assert re.search(rf'<(select|textarea) id="{target}"', html), target
    assert html.count("autofocus") == 1 and '<span lang="nl">Titel sub-a</span>' in html

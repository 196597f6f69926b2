"""The mails people read: Dutch by default, English on request, every template renders both ways."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from gemeentedelers.editions import get_edition
from gemeentedelers.notify.templates import render
from gemeentedelers.web.i18n import format_date

TEMPLATES = Path(__file__).resolve().parents[2] / "src" / "gemeentedelers" / "templates" / "mail"


def confirmation(language: str) -> dict[str, object]:
    timeline = get_edition("gd2024").timeline
    return {
        "edition_title": "GemeenteDelers 2024", "contact_name": "Noor", "title": "Digitale balie",
        "municipality": "Rotterdam", "co_applicants": [], "submission_id": "sub-x", "category_label": "Direct",
        "registration_closes": timeline.registration_closes, "round1_decided": timeline.round1_decided,
        "winners_announced": timeline.winners_announced, "privacy_url": "https://intake.example.org/privacy",
        "link": "https://assessment.example.org/team/login?token=t",
    }


def test_every_kind_has_both_languages() -> None:
    kinds = {path.name.split(".")[0] for path in TEMPLATES.glob("*.txt")}
    for kind in kinds:
        assert (TEMPLATES / f"{kind}.nl.txt").exists() and (TEMPLATES / f"{kind}.en.txt").exists()


def test_confirmation_in_dutch_and_english() -> None:
    nl = render("confirmation", "noor@example.org", "nl", **confirmation("nl"))
    en = render("confirmation", "noor@example.org", "en", **confirmation("en"))
    assert nl.subject.startswith("Bevestiging") and "Beste Noor" in nl.text and "21 juni 2024" in nl.text
    assert en.subject.startswith("Your registration") and "Dear Noor" in en.text and "21 June 2024" in en.text
    assert "samen met" not in nl.text  # no co-applicants, no empty clause
    assert "privacyverklaring: https://intake.example.org/privacy" in nl.text
    assert "privacy statement: https://intake.example.org/privacy" in en.text


def test_an_unknown_language_falls_back_to_dutch() -> None:
    assert render("confirmation", "x@example.org", "fr", **confirmation("nl")).language == "nl"


@pytest.mark.parametrize("advanced", [True, False])
@pytest.mark.parametrize("language", ["nl", "en"])
def test_feedback_lists_tops_and_tips(advanced: bool, language: str) -> None:
    closing = get_edition("gd2024").feedback_closing(1, advanced)
    mail = render("feedback", "x@example.org", language, edition_title="GemeenteDelers 2024", contact_name="Noor",
                  title="Digitale balie", round=1, advanced=advanced, summary="", tops=["Helder doel"],
                  tips=["Meet het effect"], closing=closing.get(language) if closing else "")
    assert "- Helder doel" in mail.text and "- Meet het effect" in mail.text
    if closing:
        assert closing.get(language) in mail.text
    assert ("ronde 2" if language == "nl" else "round 2") in mail.text


def test_a_missing_variable_fails_loudly() -> None:
    with pytest.raises(Exception, match="undefined"):
        render("confirmation", "x@example.org", "nl", title="only this")


def test_dates_in_amsterdam_time() -> None:
    from datetime import UTC, datetime

    assert format_date(datetime(2023, 11, 30, 23, 30, tzinfo=UTC), "nl") == "1 december 2023"


def test_final_feedback_without_tips_and_tops_has_no_empty_lists() -> None:
    mail = render("feedback", "x@example.org", "nl", edition_title="GemeenteDelers 2024", contact_name="Noor",
                  title="Digitale balie", round=3, advanced=False, summary="De jury dankt u.", tops=[], tips=[],
                  closing="")
    assert "Tops" not in mail.text and "(geen)" not in mail.text and "De jury dankt u." in mail.text
    assert "\n\n\n" not in mail.text


def test_a_line_break_stored_before_the_checks_existed_cannot_break_the_subject() -> None:
    """A title with CR/LF (stored before intake refused them) gives a one-line subject, not a header injection."""
    from gemeentedelers.notify.mailer import compose

    mail = render("confirmation", to="noor@example.org", language="nl",
                  **{**confirmation("nl"), "title": "Samen\r\nBcc: iedereen@example.org\u2028x"})
    assert "\r" not in mail.subject and "\n" not in mail.subject and "\u2028" not in mail.subject
    assert "Samen Bcc: iedereen@example.org x" in mail.subject
    message, _ = compose(mail, "GemeenteDelers <noreply@gemeentedelers.nl>")
    assert message["Bcc"] is None


def test_moments_read_as_people_read_them_in_amsterdam_time() -> None:
    from gemeentedelers.web.i18n import format_day, format_moment, local_input

    summer = datetime(2024, 6, 21, 8, 0, tzinfo=UTC)  # 10.00 in Amsterdam (summer time)
    assert format_moment(summer, "nl") == "vrijdag 21 juni 2024, 10.00 uur"
    assert format_moment(summer, "en") == "Friday 21 June 2024, 10:00"
    assert format_day(datetime(2023, 11, 30, 23, 30, tzinfo=UTC), "nl") == "vrijdag 1 december 2023"
    assert local_input(summer) == "2024-06-21T10:00"


def _feedback(language: str, round_: int, advanced: bool, finalist: bool = False) -> object:
    return render("feedback", "x@example.org", language, edition_title="GemeenteDelers 2024", contact_name="Noor",
                  title="Digitale balie", round=round_, advanced=advanced, finalist=finalist, summary="",
                  tops=["Helder doel"], tips=["Meet het effect"], closing="")


def test_each_outcome_reads_as_what_happened() -> None:
    """A winner's subject says it won (not "gaat door"), a runner-up finalist is not told "helaas niet door", and
    round-2 tips are not called anonymous: the team met its assessors."""
    winner = _feedback("nl", 3, True, finalist=True)
    assert "ronde 3: uw casus heeft gewonnen" in winner.subject and "gaat door" not in winner.subject
    assert "een van de winnaars" in winner.text
    runner_up = _feedback("nl", 3, False, finalist=True)
    assert "helaas" not in runner_up.text and "niet door" not in runner_up.text
    assert "was finalist" in runner_up.text and "gewonnen" not in runner_up.subject
    assert "komen van de jury" in runner_up.text
    english = _feedback("en", 3, False, finalist=True)
    assert "Unfortunately" not in english.text and "was a finalist" in english.text
    round2 = _feedback("nl", 2, False)
    assert "anoniem" not in round2.text and "assessoren die u hebben bezocht" in round2.text
    assert "gaat niet door naar ronde 3" in round2.text and "helaas" not in round2.text
    assert "anoniem" in _feedback("nl", 1, False).text  # round 1's scorers are anonymous to the team


def test_a_scorers_mail_counts_in_real_plurals() -> None:
    from datetime import UTC, datetime

    moment = datetime(2024, 3, 1, 12, tzinfo=UTC)
    values = {"name": "Noor", "edition_title": "GemeenteDelers 2024", "link": "https://x.example.org/score",
              "valid_until": moment, "deadline": moment}
    one = render("scorer_assigned", "x@example.org", "nl", reminder=True, open_entries=1, new_entries=1, **values)
    assert one.subject == "Herinnering: 1 inzending wacht op uw score" and "Er wacht nog 1 inzending" in one.text
    many = render("scorer_assigned", "x@example.org", "nl", reminder=False, open_entries=9, new_entries=9, **values)
    assert "9 inzendingen om te scoren" in many.subject and "Er staan 9 inzendingen" in many.text
    english = render("scorer_assigned", "x@example.org", "en", reminder=True, open_entries=1, new_entries=1, **values)
    assert "1 entry waiting" in english.subject and "1 entry still waits" in english.text
@pytest.mark.parametrize("language", ["nl", "en"])
def test_mails_that_ask_for_work_name_the_deadline_as_a_moment_with_its_weekday(language: str) -> None:
    edition = get_edition("gd2024")
    due = edition.timeline.evidence_deadline
    reminder = render("team_reminded", "x@example.org", language, edition_title="GemeenteDelers 2024",
                      contact_name="Noor", title="Digitale balie", link="https://example.org/t",
                      missing=["Resultaten", "Links"], deadline=due)
    moment = {"nl": "vrijdag 1 maart 2024, 17.00 uur", "en": "Friday 1 March 2024, 17:00"}[language]
    left = {"nl": "Nog in te vullen: Resultaten, Links.", "en": "Still to fill in: Resultaten, Links."}[language]
    assert moment in reminder.text and left in reminder.text
    scorer = render("scorer_assigned", "x@example.org", language, edition_title="GemeenteDelers 2024", name="Sam",
                    reminder=True, new_entries=0, open_entries=3, link="https://example.org/s",
                    valid_until=datetime(2024, 1, 20, tzinfo=UTC), deadline=edition.timeline.round1_decided)
    closes = {"nl": "dinsdag 9 januari 2024, 12.00 uur", "en": "Tuesday 9 January 2024, 12:00"}[language]
    assert closes in scorer.text and "ronde sluit" not in scorer.text and "round closes" not in scorer.text


def test_a_team_reminder_without_a_list_of_what_is_left_says_nothing_of_it() -> None:
    mail = render("team_reminded", "x@example.org", "nl", edition_title="GemeenteDelers 2024", contact_name="Noor",
                  title="Digitale balie", link="https://example.org/t", missing=[],
                  deadline=get_edition("gd2024").timeline.evidence_deadline)
    assert "Nog in te vullen" not in mail.text

"""Round 2's mail to an assessor invited before who joined one more case's team: Dutch by default, English for an
English assessor, naming the case, with the personal link."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gemeentedelers.editions import get_edition
from gemeentedelers.notify.round2_mail import render_added

LINK = "http://localhost:8083/assess/login?token=abc.def"
RECORD = {"title": "Digitale balie", "municipality": "Rotterdam"}


def added(language: str | None, visit_at: datetime | None = None) -> tuple[str, str, str]:
    edition = get_edition("gd2024")
    person = {"email": "ada@example.org", "name": "Ada Assessor", **({"language": language} if language else {})}
    mail = render_added(person, RECORD, edition_title=edition.info.title.get(language or "nl"), link=LINK,
                        valid_until=datetime(2024, 6, 1, 10, tzinfo=UTC), deadline=edition.timeline.round2_decided,
                        visit_at=visit_at)
    assert mail.to == "ada@example.org"
    return mail.language, mail.subject, mail.text


@pytest.mark.parametrize("language", [None, "nl", "fr"])
def test_the_mail_is_dutch_by_default(language: str | None) -> None:
    lang, subject, text = added(language)
    assert lang == "nl"
    assert subject == "U bent toegevoegd aan het team van Digitale balie"
    assert text.startswith("Beste Ada Assessor,\n\nU bent toegevoegd aan het team van Digitale balie (Rotterdam)")
    assert LINK in text and "geldig tot zaterdag 1 juni 2024" in text
    assert "Het bezoek is nog niet bevestigd" in text and "onderteken" in text
    assert "\n\n\n" not in text


def test_an_english_assessor_reads_it_in_english() -> None:
    lang, subject, text = added("en")
    assert lang == "en"
    assert subject == "You have been added to the team of Digitale balie"
    assert text.startswith("Dear Ada Assessor,\n\nYou have been added to the team of Digitale balie (Rotterdam)")
    assert LINK in text and "valid until Saturday 1 June 2024" in text and "sign it off" in text
    assert "Beste" not in text


@pytest.mark.parametrize(("language", "expected"), [
    ("nl", "Het bezoek is op donderdag 14 maart 2024, 14.30 uur; de uitnodiging met agenda-item krijgt u apart."),
    ("en", "The visit is on Thursday 14 March 2024, 14:30 (Amsterdam time); you receive the invitation with a "
           "calendar entry separately."),
])
def test_a_confirmed_visit_is_named_in_amsterdam_time(language: str, expected: str) -> None:
    _, _, text = added(language, datetime(2024, 3, 14, 13, 30, tzinfo=UTC))
    assert expected in text

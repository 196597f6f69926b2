"""Consent recorded as the AVG asks: the text's version, the hash of its exact words, the language, the moment."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gemeentedelers.entries import submissions
from gemeentedelers.people import consent

NOW = datetime(2023, 10, 2, 9, 30, tzinfo=UTC)


def test_a_record_names_the_text_version_its_hash_language_and_moment() -> None:
    record = consent.record("scorer", "en", NOW)
    shown = consent.current("scorer")
    assert record == {"purpose": "scorer", "version": shown.version, "text_hash": shown.hash("en"),
                      "language": "en", "given_at": NOW}
    assert consent.text_of(record) == shown.text.en
    assert consent.record("scorer", "nl", NOW)["text_hash"] != record["text_hash"]  # the words differ


def test_every_purpose_has_dutch_and_english_and_unique_versions() -> None:
    assert set(consent.PURPOSES) == {"registration", "publication", "scorer"}
    for text in consent.TEXTS:
        assert text.text.nl and text.text.en and text.text.nl != text.text.en
    assert len({(t.purpose, t.version) for t in consent.TEXTS}) == len(consent.TEXTS)


def test_an_unknown_version_or_a_tampered_record_is_refused() -> None:
    with pytest.raises(consent.ConsentRefused):
        consent.record("scorer", "nl", NOW, "1999-1")
    with pytest.raises(consent.ConsentRefused):
        consent.record("scorer", "de", NOW)
    with pytest.raises(consent.ConsentRefused):
        consent.text_of({**consent.record("scorer", "nl", NOW), "text_hash": "sha256:00"})


def test_a_registration_stores_its_consents_and_whether_it_may_be_published() -> None:
    registration = {"municipality": "Almere", "contact_name": "A B", "contact_email": "a@example.org",
                    "title": "T", "description": "D" * 20, "category": "direct", "language": "en",
                    "consent_publication": True, "consent_version": "2024-1"}
    record = submissions.new_record("sub-x", "gd2024", registration, provider="generic", provider_event_id="e",
                                    submitted_at=None, received_at=NOW, competition_time=NOW)
    assert record["publication_consent"] is True
    assert record["consents"]["registration"] == consent.record("registration", "en", NOW, "2024-1")
    assert record["consents"]["publication"]["purpose"] == "publication"
    plain = submissions.new_record("sub-y", "gd2024", {**registration, "consent_publication": False},
                                   provider="generic", provider_event_id="f", submitted_at=None, received_at=NOW,
                                   competition_time=NOW)
    assert plain["publication_consent"] is False and set(plain["consents"]) == {"registration"}


def test_a_new_version_is_shown_while_records_of_the_old_keep_their_words() -> None:
    old = consent.record("scorer", "nl", NOW, "2024-1")
    assert consent.current("scorer").version == "2024-2"
    assert "beoordelaar" in consent.current("scorer").text.nl and "scoorder" not in consent.current("scorer").text.nl
    assert "scoorder" in consent.text_of(old)  # the words that person agreed to, unchanged
    assert consent.record("scorer", "nl", NOW)["text_hash"] != old["text_hash"]

"""Round 2's pure parts: the visit's iCalendar text (RFC 5545), slots, report forms and finalist ballots."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from gemeentedelers.assessment import finalists, reports, visits
from gemeentedelers.editions import get_edition

START = datetime(2024, 3, 14, 13, 30, tzinfo=UTC)


def calendar(**extra: object) -> str:
    values = {"uid": "visit-gd2024-x@gemeentedelers.nl", "starts": START, "summary": "Bezoek; casus, één",
              "description": "Regel één\nRegel twee " + "lang " * 40, "url": "https://meet.example.org/a",
              "organiser": "noreply@gemeentedelers.nl", "attendees": ["a@example.org", "b@example.org"],
              "stamp": datetime(2024, 3, 1, tzinfo=UTC), **extra}
    return visits.ics(**values)  # type: ignore[arg-type]


def test_ics_is_a_folded_crlf_request_in_utc() -> None:
    text = calendar()
    raw = text.encode()
    assert raw.endswith(b"\r\n") and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in raw.split(b"\r\n"))
    lines = text.replace("\r\n ", "").split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and "METHOD:REQUEST" in lines and "END:VCALENDAR" in lines
    assert "DTSTART:20240314T133000Z" in lines and "DTEND:20240314T150000Z" in lines
    assert "DTSTAMP:20240301T000000Z" in lines and "UID:visit-gd2024-x@gemeentedelers.nl" in lines
    assert "SUMMARY:Bezoek\\; casus\\, één" in lines
    assert any(line.startswith("DESCRIPTION:Regel één\\nRegel twee lang") for line in lines)
    assert "ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:b@example.org" in lines


def _properties(text: str) -> list[str]:
    return [line.split(":", 1)[0].split(";", 1)[0] for line in text.replace("\r\n ", "").split("\r\n") if line]


@pytest.mark.parametrize("breaker", ["\r\n", "\r", "\n", "\u2028", "\x0b"])
def test_no_text_value_can_add_a_property(breaker: str) -> None:
    text = calendar(summary=f"Bezoek{breaker}ORGANIZER:mailto:evil@example.org",
                    description=f"x{breaker}ATTENDEE:mailto:evil@example.org")
    assert _properties(text).count("ORGANIZER") == 1 and "evil@example.org" not in "".join(
        line for line in text.replace("\r\n ", "").split("\r\n") if line.startswith(("ORGANIZER", "ATTENDEE")))
    assert _properties(calendar()) == _properties(text)


@pytest.mark.parametrize("field", ["url", "organiser", "attendees", "uid"])
def test_uris_and_addresses_with_a_line_break_are_refused(field: str) -> None:
    bad = "https://meet.example.org/a\r\nORGANIZER:mailto:evil@example.org"
    values: dict[str, object] = {"url": bad, "organiser": "a@example.org\r\nX:y", "uid": "u\r\nX:y",
                                 "attendees": ["a@example.org", "b@example.org\nATTENDEE:mailto:c@example.org"]}
    with pytest.raises(visits.IcsValueInvalid):
        calendar(**{field: values[field]})
    with pytest.raises(visits.IcsValueInvalid):
        visits.uri("javascript:alert(1)")
    assert visits.uri("https://meet.example.org/a?b=c&d=%20") == "https://meet.example.org/a?b=c&d=%20"


def test_folding_never_splits_a_character() -> None:
    folded = visits.fold("DESCRIPTION:" + "é" * 100)
    for line in folded.encode().split(b"\r\n"):
        assert len(line) <= 75
        line.decode()  # whole UTF-8 characters on every line
    assert folded.replace("\r\n ", "") == "DESCRIPTION:" + "é" * 100


def test_slots_are_entered_in_amsterdam_time_stored_in_utc_and_checked() -> None:
    assert visits.parse_slot("2024-03-14T14:30+01:00") == START
    assert visits.parse_slot("2024-03-14T14:30") == START  # a date/time picker's value: Amsterdam wall-clock time
    assert visits.parse_slot("2024-06-14T14:30") == START.replace(month=6, hour=12)  # summer time: UTC+2
    with pytest.raises(visits.VisitError):
        visits.parse_slot("morgen")


def test_report_form_scores_must_be_on_the_scale() -> None:
    edition = get_edition("gd2024")
    first = edition.criteria(2)[0]
    with pytest.raises(reports.ReportInvalid) as invalid:
        reports.from_form(edition, {f"score_{first.key}": str(first.scale_max + 1)})
    assert first.key in invalid.value.errors
    fields = reports.from_form(edition, {f"score_{first.key}": str(first.scale_min), "tops": "a\n\n b "})
    assert fields["scores"] == {first.key: first.scale_min} and fields["tops"] == ["a", "b"]


def test_a_ranked_ballot_covers_every_case_it_may_judge_once() -> None:
    edition = get_edition("gd2024")
    entries = [{"submission_id": s, "category": c} for s, c in (("a", "direct"), ("b", "direct"), ("c", "indirect"))]
    assert finalists.check_ballot(edition, entries, set(), {"rank_a": "2", "rank_b": "1", "rank_c": "1"}) == [
        "b", "a", "c"]
    assert finalists.check_ballot(edition, entries, {"a"}, {"rank_b": "1", "rank_c": "1"}) == ["b", "c"]
    with pytest.raises(finalists.BallotInvalid) as invalid:
        finalists.check_ballot(edition, entries, set(), {"rank_a": "1", "rank_b": "1"})
    assert invalid.value.errors == {"a": "twice", "b": "twice", "c": "missing"}

"""Round 2's visits: the assessor team proposes slots with a meeting link, the entrant team (or an organiser)
confirms one, and notify mails every member and the case's contact an invitation with an .ics (RFC 5545)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from google.cloud import firestore

from gemeentedelers.platform import audit, bus, layout
from gemeentedelers.web.i18n import AMSTERDAM, FormattedMoment
from gemeentedelers.web.refusals import Refusal

VISIT_MINUTES = 90


class VisitError(Refusal):
    """A slot or meeting link that cannot be used."""


def get(db: firestore.Client, edition: str, sid: str) -> dict[str, Any]:
    return layout.visits(db, edition).document(sid).get().to_dict() or {}


def parse_slot(text: str) -> datetime:
    """A slot as entered (``2024-03-12T10:00`` from a date/time picker: Amsterdam time unless it carries an
    offset), stored in UTC."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise VisitError("r2_err_slot_format", text=text.strip()) from None
    return (when if when.tzinfo else when.replace(tzinfo=AMSTERDAM)).astimezone(UTC)


def propose(db: firestore.Client, edition: str, sid: str, by: str, slots: Iterable[str], meeting_url: str, *,
            not_before: datetime | None = None) -> None:
    """Store the proposed slots; with ``not_before`` (the evidence deadline: assessors visit a case once its
    evidence is in) a slot before it is refused."""
    parsed = sorted({parse_slot(s) for s in slots if s.strip()})
    if not parsed:
        raise VisitError("r2_err_no_slots")
    if not_before is not None and parsed[0] < not_before:
        raise VisitError("r2_err_slot_early", when=FormattedMoment(not_before))
    try:
        uri(meeting_url.strip())
    except IcsValueInvalid:  # also a link with spaces or line breaks, which would break the invitation
        raise VisitError("r2_err_meeting_link") from None
    if len(meeting_url.strip()) > 2000:
        raise VisitError("r2_err_meeting_link")
    batch = db.batch()
    batch.set(layout.visits(db, edition).document(sid),
              {"submission_id": sid, "slots": parsed, "meeting_url": meeting_url.strip(), "proposed_by": by,
               "proposed_at": datetime.now(UTC)}, merge=True)
    audit.record(db, actor=audit.person("assessor", by), action="round2.visit_proposed",
                 target=f"{edition}/visits/{sid}", after={"slots": [s.isoformat() for s in parsed]}, edition=edition,
                 writer=batch)
    batch.commit()


def confirm(db: firestore.Client, edition: str, sid: str, slot: str, by: str) -> datetime:
    """Confirm one of the proposed slots and publish ``visit.confirmed`` (a new slot is a new invitation); ``by`` is
    the actor (``audit.team(sid)`` or ``audit.organiser(e-mail)``)."""
    visit = get(db, edition, sid) if sid else {}
    chosen = parse_slot(slot)
    if chosen not in [s.astimezone(UTC) for s in visit.get("slots", [])]:
        raise VisitError("r2_err_choose_slot")
    sequence = int(visit.get("sequence", -1)) + 1 if visit.get("confirmed") else 0
    batch = db.batch()
    batch.update(layout.visits(db, edition).document(sid),
                 {"confirmed": chosen, "confirmed_by": by, "confirmed_at": datetime.now(UTC), "sequence": sequence})
    previous = visit.get("confirmed")
    audit.record(db, actor=by, action="round2.visit_confirmed", target=f"{edition}/visits/{sid}",
                 before={"starts_at": previous.isoformat()} if previous else None,
                 after={"starts_at": chosen.isoformat()}, edition=edition, writer=batch)
    batch.commit()
    bus.publish("visit.confirmed", f"visit.confirmed:{edition}:{sid}:{chosen:%Y%m%dT%H%M%SZ}", edition,
                {"submission_id": sid, "starts_at": chosen.isoformat(), "sequence": sequence})
    return chosen


# -- iCalendar (RFC 5545) ------------------------------------------------------------------------------------------


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]")
_URI_BAD = re.compile(r"[\x00-\x20\x7f\u2028\u2029\"<>\\^`{|}]")
_ADDRESS = re.compile(r"^[^@\s:;,<>\"\\]+@[^@\s:;,<>\"\\]+$")


class IcsValueInvalid(ValueError):
    """A value that cannot go into an .ics as it is: a URI or address with characters that could end its line."""


def _escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, every line break (CRLF, CR, LF) as
    ``\\n``, other control characters dropped, so no value can start a line of its own."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", text)
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def uri(value: str) -> str:
    """A URI value (RFC 5545 3.3.13) checked as it is written, unescaped: http(s), a host, no white space, control
    or delimiter characters (``IcsValueInvalid`` otherwise)."""
    parts = urlsplit(value)
    if _URI_BAD.search(value) or parts.scheme not in ("http", "https") or not parts.netloc:
        raise IcsValueInvalid(f"not a usable meeting link: {value!r}")
    return value


def mailto(address: str) -> str:
    """A CAL-ADDRESS (``mailto:``) for one plain e-mail address (``IcsValueInvalid`` otherwise)."""
    if not _ADDRESS.match(address) or _CONTROL.search(address):
        raise IcsValueInvalid(f"not a usable e-mail address: {address!r}")
    return f"mailto:{address}"


def _uid(value: str) -> str:
    if _URI_BAD.search(value) or not value:
        raise IcsValueInvalid(f"not a usable UID: {value!r}")
    return value


def fold(line: str) -> str:
    """A content line folded so that no physical line exceeds 75 octets (never splitting a UTF-8 character)."""
    out: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode())
        limit = 75 if not out else 74  # continuation lines start with one space
        if size + width > limit:
            out.append(current)
            current, size = "", 0
        current += char
        size += width
    out.append(current)
    return "\r\n ".join(out)


def _utc(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def ics(*, uid: str, starts: datetime, summary: str, description: str, url: str, organiser: str,
        attendees: Sequence[str], sequence: int = 0, stamp: datetime | None = None,
        minutes: int = VISIT_MINUTES, location: str | None = None) -> str:
    """An invitation (METHOD:REQUEST) with one VEVENT, times in UTC, CRLF line endings, folded lines. Text is
    escaped and URIs and addresses are checked (``IcsValueInvalid``), so no value can add a property. ``location`` is
    a place as text (a pitch in a room); without it the location is ``url`` (an online visit)."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//VNG//GemeenteDelers//NL", "CALSCALE:GREGORIAN",
        "METHOD:REQUEST", "BEGIN:VEVENT", f"UID:{_uid(uid)}", f"SEQUENCE:{int(sequence)}",
        f"DTSTAMP:{_utc(stamp or datetime.now(UTC))}", f"DTSTART:{_utc(starts)}",
        f"DTEND:{_utc(starts + timedelta(minutes=minutes))}", f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}", f"LOCATION:{_escape(location or uri(url))}",
        *([f"URL:{uri(url)}"] if url else []),
        f"ORGANIZER:{mailto(organiser)}",
        *(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:{mailto(a)}" for a in attendees),
        "STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)

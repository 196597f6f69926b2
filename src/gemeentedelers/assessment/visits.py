"""Round 2's visits: the assessor team proposes slots with a meeting link, the entrant team (or an organiser)
confirms one, and notify mails every member and the case's contact an invitation with an .ics (RFC 5545)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from google.cloud import firestore

from gemeentedelers.platform import audit, bus, layout
from gemeentedelers.web.refusals import Refusal

VISIT_MINUTES = 90


class VisitError(Refusal):
    """A slot or meeting link that cannot be used."""


def get(db: firestore.Client, edition: str, sid: str) -> dict[str, Any]:
    return layout.visits(db, edition).document(sid).get().to_dict() or {}


def parse_slot(text: str) -> datetime:
    """A slot as typed (``2024-03-12T10:00``, UTC unless it carries an offset)."""
    try:
        when = datetime.fromisoformat(text.strip())
    except ValueError:
        raise VisitError("r2_err_slot_format", text=text.strip()) from None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


def propose(db: firestore.Client, edition: str, sid: str, by: str, slots: Iterable[str], meeting_url: str) -> None:
    parsed = sorted({parse_slot(s) for s in slots if s.strip()})
    if not parsed:
        raise VisitError("r2_err_no_slots")
    parts = urlsplit(meeting_url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
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


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


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
        minutes: int = VISIT_MINUTES) -> str:
    """An invitation (METHOD:REQUEST) with one VEVENT, times in UTC, CRLF line endings, folded lines."""
    lines = [
        "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//VNG//GemeenteDelers//NL", "CALSCALE:GREGORIAN",
        "METHOD:REQUEST", "BEGIN:VEVENT", f"UID:{uid}", f"SEQUENCE:{sequence}",
        f"DTSTAMP:{_utc(stamp or datetime.now(UTC))}", f"DTSTART:{_utc(starts)}",
        f"DTEND:{_utc(starts + timedelta(minutes=minutes))}", f"SUMMARY:{_escape(summary)}",
        f"DESCRIPTION:{_escape(description)}", f"LOCATION:{_escape(url)}", f"URL:{url}",
        f"ORGANIZER:mailto:{organiser}",
        *(f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{a}" for a in attendees),
        "STATUS:CONFIRMED", "END:VEVENT", "END:VCALENDAR",
    ]
    return "".join(fold(line) + "\r\n" for line in lines)

"""How long personal data is kept, per collection, and the due job that removes it when its time is up.

The rules are one table (:data:`RULES`): the privacy statement shows it (``people/statement.py``) and the due job
enforces it, so what people are told and what happens cannot drift apart. Most personal data serves one edition:
it goes a set time after that edition's award ceremony, on the competition clock. A team that consented to
publication keeps its entry's text (for the databank), never its contact. Records kept for diagnosis (poison
messages, dead letters) expire a set time after they were stored. What remains of a person after the retention
period is a pseudonym in the rows that decisions reproduce from (``people/privacy.py``).

The job runs on every tick (notify's ``DUE``): it reads the clock and Firestore, does what is due and leaves a
marker per edition (``retention/{edition}``), so a late, repeated or forged tick changes nothing that was not due.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from google.cloud import firestore

from gemeentedelers.people import privacy
from gemeentedelers.platform import layout, retention
from gemeentedelers.plugins.api import Text

log = logging.getLogger(__name__)

RULES_VERSION = 1
"""Bumped when a rule removes more than before, so editions already handled are handled again."""
EDITION_DATA = timedelta(days=365)
"""Personal data of an edition is kept 12 months after its award ceremony (questions, objections, the next
edition's invitations), then removed."""
DIAGNOSTICS = timedelta(days=retention.DEAD_LETTER_DAYS)
"""Poison messages and dead letters: the TTL table's period (``platform/retention.py``), enforced here too."""
AUDIT = timedelta(days=7 * 365)


@dataclass(frozen=True)
class Rule:
    """One collection's retention: what personal data it holds, why, how long and what happens then."""

    collection: str
    data: Text
    purpose: Text
    kept: Text
    then: Text


RULES: tuple[Rule, ...] = (
    Rule("editions/{edition}/submissions",
         Text("naam, e-mailadres en telefoonnummer van de contactpersoon; de tekst van de inzending",
              "the contact's name, e-mail address and phone number; the entry's text"),
         Text("de inzending behandelen en de contactpersoon mailen over de wedstrijd",
              "handling the entry and mailing its contact about the competition"),
         Text("12 maanden na de prijsuitreiking", "12 months after the award ceremony"),
         Text("contactgegevens verwijderd; de omschrijving ook, tenzij het team toestemming gaf voor publicatie",
              "contact details removed; the description too, unless the team agreed to publication")),
    Rule("editions/{edition}/evidence",
         Text("de onderbouwing van ronde 2 (kan namen van medewerkers bevatten)",
              "round 2's evidence (may name employees)"),
         Text("de beoordeling in ronde 2", "the assessment in round 2"),
         Text("12 maanden na de prijsuitreiking", "12 months after the award ceremony"),
         Text("verwijderd, tenzij het team toestemming gaf voor publicatie",
              "deleted, unless the team agreed to publication")),
    Rule("editions/{edition}/scorers, assessors, jurors",
         Text("naam, e-mailadres, organisatie en achtergrond van beoordelaars, assessoren en juryleden",
              "name, e-mail address, organisation and background of scorers, assessors and jurors"),
         Text("inzendingen toewijzen zonder belangenverstrengeling en mailen over de beoordeling",
              "assigning entries without conflicts of interest and mailing about the judging"),
         Text("12 maanden na de prijsuitreiking", "12 months after the award ceremony"),
         Text("vervangen door een pseudoniem; scores en stemmen blijven onder dat pseudoniem bewaard",
              "replaced by a pseudonym; scores and votes stay under that pseudonym")),
    Rule("editions/{edition}/visits",
         Text("tijden en de link van het bezoek", "the visit's times and link"),
         Text("het bezoek plannen", "planning the visit"),
         Text("12 maanden na de prijsuitreiking", "12 months after the award ceremony"),
         Text("verwijderd", "deleted")),
    Rule("editions/{edition}/mails",
         Text("aan wie welke mail ging (e-mailadres, onderwerp)", "who was sent which mail (address, subject)"),
         Text("elke mail één keer versturen en kunnen aantonen dat hij verstuurd is",
              "sending every mail once and being able to show it was sent"),
         Text("12 maanden na de prijsuitreiking", "12 months after the award ceremony"),
         Text("verwijderd", "deleted")),
    Rule("poison_messages, dead_letters",
         Text("berichten die niet verwerkt konden worden (zonder contactgegevens opgeslagen)",
              "messages that could not be processed (stored without contact details)"),
         Text("storingen onderzoeken en berichten opnieuw versturen", "investigating faults and resending messages"),
         Text("30 dagen", "30 days"), Text("verwijderd", "deleted")),
    Rule("audit",
         Text("wie wat deed en wanneer (organisatoren bij e-mailadres, anderen onder pseudoniem)",
              "who did what and when (organisers by e-mail address, others under a pseudonym)"),
         Text("verantwoording van besluiten (Woo, Archiefwet)", "accounting for decisions (Woo, Archives Act)"),
         Text("7 jaar", "7 years"), Text("verwijderd", "deleted")),
)


def _editions(client: firestore.Client) -> list[tuple[str, datetime]]:
    """``(edition, award ceremony)`` of every edition with data stored and rules installed."""
    from gemeentedelers.editions import get_edition

    found = []
    for key in privacy.edition_keys(client):
        try:
            found.append((key, get_edition(key).timeline.award_ceremony))
        except Exception:  # an edition whose rules are not installed here is left alone, and said so
            log.warning("retention: edition %s is not installed; its data is left as it is", key)
    return found


def _each(collection: Any, change: Callable[[firestore.DocumentSnapshot], dict[str, Any] | None]) -> int:
    """Apply ``change`` (an update, ``{}`` to delete, ``None`` to leave) to every document; how many changed."""
    count = 0
    for snapshot in collection.stream():
        update = change(snapshot)
        if update is None:
            continue
        if update:
            snapshot.reference.update(update)
        else:
            snapshot.reference.delete()
        count += 1
    return count


def apply_to_edition(client: firestore.Client, edition: str, now: datetime) -> dict[str, int]:
    """Remove an edition's personal data whose retention period is over (idempotent)."""
    published = set()

    def submission(snapshot: firestore.DocumentSnapshot) -> dict[str, Any] | None:
        data = snapshot.to_dict() or {}
        if data.get("publication_consent"):
            published.add(snapshot.id)
        if data.get("retention_applied_at"):
            return None
        update = privacy.contact_removed(data, privacy.pseudonym((data.get("contact") or {}).get("email")
                                                                 or snapshot.id), now)
        if not data.get("publication_consent"):
            update["description"] = None
        return {**update, "retention_applied_at": now}

    def person(role: str) -> Callable[[firestore.DocumentSnapshot], dict[str, Any] | None]:
        def change(snapshot: firestore.DocumentSnapshot) -> dict[str, Any] | None:
            data = snapshot.to_dict() or {}
            if data.get("erased_at"):
                return None
            return privacy.person_removed(role, data, privacy.pseudonym(str(data.get("email") or snapshot.id)), now)
        return change

    done = {"submissions": _each(layout.submissions(client, edition), submission)}
    done["evidence"] = _each(layout.evidence(client, edition),
                             lambda s: None if s.id in published else {})
    for role, (collection, _, _) in privacy.ROLES.items():
        done[role] = _each(collection(client, edition), person(role))
    done["visits"] = _each(layout.visits(client, edition), lambda s: {})
    done["mails"] = _each(layout.mails(client, edition), lambda s: {})
    return done


def apply(client: firestore.Client, now: datetime, real_now: datetime | None = None) -> dict[str, Any]:
    """What is due now: every edition past its retention period on the competition clock (``now``) once (a marker
    per edition and rules version), and the diagnostics and audit entries past theirs in real time."""
    real_now = real_now or datetime.now(UTC)
    done: dict[str, Any] = {}
    for edition, ceremony in _editions(client):
        if now < ceremony + EDITION_DATA:
            continue
        marker = layout.retention_marker(client, edition)
        if int((marker.get().to_dict() or {}).get("rules_version", 0)) >= RULES_VERSION:
            continue
        done[edition] = apply_to_edition(client, edition, now)
        marker.set({"edition": edition, "rules_version": RULES_VERSION, "applied_at": now, "removed": done[edition]})
    for name, field, cutoff in (("poison_messages", "received_at", real_now - DIAGNOSTICS),
                                ("audit", "at", real_now - AUDIT)):
        query = client.collection(name).where(filter=firestore.FieldFilter(field, "<", cutoff))
        gone = _each(query, lambda s: {})
        if gone:
            done[name] = gone
    return done


def due() -> str:
    """The tick's job, on the competition clock: a short word on what it removed (for the log)."""
    from gemeentedelers.editions.active import NoActiveEdition, read_active
    from gemeentedelers.platform.firestore import db

    client = db()
    try:
        now = read_active(client).clock.now()
    except NoActiveEdition:
        now = datetime.now(UTC)
    done = apply(client, now)
    return ", ".join(f"{k}: {v}" for k, v in done.items()) or "nothing due"

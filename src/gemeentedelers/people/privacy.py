"""A person's rights under the AVG: access (art. 15, :func:`find`) and erasure (art. 17, :func:`erase`).

A person is found by their e-mail address: as the contact of a registration, as a scorer, assessor, juror or
organiser (whose ids are hashes of the address), in the mail ledger, in poison messages and dead letters, in
sponsor records and in the audit trail. Erasure removes what only serves the person and keeps a stable pseudonym
(``erased-<hash>``) where a decision's inputs or the audit trail must keep a row:

- a registration the rounds have not used yet (round 1 not opened) is deleted with its anonymised entry, and its
  delivery id's hash stays as a tombstone, so intake answers a replay of the form delivery 410 instead of storing
  it again; one the rounds used keeps its row with the contact replaced by the pseudonym (the team's link stops);
  either way its entry leaves the databank at once and is never published again (``databank/withdraw.py``);
- a scorer, assessor or juror without any scores, team, report or ballot is deleted; one with them keeps the row
  (the decisions' inputs name the id) without name, address, organisation or background, and every link and
  session of theirs stops (``link_version``);
- the mail ledger keeps its entries (they keep a redelivered event from mailing again) addressed to the pseudonym;
  poison messages and dead letters that mention the person are deleted;
- finally every document of every collection is swept: wherever the address or the person's name still occurs
  in a text (an audit entry naming an organiser, a report quoting a contact), it is replaced by the pseudonym.

The erasure itself is recorded in the audit trail under the pseudonym, never the address. Backups keep erased
data until they expire (``docs/privacy.md``).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.databank import withdraw
from gemeentedelers.entries import submissions
from gemeentedelers.people.csv_import import person_id
from gemeentedelers.platform import audit, layout

ROLES: dict[str, tuple[Callable[[firestore.Client, str], Any], str, str]] = {
    "scorer": (layout.scorers, "sc", "scorer_id"),
    "assessor": (layout.assessors, "as", "assessor_id"),
    "juror": (layout.jurors, "ju", "juror_id"),
}
"""Each role's collection, the prefix of its ids (``person_id(prefix, email)``) and its id field."""
PERSONAL_FIELDS = ("name", "email", "organisation", "background", "phone")


class NothingFound(LookupError):
    """Nothing is stored about this address."""


@dataclass
class Found:
    """Everything stored about one address, as documents: ``(path, data)`` per group."""

    email: str
    registrations: list[tuple[firestore.DocumentReference, dict[str, Any]]] = field(default_factory=list)
    people: list[tuple[str, firestore.DocumentReference, dict[str, Any]]] = field(default_factory=list)
    related: list[tuple[str, firestore.DocumentReference, dict[str, Any]]] = field(default_factory=list)
    mails: list[tuple[firestore.DocumentReference, dict[str, Any]]] = field(default_factory=list)
    mentions: list[tuple[firestore.DocumentReference, dict[str, Any]]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.registrations or self.people or self.mails or self.mentions)

    @property
    def names(self) -> set[str]:
        """The person's names as stored (a contact's, a role's), to find them in free text."""
        found = {str((data.get("contact") or {}).get("name") or "") for _, data in self.registrations}
        found |= {str(data.get("name") or "") for _, _, data in self.people}
        return {name.strip() for name in found if len(name.strip()) >= 3}

    def export(self) -> dict[str, Any]:
        """The access export (art. 15): every document, by kind, with its path."""
        return {
            "email": self.email,
            "registrations": [_doc(ref, data) for ref, data in self.registrations],
            "roles": [{"role": role, **_doc(ref, data)} for role, ref, data in self.people],
            "related": [{"kind": kind, **_doc(ref, data)} for kind, ref, data in self.related],
            "mails": [_doc(ref, data) for ref, data in self.mails],
            "mentioned_in": [_doc(ref, data) for ref, data in self.mentions],
        }


def _doc(ref: firestore.DocumentReference, data: Mapping[str, Any]) -> dict[str, Any]:
    return {"path": ref.path, "data": dict(data)}


def pseudonym(email: str) -> str:
    """The stable stand-in for an erased address (the same address always gets the same one)."""
    return "erased-" + hashlib.sha256(f"gemeentedelers:erased:{email.strip().casefold()}".encode()).hexdigest()[:12]


def edition_keys(client: firestore.Client) -> list[str]:
    """Every edition with something stored (``editions/{key}`` has documents below it)."""
    return sorted(ref.id for ref in client.collection("editions").list_documents())


def _mentions(data: Any, needles: list[str]) -> bool:
    text = json.dumps(data, default=str, ensure_ascii=False).casefold()
    return any(needle in text for needle in needles)


def find(client: firestore.Client, email: str) -> Found:
    """Everything stored about ``email`` (compared without case), in every edition."""
    address = email.strip()
    folded = address.casefold()
    found = Found(address)
    spellings = {address}
    ids: list[str] = []
    for edition in edition_keys(client):
        for doc in layout.submissions(client, edition).stream():
            data = doc.to_dict() or {}
            contact = str((data.get("contact") or {}).get("email") or "")
            if contact.casefold() == folded:
                found.registrations.append((doc.reference, data))
                spellings.add(contact)
                found.related.extend(_registration_rows(client, edition, doc.id))
        for role, (collection, prefix, _) in ROLES.items():
            ref = collection(client, edition).document(person_id(prefix, address))
            data = ref.get().to_dict()
            if data is not None and not data.get("erased_at"):  # an erased row keeps nothing of the person
                found.people.append((role, ref, data))
                spellings.add(str(data.get("email") or address))
                ids.append(audit.person(role, ref.id))
                found.related.extend(_person_rows(client, edition, role, ref.id))
        mails = layout.mails(client, edition)
        for spelling in sorted(spellings):
            for doc in mails.where(filter=firestore.FieldFilter("to", "==", spelling)).stream():
                found.mails.append((doc.reference, doc.to_dict() or {}))
    needles = [folded, *(i.casefold() for i in ids)]
    for ref, data in _scan_global(client):
        if _mentions(data, needles):
            found.mentions.append((ref, data))
    return found


def _registration_rows(client: firestore.Client, edition: str,
                       sid: str) -> Iterator[tuple[str, firestore.DocumentReference, dict[str, Any]]]:
    for kind, ref in (("round1_entry", layout.round1_entries(client, edition).document(sid)),
                      ("evidence", layout.evidence(client, edition).document(sid)),
                      ("visit", layout.visits(client, edition).document(sid)),
                      *((f"feedback_round{n}", layout.feedback(client, edition, n, sid)) for n in (1, 2, 3))):
        data = ref.get().to_dict()
        if data is not None:
            yield kind, ref, data


def _person_rows(client: firestore.Client, edition: str, role: str,
                 pid: str) -> Iterator[tuple[str, firestore.DocumentReference, dict[str, Any]]]:
    if role == "scorer":
        for collection, kind in ((layout.round1_scores, "score"), (layout.round1_assignments, "assignment")):
            query = collection(client, edition).where(filter=firestore.FieldFilter("scorer_id", "==", pid))
            for doc in query.stream():
                yield kind, doc.reference, doc.to_dict() or {}
    ballots = {"assessor": layout.assessment_ballots, "juror": layout.jury_ballots}.get(role)
    if ballots is not None:
        ref = ballots(client, edition).document(pid)
        data = ref.get().to_dict()
        if data is not None:
            yield "ballot", ref, data
    if role == "assessor":
        query = layout.assessment_teams(client, edition).where(
            filter=firestore.FieldFilter("members", "array_contains", pid))
        for doc in query.stream():
            yield "team", doc.reference, doc.to_dict() or {}


GLOBAL_SCANNED = ("poison_messages", "dead_letters", "sponsor_endpoints", "audit", "organisers")
"""Collections searched in full for the address (small, or the trail of who did what)."""


def _scan_global(client: firestore.Client) -> Iterator[tuple[firestore.DocumentReference, dict[str, Any]]]:
    for name in GLOBAL_SCANNED:
        for doc in client.collection(name).stream():
            yield doc.reference, doc.to_dict() or {}


# -- erasure -------------------------------------------------------------------------------------------------------


@dataclass
class Erased:
    pseudonym: str
    deleted: list[str] = field(default_factory=list)
    pseudonymised: list[str] = field(default_factory=list)
    swept: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        return {"pseudonym": self.pseudonym, "deleted": len(self.deleted), "pseudonymised": len(self.pseudonymised),
                "swept": len(self.swept)}


def erase(client: firestore.Client, email: str, *, actor: str, now: datetime | None = None) -> Erased:
    """Erase ``email``'s personal data everywhere (see the module's description); :class:`NothingFound` when
    nothing is stored about it."""
    found = find(client, email)
    if found.empty:
        raise NothingFound(f"nothing is stored about {email.strip()}")
    now = now or datetime.now(UTC)
    alias = pseudonym(email)
    done = Erased(alias)
    names = found.names
    for ref, data in found.registrations:
        _erase_registration(client, ref, data, alias, now, done)
    for role, ref, data in found.people:
        _erase_person(client, role, ref, data, alias, now, done)
    for ref, _ in found.mails:
        ref.update({"to": alias, "erased_at": now})
        done.pseudonymised.append(ref.path)
    for ref, _ in found.mentions:
        if ref.parent.id in ("poison_messages", "dead_letters"):
            ref.delete()
            done.deleted.append(ref.path)
    done.swept = sweep(client, _replacer([email.strip()], names, alias))
    audit.record(client, actor=actor, action="person.erased", target=f"person:{alias}", after=done.summary())
    return done


def _erase_registration(client: firestore.Client, ref: firestore.DocumentReference, data: Mapping[str, Any],
                        alias: str, now: datetime, done: Erased) -> None:
    edition = str(data.get("edition") or ref.parent.parent.id)  # type: ignore[union-attr]
    source = data.get("source") or {}
    if withdraw.unpublish(client, edition, ref.id, actor=audit.system("privacy"), reason="erased"):
        done.deleted.append(layout.databank(client).document(withdraw.doc_id(edition, ref.id)).path)
    if not layout.round_state(client, edition, 1).get().exists:  # the rounds have not used it: it goes
        digest, tombstone = submissions.tombstone_record(edition, str(source.get("provider")),
                                                         str(source.get("event_id")), now)
        batch = client.batch()
        batch.set(layout.tombstone(client, digest), tombstone)
        batch.delete(ref)
        batch.delete(layout.round1_entries(client, edition).document(ref.id))
        batch.commit()
        done.deleted.append(ref.path)
        return
    ref.update({**contact_removed(data, alias, now), "publication_consent": False})  # never published again
    done.pseudonymised.append(ref.path)


def contact_removed(data: Mapping[str, Any], alias: str, now: datetime) -> dict[str, Any]:
    """The update that replaces a registration's contact by ``alias`` and stops the team's link."""
    return {"contact": {"name": alias, "email": None, "phone": None}, "erased_at": now,
            "link_version": int(data.get("link_version", 1)) + 1}


def person_removed(role: str, data: Mapping[str, Any], alias: str, now: datetime) -> dict[str, Any]:
    """The update that leaves a scorer's, assessor's or juror's row without anything of the person: name,
    address, organisation and background gone, ``alias`` in the name, every link and session stopped."""
    return {**{f: None for f in PERSONAL_FIELDS if f in data}, "name": f"{role} {alias}", "erased_at": now,
            "organisation_check": None, "consents": {}, "link_version": int(data.get("link_version", 1)) + 1}


def _erase_person(client: firestore.Client, role: str, ref: firestore.DocumentReference, data: Mapping[str, Any],
                  alias: str, now: datetime, done: Erased) -> None:
    edition = ref.parent.parent.id  # type: ignore[union-attr]
    if not any(True for _ in _person_rows(client, edition, role, ref.id)) and not _in_reports(client, edition,
                                                                                                ref.id):
        ref.delete()
        done.deleted.append(ref.path)
        return
    ref.update(person_removed(role, data, alias, now))
    done.pseudonymised.append(ref.path)


def _in_reports(client: firestore.Client, edition: str, pid: str) -> bool:
    return any(pid in json.dumps(doc.to_dict() or {}, default=str) for doc in layout.reports(client, edition).stream())


def _replacer(addresses: list[str], names: set[str], alias: str) -> Callable[[str], str]:
    wanted = sorted({a for a in addresses if a} | names, key=lambda v: (-len(v), v))
    pattern = re.compile("|".join(rf"(?<!\w){re.escape(v)}(?!\w)" for v in wanted), re.IGNORECASE)
    return lambda text: pattern.sub(alias, text)


def _replaced(value: Any, replace: Callable[[str], str]) -> Any:
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_replaced(v, replace) for v in value]
    if isinstance(value, dict):
        return {k: _replaced(v, replace) for k, v in value.items()}
    return value


def walk(client: firestore.Client) -> Iterator[firestore.DocumentSnapshot]:
    """Every document of every collection, subcollections included (also below documents that do not exist)."""
    todo: list[Any] = list(client.collections())
    while todo:
        collection = todo.pop()
        for ref in collection.list_documents():
            todo.extend(ref.collections())
            snapshot = ref.get()
            if snapshot.exists:
                yield snapshot


IDENTITY_FIELDS = {"submissions": ("contact",), "scorers": ("name", "email"), "assessors": ("name", "email"),
                   "jurors": ("name", "email"), "organisers": ("name", "email")}
"""Fields that are another person's own identity: the sweep leaves them (a namesake keeps their name); the
erased person's own were handled before it."""


def sweep(client: firestore.Client, replace: Callable[[str], str]) -> list[str]:
    """Replace the person's address and name in every text of every document; the paths changed."""
    changed = []
    for snapshot in walk(client):
        data = snapshot.to_dict() or {}
        kept = IDENTITY_FIELDS.get(snapshot.reference.parent.id, ())
        update = {k: new for k, v in data.items() if k not in kept and (new := _replaced(v, replace)) != v}
        if update:
            snapshot.reference.update({firestore.FieldPath(k).to_api_repr(): v for k, v in update.items()})
            changed.append(snapshot.reference.path)
    return changed

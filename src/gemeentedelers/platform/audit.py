"""The audit trail: an append-only record of who did what, when, to what, with the value before and after.

Every organiser action, every decision, every change of a score, ballot or report, every sign-in and revocation,
every erasure is one entry ``{at, actor, action, target, before, after, edition}`` in its own document
(``audit/{random id}``), created once and never updated: writing one never contends with another (no counter, no
shared document), and nothing overwrites history.

Actors are ``organiser:<e-mail>``, ``scorer:<pseudonym>``, ``assessor:<pseudonym>``, ``juror:<pseudonym>``,
``team:<submission id>`` or ``system:<service>``; a person's pseudonym is stable and reveals nothing by itself
(:func:`person`). Actions are dotted names: ``round1.closed``, ``round2.finalists_confirmed``,
``round3.confirmed``, ``winners.announced``, ``score.changed``, ``organiser.signed_in``, ...
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import layout

ROLES = ("scorer", "assessor", "juror")


def organiser(email: str) -> str:
    return f"organiser:{email.strip().lower()}"


def system(service: str) -> str:
    return f"system:{service}"


def team(submission_id: str) -> str:
    return f"team:{submission_id}"


def pseudonym(person_id: str) -> str:
    """A short, stable stand-in for a person's id (itself a hash of their address): the same person always gets
    the same pseudonym, and erasing the person leaves entries that name nobody."""
    return hashlib.sha256(f"gemeentedelers:pseudonym:{person_id}".encode()).hexdigest()[:10]


def person(role: str, person_id: str) -> str:
    """``scorer:<pseudonym>``, ``assessor:<pseudonym>`` or ``juror:<pseudonym>``."""
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}; one of {', '.join(ROLES)}")
    return f"{role}:{pseudonym(person_id)}"


def entry(*, actor: str, action: str, target: str, before: Any = None, after: Any = None,
          edition: str | None = None, at: datetime | Any = firestore.SERVER_TIMESTAMP) -> dict[str, Any]:
    """The document of one entry (``at`` defaults to the server's time of the write)."""
    if ":" not in actor or not action or "." not in action:
        raise ValueError(f"an audit entry needs an actor 'kind:who' and a dotted action, not {actor!r}/{action!r}")
    return {"at": at, "actor": actor, "action": action, "target": target, "before": before, "after": after,
            "edition": edition}


def record(client: firestore.Client, *, actor: str, action: str, target: str, before: Any = None,
           after: Any = None, edition: str | None = None, writer: Any = None) -> str:
    """Append one entry; returns its id. Pass ``writer`` (a transaction or batch) to write it together with the
    change it records, so the change and its entry exist together or not at all."""
    ref = layout.audit(client).document(uuid.uuid4().hex)
    data = entry(actor=actor, action=action, target=target, before=before, after=after, edition=edition)
    if writer is None:
        ref.create(data)
    else:
        writer.create(ref, data)
    return ref.id


def entries(client: firestore.Client, *, since: datetime | None = None, actor: str | None = None,
            edition: str | None = None) -> list[dict[str, Any]]:
    """Entries oldest first, optionally from ``since``, of one ``actor``, of one ``edition``."""
    query: Any = layout.audit(client)
    if actor is not None:
        query = query.where(filter=firestore.FieldFilter("actor", "==", actor))
    if edition is not None:
        query = query.where(filter=firestore.FieldFilter("edition", "==", edition))
    if since is not None:
        query = query.where(filter=firestore.FieldFilter("at", ">=", since))
    found = [{"id": doc.id, **(doc.to_dict() or {})} for doc in query.order_by("at").stream()]
    return found


def changed(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> bool:
    """Whether a change is worth an entry: something differs."""
    return dict(before or {}) != dict(after or {})

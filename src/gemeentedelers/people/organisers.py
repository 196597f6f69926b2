"""Organisers as named people: an account per e-mail address with a role, kept across editions.

Roles decide what an organiser may do, in one place (:data:`PERMISSIONS`, :func:`may`): a ``coordinator`` manages
organisers and editions and runs rounds, a ``round-lead`` runs rounds, an ``observer`` reads only. Revoking an
organiser sets their status and bumps their ``session_version`` in one transaction: every page checks the session
against the stored record on each request, so their sessions stop at once and nobody else is touched. Every
change writes an audit entry in the same write.

The first coordinator is bootstrapped from the command line (``gemeentedelers organisers add`` while there are no
organisers yet); from then on only a coordinator adds, changes or revokes organisers.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore
from marshmallow import Schema, ValidationError, fields, validate

from gemeentedelers.people.csv_import import person_id
from gemeentedelers.platform import audit, layout
from gemeentedelers.web.refusals import Refusal

ROLES = ("coordinator", "round-lead", "observer")
PERMISSIONS: dict[str, frozenset[str]] = {
    "read": frozenset(ROLES),
    "run": frozenset({"coordinator", "round-lead"}),
    "manage": frozenset({"coordinator"}),
}
"""What each role may do: ``read`` every organiser page, ``run`` a round's actions, ``manage`` organisers and
editions."""


class OrganiserRefused(Refusal):
    """An organiser's account cannot be used or changed as asked (unknown, revoked, not allowed, invalid)."""


class _Account(Schema):
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(required=True, validate=validate.Length(min=2, max=100))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))


_schema = _Account()


def organiser_id(email: str) -> str:
    return person_id("or", email)


def may(organiser: Mapping[str, Any] | None, permission: str) -> bool:
    """Whether an active organiser's role allows ``permission`` (``read``, ``run`` or ``manage``)."""
    if permission not in PERMISSIONS:
        raise ValueError(f"unknown permission {permission!r}; one of {', '.join(PERMISSIONS)}")
    return bool(organiser) and organiser.get("status") == "active" and organiser.get("role") in PERMISSIONS[permission]


def get(db: firestore.Client, oid: str) -> dict[str, Any] | None:
    return layout.organisers(db).document(oid).get().to_dict()


def find(db: firestore.Client, email: str) -> dict[str, Any] | None:
    return get(db, organiser_id(email))


def all_organisers(db: firestore.Client) -> list[dict[str, Any]]:
    """Every organiser ever added, revoked ones included, by name."""
    return sorted((d.to_dict() or {} for d in layout.organisers(db).stream()), key=lambda o: (o["name"], o["email"]))


def acting(db: firestore.Client, email: str, permission: str = "run") -> dict[str, Any]:
    """The organiser ``email`` acting with ``permission`` (the CLI's ``--as``); refused for an unknown or revoked
    organiser and for a role that does not allow it."""
    found = find(db, email) if email else None
    if found is None:
        raise OrganiserRefused("org_err_unknown", email=email or "-")
    if found.get("status") != "active":
        raise OrganiserRefused("org_err_revoked", email=found["email"])
    if not may(found, permission):
        raise OrganiserRefused("org_err_not_allowed", email=found["email"], role=found["role"],
                               permission=permission)
    return found


def account_problems(email: str, name: str, role: str) -> list[str]:
    """The fields of an account the schema refuses (``name``, ``email``, ``role``, in the form's order), so a
    form can mark each of them before ``add`` refuses the whole."""
    found = _schema.validate({"email": (email or "").strip(), "name": (name or "").strip(), "role": role})
    return [field for field in ("name", "email", "role") if field in found]


def well_formed_address(email: str) -> bool:
    """Whether ``email`` is an address an organiser's account may have (the schema's own check)."""
    return "email" not in _schema.validate({"email": (email or "").strip()}, partial=True)


def _clean(email: str, name: str, role: str) -> dict[str, str]:
    try:
        cleaned = _schema.load({"email": (email or "").strip(), "name": (name or "").strip(), "role": role})
    except ValidationError as problem:
        fields_named = ", ".join(sorted(problem.normalized_messages()))
        raise OrganiserRefused("org_err_invalid", fields=fields_named) from None
    return {"email": cleaned["email"].lower(), "name": cleaned["name"], "role": cleaned["role"]}


def add(db: firestore.Client, *, email: str, name: str, role: str, by: str | None) -> tuple[dict[str, Any], bool]:
    """Add an organiser (or change a known one's name and role, reactivating a revoked one); ``(record, created)``.

    ``by`` is the acting coordinator's actor (``audit.organiser``); ``None`` only to bootstrap the first
    coordinator while there are no organisers at all."""
    account = _clean(email, name, role)
    if by is None:
        if layout.organisers(db).limit(1).get():
            raise OrganiserRefused("org_err_bootstrap_done")
        if account["role"] != "coordinator":
            raise OrganiserRefused("org_err_bootstrap_role")
    actor = by or audit.organiser(account["email"])
    oid = organiser_id(account["email"])
    ref = layout.organisers(db).document(oid)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> tuple[dict[str, Any], bool]:
        snapshot = ref.get(transaction=transaction)
        now = datetime.now(UTC)
        if not snapshot.exists:
            record = {**account, "organiser_id": oid, "status": "active", "session_version": 1, "added_at": now,
                      "added_by": actor}
            transaction.create(ref, record)
            audit.record(db, actor=actor, action="organiser.added", target=f"organiser:{account['email']}",
                         after={k: record[k] for k in ("name", "role", "status")}, writer=transaction)
            return record, True
        stored = snapshot.to_dict() or {}
        before = {k: stored.get(k) for k in ("name", "role", "status")}
        after = {"name": account["name"], "role": account["role"], "status": "active"}
        if before == after:
            return stored, False
        change: dict[str, Any] = {"name": account["name"], "role": account["role"], "status": "active",
                                  "changed_at": now, "changed_by": actor}
        if before["role"] != after["role"]:
            change["session_version"] = firestore.Increment(1)  # a new role starts from a fresh sign-in
        transaction.update(ref, change)
        audit.record(db, actor=actor, action="organiser.changed", target=f"organiser:{account['email']}",
                     before=before, after=after, writer=transaction)
        return {**stored, **{k: v for k, v in change.items() if k != "session_version"}}, False

    return write(db.transaction())


def revoke(db: firestore.Client, email: str, *, by: str) -> bool:
    """Revoke an organiser: status ``revoked`` and ``session_version`` bumped, so every session and sign-in link
    they hold stops working at once. ``False`` when they were revoked already."""
    ref = layout.organisers(db).document(organiser_id(email))

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> bool:
        stored = ref.get(transaction=transaction).to_dict()
        if stored is None:
            raise OrganiserRefused("org_err_unknown", email=email)
        if stored.get("status") == "revoked":
            return False
        if by == audit.organiser(stored["email"]):
            raise OrganiserRefused("org_err_revoke_self")
        transaction.update(ref, {"status": "revoked", "revoked_at": datetime.now(UTC), "revoked_by": by,
                                 "session_version": firestore.Increment(1)})
        audit.record(db, actor=by, action="organiser.revoked", target=f"organiser:{stored['email']}",
                     before={"status": stored.get("status")}, after={"status": "revoked"}, writer=transaction)
        return True

    return write(db.transaction())


def end_sessions(db: firestore.Client, oid: str, *, action: str = "organiser.signed_out") -> None:
    """Sign out everywhere: bump ``session_version``, so the organiser's sessions on every host end together."""
    ref = layout.organisers(db).document(oid)
    stored = ref.get().to_dict()
    if stored is None:
        return
    batch = db.batch()
    batch.update(ref, {"session_version": firestore.Increment(1)})
    audit.record(db, actor=audit.organiser(stored["email"]), action=action, target=f"organiser:{stored['email']}",
                 writer=batch)
    batch.commit()


def sign_in_link(organiser: Mapping[str, Any], service: str = "scoring") -> str:
    """A single-use sign-in link (valid 15 minutes) to the console on ``service``'s host."""
    from gemeentedelers.web import links

    token = links.issue_once("organiser-sign-in", links.Holder("*", organiser["organiser_id"],
                                                              int(organiser.get("session_version", 1))))
    return links.public_url(service, f"/organiser/login?token={token}")

"""Opting out of reminders: the ``List-Unsubscribe`` address a reminder carries, and the record it leaves.

The address holds a signed token naming the edition, the role and the person (no contact details), good for a
year: a mail program's one-click ``POST`` (RFC 8058) records the opt-out at once; a ``GET`` (a person following
the link, or a link scanner) shows a page with one button, so nobody is unsubscribed by merely opening a link.
Reminders check :func:`opted_out` before they are mailed; invitations, visits, feedback and results do not.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from google.api_core import exceptions as gexc
from google.cloud import firestore

from gemeentedelers.notify.mailer import Mail
from gemeentedelers.platform import audit, layout
from gemeentedelers.web import links

PURPOSE = "reminder-optout"
MAX_AGE_S = 366 * 24 * 3600
ROLES = ("scorer", "team", "assessor", "juror")


def token(edition: str, role: str, person_id: str) -> str:
    return links.dumps(PURPOSE, {"e": edition, "r": role, "p": person_id})


def url(edition: str, role: str, person_id: str) -> str:
    """The address a reminder's ``List-Unsubscribe`` header names."""
    return links.public_url("notify", f"/unsubscribe?token={token(edition, role, person_id)}")


def read(value: str) -> tuple[str, str, str]:
    """``(edition, role, person_id)`` of a token; ``links.BadLink`` when it is forged, expired or malformed."""
    data = links.loads(PURPOSE, value, MAX_AGE_S)
    edition, role, person_id = (str(data.get(k) or "") for k in ("e", "r", "p"))
    if role not in ROLES or not edition or not person_id or "/" in person_id:
        raise links.BadLink("this link is not valid")
    return edition, role, person_id


def opted_out(client: firestore.Client, edition: str, role: str, person_id: str) -> bool:
    return layout.reminder_optout(client, edition, role, person_id).get().exists


def _actor(role: str, person_id: str) -> str:
    return audit.team(person_id) if role == "team" else audit.person(role, person_id)


def record(client: firestore.Client, edition: str, role: str, person_id: str, how: str) -> bool:
    """Record the opt-out (``True``), or find it recorded before (``False``); audited once."""
    entry: dict[str, Any] = {"role": role, "person_id": person_id, "at": datetime.now(UTC), "how": how}
    batch = client.batch()  # the record and its audit entry together; a second opt-out finds the record
    batch.create(layout.reminder_optout(client, edition, role, person_id), entry)
    audit.record(client, actor=_actor(role, person_id), action="reminders.opted_out",
                 target=f"{edition}/reminder_optouts/{role}:{person_id}", after={"how": how}, edition=edition,
                 writer=batch)
    try:
        batch.commit()
    except gexc.AlreadyExists:
        return False
    return True


def as_reminder(client: firestore.Client, edition: str, role: str, person_id: str, mail: Mail) -> Mail | None:
    """``mail`` with its ``List-Unsubscribe`` address, or ``None`` if the person asked for no more reminders."""
    if opted_out(client, edition, role, person_id):
        return None
    return replace(mail, unsubscribe_url=url(edition, role, person_id))

"""Taking an entry out of the databank at once: its team withdrew its consent to publication, or its contact
person was erased (``people/privacy.py``).

Consent must be as easy to withdraw as to give (AVG): the registration's ``publication_consent`` turns false (so a
later publication leaves the entry out) and its consent record keeps when it was withdrawn and by whom; a published
entry's document is deleted, so the feed and the municipality's links lose it with the next request, and a
withdrawal marker makes its page answer 410 (gone) instead of 404. The marker holds no reason: the public page
does not say whether a team changed its mind or a person was erased; the audit trail does.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.platform import audit, layout
from gemeentedelers.web.refusals import Refusal


class WithdrawRefused(Refusal, LookupError):
    """A withdrawal for an entry the edition does not have."""


def doc_id(edition: str, sid: str) -> str:
    return f"{edition}-{sid}"


def unpublish(db: firestore.Client, edition: str, sid: str, *, actor: str, reason: str, writer: Any = None) -> bool:
    """Remove ``sid``'s entry from the databank of ``edition`` and mark it withdrawn; ``True`` when it was
    published (nothing is written otherwise). Pass ``writer`` (a transaction) to do it together with the change
    that causes it; the read happens first, as a transaction needs."""
    ref = layout.databank(db).document(doc_id(edition, sid))
    was = ref.get(transaction=writer).exists if isinstance(writer, firestore.Transaction) else ref.get().exists
    if not was:
        return False  # never published (or taken out already): its page answers 404 or 410 as it did
    batch = writer if writer is not None else db.batch()
    batch.set(layout.databank_withdrawn(db).document(doc_id(edition, sid)),
              {"edition": edition, "submission_id": sid, "withdrawn_at": datetime.now(UTC)})
    batch.delete(ref)
    audit.record(db, actor=actor, action="databank.unpublished", target=f"databank/{doc_id(edition, sid)}",
                 before={"published": True}, after={"published": False, "reason": reason}, edition=edition,
                 writer=batch)
    if writer is None:
        batch.commit()
    return True


def withdraw_consent(db: firestore.Client, edition: str, sid: str, *, actor: str) -> bool:
    """The team of ``sid`` withdraws its consent to publication: recorded on the registration with its audit
    entry, and the entry leaves the databank in the same transaction. ``False`` when it was withdrawn already."""
    if not sid.startswith("sub-") or "/" in sid or len(sid) > 40:
        raise WithdrawRefused("databank_withdraw_unknown", entry=sid[:40], edition=edition)
    ref = layout.submissions(db, edition).document(sid)

    @firestore.transactional
    def write(transaction: firestore.Transaction) -> bool:
        snapshot = ref.get(transaction=transaction)
        if not snapshot.exists:
            raise WithdrawRefused("databank_withdraw_unknown", entry=sid, edition=edition)
        record = snapshot.to_dict() or {}
        given = bool(record.get("publication_consent"))
        published = unpublish(db, edition, sid, actor=actor, reason="consent_withdrawn", writer=transaction)
        if not given:
            return published
        now = datetime.now(UTC)
        transaction.update(ref, {"publication_consent": False, "consents.publication.withdrawn_at": now,
                                 "consents.publication.withdrawn_by": actor})
        audit.record(db, actor=actor, action="consent.withdrawn", target=f"{edition}/submissions/{sid}",
                     before={"publication_consent": True}, after={"publication_consent": False}, edition=edition,
                     writer=transaction)
        return True

    return write(db.transaction())


def withdrawn(db: firestore.Client, edition: str, sid: str) -> bool:
    """Whether ``sid``'s entry was taken out of the databank (its page answers 410)."""
    return layout.databank_withdrawn(db).document(doc_id(edition, sid)).get().exists

"""Publishing an edition's consenting entries in the databank once its winners are announced, and reading them.

The tick's due job (notify) writes one document per consenting entry (``layout.databank``) with a marker per
edition, once; the feed and the public pages read only those documents, so a page never reads a registration (and
its contact). An entry is linked to the same municipality's entries of other editions by the municipality's CBS
codes (``people/organisations.py``), so next year's page can say "finalist 2022".
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.databank import feed
from gemeentedelers.editions import Edition
from gemeentedelers.platform import audit, layout
from gemeentedelers.web.links import public_url


def entry_url(edition: str, sid: str) -> str:
    return public_url("intake", f"/databank/{edition}/{sid}")


def announced(db: firestore.Client, edition: str) -> bool:
    return (layout.winners(db, edition).document("result").get().to_dict() or {}).get("status") == "announced"


def build(db: firestore.Client, edition: Edition) -> list[dict[str, Any]]:
    """The databank entries of ``edition``: every registration whose team consented to publication."""
    round2 = {d.id for d in layout.roster(db, edition.key, 2).select([]).stream()}
    final = {d.id for d in layout.roster(db, edition.key, 3).select([]).stream()}
    prizes: dict[str, list[str]] = {}
    for winner in (layout.winners(db, edition.key).document("result").get().to_dict() or {}).get("winners", []):
        prizes.setdefault(winner["submission_id"], []).append(winner["prize"])
    labels = {c.key: {"nl": c.label.nl, "en": c.label.en} for c in edition.categories}
    consenting = layout.submissions(db, edition.key).where(filter=firestore.FieldFilter("publication_consent", "==",
                                                                                        True))
    fields = ["submission_id", "municipality", "co_applicants", "title", "description", "category"]
    return [feed.entry(record, edition=edition.key, year=edition.info.year,
                       category_label=labels.get(record.get("category", ""), {}),
                       how_far=feed.reached(record["submission_id"], round2, final, prizes),
                       prizes=prizes.get(record["submission_id"], []),
                       url=entry_url(edition.key, record["submission_id"]))
            for record in (d.to_dict() or {} for d in consenting.select(fields).stream())]


def publish_due(db: firestore.Client, edition: Edition) -> str:
    """Publish ``edition`` once its winners are announced; nothing before, nothing twice."""
    marker = layout.databank_marker(db, edition.key)
    if marker.get().exists:
        return "published already"
    if not announced(db, edition.key):
        return "not announced yet"
    entries = build(db, edition)
    for start in range(0, len(entries), 400):
        batch = db.batch()
        for found in entries[start:start + 400]:
            batch.set(layout.databank(db).document(found["id"]), found)
        batch.commit()
    batch = db.batch()
    batch.create(marker, {"edition": edition.key, "published_at": datetime.now(UTC), "entries": len(entries)})
    audit.record(db, actor=audit.system("notify"), action="databank.published", target=f"databank/{edition.key}",
                 after={"entries": len(entries)}, edition=edition.key, writer=batch)
    batch.commit()
    return f"published {len(entries)} entries"


def entries(db: firestore.Client, edition: str) -> list[dict[str, Any]]:
    query = layout.databank(db).where(filter=firestore.FieldFilter("edition", "==", edition))
    return [d.to_dict() or {} for d in query.stream()]


def same_municipality(db: firestore.Client, found: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The entries of other editions from ``found``'s municipality, newest first."""
    if not found.get("municipality_key"):
        return []
    query = layout.databank(db).where(filter=firestore.FieldFilter("municipality_key", "==",
                                                                   found["municipality_key"]))
    others = [d.to_dict() or {} for d in query.stream()]
    return sorted((o for o in others if o.get("edition") != found.get("edition")),
                  key=lambda o: (-int(o.get("year", 0)), o.get("title", "")))


def feed_of(db: firestore.Client, edition: Edition) -> dict[str, Any] | None:
    """The edition's JSON feed, or ``None`` while it is not published."""
    if not layout.databank_marker(db, edition.key).get().exists:
        return None
    listed = entries(db, edition.key)
    return feed.document(edition.key, edition.info.year, listed, {e["id"]: same_municipality(db, e) for e in listed})

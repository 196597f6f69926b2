"""What the databank publishes of one entry, and the feed's JSON and CSV: pure, no store.

Only what the team agreed to publish (``people/consent.py``, purpose ``publication``) and nothing personal: the
title, the municipality (with its CBS codes), co-applicant organisations, the category, the description, how far
the entry came and its prize. Never the contact person, an address or a phone number (the description is scrubbed
of them too, ``entries/anonymity.py``). The fields are those of ``docs/databank.schema.json``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from gemeentedelers.entries.anonymity import scrubbed
from gemeentedelers.people.organisations import keys
from gemeentedelers.web import csvcells

SCHEMA_ID = "https://gemeentedelers.nl/databank/schema/v1.json"
REACHED = ("round1", "round2", "final", "winner")
"""How far an entry came: round 1 only, round 2, the final (round 3), or a winner."""
CSV_FIELDS = ("id", "edition", "year", "title", "municipality", "municipality_codes", "co_applicants", "category",
              "category_label_nl", "category_label_en", "description", "reached", "prize", "url")


def reached(sid: str, round2: set[str], final: set[str], prizes: Mapping[str, Sequence[str]]) -> str:
    if sid in prizes:
        return "winner"
    if sid in final:
        return "final"
    return "round2" if sid in round2 else "round1"


def entry(record: Mapping[str, Any], *, edition: str, year: int, category_label: Mapping[str, str], how_far: str,
          prizes: Sequence[str], url: str) -> dict[str, Any]:
    """One entry as the databank shows it (``record`` is the stored registration; its contact is never read)."""
    municipality = str(record.get("municipality") or "")
    return {
        "id": f"{edition}-{record['submission_id']}",
        "edition": edition,
        "year": year,
        "title": str(record.get("title") or ""),
        "municipality": municipality,
        "municipality_codes": sorted(k for k in keys(municipality) if not k.startswith("org:")),
        "municipality_key": sorted(keys(municipality))[0] if keys(municipality) else "",
        "co_applicants": [str(c) for c in record.get("co_applicants") or []],
        "category": str(record.get("category") or ""),
        "category_label": {"nl": category_label.get("nl", ""), "en": category_label.get("en", "")},
        "description": scrubbed(str(record.get("description") or "")),
        "reached": how_far,
        "prize": "; ".join(prizes) or None,
        "url": url,
    }


def document(edition: str, year: int, entries: Iterable[Mapping[str, Any]],
             earlier: Mapping[str, Sequence[Mapping[str, Any]]]) -> dict[str, Any]:
    """The JSON feed of one edition: its entries, each with the same municipality's entries of other editions."""
    listed = []
    for found in sorted(entries, key=lambda e: (e["title"].lower(), e["id"])):
        shown = {k: v for k, v in found.items() if k != "municipality_key"}
        shown["same_municipality"] = [{"id": o["id"], "edition": o["edition"], "year": o["year"], "title": o["title"],
                                       "reached": o["reached"], "url": o["url"]}
                                      for o in earlier.get(found["id"], [])]
        listed.append(shown)
    return {"$schema": SCHEMA_ID, "edition": edition, "year": year, "licence": "CC0-1.0", "entries": listed}


def csv_text(feed: Mapping[str, Any]) -> str:
    """The feed as CSV (one row per entry; lists joined with ``; ``), UTF-8 with a header; a text that a
    spreadsheet would run as a formula is defused (``web/csvcells.py``)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, CSV_FIELDS, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    for found in feed["entries"]:
        writer.writerow(csvcells.mapping({**found, "municipality_codes": "; ".join(found["municipality_codes"]),
                         "co_applicants": "; ".join(found["co_applicants"]),
                         "category_label_nl": found["category_label"]["nl"],
                         "category_label_en": found["category_label"]["en"], "prize": found["prize"] or ""}))
    return out.getvalue()

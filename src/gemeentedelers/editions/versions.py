"""Published versions of an edition: immutable, numbered documents in Firestore (``editions/{key}/versions/{n}``).

Publishing validates the spec (``editions/spec.py``), resolves ``extends`` against what is published (and the
shipped specs for an edition never published), checks that the edition loads here (its code rules installed),
and stores the resolved spec's canonical text with its hash, when and by whom. An identical spec stores nothing
and answers the version that has it. The next number is read (the highest stored version) and the new version
created in one transaction, so two publishers never get the same number; publishing writes nothing else, so an
edition published but never used has nothing stored of its own.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from google.cloud import firestore

from gemeentedelers.editions import Edition, EditionConfigError, from_spec
from gemeentedelers.editions.spec import Problem, SpecInvalid, canonical_json, spec_hash, validate_spec
from gemeentedelers.editions.specs import resolve, shipped_document
from gemeentedelers.platform import layout


class UnknownVersion(LookupError):
    """No such edition, or no such version of it, is published."""


@dataclass(frozen=True)
class Published:
    key: str
    version: int
    hash: str
    created: bool
    """``False`` when an identical spec was published already (nothing was stored)."""


def lookup(db: firestore.Client) -> Any:
    """What ``extends`` resolves against: an edition's latest published spec, else its shipped document."""

    def find(key: str) -> Mapping[str, Any] | None:
        try:
            return latest_spec(db, key)
        except UnknownVersion:
            return shipped_document(key)

    return find


def prepare(db: firestore.Client | None, document: Mapping[str, Any]) -> tuple[dict[str, Any], Edition]:
    """The resolved, validated spec of ``document`` and its loaded edition; :class:`SpecInvalid` when either
    fails (nothing is stored)."""
    resolved, _ = resolve(document, lookup(db) if db is not None else shipped_document)
    spec = validate_spec(resolved)
    try:
        edition = from_spec(spec)
    except LookupError as missing:  # a code rule the spec names is not installed here
        raise SpecInvalid([Problem("plugins", str(missing))]) from None
    except (EditionConfigError, ValueError) as problem:
        raise SpecInvalid([Problem("", str(problem))]) from None
    return spec, edition


def publish(db: firestore.Client, document: Mapping[str, Any], *, by: str) -> Published:
    """Store ``document`` (a spec, possibly extending another) as the next version of its edition."""
    from gemeentedelers.platform import audit

    spec, _ = prepare(db, document)
    key, digest, text = spec["key"], spec_hash(spec), canonical_json(spec)
    versions = layout.edition_versions(db, key)

    @firestore.transactional
    def store(transaction: firestore.Transaction) -> Published:
        same = list(transaction.get(versions.where(filter=firestore.FieldFilter("hash", "==", digest)).limit(1)))
        if same:
            return Published(key, int(same[0].get("version")), digest, created=False)
        highest = list(transaction.get(_newest(versions)))
        number = int(highest[0].get("version")) + 1 if highest else 1
        transaction.create(versions.document(str(number)), {
            "key": key, "version": number, "hash": digest, "spec_json": text, "format": spec["format"],
            "published_at": datetime.now(UTC), "published_by": by, "based_on": document.get("extends"),
        })
        audit.record(db, actor=by, action="edition.published", target=f"{key}/versions/{number}",
                     after={"version": number, "hash": digest}, edition=key, writer=transaction)
        return Published(key, number, digest, created=True)

    return store(db.transaction())


def _newest(versions: firestore.CollectionReference) -> Any:
    return versions.order_by("version", direction=firestore.Query.DESCENDING).limit(1)


def version_record(db: firestore.Client, key: str, version: int | None = None) -> dict[str, Any]:
    """A stored version (the latest when ``version`` is ``None``), as stored."""
    if version is None:
        newest = list(_newest(layout.edition_versions(db, key)).stream())
        if not newest:
            raise UnknownVersion(f"edition {key!r} has no published version")
        version = int(newest[0].get("version"))
    record = layout.edition_versions(db, key).document(str(version)).get().to_dict()
    if record is None:
        raise UnknownVersion(f"edition {key!r} has no version {version}")
    return record


def spec_of(record: Mapping[str, Any]) -> dict[str, Any]:
    """The spec a version holds, checked against its hash (a stored version never changes)."""
    import json

    spec = json.loads(record["spec_json"])
    if spec_hash(spec) != record["hash"]:
        raise EditionConfigError(f"edition {record['key']!r} version {record['version']}: the spec does not match "
                                 "its hash")
    return dict(spec)


def latest_spec(db: firestore.Client, key: str) -> dict[str, Any]:
    return spec_of(version_record(db, key))


def load(db: firestore.Client, key: str, version: int, expected_hash: str | None = None) -> Edition:
    """The edition of one published version, loaded once per process: a version seen before costs no read."""
    from gemeentedelers.editions import loaded

    if expected_hash is not None:
        found = loaded(expected_hash, version)
        if found is not None and found.key == key:
            return found
    record = version_record(db, key, version)
    if expected_hash is not None and record["hash"] != expected_hash:
        raise EditionConfigError(f"edition {key!r} version {version} has hash {record['hash']}, not {expected_hash}")
    return from_spec(validate_spec(spec_of(record)), version=version)


def listing(db: firestore.Client, key: str) -> list[dict[str, Any]]:
    """Every published version of ``key``, oldest first, without the spec text."""
    found = [d.to_dict() or {} for d in layout.edition_versions(db, key).stream()]
    return sorted(({k: v for k, v in r.items() if k != "spec_json"} for r in found), key=lambda r: r["version"])

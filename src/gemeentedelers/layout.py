"""Where things live in Firestore. Every collection path is built here, and documented in docs/firestore.md.

    config/active                                  the active edition and the competition clock offset
    editions/{edition}/submissions/{id}            a registration with its contact details (personal data)
    editions/{edition}/round1_entries/{id}         the anonymised view scorers get (no personal data)
    editions/{edition}/rounds/{n}/roster/{id}      entries taking part in round n >= 2
    editions/{edition}/mails/{key}                 every mail notify sends: claimed, then marked sent
    processed_events/{consumer}:{event_id}         markers of handled events, where no business key exists
"""

from __future__ import annotations

from google.cloud import firestore


def active_config(db: firestore.Client) -> firestore.DocumentReference:
    return db.collection("config").document("active")


def edition(db: firestore.Client, edition: str) -> firestore.DocumentReference:
    return db.collection("editions").document(edition)


def submissions(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("submissions")


def round1_entries(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("round1_entries")


def roster(db: firestore.Client, edition_key: str, round: int) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("rounds").document(str(round)).collection("roster")


def mails(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("mails")


def processed_event(db: firestore.Client, consumer: str, event_id: str) -> firestore.DocumentReference:
    return db.collection("processed_events").document(f"{consumer}:{event_id}")

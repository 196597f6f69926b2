"""Where things live in Firestore. Every collection path is built here, and documented in docs/firestore.md.

    config/active                                  the active edition, its version and hash, the competition clock
    editions/{edition}/versions/{n}                a published version of the edition's spec: immutable, hashed
    editions/{edition}/submissions/{id}            a registration with its contact details (personal data)
    editions/{edition}/round1_entries/{id}         the anonymised view scorers get (no personal data)
    editions/{edition}/rounds/{n}/roster/{id}      entries taking part in round n >= 2
    editions/{edition}/mails/{key}                 every mail notify sends: claimed, then marked sent
    editions/{edition}/scorers/{scorer}            round-1 scorers: sign-up or import, approval, capacity
    editions/{edition}/round1_assignments/{s}__{e} who rates what, with the wave that assigned it
    editions/{edition}/round1_scores/{s}__{e}      one document per (scorer, entry): draft or submitted
    editions/{edition}/rounds/{n}                  a round's state: open, closed, decided; its waves
    editions/{edition}/decisions/{id}              a round's decision with what is needed to reproduce it
    editions/{edition}/feedback/r{n}-{entry}       tips and tops for an entry after round n
    editions/{edition}/releases/r{n}               round n's results released to entrants (absent: held)
    editions/{edition}/programme/pitch             the finalists' pitch session: a slot per finalist, a version
    editions/{edition}/programme/finalist-{entry}  a finalist's presentation training and promo video, with dates
    editions/{edition}/programme/ceremony          the award ceremony's invitation: place, version
    editions/{edition}/releases/databank           the edition's consenting entries are in the databank
    databank/{edition}-{entry}                     one published entry of the VNG Databank (no personal data)
    editions/{edition}/evidence/{entry}            round 2: a team's evidence, draft or complete
    editions/{edition}/assessors/{assessor}        round 2: assessors imported by an organiser
    editions/{edition}/assessment_teams/{entry}    round 2: the assessor team of a case
    editions/{edition}/visits/{entry}              round 2: a case's visit: proposed slots, the confirmed one
    editions/{edition}/reports/{entry}             round 2: a team's one assessment report of a case
    editions/{edition}/assessment_ballots/{a}      round 2: an assessor's finalist ballot
    poison_messages/{service}:{message_id}         messages no retry can fix, kept instead of dropped
    processed_events/{consumer}:{event_id}         markers of handled events, where no business key exists
    sponsor_endpoints/{id}                         sponsors' webhook endpoints: url, signing secret, active
    sponsor_events/{event_id}                      the body sent to every sponsor for one event, stored once
    sponsor_deliveries/{event_id}:{endpoint_id}    one (event, endpoint) delivery: claim, attempts, outcome
    editions/{edition}/jurors/{juror}              round-3 jurors: imported by an organiser, one chair
    editions/{edition}/jury_ballots/{juror}        a juror's rankings (or scores) per category and prize votes
    editions/{edition}/winners/{doc}               ``result``: the confirmed winners under embargo; ``announced``
    audit/{id}                                     the audit trail: one entry per action, append-only
    organisers/{organiser}                         organisers: e-mail, name, role, status, session version
    used_links/{purpose}:{nonce}                   single-use links redeemed (sign-in, hand-over), with expiry
    rate_limits/{purpose}:{kind}:{hash}:{window}   requests counted per address or IP in a fixed window, with expiry
    editions/{edition}/reminders/{role}:{id}:{day} a reminder sent to a person on a day (at most one per day)
    editions/{edition}/counters/round1             bumped by every change of round 1's data (the console's cache)
    outbox/{event_id}                              events stored with their state, until they are published
    dead_letters/{subscription}:{message_id}       messages Pub/Sub gave up on, kept for replay until they expire
    tombstones/{hash}                              hashes of erased registrations' delivery ids: no re-creation
    retention/{edition}                            marks an edition whose personal data the retention job removed
"""

from __future__ import annotations

from google.cloud import firestore


def active_config(db: firestore.Client) -> firestore.DocumentReference:
    return db.collection("config").document("active")


def edition(db: firestore.Client, edition: str) -> firestore.DocumentReference:
    return db.collection("editions").document(edition)


def edition_versions(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    """Published versions of an edition's spec, numbered from 1; created once, never changed."""
    return edition(db, edition_key).collection("versions")


def submissions(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("submissions")


def round1_entries(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("round1_entries")


def roster(db: firestore.Client, edition_key: str, round: int) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("rounds").document(str(round)).collection("roster")


def mails(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("mails")


def poison_message(db: firestore.Client, service: str, message_id: str) -> firestore.DocumentReference:
    """A message no retry can fix, kept for inspection (it may hold personal data: organisers only)."""
    return db.collection("poison_messages").document(f"{service}:{message_id}")


def processed_event(db: firestore.Client, consumer: str, event_id: str) -> firestore.DocumentReference:
    return db.collection("processed_events").document(f"{consumer}:{event_id}")


def scorers(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("scorers")


def round1_assignments(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("round1_assignments")


def round1_scores(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("round1_scores")


def round1_calibration(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("round1_calibration")


def pair_id(scorer_id: str, submission_id: str) -> str:
    """The document id shared by a (scorer, entry) assignment and its score."""
    return f"{scorer_id}__{submission_id}"


def round_state(db: firestore.Client, edition_key: str, round: int) -> firestore.DocumentReference:
    return edition(db, edition_key).collection("rounds").document(str(round))


def release(db: firestore.Client, edition_key: str, round: int) -> firestore.DocumentReference:
    """Whether round ``round``'s results are out to entrants (``entries/release.py``): absent while held."""
    return edition(db, edition_key).collection("releases").document(f"r{round}")


def decisions(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("decisions")


def feedback(db: firestore.Client, edition_key: str, round: int, submission_id: str) -> firestore.DocumentReference:
    return edition(db, edition_key).collection("feedback").document(f"r{round}-{submission_id}")


def pitch_schedule(db: firestore.Client, edition_key: str) -> firestore.DocumentReference:
    """The finalists' pitch session: place, slot per finalist, version (``jury/programme.py``)."""
    return edition(db, edition_key).collection("programme").document("pitch")


def programme_finalist(db: firestore.Client, edition_key: str, submission_id: str) -> firestore.DocumentReference:
    """A finalist's presentation training and promo video: planned or done, with dates."""
    return edition(db, edition_key).collection("programme").document(f"finalist-{submission_id}")


def ceremony(db: firestore.Client, edition_key: str) -> firestore.DocumentReference:
    """The award ceremony's invitation: its place and version (the moment is the edition's)."""
    return edition(db, edition_key).collection("programme").document("ceremony")


def databank_marker(db: firestore.Client, edition_key: str) -> firestore.DocumentReference:
    """Written once the edition's consenting entries are published in the databank (``databank/publish.py``)."""
    return edition(db, edition_key).collection("releases").document("databank")


def databank(db: firestore.Client) -> firestore.CollectionReference:
    """The databank's published entries, across editions (linked by municipality): public, no personal data."""
    return db.collection("databank")


def databank_withdrawn(db: firestore.Client) -> firestore.CollectionReference:
    """Entries taken out of the databank (consent withdrawn, contact erased): their pages answer 410
    (``databank/withdraw.py``)."""
    return db.collection("databank_withdrawn")


def feedback_of_round(db: firestore.Client, edition_key: str, round: int) -> firestore.Query:
    """Every entrant's feedback after round ``round`` (the composer's list)."""
    return edition(db, edition_key).collection("feedback").where(filter=firestore.FieldFilter("round", "==", round))


def evidence(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("evidence")


def assessors(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("assessors")


def assessment_teams(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("assessment_teams")


def visits(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("visits")


def reports(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("reports")


def assessment_ballots(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("assessment_ballots")


def sponsor_endpoints(db: firestore.Client) -> firestore.CollectionReference:
    """Global, not per edition: a sponsor registers once and keeps receiving; the body names the edition."""
    return db.collection("sponsor_endpoints")


def sponsor_events(db: firestore.Client) -> firestore.CollectionReference:
    """The exact body posted to sponsors for an event, so every endpoint and every retry sends the same bytes."""
    return db.collection("sponsor_events")


def sponsor_deliveries(db: firestore.Client) -> firestore.CollectionReference:
    """One document per (event, endpoint): the claim that keeps a delivery single, and its attempts."""
    return db.collection("sponsor_deliveries")


def jurors(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("jurors")


def jury_ballots(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("jury_ballots")


def winners(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    """``result`` (the confirmed winners, embargoed until the announcement) and ``announced`` (the marker)."""
    return edition(db, edition_key).collection("winners")


def audit(db: firestore.Client) -> firestore.CollectionReference:
    """The audit trail, across editions (an entry names its edition): append-only, one document per entry."""
    return db.collection("audit")


def organisers(db: firestore.Client) -> firestore.CollectionReference:
    """Global, not per edition: an organiser keeps their account (and role) from one edition to the next."""
    return db.collection("organisers")


def used_link(db: firestore.Client, purpose: str, nonce: str) -> firestore.DocumentReference:
    """The marker that a single-use link was redeemed: created once, so a second use finds it and is refused."""
    return db.collection("used_links").document(f"{purpose}:{nonce}")


def rate_limit(db: firestore.Client, doc_id: str) -> firestore.DocumentReference:
    """One fixed window's counter of sign-ups or link requests for one hashed address or IP (``web/ratelimit.py``)."""
    return db.collection("rate_limits").document(doc_id)


def reminder(db: firestore.Client, edition_key: str, role: str, person_id: str,
             day: str) -> firestore.DocumentReference:
    """The marker that ``person_id`` (of ``role``) was reminded on ``day``: created once, so once per day."""
    return edition(db, edition_key).collection("reminders").document(f"{role}:{person_id}:{day}")


def reminders(db: firestore.Client, edition_key: str) -> firestore.CollectionReference:
    return edition(db, edition_key).collection("reminders")


def reminder_optout(db: firestore.Client, edition_key: str, role: str, person_id: str) -> firestore.DocumentReference:
    """That ``person_id`` (of ``role``) asked for no more reminders (``notify.optouts``): reminders skip them."""
    return edition(db, edition_key).collection("reminder_optouts").document(f"{role}:{person_id}")


def round1_changes(db: firestore.Client, edition_key: str) -> firestore.DocumentReference:
    """A counter every change of round 1's data bumps (``Increment``), so a reader can tell from one document
    whether what it read before still stands (``scoring.fitcache``)."""
    return edition(db, edition_key).collection("counters").document("round1")
def outbox(db: firestore.Client) -> firestore.CollectionReference:
    """Events written together with the state they announce, deleted once published (``platform.outbox``)."""
    return db.collection("outbox")


def dead_letters(db: firestore.Client) -> firestore.CollectionReference:
    """Messages Pub/Sub gave up on (``gd-dead-letter``), kept by notify for ``ops dead-letters --replay``."""
    return db.collection("dead_letters")


def tombstone(db: firestore.Client, digest: str) -> firestore.DocumentReference:
    """The mark an erased registration leaves: the hash of its delivery id, so a replay does not re-create it."""
    return db.collection("tombstones").document(digest)


def retention_marker(db: firestore.Client, edition_key: str) -> firestore.DocumentReference:
    """That the retention job removed an edition's personal data, with which version of its rules and what it
    removed (``people/retention.py``): a later tick does not do it again."""
    return db.collection("retention").document(edition_key)

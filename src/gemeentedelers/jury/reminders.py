"""Round 3's reminders: jurors with categories still to rank, at most once per juror per day, while the round is
open (``people.reminders``); the mail names what is left and carries the juror's link."""

from __future__ import annotations

from google.cloud import firestore

from gemeentedelers.editions import Edition
from gemeentedelers.jury import jurors, round3
from gemeentedelers.people import reminders
from gemeentedelers.platform import audit


def remind_jurors(db: firestore.Client, edition: Edition, *, by: str = audit.system("jury"),
                  day: str | None = None) -> list[str]:
    """Remind every serving juror with a category to rank; returns who was reminded now."""
    from gemeentedelers.console import progress

    round3.refuse_unless_open(round3.state(db, edition.key)["status"])
    today = day or reminders.today()
    behind = [p.person_id for p in progress.round3(db, edition).behind]
    return reminders.send(db, edition.key, "juror", 3, reminders.due(db, edition.key, "juror", behind, today), today,
                          event_type="juror.reminded", id_field="juror_id", by=by, service="jury")


def missing(db: firestore.Client, edition: Edition, jid: str) -> list[str]:
    """The categories a juror votes in and has not ranked yet, as stored (notify's reminder reads this)."""
    shortlist = round3.finalists(db, edition)
    skip = round3.voting_categories(edition, jurors.get(db, edition.key, jid) or {}, shortlist)
    given = round3.ballot(db, edition.key, jid).get("categories", {})
    return [c for c in shortlist if not skip[c] and c not in given]

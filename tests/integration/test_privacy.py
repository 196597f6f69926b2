"""The AVG's rights on the real local cloud, after a whole small edition: ``privacy export`` returns a person's
data, and after ``privacy erase`` a full dump of Firestore (every collection, recursively) holds neither their
e-mail address nor their name; a replayed form delivery does not bring an erased registration back."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from click.testing import CliRunner
from cloudtest import Intake, wait_for

from gemeentedelers.cli import main
from gemeentedelers.devtools.demo import play_on
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.people.privacy import pseudonym, walk
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db

ENTRIES = 12


def dump() -> str:
    """Every document of every collection, recursively, as one text (lower case)."""
    client = db()
    return "\n".join(json.dumps({"path": s.reference.path, **(s.to_dict() or {})}, default=str, ensure_ascii=False)
                     for s in walk(client)).casefold()


def people() -> list[tuple[str, str, str]]:
    """``(kind, name, email)`` of every person stored: contacts, scorers, assessors, jurors."""
    client = db()
    found = [("contact", d.to_dict()["contact"]["name"], d.to_dict()["contact"]["email"])
             for d in layout.submissions(client, "gd2024").stream()]
    for kind, collection in (("scorer", layout.scorers), ("assessor", layout.assessors), ("juror", layout.jurors)):
        found += [(kind, d.to_dict()["name"], d.to_dict()["email"]) for d in collection(client, "gd2024").stream()]
    return found


def cli(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_export_then_erase_leaves_no_address_or_name_anywhere(fresh: LocalCloud) -> None:
    summary = play_on(fresh, ENTRIES, seed=11, echo=lambda *_: None)
    assert summary["round3"]["winners"], summary
    everyone = people()
    names = Counter(name.casefold() for _, name, _ in everyone)
    finalists = {d.id for d in layout.roster(db(), "gd2024", 3).stream()}
    contact = next((name, email) for kind, name, email in everyone if kind == "contact" and names[name.casefold()] == 1
                   and any(d.to_dict()["contact"]["email"] == email and d.id in finalists
                           for d in layout.submissions(db(), "gd2024").stream()))
    chosen = [contact] + [next((name, email) for k, name, email in everyone if k == kind
                               and names[name.casefold()] == 1) for kind in ("assessor", "juror", "scorer")]
    before = dump()
    for name, email in chosen:
        assert email.casefold() in before and name.casefold() in before

    exported = cli("privacy", "export", "--email", contact[1].upper())
    assert exported.exit_code == 0, exported.output
    data = json.loads(exported.output)
    assert [r["data"]["contact"]["email"] for r in data["registrations"]] == [contact[1]]
    assert {r["kind"] for r in data["related"]} >= {"round1_entry", "evidence", "feedback_round1"}
    assert len(data["mails"]) >= 4  # confirmation, feedback after rounds 1 and 2, the announcement, ...
    juror = cli("privacy", "export", "--email", chosen[2][1])
    assert juror.exit_code == 0 and {r["kind"] for r in json.loads(juror.output)["related"]} == {"ballot"}

    refused = cli("privacy", "erase", "--email", contact[1])
    assert refused.exit_code == 1 and "--yes" in refused.output
    assert contact[1].casefold() in dump()

    other = next((name, email) for kind, name, email in everyone if (name, email) not in chosen and
                 names[name.casefold()] == 1)
    for name, email in chosen:
        erased = cli("privacy", "erase", "--email", email, "--yes")
        assert erased.exit_code == 0, erased.output
        after = dump()
        assert email.casefold() not in after and name.casefold() not in after, (name, email)
        assert pseudonym(email) in after
        assert cli("privacy", "export", "--email", email).exit_code == 1  # nothing found any more
    assert other[1].casefold() in after and other[0].casefold() in after  # nobody else was touched
    trail = [e for e in audit.entries(db()) if e["action"] == "person.erased"]
    assert [e["target"] for e in trail] == [f"person:{pseudonym(email)}" for _, email in chosen]
    assert cli("privacy", "export", "--email", "nobody@example.org").exit_code == 1


def test_an_erased_registration_is_not_stored_again_by_a_replay(intake: Intake, fresh: LocalCloud) -> None:
    [fields] = registrations(1, seed=3)
    request = intake.request("typeform", fields)
    assert intake.send(request).status_code == 201
    wait_for(lambda: len(list(layout.round1_entries(db(), "gd2024").stream())) == 1, what="the round-1 entry")
    assert cli("privacy", "erase", "--email", fields["contact_email"], "--yes").exit_code == 0
    assert list(layout.submissions(db(), "gd2024").stream()) == []
    assert list(layout.round1_entries(db(), "gd2024").stream()) == []
    replayed = intake.send(request)
    assert replayed.status_code == 410 and replayed.json()["error"] == "registration_erased"
    assert list(layout.submissions(db(), "gd2024").stream()) == []
    assert fields["contact_email"].casefold() not in dump()

"""The finalists' pitch to the jury on the real local cloud: an organiser schedules the session from the command
line, every finalist gets their slot and every juror the session by mail, each with an RFC 5545 .ics invitation
(escaped values); moving the session sends invitations that replace the old ones."""

from __future__ import annotations

import email
import mailbox
from datetime import timedelta

import cloudtest
from click.testing import CliRunner
from cloudtest import Intake, decide_round, wait_for

from gemeentedelers.cli import main
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.sampledata import registrations
from gemeentedelers.editions import get_edition
from gemeentedelers.jury import jurors
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db

JURY = ("name,email,organisation,is_chair,language\nCarla Voorzitter,carla@vng.example.org,VNG,ja,nl\n"
        "Anton Lid,anton@example.org,Provincie Utrecht,nee,en")


def invitations(cloud: LocalCloud) -> list[tuple[str, str, str]]:
    """(to, subject, .ics text) of every pitch invitation, read from the Maildir as a mail client would."""
    found = []
    for message in mailbox.Maildir(cloud.maildir, factory=None):
        parsed = email.message_from_bytes(message.as_bytes())
        for part in parsed.walk():
            if part.get_filename() == "pitch.ics":
                found.append((parsed["To"], str(email.header.make_header(email.header.decode_header(
                    parsed["Subject"]))), part.get_payload(decode=True).decode()))
    return found


def unfold(ics: str) -> list[str]:
    return ics.replace("\r\n ", "").split("\r\n")


def test_a_pitch_schedule_sends_invitations(intake: Intake, fresh: LocalCloud) -> None:
    edition = get_edition("gd2024")
    ids = []
    for n, fields in enumerate(registrations(3, seed=8)):
        answer = intake.post("generic", {**fields, "category": "Direct", "contact_email": f"team{n}@example.org",
                                         "language": "nl"})
        ids.append(answer.json()["submission_id"])
    fresh.activate("gd2024", edition.timeline.round2_decided + timedelta(days=5))
    decide_round("gd2024", 2, ids)
    wait_for(lambda: len(list(layout.roster(db(), "gd2024", 3).stream())) == 3, what="round-3 roster")
    jurors.import_csv(db(), "gd2024", JURY, source="jury.csv")
    cloudtest.add_organiser("anna@vng.test")
    runner = CliRunner()

    bad = runner.invoke(main, ["programme", "pitch", "--start", "2024-05-20T13:00", "--slot-minutes", "1",
                               "--place", "Den Haag", "--as", "anna@vng.test"])
    assert bad.exit_code == 1 and "5" in bad.output and layout.pitch_schedule(db(), "gd2024").get().exists is False
    place = "VNG, Nassaulaan 12; zaal 3\\4, Den Haag"  # a comma, a semicolon and a backslash to escape
    done = runner.invoke(main, ["programme", "pitch", "--start", "2024-05-20T13:00", "--slot-minutes", "20",
                                "--place", place, "--as", "anna@vng.test"])
    assert done.exit_code == 0, done.output
    assert "version 1: 3 finalists" in done.output

    sent = wait_for(lambda: len(found := invitations(fresh)) == 5 and found, what="five pitch invitations")
    by_to = {to: (subject, ics) for to, subject, ics in sent}
    assert set(by_to) == {"team0@example.org", "team1@example.org", "team2@example.org", "carla@vng.example.org",
                          "anton@example.org"}
    starts = sorted(next(line for line in unfold(by_to[f"team{n}@example.org"][1]) if line.startswith("DTSTART:"))
                    for n in range(3))
    assert starts == ["DTSTART:20240520T110000Z", "DTSTART:20240520T112000Z", "DTSTART:20240520T114000Z"]
    for to, (_subject, ics) in by_to.items():
        lines = unfold(ics)
        assert ics.endswith("\r\n") and all(len(line.encode()) <= 75 for line in ics.split("\r\n"))  # folded
        assert lines[0] == "BEGIN:VCALENDAR" and "METHOD:REQUEST" in lines and "SEQUENCE:0" in lines
        assert r"LOCATION:VNG\, Nassaulaan 12\; zaal 3\\4\, Den Haag" in lines
        assert f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=TRUE:mailto:{to}" in lines
    jury_ics = unfold(by_to["carla@vng.example.org"][1])
    assert "UID:pitch-gd2024-jury@gemeentedelers.nl" in jury_ics and "DTEND:20240520T120000Z" in jury_ics
    assert "pitches van de finalisten" in by_to["carla@vng.example.org"][0]
    assert "the finalists' pitches" in by_to["anton@example.org"][0]  # in the juror's language
    assert "uw pitch voor de jury op 20 mei 2024" in by_to["team0@example.org"][0]
    entry = next(e for e in audit.entries(db(), edition="gd2024") if e["action"] == "pitch.scheduled")
    assert entry["actor"] == "organiser:anna@vng.test" and entry["after"]["finalists"] == 3

    # moved: a second invitation each, the same UIDs, SEQUENCE 1
    moved = runner.invoke(main, ["programme", "pitch", "--start", "2024-05-21T10:00", "--place", place,
                                 "--as", "anna@vng.test"])
    assert moved.exit_code == 0 and "version 2" in moved.output
    sent = wait_for(lambda: len(found := invitations(fresh)) == 10 and found, what="the moved invitations")
    latest = [unfold(ics) for to, _, ics in sent if to == "team0@example.org"]
    assert sorted("SEQUENCE:1" in lines for lines in latest) == [False, True]
    assert len({next(line for line in lines if line.startswith("UID:")) for lines in latest}) == 1
    assert any("21 mei 2024" in subject for to, subject, _ in sent if to == "team0@example.org")


def test_training_video_and_the_ceremony_invitation(intake: Intake, fresh: LocalCloud) -> None:
    from gemeentedelers.notify import sponsors

    edition = get_edition("gd2024")
    ids = []
    for n, fields in enumerate(registrations(3, seed=12)):
        answer = intake.post("generic", {**fields, "category": "Direct", "contact_email": f"team{n}@example.org",
                                         "language": "nl"})
        ids.append(answer.json()["submission_id"])
    fresh.activate("gd2024", edition.timeline.round2_decided + timedelta(days=5))
    decide_round("gd2024", 2, ids[:2], ids[2:])
    wait_for(lambda: len(list(layout.roster(db(), "gd2024", 3).stream())) == 2, what="round-3 roster")
    jurors.import_csv(db(), "gd2024", JURY, source="jury.csv")
    cloudtest.add_organiser("anna@vng.test")
    runner = CliRunner()
    sponsors.register(db(), "Sponsor BV", "http://127.0.0.1:9/hook", contact_email="events@sponsor.example.org")
    sponsors.register(db(), "Stille Sponsor", "http://127.0.0.1:9/other")  # no contact: not invited
    lead = ["--as", "anna@vng.test"]

    assert runner.invoke(main, ["programme", "track", ids[0], "--item", "training", "--on", "2024-05-02", *lead]
                         ).exit_code == 0
    assert runner.invoke(main, ["programme", "track", ids[0], "--item", "video", "--on", "2024-05-10", "--done",
                                *lead]).exit_code == 0
    outsider = runner.invoke(main, ["programme", "track", ids[2], "--item", "video", "--on", "2024-05-10", *lead])
    assert outsider.exit_code == 1 and "not a finalist" in outsider.output
    shown = runner.invoke(main, ["programme", "show"]).output
    assert f"{ids[0]}  pitch -  training planned 2024-05-02  video done 2024-05-10" in shown
    assert f"{ids[1]}  pitch -  training -  video -" in shown
    tracked = [e["action"] for e in audit.entries(db(), edition="gd2024") if e["action"].startswith("programme.")]
    assert tracked == ["programme.training", "programme.video"]

    done = runner.invoke(main, ["programme", "ceremony", "--place", "VNG Jaarcongres, Den Haag", *lead])
    assert done.exit_code == 0, done.output

    def ceremony_mails() -> dict[str, str]:
        found = {}
        for message in mailbox.Maildir(fresh.maildir, factory=None):
            parsed = email.message_from_bytes(message.as_bytes())
            for part in parsed.walk():
                if part.get_filename() == "prijsuitreiking.ics":
                    found[parsed["To"]] = part.get_payload(decode=True).decode()
        return found

    sent = wait_for(lambda: len(found := ceremony_mails()) == 5 and found, what="five ceremony invitations")
    assert set(sent) == {"team0@example.org", "team1@example.org", "carla@vng.example.org", "anton@example.org",
                         "events@sponsor.example.org"}
    lines = unfold(sent["events@sponsor.example.org"])
    assert "DTSTART:20240626T120000Z" in lines and r"LOCATION:VNG Jaarcongres\, Den Haag" in lines
    assert "UID:ceremony-gd2024@gemeentedelers.nl" in lines

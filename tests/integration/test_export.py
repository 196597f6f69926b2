"""``gemeentedelers export`` on the real local cloud: a small edition played to the winners (the demo's own play),
exported as the organiser workbook and as the public dossier, and both read back with openpyxl."""

from __future__ import annotations

import time
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from gemeentedelers.cli import main
from gemeentedelers.devtools.demo import play_on
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.platform import layout
from gemeentedelers.platform.firestore import db

ENTRIES = 12
SHEETS = {"nl": ["Overzicht", "Inschrijvingen", "Ronde 1", "Beoordelingen ronde 1", "Ronde 2", "Ronde 3", "Personen",
                 "Besluiten", "Trechter", "Voortgang ronde 1", "Logboek"],  # the organiser workbook
          "en": ["Overview", "Registrations", "Round 1", "Round 1 ratings", "Round 2", "Round 3", "People",
                 "Decisions", "Funnel", "Round 1 progress"]}  # the public dossier: no audit trail


def cells(path: Path) -> dict[str, list[list[str]]]:
    """Every sheet's rows as text (header row first)."""
    book = load_workbook(path, read_only=True)
    return {ws.title: [["" if v is None else str(v) for v in row] for row in ws.iter_rows(values_only=True)]
            for ws in book.worksheets}


def test_an_edition_exported_for_organisers_and_as_public_dossier(fresh: LocalCloud, tmp_path: Path) -> None:
    runner = CliRunner()
    missing = runner.invoke(main, ["export", "--edition", "gd2022", "--out", str(tmp_path / "none.xlsx")])
    assert missing.exit_code == 1 and "nothing is stored for edition gd2022" in missing.output, missing.output
    assert "Traceback" not in missing.output and not (tmp_path / "none.xlsx").exists()

    summary = play_on(fresh, ENTRIES, seed=11, echo=lambda *_: None)
    assert summary["round3"]["announced"] == "announced", summary

    began = time.monotonic()
    organiser = runner.invoke(main, ["export", "--out", str(tmp_path / "organisatie.xlsx")])
    assert organiser.exit_code == 0, organiser.output
    assert "CONTAINS PERSONAL DATA" in organiser.output
    public = runner.invoke(main, ["export", "--edition", "gd2024", "--public", "--lang", "en",
                                  "--out", str(tmp_path / "dossier.xlsx")])
    assert public.exit_code == 0, public.output
    assert time.monotonic() - began < 15

    client = db()
    submissions = [d.to_dict() for d in layout.submissions(client, "gd2024").stream()]
    scores = [d.to_dict() for d in layout.round1_scores(client, "gd2024").stream()]
    ratings = sum(len(s["scores"]) for s in scores if s["status"] == "submitted")
    decisions = {d.id: d.to_dict() for d in layout.decisions(client, "gd2024").stream()}
    round1 = next(d for d in decisions.values() if d["round"] == 1)
    scorers = [d.to_dict() for d in layout.scorers(client, "gd2024").stream()]
    assessors = [d.to_dict() for d in layout.assessors(client, "gd2024").stream()]
    jurors = [d.to_dict() for d in layout.jurors(client, "gd2024").stream()]
    round2 = sum(1 for _ in layout.roster(client, "gd2024", 2).stream())
    finalists = sum(1 for _ in layout.roster(client, "gd2024", 3).stream())
    assert ratings == round1["ratings_count"]

    for path, language in ((tmp_path / "organisatie.xlsx", "nl"), (tmp_path / "dossier.xlsx", "en")):
        book = cells(path)
        assert list(book) == SHEETS[language]
        overview, registrations, r1, rated, r2, r3, people, decided = (book[name] for name in SHEETS[language][:8])
        funnel = book[SHEETS[language][8]]
        assert [int(row[1]) for row in funnel[1:]] == [ENTRIES, round2, finalists, len(summary["round3"]["winners"])]
        assert overview[1][1].startswith("JA: dit bestand bevat persoonsgegevens" if language == "nl" else
                                         "NO: public dossier")
        assert len(registrations) - 1 == len(submissions) == ENTRIES
        assert len(r1) - 1 == len(round1["ranking"]) == ENTRIES
        assert sum(1 for row in r1[1:] if row[-1] in ("ja", "yes")) == len(round1["advancing"])
        assert len(rated) - 1 == ratings
        assert len(r2) - 1 == round2
        assert sum(1 for row in r3[1:] if row[0] in ("categorie", "category")) == finalists
        assert sum(1 for row in r3[1:] if row[7] in ("ja", "yes")) == len(summary["round3"]["winners"])
        assert len(people) - 1 == len(scorers) + len(assessors) + len(jurors)
        assert sorted(row[0] for row in decided[1:]) == sorted(decisions)

    trail = cells(tmp_path / "organisatie.xlsx")["Logboek"]
    assert ["organiser:marieke.jansen@vng.example.org", "round1.closed"] in [row[1:3] for row in trail[1:]]
    organiser_text = "\n".join(c for rows in cells(tmp_path / "organisatie.xlsx").values() for row in rows for c in row)
    assert all(s["contact"]["email"] in organiser_text for s in submissions)
    assert not any(s["email"] in organiser_text or s["name"] in organiser_text for s in scorers)

    public_cells = [c for rows in cells(tmp_path / "dossier.xlsx").values() for row in rows for c in row]
    assert not any("@" in c for c in public_cells)
    private = [s["contact"]["name"] for s in submissions] + [s["contact"]["phone"] for s in submissions
                                                             if s["contact"]["phone"]]
    private += [p["name"] for p in (*scorers, *assessors, *jurors)]
    leaked = {value for value in private for c in public_cells if value in c}
    assert not leaked
    public_text = "\n".join(public_cells)
    assert all(s["municipality"] in public_text and s["title"] in public_text for s in submissions)

"""The export's sheets built from stored-like data (the same dicts the rounds store), without a store.

The decisions are made by the rules' own pure functions (round 2's ``select_finalists``, round 3's ``decide_jury``
and ``decide_special_prize``) and stored the way the rounds store them, so the row builders read real shapes.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from fractions import Fraction
from typing import Any

import pytest

from gemeentedelers.assessment.rules import select_finalists
from gemeentedelers.editions import Edition, get_edition
from gemeentedelers.export.read import Stored
from gemeentedelers.export.rows import Export, Sheet, build, pseudonyms
from gemeentedelers.jury.round3 import storable
from gemeentedelers.jury.rules import decide_jury, decide_special_prize
from gemeentedelers.scoring.ranking import RankedEntry

T0 = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)
CONTACTS = [("Fleur de Vries", "f.devries@utrecht.nl", "06-12345678"),
            ("Pieter Bakker", "p.bakker@zwolle.nl", "+31 38 498 2000"),
            ("Sanne Jansen", "s.jansen@delft.nl", None),
            ("Kees Mulder", "k.mulder@ede.nl", "0318 680 000"),
            ("Ilse de Boer", "i.deboer@hoorn.nl", "06 9876 5432"),
            ("Ahmed Yilmaz", "a.yilmaz@venlo.nl", "077-3596666")]
MUNICIPALITIES = ["Utrecht", "Zwolle", "Delft", "Ede", "Hoorn", "Venlo"]
SCORERS = [("sc-aaa", "Scoorder Anna", "anna@example.org"), ("sc-bbb", "Bram Beoordeelt", "bram@example.org"),
           ("sc-ccc", "Carla Cijfer", "carla@example.org")]
ASSESSORS = [("as-111", "Anouk Assessor", "anouk@example.org"), ("as-222", "Bert Bezoeker", "bert@example.org"),
             ("as-333", "Cor Controle", "cor@example.org")]
JURORS = [("ju-x", "Jan Voorzitter", "jan@example.org", True, "active"),
          ("ju-y", "Joke Jurylid", "joke@example.org", False, "active"),
          ("ju-z", "Wim Weggegaan", "wim@example.org", False, "withdrawn")]
NAMES = [c[0] for c in CONTACTS] + [s[1] for s in SCORERS] + [a[1] for a in ASSESSORS] + [j[1] for j in JURORS]
PHONES = [c[2] for c in CONTACTS if c[2]]


def submission(n: int, category: str) -> dict[str, Any]:
    name, email, phone = CONTACTS[n]
    return {"submission_id": f"sub-{n}", "edition": "gd2024", "municipality": MUNICIPALITIES[n],
            "co_applicants": ["Houten"] if n == 0 else [], "title": f"Initiatief {MUNICIPALITIES[n]}",
            "description": "Eén loket voor zorg en werk." + (f" Vragen? Bel {phone}." if n == 1 else ""),
            "category": category, "language": "nl", "consent": True,
            "contact": {"name": name, "email": email, "phone": phone},
            "source": {"provider": "typeform", "event_id": f"e{n}", "submitted_at": None},
            "received_at": T0 + timedelta(hours=n), "competition_time": T0, "status": "registered"}


def small_edition(edition: Edition, *, announced: bool = True, upto: int = 3) -> Stored:
    """Six entries (three per category) played to round ``upto``; four advance, four finalists, a withdrawn juror."""
    cats = [c.key for c in edition.categories]
    subs = [submission(n, cats[n % 2]) for n in range(6)]
    stored = Stored(edition=edition.key, submissions=subs)
    stored.scorers = [{"scorer_id": sid, "name": name, "email": email, "organisation": "VNG", "status": "approved",
                       "signed_up_at": T0 + timedelta(minutes=n)} for n, (sid, name, email) in enumerate(SCORERS)]
    criteria = [c.key for c in edition.criteria(1)]
    for n, s in enumerate(subs):
        for m, (sid, _, _) in enumerate(SCORERS):
            stored.scores.append({
                "scorer_id": sid, "submission_id": s["submission_id"], "status": "submitted" if m < 2 else "draft",
                "scores": {c: 5 + (n + m + i) % 4 for i, c in enumerate(criteria)},
                "tops": f"Sterk werk; mail {SCORERS[m][2]} of bel 06-1122334{n}.",
                "tips": "Vraag Fleur de Vries om cijfers." if n == 0 else "=SUM(A1:A2) meer cijfers"})
    stored.rounds[1] = {"status": "decided", "decision_id": "r1-test"}
    ranking = [RankedEntry(rank + 1, f"sub-{n}", 2.0 - rank / 4, 1.5 - rank / 4, 2.5 - rank / 4, 1 - rank / 6,
                           rank < 4, 2) for rank, n in enumerate((0, 1, 2, 3, 4, 5))]
    stored.decisions.append({
        "decision_id": "r1-test", "round": 1, "edition": edition.key, "method": "rater-model-v1",
        "rules": {**asdict(edition.round1_rules), "category_quotas": {}}, "seed": 0, "draws": 4000,
        "ratings_count": 6 * 2 * len(criteria), "ranking": [asdict(r) for r in ranking],
        "advancing": [r.submission_id for r in ranking if r.advances],
        "not_advancing": [r.submission_id for r in ranking if not r.advances],
        "decided_at": T0 + timedelta(days=30), "decided_by": "organiser"})
    if upto < 2:
        return stored
    cases = ["sub-0", "sub-1", "sub-2", "sub-3"]
    stored.roster2 = list(cases)
    stored.assessors = [{"assessor_id": aid, "name": name, "email": email, "organisation": "KING",
                         "status": "active", "imported_at": T0 + timedelta(days=31, minutes=n)}
                        for n, (aid, name, email) in enumerate(ASSESSORS)]
    team = [a[0] for a in ASSESSORS]
    r2 = [c.key for c in edition.criteria(2)]
    for n, sid in enumerate(cases):
        stored.teams[sid] = {"members": team, "team_size": 3}
        stored.evidence[sid] = {"status": "complete" if n else "draft", "fields": {}}
        stored.reports[sid] = {"scores": {c: 6 + n % 3 for c in r2}, "explanations": {r2[0]: "Goed gemeten."},
                               "tops": ["Inwoners betrokken"], "tips": ["Bel ons: +31 30 286 0000"],
                               "recommendation": "finalist", "summary": f"Sterke casus; contact {CONTACTS[n][1]}.",
                               "version": 2, "signed_off": team[:2], "updated_by": team[0]}
    categories = {sid: next(s["category"] for s in subs if s["submission_id"] == sid) for sid in cases}
    ballots = {a: sorted(cases, key=lambda s: (categories[s], s)) for a in team}
    report_scores = {sid: Fraction(6 + n % 3) for n, sid in enumerate(cases)}
    selection = select_finalists(ballots, report_scores, edition.finalist_rule, categories)
    finalists = {k: list(v) for k, v in selection.finalists.items()}
    stored.rounds[2] = {"status": "decided", "decision_id": "r2-test"}
    stored.decisions.append({
        "decision_id": "r2-test", "round": 2, "edition": edition.key,
        "rule": {"method": "ranked_votes", "finalists_per_category": 3, "category_counts": {},
                 "tie_break": "report_score"},
        "inputs": {"categories": categories, "report_scores": {k: str(v) for k, v in report_scores.items()},
                   "ballots": ballots, "abstentions": {}},
        "picks": {}, "selection": selection.as_dict(), "finalists": finalists, "withdrawn_assessors": ["as-333"],
        "advancing": sorted(s for v in finalists.values() for s in v),
        "not_advancing": sorted(set(cases) - {s for v in finalists.values() for s in v}),
        "decided_at": T0 + timedelta(days=60), "decided_by": "organiser"})
    if upto < 3:
        return stored
    stored.roster3 = sorted(s for v in finalists.values() for s in v)
    stored.jurors = [{"juror_id": jid, "name": name, "email": email, "organisation": "VNG", "is_chair": chair,
                      "status": status, "imported_at": T0 + timedelta(days=61, minutes=n)}
                     for n, (jid, name, email, chair, status) in enumerate(JURORS)]
    jury_ballots = {c: {"ju-x": list(v), "ju-y": list(reversed(v))} for c, v in finalists.items()}
    made = decide_jury(edition.jury_rule, finalists, jury_ballots, "ju-x")
    prizes = {p.key: decide_special_prize(p, stored.roster3, {"ju-x": stored.roster3[0], "ju-y": None}, "ju-x")
              for p in edition.special_prizes}
    stored.decisions.append({
        "decision_id": "r3-test", "round": 3, "edition": edition.key, "method": "borda",
        "rule": {"method": "borda", "points": [], "tie_break": "chair"}, "chair": "ju-x",
        "ballots": {"ju-x": {}, "ju-y": {}}, "withdrawn_jurors": ["ju-z"], "finalists": finalists,
        "categories": {c: storable(d.as_dict()) for c, d in made.items()},
        "special_prizes": {k: storable(d.as_dict()) for k, d in prizes.items()},
        "advancing": [d.winner for d in made.values()], "not_advancing": [],
        "decided_at": T0 + timedelta(days=90), "decided_by": "ju-x"})
    winners = [{"category": c, "prize": "p", "submission_id": d.winner, "title": "t"} for c, d in made.items()]
    stored.rounds[3] = {"status": "confirmed", "decision_id": "r3-test"}
    stored.winners = {"status": "announced" if announced else "embargoed", "confirmed": True,
                      "confirmed_by": "ju-x", "decision_id": "r3-test", "winners": winners,
                      "embargo_until": edition.timeline.winners_announced,
                      **({"announced_at": edition.timeline.winners_announced} if announced else {})}
    return stored


def by_key(sheets: list[Sheet]) -> dict[str, Sheet]:
    return {s.key: s for s in sheets}


def all_text(sheet: Sheet) -> str:
    cells = [c.header for c in sheet.columns] + [str(v) for row in sheet.rows for v in row if v is not None]
    return "\n".join([*cells, sheet.message or "", sheet.title])


@pytest.fixture(scope="module")
def gd2024() -> Edition:
    return get_edition("gd2024")


def test_the_organiser_workbook_has_every_sheet_with_what_is_stored(gd2024: Edition) -> None:
    stored = small_edition(gd2024)
    sheets = by_key(build(stored, gd2024, public=False))
    assert list(sheets) == ["overview", "registrations", "round1", "ratings", "round2", "round3", "people",
                            "decisions", "funnel", "progress", "audit"]
    assert [s.title for s in sheets.values()] == ["Overzicht", "Inschrijvingen", "Ronde 1", "Beoordelingen ronde 1",
                                                  "Ronde 2", "Ronde 3", "Personen", "Besluiten", "Trechter",
                                                  "Voortgang ronde 1", "Logboek"]
    assert sheets["funnel"].rows == [["Ingeschreven", 6], ["In ronde 2", 4], ["Finalisten", 4], ["Winnaars", 2]]
    assert [(c.kind, c.series) for c in sheets["funnel"].charts] == [("bar", (2,))]
    assert [(c.kind, c.series) for c in sheets["round1"].charts] == [("line", (6, 7, 8))]
    assert sheets["overview"].rows[0][0] == "Persoonsgegevens" and sheets["overview"].rows[0][1].startswith("JA")
    registrations = sheets["registrations"]
    assert len(registrations.rows) == 6
    assert [c.header for c in registrations.columns][-3:] == ["Contactpersoon", "E-mail contactpersoon",
                                                              "Telefoon contactpersoon"]
    utrecht = next(r for r in registrations.rows if r[1] == "Utrecht")
    assert utrecht[-3:] == ["Fleur de Vries", "f.devries@utrecht.nl", "06-12345678"]
    assert utrecht[2] == "Houten" and utrecht[7] == datetime(2024, 1, 10, 10, 0)  # Amsterdam time, no zone
    assert {r[9] for r in registrations.rows} >= {"winnaar", "finale", "ronde 1"}

    round1 = sheets["round1"]
    assert [r[0] for r in round1.rows] == [1, 2, 3, 4, 5, 6]
    assert [c.header for c in round1.columns][8] == "Kans op top 4"
    assert round1.rows[0][1:4] == ["sub-0", "Initiatief Utrecht", "Utrecht"]
    assert [r[-1] for r in round1.rows] == ["ja"] * 4 + ["nee"] * 2

    ratings = sheets["ratings"]
    submitted = [s for s in stored.scores if s["status"] == "submitted"]
    assert len(ratings.rows) == sum(len(s["scores"]) for s in submitted) == 36  # the drafts are not ratings
    assert {r[0] for r in ratings.rows} == {"S-01", "S-02"}
    assert not any(name in all_text(ratings) for _, name, _ in SCORERS)

    round2 = sheets["round2"]
    assert len(round2.rows) == 4
    headers = [c.header for c in round2.columns]
    for criterion in gd2024.criteria(2):
        assert criterion.label.nl in headers
    first = dict(zip(headers, round2.rows[0], strict=True))
    assert first["Team"] == "A-01, A-02, A-03" and first["Teamgrootte"] == 3 and first["Ondertekend"] == "2/3"
    assert first["Advies"] == "Aanbevolen als finalist" and first["Finalist"] == "ja"
    assert "A-01: " in first["Stemmen"]
    assert {r[headers.index("Onderbouwing")] for r in round2.rows} == {"compleet", "concept"}

    round3 = sheets["round3"]
    standings = [r for r in round3.rows if r[0] == "categorie"]
    assert len(standings) == len(stored.roster3)
    assert sum(1 for r in standings if r[7] == "ja") == 2
    withdrawn = [r for r in round3.rows if r[0] == "teruggetrokken jurylid"]
    assert [r[1] for r in withdrawn] == ["J-03"]

    people = sheets["people"]
    assert len(people.rows) == len(SCORERS) + len(ASSESSORS) + len(JURORS)
    assert ["J-01", "voorzitter van de jury", "actief", "Jan Voorzitter", "jan@example.org", "VNG"] in people.rows
    assert ["J-03", "jurylid", "teruggetrokken", "Wim Weggegaan", "wim@example.org", "VNG"] in people.rows
    assert not any(name in all_text(people) for _, name, _ in SCORERS)  # a scorer's identity is never exported

    decisions = sheets["decisions"]
    assert [r[0] for r in decisions.rows] == ["r1-test", "r2-test", "r3-test"]
    assert [r[3] for r in decisions.rows] == ["organisatie", "organisatie", "J-01"]
    assert "teruggetrokken: J-03" in decisions.rows[2][5] and "voorzitter J-01" in decisions.rows[2][5]
    assert decisions.rows[1][5].endswith("teruggetrokken: A-03")
    assert decisions.rows[0][5].count("teruggetrokken") == 0
    assert decisions.rows[2][6].startswith("winnaars: Initiatief")


def test_the_public_dossier_holds_no_personal_data(gd2024: Edition) -> None:
    stored = small_edition(gd2024)
    sheets = by_key(build(stored, gd2024, public=True))
    assert list(sheets) == ["overview", "registrations", "round1", "ratings", "round2", "round3", "people",
                            "decisions", "funnel", "progress"]  # no audit trail: it names the organisers
    everything = "\n".join(all_text(s) for s in sheets.values())
    assert "@" not in everything
    for value in NAMES + PHONES + ["1122334", "286 0000"]:
        assert value not in everything, value
    assert sheets["overview"].rows[0][1].startswith("NEE")
    assert "Contactpersoon" not in [c.header for c in sheets["registrations"].columns]
    assert len(sheets["people"].columns) == 3
    # public facts stay: municipalities, titles, the pseudonyms, the decisions
    for municipality in MUNICIPALITIES:
        assert municipality in everything and f"Initiatief {municipality}" in everything
    assert "[e-mailadres verwijderd]" in everything and "[telefoonnummer verwijderd]" in everything
    assert "Vraag [naam verwijderd] om cijfers." in everything
    assert "Bel [telefoonnummer verwijderd]." in all_text(sheets["registrations"])
    # the same rows as the organiser workbook (whose overview does not need to say what was removed)
    organiser = by_key(build(stored, gd2024, public=False))
    assert {k: len(s.rows) for k, s in sheets.items() if k != "overview"} == \
        {k: len(s.rows) for k, s in organiser.items() if k not in ("overview", "audit")}


def test_the_public_dossier_keeps_round_3_back_while_the_winners_are_under_embargo(gd2024: Edition) -> None:
    stored = small_edition(gd2024, announced=False)
    public = by_key(build(stored, gd2024, public=True))
    assert public["round3"].rows == [] and "embargo" in (public["round3"].message or "")
    assert "winnaar" not in {r[9] for r in public["registrations"].rows}
    assert public["decisions"].rows[2][6].startswith("onder embargo tot")
    organiser = by_key(build(stored, gd2024, public=False))
    assert organiser["round3"].rows and "winnaar" in {r[9] for r in organiser["registrations"].rows}
    overview = dict(organiser["overview"].rows)
    assert overview["Winnaars"].startswith("bevestigd, onder embargo tot")


@pytest.mark.parametrize("upto", [0, 1, 2])
def test_rounds_not_reached_get_a_sheet_that_says_so(gd2024: Edition, upto: int) -> None:
    stored = small_edition(gd2024, upto=upto) if upto else Stored("gd2024", [submission(0, "direct")])
    sheets = by_key(build(stored, gd2024, public=False))
    assert len(sheets) == 11
    expected = {0: {"round1", "ratings", "round2", "round3", "decisions"}, 1: {"round2", "round3"},
                2: {"round3"}}[upto] | {"progress", "audit"}  # nothing submitted with a moment, nothing audited
    assert {k for k, s in sheets.items() if s.message is not None} == expected
    for key in expected:
        assert sheets[key].rows == [] and sheets[key].columns == []
    if upto == 2:
        assert sheets["round3"].message == "Ronde 3 is nog niet beslist."
    overview = dict(sheets["overview"].rows)
    assert overview["Ronde 3"] == "nog niet begonnen"


def test_round_3_in_progress(gd2024: Edition) -> None:
    stored = small_edition(gd2024, upto=2)
    stored.roster3 = ["sub-0", "sub-1"]
    stored.rounds[3] = {"status": "open"}
    sheets = by_key(build(stored, gd2024, public=True, language="en"))
    assert sheets["round3"].message == "Round 3 is in progress: 2 finalists; the jury has not decided yet."
    assert dict(sheets["overview"].rows)["Round 3"] == "in progress"
    assert dict(sheets["overview"].rows)["Winners"] == "not confirmed yet"


def test_english_sheet_names_headers_and_texts(gd2024: Edition) -> None:
    sheets = by_key(build(small_edition(gd2024), gd2024, public=True, language="en"))
    assert [s.title for s in sheets.values()] == ["Overview", "Registrations", "Round 1", "Round 1 ratings",
                                                  "Round 2", "Round 3", "People", "Decisions", "Funnel",
                                                  "Round 1 progress"]
    assert sheets["round1"].columns[8].header == "P(top 4)"
    assert sheets["round1"].rows[0][-1] == "yes"
    assert sheets["overview"].rows[0][0] == "Personal data"
    everything = "\n".join(all_text(s) for s in sheets.values())
    assert "[e-mail address removed]" in everything and "[phone number removed]" in everything
    assert gd2024.criteria(2)[0].label.en in [c.header for c in sheets["round2"].columns]


def test_special_prizes_are_listed_with_the_categories() -> None:
    gd2022 = get_edition("gd2022")
    assert gd2022.special_prizes
    sheets = by_key(build(small_edition(gd2022), gd2022, public=False))
    prize = [r for r in sheets["round3"].rows if r[0] == "speciale prijs"]
    assert prize and prize[0][1] == gd2022.special_prizes[0].label.nl
    assert sum(1 for r in prize if r[7] == "ja") == 1
    assert gd2022.special_prizes[0].label.nl in sheets["decisions"].rows[-1][6]


def test_pseudonyms_follow_the_order_of_joining_and_stay_when_people_are_added() -> None:
    people = [{"scorer_id": "sc-b", "signed_up_at": T0}, {"scorer_id": "sc-a", "signed_up_at": T0},
              {"scorer_id": "sc-0", "signed_up_at": T0 + timedelta(days=1)}]
    first = pseudonyms(people[:2], "scorer_id", "signed_up_at", "S")
    later = pseudonyms(people, "scorer_id", "signed_up_at", "S", also=["sc-gone"])
    assert first == {"sc-a": "S-01", "sc-b": "S-02"}
    assert later == {**first, "sc-0": "S-03", "sc-gone": "S-04"}
    many = pseudonyms([{"id": f"x{n:03d}"} for n in range(120)], "id", "t", "S")
    assert many["x000"] == "S-001" and many["x119"] == "S-120"


def test_who_took_a_decision(gd2024: Edition) -> None:
    export = Export(small_edition(gd2024), gd2024, public=True)
    assert export.who("organiser") == "organisatie" and export.who("cli") == "organisatie (opdrachtregel)"
    assert export.who("ju-x") == "J-01" and export.who("demo") == "demo"
    assert export.who("someone@vng.nl") == "[e-mailadres verwijderd]"

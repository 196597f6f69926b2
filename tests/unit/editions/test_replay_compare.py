"""Comparing a replayed decision with the stored one (editions.replay), and what the safety check watches."""

from __future__ import annotations

from fractions import Fraction

from gemeentedelers.editions.diff import SECTIONS
from gemeentedelers.editions.replay import TOLERANCE, differences, plain, summary
from gemeentedelers.editions.safety import DEPENDS_ON
from gemeentedelers.scoring import methods


def test_numbers_within_the_tolerance_are_the_same_and_beyond_it_are_named_by_path() -> None:
    stored = {"ranking": [{"estimate": 1.5, "rank": 1, "advances": True}], "advancing": ["a"]}
    assert differences(stored, {"ranking": [{"estimate": 1.5 + TOLERANCE / 2, "rank": 1, "advances": True}],
                                "advancing": ["a"]}) == []
    found = differences(stored, {"ranking": [{"estimate": 1.5 + 1e-6, "rank": 1, "advances": False}],
                                 "advancing": []})
    assert found == ["advancing: 1 items -> 0", "ranking[0].advances: True -> False",
                     "ranking[0].estimate: 1.5 -> 1.500001"]


def test_stored_and_recomputed_values_compare_as_json_holds_them() -> None:
    assert plain({"order": ({"group": ("a", "b")},), "total": Fraction(7, 3)}) == {
        "order": [{"group": ["a", "b"]}], "total": "7/3"}


def test_a_decision_summary_names_rule_and_outcome() -> None:
    row = summary({"decision_id": "r2-x", "round": 2, "edition": "gd2024", "decided_by": "organiser",
                   "rule": {"method": "ranked_votes", "finalists_per_category": 3, "tie_break": "report_score"},
                   "inputs": {"ballots": {"a1": [], "a2": []}}, "advancing": ["s1", "s2"], "not_advancing": ["s3"]})
    assert row["rule"] == "ranked_votes: 3 finalists per category, tie-break report_score, 2 ballots"
    assert row["outcome"] == "2 finalists, 1 not" and row["id"] == "r2-x"


def test_the_safety_check_watches_sections_the_diff_has() -> None:
    assert {s for sections in DEPENDS_ON.values() for s in sections} <= set(SECTIONS)


def test_every_round1_method_version_stays_callable() -> None:
    assert methods.CURRENT in methods.METHODS
    for name in methods.METHODS:
        assert methods.method(name).name == name


def test_the_current_method_is_the_rater_models_and_every_version_stays_callable() -> None:
    from gemeentedelers.scoring import methods, ratermodel

    assert methods.CURRENT == ratermodel.METHOD
    assert set(methods.METHODS) == set(ratermodel.METHODS)
    assert all(methods.method(name).name == name for name in methods.METHODS)


def test_a_replay_reads_the_criteria_in_another_order_and_gets_the_same_numbers() -> None:
    """Firestore returns a stored decision's weights and scales sorted by key; closing had them in the edition's
    order. Both must give exactly the same fit (rater model v2's contrasts depend on the order otherwise)."""
    import random

    from gemeentedelers.scoring import methods

    rng = random.Random(4)
    criteria = ["succesvol", "waardevol", "herbruikbaar"]
    rows = sorted((f"e{e}", f"s{s}", c, rng.randint(1, 10)) for e in range(12) for s in rng.sample(range(9), 4)
                  for c in criteria)
    weights = {"succesvol": 0.4, "waardevol": 0.35, "herbruikbaar": 0.25}
    scales = {c: (1, 10) for c in criteria}
    ids = sorted({r[0] for r in rows})
    args = (ids, {}, 5, None, None, 200, 0)
    _, one = methods.fit_and_rank("rater-model-v2", rows, weights, scales, *args)
    _, two = methods.fit_and_rank("rater-model-v2", rows, dict(sorted(weights.items())),
                                  dict(sorted(scales.items())), *args)
    assert [(r.submission_id, r.estimate) for r in one] == [(r.submission_id, r.estimate) for r in two]

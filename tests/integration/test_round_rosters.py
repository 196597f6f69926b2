"""Round decisions move entries onto the next round's roster, once, however often the event arrives; only a
decision stored as the round's own counts."""

from __future__ import annotations

import time

from cloudtest import decide_round, wait_for

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.platform import bus, layout
from gemeentedelers.platform.firestore import db


def roster_ids(round_: int) -> set[str]:
    return {doc.id for doc in layout.roster(db(), "gd2024", round_).stream()}


def test_round1_decision_fills_round2_roster_once(fresh: LocalCloud) -> None:
    decide_round("gd2024", 1, ["sub-a", "sub-b"], ["sub-c"])
    bus.publish("round.decided", "round.decided:gd2024:1", "gd2024", {"round": 1, "decision_id": "r1-test"})
    wait_for(lambda: roster_ids(2) == {"sub-a", "sub-b"}, what="round-2 roster")
    time.sleep(1.0)
    assert roster_ids(2) == {"sub-a", "sub-b"}
    assert roster_ids(3) == set()  # the jury only takes round 2's decision
    entry = layout.roster(db(), "gd2024", 2).document("sub-a").get().to_dict()
    assert entry["status"] == "awaiting_evidence" and entry["decision_id"] == "r1-test"


def test_round2_decision_puts_finalists_before_the_jury(fresh: LocalCloud) -> None:
    decide_round("gd2024", 2, ["sub-a"], ["sub-b"])
    wait_for(lambda: roster_ids(3) == {"sub-a"}, what="round-3 roster")
    assert layout.roster(db(), "gd2024", 3).document("sub-a").get().to_dict()["status"] == "finalist"


def test_a_decision_that_is_not_the_rounds_own_admits_nobody(fresh: LocalCloud) -> None:
    """A stored decision the round was not decided by (an older one, say) is not acted on, nor a missing one."""
    decide_round("gd2024", 2, ["sub-a"], decision_id="r2-current")
    wait_for(lambda: roster_ids(3) == {"sub-a"}, what="round-3 roster")
    layout.decisions(db(), "gd2024").document("r2-old").set(
        {"decision_id": "r2-old", "round": 2, "edition": "gd2024", "advancing": ["sub-x"], "not_advancing": []})
    for did in ("r2-old", "r2-missing"):
        bus.publish("round.decided", f"round.decided:gd2024:2:{did}", "gd2024", {"round": 2, "decision_id": did})
    time.sleep(2.0)  # any roster entry would have been made by now (push delay is ~100 ms)
    assert roster_ids(3) == {"sub-a"}

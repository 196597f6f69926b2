"""Round decisions move entries onto the next round's roster, once, however often the event arrives."""

from __future__ import annotations

import time

from cloudtest import wait_for

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.platform import bus, layout
from gemeentedelers.platform.firestore import db


def roster_ids(round_: int) -> set[str]:
    return {doc.id for doc in layout.roster(db(), "gd2024", round_).stream()}


def test_round1_decision_fills_round2_roster_once(fresh: LocalCloud) -> None:
    body = {"round": 1, "decision_id": "r1-test", "advancing": ["sub-a", "sub-b"], "not_advancing": ["sub-c"]}
    for _ in range(2):
        bus.publish("round.decided", "round.decided:gd2024:1", "gd2024", body)
    wait_for(lambda: roster_ids(2) == {"sub-a", "sub-b"}, what="round-2 roster")
    time.sleep(1.0)
    assert roster_ids(2) == {"sub-a", "sub-b"}
    assert roster_ids(3) == set()  # the jury only takes round 2's decision
    entry = layout.roster(db(), "gd2024", 2).document("sub-a").get().to_dict()
    assert entry["status"] == "awaiting_evidence" and entry["decision_id"] == "r1-test"


def test_round2_decision_puts_finalists_before_the_jury(fresh: LocalCloud) -> None:
    body = {"round": 2, "decision_id": "r2-test", "advancing": ["sub-a"], "not_advancing": ["sub-b"]}
    bus.publish("round.decided", "round.decided:gd2024:2", "gd2024", body)
    wait_for(lambda: roster_ids(3) == {"sub-a"}, what="round-3 roster")
    assert layout.roster(db(), "gd2024", 3).document("sub-a").get().to_dict()["status"] == "finalist"

"""Redelivering announced winners to sponsors, the parts that need no store: which deliveries an organiser's
redelivery picks up or refuses, the write that queues one with a fresh budget, and the CLI's refusals."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from click.testing import CliRunner
from google.api_core import exceptions as gexc
from google.cloud import firestore
from test_sponsors_rules import FakeRef

from gemeentedelers.cli import sponsors as sponsors_cli
from gemeentedelers.notify import sponsors
from gemeentedelers.notify.sponsors import (
    CLAIM_TIMEOUT,
    MAX_ATTEMPTS,
    Attempt,
    DeliveryFailed,
    Endpoint,
    GaveUp,
    RedeliveryRefused,
    Target,
    _settle,
    plan_redelivery,
    redelivery_blocker,
    redelivery_fields,
    winners_event_id,
)

NOW = datetime(2024, 12, 2, 10, 0, tzinfo=UTC)
EVENT_ID = "winners.announced:gd2024"
DOWN = Endpoint("sp-000000000a", "Down BV", "https://down.example.nl/h", True)
STEADY = Endpoint("sp-000000000b", "Steady NV", "https://steady.example.nl/h", True)
LATE = Endpoint("sp-000000000c", "Late BV", "https://late.example.nl/h", True)
GONE = Endpoint("sp-000000000d", "Former BV", "https://former.example.nl/h", False)
KNOWN = [DOWN, STEADY, LATE, GONE]


def record(status: str, **more: Any) -> dict[str, Any]:
    return {"event_id": EVENT_ID, "status": status, "attempt_count": 3, "claimed_at": NOW - timedelta(hours=1),
            **more}


def test_the_event_id_is_the_announcements() -> None:
    assert winners_event_id("gd2024") == EVENT_ID


@pytest.mark.parametrize("found", [None, record("failed"), record("gave_up", attempt_count=MAX_ATTEMPTS)])
def test_what_did_not_arrive_is_redelivered_unasked(found: dict[str, Any] | None) -> None:
    assert redelivery_blocker(found, force=False, now=NOW) is None
    assert redelivery_blocker(found, force=True, now=NOW) is None


@pytest.mark.parametrize(("found", "reason"), [
    (record("delivered"), "was delivered already; give its endpoint id with --force"),
    (record("retrying"), "is still retrying"),
    (record("queued", last_redelivery={"by": "anna", "at": NOW}), "queued already by anna at 2024-12-02 10:00:00"),
    (record("delivering", claimed_at=NOW - CLAIM_TIMEOUT - timedelta(seconds=1)), "is still delivering"),
])
def test_what_arrived_or_is_under_way_only_with_force(found: dict[str, Any], reason: str) -> None:
    assert reason in (redelivery_blocker(found, force=False, now=NOW) or "")
    assert redelivery_blocker(found, force=True, now=NOW) is None


def test_a_post_in_progress_is_never_redelivered_not_even_forced() -> None:
    live = record("delivering", claimed_at=NOW - timedelta(seconds=5))
    for force in (False, True):
        assert "being posted right now" in (redelivery_blocker(live, force=force, now=NOW) or "")


def test_every_active_endpoint_that_did_not_get_it() -> None:
    records = {DOWN.endpoint_id: record("gave_up"), STEADY.endpoint_id: record("delivered")}  # LATE: none
    plan = plan_redelivery(EVENT_ID, KNOWN, records, now=NOW)
    assert [t.endpoint for t in plan.send] == [DOWN, LATE]
    assert [t.status for t in plan.send] == ["gave_up", "never delivered"]
    assert [(t.endpoint, t.reason is not None) for t in plan.skipped] == [(STEADY, True)]
    assert GONE not in [t.endpoint for t in plan.send + plan.skipped], "a disabled endpoint is not considered"


def test_one_named_endpoint() -> None:
    records = {DOWN.endpoint_id: record("failed"), STEADY.endpoint_id: record("delivered")}
    plan = plan_redelivery(EVENT_ID, KNOWN, records, endpoint_id=DOWN.endpoint_id, now=NOW)
    assert [t.endpoint for t in plan.send] == [DOWN] and plan.skipped == ()
    forced = plan_redelivery(EVENT_ID, KNOWN, records, endpoint_id=STEADY.endpoint_id, force=True, now=NOW)
    assert [t.endpoint for t in forced.send] == [STEADY]


@pytest.mark.parametrize(("kwargs", "records", "message"), [
    ({"endpoint_id": "sp-ffffffffff"}, {}, "no sponsor endpoint 'sp-ffffffffff'"),
    ({"endpoint_id": GONE.endpoint_id}, {}, "is disabled"),
    ({"endpoint_id": STEADY.endpoint_id}, {STEADY.endpoint_id: record("delivered")}, "--force"),
    ({"endpoint_id": STEADY.endpoint_id, "force": True},
     {STEADY.endpoint_id: record("delivering", claimed_at=NOW)}, "being posted right now"),
    ({"force": True}, {}, "--force needs an endpoint id"),
    ({}, {e.endpoint_id: record("delivered") for e in KNOWN}, "nothing to redeliver"),
])
def test_refusals_say_why(kwargs: dict[str, Any], records: dict[str, Any], message: str) -> None:
    with pytest.raises(RedeliveryRefused, match=re.escape(message)):
        plan_redelivery(EVENT_ID, KNOWN, records, now=NOW, **kwargs)


def test_nothing_to_redeliver_without_active_endpoints() -> None:
    with pytest.raises(RedeliveryRefused, match="no active sponsor endpoints"):
        plan_redelivery(EVENT_ID, [GONE], {}, now=NOW)


STORED = {"event_id": EVENT_ID, "edition": "gd2024", "event_type": "winners.announced", "body": "{}"}


def test_queueing_a_given_up_delivery_starts_a_fresh_budget_and_says_who_asked() -> None:
    target = Target(DOWN, record("gave_up", attempt_count=MAX_ATTEMPTS))
    fields = redelivery_fields(target, STORED, by="anna", force=False, now=NOW)
    request = {"at": NOW, "by": "anna", "previous_status": "gave_up", "attempts_before": MAX_ATTEMPTS,
               "forced": False}
    assert fields["status"] == "queued" and fields["queued_at"] == NOW
    assert fields["budget_from"] == MAX_ATTEMPTS, "the 24 attempts made stay; 24 new ones may follow"
    assert fields["last_redelivery"] == request
    assert isinstance(fields["redeliveries"], firestore.ArrayUnion) and fields["redeliveries"].values == [request]
    assert fields["url"] == DOWN.url
    assert "attempts" not in fields and "attempt_count" not in fields, "the history is kept"


def test_queueing_an_endpoint_that_never_got_it_creates_its_delivery() -> None:
    fields = redelivery_fields(Target(LATE, None), STORED, by="anna", force=False, now=NOW)
    assert fields["status"] == "queued" and fields["budget_from"] == 0
    assert fields["event_id"] == EVENT_ID and fields["endpoint_id"] == LATE.endpoint_id
    assert fields["edition"] == "gd2024" and fields["attempts"] == [] and fields["attempt_count"] == 0
    assert fields["redeliveries"] == [fields["last_redelivery"]]
    assert fields["last_redelivery"]["previous_status"] is None


def _failures(n: int) -> list[Attempt]:
    return [Attempt(NOW, 500, None, 3) for _ in range(n)]


def test_a_redelivered_run_counts_its_budget_from_the_redelivery() -> None:
    ref = FakeRef()
    with pytest.raises(DeliveryFailed):  # attempts 25-27: the first run after the redelivery
        _settle(ref, EVENT_ID, "sp-1", _failures(3), MAX_ATTEMPTS + 3, budget_from=MAX_ATTEMPTS)  # type: ignore[arg-type]
    assert ref.updates[-1]["status"] == "retrying"
    with pytest.raises(GaveUp):
        _settle(ref, EVENT_ID, "sp-1", _failures(3), 2 * MAX_ATTEMPTS, budget_from=MAX_ATTEMPTS)  # type: ignore[arg-type]
    assert ref.updates[-1]["status"] == "gave_up"


# -- the CLI, with the store left out ---------------------------------------------------------------------------


@pytest.fixture
def offline(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """The CLI without a cloud: ``_store`` gives no client, and the core's redeliver is recorded or scripted."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(sponsors_cli, "_store", lambda: (sponsors, None, True))
    return calls


@pytest.mark.parametrize("refusal", [
    "the winners of gd2024 are not announced yet: there is nothing to redeliver",
    "no sponsor endpoint 'sp-ffffffffff'",
    "sponsor endpoint sp-000000000d (Former BV) is disabled: nothing is sent to it",
    "nothing to redeliver: every active endpoint got winners.announced:gd2024 or is still being retried: ...",
])
def test_the_cli_refuses_with_the_reason_and_exit_code_1(offline: list[dict[str, Any]],
                                                          monkeypatch: pytest.MonkeyPatch, refusal: str) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise RedeliveryRefused(refusal)

    monkeypatch.setattr(sponsors, "redeliver", refuse)
    result = CliRunner().invoke(sponsors_cli.sponsors, ["redeliver", "--edition", "gd2024"])
    assert result.exit_code == 1
    assert result.output == f"Error: {refusal}\n", "the reason, and no traceback"
    assert not isinstance(result.exception, RedeliveryRefused)


def test_the_cli_passes_its_options_and_lists_a_dry_run(offline: list[dict[str, Any]],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    def redeliver(client: object, edition: str, endpoint_id: str | None, **kwargs: Any) -> sponsors.Redelivery:
        offline.append({"edition": edition, "endpoint_id": endpoint_id, **kwargs})
        plan = sponsors.Plan(EVENT_ID, (Target(DOWN, record("gave_up", attempt_count=24, last_status_code=503)),
                                        Target(LATE, None)),
                             (Target(STEADY, record("delivered"), "was delivered already; ..."),))
        return sponsors.Redelivery(plan, dry_run=True)

    monkeypatch.setattr(sponsors, "redeliver", redeliver)
    result = CliRunner().invoke(sponsors_cli.sponsors, ["redeliver", "--edition", "gd2024", "--dry-run",
                                                        "--by", "anna"])
    assert result.exit_code == 0, result.output
    assert offline == [{"edition": "gd2024", "endpoint_id": None, "force": False, "dry_run": True, "by": "anna"}]
    lines = result.output.splitlines()
    assert lines[0] == f"Dry run: {EVENT_ID} would be redelivered to 2 endpoint(s):"
    assert lines[1] == f"  {DOWN.endpoint_id}  Down BV  <{DOWN.url}>  (gave_up, 24 attempt(s), last: HTTP 503)"
    assert lines[2] == f"  {LATE.endpoint_id}  Late BV  <{LATE.url}>  (never delivered)"
    assert lines[3] == f"Left alone: {STEADY.endpoint_id} (Steady NV) was delivered already; ..."


def test_the_cli_exits_1_when_nothing_was_queued(offline: list[dict[str, Any]],
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    target = Target(DOWN, record("failed"))
    plan = sponsors.Plan(EVENT_ID, (target,), ())
    monkeypatch.setattr(sponsors, "redeliver", lambda *a, **k: sponsors.Redelivery(plan, False, lost=(target,)))
    result = CliRunner().invoke(sponsors_cli.sponsors, ["redeliver", DOWN.endpoint_id, "--edition", "gd2024"])
    assert result.exit_code == 1 and "changed meanwhile" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


# -- queueing and undoing it, against stand-ins for the document ------------------------------------------------


class Doc:
    """A delivery document as the redelivery sees it: creates, conditional updates and deletes, or a refusal."""

    id = "winners.announced:gd2024:sp-1"

    def __init__(self, refuse: Exception | None = None) -> None:
        self.refuse = refuse
        self.calls: list[tuple[str, object, object]] = []

    def _do(self, what: str, fields: object = None, option: object = None) -> object:
        self.calls.append((what, fields, option))
        if self.refuse is not None:
            raise self.refuse
        return type("WriteResult", (), {"update_time": "v2"})()

    def create(self, fields: dict[str, Any]) -> object:
        return self._do("create", fields)

    def update(self, fields: dict[str, Any], option: object = None) -> object:
        return self._do("update", fields, option)

    def delete(self, option: object = None) -> object:
        return self._do("delete", None, option)


class Client:
    def write_option(self, last_update_time: object) -> tuple[str, object]:
        return ("if-unchanged-since", last_update_time)


class Snapshot:
    def __init__(self, exists: bool) -> None:
        self.exists, self.update_time = exists, "v1"


def test_queueing_creates_a_missing_delivery_and_updates_one_only_if_unchanged() -> None:
    created, updated = Doc(), Doc()
    assert sponsors._queue(Client(), created, Snapshot(False), {"status": "queued"}) is not None  # type: ignore[arg-type]
    assert created.calls == [("create", {"status": "queued"}, None)]
    assert sponsors._queue(Client(), updated, Snapshot(True), {"status": "queued"}) is not None  # type: ignore[arg-type]
    assert updated.calls == [("update", {"status": "queued"}, ("if-unchanged-since", "v1"))]


@pytest.mark.parametrize(("exists", "refusal"), [(False, gexc.AlreadyExists("x")),
                                                  (True, gexc.FailedPrecondition("x")), (True, gexc.Aborted("x"))])
def test_queueing_what_changed_meanwhile_leaves_it(exists: bool, refusal: Exception) -> None:
    assert sponsors._queue(Client(), Doc(refusal), Snapshot(exists), {"status": "queued"}) is None  # type: ignore[arg-type]


def test_undoing_restores_what_was_there_only_if_nothing_moved_on() -> None:
    written = type("WriteResult", (), {"update_time": "v2"})()
    created = Doc()
    sponsors._unqueue(Client(), created, Target(LATE, None), written)  # type: ignore[arg-type]
    assert created.calls == [("delete", None, ("if-unchanged-since", "v2"))]
    updated = Doc()
    before = record("failed", budget_from=0, url=DOWN.url)
    sponsors._unqueue(Client(), updated, Target(DOWN, before), written)  # type: ignore[arg-type]
    [(what, fields, option)] = updated.calls
    assert what == "update" and option == ("if-unchanged-since", "v2")
    assert isinstance(fields, dict) and fields["status"] == "failed" and fields["budget_from"] == 0
    assert fields["last_redelivery"] is firestore.DELETE_FIELD and fields["redeliveries"] is firestore.DELETE_FIELD
    moved_on = Doc(gexc.FailedPrecondition("claimed meanwhile"))
    sponsors._unqueue(Client(), moved_on, Target(DOWN, before), written)  # type: ignore[arg-type]  # no raise

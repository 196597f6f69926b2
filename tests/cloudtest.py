"""Helpers for tests on the local cloud (fixtures are in tests/conftest.py)."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import requests

from gemeentedelers.devtools.formtools import FormRequest, build_request
from gemeentedelers.devtools.localcloud.cloud import LocalCloud


class Intake:
    """Posting to the intake function the way the form tools do."""

    def __init__(self, cloud: LocalCloud):
        self.cloud = cloud
        self.base = cloud.url("intake-http")

    def request(self, provider: str, fields: dict[str, Any], **kwargs: Any) -> FormRequest:
        secret = kwargs.pop("secret", None) or self.cloud.state["webhook_secrets"][provider]
        return build_request(provider, fields, secret, **kwargs)

    def send(self, request: FormRequest, headers: dict[str, str] | None = None) -> requests.Response:
        return requests.post(self.base + request.path, data=request.body,
                             headers=request.headers if headers is None else headers, timeout=30)

    def post(self, provider: str, fields: dict[str, Any], **kwargs: Any) -> requests.Response:
        return self.send(self.request(provider, fields, **kwargs))


def decide_round(edition: str, round_: int, advancing: list[str], not_advancing: list[str] | None = None,
                 decision_id: str | None = None) -> str:
    """Store a round's decision as its service does (the decision, the round ``decided`` by it), then publish
    ``round.decided`` naming it: consumers act only on a stored decision. Returns the decision's id."""
    from gemeentedelers.platform import bus, layout
    from gemeentedelers.platform.firestore import db

    did = decision_id or f"r{round_}-test"
    layout.decisions(db(), edition).document(did).set(
        {"decision_id": did, "round": round_, "edition": edition, "advancing": list(advancing),
         "not_advancing": list(not_advancing or []), "decided_at": datetime.now(UTC)})
    layout.round_state(db(), edition, round_).set({"status": "decided", "decision_id": did}, merge=True)
    bus.publish("round.decided", f"round.decided:{edition}:{round_}", edition, {"round": round_, "decision_id": did})
    return did


def wait_for(predicate: Callable[[], Any], timeout_s: float = 60.0, what: str = "condition") -> Any:
    """Poll until ``predicate`` returns something truthy; return it."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")

"""Integration fixtures: one real local cloud per test session, fresh state for every test.

The cloud is the same runner `gemeentedelers dev up` uses (emulators, functions-framework processes, push
subscriptions, SMTP server), kept in a temporary folder so a developer's own running cloud is untouched.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

from gemeentedelers.formtools import FormRequest, build_request
from gemeentedelers.localcloud.cloud import LocalCloud
from gemeentedelers.localcloud.smtp import StoredMail, read_mailbox


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in str(item.path):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCloud]:
    local = LocalCloud(root=tmp_path_factory.mktemp("localcloud"), project="demo-gemeentedelers-test")
    local.start()
    try:
        yield local
    finally:
        local.stop()


@pytest.fixture
def fresh(cloud: LocalCloud) -> LocalCloud:
    """The local cloud, emptied: no documents, fresh topics and subscriptions, no mail, gd2024 active."""
    cloud.reset()
    cloud.use_in_this_process()
    return cloud


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


@pytest.fixture
def intake(fresh: LocalCloud) -> Intake:
    return Intake(fresh)


def wait_for(predicate: Callable[[], Any], timeout_s: float = 20.0, what: str = "condition") -> Any:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


@pytest.fixture
def mailbox(fresh: LocalCloud) -> Callable[[], list[StoredMail]]:
    return lambda: read_mailbox(fresh.maildir)

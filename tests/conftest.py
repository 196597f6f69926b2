"""Fixtures for every test that needs the local cloud: one real local cloud per session, fresh state per test.

The cloud is the same runner `gemeentedelers dev up` uses (emulators, functions-framework processes, push
subscriptions, SMTP server), kept in a temporary folder so a developer's own running cloud is untouched.
Helpers for such tests live in ``tests/cloudtest.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from hypothesis import HealthCheck, settings

from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.devtools.localcloud.smtp import StoredMail, read_mailbox

# Property tests judge the code, never the machine's speed: no per-example deadline, no too-slow health check
# (a loaded CI machine would fail them by timing), and the same examples on every run, so a failure repeats.
settings.register_profile("gemeentedelers", deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("gemeentedelers")

TEST_RETRY_BACKOFF_S = (1.0, 10.0)
"""Production's exponential retry policy (10 s to 600 s), scaled down so a test of redelivery takes seconds."""


@pytest.fixture(scope="session")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCloud]:
    local = LocalCloud(root=tmp_path_factory.mktemp("localcloud"), project="demo-gemeentedelers-test",
                       retry_backoff_s=TEST_RETRY_BACKOFF_S)
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


@pytest.fixture
def mailbox(fresh: LocalCloud) -> Callable[[], list[StoredMail]]:
    return lambda: read_mailbox(fresh.maildir)


@pytest.fixture
def intake(fresh: LocalCloud) -> object:
    from cloudtest import Intake

    return Intake(fresh)

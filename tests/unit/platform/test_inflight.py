"""The local cloud's view of event handlers at work (``platform.inflight``), which a reset waits on."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest

from gemeentedelers.platform import inflight, settings


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "demo-inflight")
    monkeypatch.setenv("FIRESTORE_EMULATOR_HOST", "127.0.0.1:1")
    monkeypatch.setenv("PUBSUB_EMULATOR_HOST", "127.0.0.1:2")
    monkeypatch.setenv("GD_INFLIGHT_DIR", str(tmp_path))
    settings.reset_cache()
    yield tmp_path
    settings.reset_cache()


def test_a_handler_holds_a_marker_while_it_works_and_none_after(folder: Path) -> None:
    with inflight.held("notify"):
        assert [name.split(".")[0] for name in inflight.at_work(folder)] == ["notify"]
    assert inflight.at_work(folder) == [] and list(folder.iterdir()) == []


def test_the_marker_goes_when_the_handler_raises(folder: Path) -> None:
    with pytest.raises(ZeroDivisionError), inflight.held("jury"):
        1 / 0  # noqa: B018
    assert list(folder.iterdir()) == []


def test_a_marker_of_a_process_that_died_is_removed_not_waited_for(folder: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    stale = folder / f"notify.{int(dead.stdout)}.abc"
    stale.touch()
    inflight.wait_until_idle(folder, timeout_s=5)
    assert not stale.exists()


def test_the_wait_ends_when_the_handler_ends_and_names_it_when_it_does_not(folder: Path) -> None:
    started, release = threading.Event(), threading.Event()

    def work() -> None:
        with inflight.held("scoring"):
            started.set()
            release.wait(30)

    worker = threading.Thread(target=work)
    worker.start()
    started.wait(10)
    with pytest.raises(inflight.StillBusy, match="scoring"):
        inflight.wait_until_idle(folder, timeout_s=0.3)
    release.set()
    inflight.wait_until_idle(folder, timeout_s=30)
    worker.join(10)
    assert list(folder.iterdir()) == []


def test_in_production_nothing_is_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GOOGLE_CLOUD_PROJECT", "vng-gemeentedelers")
    monkeypatch.delenv("FIRESTORE_EMULATOR_HOST", raising=False)
    monkeypatch.delenv("PUBSUB_EMULATOR_HOST", raising=False)
    monkeypatch.setenv("GD_INFLIGHT_DIR", str(tmp_path))
    settings.reset_cache()
    try:
        assert settings.current().inflight_dir == ""
        with inflight.held("notify"):
            assert list(tmp_path.iterdir()) == []
    finally:
        settings.reset_cache()

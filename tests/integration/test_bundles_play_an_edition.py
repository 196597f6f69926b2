"""What is deployed is what was tested: the whole edition played on functions served from the built bundles, each
in a fresh environment installed with ``pip install --require-hashes -r requirements.txt`` (``dev up --bundles``).

Also checks, from the functions' own logs, that every event a service published is one the Terraform lets it
publish (topic-level ``roles/pubsub.publisher`` from ``infra/catalogue.auto.tfvars.json``): the emulator has no
IAM, so this is where a missing grant would show before production.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from gemeentedelers.devtools.demo import play_on
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.platform import bus, firestore, settings
from gemeentedelers.platform.events import SERVICES, topic_for

ROOT = Path(__file__).resolve().parents[2]
ENTRIES = 24
# Building the bundles and installing five environments takes about 2 minutes on the loaded two-core machine
# (measured: 112 s at load 10, pip installing from its cache or the local index); the edition about 2 minutes more.
pytestmark = pytest.mark.timeout(1800)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalCloud]:
    """A local cloud of its own; this process's clients point back at whatever they pointed at before."""
    saved = dict(os.environ)
    local = LocalCloud(root=tmp_path_factory.mktemp("bundled"), project="demo-gemeentedelers-bundles", bundles=True)
    local.start()
    try:
        yield local
    finally:
        local.stop()
        os.environ.clear()
        os.environ.update(saved)
        settings.reset_cache()
        firestore.reset_client()
        bus._publisher = None


def published_by_service(logs: Path) -> set[tuple[str, str]]:
    found = set()
    for log in logs.glob("*-*.log"):
        for line in log.read_text(errors="replace").splitlines():
            if line.startswith("{") and '"published ' in line:
                entry = json.loads(line)
                if entry.get("logger") == "gemeentedelers.platform.bus":
                    found.add((entry["service"], entry["message"].split()[1]))
    return found


def test_the_whole_edition_plays_on_the_bundles(bundled: LocalCloud) -> None:
    state = bundled.state
    assert set(state["bundles"]) == set(SERVICES)
    for service, environment in state["environments"].items():
        bundle = Path(state["bundles"][service])
        for name, pid in state["pids"].items():
            if name.startswith(f"{service}-"):
                command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
                assert command[1].decode() == f"{environment}/bin/functions-framework", name
                assert Path(f"/proc/{pid}/cwd").resolve() == bundle.resolve(), name
        numpy = subprocess.run([f"{environment}/bin/python", "-c", "import numpy"], capture_output=True, check=False)
        assert (numpy.returncode == 0) == (service == "scoring"), service  # lean: numpy in scoring only

    summary = play_on(bundled, ENTRIES, seed=11, echo=lambda *_: None)
    assert summary["ok"], summary

    granted = json.loads((ROOT / "infra" / "catalogue.auto.tfvars.json").read_text())["catalogue"]["topics"]
    published = published_by_service(Path(state["logs"]))
    assert {event for _, event in published} >= {"submission.received", "round.decided", "winners.announced"}
    for service, event_type in sorted(published):
        assert service in granted[topic_for(event_type).topic]["publishers"], (service, event_type)
    print(f"bundle setup (s): {state['bundle_setup_s']}")

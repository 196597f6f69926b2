"""A bundle serves over HTTP the way Cloud Functions serves it: functions-framework's app over the bundle's main.py.

The venv's editable install of gemeentedelers would answer any import the bundle cannot, so the server runs in
its own process with the bundle first on ``sys.path`` and reports where the package came from. /healthz
touches no store, so no emulator is needed; the environment still names a demo project and unroutable
emulator hosts so that nothing could reach real Google Cloud.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
import urllib.request
from pathlib import Path
from types import ModuleType

import pytest
from cloudtest import BUNDLE_SERVER

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SAFE_ENV = {
    "GOOGLE_CLOUD_PROJECT": "demo-test",
    "FIRESTORE_EMULATOR_HOST": "127.0.0.1:1",
    "PUBSUB_EMULATOR_HOST": "127.0.0.1:1",
    "PYTHONDONTWRITEBYTECODE": "1",
    "PYTHONUNBUFFERED": "1",
}


def load_bundler() -> ModuleType:
    spec = importlib.util.spec_from_file_location("infra_bundle", ROOT / "infra" / "bundle.py")
    assert spec is not None and spec.loader is not None
    module = sys.modules.setdefault("infra_bundle", importlib.util.module_from_spec(spec))
    if not hasattr(module, "build_bundles"):
        spec.loader.exec_module(module)
    return module


def get_json(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, json.loads(response.read())


def test_intake_bundle_serves_healthz(tmp_path: Path) -> None:
    bundles = {b.name: b for b in load_bundler().build_bundles(tmp_path / "functions", None)}
    bundle = bundles["intake"].resolve()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **SAFE_ENV}
    server = subprocess.Popen(
        [sys.executable, "-c", BUNDLE_SERVER, str(bundle), "intake_http"],
        env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        line = server.stdout.readline() if server.stdout else ""
        if not line:
            server.wait(timeout=10)
            pytest.fail(f"the bundle did not start: {server.stderr.read() if server.stderr else ''}")
        started = json.loads(line)
        assert Path(started["package"]).resolve().is_relative_to(bundle)
        base = f"http://127.0.0.1:{started['port']}"
        status, health = get_json(base + "/healthz")
        assert status == 200
        assert health["status"] == "ok" and health["service"] == "intake"
        status, contract = get_json(base + "/contract")
        assert status == 200 and "/webhooks/typeform" in contract["routes"]
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

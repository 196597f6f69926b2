"""Code rules as a separate package, for real: the example package in tests/plugin_package is installed into a
fresh virtual environment, bundled next to the core by ``infra/bundle.py --plugin``, served by functions-framework
from the bundle alone, and its rule answers in the served intake once a spec naming it is published and active.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import requests
from cloudtest import BUNDLE_SERVER, wait_for

from gemeentedelers.devtools.formtools import build_request
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.editions import active, versions
from gemeentedelers.editions.specs import load_shipped
from gemeentedelers.platform.firestore import db

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "tests" / "plugin_package"
REGISTRATION = {
    "municipality": "Westerkwartier", "co_applicants": [], "contact_name": "Erwin van der Maesen",
    "contact_email": "erwin@westerkwartier.example.org", "title": "SAMEN STERK IN DE WIJK",
    "description": "Inwoners en gemeente ontwerpen samen de dienstverlening in de wijk, met meetbaar resultaat.",
    "category": "direct", "consent": True,
}


def site_packages(env_dir: Path) -> Path:
    return Path(sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)}))


@pytest.fixture
def plugin_env(tmp_path: Path) -> Path:
    """A fresh virtual environment that sees the core (this checkout's venv) and has the plugin pip-installed
    (built from source by this venv's pip and setuptools, offline: the core is not looked for on an index)."""
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    core = sysconfig.get_path("purelib")
    (site_packages(env_dir) / "core.pth").write_text(f"import site; site.addsitedir({core!r})\n")
    installed = subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
                                "--no-index", "-q", "--prefix", str(env_dir), str(PACKAGE)],
                               capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert installed.returncode == 0, installed.stderr
    return env_dir


def test_a_plugin_package_is_bundled_served_and_answers(fresh: LocalCloud, plugin_env: Path, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    python = plugin_env / "bin" / "python"
    out = tmp_path / "functions"
    bundled = subprocess.run([str(python), str(ROOT / "infra" / "bundle.py"), "--out", str(out),
                              "--plugin", "gemeentedelers-capitals-rule"],
                             capture_output=True, text=True, timeout=300, check=False, cwd=tmp_path)
    assert bundled.returncode == 0, bundled.stderr
    bundle = (out / "intake").resolve()
    assert (bundle / "gd_capitals_rule.py").is_file()
    (info,) = bundle.glob("gemeentedelers-*.dist-info")
    assert "capitals = gd_capitals_rule" in (info / "entry_points.txt").read_text()
    assert "gemeentedelers" not in (bundle / "requirements.txt").read_text().lower().split("==")[0]

    # the organiser publishes where the plugin is installed; the spec names it
    monkeypatch.syspath_prepend(str(site_packages(plugin_env)))
    spec = load_shipped("gd2024")
    spec["plugins"] = ["gd2022", "capitals"]
    published = versions.publish(db(), spec, by="organiser:test@vng.example.org")
    assert published.version == 2

    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **fresh.env(), "PYTHONDONTWRITEBYTECODE": "1",
           "PYTHONUNBUFFERED": "1"}
    log = tmp_path / "served.log"
    with log.open("w") as sink:
        server = subprocess.Popen([sys.executable, "-c", BUNDLE_SERVER, str(bundle), "intake_http"], env=env,
                                  cwd=tmp_path, stdout=sink, stderr=subprocess.STDOUT, text=True)

    def first_line() -> dict | None:
        assert server.poll() is None, f"the bundle did not start: {log.read_text()}"
        lines = log.read_text().splitlines()
        return json.loads(lines[0]) if lines else None

    try:
        started = wait_for(first_line, what="the bundle to serve")
        assert Path(started["package"]).resolve().is_relative_to(bundle)
        base = f"http://127.0.0.1:{started['port']}"
        secret = fresh.state["webhook_secrets"]["generic"]

        def post(fields: dict) -> requests.Response:
            request = build_request("generic", fields, secret)
            return requests.post(base + request.path, data=request.body, headers=request.headers, timeout=30)

        assert post(REGISTRATION).status_code == 201  # version 1 does not have the rule
        active.activate(db(), "gd2024", version=2, by="organiser:test@vng.example.org")
        [refused] = wait_for(lambda: (lambda a: [a] if a.status_code == 422 else None)(
            post({**REGISTRATION, "title": "NOG EEN INITIATIEF IN HOOFDLETTERS"})), timeout_s=30,
            what="the bundled rule to answer")  # a list: a 422 response is falsy itself
        assert refused.json()["fields"]["title"]["messages"] == ["Do not write the title in capitals."]
        assert requests.get(base + "/edition", timeout=10).json()["plugins"] == ["gd2022", "capitals"]
        assert post({**REGISTRATION, "title": "Samen sterk in de wijk"}).status_code == 201
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

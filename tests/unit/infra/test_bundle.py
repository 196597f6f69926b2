"""The bundles must run where nothing but their own folder is importable, as in a deployed Cloud Function.

The venv has an editable install of gemeentedelers that would happily answer any import a bundle cannot, so
the runtime checks happen in a separate process started outside the repository, with the bundle first on
``sys.path``, and assert that every module of the package (and the editions' entry points) came from the bundle.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path
from types import ModuleType

import pytest

from gemeentedelers.platform.events import SERVICES

ROOT = Path(__file__).resolve().parents[3]
# Nothing in these processes may reach Google Cloud: a demo project and unroutable emulator hosts.
SAFE_ENV = {
    "GOOGLE_CLOUD_PROJECT": "demo-test",
    "FIRESTORE_EMULATOR_HOST": "127.0.0.1:1",
    "PUBSUB_EMULATOR_HOST": "127.0.0.1:1",
    "PYTHONDONTWRITEBYTECODE": "1",
}
PRELUDE = """
import json, sys
from pathlib import Path
bundle = Path(sys.argv[1]).resolve()
first_site = next(i for i, p in enumerate(sys.path) if "site-packages" in p)
assert str(bundle) in sys.path[:first_site], sys.path
import main, gemeentedelers
from gemeentedelers.plugins.manager import available_editions, available_rules
from gemeentedelers.editions.specs import shipped_keys, _shipped_dir
from gemeentedelers.editions import get_edition
def inside(path):
    return Path(path).resolve().is_relative_to(bundle)
outside = sorted(n for n, m in sys.modules.items()
                 if n.split(".")[0] == "gemeentedelers" and getattr(m, "__file__", None) and not inside(m.__file__))
"""


def run_in_bundle(bundle: Path, code: str, cwd: Path) -> dict:
    """Run ``PRELUDE + code`` with only ``bundle`` added to the path; its last stdout line is JSON."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), **SAFE_ENV, "PYTHONPATH": str(bundle)}
    result = subprocess.run(
        [sys.executable, "-c", PRELUDE + code, str(bundle)],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=120, check=False,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def bundles(bundler: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    built = bundler.build_bundles(tmp_path_factory.mktemp("functions"), None)
    return {path.name: path for path in built}


def files_of(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_every_service_gets_a_bundle(bundles: dict[str, Path]) -> None:
    assert sorted(bundles) == sorted(SERVICES)
    for service, bundle in bundles.items():
        assert (bundle / "main.py").read_bytes() == (ROOT / "services" / service / "main.py").read_bytes()
        assert (bundle / "requirements.txt").is_file()
        assert (bundle / "gemeentedelers" / "plugins" / "hookspecs.py").is_file()
        assert (bundle / "gemeentedelers" / "templates" / "mail" / "confirmation.nl.txt").is_file()


def test_dev_tools_and_bytecode_are_left_out(bundles: dict[str, Path]) -> None:
    for bundle in bundles.values():
        package = bundle / "gemeentedelers"
        assert not (package / "localcloud").exists()
        assert not (package / "formtools.py").exists()
        assert not list(bundle.rglob("__pycache__")) and not list(bundle.rglob("*.pyc"))


def test_requirements_pin_the_runtime_dependencies_but_not_the_local_cloud(bundles: dict[str, Path]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = {d.split(">")[0].split("=")[0].split("[")[0].strip().lower() for d in project["dependencies"]}
    pins = [
        line.split("==") for line in (bundles["intake"] / "requirements.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    assert {name.split("[")[0].lower() for name, _ in pins} == wanted - {"aiosmtpd", "openpyxl"}
    for name, version in pins:
        assert metadata.version(name.split("[")[0]) == version
    assert len({(b / "requirements.txt").read_text() for b in bundles.values()}) == 1


def test_entry_points_are_written_for_every_code_rule(bundles: dict[str, Path]) -> None:
    (info,) = bundles["notify"].glob("gemeentedelers-*.dist-info")
    assert "Name: gemeentedelers" in (info / "METADATA").read_text()
    entry_points = (info / "entry_points.txt").read_text()
    assert "[gemeentedelers.editions]" in entry_points  # editions written in code: none ship with the core
    assert "[gemeentedelers.rules]\ngd2022 = gemeentedelers.plugins.editions.gd2022" in entry_points


@pytest.mark.parametrize("service", SERVICES)
def test_bundle_runs_on_its_own(bundles: dict[str, Path], service: str, tmp_path: Path) -> None:
    """main.py imports, every module, the shipped specs and the code rules come from the bundle; an edition loads."""
    result = run_in_bundle(bundles[service], """
rules = available_rules()
print(json.dumps({
    "main": inside(main.__file__), "package": inside(gemeentedelers.__file__), "outside": outside,
    "editions": sorted(available_editions()), "specs": shipped_keys(), "specs_inside": inside(_shipped_dir()),
    "rules": sorted(rules), "entry_points_from_bundle": all(inside(ep.dist.locate_file("")) for ep in rules.values()),
    "closes": get_edition("gd2024").timeline.registration_closes.isoformat(),
    "conflict": get_edition("gd2024").conflicts_of_interest({"organisation": "Zeist"}, {"municipality": "Utrecht"}),
}))
""", cwd=tmp_path)
    assert result["main"] and result["package"]
    assert result["outside"] == []
    assert result["editions"] == [] and result["specs"] == ["gd2022", "gd2024"] and result["specs_inside"]
    assert result["rules"] == ["gd2022"] and result["entry_points_from_bundle"]
    assert result["closes"].startswith("2023-12-01")
    assert result["conflict"] == ["shared regional arrangement (U10 / regio Utrecht)"]


def test_bundles_are_deterministic(bundler: ModuleType, tmp_path: Path) -> None:
    first = bundler.build_bundles(tmp_path / "a", None)
    second = bundler.build_bundles(tmp_path / "b", None)
    again = bundler.build_bundles(tmp_path / "a", None)  # rebuilding in place replaces, leaves nothing stale
    for one, two, three in zip(first, second, again, strict=True):
        assert files_of(one) == files_of(two) == files_of(three)


def test_unknown_edition_is_refused(bundler: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(bundler.BundleError, match="unknown edition 'gd1999'"):
        bundler.build_bundles(tmp_path, ["gd1999"])


def test_modules_importing_dev_tools_are_left_out_too(bundler: ModuleType, tmp_path: Path) -> None:
    src = tmp_path / "gemeentedelers"
    (src / "devtools" / "localcloud").mkdir(parents=True)
    (src / "devtools" / "__init__.py").write_text("")
    (src / "devtools" / "localcloud" / "__init__.py").write_text("")
    (src / "devtools" / "localcloud" / "cloud.py").write_text("")
    (src / "tool.py").write_text("def run():\n    from gemeentedelers.devtools.localcloud import cloud\n")
    (src / "uses_tool.py").write_text("from . import tool\n")
    (src / "core.py").write_text("from gemeentedelers import settings\n")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bundler, "PACKAGE_DIRS", (("gemeentedelers", src),))
        left_out = bundler.left_out(src)
    assert {p.name for p in left_out} == {"devtools", "cli", "export", "tool.py", "uses_tool.py"}


def test_a_service_importing_a_left_out_module_fails_the_build(
    bundler: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the web layer were a dev tool, the services' modules importing it would go too, and main.py would break."""
    monkeypatch.setattr(bundler, "DEV_ONLY", bundler.DEV_ONLY | {"web"})
    with pytest.raises(bundler.BundleError, match=r"main\.py imports gemeentedelers\.[\w.]+, not in the bundle"):
        bundler.build_bundles(tmp_path, None)


def test_a_folder_that_is_not_a_bundle_is_not_replaced(bundler: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "intake").mkdir()
    (tmp_path / "intake" / "notes.txt").write_text("mine")
    with pytest.raises(bundler.BundleError, match="not a bundle"):
        bundler.build_bundles(tmp_path, None)
    assert (tmp_path / "intake" / "notes.txt").read_text() == "mine"


def test_command_line(bundler: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bundler.main(["--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / s) for s in SERVICES]
    assert bundler.main(["--out", str(tmp_path), "--edition", "nope"]) == 1


def test_a_plugin_distribution_that_is_not_installed_is_refused(bundler: ModuleType, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert bundler.main(["--out", str(tmp_path), "--plugin", "gemeentedelers-no-such-rule"]) == 1
    assert "plugin distribution 'gemeentedelers-no-such-rule' is not installed here" in capsys.readouterr().err
    with pytest.raises(bundler.BundleError, match=r"declares no gemeentedelers\.rules"):
        bundler.build_bundles(tmp_path / "b", None, ["pluggy"])

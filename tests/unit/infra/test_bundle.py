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
from gemeentedelers.plugins.manager import available_editions
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
        assert not (package / "devtools").exists()
        assert not (package / "cli").exists()
        assert not (package / "export").exists()
        assert not list(bundle.rglob("__pycache__")) and not list(bundle.rglob("*.pyc"))


def requirement_names(bundle: Path) -> set[str]:
    return {line.split("==")[0] for line in (bundle / "requirements.txt").read_text().splitlines()
            if "==" in line and not line.startswith("#")}


def test_requirements_are_what_each_bundle_imports(bundles: dict[str, Path]) -> None:
    """numpy and scipy only where scoring's fits need them; the local cloud's and the export's never."""
    for service, bundle in bundles.items():
        names = requirement_names(bundle)
        assert {"functions-framework", "google-cloud-firestore", "google-cloud-pubsub", "marshmallow"} <= names
        assert ({"numpy", "scipy"} <= names) == (service == "scoring"), service
        assert not names & {"aiosmtpd", "openpyxl", "pytest", "selenium"}


def test_every_requirement_is_pinned_with_hashes_from_the_lock(bundler: ModuleType, bundles: dict[str, Path]) -> None:
    locked = bundler.lock.locked()
    for bundle in bundles.values():
        text = (bundle / "requirements.txt").read_text()
        entries = bundler.lock.parse(text)
        assert entries, bundle
        for name, entry in entries.items():
            assert entry.version == locked[name].version
            assert entry.hashes and entry.hashes == locked[name].hashes
        assert text.count("==") == len(entries)  # nothing unpinned slipped in


def test_requirements_are_closed_under_the_locks_graph(bundler: ModuleType, bundles: dict[str, Path]) -> None:
    """Whatever a bundled distribution requires (as the lock resolved it) is bundled too, so
    ``pip install --require-hashes`` never meets an unlisted dependency."""
    locked = bundler.lock.locked()
    for bundle in bundles.values():
        names = requirement_names(bundle)
        for name, entry in locked.items():
            if entry.required_by & names:
                assert name in names, f"{bundle.name}: {name} is required by {entry.required_by & names}"


def test_only_the_modules_a_function_imports_are_bundled(bundles: dict[str, Path]) -> None:
    intake = bundles["intake"] / "gemeentedelers"
    assert (intake / "intake" / "service.py").is_file()
    assert not (intake / "scoring").exists()
    assert not (intake / "web" / "links.py").exists()  # intake makes no personal links
    assert (bundles["scoring"] / "gemeentedelers" / "scoring" / "ratermodel.py").is_file()
    assert (bundles["notify"] / "gemeentedelers" / "notify" / "mailer.py").is_file()
    assert not (bundles["jury"] / "gemeentedelers" / "notify" / "mailer.py").exists()


def test_entry_points_are_written_for_every_edition(bundles: dict[str, Path]) -> None:
    (info,) = bundles["notify"].glob("gemeentedelers-*.dist-info")
    assert "Name: gemeentedelers" in (info / "METADATA").read_text()
    entry_points = (info / "entry_points.txt").read_text()
    assert "[gemeentedelers.editions]" in entry_points
    assert "gd2022 = gemeentedelers.plugins.editions.gd2022" in entry_points
    assert "gd2024 = gemeentedelers.plugins.editions.gd2024" in entry_points


@pytest.mark.parametrize("service", SERVICES)
def test_bundle_runs_on_its_own(bundles: dict[str, Path], service: str, tmp_path: Path) -> None:
    """main.py imports, every module and both editions come from the bundle, and an edition loads."""
    result = run_in_bundle(bundles[service], """
editions = available_editions()
print(json.dumps({
    "main": inside(main.__file__), "package": inside(gemeentedelers.__file__), "outside": outside,
    "editions": sorted(editions),
    "entry_points_from_bundle": all(inside(ep.dist.locate_file("")) for ep in editions.values()),
    "closes": get_edition("gd2024").timeline.registration_closes.isoformat(),
}))
""", cwd=tmp_path)
    assert result["main"] and result["package"]
    assert result["outside"] == []
    assert result["editions"] == ["gd2022", "gd2024"]
    assert result["entry_points_from_bundle"]
    assert result["closes"].startswith("2023-12-01")


def test_one_edition_brings_what_it_extends(bundler: ModuleType, tmp_path: Path) -> None:
    (bundle, *_) = bundler.build_bundles(tmp_path / "functions", ["gd2024"])
    assert (bundle / "gemeentedelers" / "plugins" / "editions" / "gd2022.py").is_file()
    result = run_in_bundle(bundle, 'print(json.dumps(sorted(available_editions())))', cwd=tmp_path)
    assert result == ["gd2022", "gd2024"]


def test_a_bundle_shadows_the_installed_editions(bundler: ModuleType, tmp_path: Path) -> None:
    """Only gd2022 bundled: the venv's entry points (which list gd2024 too) must not be what is read."""
    (bundle, *_) = bundler.build_bundles(tmp_path / "functions", ["gd2022"])
    assert not (bundle / "gemeentedelers" / "plugins" / "editions" / "gd2024.py").exists()
    result = run_in_bundle(bundle, 'print(json.dumps(sorted(available_editions())))', cwd=tmp_path)
    assert result == ["gd2022"]


def test_bundles_are_deterministic(bundler: ModuleType, tmp_path: Path) -> None:
    first = bundler.build_bundles(tmp_path / "a", None)
    second = bundler.build_bundles(tmp_path / "b", None)
    again = bundler.build_bundles(tmp_path / "a", None)  # rebuilding in place replaces, leaves nothing stale
    for one, two, three in zip(first, second, again, strict=True):
        assert files_of(one) == files_of(two) == files_of(three)


def test_unknown_edition_is_refused(bundler: ModuleType, tmp_path: Path) -> None:
    with pytest.raises(bundler.BundleError, match="unknown edition 'gd1999'"):
        bundler.build_bundles(tmp_path, ["gd1999"])


def test_a_service_reaching_a_dev_tool_fails_the_build(
    bundler: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """If the web layer were a dev tool, the services reaching it could not be bundled: the error names the chain."""
    monkeypatch.setattr(bundler.closure, "DEV_ONLY", (*bundler.closure.DEV_ONLY, "gemeentedelers.web"))
    with pytest.raises(bundler.BundleError, match=r"gemeentedelers\.web[\w.]* <- .*: a function reaches"):
        bundler.build_bundles(tmp_path, None)


def test_an_import_no_distribution_provides_fails_the_build(bundler: ModuleType) -> None:
    with pytest.raises(bundler.lock.LockError, match="no installed distribution provides nosuchlib"):
        bundler.lock.requirements_for({"flask", "nosuchlib.part"})


def test_a_distribution_missing_from_the_lock_fails_the_build(bundler: ModuleType) -> None:
    lock = {k: v for k, v in bundler.lock.locked().items() if k != "scipy"}
    with pytest.raises(bundler.lock.LockError, match=r"not in requirements\.lock: scipy"):
        bundler.lock.requirements_for({"scipy.special"}, lock)


def test_a_folder_that_is_not_a_bundle_is_not_replaced(bundler: ModuleType, tmp_path: Path) -> None:
    (tmp_path / "intake").mkdir()
    (tmp_path / "intake" / "notes.txt").write_text("mine")
    with pytest.raises(bundler.BundleError, match="not a bundle"):
        bundler.build_bundles(tmp_path, None)
    assert (tmp_path / "intake" / "notes.txt").read_text() == "mine"


def test_command_line(bundler: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert bundler.main(["--out", str(tmp_path), "--edition", "gd2024"]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / s) for s in SERVICES]
    assert bundler.main(["--out", str(tmp_path), "--edition", "nope"]) == 1

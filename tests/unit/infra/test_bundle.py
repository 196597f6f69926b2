"""The bundles must run where nothing but their own folder is importable, as in a deployed Cloud Function.

The venv has an editable install of gemeentedelers that would happily answer any import a bundle cannot, so
the runtime checks happen in a separate process started outside the repository, with the bundle first on
``sys.path``, and assert that every module of the package (and the code rules' entry points) came from the bundle.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
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
CONSOLE_SERVICES = ("scoring", "assessment", "jury")
"""The organisers' console (and its downloads, the export) is served by these."""


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


def test_package_data_goes_with_its_package(bundles: dict[str, Path]) -> None:
    """pyproject's package-data: the shipped specs and the CBS municipalities list are read at run time."""
    for bundle in bundles.values():
        package = bundle / "gemeentedelers"
        assert sorted(p.name for p in (package / "plugins" / "editions").glob("*.yaml")) == ["gd2022.yaml",
                                                                                           "gd2024.yaml"]
        assert (package / "plugins" / "editions" / "__init__.py").is_file()
        if (package / "people" / "organisations.py").is_file():
            assert (package / "people" / "data" / "municipalities.json").is_file()


def test_dev_tools_and_bytecode_are_left_out(bundles: dict[str, Path]) -> None:
    for bundle in bundles.values():
        package = bundle / "gemeentedelers"
        assert not (package / "devtools").exists()
        assert not (package / "cli").exists()
        assert not list(bundle.rglob("__pycache__")) and not list(bundle.rglob("*.pyc"))


def test_the_export_is_deployed_with_the_console(bundles: dict[str, Path]) -> None:
    """Organisers download the workbook from the console: the export and openpyxl go where the console is."""
    for service, bundle in bundles.items():
        has_export = (bundle / "gemeentedelers" / "export" / "workbook.py").is_file()
        assert has_export == (service in CONSOLE_SERVICES), service
        assert ("openpyxl" in requirement_names(bundle)) == has_export, service


def requirement_names(bundle: Path) -> set[str]:
    return {line.split("==")[0] for line in (bundle / "requirements.txt").read_text().splitlines()
            if "==" in line and not line.startswith("#")}


def test_requirements_are_what_each_bundle_imports(bundles: dict[str, Path]) -> None:
    """numpy and scipy only where scoring's fits need them; the local cloud's and the tests' never."""
    for service, bundle in bundles.items():
        names = requirement_names(bundle)
        assert {"functions-framework", "google-cloud-firestore", "google-cloud-pubsub", "marshmallow"} <= names
        assert ({"numpy", "scipy"} <= names) == (service == "scoring"), service
        assert not names & {"aiosmtpd", "pytest", "selenium", "marshmallow-jsonschema"}


def test_a_lazy_import_counts_when_its_function_can_run(bundler: ModuleType, tmp_path: Path) -> None:
    """notify uses one function of scoring.waves, whose other functions import the rater model (numpy) lazily:
    those imports do not count for notify. A lazy import in a function that can run does."""
    closure = bundler.closure
    src = tmp_path / "gemeentedelers"
    src.mkdir()
    (src / "__init__.py").write_text("")
    (src / "heavy.py").write_text("import numpy\n")
    (src / "waves.py").write_text(
        "def due():\n    return 1\n"
        "def fit():\n    from gemeentedelers import heavy\n    return heavy\n"
        "def plan():\n    return fit()\n")
    main = tmp_path / "main.py"
    dirs = (("gemeentedelers", src),)
    main.write_text("def handler():\n    from gemeentedelers.waves import due\n    return due()\n")
    assert closure.walk([main], dirs).third_party == frozenset()
    assert src / "heavy.py" not in closure.walk([main], dirs).files
    main.write_text("from gemeentedelers.waves import plan\n")  # plan calls fit, which imports heavy
    assert closure.walk([main], dirs).third_party == {"numpy"}
    main.write_text("from gemeentedelers import waves\nrun(waves)\n")  # passed around: all of it
    assert closure.walk([main], dirs).third_party == {"numpy"}
    main.write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from gemeentedelers import heavy\n")
    assert closure.walk([main], dirs).third_party == frozenset()  # for annotations only: never runs
    # a dataclass's decorator registers nothing: its methods run only if it is used; a handler's may register it
    (src / "hooks.py").write_text("def on(name):\n    return lambda f: f\n")
    shape = ("from dataclasses import dataclass\nfrom gemeentedelers import hooks\n"
             "@dataclass\nclass Plan:\n    def fit(self):\n        from gemeentedelers import heavy\n")
    (src / "shapes.py").write_text(shape)
    main.write_text("from gemeentedelers import shapes\nprint(shapes.__name__)\n")
    assert closure.walk([main], dirs).third_party == frozenset()
    (src / "shapes.py").write_text(shape + "@hooks.on('x')\ndef handler():\n    from gemeentedelers import heavy\n")
    assert closure.walk([main], dirs).third_party == {"numpy"}


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
    assert not (intake / "web" / "sessions.py").exists()  # nobody signs in on the intake (links: public_url only)
    assert (bundles["scoring"] / "gemeentedelers" / "scoring" / "ratermodel.py").is_file()
    assert not (bundles["notify"] / "gemeentedelers" / "scoring" / "ratermodel.py").exists()
    assert (bundles["notify"] / "gemeentedelers" / "notify" / "mailer.py").is_file()
    assert not (bundles["jury"] / "gemeentedelers" / "notify" / "mailer.py").exists()


def test_entry_points_are_written_for_every_code_rule(bundles: dict[str, Path]) -> None:
    (info,) = bundles["notify"].glob("gemeentedelers-*.dist-info")
    assert "Name: gemeentedelers" in (info / "METADATA").read_text()
    entry_points = (info / "entry_points.txt").read_text()
    assert "[gemeentedelers.editions]" in entry_points  # editions written in code: none ship with the core
    assert "[gemeentedelers.rules]\ngd2022 = gemeentedelers.plugins.editions.gd2022" in entry_points


@pytest.mark.parametrize("service", SERVICES)
def test_bundle_runs_on_its_own(bundles: dict[str, Path], service: str, tmp_path: Path) -> None:
    """main.py imports, every module, the shipped specs and the code rules come from the bundle; an edition loads
    and its code rule answers (with the municipalities list)."""
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
    assert bundler.main(["--out", str(tmp_path)]) == 0
    assert capsys.readouterr().out.split() == [str(tmp_path / s) for s in SERVICES]
    assert bundler.main(["--out", str(tmp_path), "--edition", "nope"]) == 1


def test_a_plugin_distribution_that_is_not_installed_is_refused(bundler: ModuleType, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert bundler.main(["--out", str(tmp_path), "--plugin", "gemeentedelers-no-such-rule"]) == 1
    assert "plugin distribution 'gemeentedelers-no-such-rule' is not installed here" in capsys.readouterr().err
    with pytest.raises(bundler.BundleError, match=r"declares no gemeentedelers\.rules"):
        bundler.build_bundles(tmp_path / "b", None, ["pluggy"])


def installed_plugin(site: Path, requires: list[str], code: str) -> metadata.Distribution:
    """A plugin distribution as pip leaves it in site-packages: a package, its dist-info with RECORD."""
    (site / "gd_sample_rule").mkdir(parents=True)
    (site / "gd_sample_rule" / "__init__.py").write_text(code)
    (site / "gd_sample_rule" / "texts.py").write_text("TITLE = 'x'\n")
    info = site / "gd_sample_rule-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: gd-sample-rule\nVersion: 1.0\n"
                                   + "".join(f"Requires-Dist: {r}\n" for r in requires))
    (info / "entry_points.txt").write_text("[gemeentedelers.rules]\nsample = gd_sample_rule\n")
    (info / "RECORD").write_text("gd_sample_rule/__init__.py,,\ngd_sample_rule/texts.py,,\n"
                                 "gd_sample_rule-1.0.dist-info/METADATA,,\ngd_sample_rule-1.0.dist-info/RECORD,,\n")
    return metadata.PathDistribution(info)


PLUGIN_CODE = ("from gemeentedelers.plugins.api import hookimpl\nfrom . import texts\n"
               "@hookimpl\ndef gd_validate_registration(registration):\n    import requests\n    return []\n")


def test_a_plugin_is_bundled_with_its_entry_points_and_locked_requirements(
    bundler: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dist = installed_plugin(tmp_path / "site", ["gemeentedelers", "requests>=2", "pytest; extra == 'test'"],
                            PLUGIN_CODE)
    monkeypatch.setattr(bundler, "plugin_distribution", lambda name: dist)
    (bundle, *_) = bundler.build_bundles(tmp_path / "functions", None, ["gd-sample-rule"])
    assert (bundle / "gd_sample_rule" / "__init__.py").is_file() and (bundle / "gd_sample_rule" / "texts.py").is_file()
    assert not list(bundle.glob("gd_sample_rule-*.dist-info"))  # the core's dist-info declares its entry point
    (info,) = bundle.glob("gemeentedelers-*.dist-info")
    assert "sample = gd_sample_rule" in (info / "entry_points.txt").read_text()
    text = (bundle / "requirements.txt").read_text()
    assert "requests==" in text and "pytest" not in text and "gd-sample-rule" not in text
    assert text.count("==") == len(bundler.lock.parse(text))  # hashed from the lock like the rest


def test_a_plugin_requirement_the_lock_lacks_fails_the_build(
    bundler: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    dist = installed_plugin(tmp_path / "site", ["gemeentedelers", "nosuchdist>=1"], PLUGIN_CODE)
    monkeypatch.setattr(bundler, "plugin_distribution", lambda name: dist)
    assert bundler.main(["--out", str(tmp_path / "functions"), "--plugin", "gd-sample-rule"]) == 1
    error = capsys.readouterr().err
    assert "plugin 'gd-sample-rule' requires nosuchdist, which requirements.lock does not have" in error
    assert not (tmp_path / "functions" / "intake").exists()

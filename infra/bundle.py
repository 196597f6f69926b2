"""Assemble one deployable source folder per service: ``python infra/bundle.py --out build/functions``.

A Cloud Function's source folder must hold its ``main.py`` and ``requirements.txt`` and cannot import code
outside it, while our services are thin entry points over the shared ``gemeentedelers`` package. So each
bundle gets the service's ``main.py``, the modules of the core package that it and the editions can import
(``closure.py``; the top-level ``plugins/`` folder lands at ``gemeentedelers/plugins/``, the mapping pyproject
makes), the package's templates, the locked and hashed requirements of exactly those modules (``lock.py``), and
a minimal ``gemeentedelers-<version>.dist-info``: a bundle is never pip-installed, so without it
``importlib.metadata`` would find no edition entry points and no edition could load.

Bundles are deterministic (sorted, fixed timestamps) so that an unchanged service uploads an identical folder,
and each is checked after building: an import of a module that was left out fails the build, not a cold start.
"""

from __future__ import annotations

import argparse
import ast
import os
import shutil
import sys
import tomllib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # closure.py and lock.py, run as files like this one

import closure
import lock
from closure import PACKAGE, PACKAGE_DIRS, ClosureError, module_exists, source_of

from gemeentedelers.platform.events import SERVICES

ROOT = closure.ROOT
EDITIONS_GROUP = "gemeentedelers.editions"
PACKAGE_DATA = ("templates",)
"""Folders of the package that are data, not modules (pyproject's package-data): copied into every bundle."""
# 1980-01-01, the earliest time a zip archive can hold: the deployment zips the folder for upload.
FIXED_MTIME = 315532800
GCLOUDIGNORE = "# Written by infra/bundle.py: upload the sources only.\n.gcloudignore\n__pycache__/\n*.py[co]\n"


class BundleError(RuntimeError):
    """A bundle would not run as deployed: an import or entry point points outside it."""


@cache
def pyproject() -> dict[str, Any]:
    """pyproject's ``[project]`` table; read once (callers must not change it)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]


def extends_of(edition_file: Path) -> str | None:
    """An edition's ``EXTENDS = "<edition>"``, read without importing it (no side effects at build time)."""
    for node in ast.parse(edition_file.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "EXTENDS" for t in targets):
            value = getattr(node, "value", None)
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
    return None


def select_editions(requested: Iterable[str] | None) -> dict[str, str]:
    """``{edition: entry point value}`` for the requested editions and every edition they extend."""
    declared: dict[str, str] = dict(pyproject().get("entry-points", {}).get(EDITIONS_GROUP, {}))
    wanted = list(declared) if requested is None else list(requested)
    selected: dict[str, str] = {}
    while wanted:
        name = wanted.pop()
        if name in selected:
            continue
        if name not in declared:
            raise BundleError(f"unknown edition {name!r}; pyproject declares: {', '.join(sorted(declared))}")
        selected[name] = declared[name]
        base = extends_of(source_of(declared[name].partition(":")[0]))
        if base is not None:
            wanted.append(base)
    return dict(sorted(selected.items()))


def package_version() -> str:
    """``gemeentedelers.__version__``, read without importing the package (the version is defined there once)."""
    init = dict(PACKAGE_DIRS)[PACKAGE] / "__init__.py"
    for node in ast.parse(init.read_text(encoding="utf-8")).body:
        named = isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "__version__" for t in node.targets)
        if named and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node.value.value
    raise BundleError(f"{init} defines no __version__")


def commit() -> str:
    """The checkout's commit, with ``-dirty`` when files differ from it: what ``/healthz`` reports."""
    import subprocess

    def git(*args: str) -> str:
        found = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
        return found.stdout.strip() if found.returncode == 0 else ""

    head = git("rev-parse", "--short=12", "HEAD") or "unknown"
    return head + ("-dirty" if head != "unknown" and git("status", "--porcelain", "--untracked-files=no") else "")


def write_dist_info(bundle: Path, version: str, editions: dict[str, str]) -> Path:
    """The metadata ``importlib.metadata`` reads from a folder on ``sys.path``: name, version, entry points."""
    info = bundle / f"{PACKAGE}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {PACKAGE}\nVersion: {version}\n"
        "Summary: Bundled by infra/bundle.py for one Cloud Function; not pip-installed.\n",
        encoding="utf-8",
    )
    lines = [f"[{EDITIONS_GROUP}]", *(f"{name} = {value}" for name, value in editions.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return info


def reach(service: str, editions: dict[str, str]) -> closure.Closure:
    """What the service's ``main.py`` and the bundled editions import; a dev-only module is a build error."""
    try:
        return closure.of_service(service, editions)
    except ClosureError as error:
        raise BundleError(f"{service}: {error}") from None


def requirements(service: str, reached: closure.Closure) -> str:
    """The locked, hashed distributions the service's bundled code imports (and what they require)."""
    try:
        return lock.requirements_for(reached.third_party)
    except lock.LockError as error:
        raise BundleError(f"{service}: {error}") from None


def verify(bundle: Path, editions: dict[str, str]) -> None:
    """Fail if bundled code imports a module of the package that was left out, or an edition's is missing."""
    problems = []
    for path in sorted(bundle.rglob("*.py")):
        found = closure.imports_of(path, ((PACKAGE, bundle / PACKAGE),))
        # A name counts if the repository has it as a module (``from x import y`` may name anything) and the
        # bundle does not; imports broken in the repository itself are the tests' business, not the bundler's.
        missing = {
            name for name in found.modules | found.members
            if name.split(".")[0] == PACKAGE and not module_exists(bundle, name) and source_of(name).is_file()
        }
        problems += [f"{path.relative_to(bundle)} imports {name}, not in the bundle" for name in sorted(missing)]
    for name, value in editions.items():
        if not module_exists(bundle, value.partition(":")[0]):
            problems.append(f"edition {name}: {value} is not in the bundle")
    if problems:
        raise BundleError(f"bundle {bundle} would not run as deployed:\n  " + "\n  ".join(problems))


def _fix_mtimes(bundle: Path) -> None:
    for path in [bundle, *bundle.rglob("*")]:
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))


def _copy_modules(reached: closure.Closure, package: Path) -> None:
    for path in sorted(reached.files):
        name = closure.module_of(path)
        if name.split(".")[0] != PACKAGE:
            continue  # main.py, copied on its own
        relative = Path(*name.split(".")[1:])
        target = package / relative / "__init__.py" if path.name == "__init__.py" else package / f"{relative}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    src = dict(PACKAGE_DIRS)[PACKAGE]
    for folder in PACKAGE_DATA:
        shutil.copytree(src / folder, package / folder, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))


def build_bundle(service: str, out_dir: Path, editions: dict[str, str], version: str) -> Path:
    """``out_dir/<service>``, replaced if it is an earlier bundle, so no stale file survives a rebuild."""
    reached = reach(service, editions)
    needs = requirements(service, reached)
    bundle = out_dir / service
    if bundle.exists():
        if any(bundle.iterdir()) and not (bundle / "main.py").is_file():
            raise BundleError(f"{bundle} exists and is not a bundle; refusing to replace it")
        shutil.rmtree(bundle)
    package = bundle / PACKAGE
    package.mkdir(parents=True)
    _copy_modules(reached, package)
    shutil.copyfile(ROOT / "services" / service / "main.py", bundle / "main.py")
    (bundle / "requirements.txt").write_text(needs, encoding="utf-8")
    (bundle / ".gcloudignore").write_text(GCLOUDIGNORE, encoding="utf-8")
    write_dist_info(bundle, version, editions)
    (package / "BUILD_COMMIT").write_text(commit() + "\n", encoding="utf-8")
    verify(bundle, editions)
    _fix_mtimes(bundle)
    return bundle


def build_bundles(out_dir: Path, editions: list[str] | None = None) -> list[Path]:
    """One bundle per service in the event catalogue, under ``out_dir/<service>``; all editions if none given."""
    selected = select_editions(editions)
    version = package_version()
    out_dir.mkdir(parents=True, exist_ok=True)
    return [build_bundle(service, out_dir, selected, version) for service in SERVICES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "functions", help="folder for the bundles")
    parser.add_argument("--edition", action="append", dest="editions", metavar="NAME",
                        help="bundle only this edition (and what it extends); repeatable; default: all")
    args = parser.parse_args(argv)
    try:
        bundles = build_bundles(args.out, args.editions)
    except BundleError as error:
        print(f"bundle: {error}", file=sys.stderr)
        return 1
    for bundle in bundles:
        print(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())

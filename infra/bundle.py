"""Assemble one deployable source folder per service: ``python infra/bundle.py --out build/functions``.

A Cloud Function's source folder must hold its ``main.py`` and ``requirements.txt`` and cannot import code
outside it, while our services are thin entry points over the shared ``gemeentedelers`` package. So each
bundle gets the service's ``main.py``, a copy of the core package (without the dev-only local cloud and form
tools), the top-level ``plugins/`` folder at ``gemeentedelers/plugins/`` (the mapping pyproject makes), pinned
requirements, and a minimal ``gemeentedelers-<version>.dist-info``: a bundle is never pip-installed, so
without it ``importlib.metadata`` would find no edition entry points and no edition could load.
``--plugin DIST`` adds an installed plugin distribution (code rules an edition spec names): its modules go next
to the core and its entry points into that dist-info, so no package index is asked for it or for the core.

Bundles are deterministic (sorted, fixed timestamps) so that an unchanged service uploads an identical folder,
and each is checked after building: an import of a module that was left out fails the build, not a cold start.
"""

from __future__ import annotations

import argparse
import ast
import os
import re
import shutil
import sys
import tomllib
from collections.abc import Callable, Iterable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

from gemeentedelers.platform.events import SERVICES

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "gemeentedelers"
EDITIONS_GROUP = "gemeentedelers.editions"
RULES_GROUP = "gemeentedelers.rules"  # code rules edition specs name; every bundle carries them all
# Longest prefix first: where each package's sources live in the repository (pyproject's package-dir).
PACKAGE_DIRS: tuple[tuple[str, Path], ...] = (
    ("gemeentedelers.plugins", ROOT / "plugins"),
    ("gemeentedelers", ROOT / "src" / "gemeentedelers"),
)
# Development and test tools, and the organisers' spreadsheet export, inside the core package: no function runs
# them. Modules importing them (the CLI, the demo, benchmarks) are left out too; that no bundled module imports a
# left-out one is checked in every build.
DEV_ONLY = frozenset({"devtools", "cli", "export"})
# Runtime dependencies only the local cloud (its SMTP server) and the organisers' export (xlsx) need.
LOCAL_ONLY_DEPENDENCIES = frozenset({"aiosmtpd", "openpyxl"})
# 1980-01-01, the earliest time a zip archive can hold: gcloud zips the folder for upload.
FIXED_MTIME = 315532800
GCLOUDIGNORE = "# Written by infra/bundle.py: upload the sources only.\n.gcloudignore\n__pycache__/\n*.py[co]\n"
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?")


class BundleError(RuntimeError):
    """A bundle would not run as deployed: an import or entry point points outside it."""


@cache
def pyproject() -> dict[str, Any]:
    """pyproject's ``[project]`` table; read once (callers must not change it)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)["project"]


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def source_of(module: str) -> Path:
    """The repository file defining ``module`` (a ``.py`` file or a package's ``__init__.py``)."""
    for package, folder in PACKAGE_DIRS:
        if module == package or module.startswith(package + "."):
            base = folder.joinpath(*module[len(package) :].lstrip(".").split(".")) if module != package else folder
            return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    raise BundleError(f"{module} is not part of the {PACKAGE} package")


def module_exists(root: Path, module: str) -> bool:
    """Whether ``module`` resolves to a file under ``root`` (a folder on ``sys.path``)."""
    base = root.joinpath(*module.split("."))
    return (base / "__init__.py").is_file() or base.with_suffix(".py").is_file()


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


def rules() -> dict[str, str]:
    """The code rules pyproject declares (``gemeentedelers.rules``): specs are data and may name any of them."""
    return dict(sorted(pyproject().get("entry-points", {}).get(RULES_GROUP, {}).items()))


def plugin_distribution(name: str) -> metadata.Distribution:
    """An installed plugin distribution (``pip install`` it next to the core first)."""
    try:
        return metadata.distribution(name)
    except metadata.PackageNotFoundError:
        raise BundleError(f"plugin distribution {name!r} is not installed here (pip install it first)") from None


def plugin_entry_points(dist: metadata.Distribution) -> dict[str, dict[str, str]]:
    """The plugin's entry points in our groups (code rules, or editions written in code)."""
    found: dict[str, dict[str, str]] = {}
    for ep in dist.entry_points:
        if ep.group in (RULES_GROUP, EDITIONS_GROUP):
            found.setdefault(ep.group, {})[ep.name] = ep.value
    if not found:
        raise BundleError(f"plugin {dist.metadata['Name']!r} declares no {RULES_GROUP} or {EDITIONS_GROUP} entry point")
    return found


def copy_plugin(dist: metadata.Distribution, bundle: Path) -> list[str]:
    """The plugin's own modules (not its metadata, scripts or bytecode) next to the core; its other requirements."""
    for file in dist.files or ():
        parts = Path(str(file)).parts
        if not parts or parts[0].endswith((".dist-info", ".egg-info")) or parts[0] in ("..", "__pycache__") \
                or file.suffix in (".pyc", ".pyo", ".pth"):
            continue
        target = bundle.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(Path(str(dist.locate_file(file))), target)
    wanted = []
    for requirement in dist.requires or ():
        match = _NAME.match(requirement)
        if match and canonical(match.group(1)) != PACKAGE and ";" not in requirement:
            wanted.append(f"{match.group(1)}=={metadata.version(match.group(1))}")
    return wanted


def requirements() -> str:
    """pyproject's runtime dependencies minus the local cloud's, pinned to the versions tests ran with."""
    pins = []
    for requirement in pyproject()["dependencies"]:
        match = _NAME.match(requirement)
        if match is None:
            raise BundleError(f"cannot read the dependency {requirement!r}")
        name, extras = match.group(1), match.group(2) or ""
        if canonical(name) not in LOCAL_ONLY_DEPENDENCIES:
            pins.append(f"{name}{extras}=={metadata.version(name)}")
    header = "# Written by infra/bundle.py: pyproject's runtime dependencies, pinned to the tested environment.\n"
    return header + "".join(f"{pin}\n" for pin in sorted(pins, key=str.lower))


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


def write_dist_info(bundle: Path, version: str, editions: dict[str, str],
                    extra: dict[str, dict[str, str]] | None = None) -> Path:
    """The metadata ``importlib.metadata`` reads from a folder on ``sys.path``: name, version, entry points."""
    info = bundle / f"{PACKAGE}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {PACKAGE}\nVersion: {version}\n"
        "Summary: Bundled by infra/bundle.py for one Cloud Function; not pip-installed.\n",
        encoding="utf-8",
    )
    extra = extra or {}
    lines = [f"[{EDITIONS_GROUP}]", *(f"{name} = {value}" for name, value in
                                     {**editions, **extra.get(EDITIONS_GROUP, {})}.items())]
    lines += ["", f"[{RULES_GROUP}]", *(f"{name} = {value}" for name, value in
                                        {**rules(), **extra.get(RULES_GROUP, {})}.items())]
    (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return info


def _ignore(skip: set[Path]) -> Callable[[str, list[str]], set[str]]:
    """A ``copytree`` filter: no bytecode, and none of the ``skip`` paths."""

    def ignore(folder: str, names: list[str]) -> set[str]:
        return {
            n for n in names
            if n == "__pycache__" or n.endswith((".pyc", ".pyo")) or Path(folder, n) in skip
        }

    return ignore


def imports_of(path: Path, root: Path) -> tuple[set[str], set[str]]:
    """What the module at ``path`` (``root`` being its folder on ``sys.path``) imports, absolute: names that must
    be modules, and ``x.y`` for every ``from x import y`` (y may be a module or any other name)."""
    package = ".".join(path.relative_to(root).parts[:-1])  # __package__ of a module and of an __init__ alike
    modules: set[str] = set()
    members: set[str] = set()
    for node in ast.walk(ast.parse(path.read_bytes(), filename=str(path))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            modules.add(base)
            members.update(f"{base}.{alias.name}" for alias in node.names)
    return modules, members


def _ours(names: Iterable[str]) -> set[str]:
    return {name for name in names if name.split(".")[0] == PACKAGE}


def left_out(src: Path) -> set[Path]:
    """The dev-only tools and, repeatedly, every module of the core that imports one of them.

    Deriving the rest keeps a new development tool (another CLI command, a benchmark) out of the bundles without
    anyone remembering to list it; should a service need such a module after all, ``verify`` fails the build.
    """
    excluded = {src / name for name in DEV_ONLY}
    imports = {
        path: {source_of(name) for name in _ours(set().union(*imports_of(path, src.parent)))}
        for path in sorted(src.rglob("*.py")) if "__pycache__" not in path.parts
    }

    def dev_only(path: Path) -> bool:
        return any(path == d or d in path.parents for d in excluded)

    changed = True
    while changed:
        tainted = {path for path, used in imports.items() if not dev_only(path) and any(map(dev_only, used))}
        excluded |= tainted
        changed = bool(tainted)
    return excluded


def verify(bundle: Path, editions: dict[str, str], extra: dict[str, dict[str, str]] | None = None) -> None:
    """Fail if bundled code imports a module of the package that was left out, or an edition's is missing."""
    problems = []
    for path in sorted(bundle.rglob("*.py")):
        # A name counts if the repository has it as a module (``from x import y`` may name anything) and the
        # bundle does not; imports broken in the repository itself are the tests' business, not the bundler's.
        missing = {
            name for name in _ours(set().union(*imports_of(path, bundle)))
            if not module_exists(bundle, name) and source_of(name).is_file()
        }
        problems += [
            f"{path.relative_to(bundle)} imports {name}, not in the bundle (a dev-only tool or a module using one)"
            for name in sorted(missing)
        ]
    plugged = {name: value for group in (extra or {}).values() for name, value in group.items()}
    for name, value in {**editions, **rules(), **plugged}.items():
        if not module_exists(bundle, value.partition(":")[0]):
            problems.append(f"edition {name}: {value} is not in the bundle")
    if problems:
        raise BundleError(f"bundle {bundle} would not run as deployed:\n  " + "\n  ".join(problems))


def _fix_mtimes(bundle: Path) -> None:
    for path in [bundle, *bundle.rglob("*")]:
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))


def build_bundle(service: str, out_dir: Path, editions: dict[str, str], version: str,
                 distributions: Iterable[str] = ()) -> Path:
    """``out_dir/<service>``, replaced if it is an earlier bundle, so no stale file survives a rebuild."""
    bundle = out_dir / service
    if bundle.exists():
        if any(bundle.iterdir()) and not (bundle / "main.py").is_file():
            raise BundleError(f"{bundle} exists and is not a bundle; refusing to replace it")
        shutil.rmtree(bundle)
    package = bundle / PACKAGE
    src = dict(PACKAGE_DIRS)[PACKAGE]
    plugins = dict(PACKAGE_DIRS)[f"{PACKAGE}.plugins"]
    shutil.copytree(src, package, ignore=_ignore(left_out(src)))
    declared = pyproject().get("entry-points", {}).get(EDITIONS_GROUP, {})
    unselected = {source_of(value.partition(":")[0]) for name, value in declared.items() if name not in editions}
    unselected = {p.parent if p.name == "__init__.py" else p for p in unselected}  # an edition may be a package
    shutil.copytree(plugins, package / "plugins", ignore=_ignore(unselected))
    shutil.copyfile(ROOT / "services" / service / "main.py", bundle / "main.py")
    extra: dict[str, dict[str, str]] = {}
    wanted: list[str] = []
    for name in distributions:
        dist = plugin_distribution(name)
        for group, found in plugin_entry_points(dist).items():
            extra.setdefault(group, {}).update(found)
        wanted += copy_plugin(dist, bundle)
    pinned = "".join(f"{pin}\n" for pin in sorted(set(wanted)))
    (bundle / "requirements.txt").write_text(requirements() + pinned, encoding="utf-8")
    (bundle / ".gcloudignore").write_text(GCLOUDIGNORE, encoding="utf-8")
    write_dist_info(bundle, version, editions, extra)
    (package / "BUILD_COMMIT").write_text(commit() + "\n", encoding="utf-8")
    verify(bundle, editions, extra)
    _fix_mtimes(bundle)
    return bundle


def build_bundles(out_dir: Path, editions: list[str] | None = None, plugins: Iterable[str] = ()) -> list[Path]:
    """One bundle per service in the event catalogue, under ``out_dir/<service>``; all editions if none given;
    each installed plugin distribution in ``plugins`` copied next to the core with its entry points."""
    selected = select_editions(editions)
    version = package_version()
    out_dir.mkdir(parents=True, exist_ok=True)
    return [build_bundle(service, out_dir, selected, version, list(plugins)) for service in SERVICES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "functions", help="folder for the bundles")
    parser.add_argument("--edition", action="append", dest="editions", metavar="NAME",
                        help="bundle only this edition (and what it extends); repeatable; default: all")
    parser.add_argument("--plugin", action="append", dest="plugins", metavar="DIST", default=[],
                        help="an installed plugin distribution (code rules) to bundle next to the core; repeatable")
    args = parser.parse_args(argv)
    try:
        bundles = build_bundles(args.out, args.editions, args.plugins)
    except BundleError as error:
        print(f"bundle: {error}", file=sys.stderr)
        return 1
    for bundle in bundles:
        print(bundle)
    return 0


if __name__ == "__main__":
    sys.exit(main())

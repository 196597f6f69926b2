"""Assemble one deployable source folder per service: ``python infra/bundle.py --out build/functions``.

A Cloud Function's source folder must hold its ``main.py`` and ``requirements.txt`` and cannot import code
outside it, while our services are thin entry points over the shared ``gemeentedelers`` package. So each
bundle gets the service's ``main.py``, the modules of the core package that it and the code loaded by entry point
(every code rule, editions written in code) can import (``closure.py``; the top-level ``plugins/`` folder lands at
``gemeentedelers/plugins/``, the mapping pyproject makes), the package data of the packages it holds (templates,
the municipalities list, the shipped edition specs: pyproject's ``package-data``), the locked and hashed
requirements of exactly those modules (``lock.py``), and a minimal ``gemeentedelers-<version>.dist-info``: a
bundle is never pip-installed, so without it ``importlib.metadata`` would find no code rules.

``--plugin DIST`` adds an installed plugin distribution (code rules an edition spec names): its modules go next
to the core, the core modules they import into the bundle, its entry points into that dist-info, and its
third-party requirements come from the lock like the core's (a requirement the lock lacks fails the build), so
no package index is asked for the plugin or the core and every installed file is hashed.

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
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # closure.py and lock.py, run as files like this one

import closure
import lock
from closure import EDITIONS_GROUP, PACKAGE, PACKAGE_DIRS, RULES_GROUP, ClosureError, module_exists, source_of

from gemeentedelers.platform.events import SERVICES

ROOT = closure.ROOT
# 1980-01-01, the earliest time a zip archive can hold: the deployment zips the folder for upload.
FIXED_MTIME = 315532800
GCLOUDIGNORE = "# Written by infra/bundle.py: upload the sources only.\n.gcloudignore\n__pycache__/\n*.py[co]\n"


class BundleError(RuntimeError):
    """A bundle would not run as deployed: an import or entry point points outside it."""


@cache
def pyproject() -> dict[str, Any]:
    """pyproject.toml, read once (callers must not change it)."""
    with (ROOT / "pyproject.toml").open("rb") as file:
        return tomllib.load(file)


def extends_of(edition_file: Path) -> str | None:
    """An edition's ``EXTENDS = "<edition>"``, read without importing it (no side effects at build time)."""
    for node in ast.parse(edition_file.read_text(encoding="utf-8")).body:
        targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
        if any(isinstance(t, ast.Name) and t.id == "EXTENDS" for t in targets):
            value = getattr(node, "value", None)
            return value.value if isinstance(value, ast.Constant) and isinstance(value.value, str) else None
    return None


def select_editions(requested: Iterable[str] | None) -> dict[str, str]:
    """``{edition: entry point value}`` for the requested editions written in code and every edition they extend
    (all of them by default; the core ships none: its editions are data, in every bundle)."""
    declared = closure.declared_entry_points()[EDITIONS_GROUP]
    wanted = list(declared) if requested is None else list(requested)
    selected: dict[str, str] = {}
    while wanted:
        name = wanted.pop()
        if name in selected:
            continue
        if name not in declared:
            raise BundleError(f"unknown edition {name!r}; pyproject declares: {', '.join(sorted(declared)) or 'none'}")
        selected[name] = declared[name]
        base = extends_of(source_of(declared[name].partition(":")[0]))
        if base is not None:
            wanted.append(base)
    return dict(sorted(selected.items()))


def rules() -> dict[str, str]:
    """The code rules pyproject declares (``gemeentedelers.rules``): specs are data and may name any of them."""
    return closure.declared_entry_points()[RULES_GROUP]


@dataclass(frozen=True)
class Plugin:
    """An installed plugin distribution to bundle next to the core."""

    name: str
    entry_points: dict[str, dict[str, str]]
    """``{group: {name: value}}`` in our groups."""
    files: tuple[tuple[Path, Path], ...]
    """``(installed file, path inside the bundle)`` of its modules and data (not its metadata or bytecode)."""
    requires: tuple[str, ...]
    """The distributions it requires (other than the core), by name: they must be in the lock."""

    @property
    def tops(self) -> frozenset[str]:
        """Its top-level modules and packages: imports of these are the plugin's own, not a requirement."""
        return frozenset(inside.parts[0].removesuffix(".py") for _, inside in self.files)

    @property
    def dirs(self) -> tuple[tuple[str, Path], ...]:
        """Where its packages are installed, in ``closure``'s form (a single-module plugin needs none)."""
        found = {inside.parts[0]: installed.parents[len(inside.parts) - 2] for installed, inside in self.files
                 if len(inside.parts) > 1 and inside.parts[1:] == ("__init__.py",)}
        return tuple(sorted(found.items()))

    def sources(self) -> list[Path]:
        return [installed for installed, _ in self.files if installed.suffix == ".py"]


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


def plugin_requires(dist: metadata.Distribution) -> tuple[str, ...]:
    """The distributions the plugin requires here (markers evaluated, extras left out), the core excepted."""
    from packaging.requirements import Requirement

    wanted = set()
    for text in dist.requires or ():
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        if lock.canonical(requirement.name) != PACKAGE:
            wanted.add(lock.canonical(requirement.name))
    return tuple(sorted(wanted))


def load_plugin(name: str) -> Plugin:
    """What bundling ``name`` takes: its entry points, files and requirements; one missing from the lock fails."""
    dist = plugin_distribution(name)
    entry_points = plugin_entry_points(dist)
    files = []
    for file in dist.files or ():
        inside = Path(str(file))
        if not inside.parts or inside.parts[0].endswith((".dist-info", ".egg-info")) or ".." in inside.parts \
                or "__pycache__" in inside.parts or inside.suffix in (".pyc", ".pyo", ".pth"):
            continue
        files.append((Path(str(dist.locate_file(file))), inside))
    requires = plugin_requires(dist)
    unlocked = [r for r in requires if r not in lock.locked()]
    if unlocked:
        raise BundleError(
            f"plugin {name!r} requires {', '.join(unlocked)}, which {lock.LOCK_FILE.name} does not have: bundles "
            "install only locked, hashed distributions (add it to pyproject's dependencies and run 'make lock')")
    return Plugin(name, entry_points, tuple(sorted(files, key=lambda f: f[1])), requires)


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


def entry_points_of(editions: dict[str, str], plugins: Iterable[Plugin]) -> dict[str, dict[str, str]]:
    """``{group: {name: value}}`` a bundle declares: the selected editions, every code rule, the plugins'."""
    found = {EDITIONS_GROUP: dict(editions), RULES_GROUP: dict(rules())}
    for plugin in plugins:
        for group, named in plugin.entry_points.items():
            found[group].update(named)
    return found


def write_dist_info(bundle: Path, version: str, entry_points: dict[str, dict[str, str]]) -> Path:
    """The metadata ``importlib.metadata`` reads from a folder on ``sys.path``: name, version, entry points."""
    info = bundle / f"{PACKAGE}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {PACKAGE}\nVersion: {version}\n"
        "Summary: Bundled by infra/bundle.py for one Cloud Function; not pip-installed.\n",
        encoding="utf-8",
    )
    sections = ["\n".join([f"[{group}]", *(f"{name} = {value}" for name, value in sorted(named.items()))])
                for group, named in entry_points.items()]
    (info / "entry_points.txt").write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    return info


def reach(service: str, editions: dict[str, str], plugins: Iterable[Plugin] = ()) -> closure.Closure:
    """What the service's ``main.py``, the bundled editions, every code rule and the plugins' modules import; a
    dev-only module is a build error."""
    plugins = list(plugins)
    dirs = (*PACKAGE_DIRS, *(d for plugin in plugins for d in plugin.dirs))
    try:
        return closure.of_service(service, [*editions.values(), *rules().values()],
                                  [path for plugin in plugins for path in plugin.sources()], dirs)
    except ClosureError as error:
        raise BundleError(f"{service}: {error}") from None


def requirements(service: str, reached: closure.Closure, plugins: Iterable[Plugin] = ()) -> str:
    """The locked, hashed distributions the service's bundled code imports (and what they require), and the
    plugins' requirements; the plugins' own modules are bundled, not required."""
    plugins = list(plugins)
    own = set().union(*(plugin.tops for plugin in plugins))
    imported = {name for name in reached.third_party if name.split(".")[0] not in own}
    try:
        return lock.requirements_for(imported, distributions=[r for plugin in plugins for r in plugin.requires])
    except lock.LockError as error:
        raise BundleError(f"{service}: {error}") from None


def package_data() -> list[tuple[str, str]]:
    """``(package, glob pattern)`` of the data files pyproject installs with the package (``package-data``)."""
    declared = pyproject().get("tool", {}).get("setuptools", {}).get("package-data", {})
    return [(package, pattern) for package, patterns in sorted(declared.items()) for pattern in patterns]


def _module_file(root: Path, module: str) -> Path:
    base = root.joinpath(*module.split("."))
    return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")


def verify(bundle: Path, entry_points: dict[str, dict[str, str]], plugins: Iterable[Plugin] = ()) -> None:
    """Fail if an entry point's module is missing, or code that can run in the bundle imports a module of the
    package that was left out: the bundle's own files are walked again, as ``closure`` walks the repository's."""
    problems = []
    roots = [bundle / "main.py"]
    for group, named in entry_points.items():
        for name, value in named.items():
            module = value.partition(":")[0]
            if module_exists(bundle, module):
                roots += [_module_file(bundle, ".".join(module.split(".")[:end]))
                          for end in range(1, module.count(".") + 2)]
            else:
                problems.append(f"{group} {name}: {value} is not in the bundle")
    dirs = ((PACKAGE, bundle / PACKAGE), *((top, bundle / top) for plugin in plugins for top, _ in plugin.dirs))
    walked = closure.walk(roots, dirs)
    # A name counts if the repository has it as a module (``from x import y`` may name anything) and the bundle
    # does not; imports broken in the repository itself are the tests' business, not the bundler's.
    problems += [f"{path.relative_to(bundle)} imports {name}, not in the bundle"
                 for name, path in sorted(walked.imported.items())
                 if not module_exists(bundle, name) and source_of(name).is_file()]
    if problems:
        raise BundleError(f"bundle {bundle} would not run as deployed:\n  " + "\n  ".join(problems))


def _fix_mtimes(bundle: Path) -> None:
    for path in [bundle, *bundle.rglob("*")]:
        os.utime(path, (FIXED_MTIME, FIXED_MTIME))


def _copy_modules(reached: closure.Closure, package: Path) -> None:
    for path in sorted(reached.files):
        name = closure.module_of(path)
        if name.split(".")[0] != PACKAGE:
            continue  # main.py and the plugins' modules, copied on their own
        relative = Path(*name.split(".")[1:])
        target = package / relative / "__init__.py" if path.name == "__init__.py" else package / f"{relative}.py"
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def _owning_package(path: Path) -> Path | None:
    """The ``__init__.py`` of the innermost package holding ``path``: a folder of data only (``templates/mail``,
    ``people/data``) has none and belongs to the package above it."""
    roots = {folder for _, folder in PACKAGE_DIRS}
    for folder in path.parents:
        if (folder / "__init__.py").is_file():
            return folder / "__init__.py"
        if folder in roots:
            break
    return None


def _copy_data(reached: closure.Closure, bundle: Path) -> None:
    """pyproject's package data, each file where its innermost package is bundled (``people/data/*.json`` with
    ``people``, the templates with the package itself): a package that is not bundled has no use for its data."""
    for name, pattern in package_data():
        folder = source_of(name).parent
        for path in sorted(folder.glob(pattern)):
            if not path.is_file() or "__pycache__" in path.parts or path.suffix in (".pyc", ".pyo"):
                continue
            if _owning_package(path) in reached.files:
                target = bundle.joinpath(*name.split("."), path.relative_to(folder))
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)


def _copy_plugin(plugin: Plugin, bundle: Path) -> None:
    for installed, inside in plugin.files:
        target = bundle / inside
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(installed, target)


def build_bundle(service: str, out_dir: Path, editions: dict[str, str], version: str,
                 plugins: Iterable[Plugin] = ()) -> Path:
    """``out_dir/<service>``, replaced if it is an earlier bundle, so no stale file survives a rebuild."""
    plugins = list(plugins)
    reached = reach(service, editions, plugins)
    needs = requirements(service, reached, plugins)
    bundle = out_dir / service
    if bundle.exists():
        if any(bundle.iterdir()) and not (bundle / "main.py").is_file():
            raise BundleError(f"{bundle} exists and is not a bundle; refusing to replace it")
        shutil.rmtree(bundle)
    package = bundle / PACKAGE
    package.mkdir(parents=True)
    _copy_modules(reached, package)
    _copy_data(reached, bundle)
    for plugin in plugins:
        _copy_plugin(plugin, bundle)
    shutil.copyfile(ROOT / "services" / service / "main.py", bundle / "main.py")
    (bundle / "requirements.txt").write_text(needs, encoding="utf-8")
    (bundle / ".gcloudignore").write_text(GCLOUDIGNORE, encoding="utf-8")
    entry_points = entry_points_of(editions, plugins)
    write_dist_info(bundle, version, entry_points)
    (package / "BUILD_COMMIT").write_text(commit() + "\n", encoding="utf-8")
    verify(bundle, entry_points, plugins)
    _fix_mtimes(bundle)
    return bundle


def build_bundles(out_dir: Path, editions: list[str] | None = None, plugins: Iterable[str] = ()) -> list[Path]:
    """One bundle per service in the event catalogue, under ``out_dir/<service>``; all editions written in code
    if none are given; each installed plugin distribution in ``plugins`` next to the core, with its entry points."""
    selected = select_editions(editions)
    loaded = [load_plugin(name) for name in plugins]
    version = package_version()
    out_dir.mkdir(parents=True, exist_ok=True)
    return [build_bundle(service, out_dir, selected, version, loaded) for service in SERVICES]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "build" / "functions", help="folder for the bundles")
    parser.add_argument("--edition", action="append", dest="editions", metavar="NAME",
                        help="bundle only this edition written in code (and what it extends); repeatable; "
                             "default: all (the editions as data are in every bundle)")
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

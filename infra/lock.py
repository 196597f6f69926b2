"""The locked runtime dependencies, and each bundle's share of them: ``python infra/lock.py [--update]``.

``infra/requirements.lock`` is written by uv (``uv pip compile`` of pyproject's dependencies for the Cloud
Functions runtime, every distribution pinned with ``--hash=``) and committed. A bundle's ``requirements.txt`` is
the part of the lock its code needs: the distributions that provide the third-party modules its sources import
(``closure.py``), and everything those require, following the lock's own ``# via`` graph. So numpy and scipy are
in scoring's bundle only, and ``pip install --require-hashes`` installs exactly what was resolved and tested.

Without ``--update`` this checks the lock against pyproject offline and prints each bundle's distributions.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCK_FILE = ROOT / "infra" / "requirements.lock"
PYTHON_VERSION = "3.11"  # the Cloud Functions runtime python311 (infra/functions.tf)
PYTHON_PLATFORM = "x86_64-manylinux_2_28"
UV_ARGUMENTS = ("pip", "compile", "pyproject.toml", "--generate-hashes", "--python-version", PYTHON_VERSION,
                "--python-platform", PYTHON_PLATFORM, "--no-header", "--quiet")
HEADER = (
    "# The functions' locked runtime dependencies; written by 'python infra/lock.py --update' (make lock), which runs\n"
    f"#   uv {' '.join(UV_ARGUMENTS[:-2])}\n"
    "# Each bundle's requirements.txt is the part of this lock its code imports (infra/lock.py). Do not edit.\n"
)
PROJECT_PARENT = "gemeentedelers (pyproject.toml)"
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==([^\s\\;]+)")
_HASH = re.compile(r"--hash=(sha256:[0-9a-f]{64})")


class LockError(RuntimeError):
    """The lock cannot give a bundle what its code imports, or disagrees with pyproject."""


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


@dataclass(frozen=True)
class Locked:
    """One distribution of the lock: its pin, the hashes of its files and who requires it."""

    name: str
    version: str
    hashes: tuple[str, ...]
    required_by: frozenset[str]

    def requirement(self) -> str:
        """As pip reads it in a hash-checking requirements file."""
        return " \\\n    ".join([f"{self.name}=={self.version}", *(f"--hash={h}" for h in self.hashes)])


def parse(text: str) -> dict[str, Locked]:
    """``{canonical name: Locked}`` from uv's requirements output (pins, ``--hash=`` lines, ``# via`` blocks)."""
    found: dict[str, Locked] = {}
    name = version = ""
    hashes: list[str] = []
    via: set[str] = set()
    in_via = False

    def flush() -> None:
        if name:
            found[canonical(name)] = Locked(canonical(name), version, tuple(hashes), frozenset(via))

    for line in text.splitlines():
        stripped = line.strip()
        pin = _PIN.match(line)
        if pin:
            flush()
            name, version, hashes, via, in_via = pin.group(1), pin.group(2), [], set(), False
            hashes += _HASH.findall(line)
        elif stripped.startswith("--hash="):
            hashes += _HASH.findall(stripped)
        elif stripped.startswith("# via"):
            rest = stripped.removeprefix("# via").strip()
            in_via = not rest
            if rest:
                via.add(rest if rest == PROJECT_PARENT else canonical(rest))
        elif in_via and stripped.startswith("#   "):
            parent = stripped.removeprefix("#").strip()
            via.add(parent if parent == PROJECT_PARENT else canonical(parent))
        elif stripped and not stripped.startswith("#"):
            raise LockError(f"cannot read this line of the lock: {line!r}")
    flush()
    return found


@cache
def locked() -> dict[str, Locked]:
    return parse(LOCK_FILE.read_text(encoding="utf-8"))


def closure(names: Iterable[str], lock: dict[str, Locked]) -> set[str]:
    """``names`` and every distribution of the lock that one of them requires, transitively."""
    needed = {canonical(n) for n in names}
    missing = sorted(needed - set(lock))
    if missing:
        raise LockError(f"not in {LOCK_FILE.name}: {', '.join(missing)} (run 'make lock')")
    changed = True
    while changed:
        more = {name for name, entry in lock.items() if name not in needed and entry.required_by & needed}
        needed |= more
        changed = bool(more)
    return needed


@cache
def _owners(top: str) -> dict[str, str]:
    """Installed ``.py`` files under the top-level name ``top`` (``a/b/c.py``) to the distribution that installed
    them, in this environment. Reads each RECORD as text: parsing every distribution's file list is slow."""
    owners: dict[str, str] = {}
    for dist in metadata.distributions():
        paths = [line.split(",", 1)[0] for line in (dist.read_text("RECORD") or "").splitlines()]
        mine = [p for p in paths if p.endswith(".py") and (p.split("/", 1)[0] == top or p == f"{top}.py")]
        if mine:
            name = canonical(dist.metadata["Name"])
            for path in mine:
                owners.setdefault(path, name)
    return owners


def distribution_of(module: str) -> str | None:
    """The distribution providing ``module`` (dotted; the longest prefix that is a module), or ``None`` for a
    namespace package such as ``google.cloud`` that no distribution owns."""
    parts = module.split(".")
    owners = _owners(parts[0])
    for end in range(len(parts), 0, -1):
        base = "/".join(parts[:end])
        for candidate in (f"{base}/__init__.py", f"{base}.py"):
            if candidate in owners:
                return owners[candidate]
    return None


def distributions_for(modules: Iterable[str]) -> set[str]:
    """The distributions the imports need; an import nothing provides (other than a namespace) is an error."""
    found: dict[str, str | None] = {m: distribution_of(m) for m in modules}
    unresolved = sorted(m for m, d in found.items() if d is None
                        and not any(o != m and o.startswith(m + ".") and found[o] for o in found))
    if unresolved:
        raise LockError(f"no installed distribution provides {', '.join(unresolved)}; add it to pyproject")
    return {d for d in found.values() if d}


def requirements_for(modules: Iterable[str], lock: dict[str, Locked] | None = None,
                     distributions: Iterable[str] = ()) -> str:
    """A bundle's ``requirements.txt``: every distribution it needs (those providing ``modules``, and
    ``distributions`` by name, such as a bundled plugin's requirements), pinned and hashed as locked."""
    lock = locked() if lock is None else lock
    needed = closure(distributions_for(modules) | {canonical(d) for d in distributions}, lock)
    header = (
        "# Written by infra/bundle.py: the part of infra/requirements.lock this function's code imports.\n"
        "# Install with: pip install --require-hashes -r requirements.txt\n"
    )
    return header + "".join(f"{lock[name].requirement()}\n" for name in sorted(needed))


def project_requirements() -> list[str]:
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as file:
        return list(tomllib.load(file)["project"]["dependencies"])


def check(lock: dict[str, Locked] | None = None) -> list[str]:
    """Offline: every pyproject dependency locked at a version it allows, every pin hashed, the graph closed."""
    from packaging.requirements import Requirement

    lock = locked() if lock is None else lock
    problems = []
    for text in project_requirements():
        requirement = Requirement(text)
        entry = lock.get(canonical(requirement.name))
        if entry is None:
            problems.append(f"{requirement.name} is a dependency in pyproject but not locked")
        elif not requirement.specifier.contains(entry.version, prereleases=True):
            problems.append(f"{requirement.name}: locked {entry.version}, pyproject wants {requirement.specifier}")
        elif PROJECT_PARENT not in entry.required_by:
            problems.append(f"{requirement.name}: the lock does not have it as pyproject's dependency")
    for entry in lock.values():
        if not entry.hashes:
            problems.append(f"{entry.name} has no --hash")
        unknown = {p for p in entry.required_by if p != PROJECT_PARENT and p not in lock}
        if unknown:
            problems.append(f"{entry.name} is required by {', '.join(sorted(unknown))}, which is not locked")
        if entry.required_by == {PROJECT_PARENT} and not any(
            canonical(Requirement(t).name) == entry.name for t in project_requirements()
        ):
            problems.append(f"{entry.name} is locked as pyproject's dependency but pyproject does not have it")
    return problems


def update() -> None:
    """Re-resolve with uv (needs the package index) and write the lock with its header."""
    uv = shutil.which("uv", path=str(Path(sys.executable).parent)) or shutil.which("uv")
    if uv is None:
        raise LockError("uv is not installed (it is in the test extras: make setup)")
    resolved = subprocess.run([uv, *UV_ARGUMENTS], cwd=ROOT, capture_output=True, text=True, check=False)
    if resolved.returncode != 0:
        raise LockError(f"uv failed:\n{resolved.stderr}")
    LOCK_FILE.write_text(HEADER + resolved.stdout, encoding="utf-8")
    locked.cache_clear()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="re-resolve with uv and rewrite the lock")
    args = parser.parse_args(argv)
    try:
        if args.update:
            update()
        problems = check()
    except LockError as error:
        print(f"lock: {error}", file=sys.stderr)
        return 1
    for problem in problems:
        print(f"lock: {problem}", file=sys.stderr)
    if not problems:
        print(f"{LOCK_FILE.relative_to(ROOT)}: {len(locked())} distributions, consistent with pyproject.toml")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

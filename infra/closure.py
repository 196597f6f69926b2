"""What each function's code reaches, read from the sources without importing them.

One walk over the imports from ``services/<service>/main.py`` and the modules loaded by entry point (code rules,
editions written in code, an added plugin distribution's modules) decides what a bundle holds (only the modules
it can import), which distributions it needs (the third-party modules they import), which secrets its service
account may read (the modules that read each one) and which topics it may publish to (the event types its
modules publish). Every import counts, also one inside a function: a lazy import still runs in production.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from gemeentedelers.platform.events import CATALOGUE

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = "gemeentedelers"
# Longest prefix first: where each package's sources live in the repository (pyproject's package-dir).
PACKAGE_DIRS: tuple[tuple[str, Path], ...] = (
    ("gemeentedelers.plugins", ROOT / "plugins"),
    ("gemeentedelers", ROOT / "src" / "gemeentedelers"),
)
# Development and test tools inside the core package: no function may reach them (they start emulators, need
# aiosmtpd, hold the CLI). The export is deployed: organisers download the workbook and the dossier from the console.
DEV_ONLY = ("gemeentedelers.devtools", "gemeentedelers.cli")
EDITIONS_GROUP = "gemeentedelers.editions"
"""Editions written in code (``EXTENDS``); they still load, but none ships: editions are data."""
RULES_GROUP = "gemeentedelers.rules"
"""Code rules an edition spec names in ``plugins``; every bundle carries them all (a spec may name any)."""
ENTRY_POINT_GROUPS = (EDITIONS_GROUP, RULES_GROUP)
EVENT_TYPES = frozenset(t.event_type for t in CATALOGUE)


class ClosureError(RuntimeError):
    """The sources cannot be bundled as they are: a function reaches a dev-only module or a missing one."""


def source_of(module: str, dirs: tuple[tuple[str, Path], ...] | None = None) -> Path:
    """The repository file defining ``module`` (a ``.py`` file or a package's ``__init__.py``)."""
    for package, folder in dirs or PACKAGE_DIRS:
        if module == package or module.startswith(package + "."):
            base = folder.joinpath(*module[len(package):].lstrip(".").split(".")) if module != package else folder
            return base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    raise ClosureError(f"{module} is not part of the {PACKAGE} package")


def module_of(path: Path, dirs: tuple[tuple[str, Path], ...] | None = None) -> str:
    """The dotted name of a repository file of the package (the inverse of :func:`source_of`)."""
    for package, folder in dirs or PACKAGE_DIRS:
        if path.is_relative_to(folder):
            parts = path.relative_to(folder).with_suffix("").parts
            parts = parts[:-1] if parts and parts[-1] == "__init__" else parts
            return ".".join([package, *parts])
    return path.stem  # a service's main.py: a top-level module of its bundle


ALL = "*"
"""In :attr:`Imports.uses`: the module object is used other than by attribute, so any of its names may run."""


@dataclass(frozen=True)
class Imports:
    """What one source file imports, and enough of its shape to tell which of its publishes can run.

    ``modules`` must be modules; ``members`` are ``x.y`` for every ``from x import y`` (``y`` may be a module or
    any other name). ``eager`` are those of both that module-level code imports (on import), ``nested`` those
    each top-level function or class imports when it runs (a lazy import). ``uses`` maps a module of the package
    to the names this file takes from it (by ``from x import y`` or ``x.y`` on an imported module).
    ``publishes`` maps each top-level function or class (``""`` for module-level code) to the catalogue event
    types it publishes, ``refers`` to the top-level names it mentions, and ``roots`` are the top-level names
    that run or register on import (decorated functions and whatever module-level code mentions).
    """

    modules: frozenset[str]
    members: frozenset[str]
    eager: frozenset[str]
    nested: dict[str, frozenset[str]]
    uses: dict[str, frozenset[str]]
    publishes: dict[str, frozenset[str]]
    refers: dict[str, frozenset[str]]
    roots: frozenset[str]


def _package_of(path: Path, dirs: tuple[tuple[str, Path], ...] | None) -> str:
    name = module_of(path, dirs)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _published(tree: ast.AST) -> set[str]:
    """Event types written as the first element of a ``(type, id, edition, body)`` tuple or the first argument
    of a ``publish`` call: how ``platform.bus`` is called."""
    found = set()
    for node in ast.walk(tree):
        first: ast.expr | None = None
        if isinstance(node, ast.Tuple) and node.elts:
            first = node.elts[0]
        elif isinstance(node, ast.Call) and node.args:
            name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
            first = node.args[0] if name in {"publish", "publish_many"} else None
        if isinstance(first, ast.Constant) and first.value in EVENT_TYPES:
            found.add(first.value)
    return found


def _names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def _uses(tree: ast.Module, aliases: dict[str, str], taken: dict[str, set[str]]) -> dict[str, frozenset[str]]:
    """What the file takes from our modules: ``from x import y`` names, and ``alias.y`` on imported modules."""
    uses = {module: set(names) for module, names in taken.items()}
    as_value = {id(n.value) for n in ast.walk(tree) if isinstance(n, ast.Attribute) and isinstance(n.value, ast.Name)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            uses.setdefault(aliases[node.value.id], set()).add(node.attr)
        elif isinstance(node, ast.Name) and node.id in aliases and id(node) not in as_value \
                and isinstance(node.ctx, ast.Load):  # ``assessors: int`` in a class binds a name, uses nothing
            uses.setdefault(aliases[node.id], set()).add(ALL)
    return {module: frozenset(names) for module, names in uses.items()}


def imports_of(path: Path, dirs: tuple[tuple[str, Path], ...] | None = None) -> Imports:
    return _imports(path.read_bytes(), _package_of(path, dirs), dirs)


def _base_of(node: ast.ImportFrom, package: str) -> str:
    """The absolute module a ``from ... import`` names (relative ones resolved against ``package``)."""
    base = node.module or ""
    if node.level:
        parts = package.split(".")
        parts = parts[: len(parts) - node.level + 1]
        base = ".".join([*parts, base] if base else parts)
    return base


def _imported(nodes: Iterable[ast.AST], package: str) -> set[str]:
    """The names the import statements among ``nodes`` bring in: modules, and ``x.y`` of ``from x import y``."""
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and (base := _base_of(node, package)) != "__future__":
            found.add(base)
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


PLAIN_DECORATORS = frozenset({"dataclass", "cache", "lru_cache", "cached_property", "contextmanager",
                              "total_ordering", "wraps", "staticmethod", "classmethod", "property"})
"""Decorators that only wrap or shape what they decorate: unlike a route's or a handler's, they register
nothing, so the function or class runs only when used."""


def _registers(decorator: ast.expr) -> bool:
    """Whether a decorator may register what it decorates (any but :data:`PLAIN_DECORATORS`)."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
    return name not in PLAIN_DECORATORS


def _type_checking(test: ast.expr) -> bool:
    """``TYPE_CHECKING`` or ``typing.TYPE_CHECKING``: false when the code runs."""
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def _on_import(statement: ast.stmt) -> list[ast.AST]:
    """The nodes of a top-level statement that run on import: all of it, but of a function only its decorators
    and defaults, of a class its body without its methods' bodies, and of ``if TYPE_CHECKING:`` only the else."""
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef):
        return [n for d in [*statement.decorator_list, *statement.args.defaults] for n in ast.walk(d)]
    if isinstance(statement, ast.ClassDef):
        return [n for s in statement.body for n in _on_import(s)] + [
            n for d in statement.decorator_list for n in ast.walk(d)]
    if isinstance(statement, ast.If) and _type_checking(statement.test):
        return [n for s in statement.orelse for n in _on_import(s)]
    return list(ast.walk(statement))


@cache
def _imports(source: bytes, package: str, dirs: tuple[tuple[str, Path], ...] | None) -> Imports:
    """Cached by content and package: each file is parsed once however many bundles hold it."""
    tree = ast.parse(source)
    modules: set[str] = set()
    members: set[str] = set()
    aliases: dict[str, str] = {}  # a local name bound to one of our modules
    taken: dict[str, set[str]] = {}  # our module -> names imported from it
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
            for alias in node.names:
                if _ours(alias.name):  # ``import a.b.c`` binds ``a``; ``import a.b.c as d`` binds ``d``
                    taken.setdefault(alias.name, set()).add(ALL)
                    if alias.asname:
                        aliases[alias.asname] = alias.name
        elif isinstance(node, ast.ImportFrom):
            base = _base_of(node, package)
            if base != "__future__":
                modules.add(base)
                members.update(f"{base}.{alias.name}" for alias in node.names)
                if _ours(base):
                    for alias in node.names:
                        taken.setdefault(base, set()).add(ALL if alias.name == "*" else alias.name)
                        if source_of(f"{base}.{alias.name}", dirs).is_file():
                            aliases[alias.asname or alias.name] = f"{base}.{alias.name}"
    publishes: dict[str, frozenset[str]] = {}
    refers: dict[str, frozenset[str]] = {}
    nested: dict[str, frozenset[str]] = {}
    eager: set[str] = set()
    roots: set[str] = set()
    module_level: set[str] = set()
    for statement in tree.body:
        eager |= _imported(_on_import(statement), package)
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            publishes[statement.name] = frozenset(_published(statement))
            refers[statement.name] = frozenset(_names(statement))
            nested[statement.name] = frozenset(_imported(ast.walk(statement), package))
            if any(_registers(d) for d in statement.decorator_list):
                roots.add(statement.name)  # a decorator registers it (a handler, a route)
            roots |= set().union(*map(_names, statement.decorator_list))
        else:
            module_level |= _published(statement)
            roots |= _names(statement)
    publishes[""] = frozenset(module_level)
    return Imports(frozenset(modules), frozenset(members), frozenset(eager), nested, _uses(tree, aliases, taken),
                   publishes, refers, frozenset(roots))


def _used(files: Iterable[Path], dirs: tuple[tuple[str, Path], ...] | None) -> dict[str, set[str]]:
    """``{module: names}`` the ``files`` take from each module of the package."""
    used: dict[str, set[str]] = {}
    for path in files:
        for module, names in imports_of(path, dirs).uses.items():
            used.setdefault(module, set()).update(names)
    return used


def reached_tops(path: Path, used: dict[str, set[str]], dirs: tuple[tuple[str, Path], ...] | None = None,
                 whole: bool = False) -> set[str]:
    """The top-level functions and classes of ``path`` that can run (``""``: its module-level code): those another
    file uses (imported by name, or called on the imported module), those that run or register on import, and
    those such a function mentions. ``whole``: all of them (a file that is run, such as a service's main.py).

    Over-approximate where unsure: any use of a module other than by attribute counts as using all of it."""
    shape = imports_of(path, dirs)
    name = module_of(path, dirs)
    wanted = used.get(name, set())
    if whole or ALL in wanted or not _ours(name):
        return set(shape.publishes)
    todo = {n for n in (wanted | shape.roots) if n in shape.publishes} | {""}
    reached: set[str] = set()
    while todo:
        top = todo.pop()
        if top in reached:
            continue
        reached.add(top)
        todo |= {n for n in shape.refers.get(top, ()) if n in shape.publishes} - reached
    return reached


def reached_publishes(files: Iterable[Path], dirs: tuple[tuple[str, Path], ...] | None = None,
                      whole: Iterable[Path] = ()) -> set[str]:
    """The event types the code in ``files`` can publish: those of the functions that can run (:func:`reached_tops`).

    A module that imports a helper from another service's module (notify takes ``assessment.visits.ics``) does
    not thereby publish that module's events."""
    files = list(files)
    used = _used(files, dirs)
    whole = set(whole)
    found: set[str] = set()
    for path in files:
        shape = imports_of(path, dirs)
        for top in reached_tops(path, used, dirs, whole=path in whole):
            found |= shape.publishes[top]
    return found


def reached_imports(path: Path, used: dict[str, set[str]], dirs: tuple[tuple[str, Path], ...] | None = None,
                    whole: bool = False) -> set[str]:
    """What running ``path`` can import: its module-level imports and the lazy imports of the functions that can
    run. A lazy import still runs in production when its function does, so it counts then, and only then."""
    shape = imports_of(path, dirs)
    found = set(shape.eager)
    for top in reached_tops(path, used, dirs, whole):
        found |= shape.nested.get(top, frozenset())
    return found


def _ours(name: str) -> bool:
    return name.split(".")[0] == PACKAGE


def _files_for(name: str, dirs: tuple[tuple[str, Path], ...] | None) -> list[Path]:
    """The files importing ``name`` runs: every package ``__init__`` on the way and the module itself, as far as
    the repository has them (``from x import y`` with ``y`` a function names no file)."""
    parts = name.split(".")
    found = []
    for end in range(1, len(parts) + 1):
        path = source_of(".".join(parts[:end]), dirs)
        if not path.is_file():
            break
        found.append(path)
    return found


@dataclass(frozen=True)
class Closure:
    """Everything one function's code reaches."""

    files: frozenset[Path]
    """Repository files of the package, plus the service's ``main.py``."""
    third_party: frozenset[str]
    """Dotted names imported from outside the package and the standard library."""
    publishes: frozenset[str]
    """Catalogue event types the reached modules publish."""
    imported: dict[str, Path] = field(default_factory=dict, compare=False)
    """Every name of the package that reached code imports (``x`` and ``x.y`` of ``from x import y``), and the
    first file seen importing it."""
    tops: dict[Path, frozenset[str]] = field(default_factory=dict, compare=False)
    """Per file, its top-level functions and classes that can run (``""``: its module-level code)."""

    def runs(self, path: Path, names: Iterable[str]) -> bool:
        """Whether any of the top-level ``names`` of ``path`` (``""``: module-level code) can run."""
        return bool(self.tops.get(path, frozenset()) & set(names))

    def modules(self, dirs: tuple[tuple[str, Path], ...] | None = None) -> frozenset[str]:
        return frozenset(module_of(p, dirs) for p in self.files)


def walk(roots: Iterable[Path], dirs: tuple[tuple[str, Path], ...] | None = None) -> Closure:
    """The transitive closure of what ``roots`` (which run whole) can import; a dev-only module is an error.

    Which functions of a module can run depends on every file that uses it, so the walk repeats until no file
    and no import is added: the set only grows, so it ends."""
    roots = list(roots)
    whole = set(roots)
    seen: set[Path] = set()
    via: dict[Path, Path] = {}
    third_party: set[str] = set()
    imported: dict[str, Path] = {}
    followed: dict[Path, set[str]] = {}
    todo = roots
    while todo:
        seen |= set(todo)
        todo = []
        used = _used(seen, dirs)
        for path in sorted(seen):
            new = reached_imports(path, used, dirs, whole=path in whole) - followed.setdefault(path, set())
            followed[path] |= new
            for name in sorted(new):
                if not _ours(name):
                    if name.split(".")[0] not in sys.stdlib_module_names:
                        third_party.add(name)
                    continue
                imported.setdefault(name, path)
                for file in _files_for(name, dirs):
                    if file not in seen and file not in todo:
                        via.setdefault(file, path)
                        todo.append(file)
    for path in seen:
        name = module_of(path, dirs)
        if any(name == d or name.startswith(d + ".") for d in DEV_ONLY):
            chain = [name]
            step = path
            while step in via:
                step = via[step]
                chain.append(module_of(step, dirs))
            raise ClosureError(f"{' <- '.join(chain)}: a function reaches {name}, a development tool")
    used = _used(seen, dirs)
    tops = {path: frozenset(reached_tops(path, used, dirs, whole=path in whole)) for path in seen}
    return Closure(frozenset(seen), frozenset(third_party), frozenset(reached_publishes(seen, dirs, whole)), imported,
                   tops)


@cache
def declared_entry_points() -> dict[str, dict[str, str]]:
    """``{group: {name: value}}`` of pyproject's entry points in our groups (a group may be absent: none is
    required). Callers must not change the answer."""
    import tomllib

    with (ROOT / "pyproject.toml").open("rb") as file:
        declared = tomllib.load(file)["project"].get("entry-points", {})
    return {group: dict(sorted(declared.get(group, {}).items())) for group in ENTRY_POINT_GROUPS}


def entry_point_files(values: Iterable[str], dirs: tuple[tuple[str, Path], ...] | None = None) -> list[Path]:
    """The files loading entry points (``module`` or ``module:attribute``) of the package runs: each module and
    the packages' ``__init__`` on the way (whose data, such as the shipped specs, goes with them)."""
    return [path for value in values for path in _files_for(value.partition(":")[0], dirs)]


def of_service(service: str, entry_points: Iterable[str], extra_roots: Iterable[Path] = (),
               dirs: tuple[tuple[str, Path], ...] | None = None) -> Closure:
    """What ``services/<service>/main.py``, the bundled editions' and rules' entry points (their values) and
    ``extra_roots`` (a plugin distribution's files) reach."""
    return walk([ROOT / "services" / service / "main.py", *entry_point_files(entry_points, dirs), *extra_roots], dirs)


def all_entry_points() -> list[str]:
    """Every entry point value pyproject declares in our groups: what every function can load."""
    return [value for group in declared_entry_points().values() for value in group.values()]


def module_exists(root: Path, module: str) -> bool:
    """Whether ``module`` resolves to a file under ``root`` (a folder on ``sys.path``)."""
    base = root.joinpath(*module.split("."))
    return (base / "__init__.py").is_file() or base.with_suffix(".py").is_file()

"""The hand-written package list in pyproject.toml covers every package folder (see the comment there)."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def package_folders() -> set[str]:
    found = {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src").rglob("__init__.py")}
    found |= {".".join(("gemeentedelers", *p.parent.relative_to(ROOT).parts))
              for p in (ROOT / "plugins").rglob("__init__.py")}
    return {name for name in found if "__pycache__" not in name}


def data_folders() -> set[str]:
    """Folders inside the package with files but no ``__init__.py`` (templates, data): setuptools warns about
    installing them unless they are listed as packages. (A folder of Python files only, such as the benchmark's
``meter_site``, is put on a path by hand and not installed.)"""
    return {".".join(p.parent.relative_to(ROOT / "src").parts) for p in (ROOT / "src" / "gemeentedelers").rglob("*")
            if p.is_file() and p.suffix not in {".py", ".pyc"} and "__pycache__" not in p.parts
            and not (p.parent / "__init__.py").exists()}


def test_every_package_is_listed() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    assert package_folders() | data_folders() == set(config["packages"])
    assert data_folders() <= set(config["package-data"])  # and their files go with them


def test_every_service_has_a_thin_main() -> None:
    for service in ("intake", "scoring", "assessment", "jury", "notify"):
        main = (ROOT / "services" / service / "main.py").read_text()
        assert "functions_framework" in main and len(main.splitlines()) < 30

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


def test_every_package_is_listed() -> None:
    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    assert package_folders() == listed


def test_every_service_has_a_thin_main() -> None:
    for service in ("intake", "scoring", "assessment", "jury", "notify"):
        main = (ROOT / "services" / service / "main.py").read_text()
        assert "functions_framework" in main and len(main.splitlines()) < 30

"""Loading the infra scripts, which are run as files (``python infra/bundle.py``) and so are not a package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

INFRA = Path(__file__).resolve().parents[3] / "infra"


def load_infra(name: str) -> ModuleType:
    """Import ``infra/<name>.py`` once under the name ``infra_<name>`` (dataclasses need it in sys.modules)."""
    module_name = f"infra_{name}"
    if module_name in sys.modules:
        return sys.modules[module_name]
    spec = importlib.util.spec_from_file_location(module_name, INFRA / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def bundler() -> ModuleType:
    return load_infra("bundle")


@pytest.fixture(scope="session")
def catalogue() -> ModuleType:
    return load_infra("catalogue")

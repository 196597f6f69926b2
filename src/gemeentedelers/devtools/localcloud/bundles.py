"""Serving the built bundles instead of the source tree (``gemeentedelers dev up --bundles``).

Each service's bundle (``infra/bundle.py``, what the deployment uploads) gets a fresh virtual environment of its
own, filled the way Cloud Build fills the function's: ``pip install --require-hashes -r requirements.txt``. The
functions then run from the bundle folder with that environment's functions-framework, so an import the bundle
lacks, a requirement it forgot or a hash that does not match fails here, not on the first deployment. pip's
cache is reused between runs (the wheels are the same), the environments are not. The development
environment's pip installs into each (``pip --python``), so no environment spends ~20 s installing pip itself.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import time
import venv
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from gemeentedelers.platform.events import SERVICES

PROJECT_ROOT = Path(__file__).resolve().parents[4]
INSTALL_TIMEOUT_S = 900


class BundleSetupFailed(RuntimeError):
    """A bundle could not be built or its environment not installed; the message says which and why."""


@dataclass(frozen=True)
class Served:
    """Where one service's bundle and its environment are."""

    service: str
    bundle: Path
    environment: Path

    @property
    def functions_framework(self) -> Path:
        return self.environment / "bin" / "functions-framework"

    @property
    def python(self) -> Path:
        return self.environment / "bin" / "python"


def _bundler() -> ModuleType:
    """``infra/bundle.py``, a script rather than a module of the package (it is never deployed)."""
    name = "gemeentedelers_infra_bundle"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, PROJECT_ROOT / "infra" / "bundle.py")
    if spec is None or spec.loader is None:
        raise BundleSetupFailed("infra/bundle.py is missing")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _install(served: Served, log_dir: Path) -> float:
    """A fresh environment for one bundle, installed from its hashed requirements; returns the seconds taken."""
    began = time.monotonic()
    shutil.rmtree(served.environment, ignore_errors=True)
    venv.EnvBuilder(with_pip=False, clear=True).create(served.environment)  # this pip installs into it (--python)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PIP_FIND_LINKS"))}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    log = log_dir / f"pip-{served.service}.log"
    with log.open("wb") as out:
        done = subprocess.run(
            [sys.executable, "-m", "pip", "--python", str(served.python), "install", "--require-hashes", "--no-input",
             "--no-compile", "-r", str(served.bundle / "requirements.txt")],
            stdout=out, stderr=subprocess.STDOUT, env=env, timeout=INSTALL_TIMEOUT_S, check=False,
        )
    if done.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-20:])
        raise BundleSetupFailed(f"{served.service}: pip install --require-hashes failed ({log}):\n{tail}")
    return time.monotonic() - began


def prepare(root: Path, echo: Callable[[str], None] = lambda _: None) -> tuple[dict[str, Served], dict[str, float]]:
    """Build every bundle into ``root/bundles/functions`` and install a fresh environment for each (two at a
    time: the machine has two cores). Returns what to serve and the seconds each step took."""
    bundler = _bundler()
    began = time.monotonic()
    try:
        built = {path.name: path for path in bundler.build_bundles(root / "bundles" / "functions", None)}
    except bundler.BundleError as error:
        raise BundleSetupFailed(str(error)) from None
    timings = {"build": time.monotonic() - began}
    served = {s: Served(s, built[s], root / "bundles" / "environments" / s) for s in SERVICES}
    log_dir = root / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    echo(f"Installing {len(served)} fresh environments from the bundles' requirements (pip --require-hashes) ...")
    with ThreadPoolExecutor(2) as pool:
        seconds = dict(zip(served, pool.map(lambda s: _install(s, log_dir), served.values()), strict=True))
    timings |= {f"install {service}": took for service, took in seconds.items()}
    timings["total"] = time.monotonic() - began
    return served, {step: round(took, 2) for step, took in timings.items()}


def command(served: Served, target: str, port: int) -> list[str]:
    """The function's process, run from the bundle folder as Cloud Functions runs it."""
    return [str(served.functions_framework), "--source", str(served.bundle / "main.py"), "--target", target,
            "--host", "127.0.0.1", "--port", str(port)]


def environment(base: dict[str, str]) -> dict[str, str]:
    """The functions' environment without anything that would let the source tree or the dev venv answer an
    import, and without the checkout's commit: a bundle reports the one written into it."""
    return {k: v for k, v in base.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "GD_BUILD_COMMIT"}}

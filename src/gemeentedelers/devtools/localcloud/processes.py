"""Starting and stopping the local cloud's processes, each in its own session so its group can be killed.

Killing only the PID of a wrapper (gcloud, gunicorn's master) can leave children running; a process group
kill does not.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import requests


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(name: str, command: list[str], env: dict[str, str], log_dir: Path, cwd: Path | None = None) -> Process:
    log_dir.mkdir(parents=True, exist_ok=True)
    log_path = log_dir / f"{name}.log"
    log = log_path.open("wb")
    popen = subprocess.Popen(
        command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    return Process(name, popen, log_path)


def _alive(pid: int) -> bool:
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_groups(pids: list[int], grace_s: float = 5.0) -> None:
    """SIGTERM every process group at once, then SIGKILL whatever is left after ``grace_s``."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
        time.sleep(0.05)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGKILL)


def stop_all(started: list[Process], grace_s: float = 5.0) -> None:
    """Stop our own children: SIGTERM all groups, reap the leaders, SIGKILL the groups of any left over."""
    for process in started:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline and any(p.popen.poll() is None for p in started):
        time.sleep(0.05)
    for process in started:
        with contextlib.suppress(ProcessLookupError):  # leftovers such as gunicorn workers or a forked JVM
            os.killpg(process.pid, signal.SIGKILL)
        process.popen.poll()


class StartFailed(RuntimeError):
    pass


def wait_until_serving(process: Process, url: str, timeout_s: float = 60.0, expect_text: str | None = None) -> None:
    """Poll ``url`` until it answers (with ``expect_text`` in the body if given) or the process dies."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.popen.poll() is not None:
            raise StartFailed(f"{process.name} exited with {process.popen.returncode}:\n{process.tail()}")
        try:
            answer = requests.get(url, timeout=1)
            if expect_text is None or expect_text in answer.text:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise StartFailed(f"{process.name} did not answer at {url} within {timeout_s:.0f} s:\n{process.tail()}")

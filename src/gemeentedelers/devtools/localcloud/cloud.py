"""The local cloud as one object: start everything, wire it, reset it between tests, stop it cleanly.

``gemeentedelers dev up``, ``make demo`` and the integration tests' session fixture all use this class, so
what the tests exercise is what a person runs. What was started is recorded in a JSON state file
(default ``.local/cloud.json``) so that other tools find every host, port, folder and secret.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import requests

from gemeentedelers.devtools.localcloud import bundles, emulators, processes
from gemeentedelers.devtools.localcloud.pubsub_admin import PRODUCTION_RETRY, PubSubAdmin
from gemeentedelers.platform import inflight, settings
from gemeentedelers.platform.events import SERVICES, subscriptions_of
from gemeentedelers.platform.settings import PROVIDER_SECRET_VARS

PROJECT_ROOT = Path(__file__).resolve().parents[4]
DEFAULT_PROJECT = settings.DEFAULT_PROJECT


@dataclass(frozen=True)
class FunctionSpec:
    """One functions-framework process: a service's HTTP function or its event function."""

    service: str
    target: str
    kind: str  # "http" | "events"

    @property
    def name(self) -> str:
        return f"{self.service}-{self.kind}"

    @property
    def source(self) -> Path:
        return PROJECT_ROOT / "services" / self.service / "main.py"


def function_specs() -> list[FunctionSpec]:
    specs = []
    for service in SERVICES:
        specs.append(FunctionSpec(service, f"{service}_http", "http"))
        if subscriptions_of(service):
            specs.append(FunctionSpec(service, f"{service}_events", "events"))
    return specs


@dataclass
class LocalCloud:
    root: Path = PROJECT_ROOT / ".local"
    project: str = DEFAULT_PROJECT
    edition: str | None = "gd2024"
    competition_now: datetime | None = None
    tick_interval_s: float | None = None
    """Publish a tick this often, as Cloud Scheduler does (``dev up``); ``None``: only ticks sent by hand."""
    function_env: dict[str, str] = field(default_factory=dict)
    """More environment for the functions (the edition benchmark's meter)."""
    retry_backoff_s: tuple[float, float] = PRODUCTION_RETRY
    """Every subscription's exponential backoff (minimum, maximum): production's unless a test scales it down."""
    bundles: bool = False
    """Serve the built bundles from fresh environments (``dev up --bundles``) instead of the source tree."""
    state_file: Path | None = None
    started: list[processes.Process] = field(default_factory=list)
    state: dict[str, Any] = field(default_factory=dict)
    commands: dict[str, tuple[list[str], dict[str, str], Path]] = field(default_factory=dict, repr=False)
    _bundle_timings: dict[str, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self.project.startswith("demo-"):
            raise ValueError(f"the local cloud only runs demo-* projects, not {self.project!r}")
        self.state_file = self.state_file or self.root / "cloud.json"

    # -- start / stop -----------------------------------------------------------------------------------------

    def start(self) -> dict[str, Any]:
        sdk = emulators.check()
        logs = self.root / "logs"
        maildir = self.root / "mail"
        maildir.mkdir(parents=True, exist_ok=True)
        empty_mailbox(maildir)  # a fresh cloud starts with empty stores, the mailbox included
        fs_port, ps_port, smtp_port = processes.free_port(), processes.free_port(), processes.free_port()
        ps_data = self.root / "pubsub-data"
        ps_data.mkdir(parents=True, exist_ok=True)
        began = time.monotonic()
        try:
            base_env = {k: v for k, v in os.environ.items() if not k.startswith(("GD_", "FIRESTORE_", "PUBSUB_"))}
            firestore = processes.start("firestore", emulators.firestore_command(sdk, fs_port), base_env, logs)
            pubsub = processes.start("pubsub", emulators.pubsub_command(sdk, ps_port, ps_data), base_env, logs)
            smtp = processes.start(
                "smtp",
                [sys.executable, "-m", "gemeentedelers.devtools.localcloud.smtp", "--port", str(smtp_port),
                 "--maildir", str(maildir)],
                base_env,
                logs,
            )
            self.started += [firestore, pubsub, smtp]
            secrets_by_provider = {p: secrets.token_urlsafe(24) for p in PROVIDER_SECRET_VARS}
            env = {
                **base_env,
                "GOOGLE_CLOUD_PROJECT": self.project,
                "FIRESTORE_EMULATOR_HOST": f"127.0.0.1:{fs_port}",
                "PUBSUB_EMULATOR_HOST": f"127.0.0.1:{ps_port}",
                "GD_SMTP_HOST": "127.0.0.1",
                "GD_SMTP_PORT": str(smtp_port),
                "PYTHONUNBUFFERED": "1",
                **{PROVIDER_SECRET_VARS[p]: s for p, s in secrets_by_provider.items()},
                **self.function_env,
            }
            ports = {spec.name: processes.free_port() for spec in function_specs()}
            env["GD_LINK_SECRET"] = secrets.token_urlsafe(32)
            env["GD_PUSH_TOKEN"] = secrets.token_urlsafe(24)
            env["GD_BUILD_COMMIT"] = build_commit()
            self.inflight.mkdir(parents=True, exist_ok=True)
            env["GD_INFLIGHT_DIR"] = str(self.inflight)
            for service in SERVICES:
                env[f"GD_PUBLIC_URL_{service.upper()}"] = f"http://127.0.0.1:{ports[f'{service}-http']}"
            functions = {}
            served = self._prepare_bundles() if self.bundles else {}
            ff = str(Path(sys.executable).with_name("functions-framework"))
            for spec in function_specs():
                if spec.service in served:
                    self.commands[spec.name] = (
                        bundles.command(served[spec.service], spec.target, ports[spec.name]),
                        bundles.environment(env), served[spec.service].bundle)
                else:
                    self.commands[spec.name] = ([ff, "--source", str(spec.source), "--target", spec.target,
                                                 "--host", "127.0.0.1", "--port", str(ports[spec.name])],
                                                env, PROJECT_ROOT)
                command, function_env, cwd = self.commands[spec.name]
                functions[spec.name] = processes.start(spec.name, command, function_env, logs, cwd=cwd)
            self.started += list(functions.values())

            processes.wait_until_serving(firestore, f"http://127.0.0.1:{fs_port}/", expect_text="Ok")
            processes.wait_until_serving(pubsub, f"http://127.0.0.1:{ps_port}/", expect_text="Ok")
            self._wait_smtp(smtp, smtp_port)
            urls = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}
            with ThreadPoolExecutor(len(functions)) as pool:
                list(pool.map(lambda n: processes.wait_until_serving(functions[n], urls[n] + "/healthz"), functions))

            self.state = {
                "project": self.project,
                "firestore_emulator_host": env["FIRESTORE_EMULATOR_HOST"],
                "pubsub_emulator_host": env["PUBSUB_EMULATOR_HOST"],
                "smtp": {"host": "127.0.0.1", "port": smtp_port, "maildir": str(maildir)},
                "functions": urls,
                "webhooks": {p: f"{urls['intake-http']}/webhooks/{p}" for p in PROVIDER_SECRET_VARS},
                "webhook_secrets": secrets_by_provider,
                "link_secret": env["GD_LINK_SECRET"],
                "push_token": env["GD_PUSH_TOKEN"],
                "build_commit": env["GD_BUILD_COMMIT"],
                "console_url": f"{urls['scoring-http']}/organiser",
                "logs": str(logs),
                "pids": {p.name: p.pid for p in self.started},
                "retry_backoff_s": list(self.retry_backoff_s),
                "started_in_s": round(time.monotonic() - began, 2),
                **({"bundles": {s: str(b.bundle) for s, b in served.items()},
                    "environments": {s: str(b.environment) for s, b in served.items()},
                    "bundle_setup_s": self._bundle_timings} if served else {}),
            }
            self.use_in_this_process()
            self.wire_pubsub()
            if self.edition:
                self.activate(self.edition, self.competition_now)
            if self.tick_interval_s:
                ticker = processes.start(
                    "ticker", [sys.executable, "-m", "gemeentedelers.devtools.localcloud.ticker", "--interval",
                               str(self.tick_interval_s)], {**env, **self.env()}, logs)
                self.started.append(ticker)
                self.state["pids"][ticker.name] = ticker.pid
                self.state["tick_interval_s"] = self.tick_interval_s
            assert self.state_file is not None
            self.state_file.parent.mkdir(parents=True, exist_ok=True)
            self.state_file.write_text(json.dumps(self.state, indent=2))
        except BaseException:
            self.stop()
            raise
        return self.state

    def _prepare_bundles(self) -> dict[str, bundles.Served]:
        served, self._bundle_timings = bundles.prepare(self.root)
        return served

    def _wait_smtp(self, process: processes.Process, port: int, timeout_s: float = 30) -> None:
        import smtplib

        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if process.popen.poll() is not None:
                raise processes.StartFailed(f"smtp exited:\n{process.tail()}")
            try:
                with smtplib.SMTP("127.0.0.1", port, timeout=2) as smtp:
                    smtp.noop()
                return
            except OSError:
                time.sleep(0.1)
        raise processes.StartFailed(f"smtp did not answer on port {port}")

    def stop(self) -> None:
        processes.stop_all(self.started)
        self.started.clear()
        if self.state_file and self.state_file.exists():
            self.state_file.unlink()

    def kill_function(self, name: str) -> None:
        """Kill one function's processes at once (SIGKILL), as a crashed instance dies: for outage tests."""
        import signal

        process = next(p for p in self.started if p.name == name)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.popen.wait(timeout=30)
        self.started.remove(process)

    def restart_function(self, name: str) -> None:
        """Start a killed function again on its port, and wait until it serves."""
        command, env, cwd = self.commands[name]
        process = processes.start(name, command, env, self.root / "logs", cwd=cwd)
        self.started.append(process)
        self.state["pids"][name] = process.pid
        processes.wait_until_serving(process, self.url(name) + "/healthz")

    def __enter__(self) -> LocalCloud:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- using it ---------------------------------------------------------------------------------------------

    def env(self) -> dict[str, str]:
        """The environment a process needs to talk to this local cloud."""
        return {
            "GOOGLE_CLOUD_PROJECT": self.state["project"],
            "FIRESTORE_EMULATOR_HOST": self.state["firestore_emulator_host"],
            "PUBSUB_EMULATOR_HOST": self.state["pubsub_emulator_host"],
            "GD_SMTP_HOST": "127.0.0.1",
            "GD_SMTP_PORT": str(self.state["smtp"]["port"]),
            **{PROVIDER_SECRET_VARS[p]: s for p, s in self.state["webhook_secrets"].items()},
            "GD_LINK_SECRET": self.state["link_secret"],
            "GD_PUSH_TOKEN": self.state["push_token"],
            **{f"GD_PUBLIC_URL_{s.upper()}": url for s in SERVICES
               if (url := self.state["functions"].get(f"{s}-http"))},
        }

    def use_in_this_process(self) -> None:
        """Point this process's clients (store, bus, CLI helpers) at the local cloud."""
        from gemeentedelers.platform import bus, firestore

        os.environ.pop("GD_EDITION", None)
        os.environ.update(self.env())
        settings.reset_cache()
        firestore.reset_client()
        bus._publisher = None

    @property
    def maildir(self) -> Path:
        return Path(self.state["smtp"]["maildir"])

    def url(self, function: str) -> str:
        return str(self.state["functions"][function])

    def wire_pubsub(self) -> list[str]:
        events = {spec.service: self.url(spec.name) for spec in function_specs() if spec.kind == "events"}
        return PubSubAdmin(self.state["pubsub_emulator_host"], self.project).wire(events, self.state["push_token"],
                                                                                  self.retry_backoff_s)

    def activate(self, edition: str, competition_now: datetime | None = None) -> None:
        """Publish the shipped specs (storing nothing for a version that exists), activate ``edition``'s shipped version
        with the clock at ``competition_now`` (mid-registration by default), and wait until every HTTP function
        serves it, so a test or the demo never races the functions' few-seconds cache."""
        from gemeentedelers.editions import active, versions
        from gemeentedelers.editions.specs import shipped_document, shipped_keys
        from gemeentedelers.platform.firestore import db

        if shipped_document(edition) is None:
            raise ValueError(f"no shipped spec {edition!r}")
        shipped = {key: versions.publish(db(), shipped_document(key) or {}, by="system:localcloud")
                   for key in shipped_keys()}
        published = shipped[edition]
        activation = active.activate(db(), edition, version=published.version, by="system:localcloud",
                                     competition_now=competition_now or self._mid_registration(edition))
        self.wait_until_served(activation.edition.spec_hash)

    @staticmethod
    def _mid_registration(edition: str) -> datetime:
        from gemeentedelers.editions import installed_edition

        timeline = installed_edition(edition).timeline
        return timeline.registration_opens + (timeline.registration_closes - timeline.registration_opens) / 2

    def wait_until_served(self, spec_hash: str | None, timeout_s: float = 30) -> None:
        """Until every HTTP function's ``/edition`` names this activation (its hash and competition clock)."""
        from gemeentedelers.editions.active import read_active
        from gemeentedelers.platform.firestore import db

        wanted = read_active(db()).clock.now()
        urls = [url for name, url in self.state["functions"].items() if name.endswith("-http")]
        deadline = time.monotonic() + timeout_s
        waiting = list(urls)
        while waiting and time.monotonic() < deadline:
            for url in list(waiting):
                served = requests.get(f"{url}/edition", timeout=10).json()
                clock = datetime.fromisoformat(served.get("competition_time", "1970-01-01T00:00:00+00:00"))
                if served.get("hash") == spec_hash and abs((clock - wanted).total_seconds()) < 5:
                    waiting.remove(url)
            if waiting:
                time.sleep(0.1)
        if waiting:
            raise TimeoutError(f"{', '.join(waiting)} did not serve the activated edition within {timeout_s} s")

    @property
    def inflight(self) -> Path:
        """Where the event functions mark an event at work (``platform.inflight``)."""
        return self.root / "inflight"

    def reset(self) -> None:
        """Fresh state: empty Firestore, re-created topics and subscriptions, an empty mailbox. This process is
        pointed at this cloud first (a test may have used another cloud meanwhile).

        The order matters: the subscriptions go first (no new pushes), then the reset waits until no event
        handler is at work, and only then empties Firestore; a handler of the previous test would otherwise write
        into the fresh database (a mail marked sent that the next test expects to be sent)."""
        self.use_in_this_process()
        admin = PubSubAdmin(self.state["pubsub_emulator_host"], self.project)
        admin.clear()
        inflight.wait_until_idle(self.inflight)
        requests.delete(
            f"http://{self.state['firestore_emulator_host']}/emulator/v1/projects/{self.project}"
            "/databases/(default)/documents",
            timeout=30,
        ).raise_for_status()
        self.wire_pubsub()
        empty_mailbox(self.maildir)
        if self.edition:
            self.activate(self.edition, self.competition_now)


def build_commit() -> str:
    """The checkout's commit (what ``/healthz`` reports locally); bundles carry theirs in ``BUILD_COMMIT``."""
    import subprocess

    try:
        found = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=PROJECT_ROOT, capture_output=True,
                               text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return found.stdout.strip() or "unknown"


def empty_mailbox(maildir: Path) -> None:
    for sub in ("new", "cur", "tmp"):
        for item in (maildir / sub).glob("*"):
            item.unlink(missing_ok=True)
    (maildir / "control.json").unlink(missing_ok=True)


def read_state(path: Path) -> dict[str, Any]:
    return dict(json.loads(path.read_text()))


def stop_recorded(path: Path) -> list[str]:
    """Stop what a state file records (``dev down`` for a cloud started by another process)."""
    state = read_state(path)
    pids = {name: int(pid) for name, pid in state.get("pids", {}).items()}
    processes.stop_groups(list(pids.values()))
    path.unlink(missing_ok=True)
    return list(pids)

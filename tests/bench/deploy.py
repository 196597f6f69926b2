"""Deployment benchmark: what each function costs to install and to start, and how fast the announcement mails go.

Run: ``.venv/bin/python tests/bench/deploy.py [--rounds 5] [--recipients 64,300,1000]`` (``make bench``). A
command, not a test: it starts a local cloud that serves the built bundles from fresh environments (as
``dev up --bundles``), then prints per function

- the installed size: the bundle plus its environment's site-packages (target: under 150 MB but for scoring);
- the cold import: a new process loading the function with functions-framework (``create_app``), against the
  floor, a bare function importing functions-framework, google-cloud-firestore and google-cloud-pubsub, run in
  the same environment; the two alternate, ``--rounds`` times each, and the ratio is of the medians (target:
  at most 1.15);

and the time from the scheduler's tick to the last announcement mail received by the local SMTP server, through
the real path (jury announces on the tick, notify mails every entrant over one connection), for each number of
recipients (target: 1,000 in under 60 s). Figures are from one loaded machine; PASS or FAIL is printed as found.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SIZE_TARGET_MB = 150.0
IMPORT_TARGET = 1.15
MAIL_TARGET_S = 60.0
ANNOUNCED_SUBJECTS = (": de winnaars zijn bekend", ": the winners are known")  # templates/mail/winners_announced
FLOOR = '''"""The floor: a bare function importing what every GemeenteDelers function needs from Google."""
import functions_framework
from google.cloud import firestore, pubsub_v1  # noqa: F401


@functions_framework.http
def floor_http(request):
    return "ok"
'''
LOAD = """
import sys, time
began = time.perf_counter()
import functions_framework
app = functions_framework.create_app(sys.argv[1], sys.argv[2])
print(time.perf_counter() - began)
"""
# Nothing the loaded code might reach is real: a demo project and unroutable emulator hosts.
SAFE_ENV = {
    "PATH": "/usr/bin:/bin",
    "GOOGLE_CLOUD_PROJECT": "demo-bench",
    "FIRESTORE_EMULATOR_HOST": "127.0.0.1:1",
    "PUBSUB_EMULATOR_HOST": "127.0.0.1:1",
}


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def installed_mb(bundle: Path, environment: Path) -> float:
    (site,) = environment.glob("lib/python*/site-packages")
    return folder_mb(bundle) + folder_mb(site)


def cold_start_s(environment: Path, source: Path, target: str) -> float:
    """Wall time of a fresh process that loads the function, as an instance does on a cold start."""
    began = time.perf_counter()
    done = subprocess.run([str(environment / "bin" / "python"), "-c", LOAD, target, str(source)], env=SAFE_ENV,
                          cwd=source.parent, capture_output=True, text=True, timeout=120, check=False)
    took = time.perf_counter() - began
    if done.returncode != 0:
        raise RuntimeError(f"{source} {target} did not load:\n{done.stderr[-2000:]}")
    return took


def compare_imports(environment: Path, bundle: Path, target: str, floor: Path, rounds: int) -> tuple[float, float]:
    """Medians of ``rounds`` cold loads of the function and of the floor, alternating; one untimed load of
    each first (it writes the bytecode an installed image has)."""
    cold_start_s(environment, floor, "floor_http")
    cold_start_s(environment, bundle / "main.py", target)
    ours, base = [], []
    for _ in range(rounds):
        base.append(cold_start_s(environment, floor, "floor_http"))
        ours.append(cold_start_s(environment, bundle / "main.py", target))
    return statistics.median(ours), statistics.median(base)


def seed_announcement(recipients: int) -> None:
    """An edition whose chair confirmed the winners, with ``recipients`` entrants, at the announcement moment."""
    from gemeentedelers.editions import active, get_edition
    from gemeentedelers.entries.submissions import new_record
    from gemeentedelers.platform import layout
    from gemeentedelers.platform.firestore import db

    client = db()
    edition = get_edition("gd2024")
    now = datetime.now(UTC)
    category = edition.categories[0].key
    batch = client.batch()
    for number in range(recipients):
        sid = f"sub-bench{number:05d}"
        registration = {"municipality": f"Gemeente {number}", "title": f"Initiatief {number}",
                        "description": "Een aanpak die andere gemeenten kunnen hergebruiken.", "category": category,
                        "language": "nl" if number % 4 else "en", "contact_name": f"Contact {number}",
                        "contact_email": f"contact{number}@gemeente{number}.example"}
        batch.set(layout.submissions(client, "gd2024").document(sid), new_record(
            sid, "gd2024", registration, provider="generic", provider_event_id=sid, submitted_at=None,
            received_at=now, competition_time=now))
        if number % 400 == 399:
            batch.commit()
            batch = client.batch()
    batch.commit()
    winner = {"category": category, "prize": f"{edition.info.title.nl}, winnaar", "submission_id": "sub-bench00000",
              "title": "Initiatief 0", "description": "Een aanpak.", "municipality": "Gemeente 0"}
    layout.decisions(client, "gd2024").document("r3-bench").set(
        {"decision_id": "r3-bench", "round": 3, "categories": {}, "advancing": ["sub-bench00000"],
         "not_advancing": []})
    layout.winners(client, "gd2024").document("result").set(
        {"status": "embargoed", "confirmed": True, "decision_id": "r3-bench", "winners": [winner],
         "finalists": [{k: winner[k] for k in ("category", "submission_id", "title", "municipality")}],
         "embargo_until": edition.timeline.winners_announced})
    active.set_clock(client, edition.timeline.winners_announced + timedelta(minutes=1))


def announcement_s(cloud: object, recipients: int, timeout_s: float) -> float:
    """From the tick to the last announcement mail accepted by the local SMTP server (the ledger marks a mail sent
    once the server accepted it; the Maildir is counted at the end to be sure)."""
    from google.cloud.firestore_v1.base_query import FieldFilter

    from gemeentedelers.devtools.localcloud.smtp import read_mailbox
    from gemeentedelers.platform import layout
    from gemeentedelers.platform.firestore import db
    from gemeentedelers.platform.tick import publish_tick

    cloud.reset()  # type: ignore[attr-defined]
    seed_announcement(recipients)
    sent = (layout.mails(db(), "gd2024").where(filter=FieldFilter("kind", "==", "winners_announced"))
            .where(filter=FieldFilter("status", "==", "sent")).count())

    def count() -> int:
        return int(sent.get()[0][0].value)

    began = time.monotonic()
    publish_tick()
    deadline = began + timeout_s
    while count() < recipients:
        if time.monotonic() > deadline:
            raise RuntimeError(f"only {count()} of {recipients} announcement mails within {timeout_s:.0f} s")
        time.sleep(0.2)
    took = time.monotonic() - began
    received = sum(1 for m in read_mailbox(cloud.maildir) if m.subject.endswith(ANNOUNCED_SUBJECTS))  # type: ignore[attr-defined]
    if received != recipients:
        raise RuntimeError(f"the ledger says {recipients} sent, the SMTP server has {received}")
    return took


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="cold loads of each function and the floor")
    parser.add_argument("--recipients", default="64,300,1000", help="announcement sizes, comma-separated")
    parser.add_argument("--only", choices=("functions", "mail"), help="measure only the functions or the mail")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.recipients.split(",") if n.strip()]

    from gemeentedelers.devtools.localcloud.cloud import LocalCloud, function_specs

    root = ROOT / ".local" / "bench-deploy"
    cloud = LocalCloud(root=root, project="demo-gemeentedelers-bench", bundles=True)
    print("Building the bundles and a fresh environment for each, then starting the local cloud ...", flush=True)
    cloud.start()
    try:
        state = cloud.state
        print(f"  ready in {state['started_in_s']} s; bundle set-up (s): {state['bundle_setup_s']}")
        floor = root / "floor" / "main.py"
        floor.parent.mkdir(parents=True, exist_ok=True)
        floor.write_text(FLOOR, encoding="utf-8")
        failed = False
        for spec in function_specs() if args.only != "mail" else ():
            if spec.name == function_specs()[0].name:
                print()
                print(f"{'function':<20}{'installed MB':>13}{'size':>6}{'cold load s':>13}{'floor s':>9}"
                      f"{'ratio':>7}{'load':>6}")
            bundle, environment = Path(state["bundles"][spec.service]), Path(state["environments"][spec.service])
            ours, base = compare_imports(environment, bundle, spec.target, floor, args.rounds)
            size = installed_mb(bundle, environment)  # after the first load wrote the bytecode an image holds
            size_ok = spec.service == "scoring" or size < SIZE_TARGET_MB
            ratio = ours / base
            failed |= not size_ok or ratio > IMPORT_TARGET
            size_word = "-" if spec.service == "scoring" else verdict(size_ok)
            print(f"{spec.name:<20}{size:>13.1f}{size_word:>6}{ours:>13.3f}{base:>9.3f}{ratio:>7.2f}"
                  f"{verdict(ratio <= IMPORT_TARGET):>6}", flush=True)
        if args.only != "mail":
            print(f"(size target: under {SIZE_TARGET_MB:.0f} MB installed but for scoring; cold load: median of "
                  f"{args.rounds}, alternating with the floor, at most {IMPORT_TARGET}x its median; the floor "
                  "imports pubsub at once, our functions when they first publish)")
        for recipients in sizes if args.only != "functions" else ():
            if recipients == sizes[0]:
                print()
                print(f"{'announcement':<20}{'recipients':>11}{'seconds':>9}{'mails/s':>9}")
            took = announcement_s(cloud, recipients, timeout_s=max(120.0, recipients * 0.5))
            ok = recipients != 1000 or took < MAIL_TARGET_S
            failed |= not ok
            word = verdict(ok) if recipients == 1000 else ""
            print(f"{'tick -> last mail':<20}{recipients:>11}{took:>9.1f}{recipients / took:>9.1f} {word}",
                  flush=True)
        if args.only != "functions":
            print(f"(target: 1,000 announcement mails in under {MAIL_TARGET_S:.0f} s locally)")
    finally:
        cloud.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main())

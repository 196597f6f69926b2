"""``gemeentedelers dev``: run the local cloud (emulators, every function, push subscriptions, SMTP)."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

import click

from gemeentedelers.cli.common import STATE_FILE, parse_when
from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT


@click.group()
def dev() -> None:
    """Run the local cloud: emulators, every function, push subscriptions and an SMTP server."""


@dev.command("up")
@click.option("--edition", default="gd2024", show_default=True, help="Edition to activate.")
@click.option("--at", "at", default=None, help="Competition time to start at (default: mid-registration).")
@click.option("--detach", is_flag=True, help="Leave it running in the background; stop with 'dev down'.")
@click.option("--tick-interval", type=click.FloatRange(min=1), default=60.0, show_default=True,
              help="Seconds between the scheduler's ticks (due work: the announcement, ...).")
@click.option("--bundles", is_flag=True,
              help="Serve the built bundles (infra/bundle.py) from fresh environments, as deployed.")
def dev_up(edition: str, at: str | None, detach: bool, tick_interval: float, bundles: bool) -> None:
    """Start the local cloud and print where everything is; Ctrl-C stops it all."""
    from gemeentedelers.devtools.localcloud.bundles import BundleSetupFailed
    from gemeentedelers.devtools.localcloud.cloud import LocalCloud
    from gemeentedelers.devtools.localcloud.emulators import MissingTool

    if STATE_FILE.exists():
        raise click.ClickException(f"a local cloud is recorded in {STATE_FILE}; run 'gemeentedelers dev down' first")
    cloud = LocalCloud(edition=edition, competition_now=parse_when(at) if at else None, tick_interval_s=tick_interval,
                       bundles=bundles)
    if bundles:
        click.echo("Building the bundles and installing a fresh environment for each (pip's cache helps) ...")
    try:
        state = cloud.start()
    except (MissingTool, BundleSetupFailed) as problem:
        raise click.ClickException(str(problem)) from None
    print_state(state)
    if detach:
        click.echo("Running in the background: 'gemeentedelers dev down' stops it.")
        return
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    click.echo("Ctrl-C stops everything.")
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        cloud.stop()
        click.echo("Stopped.")


def print_state(state: dict[str, object]) -> None:
    click.echo(f"Local cloud for {state['project']} (started in {state['started_in_s']} s)")
    click.echo(f"  Firestore emulator  {state['firestore_emulator_host']}")
    click.echo(f"  Pub/Sub emulator    {state['pubsub_emulator_host']}")
    smtp = state["smtp"]
    assert isinstance(smtp, dict)
    click.echo(f"  SMTP                127.0.0.1:{smtp['port']}  (mail kept in {smtp['maildir']})")
    functions = state["functions"]
    assert isinstance(functions, dict)
    for name, url in functions.items():
        click.echo(f"  {name:<19} {url}")
    webhooks = state["webhooks"]
    assert isinstance(webhooks, dict)
    for provider, url in webhooks.items():
        click.echo(f"  webhook {provider:<11} {url}")
    for service, bundle in dict(state.get("bundles") or {}).items():
        click.echo(f"  bundle {service:<12} {bundle}  (environment {state['environments'][service]})")
    if state.get("bundle_setup_s"):
        click.echo(f"  bundles ready in    {state['bundle_setup_s']['total']} s")
    click.echo(f"  state file          {STATE_FILE}  (webhook secrets are in it)")
    if console := functions.get("scoring-http"):
        click.echo("Organisers sign in to the console at")
        click.echo(f"  {console}/organiser/login  (the sign-in link comes by mail: 'gemeentedelers dev mail --full')")
        click.echo("  no organiser yet? gemeentedelers organisers add --email you@example.org --name 'Your Name' "
                   "--role coordinator --print-link")


@dev.command("check")
def dev_check() -> None:
    """Check that Java and the emulators are installed; say how to install them if not."""
    from gemeentedelers.devtools.localcloud.emulators import MissingTool, check

    try:
        sdk = check()
    except MissingTool as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"Java and the Firestore and Pub/Sub emulators are installed ({sdk}).")


@dev.command("down")
def dev_down() -> None:
    """Stop a local cloud started with --detach (or left behind)."""
    from gemeentedelers.devtools.localcloud.cloud import stop_recorded

    if not STATE_FILE.exists():
        click.echo("No local cloud is recorded.")
        return
    stopped = stop_recorded(STATE_FILE)
    click.echo(f"Stopped {len(stopped)} processes.")


@dev.command("status")
def dev_status() -> None:
    """Show the recorded local cloud and whether each function answers."""
    import requests

    from gemeentedelers.devtools.localcloud.cloud import read_state

    if not STATE_FILE.exists():
        raise click.ClickException("no local cloud is running ('gemeentedelers dev up' starts one)")
    state = read_state(STATE_FILE)
    print_state(state)
    answering = {name: probe(name, url, requests.get) for name, url in state["functions"].items()}
    for name, ok in answering.items():
        click.echo(f"  {name:<19} {'ok' if ok else 'NOT ANSWERING'}")
    if not all(answering.values()):
        raise SystemExit(1)


def probe(name: str, url: str, get: Any) -> bool:
    """Whether a function answers as it should: an HTTP function's ``/healthz`` with 200; an event function
    (a CloudEvent function takes only POSTed events) refuses a GET with 405, which shows functions-framework
    is up and serving it, without running its handler."""
    try:
        if name.endswith("-events"):
            return get(url, timeout=2).status_code == 405
        return get(f"{url}/healthz", timeout=2).status_code == 200
    except OSError:  # requests' errors are OSErrors: refused, reset, timed out
        return False


@dev.command("reset")
def dev_reset() -> None:
    """Empty Firestore, re-create topics and subscriptions, empty the mailbox, re-activate the edition."""
    from gemeentedelers.devtools.localcloud.cloud import LocalCloud, read_state

    if not STATE_FILE.exists():
        raise click.ClickException("no local cloud is running")
    cloud = LocalCloud(state=read_state(STATE_FILE))
    cloud.use_in_this_process()
    cloud.reset()
    click.echo("Reset.")


@dev.command("mail")
@click.option("--last", default=10, show_default=True, help="How many of the newest mails to show.")
@click.option("--full", is_flag=True, help="Print the text of each mail.")
@click.option("--maildir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Read this Maildir (e.g. the one a demo printed) instead of the running local cloud's.")
def dev_mail(last: int, full: bool, maildir: Path | None) -> None:
    """Read the mail the local SMTP server received."""
    from gemeentedelers.devtools.localcloud.cloud import read_state
    from gemeentedelers.devtools.localcloud.smtp import read_mailbox

    if maildir is not None and not (maildir / "new").is_dir():
        raise click.ClickException(f"{maildir} is not a Maildir (it has no 'new' folder)")
    if maildir is None:
        maildir = (Path(read_state(STATE_FILE)["smtp"]["maildir"]) if STATE_FILE.exists()
                   else PROJECT_ROOT / ".local" / "mail")
    mails = read_mailbox(maildir)
    click.echo(f"{len(mails)} mails in {maildir}")
    for mail in mails[-last:]:
        click.echo(f"- to {mail.to} [{mail.language}]: {mail.subject}")
        if full:
            click.echo(mail.text)


@dev.command("check-links")
@click.option("--maildir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Read this Maildir instead of the running local cloud's.")
def dev_check_links(maildir: Path | None) -> None:
    """Check every mail of the running local cloud (e.g. after `demo --keep`): Date, Message-ID and an HTML part in
    each, every link in it opened in headless Chromium as its person, and axe-core (WCAG 2.0/2.1 A and AA) on the
    page reached and the pages it links to on the same host. Exit 1 on any problem."""
    from gemeentedelers.devtools.browser import BrowserMissing
    from gemeentedelers.devtools.linkcheck import check_maildir
    from gemeentedelers.devtools.localcloud.cloud import read_state

    if not STATE_FILE.exists():
        raise click.ClickException("no local cloud is running ('gemeentedelers demo --keep' plays an edition and "
                                   "leaves it running)")
    state = read_state(STATE_FILE)
    if maildir is not None and not (maildir / "new").is_dir():
        raise click.ClickException(f"{maildir} is not a Maildir (it has no 'new' folder)")
    hosts = [url for name, url in state["functions"].items() if name.endswith("-http")]
    try:
        report = check_maildir(maildir or Path(state["smtp"]["maildir"]), hosts, echo=click.echo)
    except BrowserMissing as problem:
        raise click.ClickException(str(problem)) from None
    for line in report.lines():
        click.echo(line)
    if not report.ok:
        raise SystemExit(1)


@dev.command("screenshots")
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=PROJECT_ROOT / "docs" / "screenshots",
              show_default=True, help="Folder to write the PNGs to.")
@click.option("--organiser", default="marieke.jansen@vng.example.org", show_default=True,
              help="The organiser whose console is shown (the demo's coordinator by default).")
def dev_screenshots(out: Path, organiser: str) -> None:
    """PNGs of each role's main page at phone size (390x844: entrant team, scorer, assessor with case and ballot,
    juror) and of the organisers' console at desktop size (1366x900), from the running local cloud after
    `gemeentedelers demo --keep`, in headless Chromium."""
    from gemeentedelers.devtools.browser import BrowserMissing
    from gemeentedelers.devtools.localcloud.cloud import LocalCloud, read_state
    from gemeentedelers.devtools.localcloud.smtp import read_mailbox
    from gemeentedelers.devtools.screenshots import take
    from gemeentedelers.people import organisers
    from gemeentedelers.platform.firestore import db

    if not STATE_FILE.exists():
        raise click.ClickException("no local cloud is running ('gemeentedelers demo --keep' plays an edition and "
                                   "leaves it running)")
    state = read_state(STATE_FILE)
    LocalCloud(state=state).use_in_this_process()
    found = organisers.find(db(), organiser)
    if found is None:
        raise click.ClickException(f"{organiser} is not an organiser of this local cloud")
    mails = read_mailbox(Path(state["smtp"]["maildir"]))
    hosts = [url for name, url in state["functions"].items() if name.endswith("-http")]
    try:
        written = take(mails, hosts, organisers.sign_in_link(found), out, echo=click.echo)
    except BrowserMissing as problem:
        raise click.ClickException(str(problem)) from None
    click.echo(f"{len(written)} screenshots in {out}")

"""What every command shares: finding the local cloud, reading moments, the active edition, refusals as messages.

Command modules import this module, never the ``gemeentedelers`` group itself, so there is no import circle
between the group (``cli/__init__.py``) and its commands.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from gemeentedelers.devtools.localcloud.cloud import PROJECT_ROOT

STATE_FILE = PROJECT_ROOT / ".local" / "cloud.json"


def parse_when(value: str) -> datetime:
    """An ISO date or date-time; Amsterdam time when no zone is given."""
    from gemeentedelers.web.i18n import parse_moment

    try:
        return parse_moment(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO date such as 2023-11-15 or 2023-11-15T09:00") from None


def connect(state_file: Path = STATE_FILE) -> None:
    """Point this process at the running local cloud (or the environment's emulators)."""
    from gemeentedelers.devtools.localcloud.cloud import read_state
    from gemeentedelers.platform import settings

    if not os.environ.get("FIRESTORE_EMULATOR_HOST") and state_file.exists():
        state = read_state(state_file)
        os.environ.update(
            {
                "GOOGLE_CLOUD_PROJECT": state["project"],
                "FIRESTORE_EMULATOR_HOST": state["firestore_emulator_host"],
                "PUBSUB_EMULATOR_HOST": state["pubsub_emulator_host"],
            }
        )
    os.environ.setdefault("GOOGLE_CLOUD_PROJECT", settings.DEFAULT_PROJECT)
    settings.reset_cache()
    try:
        settings.current()
    except settings.UnsafeEnvironment as problem:
        raise click.ClickException(f"{problem}") from None


def active_edition() -> Any:
    from gemeentedelers.editions.active import NoActiveEdition, read_active
    from gemeentedelers.platform.firestore import db

    connect()
    try:
        return read_active(db()).edition
    except NoActiveEdition as problem:
        raise click.ClickException(str(problem)) from None


def organiser_call(action: Callable[[], Any]) -> Any:
    from gemeentedelers.scoring.assignment import InfeasiblePlanError
    from gemeentedelers.scoring.rounds import RoundNotOpen

    try:
        return action()
    except (InfeasiblePlanError, RoundNotOpen, LookupError, ValueError) as problem:
        detail = f" ({problem.__cause__})" if isinstance(problem.__cause__, InfeasiblePlanError) else ""
        raise click.ClickException(f"{problem}{detail}") from None


def as_option(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--as E``: the named organiser a command acts as (also ``GD_ORGANISER``); checked by :func:`acting`."""
    return click.option("--as", "as_email", metavar="E", envvar="GD_ORGANISER", required=True,
                        help="The e-mail address of the organiser acting (or set GD_ORGANISER).")(command)


def acting(email: str, permission: str = "run") -> str:
    """The audit actor of the organiser ``email`` acting with ``permission``; an unknown or revoked organiser, or a
    role that may not, ends the command with a message and exit code 1."""
    from gemeentedelers.people import organisers
    from gemeentedelers.platform import audit
    from gemeentedelers.platform.firestore import db

    connect()
    try:
        found = organisers.acting(db(), email, permission)
    except organisers.OrganiserRefused as problem:
        raise click.ClickException(str(problem)) from None
    return audit.organiser(found["email"])

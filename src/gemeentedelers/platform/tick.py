"""Time-driven work: a tick every few minutes, and the jobs each service checks when it arrives.

Cloud Scheduler (production) or the local cloud's ticker publishes the same constant message to ``gd-tick``
every few minutes; ``gemeentedelers tick`` publishes one by hand. Every subscribed service runs its due jobs:
each reads the competition clock and Firestore, does what is due now and nothing else, and is idempotent, so a
late, repeated or forged tick changes nothing that was not due anyway. No credential is involved: a tick grants
nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from gemeentedelers.platform import settings
from gemeentedelers.platform.events import SCHEMA_VERSION, TICK_TOPIC

log = logging.getLogger(__name__)

TICK_BODY = json.dumps({"event_type": "tick", "schema_version": SCHEMA_VERSION}).encode()
"""The tick's fixed message (Cloud Scheduler's Pub/Sub target sends constant data)."""
TICK_ATTRIBUTES = {"event_type": "tick", "schema_version": str(SCHEMA_VERSION)}


@dataclass(frozen=True)
class DueJob:
    """One thing a service checks on every tick: ``run`` returns a short word on what it did (for the log)."""

    name: str
    run: Callable[[], str]


class DueWorkFailed(RuntimeError):
    """At least one due job failed; the tick is retried (every job is idempotent)."""


def run_due(service: str, jobs: Sequence[DueJob]) -> dict[str, str]:
    """Run every job, each on its own: one failing does not keep the others from their turn."""
    done: dict[str, str] = {}
    failed: list[str] = []
    for job in jobs:
        try:
            done[job.name] = job.run()
        except Exception:
            log.exception("%s: due job %r failed", service, job.name)
            failed.append(job.name)
    log.info("%s tick: %s", service, ", ".join(f"{name}: {what}" for name, what in done.items()) or "nothing to do")
    if failed:
        raise DueWorkFailed(f"{service}: due jobs failed: {', '.join(failed)}")
    return done


def publish_tick() -> str:
    """Publish one tick, as the scheduler does; returns Pub/Sub's message id once confirmed."""
    from gemeentedelers.platform.bus import PUBLISH_TIMEOUT_S, _client

    publisher = _client()
    future = publisher.publish(publisher.topic_path(settings.current().project, TICK_TOPIC), TICK_BODY,
                               **TICK_ATTRIBUTES)
    return str(future.result(timeout=PUBLISH_TIMEOUT_S))

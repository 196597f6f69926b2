"""Write what the Terraform takes from the code: ``python infra/catalogue.py`` (``--check`` only compares).

``infra/catalogue.auto.tfvars.json`` (committed; Terraform reads ``*.auto.tfvars.json`` by itself) holds the
event catalogue (topics, their publishers and subscribers, ack deadlines), which functions exist, the tick's
constant message, the dead-letter wiring, which secret each service reads and the Firestore TTL policies. All of
it follows from the code: publishers and secret readers from what each function's modules import and publish
(``closure.py``; the outbox's sweeper may publish on every topic), the rest from ``gemeentedelers.platform``. A
unit test regenerates the file and compares, so a new topic, subscriber, publisher or secret cannot be forgotten
in the deployment.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))  # closure.py, run as a file like this one

import closure

from gemeentedelers.platform import retention
from gemeentedelers.platform.events import (
    CATALOGUE,
    DEAD_LETTER_KEEPER,
    DEAD_LETTER_TOPIC,
    MAX_DELIVERY_ATTEMPTS,
    SCHEDULER,
    SERVICES,
    subscription_id,
    subscriptions_of,
)
from gemeentedelers.platform.settings import PROVIDER_SECRET_VARS
from gemeentedelers.platform.tick import TICK_ATTRIBUTES, TICK_BODY

OUT = Path(__file__).with_name("catalogue.auto.tfvars.json")
DEAD_LETTER_ACK_DEADLINE_S = 60
OUTBOX = "gemeentedelers.platform.outbox"
SECRETS: dict[str, tuple[str, str, str]] = {
    "gd-link-secret": ("GD_LINK_SECRET", "gemeentedelers.web.links", "link_secret"),
    "gd-oidc-client-secret": ("GD_OIDC_CLIENT_SECRET", "gemeentedelers.console.oidc", "oidc_client_secret"),
    "gd-smtp-password": ("GD_SMTP_PASSWORD", "gemeentedelers.notify.mailer", "smtp_password"),
    **{f"gd-webhook-{provider}": (variable, "gemeentedelers.intake.service", "secret_for")
       for provider, variable in PROVIDER_SECRET_VARS.items()},
}
"""``{secret: (environment variable, the module that reads it, the setting it reads)}``: a service may read a
secret when its code can run a function of that module that reads the setting (``settings.current().<setting>``);
reaching the module for another of its functions is not enough (the intake takes ``links.public_url`` for the
databank's pages, and never signs a link). A test checks that no other module reads the setting."""


def reads(found: closure.Closure, module: str, setting: str) -> bool:
    """Whether code ``found`` can run reads ``setting`` in ``module`` (in a function or at module level)."""
    import ast

    path = closure.source_of(module)
    if path not in found.files:
        return False
    readers = set()
    for statement in ast.parse(path.read_bytes()).body:
        if any(isinstance(node, ast.Attribute) and node.attr == setting for node in ast.walk(statement)):
            is_top = isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            readers.add(statement.name if is_top else "")
    return found.runs(path, readers)


def reached() -> dict[str, closure.Closure]:
    """What each function's code reaches, with every code rule and edition written in code it can load."""
    loaded = closure.all_entry_points()
    return {service: closure.of_service(service, loaded) for service in SERVICES}


def sweepers(closures: dict[str, closure.Closure]) -> set[str]:
    """The services whose code runs the outbox's sweeper (``outbox.sweep``, notify's due job on the tick).

    The sweeper publishes whatever event a writer staged and could not publish (a registration, a decision, the
    announcement, their feedback, reminders), read from Firestore: no event type is written in its code, so
    what it may publish cannot be read from the imports. It may publish to every topic but the scheduler's;
    consumers act on stored state only, never on an event's word, so a topic-level grant trusts nothing more."""
    return {
        service for service, found in closures.items()
        if any(closure.imports_of(path).uses.get(OUTBOX, frozenset()) & {"sweep", closure.ALL}
               for path in found.files)
    }


def build() -> dict[str, Any]:
    """The variables, as Terraform reads them (sorted, so the file only changes when the code does)."""
    closures = reached()
    sweeping = sweepers(closures)
    topics = {}
    for topic in CATALOGUE:
        declared = set() if topic.publisher == SCHEDULER else {topic.publisher} | sweeping
        publishers = declared | {s for s, found in closures.items() if topic.event_type in found.publishes}
        topics[topic.topic] = {
            "event_type": topic.event_type,
            "publishers": sorted(publishers),
            "scheduler_publishes": topic.publisher == SCHEDULER,
            "public": topic.public,
        }
    subscriptions = {
        subscription_id(service, topic): {
            "topic": topic.topic,
            "service": service,
            "ack_deadline_seconds": topic.ack_deadline_s,
        }
        for topic in CATALOGUE for service in topic.subscribers
    }
    event_services = sorted({s for s in SERVICES if subscriptions_of(s)} | {DEAD_LETTER_KEEPER})
    return {
        "services": sorted(SERVICES),
        "event_services": event_services,
        "topics": dict(sorted(topics.items())),
        "subscriptions": dict(sorted(subscriptions.items())),
        "dead_letter": {
            "topic": DEAD_LETTER_TOPIC,
            "keeper": DEAD_LETTER_KEEPER,
            "subscription": f"{DEAD_LETTER_KEEPER}--{DEAD_LETTER_TOPIC}",
            "max_delivery_attempts": MAX_DELIVERY_ATTEMPTS,
            "ack_deadline_seconds": DEAD_LETTER_ACK_DEADLINE_S,
        },
        "tick": {
            "topic": next(t.topic for t in CATALOGUE if t.publisher == SCHEDULER),
            "data": TICK_BODY.decode(),
            "attributes": dict(sorted(TICK_ATTRIBUTES.items())),
        },
        "secrets": {
            secret: {"env": variable, "readers": sorted(s for s in SERVICES if reads(closures[s], reader, setting))}
            for secret, (variable, reader, setting) in sorted(SECRETS.items())
        },
        "ttl_collections": {group: days for group, days in sorted(retention.TTL_DAYS.items())},
        "ttl_field": retention.EXPIRES_AT,
    }


def render() -> str:
    return json.dumps({"catalogue": build()}, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the committed file is current")
    args = parser.parse_args(argv)
    text = render()
    if args.check:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT.name} is out of date: run python infra/catalogue.py", file=sys.stderr)
            return 1
        print(f"{OUT.name} is current")
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(OUT)
    return 0


if __name__ == "__main__":
    sys.exit(main())

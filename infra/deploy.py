"""Write the gcloud commands that deploy GemeenteDelers: ``python infra/deploy.py [--out build/deploy.sh]``.

The commands are generated from the event catalogue (``gemeentedelers.platform.events``) so that a new topic or a new
subscriber cannot be forgotten in production, and they are only written, never run, by this tool: an operator
reads the script and runs it with ``PROJECT`` exported. No project id is written into it (``$PROJECT`` is
required at run time and a ``demo-*`` id, the local emulators' kind, is refused), so the script cannot
deploy to a project by accident. Every step can be re-run: it creates what is missing and updates the rest.
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gemeentedelers.platform.events import (
    CATALOGUE,
    DEAD_LETTER_TOPIC,
    MAX_DELIVERY_ATTEMPTS,
    SERVICES,
    Topic,
    subscription_id,
    subscriptions_of,
)
from gemeentedelers.platform.settings import PROVIDER_SECRET_VARS

RUNTIME = "python311"
DEFAULT_REGION = "europe-west4"  # the Netherlands, where the municipalities and their data are
DEFAULT_FIRESTORE_LOCATION = "eur3"  # multi-region Europe
RUNTIME_ACCOUNT = "gd-functions"
# Reached by people or tools without a Google identity: the form tools' webhooks (intake) and the scorers' and
# organisers' pages (scoring), which check signed links and the organiser token themselves. The other HTTP
# functions serve only /healthz and /contract and stay behind IAM until they serve people.
PUBLIC_HTTP = frozenset({"intake", "scoring"})
# The services that send mail and so need the SMTP relay's settings and password.
MAIL_SERVICES = frozenset({"notify"})
WEBHOOK_SECRETS = {var: f"gd-webhook-{provider}" for provider, var in PROVIDER_SECRET_VARS.items()}
SMTP_PASSWORD_SECRET = "gd-smtp-password"
# Given to every function, as the local cloud does: personal links are made by one service and checked by another.
SHARED_SECRETS = {"GD_LINK_SECRET": "gd-link-secret"}
# The services with organiser pages (the console): OpenID Connect sign-in, off while GD_OIDC_ISSUER is empty.
ORGANISER_SERVICES = frozenset({"scoring", "assessment", "jury"})
OIDC_SECRET = "gd-oidc-client-secret"
RUNTIME_ROLES = (
    "roles/datastore.user",  # Firestore
    "roles/pubsub.publisher",  # bus.publish
    "roles/run.invoker",  # as the event triggers' identity: push to the event functions
    "roles/eventarc.eventReceiver",  # as the event triggers' identity: receive the events
)
APIS = (
    "artifactregistry", "cloudbuild", "cloudfunctions", "cloudscheduler", "eventarc", "firestore", "pubsub",
    "run", "secretmanager",
)
INDEXES_FILE = Path(__file__).with_name("firestore.indexes.json")
REQUIRED_VARS = {
    "PROJECT": "the Google Cloud project id",
    "GD_SMTP_HOST": "the SMTP relay notify sends through",
    "GD_SMTP_USER": "the user name at the relay",
    "GD_MAIL_FROM": "the sender, an address the relay may send for",
}


@dataclass(frozen=True)
class Function:
    """One deployed Cloud Function: a service's HTTP function, or its event function for one topic."""

    service: str
    topic: Topic | None = None

    @property
    def name(self) -> str:
        if self.topic is None:
            return f"{self.service}-http"
        return f"{self.service}-events-{self.topic.topic.removeprefix('gd-')}"

    @property
    def entry_point(self) -> str:
        return f"{self.service}_http" if self.topic is None else f"{self.service}_events"


def http_functions() -> list[Function]:
    return [Function(service) for service in SERVICES]


def event_functions() -> list[Function]:
    """One function per (service, topic): Pub/Sub triggers take one topic each, so a service's event entry
    point is deployed once for every topic it subscribes to."""
    return [Function(service, topic) for service in SERVICES for topic in subscriptions_of(service)]


def quote(value: str) -> str:
    """Shell-quote ``value`` but let ``$VARIABLES`` expand: double quotes if it holds one, else shlex."""
    if "$" in value:
        if any(c in value for c in '"`\\'):
            raise ValueError(f"cannot double-quote {value!r}")
        return f'"{value}"'
    return shlex.quote(value)


def command(*words: str, **flags: str | bool) -> str:
    """A gcloud command, one flag a line; ``flag_name=value`` becomes ``--flag-name=<quoted value>``."""
    parts = [" ".join(words)]
    for key, value in flags.items():
        flag = "--" + key.rstrip("_").replace("_", "-")
        parts.append(flag if value is True else f"{flag}={quote(str(value))}")
    return " \\\n    ".join(parts)


def env_vars(service: str) -> dict[str, str]:
    """The function's environment; values are shell expressions expanded when the script runs.

    GD_EDITION is set only if exported (see ``set_env_vars``): unset, the edition comes from Firestore.
    """
    env = {"GOOGLE_CLOUD_PROJECT": "${PROJECT}", "GD_PRIVACY_CONTACT": "${GD_PRIVACY_CONTACT:-privacy@vng.nl}"}
    # Links in mails and pages point at the HTTP functions. Cloud Run's deterministic URL is known before the
    # first deploy; export GD_PUBLIC_URL_<SERVICE> to use a custom domain instead.
    env |= {
        f"GD_PUBLIC_URL_{other.upper()}": f"${{GD_PUBLIC_URL_{other.upper()}:-{run_url(Function(other).name)}}}"
        for other in SERVICES
    }
    if service in ORGANISER_SERVICES:
        env |= {var: f"${{{var}:-}}" for var in ("GD_OIDC_ISSUER", "GD_OIDC_CLIENT_ID", "GD_OIDC_NAME")}
    if service in MAIL_SERVICES:
        env |= {
            "GD_SMTP_HOST": "${GD_SMTP_HOST}",
            "GD_SMTP_PORT": "${GD_SMTP_PORT:-587}",
            "GD_SMTP_USER": "${GD_SMTP_USER}",
            "GD_SMTP_STARTTLS": "${GD_SMTP_STARTTLS:-1}",
            "GD_MAIL_FROM": "${GD_MAIL_FROM}",
            "GD_MAIL_REPLY_TO": "${GD_MAIL_REPLY_TO:-GemeenteDelers <gemeentedelers@vng.nl>}",
            "GD_MAIL_DOMAIN": "${GD_MAIL_DOMAIN:-gemeentedelers.nl}",
        }
    return env


def set_env_vars(service: str) -> str:
    """``--set-env-vars``' value: ``^;^`` makes ; the separator so GD_MAIL_FROM may hold commas, and
    GD_EDITION is added only when the operator exported it."""
    pairs = ";".join(f"{key}={value}" for key, value in env_vars(service).items())
    return f"^;^{pairs}${{GD_EDITION:+;GD_EDITION=$GD_EDITION}}"


def run_url(function_name: str) -> str:
    """The deterministic ``run.app`` address of a 2nd gen function (a Cloud Run service of the same name)."""
    return f"https://{function_name}-${{PROJECT_NUMBER}}.${{REGION}}.run.app"


def secrets(service: str) -> dict[str, str]:
    """``{environment variable: Secret Manager secret}``, mounted as environment variables at start."""
    found = dict(SHARED_SECRETS)
    if service == "intake":
        found |= WEBHOOK_SECRETS
    if service in MAIL_SERVICES:
        found["GD_SMTP_PASSWORD"] = SMTP_PASSWORD_SECRET
    if service in ORGANISER_SERVICES:
        found["GD_OIDC_CLIENT_SECRET"] = OIDC_SECRET
    return found


def all_secrets() -> list[str]:
    return sorted({secret for service in SERVICES for secret in secrets(service).values()})


def deploy(function: Function) -> str:
    service = function.service
    env = set_env_vars(service)
    flags: dict[str, str | bool] = {
        "gen2": True,
        "runtime": RUNTIME,
        "region": "$REGION",
        "project": "$PROJECT",
        "source": f"$SOURCE_ROOT/{service}",
        "entry_point": function.entry_point,
        "service_account": "$RUNTIME_SA",
        "set_env_vars": env,
        "update_labels": f"gd-service={service}",
    }
    if secrets(service):
        flags["set_secrets"] = ",".join(f"{var}={secret}:latest" for var, secret in secrets(service).items())
    if function.topic is None:
        flags["trigger_http"] = True
        flags["allow_unauthenticated" if service in PUBLIC_HTTP else "no_allow_unauthenticated"] = True
    else:
        flags |= {"trigger_topic": function.topic.topic, "trigger_service_account": "$RUNTIME_SA", "retry": True}
    return command("gcloud functions deploy", function.name, **flags)


def dead_letter(function: Function) -> list[str]:
    """Attach the dead-letter topic to the subscription Eventarc made for an event function."""
    assert function.topic is not None
    return [
        f"# {subscription_id(function.service, function.topic)}: {function.entry_point} on {function.topic.topic}",
        "trigger=\"$(" + command(
            "gcloud functions describe", function.name, gen2=True, region="$REGION", project="$PROJECT",
            format="value(eventTrigger.trigger)") + ')"',
        "subscription=\"$(" + command(
            "gcloud eventarc triggers describe", '"${trigger##*/}"', location="$REGION", project="$PROJECT",
            format="value(transport.pubsub.subscription)") + ')"',
        command("gcloud pubsub subscriptions update", '"$subscription"', project="$PROJECT",
                dead_letter_topic=DEAD_LETTER_TOPIC, max_delivery_attempts=str(MAX_DELIVERY_ATTEMPTS),
                min_retry_delay="10s", max_retry_delay="600s"),
        command("gcloud pubsub subscriptions add-iam-policy-binding", '"$subscription"', project="$PROJECT",
                member="serviceAccount:$PUBSUB_AGENT", role="roles/pubsub.subscriber"),
    ]


def _index_field(field: dict[str, Any]) -> str:
    if "order" in field:
        return f"field-path={field['fieldPath']},order={field['order'].lower()}"
    if "arrayConfig" in field:
        return f"field-path={field['fieldPath']},array-config={field['arrayConfig'].lower()}"
    raise ValueError(f"unsupported index field {field}")


def _scope(value: str) -> str:
    return value.lower().replace("_", "-")


def index_commands(indexes: dict[str, Any]) -> list[str]:
    """gcloud commands for a Firebase-format ``firestore.indexes.json``, so no second CLI is needed.

    An existing index answers ALREADY_EXISTS; that is expected on every run after the first.
    """
    lines = []
    for index in indexes.get("indexes", []):
        fields = " ".join(f"--field-config={quote(_index_field(f))}" for f in index["fields"])
        lines.append(command(
            "gcloud firestore indexes composite create", fields, collection_group=index["collectionGroup"],
            query_scope=_scope(index.get("queryScope", "COLLECTION")), project="$PROJECT", async_=True,
        ) + " \\\n    || echo 'index exists'")
    for override in indexes.get("fieldOverrides", []):
        group, path = override["collectionGroup"], override["fieldPath"]
        if "indexes" in override:
            configs = [
                f"{'order=' + i['order'].lower() if 'order' in i else 'array-config=' + i['arrayConfig'].lower()}"
                f",query-scope={_scope(i.get('queryScope', 'COLLECTION'))}"
                for i in override["indexes"]
            ]
            choice = " ".join(f"--index={quote(c)}" for c in configs) or "--disable-indexes"
            lines.append(command("gcloud firestore indexes fields update", quote(path), choice,
                                 collection_group=group, project="$PROJECT", async_=True))
        if override.get("ttl"):
            lines.append(command("gcloud firestore fields ttls update", quote(path), collection_group=group,
                                 enable_ttl=True, project="$PROJECT", async_=True))
    return lines


def _section(title: str, lines: Iterable[str]) -> str:
    return f"\n# --- {title} " + "-" * max(0, 100 - len(title)) + "\n" + "\n".join(lines) + "\n"


def _ensure(describe: str, create: str) -> str:
    return f"{describe} >/dev/null 2>&1 || \\\n  {create}"


def script(indexes: dict[str, Any] | None = None) -> str:
    """The whole deployment as a bash script."""
    if indexes is None:
        indexes = json.loads(INDEXES_FILE.read_text(encoding="utf-8"))
    sa = "$RUNTIME_SA"
    header = [
        "#!/usr/bin/env bash",
        "# Deploys GemeenteDelers to Google Cloud. Written by infra/deploy.py from the event catalogue",
        "# (src/gemeentedelers/platform/events.py): regenerate it, do not edit it. infra/README.md explains each step.",
        "#",
        "# Needs the bundles (python infra/bundle.py --out build/functions), the secrets in Secret Manager and:",
        *(f"#   {var:<14} {why}" for var, why in REQUIRED_VARS.items()),
        f"# Optional: REGION ({DEFAULT_REGION}), FIRESTORE_LOCATION ({DEFAULT_FIRESTORE_LOCATION}), "
        "SOURCE_ROOT (build/functions),",
        "#   GD_SMTP_PORT (587), GD_SMTP_STARTTLS (1), GD_EDITION (pins the edition; default: config/active),",
        "#   GD_PUBLIC_URL_<SERVICE> (a custom domain; default: the function's deterministic run.app address),",
        "#   GD_OIDC_ISSUER, GD_OIDC_CLIENT_ID, GD_OIDC_NAME (organisers' OpenID Connect sign-in; off when empty)",
        "set -euo pipefail",
        *(f': "${{{var}:?set {var}: {why}}}"' for var, why in REQUIRED_VARS.items()),
        'case "$PROJECT" in demo-*) echo "deploy: $PROJECT is a local emulator project id" >&2; exit 1;; esac',
        f'REGION="${{REGION:-{DEFAULT_REGION}}}"',
        f'FIRESTORE_LOCATION="${{FIRESTORE_LOCATION:-{DEFAULT_FIRESTORE_LOCATION}}}"',
        'SOURCE_ROOT="${SOURCE_ROOT:-build/functions}"',
        f'RUNTIME_SA="{RUNTIME_ACCOUNT}@${{PROJECT}}.iam.gserviceaccount.com"',
        "export CLOUDSDK_CORE_DISABLE_PROMPTS=1",
        *(f'test -f "$SOURCE_ROOT/{s}/main.py" || {{ echo "deploy: no bundle $SOURCE_ROOT/{s}; '
          'run python infra/bundle.py first" >&2; exit 1; }' for s in SERVICES),
    ]
    parts = ["\n".join(header) + "\n"]
    parts.append(_section("APIs", [command(
        "gcloud services enable", *(f"{api}.googleapis.com" for api in APIS), project="$PROJECT")]))
    parts.append(_section("Identities", [
        'PROJECT_NUMBER="$(gcloud projects describe "$PROJECT" --format=\'value(projectNumber)\')"',
        "# Pub/Sub's own service agent forwards undeliverable messages to the dead-letter topic.",
        'PUBSUB_AGENT="service-${PROJECT_NUMBER}@gcp-sa-pubsub.iam.gserviceaccount.com"',
        "# One runtime identity for all functions, with only the roles they use.",
        _ensure(command("gcloud iam service-accounts describe", quote(sa), project="$PROJECT"),
                command("gcloud iam service-accounts create", RUNTIME_ACCOUNT, project="$PROJECT",
                        display_name="GemeenteDelers functions")),
        *(command("gcloud projects add-iam-policy-binding", '"$PROJECT"', member=f"serviceAccount:{sa}",
                  role=role, condition="None") + " >/dev/null" for role in RUNTIME_ROLES),
    ]))
    parts.append(_section("Secrets (created by an operator beforehand, see infra/README.md)", [
        line for secret in all_secrets() for line in (
            command("gcloud secrets describe", secret, project="$PROJECT")
            + f" >/dev/null || {{ echo \"deploy: create the secret {secret} first\" >&2; exit 1; }}",
            command("gcloud secrets add-iam-policy-binding", secret, project="$PROJECT",
                    member=f"serviceAccount:{sa}", role="roles/secretmanager.secretAccessor") + " >/dev/null",
        )
    ]))
    topics = [t.topic for t in CATALOGUE] + [DEAD_LETTER_TOPIC]
    hold = f"{DEAD_LETTER_TOPIC}--hold"
    parts.append(_section("Topics", [
        *(_ensure(command("gcloud pubsub topics describe", topic, project="$PROJECT"),
                  command("gcloud pubsub topics create", topic, project="$PROJECT")) for topic in topics),
        "# Messages published to a topic without subscriptions are lost: this one keeps dead letters for a week.",
        _ensure(command("gcloud pubsub subscriptions describe", hold, project="$PROJECT"),
                command("gcloud pubsub subscriptions create", hold, topic=DEAD_LETTER_TOPIC,
                        message_retention_duration="7d", expiration_period="never", project="$PROJECT")),
        command("gcloud pubsub topics add-iam-policy-binding", DEAD_LETTER_TOPIC, project="$PROJECT",
                member="serviceAccount:$PUBSUB_AGENT", role="roles/pubsub.publisher") + " >/dev/null",
    ]))
    parts.append(_section("Firestore", [
        _ensure(command("gcloud firestore databases describe", database="(default)", project="$PROJECT"),
                command("gcloud firestore databases create", location="$FIRESTORE_LOCATION",
                        type="firestore-native", project="$PROJECT")),
        "# Indexes from infra/firestore.indexes.json.",
        *index_commands(indexes),
    ]))
    parts.append(_section("HTTP functions", [deploy(f) for f in http_functions()]))
    parts.append(_section("Event functions: one per (service, subscribed topic)", [
        f"# {subscription_id(f.service, f.topic)}\n{deploy(f)}" for f in event_functions() if f.topic is not None
    ]))
    parts.append(_section("Dead letters", [
        "# Each event function's push subscription is created and named by Eventarc",
        "# (eventarc-<region>-<trigger>-sub-<n>), not by us: find it through the function's trigger with",
        "# gcloud eventarc triggers describe, then attach the dead-letter topic. This runs after every deploy",
        "# because a redeployed function may get a new trigger and so a new subscription.",
        *(line for f in event_functions() for line in dead_letter(f)),
    ]))
    parts.append('\necho "deployed GemeenteDelers to $PROJECT ($REGION)"\n')
    return "".join(parts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write the script here (default: print it)")
    args = parser.parse_args(argv)
    text = script()
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text, encoding="utf-8")
        args.out.chmod(0o755)
    return 0


if __name__ == "__main__":
    sys.exit(main())

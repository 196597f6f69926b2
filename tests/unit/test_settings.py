"""The environment guard: local runs never reach real Google Cloud."""

from __future__ import annotations

import pytest

from gemeentedelers.platform.settings import UnsafeEnvironment, load

EMULATORS = {"FIRESTORE_EMULATOR_HOST": "127.0.0.1:1", "PUBSUB_EMULATOR_HOST": "127.0.0.1:2"}


def test_a_demo_project_with_emulators_loads() -> None:
    settings = load({"GOOGLE_CLOUD_PROJECT": "demo-x", **EMULATORS, "GD_WEBHOOK_SECRET_TALLY": "s"})
    assert settings.is_local and settings.secret_for("tally") == "s" and settings.secret_for("typeform") is None


@pytest.mark.parametrize("missing", sorted(EMULATORS))
def test_a_demo_project_without_an_emulator_host_is_refused(missing: str) -> None:
    env = {"GOOGLE_CLOUD_PROJECT": "demo-x", **EMULATORS}
    del env[missing]
    with pytest.raises(UnsafeEnvironment, match=missing):
        load(env)


def test_emulators_with_a_real_project_are_refused() -> None:
    with pytest.raises(UnsafeEnvironment, match="not a demo"):
        load({"GOOGLE_CLOUD_PROJECT": "vng-prod", **EMULATORS})


def test_no_project_is_refused() -> None:
    with pytest.raises(UnsafeEnvironment, match="GOOGLE_CLOUD_PROJECT"):
        load({})


def test_secrets_do_not_show_in_repr() -> None:
    settings = load({"GOOGLE_CLOUD_PROJECT": "demo-x", **EMULATORS, "GD_WEBHOOK_SECRET_TALLY": "hunter2"})
    assert "hunter2" not in repr(settings)

"""Editions as data on the running local cloud: export, change, publish and activate while the functions run.

The functions are never restarted: the same processes (their PIDs checked before and after) serve the new
version within seconds, through their few-seconds check of ``config/active``.
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result
from cloudtest import Intake, wait_for

from gemeentedelers.cli import main
from gemeentedelers.devtools.localcloud.cloud import LocalCloud
from gemeentedelers.editions import versions
from gemeentedelers.platform import audit, layout
from gemeentedelers.platform.firestore import db
from gemeentedelers.scoring import rounds

REGISTRATION: dict[str, Any] = {
    "municipality": "Westerkwartier", "co_applicants": [], "contact_name": "Erwin van der Maesen",
    "contact_email": "erwin@westerkwartier.example.org", "title": "Samen sterk in de regio",
    "description": "Gemeenten in de regio delen één loket voor ondernemers, met meetbaar kortere doorlooptijden.",
    "category": "Regionaal", "consent": True,
}


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def exported(key: str = "gd2024", *version: str) -> dict[str, Any]:
    result = cli("edition", "export", key, *version)
    assert result.exit_code == 0, result.output
    return dict(yaml.safe_load(result.output))


def write(tmp_path: Path, spec: dict[str, Any], name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(spec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def function_pids(cloud: LocalCloud) -> dict[str, int]:
    pids = {name: pid for name, pid in cloud.state["pids"].items() if name.endswith(("-http", "-events"))}
    for pid in pids.values():
        os.kill(pid, 0)  # raises if the process is gone
    return pids


def served(cloud: LocalCloud, function: str = "intake-http") -> dict[str, Any]:
    import requests

    return dict(requests.get(cloud.url(function) + "/edition", timeout=10).json())


def test_a_new_category_and_a_renamed_criterion_go_live_without_a_restart(
    intake: Intake, fresh: LocalCloud, tmp_path: Path
) -> None:
    before = function_pids(fresh)
    spec = exported()
    assert "extends" not in spec and spec["key"] == "gd2024"
    assert intake.post("typeform", REGISTRATION).status_code == 422  # no such category yet
    spec["categories"].append({"key": "regionaal", "label": {"nl": "Regionaal", "en": "Regional"},
                               "description": {"nl": "Samen met andere gemeenten in de regio.",
                                               "en": "Together with other municipalities in the region."}})
    spec["criteria"]["round1"][0]["label"] = {"nl": "Aantoonbaar succesvol", "en": "Demonstrably successful"}

    published = cli("edition", "publish", str(write(tmp_path, spec)))
    assert published.exit_code == 0, published.output
    key, word, number, digest = published.output.split()[:4]
    assert (key, word, number) == ("gd2024", "version", "2") and digest.startswith("sha256:")
    again = cli("edition", "publish", str(write(tmp_path, exported("gd2024", "--version", "1"), "same.yaml")))
    assert "version 1" in again.output and "identical: nothing stored" in again.output

    activated = cli("edition", "activate", "gd2024")
    assert activated.exit_code == 0 and f"gd2024 version 2 {digest} is active." in activated.output
    started = time.monotonic()
    answer = wait_for(lambda: (lambda a: a if a.status_code == 201 else None)(intake.post("typeform", REGISTRATION)),
                      timeout_s=30, what="the running intake to accept the new category")
    went_live = time.monotonic() - started
    assert answer.json()["edition"] == "gd2024" and went_live < 10
    [record] = [d.to_dict() for d in layout.submissions(db(), "gd2024").stream()]
    assert record["category"] == "regionaal"
    scoring = wait_for(lambda: (lambda s: s if s.get("version") == 2 else None)(served(fresh, "scoring-http")),
                       what="scoring to serve version 2")
    assert scoring["hash"] == digest
    assert function_pids(fresh) == before  # the same processes, never restarted
    assert exported()["criteria"]["round1"][0]["label"]["nl"] == "Aantoonbaar succesvol"
    assert [v["version"] for v in versions.listing(db(), "gd2024")] == [1, 2]


def test_an_invalid_spec_is_refused_field_by_field_and_nothing_is_stored(fresh: LocalCloud, tmp_path: Path) -> None:
    spec = exported()
    spec["categories"][1]["label"] = {"en": "Indirect"}
    spec["timeline"]["round1_decided"] = "2023-10-01T12:00"
    spec["criteria"]["round2"][0]["weight"] = -1
    result = cli("edition", "publish", str(write(tmp_path, spec)))
    assert result.exit_code == 1
    assert "categories[1].label.nl: Missing data for required field." in result.output
    assert "timeline.round1_decided: Must not be before registration_closes." in result.output
    assert "criteria.round2[0].weight: Must be greater than 0." in result.output
    assert "nothing was stored" in result.output
    assert [v["version"] for v in versions.listing(db(), "gd2024")] == [1]
    broken = tmp_path / "broken.yaml"
    broken.write_text("key: [unclosed\n", encoding="utf-8")
    assert cli("edition", "publish", str(broken)).exit_code == 1


def test_a_change_to_a_running_rounds_criteria_is_refused_then_forced_with_a_reason(
    fresh: LocalCloud, tmp_path: Path
) -> None:
    rounds.open_round(db(), "gd2024", 1, by="test")  # round 1 runs: scorers may be scoring on these criteria
    spec = exported()
    spec["criteria"]["round1"][2]["weight"] = 2.0
    assert cli("edition", "publish", str(write(tmp_path, spec))).exit_code == 0

    refused = cli("edition", "activate", "gd2024")
    assert refused.exit_code == 1
    assert "round 1 is open and the new version changes criteria_round1.herbruikbaar.weight" in refused.output
    assert "--force --reason" in refused.output
    assert (layout.active_config(db()).get().to_dict() or {})["version"] == 1
    assert cli("edition", "activate", "gd2024", "--force").exit_code != 0  # a reason is required

    forced = cli("edition", "activate", "gd2024", "--force", "--reason", "Herbruikbaarheid telt dubbel, besluit "
                 "bestuur 12 november")
    assert forced.exit_code == 0, forced.output
    assert "version 2" in forced.output and "forced" in forced.output
    stored = layout.active_config(db()).get().to_dict() or {}
    assert (stored["version"], stored["forced"]) == (2, True) and stored["reason"].startswith("Herbruikbaarheid")
    [entry] = [e for e in audit.entries(db(), edition="gd2024") if e["action"] == "edition.activated"
               and e["after"]["forced"]]
    assert entry["after"]["reason"].endswith("12 november") and entry["after"]["concerns"]
    wait_for(lambda: served(fresh, "scoring-http").get("version") == 2, what="scoring to serve version 2")

"""What Terraform takes from the code stays in step with it, and the derivations behind it are right."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

from gemeentedelers.platform.events import CATALOGUE

ROOT = Path(__file__).resolve().parents[3]


def test_the_committed_variables_are_what_the_code_says(catalogue: ModuleType) -> None:
    """A new topic, subscriber, publisher, secret reader or TTL changes the file: regenerate and commit it."""
    assert catalogue.OUT.read_text(encoding="utf-8") == catalogue.render(), "run: python infra/catalogue.py"


def test_check_mode_reports_a_stale_file(catalogue: ModuleType, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(catalogue, "OUT", tmp_path / "catalogue.auto.tfvars.json")
    assert catalogue.main(["--check"]) == 1
    assert catalogue.main([]) == 0
    assert catalogue.main(["--check"]) == 0


def test_publishers_are_the_services_whose_code_publishes_and_the_outbox_sweeper(catalogue: ModuleType) -> None:
    topics = catalogue.build()["topics"]
    assert catalogue.sweepers(catalogue.reached()) == {"notify"}  # outbox.sweep, on notify's tick
    assert topics["gd-submission-received"]["publishers"] == ["intake", "notify"]
    assert topics["gd-round-decided"]["publishers"] == ["assessment", "jury", "notify", "scoring"]
    assert topics["gd-feedback-ready"]["publishers"] == ["assessment", "jury", "notify", "scoring"]
    assert topics["gd-winners-announced"]["publishers"] == ["jury", "notify"]
    assert topics["gd-sponsor-delivery"]["publishers"] == ["notify"]
    for topic in ("gd-visit-confirmed", "gd-assessor-invited", "gd-assessor-added"):
        assert topics[topic]["publishers"] == ["assessment", "notify"], topic
    # a round's results are released on the tick or from the console (entries/release.py): team links go out
    assert topics["gd-team-invited"]["publishers"] == ["assessment", "jury", "notify", "scoring"]
    assert topics["gd-tick"] == {"event_type": "tick", "publishers": [], "scheduler_publishes": True,
                                 "public": False}


def test_what_a_function_publishes_follows_from_its_imports(catalogue: ModuleType) -> None:
    """notify imports assessment helpers (links, the .ics, round 2's state for reminders) but its code never
    publishes round 2's events; the console's ``assessors: int`` field does not make it use all of a module."""
    reached = catalogue.reached()
    for event_type in ("visit.confirmed", "assessor.invited", "assessor.added"):
        assert event_type not in reached["notify"].publishes, event_type
        assert event_type not in reached["scoring"].publishes, event_type
    assert reached["notify"].publishes >= {"sponsor.delivery"}
    assert reached["intake"].publishes == {"submission.received"}


def test_a_publish_in_an_unused_function_does_not_count(catalogue: ModuleType, tmp_path: Path) -> None:
    closure = catalogue.closure
    src = tmp_path / "gemeentedelers"
    (src / "platform").mkdir(parents=True)
    for init in (src / "__init__.py", src / "platform" / "__init__.py", src / "platform" / "bus.py"):
        init.write_text("")
    (src / "helpers.py").write_text(
        "from gemeentedelers.platform import bus\n"
        "def link():\n    return 'x'\n"
        "def announce():\n    _send()\n"
        "def _send():\n    bus.publish('visit.confirmed', 'id', 'gd', {})\n"
        "def other():\n    bus.publish_many([('team.invited', 'id', 'gd', {})])\n"
    )
    main = tmp_path / "main.py"
    dirs = (("gemeentedelers", src),)
    main.write_text("from gemeentedelers.helpers import link\n")
    assert closure.walk([main], dirs).publishes == frozenset()
    main.write_text("from gemeentedelers.helpers import announce\n")
    assert closure.walk([main], dirs).publishes == {"visit.confirmed"}  # through _send
    main.write_text("from gemeentedelers import helpers\nhelpers.other()\n")
    assert closure.walk([main], dirs).publishes == {"team.invited"}
    main.write_text("from gemeentedelers import helpers\nrun(helpers)\n")  # passed around: all of it
    assert closure.walk([main], dirs).publishes == {"visit.confirmed", "team.invited"}


def test_each_secret_is_read_by_the_module_named_for_it(catalogue: ModuleType) -> None:
    """Secret readers follow from which module reads each setting: no other module may read it."""
    sources = {path: path.read_text() for folder in ("src/gemeentedelers", "plugins") for path in
               (ROOT / folder).rglob("*.py") if "devtools" not in path.parts and path.name != "settings.py"}
    for variable, module, setting in catalogue.SECRETS.values():
        reader = catalogue.closure.source_of(module)
        pattern = re.compile(rf"\.{re.escape(setting)}\b")
        readers = {path for path, text in sources.items() if pattern.search(text)}
        assert readers <= {reader} | {p for p in readers if "/cli/" in str(p)}, (variable, readers)
        assert reader in readers, (variable, module)


def test_a_secret_is_read_only_where_a_function_reading_it_can_run(catalogue: ModuleType) -> None:
    """The intake reaches web.links for public_url (the databank's pages) but never signs or checks a link."""
    reached = catalogue.reached()
    assert catalogue.closure.source_of("gemeentedelers.web.links") in reached["intake"].files
    assert not catalogue.reads(reached["intake"], "gemeentedelers.web.links", "link_secret")
    assert catalogue.reads(reached["notify"], "gemeentedelers.web.links", "link_secret")
    assert catalogue.build()["secrets"]["gd-link-secret"]["readers"] == ["assessment", "jury", "notify", "scoring"]


def test_every_ack_deadline_is_one_pubsub_allows() -> None:
    for topic in CATALOGUE:
        assert 10 <= topic.ack_deadline_s <= 600, topic.topic

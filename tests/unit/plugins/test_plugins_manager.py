"""Loading an edition: entry points, EXTENDS chains, check_pending and tracing (gemeentedelers.plugins.manager)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from types import ModuleType
from zoneinfo import ZoneInfo

import pluggy
import pytest
from gemeentedelers.plugins import manager
from gemeentedelers.plugins.api import EditionInfo, Text, Timeline, hookimpl

from gemeentedelers.editions import Edition, EditionConfigError, available_editions, get_edition

NL = ZoneInfo("Europe/Amsterdam")
MakePM = Callable[..., pluggy.PluginManager]
MakeEdition = Callable[..., ModuleType]
InstallEditions = Callable[..., dict[str, int]]


def congress_timeline(year: int) -> Timeline:
    """A timeline unlike the one conftest's editions get, to see which edition answered."""
    return Timeline(
        registration_opens=datetime(year - 1, 10, 1, tzinfo=NL),
        registration_closes=datetime(year - 1, 12, 15, tzinfo=NL),
        round1_decided=datetime(year, 1, 20, tzinfo=NL),
        round2_decided=datetime(year, 4, 20, tzinfo=NL),
        winners_announced=datetime(year, 6, 12, tzinfo=NL),
        award_ceremony=datetime(year, 6, 13, tzinfo=NL),
    )


# --- check_pending --------------------------------------------------------------------------------------------


def test_check_pending_rejects_a_misspelt_hook(make_pm: MakePM) -> None:
    class Misspelt:
        @hookimpl
        def gd_timelin(self) -> None:
            return None

    pm = make_pm(check=False)
    pm.register(Misspelt())
    with pytest.raises(pluggy.PluginValidationError, match="unknown hook 'gd_timelin'"):
        pm.check_pending()


def test_build_plugin_manager_rejects_a_misspelt_hook_at_load(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    install_editions({"gd2030": make_edition("gd2030", gd_timelin=lambda: None)})
    with pytest.raises(pluggy.PluginValidationError, match="gd_timelin"):
        manager.build_plugin_manager("gd2030")


def test_a_function_without_hookimpl_is_not_a_hook_and_check_reports_what_is_missing(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    module = make_edition("gd2030", complete=False)
    module.gd_timeline = lambda: None  # type: ignore[attr-defined]  # forgot @hookimpl
    install_editions({"gd2030": module})
    pm = manager.build_plugin_manager("gd2030")
    assert pm.hook.gd_timeline.get_hookimpls() == []
    with pytest.raises(EditionConfigError, match="has no timeline"):
        Edition("gd2030", pm).check()


# --- EXTENDS --------------------------------------------------------------------------------------------------


def test_extends_chain_is_loaded_base_first_and_the_newest_edition_wins(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    late = congress_timeline(2031)
    editions = {
        "gd2029": make_edition("gd2029"),
        "gd2030": make_edition("gd2030", extends="gd2029"),
        "gd2031": make_edition("gd2031", extends="gd2030", gd_timeline=lambda: late),
    }
    install_editions(editions)

    chain = manager.edition_chain("gd2031")
    assert chain == [editions["gd2029"], editions["gd2030"], editions["gd2031"]]

    pm = manager.build_plugin_manager("gd2031")
    names = [name for name, _ in pm.list_name_plugin()]
    assert names == [
        "defaults",
        "edition:thirdparty_editions.gd2029",
        "edition:thirdparty_editions.gd2030",
        "edition:thirdparty_editions.gd2031",
    ]
    edition = Edition("gd2031", pm)
    edition.check()
    assert edition.info.key == "gd2031"
    assert edition.timeline is late
    assert [c.key for c in edition.categories] == ["direct", "indirect"]  # from gd2029, two levels down


def test_an_edition_without_extends_is_a_chain_of_one(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    module = make_edition("gd2030")
    install_editions({"gd2030": module})
    assert manager.edition_chain("gd2030") == [module]


def test_circular_extends_is_rejected(make_edition: MakeEdition, install_editions: InstallEditions) -> None:
    install_editions(
        {
            "gd2029": make_edition("gd2029", extends="gd2030"),
            "gd2030": make_edition("gd2030", extends="gd2029"),
        }
    )
    with pytest.raises(ValueError, match=r"circular|deeper"):
        manager.edition_chain("gd2030")
    with pytest.raises(ValueError, match=r"circular|deeper"):
        manager.build_plugin_manager("gd2030")


def test_an_edition_extending_itself_is_rejected(make_edition: MakeEdition, install_editions: InstallEditions) -> None:
    install_editions({"gd2030": make_edition("gd2030", extends="gd2030")})
    with pytest.raises(ValueError, match=r"circular|deeper"):
        manager.edition_chain("gd2030")


def test_circular_extends_is_caught_at_the_first_repeat(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    loads = install_editions(
        {
            "gd2029": make_edition("gd2029", extends="gd2030"),
            "gd2030": make_edition("gd2030", extends="gd2029"),
        }
    )
    with pytest.raises(ValueError):
        manager.edition_chain("gd2030")
    assert sum(loads.values()) <= 3


def test_a_too_deep_extends_chain_is_rejected(make_edition: MakeEdition, install_editions: InstallEditions) -> None:
    depth = manager.MAX_EXTENDS_DEPTH + 1
    chain = {f"e{n:02d}": make_edition(f"e{n:02d}", extends=f"e{n - 1:02d}" if n else None) for n in range(depth)}
    install_editions(chain)
    assert len(manager.edition_chain(f"e{depth - 2:02d}")) == manager.MAX_EXTENDS_DEPTH
    with pytest.raises(ValueError, match=r"circular|deeper"):
        manager.edition_chain(f"e{depth - 1:02d}")


def test_extending_an_edition_that_is_not_installed_names_the_installed_ones(
    make_edition: MakeEdition, install_editions: InstallEditions
) -> None:
    install_editions({"gd2030": make_edition("gd2030", extends="gd1999")})
    with pytest.raises(manager.UnknownEdition) as raised:
        manager.edition_chain("gd2030")
    assert raised.value.name == "gd1999"
    assert raised.value.available == ["gd2030"]


# --- the installed editions -----------------------------------------------------------------------------------


def test_unknown_edition_lists_the_installed_editions() -> None:
    with pytest.raises(manager.UnknownEdition) as raised:
        get_edition("gd1999")
    assert raised.value.name == "gd1999"
    assert {"gd2022", "gd2024"} <= set(raised.value.available)
    assert raised.value.available == sorted(raised.value.available)
    assert "unknown edition 'gd1999'; installed: " in str(raised.value)
    assert "gd2022" in str(raised.value) and "gd2024" in str(raised.value)
    assert isinstance(raised.value, LookupError)


def test_shipped_editions_are_specs_and_their_code_rules_are_found_through_the_rules_group() -> None:
    assert available_editions() == {"gd2022": "spec", "gd2024": "spec"}
    rules = manager.available_rules()
    assert set(rules) == {"gd2022"} and all(ep.group == manager.RULES_GROUP == "gemeentedelers.rules"
                                            for ep in rules.values())
    assert manager.load_rules("gd2022").__name__ == "gemeentedelers.plugins.editions.gd2022"
    pm = get_edition("gd2024").pm
    assert [name for name, _ in pm.list_name_plugin()] == ["defaults", "spec:gd2024", "rules:gd2022"]
    with pytest.raises(manager.UnknownRules, match="unknown code rules 'gd1999'; installed: gd2022"):
        manager.load_rules("gd1999")


# --- tracing --------------------------------------------------------------------------------------------------


def test_gd_trace_hooks_writes_hook_calls_to_stderr(
    make_edition: MakeEdition,
    install_editions: InstallEditions,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    install_editions({"gd2030": make_edition("gd2030")})
    monkeypatch.setenv("GD_TRACE_HOOKS", "1")
    pm = manager.build_plugin_manager("gd2030")
    info = pm.hook.gd_edition_info()
    pm.hook.gd_criteria(info=info, round=1)
    err = capsys.readouterr().err
    assert "gd_edition_info [hook]" in err
    assert "finish gd_edition_info --> EditionInfo(key='gd2030'" in err
    assert "round: 1" in err


def test_without_gd_trace_hooks_nothing_is_traced(
    make_edition: MakeEdition,
    install_editions: InstallEditions,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    install_editions({"gd2030": make_edition("gd2030")})
    monkeypatch.delenv("GD_TRACE_HOOKS", raising=False)
    manager.build_plugin_manager("gd2030").hook.gd_edition_info()
    assert capsys.readouterr().err == ""


def test_an_edition_may_implement_hooks_with_fewer_arguments(make_pm: MakePM) -> None:
    class Minimal:
        @hookimpl
        def gd_edition_info(self) -> EditionInfo:
            return EditionInfo(key="gd2030", title=Text("GemeenteDelers 2030"), year=2030)

        @hookimpl
        def gd_criteria(self) -> None:  # takes neither info nor round
            return None

    pm = make_pm(Minimal())
    assert [c.key for c in pm.hook.gd_criteria(info=pm.hook.gd_edition_info(), round=1)] == [
        "succesvol",
        "waardevol",
        "herbruikbaar",
    ]

"""The functions' lock, checked offline: written by uv from pyproject, every pin hashed, the graph closed."""

from __future__ import annotations

from types import ModuleType

import pytest
from unit.infra.conftest import load_infra


@pytest.fixture(scope="module")
def lock() -> ModuleType:
    return load_infra("lock")


def test_the_lock_agrees_with_pyproject(lock: ModuleType) -> None:
    assert lock.check() == []


def test_the_lock_was_written_by_uv_for_the_functions_runtime(lock: ModuleType) -> None:
    text = lock.LOCK_FILE.read_text()
    assert text.startswith(lock.HEADER)
    assert "--generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28" in lock.HEADER


def test_every_pin_has_hashes(lock: ModuleType) -> None:
    entries = lock.locked()
    assert len(entries) > 30
    assert all(e.hashes and all(h.startswith("sha256:") for h in e.hashes) for e in entries.values())


def test_a_stale_lock_is_named(lock: ModuleType) -> None:
    entries = dict(lock.locked())
    flask = entries["flask"]
    entries["flask"] = lock.Locked(flask.name, "2.0.0", flask.hashes, flask.required_by)
    del entries["pluggy"]
    problems = lock.check(entries)
    assert any("Flask: locked 2.0.0" in p for p in problems)
    assert any("pluggy is a dependency in pyproject but not locked" in p for p in problems)


def test_parse_reads_uvs_format(lock: ModuleType) -> None:
    text = (
        "a-b==1.0 \\\n    --hash=sha256:" + "0" * 64 + "\n    # via gemeentedelers (pyproject.toml)\n"
        "c==2.0 \\\n    --hash=sha256:" + "1" * 64 + " \\\n    --hash=sha256:" + "2" * 64 + "\n"
        "    # via\n    #   a-b\n    #   Other_Thing\n"
    )
    parsed = lock.parse(text)
    assert parsed["a-b"].required_by == {"gemeentedelers (pyproject.toml)"}
    assert parsed["c"].required_by == {"a-b", "other-thing"} and len(parsed["c"].hashes) == 2
    assert lock.closure({"a-b"}, {k: v for k, v in parsed.items()}) == {"a-b", "c"}
    with pytest.raises(lock.LockError, match="cannot read"):
        lock.parse("something odd\n")

"""The ``scoring`` CLI end to end on temporary files (click's CliRunner)."""

from __future__ import annotations

import csv
import io
import sys
import types
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from gemeentedelers.cli.scoring import scoring
from gemeentedelers.scoring.assignment import plan_first_wave
from gemeentedelers.scoring.simulation import World, make_world


@pytest.fixture(scope="module")
def world() -> World:
    return make_world(21)


@pytest.fixture
def files(tmp_path: Path, world: World) -> dict[str, Path]:
    first = plan_first_wave(world.submission_ids, world.capacity, 3, conflicts=world.conflicts, seed=0)
    ratings = world.rate(first)
    paths = {
        "subs": tmp_path / "subs.csv",
        "scorers": tmp_path / "scorers.csv",
        "conflicts": tmp_path / "conflicts.csv",
        "ratings": tmp_path / "ratings.csv",
    }
    paths["subs"].write_text("submission_id\n" + "".join(f"{s}\n" for s in world.submission_ids))
    paths["scorers"].write_text("scorer_id,capacity\n" + "".join(f"{s},12\n" for s in world.scorer_ids))
    paths["conflicts"].write_text("scorer_id,submission_id\n" + "".join(f"{a},{b}\n" for a, b in world.conflicts))
    rows = zip(ratings.submission_id, ratings.scorer_id, ratings.criterion, ratings.score, strict=True)
    paths["ratings"].write_text(
        "submission_id,scorer_id,criterion,score\n" + "".join(f"{a},{b},{c},{d}\n" for a, b, c, d in rows)
    )
    return paths


def run(*args: object) -> tuple[int, str, list[dict[str, str]]]:
    result = CliRunner().invoke(scoring, [str(a) for a in args])
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit), result.output
    out = result.stdout
    rows = list(csv.DictReader(io.StringIO(out))) if result.exit_code == 0 else []
    return result.exit_code, result.output, rows


def test_rank_to_stdout(files: dict[str, Path]) -> None:
    code, output, rows = run("rank", "--ratings", files["ratings"], "--top", 20)
    assert code == 0, output
    assert output.splitlines()[0] == "rank,submission_id,estimate,lower,upper,p_top,advances"
    assert len(rows) == 120
    assert [int(r["rank"]) for r in rows] == list(range(1, 121))
    assert sum(r["advances"] == "true" for r in rows) == 20
    assert all(float(r["lower"]) <= float(r["estimate"]) <= float(r["upper"]) for r in rows)
    assert sum(float(r["p_top"]) for r in rows) == pytest.approx(20, abs=0.1)


def test_rank_to_file_is_reproducible(files: dict[str, Path], tmp_path: Path) -> None:
    out = tmp_path / "ranking.csv"
    assert run("rank", "--ratings", files["ratings"], "--out", out)[0] == 0
    first = out.read_text()
    assert run("rank", "--ratings", files["ratings"], "--out", out)[0] == 0
    assert out.read_text() == first


def test_bad_ratings_file_gives_a_clean_error(files: dict[str, Path]) -> None:
    lines = files["ratings"].read_text().splitlines()
    lines[6] = lines[6].rsplit(",", 1)[0] + ",x"
    files["ratings"].write_text("\n".join(lines) + "\n")
    code, output, _ = run("rank", "--ratings", files["ratings"])
    assert code == 1
    assert f"Error: {files['ratings']}, row 7, column score: 'x' is not a whole number" in output
    assert "Traceback" not in output


def test_plan_first_wave(files: dict[str, Path]) -> None:
    code, output, rows = run(
        "plan",
        "--submissions",
        files["subs"],
        "--scorers",
        files["scorers"],
        "--conflicts",
        files["conflicts"],
        "--per-submission",
        4,
    )
    assert code == 0, output
    assert set(Counter(r["submission_id"] for r in rows).values()) == {4}
    assert len(rows) == 480
    loads = Counter(r["scorer_id"] for r in rows)
    assert max(loads.values()) - min(loads.values()) <= 1


def test_plan_adaptive_wave_and_top_up(files: dict[str, Path], world: World) -> None:
    common = (
        "plan",
        "--submissions",
        files["subs"],
        "--scorers",
        files["scorers"],
        "--conflicts",
        files["conflicts"],
        "--ratings",
        files["ratings"],
    )
    code, output, rows = run(*common, "--budget", 40, "--top", 20)
    assert code == 0, output
    assert len(rows) == 40
    rated = {(r["scorer_id"], r["submission_id"]) for r in csv.DictReader(files["ratings"].open())}
    planned = {(r["scorer_id"], r["submission_id"]) for r in rows}
    assert not planned & rated and not planned & set(world.conflicts)

    code, output, rows = run(*common, "--per-submission", 4)
    assert code == 0, output
    assert len(rows) == 120  # everyone had 3


def test_plan_errors(files: dict[str, Path], tmp_path: Path) -> None:
    base = ("plan", "--submissions", files["subs"], "--scorers", files["scorers"])
    code, output, _ = run(*base)
    assert code == 2 and "exactly one of --per-submission and --budget" in output
    tight = tmp_path / "tight.csv"
    tight.write_text("scorer_id,capacity\nS01,3\nS02,3\n")
    code, output, _ = run("plan", "--submissions", files["subs"], "--scorers", tight, "--per-submission", 2)
    assert code == 1 and "not enough capacity" in output
    bad = tmp_path / "conflicts.csv"
    bad.write_text("scorer_id,submission_id\nS01,E999\n")
    code, output, _ = run(*base, "--conflicts", bad, "--per-submission", 2)
    assert code == 1 and f"{bad}, row 2, column submission_id: unknown submission 'E999'" in output
    code, output, _ = run(*base, "--per-submission", 2, "--ratings", tmp_path / "missing.csv")
    assert code == 2 and "does not exist" in output


@dataclass(frozen=True)
class _Criterion:
    key: str
    weight: float
    scale_min: int = 1
    scale_max: int = 10


def test_rank_with_an_edition(files: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    class _Edition:
        def criteria(self, round: int) -> tuple[_Criterion, ...]:
            assert round == 1
            return (_Criterion("succesvol", 2.0), _Criterion("waardevol", 1.0), _Criterion("herbruikbaar", 1.0))

    def get_edition(name: str) -> _Edition:
        if name != "gdtest":
            raise LookupError(f"unknown edition {name!r}; installed: gdtest")
        return _Edition()

    fake = types.ModuleType("gemeentedelers.editions")
    fake.get_edition = get_edition  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "gemeentedelers.editions", fake)

    code, output, rows = run("rank", "--ratings", files["ratings"], "--edition", "gdtest")
    assert code == 0, output
    assert len(rows) == 120
    code, output, _ = run("rank", "--ratings", files["ratings"], "--edition", "nope")
    assert code == 2 and "unknown edition 'nope'" in output

    # A criterion the edition does not know is named with its row.
    text = files["ratings"].read_text().replace("herbruikbaar", "innovatief", 1)
    files["ratings"].write_text(text)
    code, output, _ = run("rank", "--ratings", files["ratings"], "--edition", "gdtest")
    assert code == 1 and "column criterion: unknown criterion 'innovatief'" in output

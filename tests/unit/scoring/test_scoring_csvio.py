"""CSV reading: every problem names the file, the row (header = row 1) and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from gemeentedelers.scoring.csvio import (
    CsvError,
    read_conflicts,
    read_ratings,
    read_scorers,
    read_submissions,
)

HEADER = "submission_id,scorer_id,criterion,score\n"
GOOD = "".join(f"E1,A,{c},7\n" for c in ("succesvol", "waardevol", "herbruikbaar"))


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def error_of(call, *args, **kwargs) -> CsvError:
    with pytest.raises(CsvError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_reads_good_ratings_with_bom_and_semicolons(tmp_path: Path) -> None:
    path = write(tmp_path, "r.csv", "\ufeff" + (HEADER + GOOD).replace(",", ";"))
    ratings, specs = read_ratings(path)
    assert len(ratings) == 3
    assert {s.key for s in specs} == {"succesvol", "waardevol", "herbruikbaar"}
    assert all(s.weight == 1.0 and (s.scale_min, s.scale_max) == (1, 10) for s in specs)


def test_not_a_whole_number_names_file_row_and_column(tmp_path: Path) -> None:
    path = write(tmp_path, "ratings.csv", HEADER + GOOD + "E2,A,succesvol,x\n")
    err = error_of(read_ratings, path)
    assert str(err) == f"{path}, row 5, column score: 'x' is not a whole number"
    assert (err.row, err.column) == (5, "score")
    assert "7.5" in str(error_of(read_ratings, write(tmp_path, "h.csv", HEADER + "E2,A,succesvol,7.5\n")))


def test_missing_header_columns(tmp_path: Path) -> None:
    err = error_of(read_ratings, write(tmp_path, "ratings.csv", "submission_id,scorer,criterion\nE1,A,x\n"))
    assert err.row == 1
    assert "missing column(s) scorer_id, score" in str(err)
    assert "row 1" in str(error_of(read_ratings, write(tmp_path, "empty.csv", "")))


def test_score_outside_the_scale(tmp_path: Path) -> None:
    path = write(tmp_path, "ratings.csv", HEADER + GOOD.replace("waardevol,7", "waardevol,11"))
    err = error_of(read_ratings, path)
    assert (err.row, err.column) == (3, "score")
    assert "11 is outside the scale 1-10" in str(err)


def test_duplicate_rows_name_both_rows(tmp_path: Path) -> None:
    path = write(tmp_path, "ratings.csv", HEADER + GOOD + "E1,A,waardevol,8\n")
    err = error_of(read_ratings, path)
    assert err.row == 5
    assert "duplicate of row 3" in str(err)


def test_unknown_criterion_against_the_edition_weights(tmp_path: Path) -> None:
    path = write(tmp_path, "ratings.csv", HEADER + GOOD + "E1,A,innovatief,8\n")
    weights = {"succesvol": 2.0, "waardevol": 1.0, "herbruikbaar": 1.0}
    err = error_of(read_ratings, path, weights)
    assert (err.row, err.column) == (5, "criterion")
    assert "unknown criterion 'innovatief'" in str(err)


def test_a_pair_missing_a_criterion(tmp_path: Path) -> None:
    path = write(tmp_path, "ratings.csv", HEADER + GOOD + "E2,A,succesvol,5\nE2,A,waardevol,5\n")
    err = error_of(read_ratings, path)
    assert err.row == 5
    assert "scorer A scored submission E2 but not on herbruikbaar" in str(err)


def test_empty_cell_and_unknown_submission(tmp_path: Path) -> None:
    err = error_of(read_ratings, write(tmp_path, "ratings.csv", HEADER + ",A,succesvol,5\n"))
    assert (err.row, err.column) == (2, "submission_id")
    err = error_of(
        read_ratings, write(tmp_path, "r2.csv", HEADER + GOOD), submissions=["E9"], submissions_file="subs.csv"
    )
    assert (err.row, err.column) == (2, "submission_id")
    assert "not in subs.csv" in str(err)


def test_submissions_scorers_conflicts(tmp_path: Path) -> None:
    assert read_submissions(write(tmp_path, "s.csv", "submission_id\nE1\n\nE2\n")) == ["E1", "E2"]
    err = error_of(read_submissions, write(tmp_path, "s2.csv", "submission_id\nE1\nE1\n"))
    assert (err.row, err.column) == (3, "submission_id")

    assert read_scorers(write(tmp_path, "sc.csv", "scorer_id,capacity\nA,10\nB,0\n")) == {"A": 10, "B": 0}
    err = error_of(read_scorers, write(tmp_path, "sc2.csv", "scorer_id,capacity\nA,-1\n"))
    assert (err.row, err.column) == (2, "capacity")
    err = error_of(read_scorers, write(tmp_path, "sc3.csv", "scorer_id,capacity\nA,veel\n"))
    assert "'veel' is not a whole number" in str(err)

    path = write(tmp_path, "c.csv", "scorer_id,submission_id\nA,E1\nZ,E1\n")
    assert read_conflicts(path, None, None) == [("A", "E1"), ("Z", "E1")]
    err = error_of(read_conflicts, path, {"A"}, {"E1"})
    assert (err.row, err.column) == (3, "scorer_id")
    assert "unknown scorer 'Z'" in str(err)


def test_a_cell_over_the_csv_modules_limit_is_a_message(tmp_path: Path) -> None:
    path = write(tmp_path, "ratings.csv", HEADER + GOOD + f'E2,A,succesvol,"{"7" * 200_000}"\n')
    assert "not readable as CSV" in str(error_of(read_ratings, path))

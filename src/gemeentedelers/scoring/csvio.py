"""CSV files of round 1: ratings, submissions, scorers, conflicts in; rankings and plans out.

Every problem is reported as "file, row N, column C: what is wrong", with row 1 the header (as a
spreadsheet numbers them). Files may come from Excel: a UTF-8 byte-order mark and ``;`` as separator (the
Dutch Excel default) are accepted.
"""

from __future__ import annotations

import csv
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import TextIO

from gemeentedelers.scoring.assignment import Pair
from gemeentedelers.scoring.ranking import RankedEntry
from gemeentedelers.scoring.ratings import DEFAULT_SCALE, CriterionSpec, Ratings, RatingsError, criterion_specs

__all__ = [
    "RANKING_COLUMNS",
    "RATINGS_COLUMNS",
    "CsvError",
    "read_conflicts",
    "read_ratings",
    "read_scorers",
    "read_submissions",
    "write_plan",
    "write_ranking",
]

RATINGS_COLUMNS = ("submission_id", "scorer_id", "criterion", "score")
RANKING_COLUMNS = ("rank", "submission_id", "estimate", "lower", "upper", "p_top", "advances")


class CsvError(ValueError):
    """A problem in an input file, located by file, row and column where possible."""

    def __init__(self, file: str, message: str, row: int | None = None, column: str | None = None):
        self.file, self.row, self.column, self.message = file, row, column, message
        where = [file]
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column {column}")
        super().__init__(f"{', '.join(where)}: {message}")


Row = tuple[int, dict[str, str]]


def _read(path: str | os.PathLike[str], required: Sequence[str]) -> tuple[str, list[Row]]:
    """(display name, [(row number, {column: stripped value})]) with the required columns checked."""
    name = os.fspath(path)
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CsvError(name, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise CsvError(name, f"cannot be read: {exc.strerror or exc}") from None
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    try:
        records = list(csv.reader(text.splitlines(), delimiter=delimiter))
    except csv.Error as exc:  # a cell over the csv module's field limit, a NUL byte, ...
        raise CsvError(name, f"not readable as CSV ({exc})") from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise CsvError(name, f"the file is empty; expected a header with {', '.join(required)}", row=1)
    header = [cell.strip().lower() for cell in records[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise CsvError(
            name,
            f"missing column(s) {', '.join(missing)} in the header (expected {', '.join(required)}; "
            f"found {', '.join(h for h in header if h) or 'nothing'})",
            row=1,
        )
    position = {c: header.index(c) for c in header if c}
    rows: list[Row] = []
    for number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue
        values = {c: (record[i].strip() if i < len(record) else "") for c, i in position.items()}
        for column in required:
            if not values[column]:
                raise CsvError(name, "is empty", row=number, column=column)
        rows.append((number, values))
    return name, rows


def _whole_number(name: str, row: int, column: str, text: str) -> int:
    """``7`` and ``7.0`` are whole numbers; ``7.5``, ``x`` and ``inf`` are not."""
    try:
        return int(text)
    except ValueError:
        pass
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value.is_integer()):
        raise CsvError(name, f"{text!r} is not a whole number", row=row, column=column)
    return int(value)


def read_ratings(
    path: str | os.PathLike[str],
    weights: Mapping[str, float] | None = None,
    scale: tuple[int, int] | Mapping[str, tuple[int, int]] = DEFAULT_SCALE,
    *,
    submissions: Iterable[str] | None = None,
    submissions_file: str = "the submissions file",
) -> tuple[Ratings, tuple[CriterionSpec, ...]]:
    """Ratings (one row per criterion score) checked against the criteria, and those criteria.

    Without ``weights`` the criteria are the ones found in the file, weighted equally. With
    ``submissions``, a rating of any other submission is an error.
    """
    name, rows = _read(path, RATINGS_COLUMNS)
    row_of = [number for number, _ in rows]
    scores = [_whole_number(name, n, "score", v["score"]) for n, v in rows]
    if submissions is not None:
        known = set(submissions)
        for number, values in rows:
            if values["submission_id"] not in known:
                raise CsvError(
                    name,
                    f"unknown submission {values['submission_id']!r} (not in {submissions_file})",
                    row=number,
                    column="submission_id",
                )
    try:
        ratings = Ratings.from_arrays(
            [v["submission_id"] for _, v in rows],
            [v["scorer_id"] for _, v in rows],
            [v["criterion"] for _, v in rows],
            scores,
        )
        specs = criterion_specs(ratings.criteria, weights, scale)
        ratings.check(specs)
    except RatingsError as exc:
        row = row_of[exc.index] if exc.index is not None else None
        raise CsvError(name, exc.render(lambda i: f"row {row_of[i]}"), row=row, column=exc.column) from None
    return ratings, specs


def read_submissions(path: str | os.PathLike[str]) -> list[str]:
    """Submission ids, in file order; repeats are errors."""
    name, rows = _read(path, ("submission_id",))
    seen: dict[str, int] = {}
    for number, values in rows:
        sid = values["submission_id"]
        if sid in seen:
            raise CsvError(name, f"submission {sid!r} is repeated (first on row {seen[sid]})", number, "submission_id")
        seen[sid] = number
    return list(seen)


def read_scorers(path: str | os.PathLike[str]) -> dict[str, int]:
    """Scorer id -> capacity (the most ratings they will do in total, including done ones)."""
    name, rows = _read(path, ("scorer_id", "capacity"))
    capacity: dict[str, int] = {}
    first: dict[str, int] = {}
    for number, values in rows:
        sid = values["scorer_id"]
        if sid in first:
            raise CsvError(name, f"scorer {sid!r} is repeated (first on row {first[sid]})", number, "scorer_id")
        cap = _whole_number(name, number, "capacity", values["capacity"])
        if cap < 0:
            raise CsvError(name, f"{cap} is negative", number, "capacity")
        first[sid], capacity[sid] = number, cap
    return capacity


def read_conflicts(
    path: str | os.PathLike[str],
    scorers: Iterable[str] | None = None,
    submissions: Iterable[str] | None = None,
) -> list[Pair]:
    """(scorer_id, submission_id) pairs that must never be planned; unknown ids are errors (likely typos)."""
    name, rows = _read(path, ("scorer_id", "submission_id"))
    known_scorers = set(scorers) if scorers is not None else None
    known_subs = set(submissions) if submissions is not None else None
    pairs: list[Pair] = []
    for number, values in rows:
        scorer, sub = values["scorer_id"], values["submission_id"]
        if known_scorers is not None and scorer not in known_scorers:
            raise CsvError(name, f"unknown scorer {scorer!r}", number, "scorer_id")
        if known_subs is not None and sub not in known_subs:
            raise CsvError(name, f"unknown submission {sub!r}", number, "submission_id")
        pairs.append((scorer, sub))
    return pairs


def write_ranking(entries: Iterable[RankedEntry], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(RANKING_COLUMNS)
    for e in entries:
        writer.writerow(
            [
                e.rank,
                e.submission_id,
                f"{e.estimate:.3f}",
                f"{e.lower:.3f}",
                f"{e.upper:.3f}",
                f"{e.p_top:.3f}",
                "true" if e.advances else "false",
            ]
        )


def write_plan(pairs: Iterable[Pair], out: TextIO) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(("scorer_id", "submission_id"))
    writer.writerows(pairs)

"""Organisers' CSV files of people: every problem named by file, row and column; nothing half-read."""

from __future__ import annotations

import pytest

from gemeentedelers.people.csv_import import PeopleCsvError, read_people
from gemeentedelers.scoring.scorers import clean

REQUIRED = ("name", "email", "organisation")


def test_good_rows_are_cleaned() -> None:
    rows = read_people("name,email,organisation,capacity\n Ann Bos ,ann@example.org,Ede,8\n", clean, REQUIRED,
                       source="s.csv")
    assert rows == [{"name": "Ann Bos", "email": "ann@example.org", "organisation": "Ede", "capacity": 8,
                     "background": "", "language": "nl",
                     "organisation_check": {"status": "municipality", "code": "GM0228", "name": "Ede"}}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,email\nA B,a@example.org\n", "s.csv: the header lacks organisation"),
        ("name,email,organisation\nAnn,ann@example.org,Ede\nBen,not-mail,Ede\n", "s.csv, row 3, column email"),
        ("name,email,organisation,capacity\nAnn,ann@example.org,Ede,lots\n", "s.csv, row 2, column capacity"),
        ("name,email,organisation\nAnn,ann@example.org,Ede\nAnn B,ANN@example.org,Ede\n", "appears more than once"),
        ("name,email,organisation\n", "no rows below the header"),
    ],
)
def test_problems_name_file_row_and_column(text: str, message: str) -> None:
    with pytest.raises(PeopleCsvError, match=message):
        read_people(text, clean, REQUIRED, source="s.csv")


def test_an_organiser_reads_the_problem_in_dutch_by_default() -> None:
    with pytest.raises(PeopleCsvError) as raised:
        read_people("name,email,organisation\nAnn,ann@example.org,Ede\nBen,not-mail,Ede\n", clean, REQUIRED,
                    source="s.csv")
    assert raised.value.text("nl") == "s.csv, rij 3, kolom email: Geen geldig e-mailadres."
    assert raised.value.text("en") == "s.csv, row 3, column email: Not a valid email address."


def test_a_cell_over_the_csv_modules_limit_is_a_message_naming_its_row() -> None:
    huge = "x" * 200_000  # over csv's field limit (131,072): csv.Error, once a 500
    with pytest.raises(PeopleCsvError) as raised:
        read_people(f'name,email,organisation\nAnn,ann@example.org,Ede\n"{huge}",ben@example.org,Ede\n', clean,
                    REQUIRED, source="s.csv")
    assert raised.value.text("nl").startswith("s.csv, rij 3: deze rij is geen leesbare CSV")
    assert raised.value.text("en").startswith("s.csv, row 3: this row is not readable CSV")
    with pytest.raises(PeopleCsvError, match="row 1"):
        read_people(f'"{huge}",email,organisation\nAnn,ann@example.org,Ede\n', clean, REQUIRED, source="s.csv")

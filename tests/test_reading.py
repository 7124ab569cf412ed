"""The one reader of tables (files/reading.py): the seed, the data files and the user's imports
share its encodings, delimiters, true line numbers and one-line translated errors."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from d3k2db import i18n
from d3k2db.errors import SeedError
from d3k2db.exchange.seed import read_seed
from d3k2db.exchange.transfer import import_csv
from d3k2db.files.reading import open_table, read_table
from d3k2db.storage.engine import make_engine

FOODS = ("name", "mk7")


def rows_of(path: Path, known: tuple[str, ...] = FOODS) -> tuple[str, str, list[tuple[int, dict[str, str]]]]:
    """(encoding, delimiter, rows with their lines) of a table file."""
    with open_table(path, known, required=known) as table:
        return table.encoding, table.delimiter, list(table.records())


def refusal(path: Path, known: tuple[str, ...] = FOODS) -> str:
    with pytest.raises(SeedError) as error:
        rows_of(path, known)
    return str(error.value)


# --- true line numbers ------------------------------------------------------------------------------


def test_a_row_is_numbered_by_the_line_it_starts_on_after_quoted_line_breaks(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_bytes(b'name,mk7\n"two\nline",1\n\n"three\r\nline\r\nname",2\nlast,3\n')
    # line 1 header; 2-3 a name with a break; 4 blank; 5-7 a name with two CR LF breaks; 8 the last
    assert [(line, row["name"]) for line, row in rows_of(path)[2]] == [
        (2, "two\nline"),
        (5, "three\r\nline\r\nname"),
        (8, "last"),
    ]


def test_an_import_error_names_the_physical_line_after_a_quoted_line_break(
    db_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "mine.csv"
    # a cell of a column import does not read may hold a line break (a name may not: plain text)
    path.write_text('name,mk7,my notes\nkaas,1,"with\nholes"\nham,lots,\n', encoding="utf-8")
    with pytest.raises(SeedError, match=r"^mine\.csv line 4, column mk7: 'lots' is not a number$"):
        import_csv(make_engine(db_url), path)


def test_a_seed_error_names_the_physical_line_after_a_quoted_line_break(seed_copy: Path) -> None:
    path = seed_copy / "foods.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert not any("\n" in cell for cell in rows[0].values())  # the first food takes one line
    # a curator's column the seed does not read: the first food now spans lines 2-4
    rows[0]["curator's comment"] = "first line\nsecond line\nthird line"
    rows[1]["mk4"] = "lots"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=[*rows[1], "curator's comment"], restval="")
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(SeedError, match=r"^foods\.csv line 5, column mk4: 'lots' is not a number$"):
        read_seed(seed_copy)


# --- delimiters and encodings -------------------------------------------------------------------------


@pytest.mark.parametrize(("delimiter", "shown"), [(";", ";"), ("\t", "\t"), (",", ",")])
def test_the_delimiter_is_the_one_that_splits_the_header_into_known_columns(
    tmp_path: Path, delimiter: str, shown: str
) -> None:
    path = tmp_path / "mine.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows([["Name", "MK7"], ["kaas, jong", "1,5"]])
    assert rows_of(path)[1:] == (shown, [(2, {"name": "kaas, jong", "mk7": "1,5"})])


def test_a_utf16_file_with_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_text("name\tmk7\r\n納豆\t939\r\n", encoding="utf-16")
    assert rows_of(path) == ("utf-16", "\t", [(2, {"name": "納豆", "mk7": "939"})])


def test_a_big5_file_from_traditional_chinese_excel(tmp_path: Path) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes("name,mk7\n納豆,939\n雞蛋,0.4\n".encode("cp950"))
    assert rows_of(path) == (
        "cp950",
        ",",
        [(2, {"name": "納豆", "mk7": "939"}), (3, {"name": "雞蛋", "mk7": "0.4"})],
    )


@pytest.mark.parametrize(
    "name",
    [
        "Crème fraîche",  # reads as Big5, but as two characters apart
        "étés",  # two characters in a row as Big5, but each with an ASCII second byte
        "Fromage affiné",  # an accent before the delimiter is no Big5 at all
    ],
)
def test_western_windows_text_is_not_taken_for_big5(tmp_path: Path, name: str) -> None:
    path = tmp_path / "excel.csv"
    path.write_bytes(f"name,mk7\n{name},1\n".encode("cp1252"))
    assert rows_of(path) == ("cp1252", ",", [(2, {"name": name, "mk7": "1"})])


def test_the_shipped_data_must_be_utf8(tmp_path: Path) -> None:
    path = tmp_path / "plan_units.csv"
    path.write_bytes("applies_to,unit\nfood:crème,cup\n".encode("cp1252"))
    with pytest.raises(SeedError, match=r"^plan_units\.csv: not UTF-8 text \(byte 23\); save it as UTF-8$"):
        read_table(path, ("applies_to", "unit"))


# --- headers and shapes -----------------------------------------------------------------------------


def test_a_data_file_names_its_missing_column_and_its_ragged_row(tmp_path: Path) -> None:
    path = tmp_path / "en.csv"
    path.write_text("word,class,value\ntwo,number,2\n", encoding="utf-8")
    assert refusal(path, ("word", "class", "value", "kind")) == "en.csv: missing column(s) kind"
    path.write_text("word,class,value,kind\ntwo,number,2,\nthree,number\n", encoding="utf-8")
    assert refusal(path, ("word", "class", "value", "kind")) == (
        "en.csv line 3: 2 cells where the header has 4 (a missing or extra ','?)"
    )


def test_a_known_column_twice_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "mine.csv"
    path.write_text("name,mk7,Name\na,1,b\n", encoding="utf-8")
    assert refusal(path) == "mine.csv: column name appears twice"


# --- what is no table: refused at once, in one line ---------------------------------------------------


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"name,mk7\na,1\nb\x00,2\n",
            "foods.csv: not a text file (a NUL character on line 3): is this a CSV file?",
        ),
        (
            b"name,mk7\na,1\nb," + b"9" * (1 << 20) + b"\n",
            "foods.csv: line 3 is longer than 1 MB: is this a CSV file?",
        ),
    ],
    ids=["nul", "long-line"],
)
def test_a_seed_file_that_is_no_table_is_refused_in_one_line(
    seed_copy: Path, content: bytes, message: str
) -> None:
    (seed_copy / "foods.csv").write_bytes(content)
    with pytest.raises(SeedError) as error:
        read_seed(seed_copy)
    assert str(error.value) == message


# --- translated -----------------------------------------------------------------------------------------


def test_a_seed_error_is_told_in_the_chosen_language(seed_copy: Path) -> None:
    path = seed_copy / "foods.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[1]["source"] = ""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with i18n.speaking("zh-Hant"), pytest.raises(SeedError) as error:
        read_seed(seed_copy)
    assert str(error.value) == "foods.csv 第 3 行，source 欄：是空的"
    with i18n.speaking("zh-Hans"), pytest.raises(SeedError) as error:
        read_seed(seed_copy)
    assert str(error.value) == "foods.csv 第 3 行，source 栏：是空的"


def test_a_data_file_error_is_told_in_the_chosen_language(tmp_path: Path) -> None:
    path = tmp_path / "diet.csv"
    path.write_text("rule,value\n", encoding="utf-8")
    with i18n.speaking("zh-Hant"), pytest.raises(SeedError) as error:
        read_table(path, ("rule", "value", "scope"))
    assert str(error.value) == "diet.csv：缺少欄位 scope"

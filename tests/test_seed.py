"""The seed loader: every validation error names file, line and column, and nothing is written."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from d3k2db.errors import SeedError
from d3k2db.exchange import seed as seed_module
from d3k2db.exchange.seed import load_seed, read_seed
from d3k2db.storage.engine import make_engine, upgrade_schema
from tests import published
from tests.dbdump import dump


def edit_csv(path: Path, line: int, column: str, value: str) -> None:
    """Set one cell; ``line`` counts as an editor does (header = line 1)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[line - 2][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def drop_column(path: Path, column: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        fields = [f for f in rows[0] if f != column]
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def test_shipped_seed_is_valid_and_loads_every_row(seed_copy: Path, tmp_path: Path) -> None:
    seed = read_seed(seed_copy)
    assert len(seed["foods"]) == len(published.rows("foods.csv"))
    engine = make_engine(f"sqlite:///{tmp_path / 'fresh.sqlite'}")
    upgrade_schema(engine)
    counts = load_seed(engine, seed_copy).counts
    assert counts["foods"] == len(published.rows("foods.csv"))
    assert counts["measurements"] == len(published.rows("measurements.csv"))
    assert counts["portions"] == len(published.rows("portions.csv"))


@pytest.mark.parametrize(
    ("file", "line", "column", "value", "message"),
    [
        ("foods.csv", 3, "mk4", "lots", "foods.csv line 3, column mk4: 'lots' is not a number"),
        (
            "foods.csv",
            4,
            "total_k2",
            "-2",
            "foods.csv line 4, column total_k2: '-2' must be a finite number ≥ 0",
        ),
        ("foods.csv", 2, "k1", "inf", "foods.csv line 2, column k1"),
        (
            "foods.csv",
            5,
            "tag",
            "MK-9",
            "foods.csv line 5, column tag: 'MK-9' is not MK-4, MK-7 or empty",
        ),
        ("foods.csv", 2, "source", "", "foods.csv line 2, column source: is empty"),
        ("foods.csv", 3, "name", "", "foods.csv line 3, column name: is empty"),
        ("foods.csv", 2, "serving_g", "0", "foods.csv line 2, column serving_g: must be greater than 0"),
        ("measurements.csv", 6, "food", "moon cheese", "measurements.csv line 6, column food: 'moon cheese'"),
        ("measurements.csv", 2, "mk7", "1,5", "measurements.csv line 2, column mk7"),
        ("aliases.csv", 3, "food", "nope", "aliases.csv line 3, column food"),
        ("portions.csv", 4, "grams", "abc", "portions.csv line 4, column grams: 'abc' is not a number"),
        # the same rules as a food's, through records: a measurement's total not below its forms,
        # an alias without the separator of the export's alias cell, text never cut to fit
        ("foods.csv", 2, "url", "javascript:x", "foods.csv line 2, column url: 'javascript:x' is not a web"),
        ("aliases.csv", 2, "alias", "a | b", "aliases.csv line 2, column alias: 'a | b' contains '|'"),
        ("aliases.csv", 2, "alias", "!!!", "aliases.csv line 2, column alias: '!!!' has no letters"),
        ("portions.csv", 2, "unit", "x" * 101, "portions.csv line 2, column unit: is longer than 100"),
        ("measurements.csv", 2, "source", "y" * 501, "measurements.csv line 2, column source: is longer"),
    ],
)
def test_bad_cell_is_named_by_file_line_and_column(
    seed_copy: Path, db_url: str, file: str, line: int, column: str, value: str, message: str
) -> None:
    edit_csv(seed_copy / file, line, column, value)
    before = dump(db_url)
    with pytest.raises(SeedError) as error:
        load_seed(make_engine(db_url), seed_copy)
    assert message in str(error.value)
    assert dump(db_url) == before


def test_a_food_without_any_k2_figure_is_refused(seed_copy: Path) -> None:
    path = seed_copy / "foods.csv"
    for column in (*published.FORMS, "total_k2"):
        edit_csv(path, 2, column, "")
    with pytest.raises(SeedError, match=r"foods\.csv line 2, column total_k2: no K2 figure"):
        read_seed(seed_copy)


def test_a_measurement_row_obeys_the_figure_rules_of_a_food(seed_copy: Path) -> None:
    """measurements.csv is checked like a food (records.check_figures): at least one K2 figure,
    and a published total not below the sum of the published forms."""
    path = seed_copy / "measurements.csv"
    rows = published.rows("measurements.csv")
    line = 2 + next(i for i, row in enumerate(rows) if float(row["mk4"] or 0) > 1 and not row["total_k2"])
    edit_csv(path, line, "total_k2", "0")  # below the MK-4 figure
    with pytest.raises(SeedError, match=rf"measurements\.csv line {line}, column total_k2: 0 is smaller"):
        read_seed(seed_copy)
    edit_csv(path, line, "total_k2", "")
    for column in (*published.FORMS, "total_k2"):
        edit_csv(path, line, column, "")
    with pytest.raises(SeedError, match=rf"measurements\.csv line {line}, column total_k2: no K2 figure"):
        read_seed(seed_copy)


def test_duplicate_names_are_refused(seed_copy: Path) -> None:
    first = published.rows("foods.csv")[0]["name"]
    edit_csv(seed_copy / "foods.csv", 3, "name", first.upper())
    with pytest.raises(SeedError, match=r"foods\.csv line 3, column name: .* duplicates the name on line 2"):
        read_seed(seed_copy)


def test_an_alias_shared_by_two_foods_is_refused(seed_copy: Path) -> None:
    aliases = published.rows("aliases.csv")
    other = next(i for i, row in enumerate(aliases) if row["food"] != aliases[0]["food"])
    edit_csv(seed_copy / "aliases.csv", other + 2, "alias", aliases[0]["alias"])
    with pytest.raises(SeedError, match="is already an alias on line 2"):
        read_seed(seed_copy)


@pytest.mark.parametrize("column", ["name", "tag", "source", "serving_g"])
def test_a_missing_column_is_named(seed_copy: Path, column: str) -> None:
    drop_column(seed_copy / "foods.csv", column)
    with pytest.raises(SeedError, match=f"foods.csv: missing column\\(s\\) {column}"):
        read_seed(seed_copy)


def test_a_file_that_is_not_utf8_is_refused(seed_copy: Path) -> None:
    path = seed_copy / "aliases.csv"
    path.write_bytes(path.read_bytes() + "x,caf\xe9,fr\n".encode("latin-1"))
    with pytest.raises(SeedError, match=r"aliases\.csv: not UTF-8"):
        read_seed(seed_copy)


def test_a_failure_while_writing_rolls_everything_back(
    seed_copy: Path, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = dump(db_url)
    real_write = seed_module._write_seed

    def write_then_fail(connection, seed):  # type: ignore[no-untyped-def]
        real_write(connection, seed)
        raise RuntimeError("disk full")

    monkeypatch.setattr(seed_module, "_write_seed", write_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        load_seed(make_engine(db_url), seed_copy)
    assert dump(db_url) == before


def test_reloading_the_same_seed_changes_nothing_but_keeps_ids(seed_copy: Path, db_url: str) -> None:
    before = dump(db_url)
    load_seed(make_engine(db_url), seed_copy)
    after = dump(db_url)
    foods_before = [row for row in before if row[0] == "foods"]
    foods_after = [row for row in after if row[0] == "foods"]
    assert foods_after == foods_before


def test_first_use_seeds_without_pandas(tmp_path: Path) -> None:
    """The seed is read by the one reader of tables (files/reading.py): a new database is
    seeded on first use without importing pandas (half a second of a first lookup)."""
    code = (
        "import sys\n"
        "from d3k2db import K2Database\n"
        "with K2Database(sys.argv[1]) as db:\n"
        "    assert db.search('natto')[0].name == 'natto'\n"
        "print('pandas' in sys.modules)\n"
    )
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    done = subprocess.run([sys.executable, "-c", code, url], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "False"), done.stderr

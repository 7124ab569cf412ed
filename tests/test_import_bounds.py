"""Bounded imports (issue 20, item 7): a file that is not a table of foods is refused at once, memory
follows the batch and not the file, a late failure leaves the database as it was, rows planned
in batches give the report (and the database) one plan would, a second import of the same file
says nothing changed, and the progress bar appears only on a terminal.

Whole-process cases run `python -m d3k2db` with a generous timeout: it guards against a hang, it
is not a timed assertion (the speed of a 200,000-row import is in bench/import_csv.py)."""

from __future__ import annotations

import csv
import os
import pty
import select
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.domain.records import FoodSpec
from d3k2db.errors import SeedError
from d3k2db.exchange import export, import_rows, transfer
from d3k2db.exchange.custom import add_alias, add_food
from d3k2db.exchange.export import EXPORT_COLUMNS
from d3k2db.exchange.transfer import import_csv
from d3k2db.storage.engine import make_engine
from tests.test_custom import dump
from tests.test_error_edges import one_line_error

HANG_GUARD_S = 120


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_url(tmp_path: Path, seeded_template: Path) -> str:
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    return f"sqlite:///{path}"


def run(*args: str, url: str, **options: object) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "D3K2DB_URL": url}
    return subprocess.run(  # type: ignore[call-overload, no-any-return]
        [sys.executable, "-m", "d3k2db", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=HANG_GUARD_S,
        check=False,
        **options,
    )


def write_foods(path: Path, count: int, *, last: dict[str, str] | None = None) -> Path:
    """``count`` foods in the export layout (some with a source, a serving or an alias); ``last``
    replaces cells of the last row."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for n in range(count):
            row = {"name": f"test food {n}", "mk7": f"{n % 90}.5", "category": "cheese"}
            if n % 3 == 0:
                row.update(source=f"lab book {n % 4}", url=f"https://example.org/{n % 4}")
            if n % 5 == 0:
                row.update(serving_g="30", serving_label="1 slice", aliases=f"tf {n}")
            if last is not None and n == count - 1:
                row.update(last)
            writer.writerow(row)
    return path


# --- not a table of foods: refused at once --------------------------------------------------------


def test_dev_zero_is_refused_at_once(sqlite_url: str) -> None:
    before = dump(sqlite_url)
    result = run("import", "/dev/zero", url=sqlite_url)
    assert result.returncode == 1
    assert one_line_error(result.stderr) == (
        "error: zero: not a text file (a NUL character on line 1): is this a CSV file?"
    )
    assert dump(sqlite_url) == before


def test_a_50_mb_file_without_line_breaks_is_refused_at_once(sqlite_url: str, tmp_path: Path) -> None:
    path = tmp_path / "one-line.csv"
    with path.open("w", encoding="utf-8") as handle:
        handle.write("name,mk7,")
        for _ in range(50):
            handle.write("x" * 1_000_000)
    result = run("import", str(path), url=sqlite_url)
    assert result.returncode == 1
    assert one_line_error(result.stderr) == (
        "error: one-line.csv: line 1 is longer than 1 MB: is this a CSV file?"
    )


def test_a_piped_file_is_read(sqlite_url: str, tmp_path: Path) -> None:
    """A pipe cannot be read twice: it is copied to a temporary file as it is scanned."""
    data = write_foods(tmp_path / "mine.csv", 30).read_text(encoding="utf-8")
    result = run("import", "/dev/stdin", url=sqlite_url, input=data)
    assert (result.returncode, result.stdout.splitlines()[0]) == (0, "added 30, updated 0, unchanged 0")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"name,mk7\na,1\nb\x00,2\n", "mine.csv: not a text file (a NUL character on line 3)"),
        (
            b"name,mk7\r\na,1\r\n\r\nb,2\r\nc,3\x00\r\n",
            "mine.csv: not a text file (a NUL character on line 5)",
        ),
        (
            b"name,mk7\n" + b"a,1\n" * 3 + b"b," + b"9" * (1 << 20) + b"\n",
            "mine.csv: line 5 is longer than 1 MB",
        ),
        (
            b'name,mk7\na,1\n"b\n'
            + b"more text\n" * 20_000
            + b",2\n",  # the field passes 131,072 characters on line 3 + 13,108
            "mine.csv line 13111: not readable as CSV (field larger than field limit (131072))",
        ),
        (
            b"name,mk7\na,1\n" + b'"x\n",' * 300_000 + b"\n",
            "a row longer than 1 MB (a quote that is never closed?)",
        ),
    ],
    ids=["nul", "nul-crlf", "long-line", "unclosed-quote", "endless-row"],
)
def test_what_is_not_a_table_of_foods_is_refused_naming_the_line(
    engine, db_url: str, tmp_path: Path, content: bytes, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "mine.csv"
    path.write_bytes(content)
    before = dump(db_url)
    with pytest.raises(SeedError) as error:
        import_csv(engine, path)
    assert message in str(error.value)
    assert dump(db_url) == before


# --- memory follows the batch, not the file --------------------------------------------------------

MEASURE = """
import sys
from d3k2db.exchange.transfer import import_csv
from d3k2db.storage.engine import make_engine
report = import_csv(make_engine(sys.argv[1]), sys.argv[2])
assert len(report.added) == int(sys.argv[3]), len(report.added)
with open("/proc/self/status") as status:
    print(next(line.split()[1] for line in status if line.startswith("VmHWM:")))
"""


def peak_rss_mb(url: str, path: Path, count: int) -> float:
    """The peak RSS of a child process that imports ``path``, as it reports it: VmHWM, the high-water
    mark of its own memory since it started Python. (Its ru_maxrss would also count the pages of
    this big test process it was forked from, before it exec'd.)"""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, url, str(path), str(count)],
        capture_output=True,
        text=True,
        timeout=600,  # a hang guard
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1]) / 1024  # kB


def test_memory_follows_the_batch_not_the_file(tmp_path: Path, seeded_template: Path) -> None:
    """20 times the rows may cost only the per-food fingerprints and names, not the rows themselves:
    holding 20,000 parsed rows and their plan (as imports did before) took 81 MB more than 1,000."""
    peaks = []
    for count in (1_000, 20_000):
        database = tmp_path / f"k2-{count}.sqlite"
        shutil.copy(seeded_template, database)
        data = write_foods(tmp_path / f"{count}.csv", count)
        peaks.append(peak_rss_mb(f"sqlite:///{database}", data, count))
    small, large = peaks
    assert large <= 300
    assert large - small <= 50, peaks


@pytest.mark.parametrize(("foods", "names", "line"), [(3, 100, 5), (100, 3, 4)])
def test_a_file_past_the_limits_is_refused_and_nothing_written(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, foods: int, names: int, line: int
) -> None:  # type: ignore[no-untyped-def]
    """The limits that keep the per-food fingerprints within 300 MB, lowered so that a small file
    passes them: the row that goes past one is named (the fourth food, on line 5; the third, on
    line 4, brings the names and aliases to 4, 'tf 0' being the first food's alias)."""
    monkeypatch.setattr(import_rows, "MAX_FOODS", foods)
    monkeypatch.setattr(import_rows, "MAX_NAMES", names)
    path = write_foods(tmp_path / "mine.csv", 6)
    before = dump(db_url)
    with pytest.raises(SeedError, match=rf"^mine\.csv line {line}: more than {foods} foods or {names} names"):
        import_csv(engine, path)
    assert dump(db_url) == before


# --- one transaction, many batches ------------------------------------------------------------------


def test_a_failure_late_in_a_large_file_leaves_the_database_as_it_was(
    engine, db_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """5,000 rows are three batches: two are written before the last row fails; all roll back."""
    assert transfer.BATCH_ROWS < 5_000
    path = write_foods(tmp_path / "mine.csv", 5_000, last={"mk7": "a lot"})
    before = dump(db_url)
    with pytest.raises(SeedError, match=r"^mine\.csv line 5001, column mk7: 'a lot' is not a number$"):
        import_csv(engine, path)
    assert dump(db_url) == before


def test_a_late_row_repeating_an_early_name_is_refused_naming_both_lines(
    engine, db_url: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    path = write_foods(tmp_path / "mine.csv", 4_500, last={"name": "Test Food 7"})
    before = dump(db_url)
    with pytest.raises(
        SeedError, match=r"line 4501, column name: 'Test Food 7' duplicates the name on line 9$"
    ):
        import_csv(engine, path)
    assert dump(db_url) == before


def _mine(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, EXPORT_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _tricky_file(path: Path) -> Path:
    """Rows whose plans depend on each other across batches: an alias moves to a food before its
    owner's row comes, a source is cited without a URL before a later row gives one, a seed food
    gains an alias, an unchanged food and an updated one."""
    return _mine(
        path,
        [
            {"name": "new cheese", "mk7": "5", "aliases": "my kefir nickname", "source": "notebook"},
            {"name": "unchanged food", "mk7": "2"},
            {"name": "second new", "mk4": "1", "source": "notebook"},
            {"name": "my kefir", "mk7": "3", "category": "custom"},
            {"name": "third new", "mk4": "2", "source": "notebook", "url": "https://example.org/notebook"},
            {"name": "changed food", "mk7": "9"},
        ],
    )


@pytest.mark.parametrize("batch", [1, 2, 4, 1000])
def test_batches_plan_what_one_plan_would(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, batch: int
) -> None:  # type: ignore[no-untyped-def]
    add_food(engine, FoodSpec.of("my kefir", mk7=3.0, aliases=["my kefir nickname"]))
    add_food(engine, FoodSpec.of("unchanged food", mk7=2.0))
    add_food(engine, FoodSpec.of("changed food", mk7=8.0))
    monkeypatch.setattr(transfer, "BATCH_ROWS", batch)
    path = _tricky_file(tmp_path / "mine.csv")
    before = dump(db_url)
    dry = import_csv(engine, path, dry_run=True)
    assert dump(db_url) == before
    report = import_csv(engine, path)
    expected = (
        ["new cheese", "second new", "third new"],
        ["my kefir", "changed food"],
        ["unchanged food"],
    )
    assert (report.added, report.updated, report.unchanged) == expected
    assert (dry.added, dry.updated, dry.unchanged) == expected
    from d3k2db import K2Database

    with K2Database(db_url) as db:
        assert db.show("my kefir nickname").name == "new cheese"
        assert db.show("my kefir").aliases == []
        sources = {s.citation: s.url for s in db.sources()}
        assert sources["notebook"] == "https://example.org/notebook"
    again = import_csv(engine, path)
    assert (again.added, again.updated, len(again.unchanged)) == ([], [], 6)


def test_an_alias_taken_from_a_food_the_file_never_names_is_refused(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    add_food(engine, FoodSpec.of("my kefir", mk7=3.0, aliases=["my kefir nickname"]))
    monkeypatch.setattr(transfer, "BATCH_ROWS", 1)
    rows = [{"name": "new cheese", "mk7": "5", "aliases": "my kefir nickname"}, {"name": "other", "mk7": "1"}]
    path = _mine(tmp_path / "mine.csv", rows)
    before = dump(db_url)
    message = r"^mine\.csv line 2, column aliases: 'my kefir nickname' is taken by the food 'my kefir'"
    for dry_run in (True, False):
        with pytest.raises(SeedError, match=message):
            import_csv(engine, path, dry_run=dry_run)
    assert dump(db_url) == before


def test_a_name_that_an_earlier_row_took_away_as_an_alias_is_still_refused(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """The alias 'sticky beans' of a seed food is the user's until the import commits: a later batch
    may not name a food so, whether or not the earlier batch was written."""
    add_alias(engine, "natto", "sticky beans")
    monkeypatch.setattr(transfer, "BATCH_ROWS", 1)
    exported = tmp_path / "all.csv"
    export.export_csv(engine, exported)
    natto = next(r for r in csv.DictReader(exported.open(encoding="utf-8")) if r["name"] == "natto")
    natto["aliases"] = " | ".join(a for a in natto["aliases"].split(" | ") if a != "sticky beans")
    path = _mine(tmp_path / "mine.csv", [natto, {"name": "sticky beans", "mk7": "1"}])
    before = dump(db_url)
    message = r"line 3, column name: 'sticky beans' is taken: it is an alias of the food 'natto'"
    for dry_run in (True, False):
        with pytest.raises(SeedError, match=message):
            import_csv(engine, path, dry_run=dry_run)
    assert dump(db_url) == before


def test_the_typo_index_is_refreshed_a_page_at_a_time(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    """refresh reads the new names PAGE at a time (it once held every new word of an import and all
    their variants at once); with one name a page, every word is still found by a typo."""
    from d3k2db import K2Database
    from d3k2db.storage import search_index

    monkeypatch.setattr(search_index, "PAGE", 1)
    rows = [
        {"name": "Roquefort wedge", "mk7": "5", "aliases": "blue sheep cheese"},
        {"name": "quark with herbs", "mk7": "1"},
    ]
    import_csv(engine, _mine(tmp_path / "mine.csv", rows))
    with engine.connect() as connection:
        words = set(search_index.indexed_words(connection))
        assert {"roquefort", "wedge", "sheep", "quark", "herb"} <= words
        assert search_index.unindexed_words(connection) == set()
    with K2Database(db_url) as db:
        assert db.search("roqefort wedge")[0].name == "Roquefort wedge"
        assert db.search("quark with herbz")[0].name == "quark with herbs"


# --- the second import of the same file -------------------------------------------------------------


def test_a_second_import_of_the_same_file_says_nothing_changes(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    path = write_foods(tmp_path / "mine.csv", 200)
    first = runner.invoke(app, ["import", str(path)])
    assert (first.exit_code, first.stdout.splitlines()[0]) == (0, "added 200, updated 0, unchanged 0")
    before = dump(db_url)
    second = runner.invoke(app, ["import", str(path)])
    assert (second.exit_code, second.stdout) == (
        0,
        "nothing to change: all 200 foods are already as in the file\n",
    )
    assert dump(db_url) == before
    chinese = runner.invoke(app, ["import", str(path), "--lang", "zh-Hant"])
    assert (chinese.exit_code, chinese.stdout) == (0, "沒有要變更的：200 種食物都已與檔案相同\n")
    simplified = runner.invoke(app, ["import", str(path), "--lang", "zh-Hans"])
    assert (simplified.exit_code, simplified.stdout) == (0, "没有要变更的：200 种食物都已与文件相同\n")
    one = _mine(tmp_path / "one.csv", [{"name": "test food 3", "mk7": "3.5", "category": "cheese"}])
    assert runner.invoke(app, ["import", str(one)]).stdout == (
        "nothing to change: the 1 food is already as in the file\n"
    )
    assert dump(db_url) == before


# --- the progress bar -------------------------------------------------------------------------------


def _stderr_on_a_terminal(args: list[str], url: str) -> tuple[int, str]:
    """Run d3k2db with stderr on a pseudo-terminal; its exit code and what it drew there."""
    leader, follower = pty.openpty()
    env = {**os.environ, "D3K2DB_URL": url, "TERM": "xterm", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "d3k2db", *args], stdout=subprocess.PIPE, stderr=follower, env=env
    )
    os.close(follower)
    drawn = b""
    while True:
        ready, _, _ = select.select([leader], [], [], HANG_GUARD_S)
        if not ready:
            process.kill()
            raise AssertionError("no output and no exit: hung")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        drawn += chunk
    os.close(leader)
    return process.wait(timeout=HANG_GUARD_S), drawn.decode("utf-8", "replace")


def test_a_progress_bar_on_a_terminal_only(sqlite_url: str, tmp_path: Path) -> None:
    path = write_foods(tmp_path / "mine.csv", 3_000)
    code, drawn = _stderr_on_a_terminal(["import", str(path)], sqlite_url)
    assert code == 0
    assert "import" in drawn and "━" in drawn  # rich's bar, named for the command
    piped = run("import", str(path), url=sqlite_url)
    assert (piped.returncode, piped.stderr) == (0, "")

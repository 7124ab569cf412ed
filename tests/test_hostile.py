"""Hostile and broken input: one clear line, the right exit code, never a traceback, data unchanged."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from d3k2db import K2Database
from d3k2db.cli import app
from d3k2db.errors import D3k2dbError
from tests.dbdump import dump

METACHARACTERS = [
    "'; DROP TABLE foods;--",
    "natto'; DELETE FROM aliases; --",
    '"',
    "*",
    "%",
    "_",
    "\\",
    "NEAR(",
    "natto OR 1=1",
    '" OR ""="',
    "^natto$",
    "[a-z]*",
    "\x00",
    "\x1b[31mred\x1b[0m",
    "\t\n\r",
    "🧀🥚",
    "natto\u200b",
    "ＮＡＴＴＯ",
]


def assert_clean_failure(result, codes: tuple[int, ...] = (1, 2)) -> None:  # type: ignore[no-untyped-def]
    assert result.exit_code in codes, (result.exit_code, result.stdout, result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(("error: ", "Usage: "))


@pytest.mark.parametrize("term", METACHARACTERS)
@pytest.mark.parametrize("command", ["search", "show", "meal"])
def test_metacharacters_never_break_or_change_anything(
    runner: CliRunner, db_url: str, command: str, term: str
) -> None:
    before = dump(db_url)
    result = runner.invoke(app, [command, term])
    if command == "meal" and result.exit_code == 3:  # a partial meal: what can be counted, the rest
        assert "Refused" in result.stdout  # listed refused with its reason (README, exit codes)
    elif result.exit_code != 0:
        assert_clean_failure(result)
        assert len(result.stderr.strip().splitlines()) == 1 or result.stderr.startswith("Usage: ")
    assert dump(db_url) == before


@pytest.mark.parametrize("command", ["search", "show", "meal"])
def test_a_one_megabyte_argument_is_refused_quickly(runner: CliRunner, db_url: str, command: str) -> None:
    result = runner.invoke(app, [command, "n" * 1_000_000])
    assert_clean_failure(result, (2,))
    assert "too long" in result.stderr


def test_unreachable_postgresql_url_is_one_line(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "natto", "--db", "postgresql+psycopg://nobody@127.0.0.1:1/none"])
    assert_clean_failure(result, (1,))
    assert "cannot use the database" in result.stderr and "Connection refused" in result.stderr


def test_a_data_folder_that_cannot_be_created_is_one_line(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["search", "natto", "--db", f"sqlite:///{blocker}/sub/k2.sqlite"])
    assert_clean_failure(result, (1,))
    assert "does not exist" in result.stderr  # only the default data folder is ever created


def test_a_missing_data_folder_is_created(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "does" / "not" / "exist"))
    result = runner.invoke(app, ["search", "natto"])
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "does" / "not" / "exist" / "d3k2db" / "d3k2db.sqlite").is_file()


def test_read_only_storage_is_one_line_with_a_remedy(runner: CliRunner, tmp_path: Path) -> None:
    """Read-only storage, simulated with SQLite's own read-only mode (root ignores permissions)."""
    url = f"sqlite:///file:{tmp_path}/k2.sqlite?mode=ro&uri=true"
    result = runner.invoke(app, ["search", "natto", "--db", url])
    assert_clean_failure(result, (1,))
    assert "cannot open" in result.stderr and "--db" in result.stderr


def test_a_truncated_database_file_is_one_line(
    runner: CliRunner, seeded_template: Path, tmp_path: Path
) -> None:
    path = tmp_path / "damaged.sqlite"
    path.write_bytes(seeded_template.read_bytes()[:100] + b"\x00garbage" * 64)
    result = runner.invoke(app, ["search", "natto", "--db", f"sqlite:///{path}"])
    assert_clean_failure(result, (1,))
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def library(tmp_path_factory: pytest.TempPathFactory, seeded_template: Path) -> K2Database:
    import shutil

    path = tmp_path_factory.mktemp("fuzz") / "k2.sqlite"
    shutil.copy(seeded_template, path)
    return K2Database(f"sqlite:///{path}")


TEXT = st.one_of(
    st.text(max_size=60),
    st.text(
        alphabet=st.sampled_from(list("natoegbuter%_*'\"\\() -,;+0123456789½/x納豆雞蛋🧀\x00\t")), max_size=40
    ),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(term=TEXT)
def test_search_and_show_return_results_or_their_own_error(library: K2Database, term: str) -> None:
    for call in (lambda: library.search(term), lambda: library.show(term)):
        with contextlib.suppress(D3k2dbError):  # the tool's own error is a fine answer
            call()


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(TEXT, max_size=5))
def test_meal_returns_a_result_or_its_own_error(library: K2Database, words: list[str]) -> None:
    try:
        result = library.meal(words)
    except D3k2dbError:
        return
    assert result.k2 >= 0
    assert all(item.grams > 0 for item in result.items)


CSV_TEXT = st.one_of(
    st.binary(max_size=400),
    st.lists(
        st.lists(
            st.text(alphabet=st.sampled_from(list("ab1.5-=,;\"'\n\r\t é納🧀\x00")), max_size=8), max_size=6
        ),
        max_size=6,
    ).map(
        lambda rows: "\n".join(",".join(cells) for cells in [["name", "mk7", "tag"], *rows]).encode("utf-8")
    ),
)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=CSV_TEXT)
def test_csv_import_of_anything_gives_a_report_or_its_own_error(
    library: K2Database, tmp_path_factory: pytest.TempPathFactory, content: bytes
) -> None:
    path = tmp_path_factory.mktemp("csv") / "fuzz.csv"
    path.write_bytes(content)
    try:
        report = library.import_csv(path, dry_run=True)
    except D3k2dbError:
        return
    assert report.dry_run

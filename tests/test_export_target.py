"""Issue 20, item 2: an export never clobbers its own database.

`export -o x.sqlite --db sqlite:///x.sqlite` overwrote the database with CSV and said "exported 378
foods"; the file was no longer a database. The output path is now compared with the database file
and its -wal/-shm/-journal files before anything is written.
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app


@pytest.mark.parametrize("suffix", ["", "-wal", "-shm", "-journal"])
@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_export_onto_the_database_itself_is_refused(
    runner: CliRunner, tmp_path: Path, seeded_template: Path, suffix: str, fmt: str
) -> None:
    database = tmp_path / "x.sqlite"
    shutil.copy(seeded_template, database)
    before = database.read_bytes()
    target = tmp_path / f"x.sqlite{suffix}"
    result = runner.invoke(
        app, ["export", "-o", str(target), "--format", fmt, "--db", f"sqlite:///{database}"]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "database itself" in result.stderr
    assert database.read_bytes() == before
    with sqlite3.connect(database) as connection:  # still a database with every food
        assert connection.execute("SELECT count(*) FROM foods").fetchone()[0] > 1000


def test_the_same_file_by_another_spelling_is_refused(
    runner: CliRunner, tmp_path: Path, seeded_template: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = tmp_path / "x.sqlite"
    shutil.copy(seeded_template, database)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "sub").mkdir()
    result = runner.invoke(app, ["export", "-o", "sub/../x.sqlite", "--db", "sqlite:///x.sqlite"])
    assert result.exit_code == 2 and "database itself" in result.stderr


def test_an_export_beside_the_database_is_written(
    runner: CliRunner, tmp_path: Path, seeded_template: Path
) -> None:
    database = tmp_path / "x.sqlite"
    shutil.copy(seeded_template, database)
    result = runner.invoke(app, ["export", "-o", str(tmp_path / "x.csv"), "--db", f"sqlite:///{database}"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.csv").read_text(encoding="utf-8").startswith("name,")

"""Every error a user can cause ends as one line and an exit code at the I/O edge, never a traceback.

Each case here was reproduced from a fresh install before it was fixed (issue: one edge for every
error). Whole-process cases run `python -m d3k2db` so that stdout, files and processes are real.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.database import make_engine
from d3k2db.errors import DatabaseError


def run(*args: str, url: str, stdout: object = subprocess.PIPE) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "D3K2DB_URL": url}
    return subprocess.run(
        [sys.executable, "-m", "d3k2db", *args], env=env, stdout=stdout, stderr=subprocess.PIPE, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def one_line_error(stderr: str) -> str:
    lines = [line for line in stderr.splitlines() if line.strip()]
    assert "Traceback" not in stderr, stderr
    assert len(lines) == 1 and lines[0].startswith("error: "), stderr
    return lines[0]


@pytest.mark.parametrize("command", [["search", "egg"], ["top"], ["pair", "--d3", "5000"]])
def test_a_huge_limit_is_a_usage_error(runner: CliRunner, db_url: str, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--limit", "99999999999999999999"])
    assert result.exit_code == 2
    assert "--limit" in result.stderr and "Traceback" not in result.stderr


def test_export_to_a_missing_folder(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "-o", str(tmp_path / "nowhere" / "x.csv")])
    assert result.exit_code == 2
    assert one_line_error(result.stderr).endswith(f"the folder {tmp_path / 'nowhere'} does not exist")
    assert not (tmp_path / "nowhere").exists()


def test_export_to_a_folder(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["export", "-o", str(tmp_path)])
    assert result.exit_code == 2
    assert "is a folder" in one_line_error(result.stderr)


def test_export_to_dash_is_standard_output(
    runner: CliRunner, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # undone after the test: later tests keep the checkout as cwd
    result = runner.invoke(app, ["export", "-o", "-", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["count"] > 300
    assert not (tmp_path / "-").exists()


def test_a_full_disk_is_one_line(db_url: str) -> None:
    if not Path("/dev/full").exists():
        pytest.skip("this system has no /dev/full to write to")
    with open("/dev/full", "w") as full:
        result = run("search", "natto", url=db_url, stdout=full)
    assert result.returncode == 1
    assert one_line_error(result.stderr) == "error: cannot write the output: No space left on device"


def test_a_closed_pipe_ends_quietly(db_url: str) -> None:
    env = {**os.environ, "D3K2DB_URL": db_url}
    process = subprocess.Popen(
        [sys.executable, "-m", "d3k2db", "search", "--limit", "300"], env=env,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    process.stdout.readline()
    process.stdout.close()  # `| head -1`
    stderr = process.stderr.read().decode()
    process.wait(timeout=60)
    assert "Traceback" not in stderr and "Exception ignored" not in stderr


def test_a_sqlite_file_in_a_missing_folder_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    missing = tmp_path / "no" / "such" / "dir"
    result = runner.invoke(app, ["search", "natto", "--db", f"sqlite:///{missing / 'x.sqlite'}"])
    assert result.exit_code == 1
    assert f"the folder {missing} does not exist" in one_line_error(result.stderr)
    assert not (tmp_path / "no").exists()  # nothing was created
    with pytest.raises(DatabaseError):
        make_engine(f"sqlite:///{missing / 'x.sqlite'}")


def test_an_in_memory_database_warns_that_nothing_is_kept(runner: CliRunner) -> None:
    result = runner.invoke(app, ["add", "my food", "--total", "5", "--db", "sqlite://"])
    assert result.exit_code == 0
    assert "warning: an in-memory database keeps nothing" in result.stderr


def test_a_missing_driver_names_the_extra_to_install() -> None:
    with pytest.raises(DatabaseError) as error:
        make_engine("postgresql+pg8000://user@localhost/d3k2db")
    assert "pip install 'd3k2db[postgres]'" in str(error.value)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com/x", "'http' is not a database SQLAlchemy knows: use sqlite:///"),
        ("postgres://user@localhost/d3k2db", "write the URL as postgresql+psycopg://"),
    ],
)
def test_a_url_of_no_known_database_says_what_to_write(url: str, message: str) -> None:
    with pytest.raises(DatabaseError) as error:
        make_engine(url)
    assert message in str(error.value)


def test_a_folder_given_as_the_sqlite_file_is_named_a_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["search", "natto", "--db", f"sqlite:///{tmp_path}"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        f"error: {tmp_path} is a folder, not a database file: name a file in it,"
        f" e.g. {tmp_path}/d3k2db.sqlite; choose another database with --db URL"  # the CLI's remedy
    )
    assert list(tmp_path.iterdir()) == [tmp_path / "home"]  # nothing was created


def test_a_read_only_database_that_needs_writing_says_why(
    runner: CliRunner, tmp_path: Path, seeded_template: Path
) -> None:
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:  # an older seed: the next run must refresh it
        connection.exec_driver_sql("UPDATE meta SET value = 'old' WHERE key = 'seed_sha256'")
    engine.dispose()
    result = runner.invoke(app, ["search", "natto", "--db", f"sqlite:///file:{path}?mode=ro&uri=true"])
    assert result.exit_code == 1
    line = one_line_error(result.stderr)
    assert "read-only" in line and "writable" in line


def test_a_json_file_given_to_import(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    exported = tmp_path / "all.json"
    assert runner.invoke(app, ["export", "--format", "json", "-o", str(exported)]).exit_code == 0
    result = runner.invoke(app, ["import", str(exported)])
    assert result.exit_code == 2
    assert "looks like JSON" in one_line_error(result.stderr)


@pytest.mark.parametrize("command", ["import", "import-fdc"])
def test_import_reports_only_as_table_or_json(
    runner: CliRunner, db_url: str, command: str, tmp_path: Path
) -> None:
    result = runner.invoke(app, [command, str(tmp_path), "--format", "csv"])
    assert result.exit_code == 2 and "'csv' is not one of" in result.stderr


def test_an_import_summarises_unless_verbose(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    mine = tmp_path / "mine.csv"
    mine.write_text(
        "name,total_k2\n" + "".join(f"food number {n},{n}\n" for n in range(1, 51)), encoding="utf-8"
    )
    quiet = runner.invoke(app, ["import", str(mine), "--dry-run"])
    assert quiet.exit_code == 0 and len(quiet.stdout.strip().splitlines()) == 2
    loud = runner.invoke(app, ["import", str(mine), "--dry-run", "--verbose"])
    assert sum(line.startswith("  + ") for line in loud.stdout.splitlines()) == 50


def test_show_and_search_take_a_name_without_quotes(runner: CliRunner, db_url: str) -> None:
    shown = runner.invoke(app, ["show", "egg", "yolk", "--format", "json"])
    assert shown.exit_code == 0 and json.loads(shown.stdout)["name"] == "egg yolk, raw"
    found = runner.invoke(app, ["search", "goose", "liver", "--format", "json"])
    assert found.exit_code == 0
    assert json.loads(found.stdout)["foods"][0]["name"] == "goose liver pâté (foie gras)"


def test_first_runs_started_together_all_succeed(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.sqlite'}"
    env = {**os.environ, "D3K2DB_URL": url}
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "d3k2db", "meal", "2", "eggs"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    for process in processes:
        out, err = process.communicate(timeout=180)
        assert process.returncode == 0, err
        assert "Traceback" not in err and "whole egg, raw" in out

"""A SQLite file in a read-only folder: lookups work, a write says the folder must be writable.

SQLite's write-ahead log needs two files beside the database (-wal, -shm), so a read-only folder
used to fail every command with a message about the file. The folder here is made truly read-only
with a read-only bind mount in a private mount namespace (``unshare -m``): root ignores permission
bits, but not a read-only mount (EROFS).
"""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

MOUNT = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" && shift && exec "$@"'


def in_read_only_folder(folder: Path, *command: str) -> subprocess.CompletedProcess[str]:
    """Run ``command`` with ``folder`` mounted read-only for it alone."""
    return subprocess.run(
        ["unshare", "-m", "sh", "-c", MOUNT, "sh", str(folder), *command],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "D3K2DB_LANG": "en"},
    )


def d3k2db(*args: str) -> list[str]:
    return [sys.executable, "-m", "d3k2db", *args]


@pytest.fixture
def folder(tmp_path: Path, seeded_template: Path) -> Path:
    shutil.copy(seeded_template, tmp_path / "k2.sqlite")
    probe = in_read_only_folder(tmp_path, "touch", str(tmp_path / "probe"))
    assert probe.returncode != 0 and "Read-only file system" in probe.stderr, probe.stderr
    return tmp_path


def test_lookups_work_in_a_read_only_folder(folder: Path) -> None:
    url = f"sqlite:///{folder / 'k2.sqlite'}"
    search = in_read_only_folder(folder, *d3k2db("search", "natto", "--db", url, "--format", "csv"))
    assert search.returncode == 0, search.stderr
    assert search.stdout.splitlines()[1].startswith("natto,")
    meal = in_read_only_folder(folder, *d3k2db("meal", "2 eggs", "--db", url))
    assert meal.returncode == 0, meal.stderr
    assert not (folder / "k2.sqlite-wal").exists() and not (folder / "k2.sqlite-shm").exists()


@pytest.mark.parametrize(
    "command",
    [("add", "my food", "--mk7", "5"), ("alias", "add", "natto", "my natto"), ("remove", "my own food")],
)
def test_a_write_in_a_read_only_folder_names_the_folder_and_the_log_files(
    folder: Path, command: tuple[str, ...]
) -> None:
    path = folder / "k2.sqlite"
    if command[0] == "remove":  # written while the folder was writable
        made = subprocess.run(d3k2db("add", "my own food", "--mk7", "1", "--db", f"sqlite:///{path}"))
        assert made.returncode == 0
    before = path.read_bytes()
    result = in_read_only_folder(folder, *d3k2db(*command, "--db", f"sqlite:///{path}"))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert f"the folder {folder} is read-only" in lines[0]
    assert "k2.sqlite-wal" in lines[0] and "k2.sqlite-shm" in lines[0] and "writable" in lines[0]
    assert path.read_bytes() == before


def test_an_outdated_database_in_a_read_only_folder_says_it_must_be_updated_once(folder: Path) -> None:
    path = folder / "k2.sqlite"
    connection = sqlite3.connect(path)  # an older seed: the next run must refresh it
    with connection:
        connection.execute("UPDATE meta SET value = 'old' WHERE key = 'seed_sha256'")
    connection.close()  # the last connection checkpoints and removes the -wal file
    assert not (folder / "k2.sqlite-wal").exists()
    result = in_read_only_folder(folder, *d3k2db("search", "natto", "--db", f"sqlite:///{path}"))
    assert result.returncode == 1
    line = result.stderr.strip()
    assert "\n" not in line
    assert "must be brought up to date once" in line and f"folder {folder} is read-only" in line

"""The lookups' kept connections (storage/readers.py): one per thread, reused from lookup to
lookup, each lookup seeing the latest commit; a file moved over the database opened anew."""

from __future__ import annotations

import shutil
import sqlite3
import threading
from pathlib import Path

import pytest

from d3k2db import K2Database
from d3k2db.storage.readers import Readers


@pytest.fixture
def database_file(tmp_path: Path, seeded_template: Path) -> Path:
    """A migrated and seeded SQLite file (SQLite only: the readers are the stdlib path)."""
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    return path


def test_a_thread_keeps_its_connection_and_sees_each_new_commit(database_file: Path) -> None:
    readers = Readers(database_file)
    with readers.reading() as first:
        count = first.execute("SELECT count(*) FROM sources").fetchone()[0]
    with sqlite3.connect(database_file) as writer:
        writer.execute("INSERT INTO sources (citation, url) VALUES ('a test source', NULL)")
    with readers.reading() as second:
        assert second is first
        assert second.execute("SELECT count(*) FROM sources").fetchone()[0] == count + 1
    readers.close()


def test_each_thread_has_its_own_and_close_closes_them_all(database_file: Path) -> None:
    readers = Readers(database_file)
    seen: list[sqlite3.Connection] = []

    def look() -> None:
        with readers.reading() as connection:
            seen.append(connection)

    threads = [threading.Thread(target=look) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    look()
    assert len({id(c) for c in seen}) == 3
    readers.close()
    for connection in seen:
        with pytest.raises(sqlite3.ProgrammingError):
            connection.execute("SELECT 1")


def test_a_file_moved_over_the_database_is_read_anew(database_file: Path, tmp_path: Path) -> None:
    with sqlite3.connect(database_file) as plain:  # no -wal file left beside it to mismatch the new one
        plain.execute("PRAGMA journal_mode = DELETE")
    readers = Readers(database_file)
    with readers.reading() as before:
        pass
    other = tmp_path / "other.sqlite"
    shutil.copy(database_file, other)
    with sqlite3.connect(other) as writer:
        writer.execute("INSERT INTO sources (citation, url) VALUES ('only in the copy', NULL)")
    other.replace(database_file)
    with readers.reading() as after:
        assert after is not before
        found = after.execute("SELECT count(*) FROM sources WHERE citation = 'only in the copy'")
        assert found.fetchone()[0] == 1
    readers.close()


def test_a_lookup_inside_another_gets_a_connection_of_its_own(database_file: Path) -> None:
    readers = Readers(database_file)
    with readers.reading() as outer, readers.reading() as inner:
        assert inner is not outer
        assert inner.execute("SELECT 1").fetchone()[0] == 1
    with readers.reading() as again:
        assert again is outer  # the kept one, its transaction ended
    readers.close()


def test_k2database_lookups_reuse_one_connection(database_file: Path) -> None:
    with K2Database(f"sqlite:///{database_file}") as db:
        db.search("natto")
        assert db._readers is not None
        kept = list(db._readers.opened)
        db.show("natto")
        db.search("butter")
        assert db._readers.opened == kept and len(kept) == 1

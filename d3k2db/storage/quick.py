"""Whether a SQLite file is ready for lookups, decided with the stdlib alone (no SQLAlchemy).

A lookup on a database that is already migrated and seeded needs neither SQLAlchemy nor Alembic:
``ready_sqlite_file`` reads the two values ``engine.ensure_ready`` compares (the Alembic revision
and the seed's fingerprint) over ``sqlite3`` and names the file when both are current. Anything
else — a new or missing file, an older schema, a changed seed, a newer d3k2db's database, a
read-only folder, a URL with options, PostgreSQL — answers None, and the caller takes the
SQLAlchemy path, which does what is needed or says why it cannot.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .reads import SqliteReader

# The Alembic revisions this version of d3k2db knows, oldest first. A test checks this against
# migrations/versions so that a new migration cannot be forgotten here.
KNOWN_REVISIONS: tuple[str, ...] = ("0001", "0002", "0003", "0004", "0005")
HEAD_REVISION = KNOWN_REVISIONS[-1]
SEED_FILES = ("foods.csv", "measurements.csv", "aliases.csv", "portions.csv", "sources.csv")
SEED_KEY = "seed_sha256"
# The d3k2db version that last brought the database up to date, so that a database an older
# d3k2db cannot read names the release to upgrade to.
VERSION_KEY = "written_by"

_SQLITE_PREFIXES = ("sqlite:///", "sqlite+pysqlite:///")
BUSY_TIMEOUT_S = 30  # as the engine's: wait out another process's short write lock


def seed_fingerprint(folder: Path) -> str:
    """A hash of the seed files in ``folder``: when it changes, the seed foods are refreshed."""
    digest = hashlib.sha256()
    for name in SEED_FILES:
        path = folder / name
        if path.exists():
            digest.update(name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def sqlite_file(url: str) -> Path | None:
    """The file of a plain SQLite URL ('sqlite:///k2.sqlite'); None for anything that needs
    SQLAlchemy to read it (another database, memory, options, URI filenames, escapes)."""
    prefix = next((p for p in _SQLITE_PREFIXES if url.startswith(p)), None)
    if prefix is None:
        return None
    database = url[len(prefix) :]
    if not database or database == ":memory:" or database.startswith(("file:", "~")):
        return None
    if any(ch in database for ch in "?%#"):
        return None
    return Path(database)


def is_in_memory(url: str) -> bool:
    """A SQLite database that lives only as long as the process ('sqlite://', ':memory:'); a plain
    SQLite file's URL is told apart without importing SQLAlchemy."""
    if sqlite_file(url) is not None:
        return False
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def ready_sqlite_file(url: str, seed_folder: Path) -> Path | None:
    """The SQLite file of ``url`` when it exists, can be read as usual, and holds the current
    schema and the seed of ``seed_folder``: lookups may then read it with :func:`reading`. Else None."""
    path = sqlite_file(url)
    if path is None or not path.is_file() or not os.access(path.parent, os.W_OK):
        return None  # new, missing, or in a read-only folder (engine._read_only_sqlite_uri)
    try:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S)
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
            seed = connection.execute("SELECT value FROM meta WHERE key = ?", (SEED_KEY,)).fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return None  # not a d3k2db database, not SQLite, locked …: the engine path says which
    if revision != [(HEAD_REVISION,)] or seed != [(seed_fingerprint(seed_folder),)]:
        return None
    return path


@contextmanager
def reading(path: Path) -> Iterator[SqliteReader]:
    """A read-only connection whose queries all see one committed state of the file (an explicit
    BEGIN: WAL keeps the snapshot of the first read), as ``engine.snapshot`` gives. A failure is
    raised as sqlite3 raised it, for d3k2db/database.py to word."""
    connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, factory=SqliteReader)
    connection.cache_key = f"sqlite:///{path}"
    try:
        connection.execute("BEGIN")
        yield connection
    finally:
        connection.rollback()
        connection.close()

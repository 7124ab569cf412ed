"""Engines, snapshots, the schema's state and the lock held while a database is set up.

The lookup path only reads two small rows (schema revision, seed fingerprint) to decide that
nothing needs doing; Alembic is imported only when something does. Nothing here words a failure:
a refused URL or a database failure is raised as SQLAlchemy raised it, for d3k2db/database.py to
word, and "migrate and seed on first use" is d3k2db/ready.py's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url

# the readiness constants live with the check that needs no SQLAlchemy (quick.py); re-exported
from .quick import HEAD_REVISION as HEAD_REVISION
from .quick import KNOWN_REVISIONS as KNOWN_REVISIONS
from .quick import SEED_KEY as SEED_KEY
from .quick import VERSION_KEY as VERSION_KEY
from .quick import seed_fingerprint as seed_fingerprint


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while a writer imports; the busy timeout waits out short write locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL, with SQLite's pragmas on every connection and a SQLite file
    in a read-only folder opened read-only. SQLAlchemy's own errors (a malformed URL, an unknown
    database or a missing driver) are raised as they are: d3k2db.database.make_engine words them."""
    parsed = make_url(url)
    is_sqlite = parsed.get_backend_name() == "sqlite"
    read_only = _read_only_sqlite_uri(parsed.database) if is_sqlite and not parsed.query else None
    if read_only is not None:
        engine = create_engine(url, creator=_read_only_connector(read_only))
    else:
        engine = create_engine(url, connect_args={"timeout": 30} if is_sqlite else {})
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def folder_is_read_only(database: str) -> bool:
    """A SQLite file that exists in a folder this process cannot write (a read-only mount, a shared
    folder without write permission): SQLite cannot create its -wal and -shm files there."""
    path = Path(database).expanduser()
    return path.is_file() and not os.access(path.parent, os.W_OK)


def _read_only_sqlite_uri(database: str | None) -> str | None:
    """How to open a SQLite file in a read-only folder for lookups, or None to open it as usual.

    A WAL database normally needs its -shm file, which cannot be created there. With no -wal file
    beside it, every commit is in the main file and nobody can add one, so SQLite may read it as
    immutable; with a -wal file (and its -shm), plain read-only mode reads the log too.
    """
    if not database or database.startswith("file:") or not folder_is_read_only(database):
        return None
    path = Path(database).expanduser().resolve()
    from urllib.parse import quote

    immutable = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    return f"file:{quote(str(path))}?mode=ro{immutable}"


def _read_only_connector(uri: str):  # type: ignore[no-untyped-def]
    import sqlite3

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)

    return connect


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only connection whose queries all see one committed state of the database.

    A lookup runs several queries (exact names, substrings, typos, full rows). PostgreSQL's default
    READ COMMITTED, like pysqlite's untransacted SELECTs, lets each query see the newest commit, so
    a search racing another process's import could mix the states before and after it and show
    part of the import. REPEATABLE READ (PostgreSQL) and an explicit BEGIN (SQLite, where WAL keeps
    the snapshot of the first read) pin one state; nothing is ever committed here.
    """
    with engine.connect() as connection:
        if connection.dialect.name == "postgresql":
            connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
        elif connection.dialect.name == "sqlite":
            connection.exec_driver_sql("BEGIN")
        yield connection


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # None: an empty database (no alembic_version table or row)
    seed: str | None  # fingerprint of the seed the database holds
    written_by: str | None = None  # the d3k2db version that last brought it up to date
    foreign: bool = False  # it holds tables but no alembic_version: not a d3k2db database


def schema_state(engine: Engine) -> SchemaState:
    """Read the schema revision and the seed fingerprint without importing Alembic."""
    with engine.connect() as connection:
        tables = _table_names(connection)
        if "alembic_version" not in tables:
            return SchemaState(None, None, foreign=bool(tables - {"sqlite_sequence"}))
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        seed = written_by = None
        if "meta" in tables:
            rows = connection.execute(
                text("SELECT key, value FROM meta WHERE key IN (:seed, :version)"),
                {"seed": SEED_KEY, "version": VERSION_KEY},
            )
            values: dict[str, str] = {str(key): str(value) for key, value in rows}
            seed, written_by = values.get(SEED_KEY), values.get(VERSION_KEY)
        return SchemaState(revision, seed, written_by)


def _table_names(connection) -> set[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import inspect  # cheap; kept local to make the read-only path obvious

    return set(inspect(connection).get_table_names())


def record_version(engine: Engine, version: str) -> None:
    """Note the d3k2db ``version`` that brought the database up to date."""
    from .upsert import put_meta

    with engine.begin() as connection:
        put_meta(connection, VERSION_KEY, version)


_LOCK_KEY = 0x6433_6B32  # 'd3k2': the PostgreSQL advisory lock taken while a database is set up


@contextmanager
def setup_lock(engine: Engine) -> Iterator[None]:
    """Exclusive while migrating and seeding: a lock file beside a SQLite file (flock), an
    advisory lock on PostgreSQL. Where no lock can be taken (read-only folder, other platforms),
    the migration's and the seed's own transactions are the only guard."""
    url = engine.url
    if url.get_backend_name() == "postgresql":
        with engine.connect() as connection:
            connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _LOCK_KEY})
            try:
                yield
            finally:
                connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _LOCK_KEY})
                connection.commit()
        return
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        yield
        return
    try:
        import fcntl

        handle = open(f"{Path(url.database).expanduser()}.lock", "a")  # noqa: SIM115
    except (ImportError, OSError):
        yield
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to ``revision`` with Alembic (imported only now)."""
    from . import migrate  # lazy: Alembic

    migrate.upgrade(engine, revision)

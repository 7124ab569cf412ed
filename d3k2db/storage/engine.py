"""Engines, sessions, and getting a database ready for use (migrate + seed on first use).

The lookup path only reads two small rows (schema revision, seed fingerprint) to decide that
nothing needs doing; Alembic and pandas are imported only when something does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from ..config import resolve_url
from ..errors import DatabaseError
from ..i18n import _

# the readiness constants live with the check that needs no SQLAlchemy (quick.py); re-exported
from .quick import HEAD_REVISION as HEAD_REVISION
from .quick import KNOWN_REVISIONS as KNOWN_REVISIONS
from .quick import SEED_KEY as SEED_KEY
from .quick import VERSION_KEY as VERSION_KEY
from .quick import seed_fingerprint as seed_fingerprint

if TYPE_CHECKING:
    from .changes import UpgradeReport


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while a writer imports; the busy timeout waits out short write locks.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def is_in_memory(url: str) -> bool:
    """A SQLite database that lives only as long as the process ('sqlite://', ':memory:')."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return False
    return parsed.get_backend_name() == "sqlite" and parsed.database in (None, "", ":memory:")


def _sqlite_folder(database: str) -> None:
    """The folder of a SQLite file must exist; only the default data folder is created."""
    if database.startswith("file:"):  # a SQLite URI filename: file:/path?mode=ro
        database = database[len("file:") :].split("?", 1)[0]
    if Path(database).expanduser().is_dir():
        raise DatabaseError(
            _("{path} is a folder, not a database file: name a file in it, e.g. {path}/d3k2db.sqlite").format(
                path=database
            )
        )
    folder = Path(database).expanduser().parent
    if folder.is_dir():
        return
    from ..config import DB_FILENAME, user_data_dir

    if Path(database).expanduser() != user_data_dir() / DB_FILENAME:
        raise DatabaseError(
            _(
                "the folder {folder} does not exist: create it first, "
                "or use a SQLite file in an existing folder"
            ).format(folder=folder)
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DatabaseError(
            _("cannot create the data folder {folder}: {reason}").format(folder=folder, reason=exc.strerror)
        ) from None


def make_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL. A SQLite file's folder must exist, except the default
    data folder, which is created on first use."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            _("not a database URL: {url} (expected e.g. sqlite:///path/to/file.db)").format(url=repr(url))
        ) from None
    is_sqlite = parsed.get_backend_name() == "sqlite"
    if is_sqlite and parsed.database and parsed.database != ":memory:":
        _sqlite_folder(parsed.database)
    read_only = _read_only_sqlite_uri(parsed.database) if is_sqlite and not parsed.query else None
    try:
        if read_only is not None:
            engine = create_engine(url, creator=_read_only_connector(read_only))
        else:
            engine = create_engine(url, connect_args={"timeout": 30} if is_sqlite else {})
    except (NoSuchModuleError, ImportError) as exc:
        if parsed.drivername.split("+")[0] == "postgres":  # the Heroku spelling
            raise DatabaseError(
                _("write the URL as postgresql+psycopg://… (SQLAlchemy does not read postgres://)")
            ) from None
        if isinstance(exc, NoSuchModuleError):  # SQLAlchemy knows no database by that name
            raise DatabaseError(
                _(
                    "{driver} is not a database SQLAlchemy knows: use sqlite:///path/to/file.db"
                    " or postgresql+psycopg://user@host/dbname"
                ).format(driver=repr(parsed.drivername))
            ) from None
        hint = (
            _(" — install it with: pip install 'd3k2db[postgres]', and use postgresql+psycopg://…")
            if parsed.get_backend_name() == "postgresql"
            else ""
        )
        raise DatabaseError(
            _("no database driver for {driver} ({reason})").format(driver=repr(parsed.drivername), reason=exc)
            + hint
        ) from None
    if is_sqlite:
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _folder_is_read_only(database: str) -> bool:
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
    if not database or database.startswith("file:") or not _folder_is_read_only(database):
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
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                connection.execution_options(isolation_level="REPEATABLE READ", postgresql_readonly=True)
            elif connection.dialect.name == "sqlite":
                connection.exec_driver_sql("BEGIN")
            yield connection
    except DBAPIError as exc:
        raise DatabaseError(describe_db_failure(engine, exc)) from None


@dataclass(frozen=True)
class SchemaState:
    revision: str | None  # None: an empty database (no alembic_version table or row)
    seed: str | None  # fingerprint of the seed the database holds
    written_by: str | None = None  # the d3k2db version that last brought it up to date


def schema_state(engine: Engine) -> SchemaState:
    """Read the schema revision and the seed fingerprint without importing Alembic."""
    try:
        with engine.connect() as connection:
            tables = _table_names(connection)
            if "alembic_version" not in tables:
                if tables - {"sqlite_sequence"}:
                    raise DatabaseError(
                        _(
                            "{url} holds tables but is not a d3k2db database; "
                            "point --db at an empty or d3k2db database"
                        ).format(url=engine.url.render_as_string(hide_password=True))
                    )
                return SchemaState(None, None)
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
    except DBAPIError as exc:
        raise DatabaseError(describe_db_failure(engine, exc)) from None


def _table_names(connection) -> set[str]:  # type: ignore[no-untyped-def]
    from sqlalchemy import inspect  # cheap; kept local to make the read-only path obvious

    return set(inspect(connection).get_table_names())


def describe_db_failure(engine: Engine, exc: DBAPIError) -> str:
    """The cause of a database failure in one line, with a remedy where there is one."""
    where = engine.url.render_as_string(hide_password=True)
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if "file is not a database" in reason:
        return _("{url} is not a SQLite database (the file is corrupt or of another kind)").format(url=where)
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and not database.startswith("file:") and _folder_is_read_only(database):
        return read_only_folder_message(database)
    if "readonly database" in reason:
        return _(
            "{url} is read-only, and d3k2db must write it once to bring its schema or seed up to date: "
            "make the file and its folder writable, or copy it somewhere writable and use --db"
        ).format(url=where)
    if "unable to open database file" in reason:
        return _(
            "cannot open {url}: the file or its folder is not readable and writable by you "
            "(check the permissions, or use --db with a file in a folder you can write)"
        ).format(url=where)
    return _("cannot use the database {url}: {reason}").format(url=where, reason=reason)


def read_only_folder_message(database: str, *, needs_update: bool = False) -> str:
    """Why a SQLite file in a read-only folder cannot be written: SQLite's log files go beside it."""
    folder = Path(database).expanduser().resolve().parent
    template = (
        _(
            "{name} was written by an earlier d3k2db and must be brought up to date once, but its "
            "folder {folder} is read-only (SQLite writes its log files {name}-wal and {name}-shm "
            "beside the database): make the folder writable, or copy the file to a folder you can write"
        )
        if needs_update
        else _(
            "the folder {folder} is read-only: d3k2db can look foods up in {name} but not change it, "
            "because SQLite writes its log files ({name}-wal, {name}-shm) beside the database; "
            "make the folder writable, or copy the file to a folder you can write"
        )
    )
    return template.format(folder=folder, name=Path(database).name)


def ensure_ready(engine: Engine) -> UpgradeReport | None:
    """Migrate and seed on first use; upgrade an older schema; refresh a changed seed.

    Returns None when nothing needed doing, else what was done, with what a changed seed did to the
    user's own aliases and foods (storage/changes.py). A database written by a newer d3k2db is
    refused untouched.
    """
    state = schema_state(engine)
    if state.revision is not None and state.revision not in KNOWN_REVISIONS:
        raise DatabaseError(newer_database_message(state))
    fingerprint = seed_fingerprint()
    if state.revision == HEAD_REVISION and state.seed == fingerprint:
        return None
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and not database.startswith("file:") and _folder_is_read_only(database):
        raise DatabaseError(read_only_folder_message(database, needs_update=True))
    from .changes import UpgradeReport

    # Several processes may start together on a new machine: one migrates and seeds while the others
    # wait, then find the work done.
    with _setup_lock(engine):
        state = schema_state(engine)
        if state.revision != HEAD_REVISION:
            upgrade_schema(engine)
        # Importing pandas in a thread while Alembic migrates was tried: both imports hold the GIL,
        # and contending for it made a first run ~150 ms slower, not faster.
        if state.seed == fingerprint:
            _record_version(engine)
            return UpgradeReport(state.revision, HEAD_REVISION, seed_loaded=False)
        from ..exchange.seed import load_seed  # lazy: pandas

        try:
            loaded = load_seed(engine)
        except DBAPIError as exc:
            raise DatabaseError(describe_db_failure(engine, exc)) from None
        _record_version(engine)
        return UpgradeReport(state.revision, HEAD_REVISION, seed_loaded=True, changes=loaded.changes)


def newer_database_message(state: SchemaState) -> str:
    """A database of a schema this version does not know: name the release that wrote it."""
    from .. import __version__

    if state.written_by:
        return _(
            "this database was written by d3k2db {newer} (schema revision {revision}) and this is "
            "d3k2db {version}: upgrade d3k2db to {newer} or later to use it — it was not modified"
        ).format(newer=state.written_by, revision=state.revision, version=__version__)
    return _(
        "this database was written by a d3k2db newer than this one ({version}; schema revision "
        "{revision}): upgrade d3k2db to use it — it was not modified"
    ).format(version=__version__, revision=state.revision)


def _record_version(engine: Engine) -> None:
    from .. import __version__
    from .upsert import put_meta

    try:
        with engine.begin() as connection:
            put_meta(connection, VERSION_KEY, __version__)
    except DBAPIError as exc:
        raise DatabaseError(describe_db_failure(engine, exc)) from None


_LOCK_KEY = 0x6433_6B32  # 'd3k2': the PostgreSQL advisory lock taken while a database is set up


@contextmanager
def _setup_lock(engine: Engine) -> Iterator[None]:
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
    from . import migrate  # lazy: Alembic

    try:
        migrate.upgrade(engine, revision)
    except DBAPIError as exc:
        raise DatabaseError(describe_db_failure(engine, exc)) from None


def open_engine(url: str | None = None, *, prepare: bool = True) -> Engine:
    """Resolve the URL (``--db``, ``D3K2DB_URL``, default), open it and make it ready."""
    engine = make_engine(resolve_url(url))
    if prepare:
        ensure_ready(engine)
    return engine

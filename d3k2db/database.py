"""The database as the library and the commands use it: storage's engines, snapshots, write
transactions and migrations, with every failure worded for the user (DatabaseError, in the user's
language). Storage itself (d3k2db/storage) knows only its schema and raises what SQLAlchemy raises;
this is the one place that turns that into a sentence with a remedy."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError

from .config import DB_FILENAME, resolve_url, user_data_dir
from .errors import DatabaseError
from .i18n import _
from .storage import engine as storage

T = TypeVar("T")


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


def _driver_failure(drivername: str, backend: str, exc: Exception) -> DatabaseError:
    """Why SQLAlchemy could not make an engine for a driver, and what to write or install."""
    if drivername.split("+")[0] == "postgres":  # the Heroku spelling
        return DatabaseError(
            _("write the URL as postgresql+psycopg://… (SQLAlchemy does not read postgres://)")
        )
    if isinstance(exc, NoSuchModuleError):  # SQLAlchemy knows no database by that name
        return DatabaseError(
            _(
                "{driver} is not a database SQLAlchemy knows: use sqlite:///path/to/file.db"
                " or postgresql+psycopg://user@host/dbname"
            ).format(driver=repr(drivername))
        )
    hint = (
        _(" — install it with: pip install 'd3k2db[postgres]', and use postgresql+psycopg://…")
        if backend == "postgresql"
        else ""
    )
    return DatabaseError(
        _("no database driver for {driver} ({reason})").format(driver=repr(drivername), reason=exc) + hint
    )


def make_engine(url: str) -> Engine:
    """An engine for any SQLAlchemy URL. A SQLite file's folder must exist, except the default
    data folder, which is created on first use."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseError(
            _("not a database URL: {url} (expected e.g. sqlite:///path/to/file.db)").format(url=repr(url))
        ) from None
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        _sqlite_folder(parsed.database)
    try:
        return storage.make_engine(url)
    except (NoSuchModuleError, ImportError) as exc:
        raise _driver_failure(parsed.drivername, parsed.get_backend_name(), exc) from None


def open_engine(url: str | None = None) -> Engine:
    """Resolve the URL (the given one, ``D3K2DB_URL``, the default file) and open it."""
    return make_engine(resolve_url(url))


def describe_db_failure(engine: Engine, exc: DBAPIError) -> str:
    """The cause of a database failure in one line, with a remedy where there is one."""
    where = engine.url.render_as_string(hide_password=True)
    reason = str(exc.orig).strip().splitlines()[0] if exc.orig is not None else str(exc)
    if "file is not a database" in reason:
        return _("{url} is not a SQLite database (the file is corrupt or of another kind)").format(url=where)
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and not database.startswith("file:") and storage.folder_is_read_only(database):
        return read_only_folder_message(database)
    if "readonly database" in reason:
        return _(
            "{url} is read-only, and d3k2db must write it once to bring its schema or seed up to date: "
            "make the file and its folder writable, or use a copy of it somewhere writable"
        ).format(url=where)
    if "unable to open database file" in reason:
        return _(
            "cannot open {url}: the file or its folder is not readable and writable by you "
            "(check the permissions, or use a file in a folder you can write)"
        ).format(url=where)
    return _("cannot use the database {url}: {reason}").format(url=where, reason=reason)


def sqlite_failure(path: Path, exc: sqlite3.Error) -> DatabaseError:
    """A failure of a lookup read over the stdlib sqlite3 (storage/quick.py), in one line."""
    reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    return DatabaseError(
        _("cannot use the database {url}: {reason}").format(url=f"sqlite:///{path}", reason=reason)
    )


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


@contextmanager
def worded(engine: Engine) -> Iterator[None]:
    """A database failure inside the block raised as DatabaseError, in one line."""
    try:
        yield
    except DBAPIError as exc:
        raise DatabaseError(describe_db_failure(engine, exc)) from None


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """storage's snapshot (one committed state for every query), its failures worded."""
    with worded(engine), storage.snapshot(engine) as connection:
        yield connection


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """storage's exclusive write transaction, its failures worded. Run once: a writer that can be
    run again uses :func:`run_write`."""
    from .storage import writes  # lazy: a lookup writes nothing

    with worded(engine), writes.exclusive(engine) as connection:
        yield connection


def run_write(engine: Engine, work: Callable[[Connection], T]) -> T:
    """storage's run_write (transient failures retried), its last failure worded."""
    from .storage import writes  # lazy: a lookup writes nothing

    with worded(engine):
        return writes.run_write(engine, work)


def upgrade_schema(engine: Engine, revision: str = "head") -> None:
    """Migrate the schema to ``revision``, its failures worded."""
    with worded(engine):
        storage.upgrade_schema(engine, revision)

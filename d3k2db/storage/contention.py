"""Writers that meet: one write transaction at a time, and which failures are worth a second try.

Every write checks before it writes (is the name taken? is the source stored?), so two writers
interleaving their checks and their inserts would both pass the check and one would then fail on
a unique key — or, where no key guards the rule (a food name against another food's alias), both
would succeed. So a write transaction first takes the database's one write lock and holds it to
its commit:

- SQLite: ``BEGIN IMMEDIATE``. pysqlite otherwise begins a transaction only at the first INSERT,
  after the checks' SELECTs have read an older state; and a deferred transaction that has read
  fails at once with "database is locked" when it then writes after another writer committed,
  whatever the busy timeout. An immediate one waits its turn (up to the busy timeout) instead.
- PostgreSQL: a transaction-level advisory lock, released by COMMIT or ROLLBACK; each statement
  after it (READ COMMITTED) sees what the writers before committed.

Lookups never wait for it. The lock makes the checks exact; the second line is
``storage/upsert.py`` (a row another writer made first is kept, not a duplicate-key error) and the
retry of ``storage.writes.run_write`` for a failure the lock cannot rule out (SQLite's busy timeout
running out, a writer that takes no lock, such as an older d3k2db): ``is_transient`` names them.
"""

from __future__ import annotations

import random
import sqlite3
import time

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

WRITE_LOCK_KEY = 0x6433_6B33  # the PostgreSQL advisory lock of write transactions (setup uses 0x6433_6B32)
ATTEMPTS = 5  # a write transaction is run at most this many times
FIRST_PAUSE = 0.02  # seconds: the longest pause doubles from 2 × this after each failed attempt

# SQLite result codes: SQLITE_BUSY and SQLITE_LOCKED with all their extended codes (the low byte),
# and the unique and primary-key constraints (extended codes, exact).
_SQLITE_BUSY_LOCKED = {5, 6}
_SQLITE_UNIQUE = {2067, 1555}
_SQLITE_MESSAGES = ("database is locked", "database table is locked", "UNIQUE constraint failed")
# PostgreSQL SQLSTATEs: serialization_failure, deadlock_detected, unique_violation.
_POSTGRES_TRANSIENT = {"40001", "40P01", "23505"}


def begin_write(connection: Connection) -> None:
    """Start the connection's transaction as the only writer (waiting for the one before)."""
    name = connection.dialect.name
    if name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE")
    elif name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})


def is_transient(exc: DBAPIError) -> bool:
    """A failure another attempt of the same transaction can get past: the database busy or
    locked, a serialization failure or deadlock, a unique key taken by a writer that raced."""
    orig = exc.orig
    code = getattr(orig, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in _SQLITE_BUSY_LOCKED or code in _SQLITE_UNIQUE
    if isinstance(orig, sqlite3.Error):  # Python 3.10's sqlite3 has no error codes: the message
        return any(words in str(orig) for words in _SQLITE_MESSAGES)
    return getattr(orig, "sqlstate", None) in _POSTGRES_TRANSIENT


def pause(attempt: int) -> None:
    """Wait before attempt ``attempt + 1``: a random time from 10 ms up to 40, 80, 160 … ms, so that
    writers that collided do not collide again in step."""
    time.sleep(random.uniform(FIRST_PAUSE / 2, FIRST_PAUSE * 2**attempt))

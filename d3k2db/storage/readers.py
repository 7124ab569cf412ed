"""Lookups that keep their connection: one read-only ``sqlite3`` connection per thread to an
up-to-date SQLite file, reused from lookup to lookup.

A fresh connection costs more than opening it: its page cache starts empty, so every lookup read
the index pages it needs again (at 1M foods a search took ~8 ms on a fresh connection and ~5 ms on
a kept one; docs/performance.md). The web app asks many lookups of one ``K2Database`` from its
thread pool, so each thread keeps one. Each lookup still sees one committed state (BEGIN …
ROLLBACK around it, as ``quick.reading``), the latest at its start. A file copied or moved over the
database is another file (device, inode): its connection is opened anew. A connection that failed
is dropped, and a lookup inside another one on the same thread gets a connection of its own.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from .quick import BUSY_TIMEOUT_S, reading
from .reads import SqliteReader

# A kept connection reads the file through a memory map of up to this many bytes (pages are the
# operating system's file cache, shared, not copied into each connection): searches at 1M foods
# took ~20 % less time (docs/performance.md).
MMAP_BYTES = 1 << 30


class Readers:
    """The kept connections to one SQLite file, one per thread (see the module's doc)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.local = threading.local()
        self.lock = threading.Lock()
        self.opened: list[SqliteReader] = []

    def _identity(self) -> tuple[int, int] | None:
        try:
            found = os.stat(self.path)
        except OSError:
            return None
        return (found.st_dev, found.st_ino)

    def _held(self, identity: tuple[int, int]) -> SqliteReader:
        held: tuple[tuple[int, int], SqliteReader] | None = getattr(self.local, "held", None)
        if held is not None and held[0] == identity:
            return held[1]
        if held is not None:
            self._drop(held[1])
        connection = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, factory=SqliteReader, check_same_thread=False
        )
        connection.cache_key = f"sqlite:///{self.path}"
        connection.execute(f"PRAGMA mmap_size = {MMAP_BYTES}")
        self.local.held = (identity, connection)
        with self.lock:
            self.opened.append(connection)
        return connection

    def _drop(self, connection: SqliteReader) -> None:
        self.local.held = None
        with self.lock:
            if connection in self.opened:
                self.opened.remove(connection)
        connection.close()

    @contextmanager
    def reading(self) -> Iterator[SqliteReader]:
        """This thread's connection in one committed state of the file; failures raised as
        sqlite3 raised them (``quick.reading``'s contract)."""
        identity = self._identity()
        connection = self._held(identity) if identity is not None else None
        if connection is None or connection.in_transaction:  # no file (say why), or nested
            with reading(self.path) as fresh:
                yield fresh
            return
        try:
            connection.execute("BEGIN")
            yield connection
        except sqlite3.Error:
            self._drop(connection)
            raise
        else:
            connection.rollback()

    def close(self) -> None:
        with self.lock:
            opened, self.opened = self.opened, []
        for connection in opened:
            connection.close()

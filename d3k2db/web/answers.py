"""A cache of the answers asked for while typing (/api/search's JSON, /fragments/search's HTML),
whole, never stale.

Typing repeats itself: everyone who types "natto" sends "na", "nat", "natt". An answer depends on
the database and on what was asked: its kind (JSON or HTML), the term as typed (stripped: the
answer quotes it), form, category, limit and language. That is its key, in a bounded LRU; a hit
sends the stored bytes as they were made, nothing spliced in.

**Exact invalidation.** Every request first asks the database whether anything was committed since
the last request, and the cache is emptied if so:

- SQLite: ``PRAGMA data_version`` on a connection of the cache's own that never writes. SQLite
  changes it whenever any other connection, in this process or another (``d3k2db add`` while the
  server runs), commits to the file; about 1.5 µs. With it, the file's device and inode (``os.stat``,
  ~1.5 µs): a file copied or moved over the database is another file, whose counter says nothing.
- Any other backend (PostgreSQL): no check is as exact and as cheap, so nothing is cached.

Writes through the app (``--allow-edits``) also empty it at once. An answer computed while a
commit landed is stored only if no emptying happened since its request's check (``generation``),
so a slow request can never put an old answer back.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

SIZE = 4096  # answers kept; ~4 KB each for 25 foods (JSON), a few times that as HTML

Answer = tuple[str, bytes]  # media type, body


def sqlite_version_reader(path: str) -> Callable[[], Hashable]:
    """The state of the SQLite file at ``path``: which file it is (device, inode: a file copied
    over it is another file) and its ``PRAGMA data_version``, read on a connection of its own,
    reopened when the file was replaced."""
    lock = threading.Lock()
    opened: list[tuple[tuple[int, int], sqlite3.Connection]] = []

    def identity() -> tuple[int, int]:
        try:
            found = os.stat(path)
        except OSError:
            return (0, 0)
        return (found.st_dev, found.st_ino)

    def read() -> Hashable:
        with lock:
            now = identity()
            if not opened or opened[0][0] != now:
                close()
                opened.append((now, sqlite3.connect(path, check_same_thread=False, isolation_level=None)))
            return (now, int(opened[0][1].execute("PRAGMA data_version").fetchone()[0]))

    def close() -> None:
        while opened:
            opened.pop()[1].close()

    read.close = close  # type: ignore[attr-defined]
    return read


class AnswerCache:
    """A bounded LRU of answers, emptied whenever the database changed (see the module's doc).

    ``version`` reads the database's change counter; None disables the cache (every lookup misses,
    nothing is stored).
    """

    def __init__(self, version: Callable[[], Hashable] | None, size: int = SIZE) -> None:
        self.version = version
        self.size = size
        self.entries: OrderedDict[Hashable, Answer] = OrderedDict()
        self.lock = threading.Lock()
        self.seen: Hashable | None = None
        self.generation = 0

    @property
    def enabled(self) -> bool:
        return self.version is not None

    def check(self) -> int:
        """Empty the cache if the database changed since the last check; the current generation."""
        if self.version is None:
            return self.generation
        now = self.version()
        with self.lock:
            if now != self.seen:
                self.seen = now
                self.entries.clear()
                self.generation += 1
            return self.generation

    def clear(self) -> None:
        """After a write through the app."""
        with self.lock:
            self.entries.clear()
            self.generation += 1

    def get(self, key: Hashable) -> Answer | None:
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: Hashable, value: Answer, generation: int) -> None:
        """Store ``value`` unless the cache was emptied after ``generation`` was read (the answer
        may be older than the emptying)."""
        if self.version is None:
            return
        with self.lock:
            if generation != self.generation:
                return
            self.entries[key] = value
            self.entries.move_to_end(key)
            while len(self.entries) > self.size:
                self.entries.popitem(last=False)

    def close(self) -> None:
        close = getattr(self.version, "close", None)
        if close is not None:
            close()


def for_database(backend: str, database: str | None) -> AnswerCache:
    """The cache for a database: checked by ``data_version`` on a SQLite file, off otherwise."""
    if backend == "sqlite" and database and database != ":memory:" and not database.startswith("file:"):
        return AnswerCache(sqlite_version_reader(database))
    return AnswerCache(None)

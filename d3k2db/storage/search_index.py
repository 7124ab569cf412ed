"""The search indexes: the name index (substrings) and the typo index (SymSpell).

The name index (SQLite's FTS5 ``name_index``, migration 0002) holds every name and alias key
under a rowid that orders it by its food's K2. Writers index the rows they insert in bulk
(``index_new_names``, called by storage/bulk.py): one INSERT … SELECT ordered by rowid, inside the
writer's transaction (migration 0005 dropped the per-row INSERT triggers, which cost most of an
import). Triggers still move or remove the rows of a food or alias that is updated or deleted.
PostgreSQL's pg_trgm GIN indexes are on the tables themselves and need none of this.

The typo index: every word of every name and alias with its one-letter deletions (SymSpell).

A typed word and a stored word within one edit of each other share a deletion ('nato' and
'natto' share 'nato'; 'gooda' and 'gouda' share 'goda'), so typo candidates are an indexed
equality lookup instead of a scan over every name. Writers call ``refresh`` after their changes;
lookups also cover rows added since the last refresh, so a forgotten refresh costs speed, not
correctness. Stale words (of deleted foods) only produce candidates that then match nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

from . import reads

if TYPE_CHECKING:  # the writers import SQLAlchemy when they run; lookups read through storage.reads
    from sqlalchemy.engine import Connection

    from .reads import Reader

MIN_WORD = 4  # shorter words have too many neighbours to be worth a typo match
MAX_WORD = 40
WATERMARK = "search_words_upto"  # "<last food id>:<last alias id>" already indexed
PAGE = 5_000  # names and aliases read at a time by refresh

_NEW_NAME_ROWS = {  # rowids ordered by K2 (reads.NAME_ROWID)
    "foods": f"SELECT {reads.NAME_ROWID.format(k2='f.k2_total', row_id='f.id', alias=0)} AS r, "
    "f.search_key, f.id FROM foods f WHERE f.id > ?",
    "aliases": f"SELECT {reads.NAME_ROWID.format(k2='f.k2_total', row_id='a.id', alias=1)} AS r, "
    "a.search_key, a.food_id FROM aliases a JOIN foods f ON f.id = a.food_id WHERE a.id > ?",
}
# FTS5 flushes its pending terms whenever a rowid arrives below the last one: in rowid order,
# a million names are one sorted stream instead of a million small segments.
INDEX_NEW_NAMES = {
    table: f"INSERT INTO name_index(rowid, key, food_id) {rows} ORDER BY r"
    for table, rows in _NEW_NAME_ROWS.items()
}


def keeps_name_index(connection: Connection, table: str) -> bool:
    """Whether rows inserted into ``table`` need ``index_new_names`` (SQLite's foods and aliases)."""
    return table in INDEX_NEW_NAMES and connection.dialect.name == "sqlite"


def last_id(connection: Connection, table: str) -> int:
    """The highest id in ``table`` (0 when empty): new rows without an id are numbered above it."""
    return int(connection.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) FROM {table}").scalar() or 0)


def index_new_names(connection: Connection, table: str, after: int) -> None:
    """Put the names (``foods``) or aliases (``aliases``) with an id above ``after`` into the name
    index, in one statement. The caller inserted them since it read ``last_id``, in the same
    transaction, and changed nothing else in between."""
    connection.exec_driver_sql(INDEX_NEW_NAMES[table], (after,))


def rebuild_names(connection: Connection) -> None:
    """Build the name index again from every name and alias (SQLite; nothing to do elsewhere)."""
    if connection.dialect.name != "sqlite":
        return
    connection.exec_driver_sql("DELETE FROM name_index")
    for table in INDEX_NEW_NAMES:
        index_new_names(connection, table, 0)
    # One segment instead of dozens: at 1M foods 5 s once, and a MATCH reads half as much
    # ('goose liver': 3.6 → 1.7 ms). Writers that add a few names leave FTS5's own merging to it.
    connection.exec_driver_sql("INSERT INTO name_index(name_index) VALUES ('optimize')")


def typo_words(key: str) -> set[str]:
    """The words of a search key that take part in typo matching."""
    return {w for w in key.split() if MIN_WORD <= len(w) <= MAX_WORD and w.isascii() and w.isalpha()}


def variants(word: str) -> set[str]:
    """The word and every string one deletion away from it."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _watermark(connection: Reader) -> tuple[int, int]:
    value = reads.scalar(connection, reads.META_VALUE, key=WATERMARK)
    if not value:
        return 0, 0
    food_id, alias_id = value.split(":")
    return int(food_id), int(alias_id)


def _keys_since(connection: Reader, food_id: int, alias_id: int) -> Iterable[str]:
    yield from reads.scalars(connection, reads.FOOD_KEYS_AFTER, after=food_id)
    yield from reads.scalars(connection, reads.ALIAS_KEYS_AFTER, after=alias_id)


def unindexed_words(connection: Reader) -> set[str]:
    """Words of names added since the last refresh (normally none)."""
    food_id, alias_id = _watermark(connection)
    words: set[str] = set()
    for key in _keys_since(connection, food_id, alias_id):
        words |= typo_words(key)
    return words


def _pages_since(connection: Connection, food_id: int, alias_id: int) -> Iterator[list[str]]:
    """The keys of names and aliases added since the watermark, PAGE at a time (by id, so that no
    cursor stays open while the words are written, and memory follows the page, not the import)."""
    from sqlalchemy import select

    from .tables import aliases, foods

    for table, after in ((foods, food_id), (aliases, alias_id)):
        while True:
            page = connection.execute(
                select(table.c.id, table.c.search_key)
                .where(table.c.id > after)
                .order_by(table.c.id)
                .limit(PAGE)
            ).all()
            if not page:
                break
            after = page[-1][0]
            yield [key for _, key in page]


def _store(connection: Connection, words: set[str]) -> int:
    """Store every variant of the words not stored yet, 10,000 rows a statement; how many were new."""
    from sqlalchemy import select

    from .tables import search_words
    from .upsert import insert_missing

    ordered = sorted(words)
    known: set[str] = set()
    for start in range(0, len(ordered), 500):
        chunk = ordered[start : start + 500]
        known |= set(
            connection.execute(
                select(search_words.c.word).where(
                    search_words.c.variant.in_(chunk), search_words.c.word.in_(chunk)
                )
            ).scalars()
        )
    fresh = [word for word in ordered if word not in known]
    rows: list[dict[str, str]] = []
    for word in fresh:
        rows += [{"variant": v, "word": word} for v in variants(word)]
        if len(rows) >= 10_000:
            # a writer racing this one may be indexing the same new word: the second one keeps it
            insert_missing(connection, search_words, rows)
            rows = []
    insert_missing(connection, search_words, rows)
    return len(fresh)


def refresh(connection: Connection) -> int:
    """Index the words of names and aliases added since the last refresh; returns words added.
    A page of names at a time: after a 250,000-food import of made-up words, one set of every new
    word and a list of all their variants took gigabytes."""
    from sqlalchemy import func, select

    from .tables import aliases, foods
    from .upsert import put_meta

    food_id, alias_id = _watermark(connection)
    added = sum(
        _store(connection, {word for key in keys for word in typo_words(key)})
        for keys in _pages_since(connection, food_id, alias_id)
    )
    last_food = connection.execute(select(func.max(foods.c.id))).scalar() or 0
    last_alias = connection.execute(select(func.max(aliases.c.id))).scalar() or 0
    put_meta(connection, WATERMARK, f"{last_food}:{last_alias}")
    return added


def rebuild(connection: Connection) -> int:
    """Forget both indexes and build them again from every name and alias; returns typo words."""
    from sqlalchemy import delete

    from .tables import meta, search_words

    rebuild_names(connection)
    connection.execute(delete(search_words))
    connection.execute(delete(meta).where(meta.c.key == WATERMARK))
    return refresh(connection)


def indexed_words(connection: Reader) -> list[str]:
    """Every word the index holds (each is stored as a variant of itself), and any added since."""
    stored = reads.scalars(connection, reads.INDEXED_WORDS)
    return sorted(set(stored) | unindexed_words(connection))


def near_words(connection: Reader, word: str) -> set[str]:
    """Stored words within one edit (insert, delete, substitute, swap) of ``word``."""
    wanted = variants(word)
    found = set(reads.scalars(connection, reads.WORDS_NEAR, variants=sorted(wanted)))
    for other in unindexed_words(connection):
        if variants(other) & wanted:
            found.add(other)
    return found

"""The typo index: every word of every name and alias with its one-letter deletions (SymSpell).

A typed word and a stored word within one edit of each other share a deletion ('nato' and
'natto' share 'nato'; 'gooda' and 'gouda' share 'goda'), so typo candidates are an indexed
equality lookup instead of a scan over every name. Writers call ``refresh`` after their changes;
lookups also cover rows added since the last refresh, so a forgotten refresh costs speed, not
correctness. Stale words (of deleted foods) only produce candidates that then match nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from .tables import aliases, foods, meta, search_words
from .upsert import insert_missing, put_meta

MIN_WORD = 4  # shorter words have too many neighbours to be worth a typo match
MAX_WORD = 40
WATERMARK = "search_words_upto"  # "<last food id>:<last alias id>" already indexed
PAGE = 5_000  # names and aliases read at a time by refresh


def typo_words(key: str) -> set[str]:
    """The words of a search key that take part in typo matching."""
    return {w for w in key.split() if MIN_WORD <= len(w) <= MAX_WORD and w.isascii() and w.isalpha()}


def variants(word: str) -> set[str]:
    """The word and every string one deletion away from it."""
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


def _watermark(connection: Connection) -> tuple[int, int]:
    value = connection.execute(select(meta.c.value).where(meta.c.key == WATERMARK)).scalar()
    if not value:
        return 0, 0
    food_id, alias_id = value.split(":")
    return int(food_id), int(alias_id)


def _keys_since(connection: Connection, food_id: int, alias_id: int) -> Iterable[str]:
    yield from connection.execute(select(foods.c.search_key).where(foods.c.id > food_id)).scalars()
    yield from connection.execute(select(aliases.c.search_key).where(aliases.c.id > alias_id)).scalars()


def unindexed_words(connection: Connection) -> set[str]:
    """Words of names added since the last refresh (normally none)."""
    food_id, alias_id = _watermark(connection)
    words: set[str] = set()
    for key in _keys_since(connection, food_id, alias_id):
        words |= typo_words(key)
    return words


def _pages_since(connection: Connection, food_id: int, alias_id: int) -> Iterator[list[str]]:
    """The keys of names and aliases added since the watermark, PAGE at a time (by id, so that no
    cursor stays open while the words are written, and memory follows the page, not the import)."""
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
    """Forget the index and build it again from every name and alias."""
    connection.execute(delete(search_words))
    connection.execute(delete(meta).where(meta.c.key == WATERMARK))
    return refresh(connection)


def indexed_words(connection: Connection) -> list[str]:
    """Every word the index holds (each is stored as a variant of itself), and any added since."""
    stored = connection.execute(
        select(search_words.c.word).where(search_words.c.variant == search_words.c.word)
    ).scalars()
    return sorted(set(stored) | unindexed_words(connection))


def near_words(connection: Connection, word: str) -> set[str]:
    """Stored words within one edit (insert, delete, substitute, swap) of ``word``."""
    wanted = variants(word)
    found = set(
        connection.execute(select(search_words.c.word).where(search_words.c.variant.in_(wanted))).scalars()
    )
    for other in unindexed_words(connection):
        if variants(other) & wanted:
            found.add(other)
    return found

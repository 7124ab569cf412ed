"""The typo index: every word of every name and alias with its one-letter deletions (SymSpell).

A typed word and a stored word within one edit of each other share a deletion ('nato' and
'natto' share 'nato'; 'gooda' and 'gouda' share 'goda'), so typo candidates are an indexed
equality lookup instead of a scan over every name. Writers call ``refresh`` after their changes;
lookups also cover rows added since the last refresh, so a forgotten refresh costs speed, not
correctness. Stale words (of deleted foods) only produce candidates that then match nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.engine import Connection

from .tables import aliases, foods, meta, search_words
from .upsert import insert_missing, put_meta

MIN_WORD = 4  # shorter words have too many neighbours to be worth a typo match
MAX_WORD = 40
WATERMARK = "search_words_upto"  # "<last food id>:<last alias id>" already indexed


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


def refresh(connection: Connection) -> int:
    """Index the words of names and aliases added since the last refresh; returns words added."""
    food_id, alias_id = _watermark(connection)
    new_words: set[str] = set()
    for key in _keys_since(connection, food_id, alias_id):
        new_words |= typo_words(key)
    if new_words:
        known: set[str] = set()
        ordered = sorted(new_words)
        for start in range(0, len(ordered), 500):
            chunk = ordered[start : start + 500]
            known |= set(
                connection.execute(
                    select(search_words.c.word).where(
                        search_words.c.variant.in_(chunk), search_words.c.word.in_(chunk)
                    )
                ).scalars()
            )
        # a writer racing this one may be indexing the same new word: the second one keeps it
        insert_missing(
            connection,
            search_words,
            [{"variant": v, "word": w} for w in ordered if w not in known for v in variants(w)],
        )
        new_words -= known
    last_food = connection.execute(select(func.max(foods.c.id))).scalar() or 0
    last_alias = connection.execute(select(func.max(aliases.c.id))).scalar() or 0
    put_meta(connection, WATERMARK, f"{last_food}:{last_alias}")
    return len(new_words)


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

"""The names a meal is segmented by, held in memory: foods, aliases, generic words, dishes and the
words d3k2db knows it has no figure for (not in database, no K2 figure, no K2 expected).

The parser asks two questions per word (:class:`NameIndex` ``is_food`` and ``continues``); both are
answered from a dict and a sorted list, so a meal costs no query per prefix. The index is read once
per process and database, and read again when the database's foods or aliases change (their count,
largest id and key lengths: one cheap query each).
"""

from __future__ import annotations

import threading
from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..domain.text import search_key
from ..lookup.matching import (
    dish_words,
    dishes,
    no_k2_expected,
    not_in_database,
    separators,
)
from ..lookup.wordlists import generics, no_k2_figure
from ..storage import reads

if TYPE_CHECKING:
    from ..storage.reads import Reader

__all__ = ["NameIndex", "name_index"]


@dataclass(frozen=True)
class NameIndex:
    """Search keys of every known name, each with its spellings (whose separators count)."""

    # key -> the names with that key as written ('' for a word of the data files: no separators);
    # their separators are worked out only for the keys a meal asks about
    spellings: dict[str, list[str]]
    keys: tuple[str, ...]  # every key, sorted (for prefix questions)

    def is_food(self, phrase: str) -> bool:
        """A known name, typed across separators only as the name has them ('whole egg, raw')."""
        key = search_key(phrase)
        found = self.spellings.get(key) if key else None
        return found is not None and separators(phrase) in {separators(name) for name in found}

    def continues(self, phrase: str) -> bool:
        """Whether a longer known name starts with ``phrase``: its words, then a space if
        ``phrase`` ends with one ('whole egg ' → 'whole egg raw'), else any letter ('egg x' → 'egg x2')."""
        key = search_key(phrase)
        if not key:
            return True  # punctuation only so far: keep reading
        prefix = key + " " if phrase.endswith(" ") else key
        at = bisect_right(self.keys, prefix)
        return at < len(self.keys) and self.keys[at].startswith(prefix)


def _vocabulary_keys() -> set[str]:
    """Keys of the words of the data files: generic words, dishes and the foods named as absent."""
    return {*generics(), *dishes(), *not_in_database(), *no_k2_figure(), *no_k2_expected()}


def _build(connection: Reader) -> NameIndex:
    found: dict[str, list[str]] = {key: [""] for key in _vocabulary_keys()}
    for key, term in dish_words().items():  # 'mac & cheese' is typed with its '&'
        found[key].append(term)
    for key, name in reads.values(connection, reads.ALL_KEYS):
        found.setdefault(key, []).append(name)
    return NameIndex(found, tuple(sorted(found)))


def _version(connection: Reader) -> tuple[object, ...]:
    """What changes when a name is added, removed or renamed: counts, largest ids, key lengths."""
    if reads.dialect(connection) == "sqlite" and reads.first(connection, reads.NAME_INDEX_EXISTS):
        return tuple(reads.rows(connection, reads.NAME_INDEX_VERSION)[0])  # a scan of 1M names: 0.4 s
    found: list[object] = []
    for statement in (reads.FOODS_VERSION, reads.ALIASES_VERSION):
        found += reads.rows(connection, statement)[0]
    return tuple(found)


_LOCK = threading.Lock()
_CACHE: dict[str, tuple[tuple[object, ...], NameIndex]] = {}


def name_index(connection: Reader) -> NameIndex:
    """The index of the database ``connection`` reads, built on first use and when it changed."""
    url = reads.cache_key(connection)
    if url is None:  # in memory: one URL, many databases
        return _build(connection)
    version = _version(connection)
    with _LOCK:
        cached = _CACHE.get(url)
    if cached is not None and cached[0] == version:
        return cached[1]
    index = _build(connection)
    with _LOCK:
        _CACHE[url] = (version, index)
    return index

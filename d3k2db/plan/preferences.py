"""What the words of ``like`` and ``avoid`` name: a category, or foods by name or alias, in any of
the tool's languages ('cheese', '起司', 'liver', '納豆', a typo of a name).

A word names
- a category, by its code or its name in English, Traditional or Simplified Chinese: all its foods;
- every food whose name or one of its aliases holds the word as a whole word ('liver' names chicken
  liver and liver pâté; Chinese, written without spaces, as any part of a Chinese name: 肝);
- else the one food it is read as by ``meal`` (a generic word, a typo: 'natoo').
A word that names nothing is refused with the closest names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .. import i18n
from ..domain.text import search_key
from ..domain.vocabulary import category as category_name
from ..errors import FoodNotFound, UsageError
from ..i18n import _
from ..lookup.search import category_names, find_hits, printable
from ..storage.tables import aliases

MAX_WORDS = 20  # words one preference may list
BATCH = 500  # food ids per IN list


@dataclass(frozen=True)
class Preference:
    """One word of ``like`` or ``avoid`` and what it names."""

    typed: str
    key: str
    categories: frozenset[str]
    food_ids: frozenset[int]

    def names(self, food_id: int, category: str, keys: Iterable[str]) -> bool:
        """Whether this word names the food (``keys``: the search keys of its name and aliases)."""
        if category in self.categories or food_id in self.food_ids:
            return True
        return any(_holds(key, self.key) for key in keys)


def _holds(key: str, word: str) -> bool:
    if word.isascii():
        return f" {word} " in f" {key} "
    return word in key  # Chinese is written without spaces between words


def _category_keys(connection: Connection) -> dict[str, str]:
    """The search key of every category's code and name in each language → its code."""
    keys: dict[str, str] = {}
    codes = category_names(connection)
    for lang in i18n.LANGUAGES:
        with i18n.speaking(lang):
            for code in codes:
                keys.setdefault(search_key(category_name(code)), code)
    for code in codes:
        keys[search_key(code)] = code
    return keys


def read_preferences(connection: Connection, words: Sequence[str]) -> list[Preference]:
    """Each word's Preference; UsageError for a word that names no food and no category."""
    typed = [word for text in words for word in _split(connection, text)]
    if len(typed) > MAX_WORDS:
        raise UsageError(
            _("at most {count} foods or categories, not {given}").format(count=MAX_WORDS, given=len(typed))
        )
    if not typed:
        return []
    categories = _category_keys(connection)
    return [_preference(connection, word, categories) for word in typed]


_SEPARATORS = re.compile(r"[,，、;；]")


def _split(connection: Connection, text: str) -> list[str]:
    """'cheese, liver' → two words; a name holding a comma ('omelette, country hen egg') stays whole."""
    from ..lookup.search import EXACT

    whole = text.strip()
    if not whole:
        return []
    if _SEPARATORS.search(whole) and any(hit.score >= EXACT for hit in find_hits(connection, whole)):
        return [whole]
    return [word.strip() for word in _SEPARATORS.split(whole) if word.strip()]


def _preference(connection: Connection, word: str, categories: dict[str, str]) -> Preference:
    from ..lookup.matching import resolve  # the meal's reading: generic words and typos
    from ..lookup.search import SUBSTRING, WORD

    key = search_key(word)
    if not key:
        raise UsageError(_("no food or category matches {term}").format(term=printable(word)))
    named = {categories[key]} if key in categories else set()
    floor = WORD if key.isascii() else SUBSTRING
    ids = {hit.food_id for hit in find_hits(connection, word) if hit.score >= floor}
    if not named and not ids:
        try:
            ids.add(resolve(connection, word).food.id)
        except FoodNotFound as exc:
            raise UsageError(_("{problem} (name a food or a category)").format(problem=exc)) from None
    return Preference(word, key, frozenset(named), frozenset(ids))


def alias_keys(connection: Connection, food_ids: Sequence[int]) -> dict[int, list[str]]:
    """The search keys of the aliases of each food (one query per BATCH foods)."""
    found: dict[int, list[str]] = {food_id: [] for food_id in food_ids}
    for start in range(0, len(food_ids), BATCH):
        batch = list(food_ids[start : start + BATCH])
        rows = connection.execute(
            select(aliases.c.food_id, aliases.c.search_key).where(aliases.c.food_id.in_(batch))
        )
        for food_id, key in rows:
            found[food_id].append(key)
    return found

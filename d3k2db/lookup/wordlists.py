"""The word lists lookup reads from data/ (small, read once per process): generic words and the
foods known to have no published K2 figure. Both the search (lookup/search.py) and the name
resolution (lookup/matching.py) read them, so they live below both."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..domain.text import search_key
from ..files.reading import read_table
from ..i18n import _
from ..resources import data_dir


@dataclass(frozen=True)
class Generic:
    """A generic word's documented default food and the foods it may mean instead."""

    term: str
    food: str
    alternatives: tuple[str, ...]
    reason: str


def data_rows(name: str, *columns: str) -> list[dict[str, str]]:
    """The rows of data/``name`` (which has ``columns``), by the one reader of tables."""
    return [row for _line, row in read_table(data_dir() / name, columns)]


@lru_cache(maxsize=1)
def generics() -> dict[str, Generic]:
    """Generic words by search key (data/generic_foods.csv)."""
    found: dict[str, Generic] = {}
    for row in data_rows("generic_foods.csv", "term", "food", "alternatives", "reason"):
        alternatives = tuple(a for a in row["alternatives"].split("|") if a)
        found[search_key(row["term"])] = Generic(row["term"], row["food"], alternatives, row["reason"])
    return found


@lru_cache(maxsize=1)
def no_k2_figure() -> dict[str, tuple[str, str]]:
    """Foods known to have no published K2 figure (data/no_k2_figure.csv): key → (term, why)."""
    found: dict[str, tuple[str, str]] = {}
    for row in data_rows("no_k2_figure.csv", "term", "note"):
        note = row["note"]
        if note.startswith("as "):
            note = next((n for t, n in found.values() if t == note[3:]), note)
        found[search_key(row["term"])] = (row["term"], note)
    return found


def no_k2_figure_message(typed: str) -> str | None:
    """'no published K2 figure for ghee: …' when ``typed`` is a food known to have none."""
    known = no_k2_figure().get(search_key(typed))
    if known is None:
        return None
    term, why = known
    return _("no published K2 figure for {term}: {why}").format(term=term, why=why)

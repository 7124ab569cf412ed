"""Which diets a food fits: its category, the words of its name and a curated list (data/diet.csv).

Every food gets, for each of the tags below, ``yes`` (it holds that), ``no`` (it does not) or
``?`` (not known). A diet forbids some tags; a food fits a diet only when every forbidden tag is a
definite ``no`` — an unknown never passes, so nothing is vegan by default (docs/plan.md, "Diets").

How a food's tags are read, each step over the one before:

1. its category's row (``category``), else every tag unknown (your own foods);
2. the rows of the words of its English name (``word``, whole words; ``scope`` limits a row to some
   categories, ``!a|b`` to all but those): any ``yes`` wins, then any ``?``, then any ``no``, then the
   category's value — except that a category's ``yes`` always stands;
3. its own row (``food``), cell by cell;

and then: pork is meat; meat, poultry, fish, offal, dairy or egg make a food animal. A row saying
``animal = no`` says ``no`` for every animal tag it leaves empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from ..domain.text import search_key
from ..files.reading import read_table
from ..i18n import N_
from ..resources import data_dir

ANIMAL_TAGS = ("meat", "poultry", "fish", "offal", "pork", "dairy", "egg")
TAGS = ("animal", *ANIMAL_TAGS, "soy")


class Known(str, Enum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "?"

    def __str__(self) -> str:
        return self.value


#: Each diet and the tags it forbids (docs/plan.md). Pescatarian: no meat or poultry (fish offal,
#: such as roe, is fish).
DIETS: dict[str, tuple[str, ...]] = {
    "vegan": ("animal",),
    "vegetarian": ("meat", "poultry", "fish", "offal"),
    "pescatarian": ("meat", "poultry"),
    "no-dairy": ("dairy",),
    "no-soy": ("soy",),
    "no-pork": ("pork",),
    "no-offal": ("offal",),
}
# The tags as the tables name them (the catalog has each).
TAG_WORDS = {
    "animal": N_("animal foods"),
    "meat": N_("meat"),
    "poultry": N_("poultry"),
    "fish": N_("fish or seafood"),
    "offal": N_("offal"),
    "pork": N_("pork"),
    "dairy": N_("dairy"),
    "egg": N_("egg"),
    "soy": N_("soy"),
}
DIET_WORDS = {
    "vegan": N_("vegan"),
    "vegetarian": N_("vegetarian"),
    "pescatarian": N_("pescatarian"),
    "no-dairy": N_("no dairy"),
    "no-soy": N_("no soy"),
    "no-pork": N_("no pork"),
    "no-offal": N_("no offal"),
}


class UnknownDiet(ValueError):
    """A diet name that is not one of DIETS."""


def parse_diets(values: Iterable[str]) -> tuple[str, ...]:
    """'vegan', 'no-soy,no_pork', 'No Dairy' → the diets' codes, in DIETS order, each once."""
    wanted = set()
    for value in values:
        for part in value.split(","):
            code = part.strip().lower().replace("_", "-").replace(" ", "-")
            if not code:
                continue
            if code not in DIETS:
                raise UnknownDiet(part.strip())
            wanted.add(code)
    return tuple(diet for diet in DIETS if diet in wanted)


@dataclass(frozen=True)
class Rule:
    """One row of data/diet.csv: the tags it says for a category, a word of a name or one food."""

    kind: str  # category | word | food
    value: str  # the category code, the word (as a search key) or the food's name
    scope: tuple[frozenset[str], bool]  # (categories, True when they are the ones left out)
    cells: Mapping[str, Known]

    def applies_in(self, category: str) -> bool:
        categories, excluded = self.scope
        if not categories:
            return True
        return (category not in categories) if excluded else (category in categories)


def _scope(text: str) -> tuple[frozenset[str], bool]:
    excluded = text.startswith("!")
    return frozenset(c for c in text.lstrip("!").split("|") if c), excluded


def _cells(row: Mapping[str, str]) -> dict[str, Known]:
    cells = {tag: Known(row[tag]) for tag in TAGS if row.get(tag)}
    if cells.get("animal") is Known.NO:  # 'not an animal food' says no for every animal tag
        for tag in ANIMAL_TAGS:
            cells.setdefault(tag, Known.NO)
    return cells


@lru_cache(maxsize=1)
def rules() -> tuple[dict[str, Rule], tuple[Rule, ...], dict[str, Rule]]:
    """(category rows by code, word rows in file order, food rows by name) of data/diet.csv."""
    categories: dict[str, Rule] = {}
    words: list[Rule] = []
    foods: dict[str, Rule] = {}
    for _line, row in read_table(data_dir() / "diet.csv", ("rule", "value", "scope", *ANIMAL_TAGS)):
        kind, value = row["rule"], row["value"]
        key = search_key(value) if kind == "word" else value
        rule = Rule(kind, key, _scope(row["scope"]), _cells(row))
        if kind == "category":
            categories[value] = rule
        elif kind == "word":
            words.append(rule)
        elif kind == "food":
            foods[value] = rule
        else:
            raise ValueError(f"data/diet.csv: unknown rule kind {kind!r}")
    return categories, tuple(words), foods


@lru_cache(maxsize=1)
def _word_index() -> tuple[dict[str, list[Rule]], list[Rule]]:
    """The word rows by their one word, and the rows of several words (few)."""
    single: dict[str, list[Rule]] = {}
    several: list[Rule] = []
    for rule in rules()[1]:
        if " " in rule.value:
            several.append(rule)
        else:
            single.setdefault(rule.value, []).append(rule)
    return single, several


def _said(category: str, name: str) -> dict[str, set[Known]]:
    """What the word rows matching the name say of each tag."""
    key = search_key(name)
    single, several = _word_index()
    matching = [rule for word in dict.fromkeys(key.split()) for rule in single.get(word, [])]
    matching += [rule for rule in several if f" {rule.value} " in f" {key} "]
    said: dict[str, set[Known]] = {tag: set() for tag in TAGS}
    for rule in matching:
        if rule.applies_in(category):
            for tag, value in rule.cells.items():
                said[tag].add(value)
    return said


def excluded_categories(diets: Iterable[str]) -> set[str]:
    """The categories no food of fits ``diets``: their row says yes to a tag a diet forbids (a
    category's yes always stands), so a query can leave them out before reading a food."""
    forbidden = {tag for diet in diets for tag in DIETS[diet]}
    return {
        code
        for code, rule in rules()[0].items()
        if any(rule.cells.get(tag) is Known.YES for tag in forbidden)
        or ("animal" in forbidden and any(rule.cells.get(tag) is Known.YES for tag in ANIMAL_TAGS))
    }


@lru_cache(maxsize=1 << 14)
def composition(category: str, name: str) -> dict[str, Known]:
    """Every tag of the food ``name`` of ``category``: yes, no or unknown (the module's rule)."""
    by_category, _words, by_food = rules()
    base = by_category.get(category)
    tags = {tag: (base.cells.get(tag, Known.UNKNOWN) if base else Known.UNKNOWN) for tag in TAGS}
    for tag, values in _said(category, name).items():
        if tags[tag] is not Known.YES:  # a category's yes stands; else yes, then ?, then no
            tags[tag] = next((v for v in (Known.YES, Known.UNKNOWN, Known.NO) if v in values), tags[tag])
    own = by_food.get(name)
    if own is not None:
        tags.update(own.cells)
    if tags["pork"] is Known.YES:
        tags["meat"] = Known.YES
    if any(tags[tag] is Known.YES for tag in ANIMAL_TAGS):
        tags["animal"] = Known.YES
    return tags


@dataclass(frozen=True)
class Verdict:
    """Whether a food fits a diet; if not, the tag it holds (``known``) or may hold (not known)."""

    fits: bool
    tag: str | None = None
    known: bool = True


def verdict(tags: Mapping[str, Known], diet: str) -> Verdict:
    """Does a food with these tags fit ``diet``? A definite answer for every food and diet."""
    forbidden = DIETS[diet]
    for tag in forbidden:
        if tags[tag] is Known.YES:
            return Verdict(False, tag, True)
    for tag in forbidden:
        if tags[tag] is not Known.NO:
            return Verdict(False, tag, False)
    return Verdict(True)


def fits(category: str, name: str, diets: Iterable[str]) -> Verdict:
    """The first diet of ``diets`` the food does not fit, as a Verdict (fits when it fits them all)."""
    tags = composition(category, name)
    for diet in diets:
        found = verdict(tags, diet)
        if not found.fits:
            return found
    return Verdict(True)

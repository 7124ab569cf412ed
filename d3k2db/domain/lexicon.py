"""The meal language's words, read from ``data/lexicon/*.csv`` (one file per language, plus
``symbols.csv`` for the language-neutral signs). Stdlib only, read once per process.

Every file has the columns ``word,class,value,kind``; a word is lowercase and may be a phrase of
several space-separated words (fillers, multi-word units). The classes:

================  =======================================================================  ========
class             what the word is                                                          value
================  =======================================================================  ========
``number``        a number word: ``two``, ``deux``, ``twee``, ``anderhalf``                the number
``article``       ``a``/``an``: one (``a cup``), or the start of ``a half``, ``a dozen``    1
``half``          ``half``, ``demi``, ``halve``, 半                                          0.5
``quarter``       ``quarter``                                                               0.25
``dozen``         ``dozen``, ``douzaine``, ``dozijn``                                        12
``couple``        ``couple`` (only in ``a couple of``)                                       2
``bad_number``    ``nan``, ``inf``: a quantity that is refused when a unit or food follows
``and``           joins a whole number and a half: ``two and a half``, ``un et demi``
``determiner``    after ``half of``: ``the``, ``a``, ``un``, ``een``
``separator``     starts the next item: ``and``, ``with``, ``et``, ``met``, 和, 配; in
                  symbols.csv the signs ``,`` ``;`` ``+`` ``/`` ``|`` ``、``
``multiplier``    ``x`` (and ``×`` ``*`` in symbols.csv): ``eggs x2``
``of``            between an amount and the food, dropped: ``of``, ``de``, ``van``, 的
``classifier``    a Chinese or Japanese counter, dropped: 個, 顆, 隻, 條, つ
``cjk_digit``     a Chinese numeral digit: 一, 兩, 三                                         its value
``cjk_power``     十, 百, 千                                                                 its value
``unit``          a unit spelling (``tbsp``, ``tranche``, ``eetlepel``, 盒)                  canonical
                  with its ``kind``: mass, volume, piece, pack, vessel, serving or size      unit
``filler``        words that say nothing about the food or amount, dropped and reported:
                  ``I had``, ``for dinner``, ``big``, ``was``, 我吃了, 早餐
``dish``          a dish named by several food words, kept one item (never split into the
                  foods its words name) and matched or refused whole: ``mac and cheese``
================  =======================================================================  ========

Adding a word is one line in the right file; tests/test_lexicon.py checks every file.

Class ``equivalent`` (in symbols.csv) says what a canonical unit means for foods that publish no
weight for it: ``value`` is the unit it means, ``kind`` the foods it applies to (``any``,
``category:NAME``, ``food:name|name`` …: :func:`applies_to`, as in data/unit_fallbacks.csv); the
rows of one unit are tried in order. A slice of fish (一片鮭魚, une tranche de saumon) is its piece
(its own, else the cited fish piece), else its own fillet; a block (of cheese) is the food's package.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..files.reading import read_table
from ..resources import data_dir
from .text import search_key

__all__ = [
    "CLASSES",
    "LANGUAGES",
    "UNIT_KINDS",
    "Lexicon",
    "UnitEquivalent",
    "applies_to",
    "holds_word",
    "lexicon",
    "lexicon_files",
    "unit_equivalents",
]

#: The lexicon files: one per language, and the signs every language shares.
LANGUAGES = ("en", "fr", "nl", "zh", "ja", "symbols")

CLASSES = frozenset(
    {
        "number",
        "article",
        "half",
        "quarter",
        "dozen",
        "couple",
        "bad_number",
        "and",
        "determiner",
        "separator",
        "multiplier",
        "of",
        "classifier",
        "cjk_digit",
        "cjk_power",
        "unit",
        "filler",
        "dish",
        "equivalent",
    }
)

#: What a unit measures: its grams come from the unit itself (mass), through a density (volume), or
#: from the food's own portion or a cited fallback (the others). In the order the meal's help lists them.
UNIT_KINDS = ("mass", "volume", "piece", "size", "serving", "vessel", "pack")


def lexicon_files() -> list[Path]:
    folder = data_dir() / "lexicon"
    return [folder / f"{lang}.csv" for lang in LANGUAGES]


@dataclass(frozen=True)
class Lexicon:
    """Every word of the meal language by class (all languages together)."""

    numbers: dict[str, float]
    articles: frozenset[str]
    halves: frozenset[str]
    quarters: frozenset[str]
    dozens: frozenset[str]
    couples: frozenset[str]
    bad_numbers: frozenset[str]
    ands: frozenset[str]
    determiners: frozenset[str]
    separators: frozenset[str]
    multipliers: frozenset[str]
    of_words: frozenset[str]
    classifiers: frozenset[str]
    cjk_digits: dict[str, int]
    cjk_powers: dict[str, int]
    units: dict[str, str]  # spelling -> canonical unit
    unit_kinds: dict[str, str]  # canonical unit -> kind
    fillers: frozenset[tuple[str, ...]]  # phrases, as words
    dishes: frozenset[str]  # dish names of several words, as written
    separator_signs: str  # single characters that separate items: ",;+|/、"
    multiplier_signs: str  # "×*"

    @property
    def quantity_words(self) -> frozenset[str]:
        """Words that may begin a quantity."""
        return frozenset(
            {
                *self.numbers,
                *self.articles,
                *self.halves,
                *self.quarters,
                *self.dozens,
                *self.couples,
                *self.bad_numbers,
            }
        )


#: The columns of every lexicon file.
COLUMNS = ("word", "class", "value", "kind")


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of a lexicon file, by the one reader of tables (a bad file is a one-line error)."""
    return [row for _line, row in read_table(path, COLUMNS)]


def _is_sign(word: str) -> bool:
    return len(word) == 1 and not word.isalnum()


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The lexicon of every file in :data:`LANGUAGES`."""
    words: dict[str, dict[str, str]] = {name: {} for name in CLASSES}
    kinds: dict[str, str] = {}
    for path in lexicon_files():
        for row in read_rows(path):
            words[row["class"]][row["word"]] = row["value"]
            if row["class"] == "unit":
                kinds[row["value"]] = row["kind"]

    def plain(name: str) -> frozenset[str]:
        return frozenset(word for word in words[name] if not _is_sign(word) or name != "separator")

    return Lexicon(
        numbers={word: float(value) for word, value in words["number"].items()},
        articles=frozenset(words["article"]),
        halves=frozenset(word for word in words["half"] if word != "半"),
        quarters=frozenset(words["quarter"]),
        dozens=frozenset(words["dozen"]),
        couples=frozenset(words["couple"]),
        bad_numbers=frozenset(words["bad_number"]),
        ands=frozenset(words["and"]),
        determiners=frozenset(words["determiner"]),
        separators=plain("separator"),
        multipliers=frozenset(words["multiplier"]),
        of_words=frozenset(words["of"]),
        classifiers=frozenset(words["classifier"]),
        cjk_digits={word: int(value) for word, value in words["cjk_digit"].items()},
        cjk_powers={word: int(value) for word, value in words["cjk_power"].items()},
        units=dict(words["unit"]),
        unit_kinds=kinds,
        fillers=frozenset(tuple(phrase.split()) for phrase in words["filler"]),
        dishes=frozenset(words["dish"]),
        separator_signs="".join(word for word in words["separator"] if _is_sign(word)),
        multiplier_signs="".join(word for word in words["multiplier"] if _is_sign(word)),
    )


def units_by_kind(language_file: str = "en") -> dict[str, list[tuple[str, list[str]]]]:
    """Each kind's canonical units with the spellings ``data/lexicon/<language_file>.csv`` gives
    them, in file order: {'volume': [('tbsp', ['湯匙', '汤匙', '大匙']), …]} — the one list the help's
    units are written from."""
    kinds = lexicon().unit_kinds
    spelled: dict[str, list[str]] = {}
    for row in read_rows(data_dir() / "lexicon" / f"{language_file}.csv"):
        if row["class"] == "unit":
            spelled.setdefault(row["value"], []).append(row["word"])
    canonical = sorted(kinds, key=lambda unit: (UNIT_KINDS.index(kinds[unit]), unit))
    found: dict[str, list[tuple[str, list[str]]]] = {kind: [] for kind in UNIT_KINDS}
    for unit in canonical:
        found[kinds[unit]].append((unit, spelled.get(unit, [])))
    return found


@dataclass(frozen=True)
class UnitEquivalent:
    """A unit (canonical) that means another one for some foods: slice → piece for fish."""

    unit: str
    applies_to: str  # a rule of applies_to(): 'any', 'category:fish', 'food:name|name' …
    equivalent: str

    def applies(self, category: str | None, name: str) -> bool:
        return applies_to(self.applies_to, category, name)


def applies_to(rule: str, category: str | None, name: str) -> bool:
    """Whether a row of data with this ``rule`` applies to a food (its category and English name).

    ``any``; ``category:NAME|NAME``; ``food:name|name``; ``word:w|w`` (a whole word or words of the
    name, singular or plural). Any of them may end in ``!w|w``: except the foods whose name holds one
    of these words (``category:fish!mussel|…``: a piece of fish is no piece of a mussel). The one
    grammar of data/unit_fallbacks.csv, data/plan_units.csv and the lexicon's ``equivalent`` rows.
    """
    rule, _sep, unless = rule.partition("!")
    if unless and holds_word(name, unless.split("|")):
        return False
    kind, _sep, value = rule.partition(":")
    if kind == "category":
        return category in value.split("|")
    if kind == "food":
        return name in value.split("|")
    if kind == "word":
        return holds_word(name, value.split("|"))
    return kind == "any"


def holds_word(name: str, words: list[str]) -> bool:
    """Whether ``name`` holds one of ``words`` (or phrases) whole, singular or plural, any case."""
    padded = f" {search_key(name)} "
    return any(f" {search_key(word)} " in padded for word in words)


@lru_cache(maxsize=1)
def unit_equivalents() -> tuple[UnitEquivalent, ...]:
    """The ``equivalent`` rows of the lexicon files, in file order."""
    return tuple(
        UnitEquivalent(row["word"], row["kind"], row["value"])
        for path in lexicon_files()
        for row in read_rows(path)
        if row["class"] == "equivalent"
    )

"""How a typed food name becomes one food — or is refused. Used by ``meal`` and ``show``.

The match kinds, strongest first; there is no weaker kind:

``exact``    the food's own name (case, accents, punctuation and plurals aside)
``alias``    one of the food's other names: synonyms, Chinese, French, Dutch, your own aliases
``generic``  a generic word (cheese, milk, liver …) read as a documented default food, with the
             alternatives named: ``data/generic_foods.csv``
``typo``     a close spelling of one whole name, alias or generic word (:func:`is_close_spelling`)

``no_k2_expected``  (meal only) an unfermented plant food or plain drink that no table here measures
             (water, herbal tea …: ``data/no_k2_expected.csv``): 0 µg K2 by a cited rule, not a
             measurement. A word that is a food or a generic word is never read this way.

Anything else is refused with the closest names — only names at least
:data:`SUGGESTION_MIN_SIMILARITY` alike (else none: the word is not in d3k2db). A common food the
database has no entry for (``data/not_in_database.csv``) is refused as such, never matched to a
look-alike name. Words are never matched one by one to different foods. A typo is never read
into a word that is itself a known word: a food, a generic word, a dish or a food known to be
absent (奶油吐司, butter toast, is no typo of 奶油起司, cream cheese: 吐司 is a word).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..domain.results import MatchKind
from ..domain.text import search_key, unicode_fold
from ..errors import FoodNotFound
from ..i18n import _
from ..resources import data_dir
from ..storage import reads
from ..storage.reads import Record
from .search import (
    SMALL_DATABASE,
    check_term,
    indexed_typo_rows,
    no_food_message,
    printable,
    shown_names,
    suggest,
)
from .wordlists import Generic, data_rows, generics, no_k2_figure, no_k2_figure_message

if TYPE_CHECKING:
    from ..storage.reads import Reader

EXACT, ALIAS, GENERIC, TYPO = MatchKind.EXACT, MatchKind.ALIAS, MatchKind.GENERIC, MatchKind.TYPO
NO_K2_EXPECTED = MatchKind.NO_K2_EXPECTED
MATCH_KINDS = (EXACT, ALIAS, GENERIC, TYPO)  # the kinds that name a food of the database

#: Below this similarity (0–100, :func:`similarity` of the search keys, against the name or any of
#: its aliases) a name is no suggestion: 'pizza' suggests no 'chicken gizzard', 'tofu' no 'rainbow
#: trout'; with none left the error says only that no food matches.
SUGGESTION_MIN_SIMILARITY = 60
_WORD_SIMILARITY = 80


@dataclass(frozen=True)
class Match:
    """How ``typed`` was understood: ``food`` (a storage.reads.FOOD_ROW row), by which kind of match."""

    food: Record
    kind: MatchKind  # one of MATCH_KINDS
    typed: str
    matched: str  # the name, alias or generic word that matched, as stored
    alternatives: tuple[str, ...] = ()  # generic: the other foods the word may mean
    reason: str | None = None  # generic: why this default

    def describe(self, alternatives: list[str] | None = None) -> str | None:
        """'typo of natto', 'generic; also: cheddar, edam' — None for a certain match.
        ``alternatives``: the alternatives as the chosen language names them."""
        shown = alternatives if alternatives is not None else list(self.alternatives)
        if self.kind == TYPO:
            note = _("typo: read '{typed}' as '{matched}'").format(typed=self.typed, matched=self.matched)
            if self.alternatives:
                note += _("; generic: {name}").format(name=self.food.name)
            return note
        if self.kind == GENERIC:
            more = " …" if len(self.alternatives) > 4 else ""
            return _("generic; also: {names}").format(names=_(", ").join(shown[:4]) + more)
        return None


# ---------------------------------------------------------------------------------------------
# The vocabulary files (small, read once per process)


@lru_cache(maxsize=1)
def not_in_database() -> dict[str, str]:
    """Common foods and drinks d3k2db has no entry for, by search key → the term as written."""
    return {search_key(row["term"]): row["term"] for row in data_rows("not_in_database.csv", "term")}


@dataclass(frozen=True)
class Rule:
    """A word read by the no-K2-expected rule (data/no_k2_expected.csv) and the rule's citation."""

    term: str
    lang: str
    kind: str  # plant | drink
    note: str
    citation: str


@lru_cache(maxsize=1)
def rule_citation() -> str:
    """The no-K2-expected rule's citation: the data/sources.csv row starting 'Booth SL 2012', else
    the review itself (Booth SL. Food Nutr Res 2012;56:5505)."""
    for row in data_rows("sources.csv", "citation"):
        if row.get("citation", "").startswith("Booth SL 2012"):
            return row["citation"]
    return (
        "Booth SL 2012. Vitamin K: food composition and dietary intakes. Food Nutr Res 56:5505, "
        "https://doi.org/10.3402/fnr.v56i0.5505"
    )


@lru_cache(maxsize=1)
def no_k2_expected() -> dict[str, Rule]:
    """Words for unfermented plant foods and plain drinks no table here measures, by search key."""
    path = data_dir() / "no_k2_expected.csv"
    if not path.exists():
        return {}
    return {
        search_key(row["term"]): Rule(row["term"], row["lang"], row["kind"], row["note"], rule_citation())
        for row in data_rows("no_k2_expected.csv", "term", "lang", "kind", "note")
    }


class NoK2Expected(FoodNotFound):
    """``typed`` names no food here but a plant food or drink the no-K2-expected rule covers."""

    def __init__(self, message: str, rule: Rule) -> None:
        super().__init__(message)
        self.rule = rule


@lru_cache(maxsize=1)
def dish_words() -> dict[str, str]:
    """Dish names of several food words from the meal lexicon (class ``dish``, data/lexicon/:
    'mac and cheese'), by search key → the name as written."""
    from ..domain.lexicon import lexicon  # stdlib only; imported here to keep lookup free of meal

    return {search_key(term): term for term in lexicon().dishes}


@lru_cache(maxsize=1)
def dishes() -> frozenset[str]:
    """Keys of the not-in-database terms of several words ('butter chicken', 'milk tea') and of the
    lexicon's dish names ('mac and cheese'): a meal reads each as one item (matched or refused
    whole), never as the foods its words name."""
    return frozenset({*(key for key in not_in_database() if " " in key), *dish_words()})


@lru_cache(maxsize=1)
def vocabulary_prefixes() -> frozenset[str]:
    """'hard ' for 'hard cheese': the word prefixes (with a trailing space) of generic words and
    of dishes, for the meal parser's look-ahead."""
    keys = [*generics(), *dishes()]
    return frozenset(
        " ".join(words[:n]) + " " for words in (key.split() for key in keys) for n in range(1, len(words))
    )


_NON_WORD = re.compile(r"[^\w]+")
_SEPARATORS = frozenset(",;+/|&\u3001")


def separators(text: str) -> str:
    """The separators inside a name ('whole egg, raw' → ','; 'dutch cheese 35+' → ''): a name
    typed across separators must have the same ones, so 'chicken, liver' is two foods, not
    'chicken liver'. Full-width forms count as their ASCII selves ('（無加糖，罐裝）' has ','), as
    the meal parser reads them."""
    text = unicodedata.normalize("NFKC", text)
    last = max((i for i, ch in enumerate(text) if ch.isalnum()), default=-1)
    return "".join(ch for ch in text[:last] if ch in _SEPARATORS)


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """English, French and Dutch words that are never read as a typo (d3k2db/words/, built by
    tools/build_words.py): 'better' is a word, not a misspelt 'butter'."""
    folder = Path(__file__).resolve().parent.parent / "words"
    words: set[str] = set()
    for name in ("en.txt", "fr.txt", "nl.txt"):
        lines = (folder / name).read_text(encoding="utf-8").splitlines()
        words.update(line for line in lines if line and not line.startswith("#"))  # folded words
    return frozenset(words)


def not_in_database_message(typed: str, term: str) -> str:
    return _("{typed} is not a food in d3k2db: there is no K2 figure for {term} here").format(
        typed=printable(typed), term=term
    )


# ---------------------------------------------------------------------------------------------
# Close spellings


def is_close_spelling(typed: str, name: str) -> bool:
    """Whether ``typed`` is a typo of ``name`` (both search keys), by a documented rule.

    Edits are counted as optimal string alignment (insert, delete, substitute, swap neighbours):
    - the first letter is right;
    - 3 letters typed: one letter left out ('egs' → 'egg');
    - 4–7 letters: one edit ('buter', 'natoo', 'brei'), or two letters swapped apart ('kifer');
    - 8 letters and more: two edits ('mozarela').
    The plural of the name counts as a spelling of it ('egss' → 'eggs').
    """
    from rapidfuzz.distance import OSA

    if not typed or not name or typed[0] != name[0] or typed == name:
        return False
    best = min(OSA.distance(typed, name), OSA.distance(typed, name + "s"))
    size = len(typed)
    if size < 3:
        return False
    if size == 3:
        return any(len(whole) == 4 and _is_subsequence(typed, whole) for whole in (name, name + "s"))
    if size < 8:
        return best == 1 or (best == 2 and len(name) == size and sorted(name) == sorted(typed))
    return best <= 2


def _spacing_slip(typed: str, name: str) -> bool:
    """'grandmas sauerkraut' for "grandma's sauerkraut": other word breaks, one letter at most."""
    from rapidfuzz.distance import OSA

    joined = typed.replace(" ", "")
    return len(typed.split()) != len(name.split()) and OSA.distance(joined, name.replace(" ", "")) <= 1


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(char in letters for char in short)


# ---------------------------------------------------------------------------------------------
# Resolution


def _by_key(connection: Reader, key: str) -> tuple[Record, MatchKind, str] | None:
    """(food row, kind, matched name) for an exact name or alias key."""
    food = reads.first(connection, reads.FOOD_BY_KEY, key=key)
    if food is not None:
        return food, EXACT, food.name
    aliased = reads.first(connection, reads.FOOD_BY_ALIAS, key=key)
    if aliased is not None:
        return aliased, ALIAS, aliased.alias
    return None


def _generic(connection: Reader, key: str) -> tuple[Record, Generic] | None:
    generic = generics().get(key)
    if generic is None:
        return None
    food = reads.first(connection, reads.FOOD_BY_KEY, key=search_key(generic.food))
    return (food, generic) if food is not None else None


def _typo_candidates(connection: Reader, key: str) -> Iterable[tuple[str, int | None, str]]:
    """(stored key, food id or None for a generic word, name as stored) worth comparing with ``key``."""
    for generic_key, generic in generics().items():
        yield generic_key, None, generic.term
    size = reads.scalar(connection, reads.LAST_FOOD_ID) or 0
    if size <= SMALL_DATABASE:
        for stored, food_id, shown in reads.values(connection, reads.TYPO_NAMES):
            yield stored, food_id, shown
        for stored, food_id, shown in reads.values(connection, reads.TYPO_ALIASES):
            yield stored, food_id, shown
    else:
        for food_id, stored, shown, _typo in indexed_typo_rows(connection, key):
            yield stored, food_id, shown


def _typo(connection: Reader, typed: str, key: str) -> Match | None:
    """The one food ``key`` is a close spelling of; None when none, or when several foods tie.

    A typo needs a misspelt word: one that is neither a common English, French or Dutch word
    nor a word of a name it is compared with ('egg roll' is no typo of 'egg yolk'), unless only
    the word breaks differ ('grandmas sauerkraut').
    """
    candidates = list(_typo_candidates(connection, key))
    scored = _typo_distances(candidates, typed, key)
    if not scored:
        return None
    best = min(distance for distance, _name, _shown in scored.values())
    winner = _one_food(connection, [entry for entry in scored.values() if entry[0] == best])
    if winner is None:
        return None
    food_id, shown, generic = winner
    food = reads.first(connection, reads.FOOD_BY_ID, id=food_id)
    if generic is not None:
        return Match(food, TYPO, typed, shown, generic.alternatives, generic.reason)
    return Match(food, TYPO, typed, shown)


def _typo_distances(
    candidates: list[tuple[str, int | None, str]], typed: str, key: str
) -> dict[str, tuple[int, int | None, str]]:
    """The close spellings among ``candidates``: for each food or generic word, the smallest edit
    distance to ``key``, with the food id (None for a generic word) and the name as stored."""
    from rapidfuzz.distance import OSA

    name_words = {word for stored, _id, _shown in candidates for word in stored.split()}
    plain = _NON_WORD.sub(" ", unicode_fold(typed)).replace("_", " ").split()  # search_key's words
    typed_words = zip(plain, key.split(), strict=True)
    all_words = all(raw in common_words() or word in name_words for raw, word in typed_words)
    scored: dict[str, tuple[int, int | None, str]] = {}
    for stored, food_id, shown in candidates:
        if not is_close_spelling(key, stored):
            continue
        if all_words and not _spacing_slip(key, stored):
            continue
        distance = min(OSA.distance(key, stored), OSA.distance(key, stored + "s"))
        target = f"id:{food_id}" if food_id is not None else f"generic:{stored}"
        known = scored.get(target)
        if known is None or distance < known[0]:
            scored[target] = (distance, food_id, shown)
    return scored


def _one_food(
    connection: Reader, winners: list[tuple[int, int | None, str]]
) -> tuple[int, str, Generic | None] | None:
    """The food the equally close spellings name (a generic word counts as the food it stands
    for), with the name matched and the generic word if one; None when they name several."""
    resolved: dict[int, tuple[str, Generic | None]] = {}
    for _score, food_id, shown in winners:
        generic = None
        if food_id is None:
            found = _generic(connection, search_key(shown))
            if found is None:
                continue
            food_id, generic = found[0].id, found[1]
        resolved.setdefault(food_id, (shown, generic))
    if len(resolved) != 1:
        return None
    food_id, (shown, generic) = next(iter(resolved.items()))
    return food_id, shown, generic


def resolve(connection: Reader, typed: str) -> Match:
    """The one food ``typed`` names, and how; raises FoodNotFound (with the closest names) if none."""
    check_term(typed)
    key = search_key(typed)
    if not key:
        raise FoodNotFound(_("no food matches {term}").format(term=printable(typed)))
    found = _by_key(connection, key)
    if found is not None:
        food, kind, matched = found
        return Match(food, kind, typed, matched)
    no_figure = no_k2_figure_message(typed)
    if no_figure is not None:
        raise FoodNotFound(no_figure)
    generic = _generic(connection, key)
    if generic is not None:  # the data wins over the rule and over the not-in-database list
        food, word = generic
        return Match(food, GENERIC, typed, word.term, word.alternatives, word.reason)
    rule = no_k2_expected().get(key)
    if rule is not None:
        raise NoK2Expected(
            _("{typed}: no K2 expected ({note}; {citation})").format(
                typed=printable(typed), note=rule.note, citation=rule.citation
            ),
            rule,
        )
    if key in not_in_database():
        raise FoodNotFound(not_in_database_message(typed, not_in_database()[key]))
    parts = cjk_parts(connection, key)
    typo = None if parts or _known_word_inside(key) else _typo(connection, typed, key)
    if typo is not None:
        return typo
    if parts:  # 奶油吐司: several words typed together; the foods they name, never a look-alike
        suggestions = list(dict.fromkeys(match.food.name for match in parts))
    else:
        suggestions = worth_suggesting(connection, key, suggest(connection, typed))
    raise FoodNotFound(no_food_message(typed, shown_names(connection, suggestions)), suggestions)


def _known_word_inside(key: str) -> bool:
    """Whether unspaced CJK text holds a known word of two characters or more other than at its
    start (奶油吐司 holds 吐司): then it is several words, never a typo of one name."""
    if " " in key or key.isascii():
        return False
    known = {*generics(), *not_in_database(), *no_k2_expected(), *no_k2_figure(), *dishes()}
    return any(
        key[start:end] in known for start in range(1, len(key)) for end in range(start + 2, len(key) + 1)
    )


_MAX_PART_CHARS = 8  # the longest Chinese word cjk_parts tries


def cjk_parts(connection: Reader, key: str) -> list[Match] | None:
    """Unspaced Chinese text that is several known words typed together (奶油吐司: 奶油 butter,
    吐司 toast), longest word first at each character: each word's match (a name, an alias or a
    generic word); None when the text is not wholly such words, or is only one."""
    if " " in key or key.isascii() or len(key) > 4 * _MAX_PART_CHARS:
        return None
    parts: list[Match] = []
    start = 0
    while start < len(key):
        for end in range(min(len(key), start + _MAX_PART_CHARS), start, -1):
            found = _part(connection, key[start:end])
            if found is not None:
                parts.append(found)
                start = end
                break
        else:
            return None
    return parts if len(parts) > 1 else None


def _part(connection: Reader, word: str) -> Match | None:
    found = _by_key(connection, word)
    if found is not None:
        return Match(found[0], found[1], word, found[2])
    generic = _generic(connection, word)
    if generic is not None:
        food, term = generic
        return Match(food, GENERIC, word, term.term, term.alternatives, term.reason)
    return None


def similarity(typed_key: str, name_key: str) -> float:
    """How alike a typed text and a name are, 0–100 (see :data:`SUGGESTION_MIN_SIMILARITY`): the
    better of the two texts' ratio and the share of typed words that have a close word (ratio 80
    or more) in the name — 'raw milk cheese' is 67 like 'raw milk', 33 like 'american cheese'."""
    from rapidfuzz import fuzz

    typed_words, name_words = typed_key.split(), name_key.split()
    close = sum(
        1 for word in typed_words if any(fuzz.ratio(word, other) >= _WORD_SIMILARITY for other in name_words)
    )
    return max(fuzz.ratio(typed_key, name_key), 100.0 * close / max(len(typed_words), 1))


def worth_suggesting(connection: Reader, key: str, names: list[str]) -> list[str]:
    """The ``names`` alike enough to ``key`` (by the name or one of its aliases) to be suggested."""
    if not names:
        return []
    spelled: dict[str, list[str]] = {name: [search_key(name)] for name in names}
    for name, alias_key in reads.rows(connection, reads.ALIAS_KEYS_BY_NAME, names=names):
        spelled[name].append(alias_key)
    return [
        name
        for name in names
        if max(similarity(key, spelling) for spelling in spelled[name]) >= SUGGESTION_MIN_SIMILARITY
    ]

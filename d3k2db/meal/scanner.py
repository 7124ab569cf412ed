"""The meal parser's view of its tokens: which words are known names (longest match), fillers,
units and quantities. Pure, stdlib-only; the words come from data/lexicon/ (:mod:`.lexicon`).

Names are found by longest match: from a token, the words are extended while some known name
continues them (``continues``), and the longest that is a name (``is_food``) wins. The caller
answers both from an in-memory index of names (d3k2db.meal.compute), never one query per prefix.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from ..domain.lexicon import lexicon
from ..domain.units import canonical_unit
from ..storage.forms import MAX_NAME
from .tokens import _AMP, _NUM, _SEP, _SOFT, _WORD, _cjk_number, _is_cjk, _starting, _Tok

_LEX = lexicon()
_MULT_WORDS = _LEX.multipliers
_SEP_WORDS = _LEX.separators
_OF_WORDS = _LEX.of_words
_ARTICLES = _LEX.articles
_HALF_WORDS = _LEX.halves
_QUANTITY_WORDS = _LEX.quantity_words
_FRACTION_WORDS: dict[str, float] = {**dict.fromkeys(_LEX.halves, 0.5), **dict.fromkeys(_LEX.quarters, 0.25)}
_ONE_WORDS = frozenset(word for word, value in _LEX.numbers.items() if value == 1)
_FILLERS = _OF_WORDS | _LEX.classifiers
_FILLER_PHRASES = _LEX.fillers
_FILLER_MAX = max(len(phrase) for phrase in _FILLER_PHRASES)


def _longest_first(words: Iterable[str]) -> list[str]:
    """The CJK words of ``words``, longest first (for matching at the start of an unspaced run)."""
    return sorted((word for word in words if _is_cjk(word)), key=len, reverse=True)


_CJK_FILLERS = _longest_first(phrase[0] for phrase in _FILLER_PHRASES if len(phrase) == 1)
_CJK_SEPARATORS = _longest_first(_SEP_WORDS)
_CJK_MEASURES = _longest_first([*_LEX.classifiers, *_LEX.units])

MAX_NAME_TOKENS = 320  # a known name is looked for over at most this many tokens
_MAX_CJK_RUN = 32  # longest unspaced CJK run that is split into known foods
_MAX_CJK_FOOD = 8  # longest CJK food name tried inside such a run
# A known name is at most MAX_NAME characters; the scan counts each word with the space before it.
_MAX_NAME_CHARS = MAX_NAME + 1


@dataclass(slots=True)
class _Quantity:
    end: int  # index after the quantity phrase
    value: float
    flawed: _Tok | None = None  # an ambiguous number or a range inside it


@dataclass(slots=True)
class _Piece:
    kind: str  # "food" (a known name), "filler", "word" (anything else)
    start: int
    end: int


class Scanner:
    """Token predicates and the longest-match segmentation the grammar (parser.py) is built on."""

    def __init__(
        self,
        tokens: list[_Tok],
        is_food: Callable[[str], bool],
        continues: Callable[[str], bool] | None = None,
    ) -> None:
        self._is_food = is_food
        self._continues = continues
        self._known: dict[str, bool] = {}
        self._longer: dict[str, bool] = {}
        self._food_len: dict[int, int] = {}
        self.dropped: list[str] = []  # fillers seen before the next item's food
        self.toks = self._split_cjk(tokens)
        self.n = len(self.toks)

    # -- is_food and continues, cached ---------------------------------------------------

    def known(self, phrase: str) -> bool:
        found = self._known.get(phrase)
        if found is None:
            found = bool(phrase) and bool(self._is_food(phrase))
            self._known[phrase] = found
        return found

    def longer(self, phrase: str) -> bool:
        """Whether some known name is longer than ``phrase`` and starts with it."""
        if self._continues is None:
            return True
        found = self._longer.get(phrase)
        if found is None:
            found = bool(self._continues(phrase))
            self._longer[phrase] = found
        return found

    # -- Chinese runs -------------------------------------------------------------------------

    def _split_cjk(self, tokens: list[_Tok]) -> list[_Tok]:
        """Split unspaced CJK runs ("兩個雞蛋", "我吃了一杯牛奶", "雞蛋奶油") into tokens."""
        out: list[_Tok] = []
        for index, tok in enumerate(tokens):
            if not tok.cjk or len(tok.low) > _MAX_CJK_RUN or self._whole_name(tokens, index):
                out.append(tok)
                continue
            after_number = bool(out) and out[-1].kind == _NUM
            for index, piece in enumerate(self._cjk_pieces(tok.low, after_number=after_number)):
                piece.glued = tok.glued if index == 0 else True
                out.append(piece)
        return out

    def _whole_name(self, tokens: list[_Tok], index: int) -> bool:
        """Whether the CJK run at ``index`` is a known name, or begins one that the next tokens
        complete ("荷蘭乳酪（35+）", "牛和尚頭側排（生）"): then it is not split into pieces."""
        if self.known(tokens[index].low):
            return True
        end = index + 1
        while (
            end < len(tokens)
            and end - index < _MAX_CJK_FOOD
            and self.longer(self.key_text(tokens[index:end]) + " ")
        ):
            end += 1
            if tokens[end - 1].kind in (_WORD, _NUM) and self.known(self.key_text(tokens[index:end])):
                return True
        return False

    def _cjk_pieces(self, text: str, *, after_number: bool) -> list[_Tok]:
        pieces: list[_Tok] = []
        unknown = ""
        start = 0
        while start < len(text):
            found = self._cjk_piece(text, start, after_number=after_number and start == 0)
            if not found:
                unknown += text[start]
                start += 1
                continue
            if unknown:
                pieces.append(_Tok(_WORD, unknown, unknown, cjk=True))
                unknown = ""
            pieces += found
            start += sum(len(piece.raw) for piece in found)
        if unknown:
            pieces.append(_Tok(_WORD, unknown, unknown, cjk=True))
        return pieces

    def _cjk_piece(self, text: str, start: int, *, after_number: bool) -> list[_Tok]:
        """The tokens at ``text[start:]``: a known name, a numeral with its measure word, a
        measure word after a number, a separator or a filler (longest first); [] if none."""
        rest = text[start:]
        # After a number, a measure word wins over a shorter name inside it: '1湯匙' is a
        # tablespoon, not 1 and 湯 (soup, a generic word) then 匙
        shortest = len(_starting(rest, _CJK_MEASURES)) + 1 if after_number else 1
        for size in range(min(_MAX_CJK_FOOD, len(rest)), shortest - 1, -1):
            if self.known(rest[:size]):
                return [_Tok(_WORD, rest[:size], rest[:size], cjk=True)]
        value, size = _cjk_number(rest)
        measure = _starting(rest[size:], _CJK_MEASURES) if size or after_number else ""
        if size and (measure or (rest[size : size + 1] and self._food_after(rest[size:]))):
            number = _Tok(_NUM, rest[:size], rest[:size], cjk=True, value=value)
            found = [number]
            if measure:
                found.append(_Tok(_WORD, measure, measure, cjk=True))
                if rest[size + len(measure) :].startswith("半"):  # "一個半" = 1.5
                    number.value += 0.5
                    found[-1] = _Tok(_WORD, measure + "半", measure, cjk=True)
            return found
        if measure:
            return [_Tok(_WORD, measure, measure, cjk=True)]
        word = _starting(rest, _CJK_SEPARATORS) or _starting(rest, _CJK_FILLERS)
        return [_Tok(_WORD, word, word, cjk=True)] if word else []

    def _food_after(self, text: str) -> bool:
        return any(self.known(text[:size]) for size in range(1, min(_MAX_CJK_FOOD, len(text)) + 1))

    # -- token predicates -------------------------------------------------------------------

    def word(self, k: int) -> _Tok | None:
        if 0 <= k < self.n and self.toks[k].kind == _WORD:
            return self.toks[k]
        return None

    def is_word(self, k: int, words: frozenset[str] | set[str]) -> bool:
        tok = self.word(k)
        return tok is not None and tok.low in words

    def is_num(self, k: int) -> bool:
        return 0 <= k < self.n and self.toks[k].kind == _NUM

    def is_mult(self, k: int) -> bool:
        return self.is_word(k, _MULT_WORDS)

    def is_free_word(self, k: int, words: frozenset[str] | set[str]) -> bool:
        """``k`` is one of ``words`` and does not start a known food ("half and half")."""
        return self.is_word(k, words) and self.food_len(k) == 0

    def is_percent(self, k: int) -> bool:
        """A number with '%' typed against it ("2%"): a fat content, part of a food's name."""
        after = self.word(k + 1)
        return self.is_num(k) and after is not None and after.low == "%" and after.glued

    def is_food_start(self, k: int) -> bool:
        """Token ``k`` could begin food text: a word that is not a separator word, or the start of
        a known name (which may begin with a number or a separator word: "20+ cheese", "和牛")."""
        if self.food_len(k) > 0 or self.is_percent(k):
            return True
        tok = self.word(k)
        return tok is not None and tok.low not in _SEP_WORDS

    def ends_item(self, k: int) -> bool:
        if k >= self.n or self.toks[k].kind in (_SEP, _SOFT):
            return True
        return self.is_word(k, _SEP_WORDS) and self.food_len(k) == 0

    def skip_soft(self, k: int) -> int:
        while k < self.n and self.toks[k].kind == _SOFT:
            k += 1
        return k

    def skip_fillers(self, k: int) -> int:
        """Skip quoted-argument edges, "of" and CJK classifiers ("2 slices of gouda", "2個")."""
        while k < self.n and (self.toks[k].kind == _SOFT or self.is_word(k, _FILLERS)):
            if self.food_len(k):
                break
            k += 1
        return k

    def key_text(self, tokens: Sequence[_Tok]) -> str:
        """Food text for is_food and ItemSpec.food: lowercased, tokens typed apart joined by one
        space, tokens typed together ("x2", "35+", "雞蛋奶油") kept together."""
        out: list[str] = []
        previous: _Tok | None = None
        for tok in tokens:
            if tok.kind == _SOFT:
                continue
            if previous is not None and not tok.glued:
                out.append(" ")
            out.append(tok.low)
            previous = tok
        return "".join(out)

    def food_len(self, j: int) -> int:
        """Tokens in the longest known name starting at ``j`` (0: none starts there).

        A name may run across commas, digits, "+" and "&" ("ground beef, 10% fat, raw", "dutch
        cheese 35+"); it is extended only while some known name continues the words so far.
        """
        cached = self._food_len.get(j)
        if cached is not None:
            return cached
        best = 0
        first = self.toks[j] if j < self.n else None
        if first is not None and first.kind in (_WORD, _NUM) and first.low not in _MULT_WORDS:
            k, chars = j, 0
            while k < self.n and k - j < MAX_NAME_TOKENS and self.toks[k].kind != _SOFT:
                chars += len(self.toks[k].raw) + (0 if self.toks[k].glued else 1)
                k += 1
                if chars > _MAX_NAME_CHARS or self.toks[k - 1].kind not in (_WORD, _NUM, _SEP, _AMP):
                    break
                phrase = self.key_text(self.toks[j:k])
                if self.toks[k - 1].kind in (_WORD, _NUM) and self.known(phrase):
                    best = k - j
                glued = k < self.n and self.toks[k].glued  # "x" then "2" of "x2": one word of a name
                if not self.longer(phrase if glued else phrase + " "):
                    break
        self._food_len[j] = best
        return best

    def filler_len(self, k: int) -> int:
        """Tokens in the longest filler phrase at ``k`` that is not the start of a known food."""
        if self.food_len(k):
            return 0
        for size in range(min(_FILLER_MAX, self.n - k), 0, -1):
            words = self.toks[k : k + size]
            if all(tok.kind == _WORD for tok in words) and tuple(tok.low for tok in words) in _FILLER_PHRASES:
                return size
        return 0

    def unit_at(self, k: int) -> tuple[str | None, int]:
        """Canonical unit spelled by the one, two or three words at ``k``, and how many words."""
        for size in (3, 2, 1):
            words = [self.word(k + offset) for offset in range(size)]
            if all(words):
                unit = canonical_unit(" ".join(tok.low for tok in words if tok))
                if unit is not None:
                    return unit, size
        return None, 0

    # -- quantities -------------------------------------------------------------------------

    def _and_a_half(self, k: int) -> tuple[int, float]:
        """After a whole number: "and a half" / "and one half" / "and 1/2" -> (end, addend)."""
        if not self.is_word(k, _LEX.ands):
            return k, 0.0
        if self.is_word(k + 1, _ARTICLES | _ONE_WORDS) and self.is_free_word(k + 2, _HALF_WORDS):
            return k + 3, 0.5
        if self.is_free_word(k + 1, _HALF_WORDS):  # "un et demi"
            return k + 2, 0.5
        if self.is_num(k + 1):
            part = self.toks[k + 1]
            if part.fraction and 0 < part.value < 1:
                return k + 2, part.value
        return k, 0.0

    def _dozen(self, k: int, value: float) -> tuple[int, float]:
        if self.is_free_word(k, _LEX.dozens):
            return k + 1, value * 12
        return k, value

    def _number(self, k: int) -> _Quantity:
        tok = self.toks[k]
        value, end = tok.value, k + 1
        flawed = tok if tok.flaw else None
        if tok.integer and self.is_num(end) and not self.toks[end].cjk:  # "1 1/2"
            part = self.toks[end]
            if part.fraction and 0 < part.value < 1:
                value += part.value
                end += 1
        elif tok.integer:
            end, addend = self._and_a_half(end)
            value += addend
        end, value = self._dozen(end, value)
        return _Quantity(end, value, flawed)

    def _article(self, k: int) -> _Quantity:
        """After "a"/"an": "a half", "a quarter", "a dozen", "a couple", or just one."""
        for words, value in ((_HALF_WORDS, 0.5), (_LEX.quarters, 0.25)):
            if self.is_free_word(k, words):
                end, scaled = self._dozen(k + 1, value)
                return _Quantity(end, scaled)
        if self.is_free_word(k, _LEX.dozens):
            return _Quantity(k + 1, 12.0)
        if self.is_free_word(k, _LEX.couples):
            return _Quantity(k + 1, 2.0)
        return _Quantity(k, 1.0)

    def _fraction_word(self, word: str, end: int) -> _Quantity:
        """ "half a cup", "half of the eggs", "quarter of a pound", "half a dozen"."""
        value = _FRACTION_WORDS[word]
        after = end + 1 if self.is_word(end, _OF_WORDS) else end
        if self.is_free_word(after, _LEX.determiners | _ARTICLES):
            end = after + 1
        elif after > end and self.is_food_start(after):  # "half of eggs"
            end = after
        end, value = self._dozen(end, value)
        return _Quantity(end, value)

    def base_quantity(self, k: int) -> _Quantity | None:
        if self.is_num(k):
            return self._number(k)
        tok = self.word(k)
        if tok is None or tok.low not in _QUANTITY_WORDS or self.food_len(k) > 0:
            return None
        word, end = tok.low, k + 1
        if word in _ONE_WORDS and self.is_free_word(end, frozenset(_FRACTION_WORDS)):
            following = self.toks[end].low
            return _Quantity(end + 1, _FRACTION_WORDS.get(following, 0.5))  # "one half cup"
        if word in _LEX.numbers:
            value = _LEX.numbers[word]
            end, addend = self._and_a_half(end)
            end, value = self._dozen(end, value + addend)
            return _Quantity(end, value)
        if word in _ARTICLES:
            return self._article(end)
        if word in _FRACTION_WORDS:
            return self._fraction_word(word, end)
        if word in _LEX.dozens:
            return _Quantity(end, 12.0)
        if word in _LEX.couples:
            return _Quantity(end, 2.0) if self.is_word(end, _OF_WORDS) else None
        # "nan" / "inf": a bad quantity only when a unit or a known food follows ("nan g")
        after = self.skip_soft(end)
        if self.unit_at(after)[0] is not None or self.food_len(after) > 0:
            return _Quantity(end, math.nan)
        return None

    def quantity(self, k: int) -> _Quantity | None:
        """Quantity phrase at ``k`` with multipliers: "2", "x2", "2x", "2 x 100", "1 1/2"."""
        if self.is_mult(k) and self.is_num(k + 1):  # "x2 eggs"
            k += 1
        found = self.base_quantity(k)
        if found is None:
            return None
        while self.is_mult(found.end):  # "2x eggs", "2 x 100 g natto"
            factor = self.base_quantity(found.end + 1)
            if factor is None:
                found.end += 1
                break
            found.value *= factor.value
            found.end = factor.end
            found.flawed = found.flawed or factor.flawed
        return found

    def starts_quantity(self, k: int) -> bool:
        """A quantity at ``k`` begins a new item: a number, or a quantity word before a unit or food."""
        if self.is_num(k) or (self.is_mult(k) and self.is_num(k + 1)):
            return True
        if not self.is_word(k, _QUANTITY_WORDS):
            return False
        found = self.quantity(k)
        if found is None:
            return False
        after = self.skip_fillers(found.end)
        return self.unit_at(after)[0] is not None or self.food_len(after) > 0

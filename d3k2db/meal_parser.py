"""Parse the words after ``d3k2db meal`` into item specs: quantity, unit and food text.

Pure, stdlib-only. Whether a phrase names a food is asked of the ``is_food`` callback;
matching the food itself (aliases, plurals, typos) is the caller's job.

Grammar, per item (items are split by ``,`` ``;`` ``+`` ``&`` ``/`` ``、`` and the words
``and`` ``with`` ``plus`` ``w/``, and also start at every quantity)::

    item      := [quantity] [unit] ["of" | CJK classifier] food [postfix]
    quantity  := ["x" | "×" | "*"] base [("x" | "×" | "*") [base]]
    base      := number [fraction]            "1 1/2", "1½" (a mixed number)
               | number "and" ("a half" | fraction)
               | number-word ["and a half"]    "one" .. "twelve", "two and a half"
               | base "dozen"                  "2 dozen" = 24
               | "a"/"an" ["half" | "quarter" | "dozen" | "couple"]
               | "one" ("half" | "quarter")
               | "half" ["of"] ["a" | "an" | "the"] ["dozen"]
               | "quarter" ["of"] ["a" | "an" | "the"]
               | "dozen" | "couple of"
    number    := 2 | 1.5 | .5 | 1,5 (decimal comma) | 1/2 | 1e3 | -1 (rejected later)
    unit      := one or two words that units.canonical_unit() knows ("fl oz", "extra large")
    postfix   := ("x" | "×" | "*") base      "eggs x2" (unless a unit follows: "x 2 tbsp ...")
               | number ("x" | "×" | "*")     "eggs 2x" (only at the end of the item)
    food      := longest run (at most 6 words) that is_food() accepts,
               | else consecutive unknown words, up to the next separator, quantity,
                 word that starts a known food, or unit followed by a known food.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from d3k2db.errors import MealParseError
from d3k2db.units import canonical_unit

__all__ = [
    "EMPTY_MEAL",
    "MAX_FOOD_WORDS",
    "MAX_MEAL_CHARS",
    "ItemSpec",
    "parse_meal",
    "parse_meal_with_problems",
]

EMPTY_MEAL = "empty meal: name at least one food, e.g. 'd3k2db meal 2 eggs, 1 tbsp butter'"

#: A longer meal is refused outright (it would cost many ``is_food`` calls).
MAX_MEAL_CHARS = 10_000

#: Longest food name, in words, that the greedy segmentation tries.
MAX_FOOD_WORDS = 6

_MAX_CJK_RUN = 32  # longest unspaced CJK run that is split into known foods
_MAX_CJK_FOOD = 8  # longest CJK food name tried inside such a run
_CJK_LOOKUP_BUDGET = 20_000  # is_food calls spent on CJK splitting per meal
_MAX_QUOTE = 80  # item text longer than this is shortened in messages


@dataclass(frozen=True)
class ItemSpec:
    """One item of a meal, as typed; the caller resolves ``food`` and converts the amount."""

    text: str  # the item as the user typed it (for messages), e.g. "2 large eggs"
    quantity: float | None  # None = not given (means 1 default serving)
    unit: str | None  # canonical unit from units.canonical_unit, or None
    food: str  # the food words, lowercased, whitespace-normalized, e.g. "chicken liver"


# ---------------------------------------------------------------------------------------
# Normalization and tokens

_VULGAR_RE = re.compile("[\u00bc-\u00be\u2150-\u215e\u2189]")
_ODD_RE = re.compile(r"[^\x20-\x7e]")
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2212\ufe63"
_BLANK_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zs", "Zl", "Zp"})


def _vulgar(match: re.Match[str]) -> str:
    # NFKC would turn "1½" into "11⁄2"; make it the mixed number "1 1/2" first.
    return " " + unicodedata.normalize("NFKC", match.group()).replace("\u2044", "/") + " "


def _odd(match: re.Match[str]) -> str:
    char = match.group()
    if char in "\u2044\u2215":  # fraction slash, division slash
        return "/"
    if char in _DASHES:
        return "-"
    category = unicodedata.category(char)
    if category in _BLANK_CATEGORIES:  # control, format, surrogate, odd spaces
        return " "
    if category == "Nd":  # digits of any script
        return str(unicodedata.digit(char, 0))
    return char


def _normalize(text: str) -> str:
    text = _VULGAR_RE.sub(_vulgar, text)
    text = unicodedata.normalize("NFKC", text)
    return _ODD_RE.sub(_odd, text)


_CJK = (
    "\u3005\u3007\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
)
_SEP_CHARS = r",;+|/\u3001"
_MULT_CHARS = "\u00d7*"
_PUNCT_CHARS = r"()\[\]{}\"!?:.<>=\u2026\u3002"
_NUMBER = (
    r"-?(?:[0-9]+(?:,[0-9]+)+"
    r"|(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
    r"(?:/(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))?)"
)
_TOKEN_RE = re.compile(
    r"(?P<ws>\s+)"
    rf"|(?P<num>{_NUMBER})"
    r"|(?P<with>[wW]/)"
    rf"|(?P<sep>[{_SEP_CHARS}])"
    r"|(?P<amp>&)"
    rf"|(?P<mult>[{_MULT_CHARS}])"
    rf"|(?P<punct>[{_PUNCT_CHARS}])"
    rf"|(?P<cjk>[{_CJK}]+)"
    rf"|(?P<word>[^\s0-9{_SEP_CHARS}&{_MULT_CHARS}{_PUNCT_CHARS}{_CJK}]+)"
    r"|(?P<other>.)",
    re.DOTALL,
)
_WORD_EDGES = "'\"`\u00b4\u2018\u2019-_~"

_NUM, _WORD, _SEP, _AMP, _SOFT = "num", "word", "sep", "amp", "soft"


@dataclass(slots=True)
class _Tok:
    kind: str  # _NUM, _WORD, _SEP (hard separator), _AMP ("&"), _SOFT (quoted-argument edge)
    raw: str  # normalized text, original case
    low: str  # lowercased
    glued: bool = False  # no space between this token and the previous one
    cjk: bool = False
    value: float = math.nan  # _NUM: its value (nan if not a number)
    flaw: str | None = None  # _NUM: "ambiguous" ("1,500": thousands or decimal?), "range" ("1-2")
    integer: bool = False  # _NUM: plain digits
    fraction: bool = False  # _NUM: written with "/"


def _safe_float(text: str) -> float:
    try:
        return float(text)
    except (ValueError, OverflowError):
        return math.nan


def _number_token(raw: str, glued: bool) -> _Tok:
    tok = _Tok(_NUM, raw, raw.lower(), glued)
    sign = -1.0 if raw.startswith("-") else 1.0
    body = raw.lstrip("-")
    if "," in body:
        head, _, tail = body.partition(",")
        if "," in tail or len(tail) == 3:  # "1,500" / "1,000,000": thousands or decimal?
            tok.flaw = "ambiguous"
        else:  # "1,5" (decimal comma: a comma followed by a space separates items instead)
            tok.value = sign * _safe_float(f"{head}.{tail}")
    elif "/" in body:
        top, _, bottom = body.partition("/")
        numerator, denominator = _safe_float(top), _safe_float(bottom)
        try:
            tok.value = sign * numerator / denominator
        except (ZeroDivisionError, OverflowError):
            tok.value = math.nan
        tok.fraction = True
    else:
        tok.value = sign * _safe_float(body)
        tok.integer = body.isdigit()
    return tok


def _tokenize(args: Sequence[str]) -> list[_Tok]:
    """Tokens of all arguments; an argument of several words is fenced by _SOFT tokens."""
    tokens: list[_Tok] = []
    previous_multi = False
    for index, arg in enumerate(args):
        text = _normalize(arg)
        multi = len(text.split()) > 1
        if index and (multi or previous_multi) and tokens and tokens[-1].kind != _SOFT:
            tokens.append(_Tok(_SOFT, "", ""))
        previous_multi = multi
        glued = False
        for match in _TOKEN_RE.finditer(text):
            kind, raw = match.lastgroup, match.group()
            if kind == "num":
                if raw.startswith("-") and glued and tokens and tokens[-1].kind == _NUM:
                    first = tokens[-1]  # "1-2 eggs": a range, not 1 and -2
                    tokens[-1] = _Tok(_NUM, first.raw + raw, first.low + raw, first.glued)
                    tokens[-1].flaw = "range"
                else:
                    tokens.append(_number_token(raw, glued))
            elif kind == "with":
                tokens.append(_Tok(_SEP, raw, "with", glued))
            elif kind == "sep":
                tokens.append(_Tok(_SEP, raw, raw, glued))
            elif kind == "amp":
                tokens.append(_Tok(_AMP, raw, raw, glued))
            elif kind == "mult":
                tokens.append(_Tok(_WORD, raw, raw, glued))
            elif kind == "cjk":
                tokens.append(_Tok(_WORD, raw, raw.lower(), glued, cjk=True))
            elif kind == "word":
                word = raw.strip(_WORD_EDGES)
                if not word:
                    glued = False
                    continue
                tokens.append(_Tok(_WORD, word, word.lower(), glued and word[0] == raw[0]))
            else:  # whitespace, punctuation
                glued = False
                continue
            glued = True
    return tokens


# ---------------------------------------------------------------------------------------
# Vocabulary

_NUMBER_WORDS: dict[str, float] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
}
_ARTICLES = frozenset({"a", "an"})
_FRACTION_WORDS: dict[str, float] = {"half": 0.5, "quarter": 0.25}
_QUANTITY_WORDS = frozenset(
    {*_NUMBER_WORDS, *_ARTICLES, "half", "quarter", "dozen", "couple", "nan", "inf", "infinity"}
)
_NOT_A_NUMBER_WORDS = frozenset({"nan", "inf", "infinity"})
_SEP_WORDS = frozenset({"and", "with", "plus"})
_MULT_WORDS = frozenset({"x", "\u00d7", "*"})
_OF_WORDS = frozenset({"of", "的"})
_CJK_CLASSIFIERS = frozenset({"個", "个", "顆", "颗", "隻", "只", "粒", "枚", "つ"})
_FILLERS = _OF_WORDS | _CJK_CLASSIFIERS


def _render(tokens: Sequence[_Tok]) -> str:
    """Item text for messages: tokens as typed (normalized), glued ones kept glued."""
    out: list[str] = []
    for tok in tokens:
        if tok.kind == _SOFT:
            continue
        if out and not tok.glued:
            out.append(" ")
        out.append(tok.raw)
    return "".join(out).strip()


def _quote(text: str) -> str:
    if len(text) > _MAX_QUOTE:
        text = text[: _MAX_QUOTE - 1] + "\u2026"
    return f"'{text}'"


def _finite_positive(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value > 0


# ---------------------------------------------------------------------------------------
# Parser


@dataclass(slots=True)
class _Quantity:
    end: int  # index after the quantity phrase
    value: float
    flawed: _Tok | None = None  # an ambiguous number or a range inside it


class _Parser:
    def __init__(self, tokens: list[_Tok], is_food: Callable[[str], bool]) -> None:
        self._is_food = is_food
        self._known: dict[str, bool] = {}
        self._food_len: dict[int, int] = {}
        self.toks = self._split_cjk(tokens)
        self.n = len(self.toks)

    # -- is_food, cached ------------------------------------------------------------------

    def known(self, phrase: str) -> bool:
        found = self._known.get(phrase)
        if found is None:
            found = bool(self._is_food(phrase))
            self._known[phrase] = found
        return found

    def _split_cjk(self, tokens: list[_Tok]) -> list[_Tok]:
        """Split unspaced CJK runs ("雞蛋奶油", "克納豆") into known foods and units."""
        budget = _CJK_LOOKUP_BUDGET
        out: list[_Tok] = []
        for tok in tokens:
            if not tok.cjk or len(tok.low) > _MAX_CJK_RUN or budget <= 0 or self.known(tok.low):
                out.append(tok)
                continue
            text = tok.low
            pieces: list[str] = []
            if out and out[-1].kind == _NUM:  # "100克納豆", "2個雞蛋": peel the unit
                for size in (3, 2, 1):
                    head = text[:size]
                    if len(text) > size and (canonical_unit(head) or head in _CJK_CLASSIFIERS):
                        pieces.append(head)
                        text = text[size:]
                        break
            if self.known(text):
                pieces.append(text)
            else:
                unknown = ""
                start = 0
                while start < len(text):
                    size = min(_MAX_CJK_FOOD, len(text) - start)
                    while size > 0:
                        budget -= 1
                        if self.known(text[start : start + size]):
                            break
                        size -= 1
                    if size:
                        if unknown:
                            pieces.append(unknown)
                            unknown = ""
                        pieces.append(text[start : start + size])
                        start += size
                    else:
                        unknown += text[start]
                        start += 1
                if unknown:
                    pieces.append(unknown)
            for number, piece in enumerate(pieces):
                glued = tok.glued if number == 0 else True
                out.append(_Tok(_WORD, piece, piece, glued, cjk=True))
        return out

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

    def is_food_start(self, k: int) -> bool:
        """Token ``k`` could begin food text (a word that is not a separator word)."""
        tok = self.word(k)
        return tok is not None and tok.low not in _SEP_WORDS

    def ends_item(self, k: int) -> bool:
        return k >= self.n or self.toks[k].kind in (_SEP, _SOFT) or self.is_word(k, _SEP_WORDS)

    def skip_soft(self, k: int) -> int:
        while k < self.n and self.toks[k].kind == _SOFT:
            k += 1
        return k

    def skip_fillers(self, k: int) -> int:
        """Skip quoted-argument edges, "of" and CJK classifiers ("2 slices of gouda", "2個")."""
        while k < self.n and (self.toks[k].kind == _SOFT or self.is_word(k, _FILLERS)):
            k += 1
        return k

    def join(self, tokens: Sequence[_Tok]) -> str:
        """Food text for is_food and ItemSpec.food: lowercased, single spaces (none in CJK)."""
        out: list[str] = []
        previous: _Tok | None = None
        for tok in tokens:
            if tok.kind == _SOFT:
                continue
            if previous is not None and not (tok.cjk and previous.cjk and tok.glued):
                out.append(" ")
            out.append(tok.low)
            previous = tok
        return "".join(out)

    def food_len(self, j: int) -> int:
        """Tokens in the longest known food starting at ``j`` (0: none starts there)."""
        cached = self._food_len.get(j)
        if cached is not None:
            return cached
        best = 0
        if self.is_food_start(j) and not self.is_word(j, _OF_WORDS):
            k = j
            while k < self.n and k - j < MAX_FOOD_WORDS:
                tok = self.toks[k]
                if tok.kind not in (_WORD, _AMP):
                    break
                k += 1
                if tok.kind == _WORD and tok.low not in _SEP_WORDS and self.known(self.join(self.toks[j:k])):
                    best = k - j
        self._food_len[j] = best
        return best

    def unit_at(self, k: int) -> tuple[str | None, int]:
        """Canonical unit spelled by the one or two words at ``k``, and how many words."""
        first = self.word(k)
        if first is None:
            return None, 0
        second = self.word(k + 1)
        if second is not None:
            unit = canonical_unit(f"{first.low} {second.low}")
            if unit is not None:
                return unit, 2
        unit = canonical_unit(first.low)
        return (unit, 1) if unit is not None else (None, 0)

    # -- quantities -------------------------------------------------------------------------

    def _and_a_half(self, k: int) -> tuple[int, float]:
        """After a whole number: "and a half" / "and one half" / "and 1/2" -> (end, addend)."""
        if not self.is_word(k, {"and"}):
            return k, 0.0
        if self.is_word(k + 1, {"a", "one"}) and self.is_free_word(k + 2, frozenset({"half"})):
            return k + 3, 0.5
        if self.is_num(k + 1):
            part = self.toks[k + 1]
            if part.fraction and 0 < part.value < 1:
                return k + 2, part.value
        return k, 0.0

    def _dozen(self, k: int, value: float) -> tuple[int, float]:
        if self.is_free_word(k, frozenset({"dozen"})):
            return k + 1, value * 12
        return k, value

    def base_quantity(self, k: int) -> _Quantity | None:
        if self.is_num(k):
            tok = self.toks[k]
            value, end = tok.value, k + 1
            flawed = tok if tok.flaw else None
            if tok.integer and self.is_num(end):  # "1 1/2"
                part = self.toks[end]
                if part.fraction and 0 < part.value < 1:
                    value += part.value
                    end += 1
            elif tok.integer:
                end, addend = self._and_a_half(end)
                value += addend
            end, value = self._dozen(end, value)
            return _Quantity(end, value, flawed)
        tok = self.word(k)
        if tok is None or tok.low not in _QUANTITY_WORDS or self.food_len(k) > 0:
            return None
        word, end = tok.low, k + 1
        if word == "one" and self.is_free_word(end, _FRACTION_WORDS):  # "one half cup"
            return _Quantity(end + 1, _FRACTION_WORDS[self.toks[end].low])
        if word in _NUMBER_WORDS:
            value = _NUMBER_WORDS[word]
            end, addend = self._and_a_half(end)
            end, value = self._dozen(end, value + addend)
            return _Quantity(end, value)
        if word in _ARTICLES:
            if self.is_free_word(end, frozenset({"half"})):
                end, value = self._dozen(end + 1, 0.5)
                return _Quantity(end, value)
            if self.is_free_word(end, frozenset({"quarter"})):
                return _Quantity(end + 1, 0.25)
            if self.is_free_word(end, frozenset({"dozen"})):
                return _Quantity(end + 1, 12.0)
            if self.is_free_word(end, frozenset({"couple"})):
                return _Quantity(end + 1, 2.0)
            return _Quantity(end, 1.0)
        if word in ("half", "quarter"):
            value = 0.5 if word == "half" else 0.25
            after = end
            if self.is_word(after, _OF_WORDS):
                after += 1
            if self.is_free_word(after, frozenset({"a", "an", "the"})):
                end = after + 1
            elif after > end and self.is_food_start(after):  # "half of eggs"
                end = after
            end, value = self._dozen(end, value)
            return _Quantity(end, value)
        if word == "dozen":
            return _Quantity(end, 12.0)
        if word == "couple":
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
        """A quantity word at ``k`` begins a new item (it is followed by a unit or a food)."""
        if not self.is_word(k, _QUANTITY_WORDS):
            return False
        found = self.quantity(k)
        if found is None:
            return False
        after = self.skip_fillers(found.end)
        return self.unit_at(after)[0] is not None or self.food_len(after) > 0

    # -- items ------------------------------------------------------------------------------

    def unknown_end(self, f: int) -> int:
        """End of the run of unknown food words starting at ``f``."""
        k = f + 1
        while k < self.n:
            tok = self.toks[k]
            if tok.kind != _WORD or tok.low in _SEP_WORDS or self.food_len(k) > 0:
                break
            if tok.low in _OF_WORDS and self.food_len(k + 1) > 0:
                break
            if self.is_mult(k) and self.is_num(k + 1):
                break
            unit, size = self.unit_at(k)
            if unit is not None and self.food_len(self.skip_fillers(k + size)) > 0:
                break
            if self.starts_quantity(k):
                break
            k += 1
        return k

    def postfix(self, k: int) -> tuple[int, _Quantity | None]:
        """A multiplier after the food: "eggs x2", "eggs × 2", "eggs 2x" (at the item's end)."""
        k = self.skip_soft(k)
        if self.is_mult(k) and self.is_num(k + 1):
            factor = self.base_quantity(k + 1)
            # "eggs x2" and "eggs x2 butter" multiply the eggs; in "eggs x 2 tbsp butter"
            # the number belongs to the next item, whose unit follows it.
            if factor is not None and self.unit_at(self.skip_soft(factor.end))[0] is None:
                return factor.end, factor
        if self.is_num(k) and self.is_mult(k + 1) and self.ends_item(k + 2):
            tok = self.toks[k]
            return k + 2, _Quantity(k + 2, tok.value, tok if tok.flaw else None)
        return k, None

    def item(self, start: int) -> tuple[int, ItemSpec | None, str | None]:
        """Parse one item at ``start``: (end index, spec, problem) -- one of the two is None."""
        i = start
        found = self.quantity(i)
        quantity: float | None = None
        flawed: _Tok | None = None
        quantity_end = start
        if found is not None:
            i = quantity_end = found.end
            quantity, flawed = found.value, found.flawed

        unit: str | None = None
        j = self.skip_soft(i)
        candidate, size = self.unit_at(j)
        if candidate is not None:
            known = self.food_len(j)
            after = self.skip_fillers(j + size)
            # A longer known food wins ("large egg" if known); so do unit words that are
            # themselves the food when nothing follows them ("2 yolks").
            if known < size or (known == size and self.is_food_start(after)):
                unit, i = candidate, j + size
                if quantity is None:
                    quantity = 1.0
                    quantity_end = i
        if found is not None or unit is not None:
            i = self.skip_fillers(i)

        problem: str | None = None
        food_tokens: list[_Tok] = []
        f = self.skip_soft(i)
        end = f
        if not self.is_food_start(f):
            end = max(i, start + 1)
            problem = f"no food after {_quote(_render(self.toks[start:end]))}"
        else:
            known = self.food_len(f)
            if known:
                end = f + known
                food_tokens = self.toks[f:end]
            else:
                group_end = self.unknown_end(f)
                k = group_end
                has_of = self.is_word(k, _OF_WORDS)
                if has_of:
                    k += 1
                following = self.food_len(k)
                if following and (found is not None or unit is not None or has_of):
                    end = k + following
                    if unit is None:  # "3 bowls natto", "a bowl of natto"
                        unknown = _render(self.toks[f:group_end])
                        text = _render(self.toks[start:end])
                        problem = f"unknown unit {_quote(unknown)} in {_quote(text)}"
                    else:  # "100 g raw natto": one (unknown) food for the caller to match
                        food_tokens = self.toks[f:end]
                else:
                    end = group_end
                    food_tokens = self.toks[f:end]

        number_text = _render(self.toks[start:quantity_end])
        food_end = end
        end, factor = self.postfix(end) if problem is None else (end, None)
        if factor is not None:
            quantity = factor.value if quantity is None else quantity * factor.value
            flawed = flawed or factor.flawed
            if not _finite_positive(factor.value) or not number_text:
                number_text = _render(self.toks[food_end:end])

        text = _render(self.toks[start:end])
        if flawed is not None and flawed.flaw == "range":
            problem = f"range {_quote(flawed.raw)} in {_quote(text)}: give a single quantity"
        elif flawed is not None:
            problem = (
                f"ambiguous number {_quote(flawed.raw)} in {_quote(text)}: write decimals "
                "with a point (1.5) and thousands without a separator (1500)"
            )
        elif quantity is not None and not _finite_positive(quantity):
            problem = (
                f"invalid quantity {_quote(number_text or text)} in {_quote(text)}: "
                "a quantity must be a positive number"
            )
        if problem is not None:
            return end, None, problem
        return end, ItemSpec(text, quantity, unit, self.join(food_tokens)), None

    def parse(self) -> tuple[list[ItemSpec], list[str]]:
        items: list[ItemSpec] = []
        problems: list[str] = []
        i = 0
        while i < self.n:
            tok = self.toks[i]
            if tok.kind in (_SEP, _AMP, _SOFT) or tok.low in _SEP_WORDS:
                i += 1
                continue
            end, spec, problem = self.item(i)
            if spec is not None:
                items.append(spec)
            if problem is not None:
                problems.append(problem)
            i = max(end, i + 1)
        return items, problems


def parse_meal_with_problems(
    args: Sequence[str], is_food: Callable[[str], bool]
) -> tuple[list[ItemSpec], list[str]]:
    """Like :func:`parse_meal` but never raises: (items that parsed, problems with the rest).

    For a caller that reports every problem of a meal at once -- the parse problems
    together with the unknown foods and units it finds while resolving the good items.
    An empty meal gives ``([], [EMPTY_MEAL])``.
    """
    if isinstance(args, str):
        args = [args]
    try:
        words = list(args)
    except TypeError:
        return [], [f"meal must be a list of words, not {type(args).__name__}"]
    for word in words:
        if not isinstance(word, str):
            return [], [f"meal words must be text, not {type(word).__name__}"]
    size = sum(len(word) for word in words)
    if size > MAX_MEAL_CHARS:
        return [], [f"meal too long: {size} characters (at most {MAX_MEAL_CHARS}); split it up"]
    items, problems = _Parser(_tokenize(words), is_food).parse()
    if not items and not problems:
        problems = [EMPTY_MEAL]
    return items, problems


def parse_meal(args: Sequence[str], is_food: Callable[[str], bool]) -> list[ItemSpec]:
    """Parse the shell words after ``d3k2db meal`` into items, in the order typed.

    ``args`` may be one quoted phrase, separate words or a mix. ``is_food(phrase)`` says
    whether a lowercased, whitespace-normalized phrase names a known food; it decides how
    unseparated words group ("chicken liver sauerkraut"). Unknown foods are returned as
    items for the caller to match or report. Raises :class:`MealParseError` listing every
    item that cannot be understood (and for an empty or oversized meal); nothing else.
    """
    items, problems = parse_meal_with_problems(args, is_food)
    if problems:
        raise MealParseError(problems)
    return items

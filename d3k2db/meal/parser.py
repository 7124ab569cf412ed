"""Parse the words after ``d3k2db meal`` into item specs: quantity, unit and food text.

Pure, stdlib-only. Whether a phrase names a food is asked of the ``is_food`` callback (and
whether a longer name starts with it, of ``continues``); matching the food itself (aliases,
generic words, typos) is the caller's job. A phrase is never split into words matched one by
one: an item's words are several foods only when every word belongs to a known name.

Grammar, per item (items are split by ``,`` ``;`` ``+`` ``&`` ``/`` ``、`` and the words
``and`` ``with`` ``plus`` ``w/`` ``et`` ``avec`` ``en`` ``met`` ``和`` ``跟`` …, and also start at
every quantity)::

    item      := {filler} [quantity] [unit] ["of" | "de" | CJK classifier] {filler} run [postfix]
    quantity  := ["x" | "×" | "*"] base [("x" | "×" | "*") [base]]
    base      := number [fraction]            "1 1/2", "1½" (a mixed number)
               | number "and" ("a half" | fraction)
               | number-word ["and a half"]    "one" .. "twelve", "deux", "twee", "two and a half"
               | base "dozen"                  "2 dozen" = 24
               | "a"/"an" ["half" | "quarter" | "dozen" | "couple"]
               | "one" ("half" | "quarter")
               | "half" ["of"] ["a" | "an" | "the"] ["dozen"]
               | "quarter" ["of"] ["a" | "an" | "the"]
               | "dozen" | "couple of"
               | Chinese numeral [measure word] ["半"]   "兩個", "一杯", "半杯", "一個半" = 1.5
    number    := 2 | 1.5 | .5 | 1,5 (decimal comma) | 1/2 | 1e3 | -1 (rejected later)
    unit      := one to three words that units.canonical_unit() knows ("fl oz", "cuillère à soupe")
    postfix   := ("x" | "×" | "*") base      "eggs x2" (unless a unit follows: "x 2 tbsp ...")
               | number ("x" | "×" | "*")     "eggs 2x" (only at the end of the item)
               | quantity [unit] {filler}     "eggs 2", "sauerkraut 1 cup", "牛奶 200ml"
                                              (when the item has no quantity yet and ends there)
    run       := the words up to the item's end: known names (the longest at each word, across
                 commas, digits and "+": "ground beef, 10% fat, raw"), fillers and other words.
                 All known: one item per name. Any other word: the whole run is one food text
                 ("old gouda", "goose liver pâté"), for the caller to match or refuse.
    filler    := "I had", "breakfast", "some", "about", "a bit of", "in oil", "我吃了" …: dropped,
                 and reported as dropped.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..errors import MealParseError
from ..i18n import N_, _
from .units import canonical_unit

__all__ = [
    "EMPTY_MEAL",
    "MAX_FOOD_WORDS",
    "MAX_MEAL_CHARS",
    "ItemSpec",
    "parse_meal",
    "parse_meal_with_problems",
]

EMPTY_MEAL = N_("empty meal: name at least one food, e.g. 'd3k2db meal 2 eggs, 1 tbsp butter'")

#: A longer meal is refused outright (it would cost many ``is_food`` calls).
MAX_MEAL_CHARS = 10_000

#: Longest food name, in words, that the greedy segmentation tries.
MAX_FOOD_WORDS = 6

_MAX_CJK_RUN = 32  # longest unspaced CJK run that is split into known foods
_MAX_CJK_FOOD = 8  # longest CJK food name tried inside such a run
_CJK_LOOKUP_BUDGET = 20_000  # is_food calls spent on CJK splitting per meal
_MAX_QUOTE = 80  # item text longer than this is shortened in messages
_MAX_NAME_CHARS = 310  # a known name is at most 300 characters (custom.MAX_NAME), with spaces


@dataclass(frozen=True)
class ItemSpec:
    """One item of a meal, as typed; the caller resolves ``food`` and converts the amount."""

    text: str  # the item as the user typed it (for messages), e.g. "2 large eggs"
    quantity: float | None  # None = not given (means 1 default serving)
    unit: str | None  # canonical unit from units.canonical_unit, or None
    food: str  # the food words, lowercased, whitespace-normalized, e.g. "chicken liver"
    dropped: tuple[str, ...] = ()  # filler words left out of this item ("I had", "some")

    @property
    def count(self) -> bool:
        """A bare count ("6 oysters", "eggs 2", "兩個雞蛋"): pieces, not servings or volumes."""
        return self.quantity is not None and self.unit is None


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
_CJK_RE = re.compile(f"[{_CJK}]+")


def _is_cjk(text: str) -> bool:
    return _CJK_RE.fullmatch(text) is not None


def _starting(text: str, words: Sequence[str]) -> str:
    """The first of ``words`` (longest first) that ``text`` starts with, or ''."""
    return next((word for word in words if text.startswith(word)), "")


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
_ELISION_RE = re.compile(r"([dljDLJ]['\u2019])(\w.*)")

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
        head, _sep, tail = body.partition(",")
        if "," in tail or len(tail) == 3:  # "1,500" / "1,000,000": thousands or decimal?
            tok.flaw = "ambiguous"
        else:  # "1,5" (decimal comma: a comma followed by a space separates items instead)
            tok.value = sign * _safe_float(f"{head}.{tail}")
    elif "/" in body:
        top, _sep, bottom = body.partition("/")
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
        glued = False  # the next token touches the previous one (no space or punctuation between)
        for match in _TOKEN_RE.finditer(text):
            glued = _append_token(tokens, match.lastgroup, match.group(), glued)
    return tokens


def _append_token(tokens: list[_Tok], kind: str | None, raw: str, glued: bool) -> bool:
    """Append the token(s) of one match of _TOKEN_RE; True when it made any, so that the next
    token is glued to it (False for whitespace and punctuation)."""
    if kind == "num":
        _append_number(tokens, raw, glued)
        return True
    if kind == "word":
        return _append_word(tokens, raw, glued)
    token = _plain_token(kind, raw, glued)
    if token is None:  # whitespace, punctuation
        return False
    tokens.append(token)
    return True


def _append_number(tokens: list[_Tok], raw: str, glued: bool) -> None:
    if raw.startswith("-") and glued and tokens and tokens[-1].kind == _NUM:
        first = tokens[-1]  # "1-2 eggs": a range, not 1 and -2
        tokens[-1] = _Tok(_NUM, first.raw + raw, first.low + raw, first.glued)
        tokens[-1].flaw = "range"
    else:
        tokens.append(_number_token(raw, glued))


def _append_word(tokens: list[_Tok], raw: str, glued: bool) -> bool:
    """Append a word (an elided French article as a word of its own); False when ``raw`` is only
    edge punctuation or ends with it, so that the next token is typed apart ("3-in-1": "in", "1")."""
    word = raw.strip(_WORD_EDGES)
    if not word:
        return False
    elided = _ELISION_RE.match(word)
    glued = glued and word[0] == raw[0]
    if elided:  # French "d'emmental", "l'oeuf": the article is a word of its own
        tokens.append(_Tok(_WORD, elided.group(1), elided.group(1).lower(), glued))
        word, glued = elided.group(2), True
    tokens.append(_Tok(_WORD, word, word.lower(), glued))
    return raw.endswith(word)


def _plain_token(kind: str | None, raw: str, glued: bool) -> _Tok | None:
    """The token of a separator, '&', multiplier or CJK run; None for any other match."""
    if kind == "with":
        return _Tok(_SEP, raw, "with", glued)
    if kind == "sep":
        return _Tok(_SEP, raw, raw, glued)
    if kind == "amp":
        return _Tok(_AMP, raw, raw, glued)
    if kind == "mult":
        return _Tok(_WORD, raw, raw, glued)
    if kind == "cjk":
        return _Tok(_WORD, raw, raw.lower(), glued, cjk=True)
    return None


# ---------------------------------------------------------------------------------------
# Vocabulary

_NUMBER_WORDS: dict[str, float] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    # French
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7, "huit": 8,
    "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    # Dutch ("een" is "a" and "one")
    "een": 1, "twee": 2, "drie": 3, "vier": 4, "vijf": 5, "zes": 6, "zeven": 7, "acht": 8,
    "negen": 9, "tien": 10, "elf": 11, "twaalf": 12, "anderhalf": 1.5, "anderhalve": 1.5,
}  # fmt: skip
_ARTICLES = frozenset({"a", "an"})
_FRACTION_WORDS: dict[str, float] = {"half": 0.5, "quarter": 0.25}
_HALF_WORDS = frozenset({"half", "demi", "demie", "halve"})
_QUANTITY_WORDS = frozenset(
    {*_NUMBER_WORDS, *_ARTICLES, *_HALF_WORDS, "quarter", "dozen", "couple", "nan", "inf", "infinity"}
)
_SEP_WORDS = frozenset(
    {
        "and",
        "with",
        "plus",
        "et",
        "avec",
        "en",
        "met",
        "和",
        "跟",
        "與",
        "与",
        "及",
        "加",
        "配",
        "還有",
        "还有",
    }
)
_MULT_WORDS = frozenset({"x", "\u00d7", "*"})
_OF_WORDS = frozenset({"of", "的", "de", "d'", "d\u2019", "van"})
_CJK_CLASSIFIERS = frozenset(
    {"個", "个", "顆", "颗", "隻", "只", "粒", "枚", "つ", "條", "条", "根", "支", "尾", "串"}
)
_FILLERS = _OF_WORDS | _CJK_CLASSIFIERS

# Words and phrases that say nothing about the food or its amount: dropped and reported.
_FILLER_PHRASES: frozenset[tuple[str, ...]] = frozenset(
    tuple(phrase.split())
    for phrase in (
        # English
        "i had", "i've had", "i have had", "i ate", "i've eaten", "i have eaten", "i drank", "i eat",
        "had", "ate", "eaten", "drank", "today", "tonight", "yesterday", "this morning",
        "this afternoon", "this evening", "last night", "earlier",
        "breakfast", "lunch", "dinner", "supper", "brunch", "snack", "for breakfast", "for lunch",
        "for dinner", "for supper", "for brunch", "as a snack", "at breakfast", "at lunch", "at dinner",
        "some", "about", "around", "approx", "approximately", "roughly", "circa", "ca", "maybe",
        "a bit of", "a little", "a little bit of", "a bit", "a little of", "just", "only", "also",
        "then", "too", "please", "the", "my", "of the", "in oil", "in olive oil", "in water",
        "in brine", "in sunflower oil", "on the side", "on toast",
        # French
        "j' ai mangé", "j' ai bu", "j' ai pris", "j' ai", "mangé", "au petit déjeuner",
        "au petit-déjeuner", "petit déjeuner", "petit-déjeuner", "au déjeuner", "au dîner",
        "déjeuner", "dîner", "environ", "un peu de", "un peu d'", "du", "des",
        "de la", "de l'", "le", "la", "les", "l'", "à l' huile", "à l'huile", "aujourd'hui",
        "ce matin", "ce midi", "ce soir", "hier", "hier soir",
        # Dutch
        "ik had", "ik heb", "ik at", "ik heb gegeten", "gegeten", "gedronken", "als ontbijt",
        "ontbijt", "bij het ontbijt", "als lunch", "avondeten", "als avondeten", "ongeveer",
        "zo'n", "wat", "een beetje", "beetje", "het", "de", "vandaag", "in olie",
        "vanochtend", "vanmorgen", "vanmiddag", "vanavond", "gisteren", "gisteravond",
        # Chinese (both scripts)
        "我吃了", "我喝了", "我吃", "我喝", "吃了", "喝了", "吃", "喝", "今天", "早上", "早餐",
        "午餐", "晚餐", "宵夜", "點心", "点心", "大約", "大约", "約", "约", "大概", "一些", "一點",
        "一点", "一點點", "一点点", "左右", "些", "了", "我", "昨天", "中午", "晚上", "今早",
        "剛才", "刚才", "剛剛", "刚刚",
    )
)  # fmt: skip
_FILLER_MAX = max(len(phrase) for phrase in _FILLER_PHRASES)
_CJK_FILLERS = sorted(
    (phrase[0] for phrase in _FILLER_PHRASES if len(phrase) == 1 and _is_cjk(phrase[0])),
    key=len,
    reverse=True,
)
_CJK_SEPARATORS = sorted((word for word in _SEP_WORDS if _is_cjk(word)), key=len, reverse=True)

# Chinese numerals: 一 … 十, 兩/两, 百, 千, and 半 (a half).
_CJK_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5,
               "六": 6, "七": 7, "八": 8, "九": 9}  # fmt: skip
_CJK_POWERS = {"十": 10, "百": 100, "千": 1000}
_CJK_MEASURES = sorted(
    [*_CJK_CLASSIFIERS, "杯", "碗", "片", "盒", "包", "塊", "块", "份", "湯匙", "汤匙", "茶匙", "大匙",
     "小匙", "匙", "克", "公克", "千克", "公斤", "毫克", "毫升", "公升", "升", "磅", "盎司"],
    key=len,
    reverse=True,
)  # fmt: skip

MAX_NAME_TOKENS = 320  # a known name is looked for over at most this many tokens


def _cjk_number(text: str) -> tuple[float, int]:
    """The Chinese numeral at the start of ``text`` ("兩", "十二", "一百五十", "半") and its length."""
    if text.startswith("半"):
        return 0.5, 1
    total, current, size = 0, 0, 0
    for char in text:
        if char in _CJK_DIGITS:
            if size and text[size - 1] in _CJK_DIGITS:
                break  # "一二" is no number
            current = _CJK_DIGITS[char]
        elif char in _CJK_POWERS:
            total += (current or 1) * _CJK_POWERS[char]
            current = 0
        else:
            break
        size += 1
    return float(total + current), size


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


@dataclass(slots=True)
class _Piece:
    kind: str  # "food" (a known name), "filler", "word" (anything else)
    start: int
    end: int


class _Parser:
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

    def is_food_start(self, k: int) -> bool:
        """Token ``k`` could begin food text: a word that is not a separator word, or the start of
        a known name (which may begin with a number or a separator word: "20+ cheese", "和牛")."""
        if self.food_len(k) > 0:
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
        if not self.is_word(k, {"and", "et", "en"}):
            return k, 0.0
        if self.is_word(k + 1, {"a", "one", "een"}) and self.is_free_word(k + 2, _HALF_WORDS):
            return k + 3, 0.5
        if self.is_free_word(k + 1, frozenset({"demi", "demie", "half"})):  # "un et demi"
            return k + 2, 0.5
        if self.is_num(k + 1):
            part = self.toks[k + 1]
            if part.fraction and 0 < part.value < 1:
                return k + 2, part.value
        return k, 0.0

    def _dozen(self, k: int, value: float) -> tuple[int, float]:
        if self.is_free_word(k, frozenset({"dozen", "douzaine", "dozijn"})):
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
        for words, value in ((_HALF_WORDS, 0.5), (frozenset({"quarter"}), 0.25)):
            if self.is_free_word(k, words):
                end, scaled = self._dozen(k + 1, value)
                return _Quantity(end, scaled)
        if self.is_free_word(k, frozenset({"dozen"})):
            return _Quantity(k + 1, 12.0)
        if self.is_free_word(k, frozenset({"couple"})):
            return _Quantity(k + 1, 2.0)
        return _Quantity(k, 1.0)

    def _fraction_word(self, word: str, end: int) -> _Quantity:
        """ "half a cup", "half of the eggs", "quarter of a pound", "half a dozen"."""
        value = 0.5 if word in _HALF_WORDS else 0.25
        after = end + 1 if self.is_word(end, _OF_WORDS) else end
        if self.is_free_word(after, frozenset({"a", "an", "the", "un", "une", "een"})):
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
        if word in ("one", "een") and self.is_free_word(end, frozenset(_FRACTION_WORDS) | _HALF_WORDS):
            following = self.toks[end].low
            return _Quantity(end + 1, _FRACTION_WORDS.get(following, 0.5))  # "one half cup"
        if word in _NUMBER_WORDS:
            value = _NUMBER_WORDS[word]
            end, addend = self._and_a_half(end)
            end, value = self._dozen(end, value + addend)
            return _Quantity(end, value)
        if word in _ARTICLES:
            return self._article(end)
        if word in _HALF_WORDS or word == "quarter":
            return self._fraction_word(word, end)
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

    # -- items ------------------------------------------------------------------------------

    def leading_fillers(self, k: int) -> tuple[int, list[str]]:
        """Skip filler phrases at ``k``: (index after them, the phrases as typed)."""
        dropped: list[str] = []
        while True:
            k = self.skip_soft(k)
            size = self.filler_len(k)
            if not size:
                return k, dropped
            dropped.append(_render(self.toks[k : k + size]))
            k += size

    def run(self, f: int) -> tuple[int, list[_Piece]]:
        """The pieces of the food run at ``f``, up to the item's end (see the grammar)."""
        pieces: list[_Piece] = []
        p = f
        while p < self.n:
            if self.toks[p].kind == _SOFT and pieces:  # separately quoted words are separate items
                break
            p = self.skip_soft(p)
            if p >= self.n or self.toks[p].kind in (_SEP, _AMP):
                break
            size = self.food_len(p)
            if size:
                pieces.append(_Piece("food", p, p + size))
                p += size
                continue
            if self.ends_item(p) or self.is_num(p) or (self.is_mult(p) and self.is_num(p + 1)):
                break
            if pieces and self.starts_quantity(p):
                break
            size = self.filler_len(p)
            if size:
                pieces.append(_Piece("filler", p, p + size))
                p += size
                continue
            if self.toks[p].kind != _WORD:
                break
            pieces.append(_Piece("word", p, p + 1))
            p += 1
        return p, pieces

    def postfix(self, k: int, has_quantity: bool) -> tuple[int, _Quantity | None, str | None, list[str]]:
        """An amount after the food: "eggs x2", "eggs 2x", "eggs 2", "sauerkraut 1 cup", "牛奶 200ml".

        Returns (end, quantity, unit, dropped fillers). A number followed by a food belongs to the
        next item ("eggs 2 butter"); so does "x 2 tbsp" in "eggs x 2 tbsp butter".
        """
        k = self.skip_soft(k)
        if self.is_mult(k) and self.is_num(k + 1):
            factor = self.base_quantity(k + 1)
            if factor is not None and self.unit_at(self.skip_soft(factor.end))[0] is None:
                return factor.end, factor, None, []
        if self.is_num(k) and self.is_mult(k + 1) and self.ends_item(k + 2):
            tok = self.toks[k]
            return k + 2, _Quantity(k + 2, tok.value, tok if tok.flaw else None), None, []
        if has_quantity or not (self.is_num(k) or self.is_word(k, _ARTICLES)):  # "kimchi a cup"
            return k, None, None, []
        found = self.quantity(k)
        if found is None:
            return k, None, None, []
        end = self.skip_soft(found.end)
        unit, size = self.unit_at(end)
        if unit is not None and self.food_len(end) <= size:
            end += size
        else:
            unit = None
        end = self.skip_fillers(end)
        after, dropped = self.leading_fillers(end)
        if not self.ends_item(after):
            return k, None, None, []
        return after, found, unit, dropped

    def amount(self, i: int) -> tuple[int, _Quantity | None, str | None, int]:
        """Quantity and unit at ``i``: (index after them, quantity, unit, index after the quantity)."""
        if self.is_num(i) and self.food_len(i) > 0:  # a name that begins with a number
            return i, None, None, i
        found = self.quantity(i)
        quantity_end = found.end if found is not None else i
        j = self.skip_soft(quantity_end)
        unit, size = self.unit_at(j)
        if unit is not None:
            known = self.food_len(j)
            # A longer known food wins ("large egg" if known); so do unit words that are
            # themselves the food when nothing follows them ("2 yolks").
            if known < size or (known == size and self.is_food_start(self.skip_fillers(j + size))):
                if found is None:
                    found = _Quantity(j + size, 1.0)
                    quantity_end = j + size
                return self.skip_fillers(j + size), found, unit, quantity_end
        end = self.skip_fillers(quantity_end) if found is not None else quantity_end
        return end, found, None, quantity_end

    def unknown_unit(self, pieces: list[_Piece]) -> str | None:
        """'bucket' in "a bucket of natto": unknown words, then "of", then known foods only."""
        of = next((n for n, piece in enumerate(pieces) if self.is_word(piece.start, _OF_WORDS)), None)
        if not of or any(piece.kind != "word" for piece in pieces[:of]):
            return None
        if not pieces[of + 1 :] or any(piece.kind != "food" for piece in pieces[of + 1 :]):
            return None
        return _render(self.toks[pieces[0].start : pieces[of - 1].end])

    def foods_of(self, pieces: list[_Piece], dropped: list[str]) -> list[tuple[int, int]]:
        """Token spans of the foods in a run: one per known name when every word is known, else
        the whole run as one food text. Fillers inside an all-known run are dropped."""
        if any(piece.kind == "word" for piece in pieces):
            return [(pieces[0].start, pieces[-1].end)]
        spans = []
        for piece in pieces:
            if piece.kind == "filler":
                dropped.append(_render(self.toks[piece.start : piece.end]))
            else:
                spans.append((piece.start, piece.end))
        return spans

    def item(self, start: int) -> tuple[int, list[ItemSpec], str | None]:
        """Parse one item at ``start``: (end index, specs, problem)."""
        first, dropped = self.leading_fillers(start)
        if self.ends_item(first):  # only fillers ("..., for breakfast")
            self.dropped += dropped
            return max(first, start + 1), [], None
        i, found, unit, quantity_end = self.amount(first)
        i, more = self.leading_fillers(i)
        dropped += more
        f = self.skip_soft(i)
        if not self.is_food_start(f):
            end = max(i, start + 1)
            return end, [], _("no food after {text}").format(text=_quote(_render(self.toks[first:end])))
        run_end, pieces = self.run(f)
        while pieces and pieces[-1].kind == "filler":  # "sardines in oil", "eggs for breakfast"
            dropped.insert(len(dropped), _render(self.toks[pieces[-1].start : pieces[-1].end]))
            pieces.pop()
        if not pieces:
            end = max(run_end, i, start + 1)
            return end, [], _("no food after {text}").format(text=_quote(_render(self.toks[first:end])))
        unknown_unit = self.unknown_unit(pieces)
        if unknown_unit is not None:
            text = _render(self.toks[first : pieces[-1].end])
            return (
                pieces[-1].end,
                [],
                _("unknown unit {unit} in {text}").format(unit=_quote(unknown_unit), text=_quote(text)),
            )
        spans = self.foods_of(pieces, dropped)
        quantity = found.value if found is not None else None
        flawed = found.flawed if found is not None else None
        end, factor, post_unit, post_dropped = self.postfix(run_end, found is not None)
        dropped += post_dropped
        number_text = _render(self.toks[first:quantity_end])
        if factor is not None:
            quantity = factor.value if quantity is None else quantity * factor.value
            flawed = flawed or factor.flawed
            unit = post_unit or unit
            if not _finite_positive(factor.value) or not number_text:
                number_text = _render(self.toks[spans[-1][1] : end])
        text = _render(self.toks[first:end])
        problem = self.quantity_problem(flawed, quantity, number_text, text)
        if problem is not None:
            return end, [], problem
        specs = []
        for index, (food_start, food_end) in enumerate(spans):
            last = index == len(spans) - 1
            span_text = (
                text
                if len(spans) == 1
                else _render(self.toks[(first if index == 0 else food_start) : (end if last else food_end)])
            )
            own = index == 0 or (last and factor is not None)
            specs.append(
                ItemSpec(
                    span_text,
                    quantity if own else None,
                    unit if own else None,
                    self.key_text(self.toks[food_start:food_end]),
                    tuple(self.dropped + dropped) if index == 0 else (),
                )
            )
        self.dropped = []
        return end, specs, None

    @staticmethod
    def quantity_problem(
        flawed: _Tok | None, quantity: float | None, number_text: str, text: str
    ) -> str | None:
        if flawed is not None and flawed.flaw == "range":
            return _("range {number} in {text}: give a single quantity").format(
                number=_quote(flawed.raw), text=_quote(text)
            )
        if flawed is not None:
            return _(
                "ambiguous number {number} in {text}: write decimals "
                "with a point (1.5) and thousands without a separator (1500)"
            ).format(number=_quote(flawed.raw), text=_quote(text))
        if quantity is not None and not _finite_positive(quantity):
            return _("invalid quantity {number} in {text}: a quantity must be a positive number").format(
                number=_quote(number_text or text), text=_quote(text)
            )
        return None

    def parse(self) -> tuple[list[ItemSpec], list[str]]:
        items: list[ItemSpec] = []
        problems: list[str] = []
        i = 0
        while i < self.n:
            tok = self.toks[i]
            if tok.kind in (_SEP, _AMP, _SOFT) or (tok.low in _SEP_WORDS and self.food_len(i) == 0):
                i += 1
                continue
            end, specs, problem = self.item(i)
            items += specs
            if problem is not None:
                problems.append(problem)
            i = max(end, i + 1)
        if self.dropped and items:  # fillers after the last food: "2 eggs, for breakfast"
            last = items[-1]
            items[-1] = ItemSpec(
                last.text, last.quantity, last.unit, last.food, (*last.dropped, *self.dropped)
            )
        return items, problems


def parse_meal_with_problems(
    args: Sequence[str],
    is_food: Callable[[str], bool],
    continues: Callable[[str], bool] | None = None,
) -> tuple[list[ItemSpec], list[str]]:
    """Parse the shell words after ``d3k2db meal``: (items that parsed, problems with the rest).

    ``args`` may be one quoted phrase, separate words or a mix. ``is_food(phrase)`` says whether
    a lowercased, whitespace-normalized phrase is a known name (a food, an alias, a generic word
    or a common food the caller knows it lacks); it decides how unseparated words group.
    ``continues(prefix)``, if given, says whether a longer known name starts with ``prefix``: the
    words so far, with a trailing space unless the next token is typed against the last one
    (without it, names are looked for over up to MAX_NAME_TOKENS tokens).
    Never raises. An empty meal gives ``([], [EMPTY_MEAL])``.
    """
    if isinstance(args, str):
        args = [args]
    try:
        words = list(args)
    except TypeError:
        return [], [_("meal must be a list of words, not {kind}").format(kind=type(args).__name__)]
    for word in words:
        if not isinstance(word, str):
            return [], [_("meal words must be text, not {kind}").format(kind=type(word).__name__)]
    size = sum(len(word) for word in words)
    if size > MAX_MEAL_CHARS:
        return [], [
            _("meal too long: {size} characters (at most {limit}); split it up").format(
                size=size, limit=MAX_MEAL_CHARS
            )
        ]
    items, problems = _Parser(_tokenize(words), is_food, continues).parse()
    if not items and not problems:
        problems = [_(EMPTY_MEAL)]
    return items, problems


def parse_meal(
    args: Sequence[str], is_food: Callable[[str], bool], continues: Callable[[str], bool] | None = None
) -> list[ItemSpec]:
    """Like :func:`parse_meal_with_problems`, but raises :class:`MealParseError` listing every
    item that cannot be understood (and for an empty or oversized meal); nothing else."""
    items, problems = parse_meal_with_problems(args, is_food, continues)
    if problems:
        raise MealParseError(problems)
    return items

"""Tokens of a meal phrase: normalization, the tokenizer, and text helpers for messages.

Pure, stdlib-only. The separator and multiplier signs come from data/lexicon/symbols.csv.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from ..domain.lexicon import lexicon

_MAX_QUOTE = 80  # item text longer than this is shortened in messages

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


_SEP_CHARS = re.escape(lexicon().separator_signs)
_MULT_CHARS = re.escape(lexicon().multiplier_signs)
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


def _cjk_number(text: str) -> tuple[float, int]:
    """The Chinese numeral at the start of ``text`` ("兩", "十二", "一百五十", "半") and its length."""
    if text.startswith("半"):
        return 0.5, 1
    digits, powers = lexicon().cjk_digits, lexicon().cjk_powers
    total, current, size = 0, 0, 0
    for char in text:
        if char in digits:
            if size and text[size - 1] in digits:
                break  # "一二" is no number
            current = digits[char]
        elif char in powers:
            total += (current or 1) * powers[char]
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

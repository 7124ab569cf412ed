"""Text rules shared by every layer: name normalisation, so that 'Eggs', 'egg' and 'EGG' meet
(``search_key``); and the characters that are not text but commands to a terminal or a page
(``not_text``), refused in what is stored (records.check_plain) and escaped in what is printed
(``printable``, ``json_safe``)."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_NON_WORD = re.compile(r"[^\w]+")
_KEEP_S = ("ss", "us", "is", "os")


def singular(word: str) -> str:
    """A crude English singular. It only has to map a word and its plural to the same key,
    since both stored names and queries go through it."""
    if len(word) <= 3 or not word.isascii() or not word.endswith("s") or word.endswith(_KEEP_S):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "xes", "zes", "oes", "sses")):
        return word[:-2]
    return word[:-1]


def unicode_fold(text: str) -> str:
    """Case-folded and accent-free, with Chinese characters kept as typed."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    # NFKD would split CJK compatibility forms; recompose so Chinese names stay as typed.
    return unicodedata.normalize("NFC", plain)


@lru_cache(maxsize=1 << 16)  # bulk imports ask for the same name's key several times
def search_key(text: str) -> str:
    """Case-folded, accent-insensitive, punctuation-free, singular words joined by one space."""
    # ASCII has no accents and nothing to normalise: lower() is the same fold, 10× faster in bulk.
    plain = text.lower() if text.isascii() else unicode_fold(text)
    words = _NON_WORD.sub(" ", plain).replace("_", " ").split()
    return " ".join(singular(w) for w in words)


# --- text that is not text -----------------------------------------------------------------------
#
# Characters a terminal or a browser obeys rather than shows: every control character (Unicode
# category Cc: C0 with NUL, TAB, LF, CR and ESC; DEL; C1 with CSI and OSC), every format character
# (Cf: the bidirectional controls U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069, the
# zero-width U+200B–U+200D, U+2060, U+FEFF, the soft hyphen U+00AD, the tag characters U+E0000…),
# the line and paragraph separators U+2028/U+2029 (Zl, Zp) and unpaired surrogates (Cs, which a
# command line can carry from bytes that are not UTF-8). Those of the BMP are written out as ranges
# (Unicode 15.1; a test checks them against the running Python's unicodedata), so the search is one
# fast regex; a character beyond the BMP (an emoji, a tag character) is a candidate, decided by its
# category. One exception: a zero-width joiner between two pictographs is part of an emoji (👨‍🍳).
_C0 = "\x00-\x1f"
_BEYOND_C0 = (
    "\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u2028-\u202e\u2060-\u2064\u2066-\u206f\ud800-\udfff\ufeff\ufff9-\ufffb"
    "\U00010000-\U0010ffff"  # candidates: only their format characters (Cf) are not text
)
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ZWJ = "\u200d"
# fmt: off
_C0_NAMES = (  # ISO 6429 abbreviations: control characters have no Unicode name
    "NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS", "TAB", "LF", "VT", "FF", "CR", "SO", "SI",
    "DLE", "DC1", "DC2", "DC3", "DC4", "NAK", "SYN", "ETB", "CAN", "EM", "SUB", "ESC", "FS", "GS", "RS", "US",
)
_C1_NAMES = (
    "PAD", "HOP", "BPH", "NBH", "IND", "NEL", "SSA", "ESA", "HTS", "HTJ", "VTS", "PLD", "PLU", "RI", "SS2",
    "SS3", "DCS", "PU1", "PU2", "STS", "CCH", "MW", "SPA", "EPA", "SOS", "SGCI", "SCI", "CSI", "ST", "OSC",
    "PM", "APC",
)
# fmt: on
_SHORT_ESCAPES = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


@lru_cache(maxsize=2)  # compiled when first needed: most text has no such character
def _not_text_pattern(json_escaped: bool) -> re.Pattern[str]:
    """The characters above; without C0 for JSON text, in which json.dumps escapes C0 itself."""
    return re.compile(f"[{_BEYOND_C0}]" if json_escaped else f"[{_C0}{_BEYOND_C0}]")


def _joins_emoji(text: str, at: int) -> bool:
    """A zero-width joiner at ``at`` between two pictographs (skin tones and VS16 aside): 👩🏽‍🍳."""
    if text[at] != _ZWJ or at + 1 >= len(text):
        return False
    before = at - 1
    while (
        before > 0
        and before >= at - 3
        and (
            text[before] == "\ufe0f" or "\U0001f3fb" <= text[before] <= "\U0001f3ff"  # VS16, skin tones
        )
    ):
        before -= 1
    return (
        before >= 0
        and unicodedata.category(text[before]) == "So"
        and unicodedata.category(text[at + 1]) == "So"
    )


def _is_not_text(text: str, at: int) -> bool:
    """Whether the candidate character at ``at`` (a match of _not_text_pattern) is not text."""
    char = text[at]
    if char > "\uffff":
        return unicodedata.category(char) == "Cf"
    return not _joins_emoji(text, at)


def not_text(text: str) -> tuple[int, str] | None:
    """The first character of ``text`` that is not text (see above) and its index, or None."""
    if text.isprintable():  # every such character is unprintable: the common case costs one scan
        return None
    for found in _not_text_pattern(False).finditer(text):
        if _is_not_text(text, found.start()):
            return found.start(), found.group()
    return None


def char_name(char: str) -> str:
    """'ESC', 'CSI', 'RIGHT-TO-LEFT OVERRIDE', 'ZERO WIDTH SPACE' (control characters have no
    Unicode name, only their ISO 6429 abbreviation)."""
    point = ord(char)
    if point < 0x20:
        return _C0_NAMES[point]
    if point == 0x7F:
        return "DEL"
    if 0x80 <= point <= 0x9F:
        return _C1_NAMES[point - 0x80]
    return unicodedata.name(char, "SURROGATE" if 0xD800 <= point <= 0xDFFF else "UNNAMED")


def char_kind(char: str) -> str:
    """Why ``char`` is not text: 'control', 'bidi', 'separator', 'surrogate' or 'invisible'."""
    category = unicodedata.category(char)
    if category == "Cc":
        return "control"
    if char in _BIDI:
        return "bidi"
    if category in ("Zl", "Zp"):
        return "separator"
    return "surrogate" if category == "Cs" else "invisible"


def _escape(found: re.Match[str]) -> str:
    char = found.group()
    if not _is_not_text(found.string, found.start()):
        return char
    point = ord(char)
    if char in _SHORT_ESCAPES:
        return _SHORT_ESCAPES[char]
    return f"\\x{point:02x}" if point < 0x100 else f"\\u{point:04x}" if point < 0x10000 else f"\\U{point:08x}"


def printable(text: str) -> str:
    """``text`` with every character that is not text written as a visible escape, as Python
    writes it (ESC → ``\\x1b``, U+202E → ``\\u202e``, LF → ``\\n``): what reaches a terminal or a
    page is then always shown, never obeyed. Text without such characters is returned unchanged."""
    return text if text.isprintable() else _not_text_pattern(False).sub(_escape, text)


def _json_escape(found: re.Match[str]) -> str:
    char = found.group()
    if not _is_not_text(found.string, found.start()):
        return char
    encoded = char.encode("utf-16-be", "surrogatepass")  # one or two UTF-16 code units
    return "".join(f"\\u{int.from_bytes(encoded[i : i + 2], 'big'):04x}" for i in range(0, len(encoded), 2))


def json_safe(json_text: str) -> str:
    """JSON text (json.dumps with ensure_ascii=False) with every character that is not text
    escaped as JSON escapes it (``\\u202e``): the same data for a parser, nothing for a terminal to
    obey, and Chinese still readable. json.dumps already escapes C0 itself (``\\u001b``)."""
    return _not_text_pattern(True).sub(_json_escape, json_text)

"""Name normalisation shared by storage and lookup, so that 'Eggs', 'egg' and 'EGG' meet."""

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

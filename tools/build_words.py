"""Rebuild d3k2db/words/: the common words that a meal item is never read as a typo of a food.

A typo is a non-word: 'buter' is read as butter, 'better' is not (d3k2db/lookup/matching.py). These
lists say what a word is:

Each file holds words as typed, folded (d3k2db.domain.text.unicode_fold: lowercase, no accents).

* en.txt — every all-lowercase word of 3+ letters in SCOWL's American English list, as Debian's
  `wamerican` package installs it (/usr/share/dict/american-english; SCOWL, Copyright 2000-2011
  Kevin Atkinson, permission to use, copy, modify, distribute and sell granted without fee —
  the notice is repeated at the top of en.txt).
* fr.txt, nl.txt — the common French and Dutch words (wordfreq 3.1 Zipf frequency ≥ 3.6, about
  once in 250,000 words; Robyn Speer, data CC BY-SA 4.0) that the typo rule would otherwise read
  as a food of the seed. Rarer words stay typos: French 'buter' (3.5) and Dutch 'brei' (2.8) are
  read as butter and brie, as people typing them mean. Needs
  `pip install wordfreq` before running this.

Run from the repository root: python tools/build_words.py
"""

from __future__ import annotations

import csv
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from d3k2db.domain.text import search_key, unicode_fold  # noqa: E402
from d3k2db.lookup.matching import is_close_spelling  # noqa: E402

WORDS = ROOT / "d3k2db" / "words"
SCOWL = Path("/usr/share/dict/american-english")
MIN_ZIPF = 3.6
NOTICE = """# SCOWL (Spell Checker Oriented Word Lists), American English, via Debian's wamerican package.
# Copyright 2000-2011 by Kevin Atkinson. Permission to use, copy, modify, distribute and sell these
# word lists, the associated scripts, the output created from the scripts, and its documentation for
# any purpose is hereby granted without fee, provided that the above copyright notice appears in all
# copies and that both that copyright notice and this permission notice appear in supporting
# documentation. Kevin Atkinson makes no representations about the suitability of this array for any
# purpose. It is provided "as is" without express or implied warranty.
"""


def seed_keys() -> set[str]:
    keys = set()
    for name, column in (("foods.csv", "name"), ("aliases.csv", "alias"), ("generic_foods.csv", "term")):
        with (ROOT / "data" / name).open(encoding="utf-8", newline="") as handle:
            keys |= {search_key(row[column]) for row in csv.DictReader(handle)}
    return keys


def english(keys: set[str]) -> list[str]:
    words = {line.strip() for line in SCOWL.read_text(encoding="utf-8").splitlines()}
    return sorted({w for w in words if re.fullmatch(r"[a-z]{3,}", w)} - keys)


def near_foods(lang: str, keys: set[str]) -> list[str]:
    from wordfreq import top_n_list, zipf_frequency

    found = []
    for word in top_n_list(lang, 50_000):
        if zipf_frequency(word, lang) < MIN_ZIPF:
            continue
        key = search_key(word)
        if (
            len(key) >= 3
            and key.isalpha()
            and key not in keys
            and any(is_close_spelling(key, k) for k in keys)
        ):
            found.append(unicode_fold(word))
    return sorted(set(found))


def main() -> None:
    keys = seed_keys()
    WORDS.mkdir(exist_ok=True)
    (WORDS / "en.txt").write_text(NOTICE + "\n".join(english(keys)) + "\n", encoding="utf-8")
    header = "# {lang}: common words (wordfreq 3.1 Zipf >= 3.6; data CC BY-SA 4.0) near a food name\n"
    for lang in ("fr", "nl"):
        (WORDS / f"{lang}.txt").write_text(
            header.format(lang=lang) + "\n".join(near_foods(lang, keys)) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    main()

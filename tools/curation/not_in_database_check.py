#!/usr/bin/env python3
"""Check data/not_in_database.csv against the foods and aliases d3k2db knows.

    .venv/bin/python tools/curation/not_in_database_check.py

The file lists common foods and drinks that are NOT in d3k2db, so that `d3k2db meal` can say
"'rice' is not in d3k2db" instead of guessing a similar-looking food. A term is a violation when
  1. its search_key equals the key of a food name or alias (it IS in the database), or
  2. it is one word and that word appears as a whole word in a food name or alias key
     ("cheese", "turkey": the tool should suggest those foods instead), or
  3. its key repeats an earlier term's key, is empty, or its lang/kind is not one of the allowed values.
Prints every violation and exits 1 if there is any.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

from d3k2db.domain.text import search_key  # noqa: E402

DATA = REPO / "data"
LANGS = frozenset({"en", "fr", "nl", "zh-Hant", "zh-Hans"})
KINDS = frozenset({"food", "drink"})


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def database_keys() -> set[str]:
    """search_key of every food name and alias."""
    names = [row["name"] for row in _rows(DATA / "foods.csv")]
    names += [row["alias"] for row in _rows(DATA / "aliases.csv")]
    return {search_key(name) for name in names}


def violations(terms: list[dict[str, str]], keys: set[str]) -> list[str]:
    words = {word for key in keys for word in key.split()}
    problems: list[str] = []
    first: dict[str, str] = {}
    for line, row in enumerate(terms, start=2):
        term, key = row["term"], search_key(row["term"])
        where = f"line {line}: {term!r} ({row['lang']}, key {key!r})"
        if row["lang"] not in LANGS or row["kind"] not in KINDS:
            problems.append(f"{where}: lang/kind must be one of {sorted(LANGS)} / {sorted(KINDS)}")
        if not key:
            problems.append(f"{where}: empty search key")
        elif key in keys:
            problems.append(f"{where}: is a food name or alias in the database")
        elif " " not in key and key in words:
            problems.append(f"{where}: is a whole word of a database food name or alias")
        if key and key in first:
            problems.append(f"{where}: same search key as {first[key]!r}")
        first.setdefault(key, term)
    return problems


def main() -> int:
    terms = _rows(DATA / "not_in_database.csv")
    if terms and list(terms[0]) != ["term", "lang", "kind"]:
        print(f"header must be term,lang,kind, not {','.join(terms[0])}")
        return 1
    problems = violations(terms, database_keys())
    for problem in problems:
        print(problem)
    print(f"{len(terms)} terms, {len(problems)} violation(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

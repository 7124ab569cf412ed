#!/usr/bin/env python3
"""Check a proposals file (tools/curation/proposals/part_N.csv) against its row list and the curation.

    python tools/curation/check_proposals.py ROWS.csv PROPOSALS.csv

Every row of ROWS.csv appears exactly once; actions are map/new/exclude; a mapped food exists in
tools/curation/foods.csv or is a `new` food of this file; a new food has a valid category and
Traditional and Simplified names; English and Chinese names do not collide with existing names or
aliases (after search_key folding).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
import build_data as b

CATEGORIES = b.CATEGORIES | {"plant", "dish", "drink"}
COLUMNS = ["src", "locator", "source_food_name", "action", "food", "category", "zh_hant", "zh_hans",
           "sr28_ndb", "aliases", "caveat", "reason"]  # fmt: skip
LANGS = {"en", "fr", "nl", "zh-Hant", "zh-Hans", "zh"}


def main(argv: list[str]) -> int:
    with open(argv[1], encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    with open(argv[2], encoding="utf-8") as handle:
        props = list(csv.DictReader(handle))
    errors: list[str] = []
    if props and list(props[0].keys()) != COLUMNS:
        errors.append(f"columns must be exactly {COLUMNS}")
    want = {(r["src"], r["locator"], r["source_food_name"]) for r in rows}
    seen: dict[tuple, int] = {}
    for i, p in enumerate(props, start=2):
        key = (p["src"], p["locator"], p["source_food_name"])
        if key not in want:
            errors.append(f"line {i}: {key} is not a row of {argv[1]}")
        if key in seen:
            errors.append(f"line {i}: {key} already on line {seen[key]}")
        seen[key] = i
    for key in want - set(seen):
        errors.append(f"missing row {key}")

    existing = {f["name"] for f in b.read_csv(b.CURATION / "foods.csv")}
    keys = {b.search_key(n): f"food {n!r}" for n in existing}
    for a in b.read_csv(b.CURATION / "aliases.csv"):
        keys.setdefault(b.search_key(a["alias"]), f"alias {a['alias']!r} of {a['food']!r}")
    new: dict[str, dict] = {}
    for i, p in enumerate(props, start=2):
        action = p["action"]
        if action not in ("map", "new", "exclude"):
            errors.append(f"line {i}: action {action!r} must be map, new or exclude")
            continue
        if action == "exclude":
            if not p["reason"]:
                errors.append(f"line {i}: exclude needs a reason")
            continue
        food = p["food"]
        if not food or food != food.lower().strip():
            errors.append(f"line {i}: food {food!r} must be a lowercase name")
        if action == "new":
            if food in existing or food in new:
                errors.append(f"line {i}: new food {food!r} already exists (use map)")
                continue
            if p["category"] not in CATEGORIES:
                errors.append(f"line {i}: category {p['category']!r} not in {sorted(CATEGORIES)}")
            if not p["zh_hant"] or not p["zh_hans"]:
                errors.append(f"line {i}: new food {food!r} needs zh_hant and zh_hans")
            names = [(food, "en")]
            if p["zh_hant"]:
                names.append((p["zh_hant"], "zh-Hant"))
            if p["zh_hans"] and p["zh_hans"] != p["zh_hant"]:
                names.append((p["zh_hans"], "zh-Hans"))
            for part in filter(None, p["aliases"].split("|")):
                lang, sep, alias = part.partition(":")
                if not sep or lang not in LANGS or not alias.strip():
                    errors.append(f"line {i}: alias {part!r} must be lang:alias with lang in {sorted(LANGS)}")
                    continue
                names.append((alias.strip(), lang))
            for name, _lang in names:
                key = b.search_key(name)
                if key in keys and keys[key] != f"food {food!r}":
                    errors.append(f"line {i}: {name!r} collides with {keys[key]}")
                keys[key] = f"food {food!r}" if name == food else f"name {name!r} of new food {food!r}"
            new[food] = p
        elif food not in existing and food not in new:
            later = [q for q in props if q["action"] == "new" and q["food"] == food]
            if not later:
                errors.append(f"line {i}: mapped food {food!r} is neither in foods.csv nor new in this file")
        if p["caveat"] and ":" in p["caveat"]:
            kind = p["caveat"].split(":", 1)[0].strip()
            if kind not in b.evidence.FLAG_KINDS:
                errors.append(f"line {i}: caveat kind {kind!r} not in {b.evidence.FLAG_KINDS}")
    for e in errors:
        print("ERROR:", e)
    counts = {a: sum(1 for p in props if p["action"] == a) for a in ("map", "new", "exclude")}
    print(f"{len(props)} rows: {counts}; {len(errors)} error(s)")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

#!/usr/bin/env python
"""Benchmark ``d3k2db import`` of a large CSV, beside a floor measured in the same run.

    python bench/import_csv.py [--rows 200000] [--repeat 3]

A synthetic file of N foods in the export layout (name, category, tag, mk4 … mk10, total_k2,
serving_g, serving_label, source, url, aliases — filled as a user's spreadsheet would be: every
food a figure or two, some a total, a serving, a cited source or an alias) is imported into a
copy of a seeded SQLite database, each run in a fresh child process: the time of ``import_csv`` and
the child's peak RSS (``ru_maxrss``). Then the same file is imported again (every food unchanged).
The floors, each in its own child: ``pandas.read_csv`` of the same file (reading it as a table,
nothing checked or written), and bare sqlite3 writing the same rows of ``foods`` alone into the same
schema (what SQLite's B-trees and the FTS5 trigram name index cost by themselves). Targets
(issue 20): the import ≤ 10 s and ≤ 300 MB.

The printer, figures and verdicts are bench/bench.py's; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parent)]  # bench.py's printer; d3k2db from this checkout

import bench as suite  # noqa: E402

ROWS, REPEAT = 200_000, 3
FORMS = ("mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10")
COLUMNS = (
    "name",
    "category",
    "tag",
    *FORMS,
    "total_k2",
    "serving_g",
    "serving_label",
    "source",
    "url",
    "aliases",
)
BASES = (
    ("goose liver", "organ", "MK-4"),
    ("chicken thigh", "poultry", "MK-4"),
    ("egg yolk", "egg", "MK-4"),
    ("salted butter", "fat", "MK-4"),
    ("pork sausage", "meat", "MK-4"),
    ("aged gouda", "cheese", "MK-7"),
    ("brie de meaux", "cheese", "MK-7"),
    ("sauerkraut", "fermented_vegetable", "MK-7"),
    ("kefir", "dairy", "MK-7"),
    ("natto rice bowl", "fermented_soy", "MK-7"),
)
STYLES = ("", "smoked", "homemade", "organic", "farm", "raw", "roasted", "grandma's", "spiced", "light")
SERVINGS = (("30", "1 slice"), ("15", "1 tbsp"), ("240", "1 cup"), ("50", "1 egg"), ("100", ""))


def food_row(i: int, rng: random.Random) -> list[str]:
    """The i-th food: a unique name, its kind's figures, and the optional cells a user fills sometimes."""
    base, category, tag = BASES[rng.randrange(len(BASES))]
    name = " ".join(part for part in (STYLES[rng.randrange(len(STYLES))], base, f"batch {i}") if part)
    forms = dict.fromkeys(FORMS, "")
    if tag == "MK-4":
        forms["mk4"] = f"{rng.uniform(0, 400):.1f}"
    else:
        forms["mk7"] = f"{rng.uniform(0, 900):.1f}"
        if rng.random() < 0.5:
            forms["mk9"] = f"{rng.uniform(0, 60):.1f}"
    total = f"{sum(float(v) for v in forms.values() if v) + 0.4:.1f}" if rng.random() < 0.2 else ""
    grams, label = SERVINGS[rng.randrange(len(SERVINGS))] if rng.random() < 0.3 else ("", "")
    cited = rng.random() < 0.2
    source = f"My lab notebook {rng.randrange(20)}" if cited else ""
    url = f"https://example.org/notebook/{source.rsplit(' ', 1)[-1]}" if cited else ""
    alias = f"{base} no. {i}" if rng.random() < 0.1 else ""
    return [name, category, tag, *forms.values(), total, grams, label, source, url, alias]


def write_file(path: Path, rows: int) -> None:
    rng = random.Random(20)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(food_row(i, rng) for i in range(rows))


# --- the children ---------------------------------------------------------------------------------


def child_import(path: str, url: str) -> dict:
    from d3k2db.exchange.transfer import import_csv
    from d3k2db.storage.engine import make_engine

    engine = make_engine(url)
    start = time.perf_counter_ns()
    report = import_csv(engine, path, progress=False)
    elapsed = suite.ms_since(start)
    engine.dispose()
    return {
        "ms": elapsed,
        "added": len(report.added),
        "unchanged": len(report.unchanged),
        "rss_mb": suite.peak_rss_mb(),
    }


def child_floor(path: str) -> dict:
    import pandas as pd

    start = time.perf_counter_ns()
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    elapsed = suite.ms_since(start)
    return {"ms": elapsed, "rows": len(frame), "rss_mb": suite.peak_rss_mb()}


def child_sqlite_floor(path: str, database: str) -> dict:
    """The rows of ``foods`` alone, written by bare sqlite3 into the same schema in 1,000-row
    statements, then their names put into the name index by the product's one INSERT … SELECT,
    one transaction, with the import's 32 MB page cache: what SQLite itself costs."""
    import sqlite3

    from d3k2db.storage.search_index import INDEX_NEW_NAMES

    columns = ("name", "search_key", "category", "tag", *FORMS, "total_k2_published", "k2_total")
    columns += ("serving_g", "serving_label", "is_custom")
    start = time.perf_counter_ns()
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA cache_size = -32768")  # as the import sets it
    connection.execute("BEGIN")
    (after,) = connection.execute("SELECT COALESCE(MAX(id), 0) FROM foods").fetchone()
    with open(path, encoding="utf-8", newline="") as handle:
        batch: list[object] = []
        for row in csv.DictReader(handle):
            forms = [float(row[form]) if row[form] else None for form in FORMS]
            total = float(row["total_k2"]) if row["total_k2"] else None
            known = [value for value in forms if value is not None]
            grams = float(row["serving_g"] or 100)
            label = row["serving_label"] or f"{grams:g} g"
            batch += [row["name"], row["name"].lower(), row["category"], row["tag"], *forms, total]
            batch += [sum(known) if known else total, grams, label, 1]
            if len(batch) == 1000 * len(columns):
                _floor_insert(connection, columns, batch)
                batch = []
        _floor_insert(connection, columns, batch)
    connection.execute(INDEX_NEW_NAMES["foods"], (after,))
    connection.execute("COMMIT")
    connection.close()
    return {"ms": suite.ms_since(start), "rss_mb": suite.peak_rss_mb()}


def _floor_insert(connection: object, columns: Sequence[str], values: list[object]) -> None:
    if values:
        slots = "(" + ", ".join("?" * len(columns)) + ")"
        rows = len(values) // len(columns)
        sql = f"INSERT INTO foods ({', '.join(columns)}) VALUES {', '.join([slots] * rows)}"
        connection.execute(sql, values)  # type: ignore[attr-defined]


def child_seed(url: str) -> dict:
    from d3k2db.exchange.seed import load_seed
    from d3k2db.storage.engine import make_engine, upgrade_schema

    engine = make_engine(url)
    upgrade_schema(engine)
    load_seed(engine)
    engine.dispose()
    return {}


CHILDREN: dict[str, Callable[[dict], dict]] = {
    "import": lambda p: child_import(p["path"], p["url"]),
    "floor": lambda p: child_floor(p["path"]),
    "seed": lambda p: child_seed(p["url"]),
    "sqlite_floor": lambda p: child_sqlite_floor(p["path"], p["database"]),
}


def run_child(kind: str, payload: dict) -> dict:
    argv = [sys.executable, str(Path(__file__).resolve()), "_child", kind, json.dumps(payload)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=3600, cwd=HERE.parent)
    for line in reversed(done.stdout.splitlines()):
        if line.startswith(suite.RESULT_PREFIX):
            result = json.loads(line[len(suite.RESULT_PREFIX) :])
            if "error" in result:
                raise suite.WorkerError(result["error"])
            return result
    tail = " | ".join((done.stderr or done.stdout).strip().splitlines()[-3:])
    raise suite.WorkerError(f"{kind} child exited {done.returncode}: {tail}")


def child_main(kind: str, payload: str) -> int:
    try:
        result = CHILDREN[kind](json.loads(payload))
    except Exception as exc:  # reported to the parent, which prints it in the table
        suite.report({"error": f"{type(exc).__name__}: {exc}"[:500]})
        return 1
    suite.report(result)
    return 0


# --- the run --------------------------------------------------------------------------------------


def measure(rows: int, repeat: int, work: Path) -> tuple[list[suite.Measurement], list[str]]:
    data = work / "foods.csv"
    suite.log(f"import: writing {rows:,} foods to {data}")
    write_file(data, rows)
    template = work / "seeded.sqlite"
    run_child("seed", {"url": f"sqlite:///{template}"})
    times, rss, again, again_rss, floor_times, floor_rss, sqlite_times = [], [], [], [], [], [], []
    for run in range(repeat):
        database = work / f"run{run}.sqlite"
        shutil.copy(template, database)
        url = f"sqlite:///{database}"
        suite.log(f"import: run {run + 1}/{repeat}: import, import again, pandas floor")
        first = run_child("import", {"path": str(data), "url": url})
        assert first["added"] == rows, first
        second = run_child("import", {"path": str(data), "url": url})
        assert second["unchanged"] == rows, second
        floor = run_child("floor", {"path": str(data)})
        shutil.copy(template, database)
        bare = run_child("sqlite_floor", {"path": str(data), "database": str(database)})
        sqlite_times.append(bare["ms"] / 1000)
        times.append(first["ms"] / 1000)
        rss.append(first["rss_mb"])
        again.append(second["ms"] / 1000)
        again_rss.append(second["rss_mb"])
        floor_times.append(floor["ms"] / 1000)
        floor_rss.append(floor["rss_mb"])
        database.unlink()
    name = f"import of {rows:,} new foods"
    found = [
        suite.Measurement(
            "import", f"{name} (time)", "s", times, floor_times, "pandas", suite.Target("abs_max", 10)
        ),
        suite.Measurement(
            "import", f"{name} (peak RSS)", "MB", rss, floor_rss, "pandas", suite.Target("abs_max", 300)
        ),
        suite.Measurement("import", f"{name} (time)", "s", times, sqlite_times, "sqlite3"),
        suite.Measurement(
            "import", "the same file again: unchanged (time)", "s", again, floor_times, "pandas"
        ),
        suite.Measurement("import", "the same file again (peak RSS)", "MB", again_rss, floor_rss, "pandas"),
    ]
    size = data.stat().st_size / 1e6
    notes = [
        f"import: {rows:,} rows, {size:,.1f} MB; each figure in a fresh process on a copy of a "
        "seeded SQLite file"
    ]
    return found, notes


def main(argv: Sequence[str]) -> int:
    if len(argv) >= 3 and argv[0] == "_child":
        return child_main(argv[1], argv[2])
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=ROWS, help=f"foods in the file (default {ROWS:,})")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"runs (default {REPEAT})")
    args = parser.parse_args(argv)
    load = os.getloadavg()[0]
    work = Path(tempfile.mkdtemp(prefix="d3k2db-bench-import-"))
    try:
        found, notes = measure(args.rows, args.repeat, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    notes.append(
        f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, 1-min load average "
        f"{load:.2f} at start / {os.getloadavg()[0]:.2f} at end"
    )
    floors = {
        "pandas": "pd.read_csv(the same file, dtype=str) in its own process: nothing checked or written",
        "sqlite3": "bare sqlite3 writing the same foods rows (only them) into a copy of the same seeded "
        "file, 1,000-row statements, then the name index for them in one INSERT … SELECT, one transaction",
    }
    suite.print_report(found, {}, [], floors, notes)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Several processes search and run meals while another imports: nobody sees 'database is locked',
and every reader sees the import either not at all or whole (one transaction)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec
from d3k2db.lookup.search import search_foods
from d3k2db.storage.engine import snapshot

READERS = 3
IMPORTED = 300

READER = """
import json, sys, time
import pytest

from d3k2db import FoodSpec, K2Database
from d3k2db.storage.engine import snapshot
from d3k2db.errors import FoodNotFound
from d3k2db.lookup.search import search_foods
from d3k2db.errors import D3k2dbError, FoodNotFound
url, seconds = sys.argv[1], float(sys.argv[2])
done, errors, seen = 0, [], set()
db = K2Database(url)
deadline = time.monotonic() + seconds
while time.monotonic() < deadline:
    try:
        db.search("natto")
        db.meal(["2 eggs, 1 tbsp butter, 100 g natto"])
        try:
            found = db.search("concurrent food", limit=1000)
            seen.add(sum(f.name.startswith("concurrent food") for f in found))
        except FoodNotFound:
            seen.add(0)
        done += 1
    except D3k2dbError as exc:
        errors.append(str(exc))
print(json.dumps({"done": done, "errors": errors[:5], "error_count": len(errors), "seen": sorted(seen)}))
"""

WRITER = """
import json, sys
import pytest

from d3k2db import FoodSpec, K2Database
from d3k2db.storage.engine import snapshot
from d3k2db.errors import FoodNotFound
from d3k2db.lookup.search import search_foods
url, path = sys.argv[1], sys.argv[2]
db = K2Database(url)
report = db.import_csv(path)
for i in range(20):  # and a burst of small writes
    db.add_food(FoodSpec.of(f"burst food {i}", mk7=float(i), category="burst"))
    db.remove_food(f"burst food {i}")
print(json.dumps({"added": len(report.added)}))
"""


def write_import(path: Path) -> list[dict[str, str]]:
    rows = [
        {
            "name": f"concurrent food {i}",
            "category": "custom",
            "tag": "MK-7",
            "mk7": str(i + 0.5),
            "serving_g": "30",
        }
        for i in range(IMPORTED)
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_readers_never_fail_and_see_the_import_all_or_nothing(db_url: str, tmp_path: Path) -> None:
    rows = write_import(tmp_path / "import.csv")
    K2Database(db_url).close()  # migrated and seeded before the race starts
    readers = [
        subprocess.Popen([sys.executable, "-c", READER, db_url, "6"], stdout=subprocess.PIPE, text=True)
        for _ in range(READERS)
    ]
    writer = subprocess.run(
        [sys.executable, "-c", WRITER, db_url, str(tmp_path / "import.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert writer.returncode == 0, writer.stderr
    assert json.loads(writer.stdout)["added"] == IMPORTED
    results = [json.loads(reader.communicate(timeout=120)[0]) for reader in readers]
    for result in results:
        assert result["error_count"] == 0, result["errors"]
        assert result["done"] > 0
        assert set(result["seen"]) <= {0, IMPORTED}, result["seen"]  # never a half-written import

    with K2Database(db_url) as db:
        found = {f.name: f for f in db.search("concurrent food", category="custom", limit=1000)}
        assert len(found) == IMPORTED
        for row in rows:
            assert found[row["name"]].mk7 == float(row["mk7"])
        assert db.search("natto")[0].name == "natto"


def test_a_lookup_sees_one_state_even_when_a_write_commits_midway(db_url: str) -> None:
    """The race above, made deterministic: a write commits between two queries of one lookup."""
    with K2Database(db_url) as db:
        with snapshot(db.engine) as connection:
            assert search_foods(connection, "midway food") == []  # the lookup's first query: none yet
            db.add_food(FoodSpec.of("midway food", mk7=12.0))  # committed by another connection
            assert search_foods(connection, "midway food") == []  # later queries still see none
        assert [food.name for food in db.search("midway food")] == ["midway food"]  # the next lookup does

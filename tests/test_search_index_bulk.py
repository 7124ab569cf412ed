"""The name index after every write path is what a build from scratch makes, row for row.

Migration 0005 dropped the per-row INSERT triggers: writers index their new names in bulk
(storage/bulk.py → storage/search_index.py). Each write path runs on its own copy of the seeded
database; the index it leaves is compared with the rows computed here from the tables
(tests/test_search_index.expected_index, the formula of migration 0002 written again in Python)
and with ``rebuild_names`` run from scratch on the same data.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec
from d3k2db.lookup import search
from d3k2db.storage.engine import make_engine
from d3k2db.storage.migrate import downgrade, upgrade
from d3k2db.storage.search_index import rebuild_names
from tests import fdc_fixtures as fx
from tests.test_search_index import expected_index
from tools.release_fixtures import fixture_files, unpack

Write = Callable[[K2Database, Path], object]
INDEX_ROWS = "SELECT rowid, key, food_id FROM name_index"
TRIGGERS = "SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%name_index%'"


def _csv(path: Path, content: str) -> Path:
    path.write_text(content, encoding="utf-8")
    return path


def _import_new_and_changed(db: K2Database, folder: Path) -> object:
    """New foods with aliases, a changed K2 (which moves the food's rows) and an alias moved."""
    db.add_food(FoodSpec.of("my farm gouda", total_k2=70, tag="MK-7", aliases=["boerenkaas"]))
    rows = ["name,total_k2,tag,aliases"]
    rows += [f"imported cheese no. {i},{i * 7 % 500},MK-7,imported alias {i}" for i in range(300)]
    rows += ["my farm gouda,88,MK-7,farm cheese"]
    return db.import_csv(_csv(folder / "import.csv", "\n".join(rows) + "\n"))


def _remove_aliased_food(db: K2Database, _folder: Path) -> object:
    db.add_food(FoodSpec.of("short lived", mk7=5, aliases=["brief", "fleeting"]))
    return db.remove_food("short lived")


def _alias_add_and_remove(db: K2Database, _folder: Path) -> object:
    db.add_alias("natto", "sticky beans")
    db.add_alias("natto", "fermented soy")
    return db.remove_alias("sticky beans")


def _import_fdc(db: K2Database, folder: Path) -> object:
    return db.import_fdc(fx.write_download(folder / "sr_legacy", fx.SR_LEGACY), progress=False)


def _rewrite(path: Path, change: Callable[[dict[str, str]], dict[str, str] | None]) -> None:
    """Each row of a CSV file changed (or dropped, when ``change`` returns None)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    kept = [new for new in map(change, rows) if new is not None]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(kept)


def _seed_refresh(db: K2Database, folder: Path) -> object:
    """The seed loaded again after one food with aliases left it and another was renamed."""
    from d3k2db.exchange.seed import load_seed
    from d3k2db.resources import data_dir

    seed = folder / "data"
    shutil.copytree(data_dir(), seed)
    with (seed / "aliases.csv").open(encoding="utf-8", newline="") as handle:
        aliased = [row["food"] for row in csv.DictReader(handle)]
    gone, renamed = aliased[0], aliased[-1]
    for part in ("measurements.csv", "aliases.csv", "portions.csv"):
        _rewrite(
            seed / part,
            lambda row: (
                None
                if row["food"] == gone
                else {**row, "food": row["food"].replace(renamed, renamed + " renamed")}
                if row["food"] == renamed
                else row
            ),
        )
    _rewrite(
        seed / "foods.csv",
        lambda row: (
            None
            if row["name"] == gone
            else {**row, "name": row["name"] + " renamed"}
            if row["name"] == renamed
            else row
        ),
    )
    with (seed / "renamed.csv").open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerow([renamed, renamed + " renamed", "a test"])
    return load_seed(db.engine, seed)


WRITES: dict[str, Write] = {
    "add": lambda db, _folder: db.add_food(FoodSpec.of("bulk test natto", mk7=900, aliases=["bt natto"])),
    "add, remove": _remove_aliased_food,
    "alias add, remove": _alias_add_and_remove,
    "import": _import_new_and_changed,
    "import again": lambda db, folder: (
        _import_new_and_changed(db, folder),
        db.import_csv(folder / "import.csv"),
    ),
    "import-fdc": _import_fdc,
    "seed refresh": _seed_refresh,
}


def assert_index_is_exact(url: str) -> None:
    """The name index equals the rows computed from the tables and a rebuild from scratch."""
    engine = make_engine(url)
    with engine.connect() as connection:
        indexed = connection.execute(text(INDEX_ROWS)).all()
        assert len(indexed) == len(set(indexed))  # no row twice
        assert set(indexed) == expected_index(connection)
        rebuild_names(connection)
        assert sorted(connection.execute(text(INDEX_ROWS)).all()) == sorted(indexed)
        connection.rollback()
    engine.dispose()


@pytest.mark.parametrize("path", list(WRITES))
def test_every_write_path_leaves_the_index_a_rebuild_would_make(
    path: str, seeded_template: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'k2.sqlite'}"
    (tmp_path / "k2.sqlite").write_bytes(seeded_template.read_bytes())
    with K2Database(url) as db:
        before = len(db.search("cheese", limit=10_000))
        WRITES[path](db, tmp_path)
    assert_index_is_exact(url)
    if path == "import":  # and the new names are found, by substring, through the index
        with K2Database(url) as db:
            assert len(db.search("cheese", limit=10_000)) >= before + 300
            assert db.search("imported alias 123")[0].name == "imported cheese no. 123"


def test_the_first_seed_load_indexes_exactly(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.sqlite'}"
    with K2Database(url) as db:  # the schema made and the shipped data loaded
        assert db.search("natto")
    assert_index_is_exact(url)


def test_the_insert_triggers_are_gone_and_come_back_on_downgrade(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'k2.sqlite'}"
    engine = make_engine(url)
    upgrade(engine, "head")
    with engine.connect() as connection:
        at_head = set(connection.execute(text(TRIGGERS)).scalars())
    downgrade(engine, "0004")
    with engine.connect() as connection:
        at_0004 = set(connection.execute(text(TRIGGERS)).scalars())
    engine.dispose()
    assert at_0004 - at_head == {"foods_name_index_insert", "aliases_name_index_insert"}
    assert at_head < at_0004


def test_a_downgraded_database_indexes_by_trigger_and_upgrades_exactly(
    tmp_path: Path, seeded_template: Path
) -> None:
    """Writes under revision 0004 (its triggers index them), then the upgrade to 0005 and a write."""
    url = f"sqlite:///{tmp_path / 'k2.sqlite'}"
    (tmp_path / "k2.sqlite").write_bytes(seeded_template.read_bytes())
    engine = make_engine(url)
    downgrade(engine, "0004")
    with engine.begin() as connection:  # as revision 0004's code wrote: the trigger indexes it
        connection.execute(
            text(
                "INSERT INTO foods (name, search_key, category, tag, k2_total, serving_g, serving_label,"
                " source_id, is_custom, mk7) SELECT 'old release food', 'old release food', 'custom',"
                " 'MK-7', 42, 30, '30 g', MIN(id), 1, 42 FROM sources"
            )
        )
    assert_index_is_exact(url)
    upgrade(engine, "head")
    engine.dispose()
    with K2Database(url) as db:
        db.add_food(FoodSpec.of("new release food", mk7=43, aliases=["nrf"]))
        assert db.search("release food")
    assert_index_is_exact(url)


@pytest.mark.parametrize("fixture", fixture_files()[-1:], ids=lambda path: path.name)
def test_a_release_file_upgrades_to_an_exact_index(fixture: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{unpack(fixture, tmp_path)}"
    with K2Database(url) as db:  # upgraded, the seed refreshed
        db.add_food(FoodSpec.of("after the upgrade", mk7=12, aliases=["post upgrade"]))
    assert_index_is_exact(url)


def test_imported_names_are_found_by_substring_on_both_backends(db_url: str, tmp_path: Path) -> None:
    """PostgreSQL's pg_trgm GIN indexes follow the tables by themselves; the same import is found
    through them as through SQLite's name index."""
    with K2Database(db_url) as db:
        _import_new_and_changed(db, tmp_path)
        engine = db.engine
        with engine.connect() as connection:
            hits = {hit.food_id for hit in search.find_hits(connection, "imported alias 12")}
            names = dict(connection.execute(text("SELECT id, name FROM foods")).all())
    found = {names[food_id] for food_id in hits}
    assert {f"imported cheese no. {i}" for i in (12, *range(120, 130))} <= found


def test_the_meal_knows_every_name_written_and_forgets_every_name_removed(
    seeded_template: Path, tmp_path: Path
) -> None:
    """The meal's index of names is rebuilt only when the name index changed (an O(1) check of its
    FTS5 records instead of a scan of every name): after each kind of write it holds exactly the
    keys of the tables, and a lookup leaves it as it was."""
    from d3k2db.meal.index import name_index
    from d3k2db.storage.quick import reading

    path = tmp_path / "k2.sqlite"
    path.write_bytes(seeded_template.read_bytes())
    url = f"sqlite:///{path}"

    def keys() -> set[str]:
        with reading(path) as connection:
            connection.cache_key = url
            return set(name_index(connection).keys)

    def stored() -> set[str]:
        engine = make_engine(url)
        with engine.connect() as connection:
            found = set(
                connection.execute(
                    text("SELECT search_key FROM foods UNION SELECT search_key FROM aliases")
                ).scalars()
            )
        engine.dispose()
        return found

    start, start_stored = keys(), stored()
    with K2Database(url) as db:
        steps: list[Callable[[], object]] = [
            lambda: db.add_food(FoodSpec.of("zorblax cheese", mk7=5, aliases=["zorb"])),
            lambda: db.add_food(FoodSpec.of("quuxo pie", mk7=6)),
            lambda: db.add_alias("natto", "zorblax beans"),
            lambda: db.add_alias("natto", "quuxo beans"),
            lambda: db.remove_alias("zorblax beans"),  # neither the last alias nor the last food:
            lambda: db.remove_food("zorblax cheese"),  # the largest ids stay as they were
        ]
        for step in steps:
            step()
            now, now_stored = keys(), stored()
            assert now_stored <= now
            assert (now - start, start - now) == (now_stored - start_stored, start_stored - now_stored)
            db.search("natto")
            assert keys() == now


def test_a_short_chinese_term_finds_every_name_that_holds_it(db_url: str) -> None:
    """One or two Chinese characters (too short for a trigram) are looked for among the keys that
    hold such characters (SQLite: partial indexes of migration 0005): the same foods as a scan."""
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("my 納豆 mix", mk7=300))  # Latin and Chinese in one key
        engine = db.engine
        with engine.connect() as connection:
            keys = connection.execute(text("SELECT id, search_key FROM foods")).all()
            keys += connection.execute(text("SELECT food_id, search_key FROM aliases")).all()
            for term in ("納豆", "纳豆", "肝", "乳酪", "豆"):
                scanned = {food_id for food_id, key in keys if term in key}
                hits = {hit.food_id for hit in search.find_hits(connection, term, candidates=10_000)}
                assert scanned and scanned <= hits, term

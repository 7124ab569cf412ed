"""The user's own foods and aliases, through the library functions: add, remove, collisions, and
survival across seed refreshes. Every refused call must leave the database byte-identical."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec, Invalid
from d3k2db.errors import DatabaseError, FoodNotFound, UsageError
from d3k2db.exchange.custom import NameTaken, SeedProtected, add_alias, add_food, remove_alias, remove_food
from d3k2db.exchange.seed import load_seed
from d3k2db.storage.changes import ChangeKind, SeedChange
from d3k2db.storage.engine import make_engine, upgrade_schema
from tests import published


def dump(url: str) -> list[tuple]:
    """Every row of every table, in a stable order: equal dumps mean nothing was written.

    A SQLite full-text table is compared by its rows, not by the storage of its shadow tables
    (``<table>_data``, ``_idx`` …), which an insert followed by a delete does not restore byte for byte.
    """
    engine = make_engine(url)
    rows: list[tuple] = []
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        if connection.dialect.name == "sqlite":
            virtual = set(
                connection.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")
                ).scalars()
            )
            tables = (tables | virtual) - {t for t in tables for v in virtual if t.startswith(f"{v}_")}
        # The typo index is derived from the names and keeps the words of removed foods (harmless
        # by design, see search_index.py), so an add followed by a remove is compared without it.
        tables.discard("search_words")
        for table in sorted(tables):
            found = connection.execute(text(f"SELECT * FROM {table}")).all()
            found = [row for row in found if not (table == "meta" and row[0] == "search_words_upto")]
            rows += sorted(((table, *row) for row in found), key=repr)
    engine.dispose()
    return rows


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def test_a_custom_food_is_searchable_shown_and_usable_in_a_meal(engine, db_url: str) -> None:
    add_food(
        engine,
        FoodSpec.of(
            "Farm cheese",
            mk7=40.0,
            mk9=12.5,
            k1=2.0,
            category="Cheese",
            serving_g=30,
            serving_label="1 slice",
            aliases=["boerenkaas", "farm cheeses", "Farm Cheese"],
        ),
    )
    with K2Database(db_url) as db:
        hit = db.search("boerenkaas")[0]
        assert (hit.name, hit.is_custom, hit.tag, hit.k2_total) == ("Farm cheese", True, "MK-7", 52.5)
        profile = db.show("farm cheese")
        assert profile.category == "cheese"  # joins the seed's category, as spelled there
        assert profile.source == "user-entered"
        assert profile.aliases == ["boerenkaas"]  # the name's own plural and case add nothing
        assert [(p.unit, p.amount, p.grams) for p in profile.portions] == [("slice", 1.0, 30.0)]
        assert profile.measurements[0].source == "user-entered"
        meal = db.meal(["2 slices farm cheese"])
        assert meal.items[0].grams == 60
        assert meal.k2 == pytest.approx(52.5 * 0.6)


@pytest.mark.parametrize(
    ("figures", "tag"),
    [
        ({"mk4": 5.0}, "MK-4"),
        ({"mk4": 5.0, "mk7": 10.0}, "MK-7"),
        ({"mk4": 10.0, "mk7": 5.0}, "MK-4"),
        ({"mk8": 1.0, "mk9": 2.0}, "MK-7"),
        # a total alone says nothing of the forms, and a custom food is of no animal or fermented
        # category that would: no tag (figures.kind_tag)
        ({"total_k2": 30.0}, None),
        ({"total_k2": 30.0, "category": "dairy"}, "MK-4"),  # animal products: MK-4 by their kind
    ],
)
def test_the_tag_is_inferred_from_the_forms(engine, db_url: str, figures: dict, tag: str | None) -> None:
    add_food(engine, FoodSpec.of("test food", **figures))
    with K2Database(db_url) as db:
        assert db.show("test food").tag == tag


def test_an_explicit_tag_wins_and_is_normalised(engine, db_url: str) -> None:
    add_food(engine, FoodSpec.of("aged cheese", total_k2=50.0, tag="mk7"))
    with K2Database(db_url) as db:
        assert db.show("aged cheese").tag == "MK-7"


def test_a_gram_label_adds_no_portion_and_defaults_to_the_serving(engine, db_url: str) -> None:
    # a name no seed food or alias holds ('liver pate' is an alias of 'liver pâté, pork')
    add_food(engine, FoodSpec.of("farmhouse pate", mk4=100.0, serving_g=40))
    add_food(engine, FoodSpec.of("soup", mk4=1.0, serving_g=250, serving_label="a bowl"))
    with K2Database(db_url) as db:
        pate = db.show("farmhouse pate")
        assert (pate.serving_label, pate.portions) == ("40 g", [])
        soup = db.show("soup")
        assert [(p.unit, p.description, p.grams) for p in soup.portions] == [("serving", "a bowl", 250.0)]


def test_a_serving_portion_names_the_whole_citation(engine, db_url: str) -> None:
    """A serving in pieces becomes a portion naming the food's source; a citation of 450
    characters (the limit is 500) is kept whole in it, never cut with '…' (migration 0004)."""
    citation = "My lab notebook, " + "page " * 86 + "end"
    assert len(citation) == 450
    add_food(
        engine, FoodSpec.of("lab kefir", mk7=3.0, serving_g=240, serving_label="1 glass", source=citation)
    )
    with K2Database(db_url) as db:
        profile = db.show("lab kefir")
        assert profile.source == citation
        assert [(p.unit, p.grams, p.source) for p in profile.portions] == [("glass", 240.0, citation)]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": "", "mk4": 1.0}, "name: is empty"),
        ({"name": "   ", "mk4": 1.0}, "name: is empty"),
        ({"name": "!!!", "mk4": 1.0}, "has no letters or digits"),
        ({"name": "x"}, "no K2 figure"),
        ({"name": "x", "k1": 5.0, "vitamin_d3": 1.0}, "no K2 figure"),
        ({"name": "x", "mk4": -1.0}, "mk4: -1.0 must be a finite number ≥ 0"),
        ({"name": "x", "mk7": math.nan}, "mk7: nan must be a finite number ≥ 0"),
        ({"name": "x", "mk4": 1.0, "k1": math.inf}, "k1: inf must be a finite number ≥ 0"),
        ({"name": "x", "mk4": "5"}, "mk4: '5' is not a number"),
        ({"name": "x", "mk4": True}, "mk4: True is not a number"),
        ({"name": "x", "mk4": 1.0, "serving_g": 0}, "serving_g: must be greater than 0"),
        ({"name": "x", "mk4": 1.0, "serving_g": -5}, "serving_g"),
        ({"name": "x", "mk4": 10.0, "mk7": 10.0, "total_k2": 5.0}, "total_k2: 5 is smaller than the sum"),
        ({"name": "x", "mk4": 1.0, "tag": "MK-9"}, "tag: 'MK-9' is not MK-4, MK-7 or empty"),
        ({"name": "x", "mk4": 1.0, "aliases": ["a | b"]}, "contains '|'"),
        ({"name": "x", "mk4": 1.0, "aliases": ["?"]}, "'?' has no letters or digits"),
        ({"name": "x" * 301, "mk4": 1.0}, "name: is longer than 300 characters"),
        ({"name": "x", "mk4": 1.0, "category": "c" * 41}, "category: is longer than 40"),
    ],
)
def test_bad_values_are_refused_and_nothing_is_written(
    engine, db_url: str, kwargs: dict, message: str
) -> None:
    before = dump(db_url)
    kwargs = dict(kwargs)  # shared by the SQLite and PostgreSQL runs
    name = kwargs.pop("name")
    with pytest.raises(Invalid) as error:  # FoodSpec.of checks every value before anything is written
        add_food(engine, FoodSpec.of(name, **kwargs))
    assert message in str(error.value)
    assert dump(db_url) == before


@pytest.mark.parametrize(
    ("name", "aliases", "message"),
    [
        ("Natto", (), "'Natto' is taken: it is the name of the food 'natto'"),
        ("NATTŌ", (), "it is the name of the food 'natto'"),
        ("natto beans", (), "'natto beans' is taken: it is an alias of the food 'natto'"),
        ("my natto", ("butter",), "'butter' is taken: it is the name of the food 'butter'"),
        ("my natto", ("salted butter",), "it is an alias of the food 'butter'"),
    ],
)
def test_names_and_aliases_must_not_collide(
    engine, db_url: str, name: str, aliases: tuple[str, ...], message: str
) -> None:
    before = dump(db_url)
    with pytest.raises(NameTaken) as error:
        add_food(engine, FoodSpec.of(name, mk7=1.0, aliases=aliases))
    assert message in str(error.value)
    assert dump(db_url) == before


def test_a_custom_food_cannot_be_added_twice(engine, db_url: str) -> None:
    add_food(engine, FoodSpec.of("my kefir", mk7=3.0, aliases=["kefir maison"]))
    before = dump(db_url)
    with pytest.raises(NameTaken, match="name of the food 'my kefir'"):
        add_food(engine, FoodSpec.of("My Kefirs", mk7=3.0))
    with pytest.raises(NameTaken, match="alias of the food 'my kefir'"):
        add_food(engine, FoodSpec.of("other", mk7=3.0, aliases=["Kefir Maison"]))
    assert dump(db_url) == before


def test_a_source_is_shared_by_citation_and_its_url_cannot_change(engine, db_url: str) -> None:
    add_food(engine, FoodSpec.of("a", mk4=1.0, source="My lab 2024", url="https://lab.example/1"))
    add_food(engine, FoodSpec.of("b", mk4=2.0, source="My lab 2024"))
    add_food(engine, FoodSpec.of("c", mk4=2.0, source="My lab 2024", url="https://lab.example/1"))
    before = dump(db_url)
    with pytest.raises(UsageError, match=r"already has the URL https://lab\.example/1"):
        add_food(engine, FoodSpec.of("d", mk4=2.0, source="My lab 2024", url="https://other.example"))
    assert dump(db_url) == before
    with K2Database(db_url) as db:
        counts = {source.citation: source.measurements for source in db.sources()}
        assert counts["My lab 2024"] == 3


def test_remove_a_custom_food_by_name_or_alias(engine, db_url: str) -> None:
    before = dump(db_url)
    add_food(
        engine,
        FoodSpec.of("Farm cheese", mk7=40.0, serving_g=30, serving_label="1 slice", aliases=["boerenkaas"]),
    )
    add_food(engine, FoodSpec.of("my kefir", mk7=3.0))
    assert remove_food(engine, "BOERENKAAS") == "Farm cheese"
    assert remove_food(engine, "my kefirs") == "my kefir"
    # Aliases, portion, measurement and the now unused 'user-entered' source are gone too.
    assert dump(db_url) == before
    with K2Database(db_url) as db, pytest.raises(FoodNotFound):
        db.show("boerenkaas")


def test_removing_a_custom_food_leaves_no_orphan_rows(engine) -> None:
    # delete_food deletes the food row only: its aliases, portion and measurement go by the schema's
    # ON DELETE CASCADE (PRAGMA foreign_keys=ON on SQLite), so both backends must enforce it.
    add_food(
        engine,
        FoodSpec.of("Farm cheese", mk7=40.0, serving_g=30, serving_label="1 slice", aliases=["boerenkaas"]),
    )
    children = ("aliases", "portions", "measurements")

    def rows_of(food_id: int) -> dict[str, int]:
        with engine.connect() as connection:
            return {
                table: connection.execute(
                    text(f"SELECT count(*) FROM {table} WHERE food_id = :id"), {"id": food_id}
                ).scalar_one()
                for table in children
            }

    with engine.connect() as connection:
        food_id = connection.execute(text("SELECT id FROM foods WHERE name = 'Farm cheese'")).scalar_one()
    assert rows_of(food_id) == dict.fromkeys(children, 1)
    remove_food(engine, "Farm cheese")
    assert rows_of(food_id) == dict.fromkeys(children, 0)
    with engine.connect() as connection:
        for table in children:
            orphans = connection.execute(
                text(f"SELECT count(*) FROM {table} WHERE food_id NOT IN (SELECT id FROM foods)")
            ).scalar_one()
            assert orphans == 0, table


def test_a_seed_food_cannot_be_removed(engine, db_url: str) -> None:
    before = dump(db_url)
    with pytest.raises(SeedProtected) as error:
        remove_food(engine, "natto")
    assert str(error.value) == "'natto' is a seed food; only your own foods can be removed"
    with pytest.raises(SeedProtected, match="'natto' is a seed food"):
        remove_food(engine, "natto beans")  # by alias too
    assert dump(db_url) == before


def test_removing_an_unknown_food_names_the_close_custom_foods(engine) -> None:
    with pytest.raises(FoodNotFound, match="you have no foods of your own yet"):
        remove_food(engine, "my kefir")
    add_food(engine, FoodSpec.of("my kefir", mk7=3.0))
    with pytest.raises(FoodNotFound, match="no food matches 'my kefri' — did you mean 'my kefir'") as error:
        remove_food(engine, "my kefri")  # never a typo match when deleting
    assert error.value.suggestions == ["my kefir"]


def test_custom_aliases_on_seed_and_custom_foods(engine, db_url: str) -> None:
    assert add_alias(engine, "natto", "sticky beans") == "natto"
    add_food(engine, FoodSpec.of("my kefir", mk7=3.0))
    assert add_alias(engine, "my kefir", "kefir de la ferme", lang="fr") == "my kefir"
    with K2Database(db_url) as db:
        assert db.search("sticky beans")[0].name == "natto"
        assert db.search("kefir de la ferme")[0].name == "my kefir"
    before = dump(db_url)
    with pytest.raises(NameTaken, match="it is the name of the food 'butter'"):
        add_alias(engine, "natto", "Butter")
    with pytest.raises(NameTaken, match="already one of its aliases"):
        add_alias(engine, "natto", "natto beans")
    with pytest.raises(NameTaken, match="is its name"):
        add_alias(engine, "natto", "NATTO")
    with pytest.raises(UsageError, match=r"contains '\|'"):
        add_alias(engine, "natto", "a|b")
    with pytest.raises(FoodNotFound):
        add_alias(engine, "no such food", "whatever")
    with pytest.raises(SeedProtected, match="'natto beans' is a seed alias of 'natto'"):
        remove_alias(engine, "natto beans")
    assert dump(db_url) == before
    assert remove_alias(engine, "Sticky Beans") == "natto"
    with pytest.raises(FoodNotFound):
        remove_alias(engine, "sticky beans")


def test_a_database_without_tables_is_a_database_error(empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    with pytest.raises(DatabaseError, match="cannot use the database"):
        add_food(engine, FoodSpec.of("x", mk4=1.0))
    with pytest.raises(DatabaseError):
        remove_food(engine, "x")


# --- seed refresh ---------------------------------------------------------------------------------


def _rewrite(path: Path, keep, change=None) -> None:  # type: ignore[no-untyped-def]
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    fields = list(rows[0])
    rows = [change(row) if change else row for row in rows if keep(row)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def modify_seed(folder: Path) -> None:
    """Natto's MK-7 → 900 (food and every measurement), and brie withdrawn."""

    def natto(row: dict[str, str]) -> dict[str, str]:
        if row.get("name", row.get("food")) == "natto" and row.get("mk7"):
            row["mk7"] = "900"
        return row

    _rewrite(folder / "foods.csv", lambda r: r["name"] != "brie", natto)
    for name in ("measurements.csv", "aliases.csv", "portions.csv"):
        _rewrite(folder / name, lambda r: r["food"] != "brie", natto if name == "measurements.csv" else None)


def _add_mine(engine) -> None:  # type: ignore[no-untyped-def]
    add_food(
        engine,
        FoodSpec.of("my kefir", mk7=3.0, aliases=["kefir maison"], serving_g=250, serving_label="1 cup"),
    )
    add_food(engine, FoodSpec.of("grass-fed butter", mk4=21.0))
    add_alias(engine, "natto", "sticky beans")


def test_a_seed_refresh_keeps_custom_foods_and_aliases_and_applies_seed_changes(
    seed_copy: Path, empty_db_url: str
) -> None:
    url = empty_db_url
    engine = make_engine(url)
    upgrade_schema(engine)
    modify_seed(seed_copy)
    load_seed(engine, seed_copy)  # the "old" seed: natto 900, no brie
    _add_mine(engine)
    with K2Database(url, prepare=False) as db:
        assert db.show("natto").forms["mk7"] == 900
        assert "brie" not in [f.name for f in db.search()]

    load_seed(engine)  # the shipped seed
    with K2Database(url, prepare=False) as db:
        assert db.show("natto").forms["mk7"] == float(published.food("natto")["mk7"])  # the seed is applied
        assert db.search("brie")[0].name == "brie"  # a food the new seed adds is there
        kefir = db.show("kefir maison")
        assert (kefir.name, kefir.is_custom, kefir.serving_label) == ("my kefir", True, "1 cup")
        assert [(p.unit, p.grams) for p in kefir.portions] == [("cup", 250.0)]
        assert db.show("grass-fed butter").forms["mk4"] == 21
        assert db.search("sticky beans")[0].name == "natto"
    engine.dispose()


def test_a_withdrawn_seed_food_with_an_alias_of_yours_stays_as_your_own_food(
    seed_copy: Path, engine, db_url: str
) -> None:
    _add_mine(engine)
    add_alias(engine, "brie", "my brie")
    with K2Database(db_url, prepare=False) as db:
        before = db.show("brie")
    modify_seed(seed_copy)  # brie is not in it, and renamed.csv does not say where it went
    loaded = load_seed(engine, seed_copy)
    assert loaded.changes == [SeedChange(ChangeKind.ALIAS_KEPT, "brie", "my brie")]
    with K2Database(db_url, prepare=False) as db:
        assert db.show("natto").forms["mk7"] == 900
        kept = db.show("my brie")
        assert (kept.name, kept.is_custom, kept.aliases) == ("brie", True, ["my brie"])
        figures = ("forms", "k2_total", "k1", "vitamin_d3", "serving_g", "source", "url", "locator")
        assert [getattr(kept, f) for f in figures] == [getattr(before, f) for f in figures]
        assert [(m.source, m.k2_total) for m in kept.measurements] == [
            (m.source, m.k2_total) for m in before.measurements
        ]
        assert db.search("sticky beans")[0].name == "natto"
        assert db.show("kefir maison").name == "my kefir"
        assert db.last_seed_changes() == loaded.changes  # recorded, to be told again
    with engine.connect() as connection:
        orphans = connection.execute(
            text("SELECT count(*) FROM aliases WHERE food_id NOT IN (SELECT id FROM foods)")
        ).scalar()
    assert orphans == 0


def test_a_withdrawn_seed_food_without_an_alias_of_yours_goes(seed_copy: Path, engine, db_url: str) -> None:
    _add_mine(engine)
    modify_seed(seed_copy)
    assert load_seed(engine, seed_copy).changes == []
    with K2Database(db_url, prepare=False) as db:
        with pytest.raises(FoodNotFound):
            db.show("brie")
        assert db.last_seed_changes() == []


def test_a_left_out_tag_follows_the_seeds_rule_for_the_foods_kind(engine, db_url: str) -> None:
    # A cheese known only by its total is bacterial K2 (MK-7), as every seed cheese is tagged.
    add_food(engine, FoodSpec.of("farm cheese", total_k2=50.0, category="cheese"))
    add_food(engine, FoodSpec.of("farm liver", total_k2=20.0, category="organ"))
    add_food(engine, FoodSpec.of("mystery ferment", mk4=1.0, mk7=9.0))  # category custom: by the forms
    add_food(engine, FoodSpec.of("mystery meat", mk4=9.0, mk7=1.0))
    with K2Database(db_url) as db:
        tags = {
            name: db.show(name).tag
            for name in ("farm cheese", "farm liver", "mystery ferment", "mystery meat")
        }
    assert tags == {
        "farm cheese": "MK-7",
        "farm liver": "MK-4",
        "mystery ferment": "MK-7",
        "mystery meat": "MK-4",
    }

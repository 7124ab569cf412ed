"""The search indexes stay correct through every kind of write, on both backends."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec
from d3k2db.lookup import matching, search
from d3k2db.storage.engine import make_engine
from d3k2db.storage.search_index import near_words, variants

K2_BITS, CAP = 27, 68719476735


def expected_index(connection) -> set[tuple[int, str, int]]:  # type: ignore[no-untyped-def]
    """(rowid, key, food id) of every name and alias, computed here from the two tables."""

    def rowid(k2: float | None, row_id: int, alias: int) -> int:
        milli = min(int(max(k2 or 0.0, 0.0) * 1000), CAP)
        return (milli << K2_BITS) | (row_id << 1) | alias

    names = connection.execute(text("SELECT id, search_key, k2_total FROM foods")).all()
    k2 = {food_id: total for food_id, _, total in names}
    found = {(rowid(total, food_id, 0), key, food_id) for food_id, key, total in names}
    for alias_id, key, food_id in connection.execute(text("SELECT id, search_key, food_id FROM aliases")):
        found.add((rowid(k2[food_id], alias_id, 1), key, food_id))
    return found


def as_on_a_large_database(monkeypatch: pytest.MonkeyPatch) -> None:
    """Typos take the index path, as on a database of a million foods. matching holds its own
    binding of SMALL_DATABASE (imported by value), so both are patched: patching only search's
    left matching at 0 for the rest of the process whenever this test imported it first."""
    monkeypatch.setattr(search, "SMALL_DATABASE", 0)
    monkeypatch.setattr(matching, "SMALL_DATABASE", 0)


def test_the_fts_index_follows_adds_removes_and_k2_changes(seeded_template, tmp_path) -> None:  # type: ignore[no-untyped-def]
    # SQLite only: PostgreSQL's pg_trgm indexes are on the tables themselves and need no upkeep.
    db_url = f"sqlite:///{tmp_path / 'k2.sqlite'}"
    (tmp_path / "k2.sqlite").write_bytes(seeded_template.read_bytes())
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("my farm gouda", total_k2=70, tag="MK-7", aliases=["boerenkaas"]))
        db.add_alias("natto", "sticky beans")
        db.import_csv(_write(tmp_path / "update.csv", "name,total_k2,tag\nmy farm gouda,88,MK-7\n"))
        db.remove_alias("sticky beans")
        db.add_food(FoodSpec.of("short lived", mk7=5))
        db.remove_food("short lived")
    engine = make_engine(db_url)
    with engine.connect() as connection:
        indexed = set(connection.execute(text("SELECT rowid, key, food_id FROM name_index")).all())
        assert indexed == expected_index(connection)
    engine.dispose()


def _write(path, content: str):  # type: ignore[no-untyped-def]
    path.write_text(content, encoding="utf-8")
    return path


def test_search_finds_the_same_foods_as_a_plain_scan(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        keys = connection.execute(text("SELECT id, search_key FROM foods")).all()
        # two letters ("ck", "to" at a key's end, "na" at its start) read the trigrams around them
        for term in ("natto", "liver", "cheese", "egg yolk", "ck", "to", "na", "k2", "ut"):
            scanned = {food_id for food_id, key in keys if term in key}
            hits = {hit.food_id for hit in search.find_hits(connection, term)}
            assert scanned <= hits, term
    engine.dispose()


@pytest.mark.parametrize(
    ("typo", "meant"),
    [
        ("nato", "natto"),
        ("gooda", "gouda"),
        ("buter", "butter"),
        ("camembrt", "camembert"),
        ("parmesean", "parmesan"),
    ],
)
def test_the_typo_index_path_finds_one_edit_typos(
    db_url: str, monkeypatch: pytest.MonkeyPatch, typo: str, meant: str
) -> None:
    as_on_a_large_database(monkeypatch)
    with K2Database(db_url) as db:
        assert db.search(typo)[0].name == meant


@pytest.mark.parametrize(("typo", "meant"), [("mozarela", "mozzarella"), ("saurkrat", "sauerkraut")])
def test_the_typo_index_path_reaches_two_edit_typos_through_the_word_list(
    db_url: str, monkeypatch: pytest.MonkeyPatch, typo: str, meant: str
) -> None:
    """No stored word is one edit from these; the words themselves (not the names) are compared."""
    as_on_a_large_database(monkeypatch)
    with K2Database(db_url) as db:
        engine = db.engine
        with engine.connect() as connection:
            assert not near_words(connection, typo)
        assert db.search(typo)[0].name == meant


def test_new_names_are_typo_matchable_at_once(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    as_on_a_large_database(monkeypatch)
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("quarkkuchen", total_k2=3, tag="MK-7"))
        assert db.search("quarkuchen")[0].name == "quarkkuchen"


def test_one_deletion_neighbourhood() -> None:
    assert variants("nato") == {"nato", "ato", "nto", "nao", "nat"}
    assert "nato" in variants("natto")  # so 'nato' meets 'natto'


def test_near_words_reads_the_index(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect() as connection:
        assert "natto" in near_words(connection, "nato")
        assert "gouda" in near_words(connection, "gooda")
    engine.dispose()


def test_a_limit_above_the_candidate_window_still_gets_every_match(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    with K2Database(db_url) as db:
        every = [food.name for food in db.search("cheese", limit=1000)]
        assert len(every) > 25
        monkeypatch.setattr("d3k2db.lookup.search.CANDIDATES", 5)  # as if "cheese" were in millions of names
        assert [food.name for food in db.search("cheese", limit=1000)] == every


def test_a_corrected_typo_is_looked_up_like_a_term_typed_right(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a large database a typo's candidates are the richest names holding the corrected word;
    'buter' must still reach plain 'butter' when many richer names hold 'buttermilk'."""
    as_on_a_large_database(monkeypatch)
    monkeypatch.setattr(search, "CORRECTED_ROWS", 3)
    monkeypatch.setattr(search, "MAX_TYPO_ROWS", 3)
    with K2Database(db_url) as db:
        for i in range(5):
            db.add_food(FoodSpec.of(f"rich buttermilk {i}", mk7=500.0 + i))
        assert db.search("buter")[0].name == "butter"
        assert db.show("buter").name == "butter"
        assert db.search("gouda chese")[0].name == db.search("gouda cheese")[0].name


def test_a_two_letter_term_is_found_at_either_end_and_inside_a_word(db_url: str) -> None:
    with K2Database(db_url) as db:
        for name in ("qx farm cheese", "cheese qx", "aqxb", "qx"):
            db.add_food(FoodSpec.of(name, mk7=1))
        found = {row.name for row in db.search("qx", limit=50)}
        assert {"qx farm cheese", "cheese qx", "aqxb", "qx"} <= found
        assert db.search("qx", limit=50)[0].name == "qx"  # the exact name first

"""Upgrades keep what the user added: database files written by every earlier release
(tests/fixtures/releases/, built by tools/release_fixtures.py with each release's own code) are
upgraded by the current code and compared field by field with what they held.

Where each of the user's aliases must be afterwards is worked out here from the fixture's own rows
and the shipped data files (data/foods.csv, data/renamed.csv), read with the csv module: on a seed
food still in the seed, it stays; on a renamed one, it is on the new food (unless that name is the
user's own food); on one removed, the old food is kept as the user's own with its figures.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Boolean, MetaData, create_engine, text
from sqlalchemy.engine import Connection
from typer.testing import CliRunner

from d3k2db import K2Database
from d3k2db.cli import app
from d3k2db.domain.text import search_key
from d3k2db.storage.changes import ChangeKind, SeedChange
from d3k2db.storage.engine import make_engine
from d3k2db.storage.migrate import upgrade
from tests import published
from tests.pg import PostgresServer
from tools.release_fixtures import RELEASES, fixture_files, release_of, unmapped_release_names, unpack

FIXTURES = fixture_files()
Record = dict[str, Any]
BOOLEANS = ("is_custom", "counted")
PARTS = ("aliases", "portions", "measurements")
TABLES = ("sources", "foods", "aliases", "portions", "measurements", "meta", "search_words")


# --- the state the user made, read the same way before and after ----------------------------------


def _plain(row: Any, drop: tuple[str, ...] = ("id", "food_id", "source_id")) -> Record:
    values = dict(row._mapping)
    for key in BOOLEANS:
        if key in values:
            values[key] = bool(values[key])
    return {key: value for key, value in values.items() if key not in drop}


def _sorted(records: list[Record]) -> list[Record]:
    return sorted(records, key=lambda r: json.dumps(r, sort_keys=True, default=str))


def foods_with_all(connection: Connection, where: str) -> dict[str, Record]:
    """Foods (by name) with every column, their source, aliases, portions and measurements."""
    found: dict[str, Record] = {}
    foods = connection.execute(
        text(
            "SELECT f.*, s.citation AS source_citation, s.url AS source_url "
            f"FROM foods f LEFT JOIN sources s ON s.id = f.source_id WHERE {where}"
        )
    ).all()
    for food in foods:
        record = _plain(food)
        food_id = food._mapping["id"]
        parts = {
            "aliases": "SELECT * FROM aliases WHERE food_id = :id",
            "portions": "SELECT * FROM portions WHERE food_id = :id",
            "measurements": "SELECT m.*, s.citation AS source_citation FROM measurements m "
            "JOIN sources s ON s.id = m.source_id WHERE m.food_id = :id",
        }
        for part, sql in parts.items():
            record[part] = _sorted([_plain(r) for r in connection.execute(text(sql), {"id": food_id})])
        found[record["name"]] = record
    return found


def user_aliases(connection: Connection) -> dict[str, Record]:
    """The user's own aliases (by search key) with the name of their food and whether it is theirs."""
    rows = connection.execute(
        text(
            "SELECT a.alias, a.search_key, a.lang, a.is_custom, f.name AS food, f.search_key AS food_key, "
            "f.is_custom AS food_is_custom FROM aliases a JOIN foods f ON f.id = a.food_id WHERE a.is_custom"
        )
    )
    return {record["search_key"]: record for record in (_plain(row, ()) for row in rows)}


def same_fields(before: Record, after: Record) -> None:
    """Every field the old release stored is there, equal (newer columns may be added)."""
    for field, value in before.items():
        if field in PARTS:  # rows compared on the old release's columns
            columns = list(value[0]) if value else []
            assert _sorted([{k: r[k] for k in columns} for r in after[field]]) == value, (
                before["name"],
                field,
            )
        else:
            assert after[field] == value, (before["name"], field, value, after[field])


# --- where things must be, from the shipped data files ----------------------------------------------


SEED_NOW = {search_key(row["name"]): row["name"] for row in published.rows("foods.csv")}
RENAMED = {search_key(row["old"]): row for row in published.rows("renamed.csv")}


def reason(old: str) -> str:
    return RENAMED[search_key(old)]["reason"]


class Expected:
    """Where the user's data of one fixture must be after the upgrade, and the report's lines."""

    def __init__(self, own: dict[str, Record], aliases: dict[str, Record], held: set[str]) -> None:
        """``own``: the user's foods by name; ``aliases``: the user's aliases by key; ``held``:
        every food key of the old database."""
        self.own_keys = {search_key(name) for name in own}
        self.kept: set[str] = set()  # seed foods of the old release that become the user's own
        self.food_of: dict[str, str] = {}  # alias key -> the food it must name
        self.changes: set[SeedChange] = {
            SeedChange(ChangeKind.FOOD_KEPT, name) for name in own if search_key(name) in SEED_NOW
        }
        for key, alias in aliases.items():
            self.food_of[key] = self._place(alias)
        for key, alias in aliases.items():
            seed_food = SEED_NOW.get(key)
            if seed_food is not None and key not in held and seed_food != self.food_of[key]:
                self.changes.add(
                    SeedChange(ChangeKind.ALIAS_SHADOWED, self.food_of[key], alias["alias"], seed_food)
                )

    def _place(self, alias: Record) -> str:
        food, key = alias["food"], alias["food_key"]
        if alias["food_is_custom"] or key in SEED_NOW:
            return food if alias["food_is_custom"] else SEED_NOW[key]
        rule = RENAMED.get(key, {"new": "", "reason": None})
        new, why = rule["new"], rule["reason"]
        if new and search_key(new) not in self.own_keys:
            self.changes.add(SeedChange(ChangeKind.ALIAS_MOVED, food, alias["alias"], new, why))
            return new
        self.kept.add(food)  # removed, unknown, or renamed to the name of one of the user's foods
        self.changes.add(SeedChange(ChangeKind.ALIAS_KEPT, food, alias["alias"], new or None, why))
        return food


# --- the fixtures, on SQLite and copied row for row into PostgreSQL --------------------------------


@pytest.fixture(params=FIXTURES, ids=release_of)
def release(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """The release's database, unpacked (a copy: the committed file is never written)."""
    return unpack(request.param, tmp_path)


def _copy_into_postgres(source: Path, url: str) -> None:
    """The release's rows in a PostgreSQL database at the release's schema revision (its
    migrations are the current ones up to that revision)."""
    old = create_engine(f"sqlite:///{source}")
    with old.connect() as connection:
        revision = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        rows = {
            table: [dict(r._mapping) for r in connection.execute(text(f"SELECT * FROM {table}"))]
            for table in TABLES
        }
    old.dispose()
    engine = make_engine(url)
    upgrade(engine, str(revision))
    schema = MetaData()
    schema.reflect(engine, only=TABLES)
    with engine.begin() as connection:
        for name in TABLES:
            table = schema.tables[name]
            flags = [c.name for c in table.columns if isinstance(c.type, Boolean)]
            values = [{**row, **{f: bool(row[f]) for f in flags}} for row in rows[name]]
            if values:
                connection.execute(table.insert(), values)
            if "id" in table.columns:
                connection.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), (SELECT max(id) FROM {name}))"
                    )
                )
    engine.dispose()


@pytest.fixture
def upgraded_url(
    release: Path, backend: str, tmp_path: Path, request: pytest.FixtureRequest
) -> Iterator[str]:
    """A copy of the release's database to upgrade, on the test's backend."""
    if backend == "sqlite":
        copy = tmp_path / "upgraded.sqlite"
        shutil.copy(release, copy)
        yield f"sqlite:///{copy}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create_database()
    _copy_into_postgres(release, url)
    yield url
    server.drop_database(url)


def _read(url: str, work: Any) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return work(connection)
    finally:
        engine.dispose()


# --- the tests -----------------------------------------------------------------------------------


def test_every_release_has_its_fixture() -> None:
    assert [release_of(path) for path in FIXTURES] == list(RELEASES)


def test_no_seed_food_of_an_earlier_release_is_unaccounted_for() -> None:
    # Each old seed name is a food now or has a row in data/renamed.csv saying where it went (the
    # build refuses the same, tools/build_data.py).
    assert unmapped_release_names(SEED_NOW, RENAMED) == []


def test_an_upgrade_keeps_every_food_and_alias_you_made(release: Path, upgraded_url: str) -> None:
    before_url = f"sqlite:///{release}"
    own = _read(before_url, lambda c: foods_with_all(c, "f.is_custom"))
    aliases = _read(before_url, user_aliases)
    held = set(_read(before_url, lambda c: c.execute(text("SELECT search_key FROM foods")).scalars().all()))
    expected = Expected(own, aliases, held)
    old_seed = _read(before_url, lambda c: foods_with_all(c, "NOT f.is_custom"))
    assert own and aliases  # the fixture has what a user makes

    with K2Database(upgraded_url) as db:
        report = db.upgraded
        recorded = db.last_seed_changes()
    changes = report.changes if report is not None else []
    assert set(changes) == expected.changes
    assert len(changes) == len(expected.changes)
    assert recorded == changes  # kept, for `db upgrade` to list again

    own_after = _read(upgraded_url, lambda c: foods_with_all(c, "f.is_custom"))
    for name, food in own.items():
        same_fields(food, own_after[name])  # every own food, field by field, with its parts
    for name in expected.kept:  # a seed food that left the seed, kept as the user's own with its figures
        users = [alias for alias in old_seed[name]["aliases"] if alias["is_custom"]]
        same_fields({**old_seed[name], "is_custom": True, "aliases": users}, own_after[name])
    after = _read(upgraded_url, user_aliases)
    assert set(after) == set(aliases)
    for key, alias in aliases.items():
        now = after[key]
        assert (now["alias"], now["lang"], now["is_custom"]) == (alias["alias"], alias["lang"], True)
        assert now["food"] == expected.food_of[key], alias["alias"]


def test_the_first_release_s_aliases_on_renamed_foods_are_where_the_user_expects(tmp_path: Path) -> None:
    (fixture,) = [path for path in FIXTURES if release_of(path) == "19a26ad"]
    url = f"sqlite:///{unpack(fixture, tmp_path)}"
    with K2Database(url) as db:
        assert db.upgraded is not None
        changes = set(db.upgraded.changes)
        assert db.show("lamb liver mine").name == "sheep liver, raw"
        assert db.show("我的羊肝").name == "sheep liver, raw"
        assert db.show("my foie gras").name == "goose liver pâté (foie gras)"
        kept = db.show("kampung wing")
        assert (kept.name, kept.is_custom) == ("country chicken wing, with skin", True)
        assert db.show("goat cheese").name == "goat cheese"  # the new seed food's name wins
    assert {
        SeedChange(
            ChangeKind.ALIAS_MOVED,
            "sheep liver",
            "lamb liver mine",
            "sheep liver, raw",
            reason("sheep liver"),
        ),
        SeedChange(
            ChangeKind.ALIAS_KEPT,
            "country chicken wing, with skin",
            "kampung wing",
            "indian country chicken wing, with skin",
            reason("country chicken wing, with skin"),
        ),
        SeedChange(ChangeKind.ALIAS_SHADOWED, "boursin", "goat cheese", "goat cheese"),
        SeedChange(ChangeKind.FOOD_KEPT, "kombucha"),
    } <= changes


def test_the_command_that_upgrades_says_what_moved_on_stderr_and_db_upgrade_again(
    runner: CliRunner, tmp_path: Path
) -> None:
    (fixture,) = [path for path in FIXTURES if release_of(path) == "19a26ad"]
    url = f"sqlite:///{unpack(fixture, tmp_path)}"
    moved = "alias 'lamb liver mine' moved from 'sheep liver' to 'sheep liver, raw' (renamed in the seed)"
    result = runner.invoke(app, ["search", "lamb liver mine", "--format", "json", "--db", url])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["foods"][0]["name"] == "sheep liver, raw"  # stdout: JSON only
    assert moved in result.stderr
    assert "`d3k2db db upgrade` lists these changes again" in result.stderr

    again = runner.invoke(app, ["search", "natto", "--db", url])
    assert again.exit_code == 0 and again.stderr == ""  # told once

    listed = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert listed.exit_code == 0, listed.stderr
    assert moved in listed.stdout
    chinese = runner.invoke(app, ["db", "upgrade", "--lang", "zh-Hant", "--db", url])
    assert chinese.exit_code == 0, chinese.stderr
    assert "'lamb liver mine'" in chinese.stdout and moved not in chinese.stdout

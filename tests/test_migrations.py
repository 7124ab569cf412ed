"""Upgrades from every earlier schema revision keep every row; downgrade then upgrade round-trips."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from d3k2db import K2Database
from d3k2db.cli import app
from d3k2db.storage.engine import HEAD_REVISION, KNOWN_REVISIONS, make_engine, schema_state
from d3k2db.storage.migrate import downgrade, upgrade
from tests import published
from tests.dbdump import dump

CUSTOM_FOODS = [
    # name, search key, K2 µg/100 g
    ("my farm gouda", "my farm gouda", 71.5),
    ("grandma's sauerkraut", "grandma s sauerkraut", 12.0),
    ("natto, homemade", "natto homemade", 1100.0),
]


def fill_with_custom_foods(url: str) -> None:
    """Write custom foods with plain SQL, as a user of that older revision would have them."""
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO sources (citation, url) VALUES ('my own label', NULL)"))
        source_id = connection.execute(
            text("SELECT id FROM sources WHERE citation = 'my own label'")
        ).scalar()
        for name, key, k2 in CUSTOM_FOODS:
            connection.execute(
                text(
                    "INSERT INTO foods (name, search_key, category, tag, k2_total, serving_g,"
                    " serving_label, source_id, is_custom, mk7) VALUES (:name, :key, 'custom', 'MK-7',"
                    " :k2, 30, '30 g', :source, :custom, :k2)"
                ),
                {"name": name, "key": key, "k2": k2, "source": source_id, "custom": True},
            )
            food_id = connection.execute(text("SELECT id FROM foods WHERE name = :n"), {"n": name}).scalar()
            connection.execute(
                text(
                    "INSERT INTO aliases (food_id, alias, search_key, lang, is_custom)"
                    " VALUES (:food, :alias, :key, 'en', :custom)"
                ),
                {"food": food_id, "alias": f"{name} alias", "key": f"{key} alia", "custom": True},
            )
    engine.dispose()


@pytest.mark.parametrize("start", KNOWN_REVISIONS[:-1])
def test_every_earlier_revision_upgrades_with_every_row_kept(empty_db_url: str, start: str) -> None:
    engine = make_engine(empty_db_url)
    upgrade(engine, start)
    assert schema_state(engine).revision == start
    fill_with_custom_foods(empty_db_url)
    before = [row for row in dump(empty_db_url) if row[0] != "alembic_version"]
    upgrade(engine, "head")
    assert schema_state(engine).revision == HEAD_REVISION
    after = dump(empty_db_url)
    for row in before:  # every row kept; later revisions only add columns at the end
        assert any(kept[: len(row)] == row for kept in after), row
    # and the upgraded database is usable: the custom foods are found, by name and by typo
    with K2Database(empty_db_url) as db:
        assert db.search("my farm gouda")[0].name == "my farm gouda"
        assert db.search("homemade natto")[0].name == "natto, homemade"
        assert db.show("grandmas sauerkraut").name == "grandma's sauerkraut"
    engine.dispose()


@pytest.mark.parametrize("target", KNOWN_REVISIONS[:-1])
def test_downgrade_then_upgrade_round_trips(db_url: str, target: str) -> None:
    engine = make_engine(db_url)
    downgrade(engine, target)
    assert schema_state(engine).revision == target
    before = dump(db_url)
    upgrade(engine, "head")
    after = dump(db_url)
    # the typo index is rebuilt on demand, so its watermark may differ; revision 0003 forgets the
    # seed's fingerprint, so that the next run reloads the seed and fills the evidence columns
    skip = {("meta", "search_words_upto"), ("meta", "seed_sha256")}
    strip = lambda rows: [r for r in rows if (r[0], r[1]) not in skip and r[0] != "alembic_version"]  # noqa: E731
    assert [row[: len(old)] for row, old in zip(strip(after), strip(before), strict=True)] == strip(before)
    with K2Database(db_url) as db:  # the seed is reloaded: the evidence is back
        assert db.show("cheddar").main_form == published.food("cheddar")["main_form"] != ""
    engine.dispose()


def test_db_upgrade_command_reports_the_revision(runner: CliRunner, empty_db_url: str) -> None:
    engine = make_engine(empty_db_url)
    upgrade(engine, KNOWN_REVISIONS[0])
    result = runner.invoke(app, ["db", "upgrade", "--db", empty_db_url])
    assert result.exit_code == 0, result.stderr
    assert f"revision {HEAD_REVISION} (was {KNOWN_REVISIONS[0]})" in result.stdout

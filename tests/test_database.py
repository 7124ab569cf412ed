"""Where the database lives, first use, schema revisions, and databases that must be refused."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from d3k2db import K2Database, __version__
from d3k2db.cli import app
from d3k2db.resources import data_dir
from d3k2db.storage.engine import HEAD_REVISION, KNOWN_REVISIONS, make_engine, schema_state, seed_fingerprint
from tests.dbdump import dump


def test_first_use_creates_migrates_and_seeds_the_default_sqlite_file(
    runner: CliRunner, isolated_home: Path
) -> None:
    expected = isolated_home / ".local" / "share" / "d3k2db" / "d3k2db.sqlite"
    assert not expected.exists()
    result = runner.invoke(app, ["search", "natto", "--format", "json"])
    assert result.exit_code == 0, result.stderr
    assert expected.is_file()
    state = schema_state(make_engine(f"sqlite:///{expected}"))
    assert state.revision == HEAD_REVISION
    assert state.seed == seed_fingerprint(data_dir())


def test_env_url_is_used_and_db_option_wins_over_it(runner: CliRunner, tmp_path: Path, monkeypatch) -> None:
    from_env, from_option = tmp_path / "env.sqlite", tmp_path / "option.sqlite"
    monkeypatch.setenv("D3K2DB_URL", f"sqlite:///{from_env}")
    assert runner.invoke(app, ["search", "natto"]).exit_code == 0
    assert from_env.exists() and not from_option.exists()
    assert runner.invoke(app, ["search", "natto", "--db", f"sqlite:///{from_option}"]).exit_code == 0
    assert from_option.exists()


def test_known_revisions_match_the_migration_scripts() -> None:
    from d3k2db.storage.migrate import script_head, script_revisions

    assert tuple(script_revisions()) == KNOWN_REVISIONS
    assert script_head() == HEAD_REVISION


def test_tables_and_migrations_do_not_drift(tmp_path: Path) -> None:
    from alembic import command

    from d3k2db.storage.migrate import alembic_config

    engine = make_engine(f"sqlite:///{tmp_path / 'check.sqlite'}")
    from d3k2db.storage.engine import upgrade_schema

    upgrade_schema(engine)
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.check(config)  # raises if autogenerate would produce a new migration


def test_db_upgrade_and_db_seed_commands(runner: CliRunner, tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'explicit.sqlite'}"
    result = runner.invoke(app, ["db", "upgrade", "--db", url])
    assert result.exit_code == 0, result.stderr
    assert f"revision {HEAD_REVISION}" in result.stdout
    assert "seed loaded" in result.stdout
    # the seed is brought up to date too
    assert schema_state(make_engine(url)).seed == seed_fingerprint(data_dir())
    result = runner.invoke(app, ["db", "seed", "--db", url])
    assert result.exit_code == 0, result.stderr
    assert "foods" in result.stdout
    assert schema_state(make_engine(url)).seed == seed_fingerprint(data_dir())


@pytest.mark.parametrize("written_by", ["9.1.0", None])
def test_a_database_from_a_newer_version_is_refused_untouched(
    runner: CliRunner, db_url: str, written_by: str | None
) -> None:
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
        connection.execute(text("DELETE FROM meta WHERE key = 'written_by'"))
        if written_by:
            connection.execute(
                text("INSERT INTO meta (key, value) VALUES ('written_by', :v)"), {"v": written_by}
            )
    engine.dispose()
    before = dump(db_url)
    result = runner.invoke(app, ["search", "natto"])
    assert result.exit_code == 1
    assert "not modified" in result.stderr
    if written_by:
        assert f"written by d3k2db 9.1.0 (schema revision ffff_future) and this is d3k2db {__version__}" in (
            result.stderr
        )
        assert "upgrade d3k2db to 9.1.0 or later" in result.stderr
    else:
        assert f"newer than this one ({__version__}; schema revision ffff_future)" in result.stderr
    assert dump(db_url) == before


def test_every_run_that_brings_a_database_up_to_date_records_its_version(empty_db_url: str) -> None:
    assert schema_state(make_engine(empty_db_url)).written_by is None
    K2Database(empty_db_url).engine.dispose()  # the first use migrates and seeds
    assert schema_state(make_engine(empty_db_url)).written_by == __version__


def test_a_corrupt_file_gives_one_clear_line(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_bytes(b"this is not a database" * 100)
    result = runner.invoke(app, ["search", "natto", "--db", f"sqlite:///{path}"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "not a SQLite database" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_foreign_database_is_not_taken_over(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.execute(text("CREATE TABLE invoices (id INTEGER PRIMARY KEY)"))
    result = runner.invoke(app, ["search", "--db", f"sqlite:///{path}"])
    assert result.exit_code == 1
    assert "not a d3k2db database" in result.stderr


@pytest.mark.parametrize("url", ["not a url at all", "nosuchdialect://x/y"])
def test_bad_urls_give_one_line(runner: CliRunner, url: str) -> None:
    result = runner.invoke(app, ["search", "--db", url])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_library_api_round_trip(db_url: str) -> None:
    with K2Database(db_url) as db:
        assert db.search("natto")[0].name == "natto"
        assert db.show("natto").measurements
        assert db.sources()


def test_a_lookup_does_not_import_pandas_or_alembic(db_url: str) -> None:
    code = (
        "import sys, json\n"
        "from d3k2db.cli import app\n"
        "from typer.testing import CliRunner\n"
        "r = CliRunner().invoke(app, ['search', 'natto'])\n"
        "assert r.exit_code == 0, r.stderr\n"
        "print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'pandas', 'alembic', 'rich'})))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == []


def test_the_library_search_returns_an_empty_list_and_explains_it(db_url: str) -> None:
    """Lookups return empty results rather than raising; the reason is one call away."""
    with K2Database(db_url) as db:
        assert db.search("qqqzzzxxx") == []
        assert db.explain_no_match("qqqzzzxxx").startswith("no food matches 'qqqzzzxxx'")
        assert db.search("ghee") == []  # no look-alike ('heel muscle') for a food without a figure
        assert db.explain_no_match("ghee").startswith("no published K2 figure for ghee")


def test_the_library_speaks_of_arguments_not_command_line_flags(db_url: str) -> None:
    from d3k2db.errors import UsageError

    with K2Database(db_url) as db:
        for call in (
            lambda: db.search("egg", limit=0),
            lambda: db.pair(0),
            lambda: db.meal(["egg"], d3_iu=-1),
        ):
            with pytest.raises(UsageError) as error:
                call()
            assert "--" not in str(error.value), str(error.value)


def test_the_package_is_typed_and_exports_its_api() -> None:
    import d3k2db

    assert (Path(d3k2db.__file__).parent / "py.typed").exists()
    assert {"K2Database", "D3k2dbError", "FoodNotFound", "MealError"} <= set(d3k2db.__all__)

"""Every test runs against its own database and never touches the user's data folder.

Tests that take the ``db_url`` fixture run twice: on a SQLite file and on a real PostgreSQL
server that the suite starts itself (tests/pg.py). Without PostgreSQL binaries on the machine the
PostgreSQL half is skipped with that reason; .ci/run installs them so CI always runs both.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2db.exchange.seed import load_seed
from d3k2db.storage.engine import make_engine, upgrade_schema
from tests.pg import PostgresServer, find_bin_dir

REPO = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated and seeded SQLite file, copied for each test that needs a database."""
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    load_seed(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A throw-away PostgreSQL cluster for the whole session."""
    if os.environ.get("D3K2DB_TEST_POSTGRES", "1") == "0":
        pytest.skip("PostgreSQL tests turned off with D3K2DB_TEST_POSTGRES=0")
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine; .ci/run installs them")
    server = PostgresServer(bin_dir)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def postgres_template(postgres: PostgresServer) -> str:
    """A migrated and seeded PostgreSQL database, used as CREATE DATABASE … TEMPLATE."""
    url = postgres.create_database()
    engine = make_engine(url)
    upgrade_schema(engine)
    load_seed(engine)
    engine.dispose()
    return url.rsplit("/", 1)[1]


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data folder and D3K2DB_URL away from the real user's files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("D3K2DB_URL", raising=False)
    return home


@pytest.fixture(autouse=True)
def english(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tests speak English unless they choose otherwise, whatever the machine's locale; a test that
    switches language (through the CLI or set_language) does not leak it into the next one."""
    from d3k2db import i18n

    for name in ("D3K2DB_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(name, raising=False)
    i18n.set_language("en")
    yield
    i18n.set_language("en")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def db_url(
    backend: str, tmp_path: Path, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """A seeded database of the test's own (SQLite file or PostgreSQL database), also D3K2DB_URL;
    a PostgreSQL one is dropped after the test."""
    if backend == "sqlite":
        path = tmp_path / "k2.sqlite"
        shutil.copy(request.getfixturevalue("seeded_template"), path)
        url = f"sqlite:///{path}"
        monkeypatch.setenv("D3K2DB_URL", url)
        yield url
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create_database(template=request.getfixturevalue("postgres_template"))
    monkeypatch.setenv("D3K2DB_URL", url)
    yield url
    server.drop_database(url)


@pytest.fixture
def empty_db_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    """A database with nothing in it yet, on the test's backend (a PostgreSQL one is dropped after)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    server: PostgresServer = request.getfixturevalue("postgres")
    url = server.create_database()
    yield url
    server.drop_database(url)


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of data/ that a test may break on purpose."""
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder)
    yield folder


SLOW_MODULES = ("test_concurrency", "test_wheel", "test_error_edges")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests: whole-process and concurrency modules, and every hypothesis test."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1] if item.module else ""
        if module in SLOW_MODULES or getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)

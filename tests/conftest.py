"""Every test runs against its own database and never touches the user's data folder.

Tests that take the ``db_url`` fixture run twice: on a SQLite file and on a real PostgreSQL
server that the suite starts itself (tests/pg.py). Without PostgreSQL binaries on the machine the
PostgreSQL half is skipped with that reason; .ci/run installs them so CI always runs both.

The suite runs on pytest-xdist workers (``-n`` in pyproject's addopts; ``-n 0`` runs it in one
process). What is costly and only read is made once per run and shared by the workers through
files in one folder (``shared``): the seeded SQLite template, the PostgreSQL cluster and its
template database. Everything a test writes stays its own (tmp_path, a database of its own).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from filelock import FileLock
from typer.testing import CliRunner

from d3k2db.exchange.seed import load_seed
from d3k2db.storage.engine import make_engine, upgrade_schema
from tests.pg import PostgresServer, find_bin_dir

REPO = Path(__file__).resolve().parent.parent
BACKENDS = ("sqlite", "postgresql")
SHARED_KEY = "d3k2db_shared"  # the shared folder's path, handed by the xdist controller to each worker
_shared_folder = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """The process that runs the session (xdist's controller, or the only process) makes the
    shared folder; a worker is handed its path."""
    workerinput: dict[str, Any] | None = getattr(config, "workerinput", None)
    if workerinput is not None:
        config.stash[_shared_folder] = Path(workerinput[SHARED_KEY])
    else:
        config.stash[_shared_folder] = Path(tempfile.mkdtemp(prefix="d3k2db-tests-"))


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: Any) -> None:  # xdist's hook, in the controller, once per worker
    node.workerinput[SHARED_KEY] = str(node.config.stash[_shared_folder])


def pytest_unconfigure(config: pytest.Config) -> None:
    """After the last worker: stop the shared PostgreSQL cluster, if one was started, and remove
    the shared folder."""
    if hasattr(config, "workerinput") or _shared_folder not in config.stash:
        return
    folder = config.stash[_shared_folder]
    record = folder / "postgres.json"
    if record.exists():
        PostgresServer.attach(json.loads(record.read_text(encoding="utf-8"))).stop()
    shutil.rmtree(folder, ignore_errors=True)


def made_once(config: pytest.Config, name: str, make: Callable[[Path], Any]) -> Any:
    """``make(shared folder)`` run by the first worker to ask, under a file lock; every worker
    gets the JSON value it returned."""
    folder = config.stash[_shared_folder]
    record = folder / f"{name}.json"
    with FileLock(str(folder / f"{name}.lock")):
        if not record.exists():
            value = make(folder)
            record.write_text(json.dumps(value), encoding="utf-8")
        return json.loads(record.read_text(encoding="utf-8"))


def _seed(url: str) -> None:
    engine = make_engine(url)
    upgrade_schema(engine)
    load_seed(engine)
    engine.dispose()


def _make_seeded_template(folder: Path) -> str:
    path = folder / "seeded.sqlite"
    _seed(f"sqlite:///{path}")
    return str(path)


@pytest.fixture(scope="session")
def seeded_template(pytestconfig: pytest.Config) -> Path:
    """One migrated and seeded SQLite file for the run, copied for each test that needs a
    database (never written to)."""
    return Path(made_once(pytestconfig, "seeded_template", _make_seeded_template))


def _start_postgres(folder: Path) -> dict[str, str | int]:
    bin_dir = find_bin_dir()
    assert bin_dir is not None
    server = PostgresServer(bin_dir)
    server.start()
    return server.record()


@pytest.fixture(scope="session")
def postgres(pytestconfig: pytest.Config) -> PostgresServer:
    """A throw-away PostgreSQL cluster for the whole run, shared by the xdist workers (stopped in
    pytest_unconfigure)."""
    if os.environ.get("D3K2DB_TEST_POSTGRES", "1") == "0":
        pytest.skip("PostgreSQL tests turned off with D3K2DB_TEST_POSTGRES=0")
    if find_bin_dir() is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) on this machine; .ci/run installs them")
    return PostgresServer.attach(made_once(pytestconfig, "postgres", _start_postgres))


@pytest.fixture(scope="session")
def postgres_template(pytestconfig: pytest.Config, postgres: PostgresServer) -> str:
    """A migrated and seeded PostgreSQL database, used as CREATE DATABASE … TEMPLATE."""

    def make(_folder: Path) -> str:
        url = postgres.create_database()
        _seed(url)
        return url.rsplit("/", 1)[1]

    return str(made_once(pytestconfig, "postgres_template", make))


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
# Tests that share a costly fixture run on one xdist worker (--dist loadgroup), which makes it once:
# the browser tests their `d3k2db serve` servers, test_wheel its wheel.
XDIST_GROUPS = {"tests.browser": "browser", "tests.test_wheel": "wheel"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark the slow tests: whole-process and concurrency modules, and every hypothesis test; put
    the tests that share a costly fixture in one xdist group."""
    for item in items:
        name = item.module.__name__ if item.module else ""
        module = name.rsplit(".", 1)[-1]
        if module in SLOW_MODULES or getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(pytest.mark.slow)
        group = next((g for prefix, g in XDIST_GROUPS.items() if name.startswith(prefix)), None)
        if group is not None:
            item.add_marker(pytest.mark.xdist_group(group))

"""Every test runs against its own database file and never touches the user's data folder."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2db.database import make_engine, upgrade_schema
from d3k2db.seed import load_seed

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated and seeded SQLite file, copied for each test that needs a database."""
    path = tmp_path_factory.mktemp("template") / "seeded.sqlite"
    engine = make_engine(f"sqlite:///{path}")
    upgrade_schema(engine)
    load_seed(engine)
    engine.dispose()
    return path


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the user data folder and D3K2DB_URL away from the real user's files."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.delenv("D3K2DB_URL", raising=False)
    return home


@pytest.fixture
def db_url(tmp_path: Path, seeded_template: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A seeded database of the test's own, also set as D3K2DB_URL."""
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("D3K2DB_URL", url)
    return url


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def seed_copy(tmp_path: Path) -> Iterator[Path]:
    """A writable copy of data/ that a test may break on purpose."""
    folder = tmp_path / "data"
    shutil.copytree(REPO / "data", folder)
    yield folder

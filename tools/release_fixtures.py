#!/usr/bin/env python3
"""Rebuild tests/fixtures/releases/: one database file written by each earlier release of d3k2db.

    python tools/release_fixtures.py            # every release below
    python tools/release_fixtures.py 19a26ad    # only this one

Each release runs its own code: the release commit's tree is taken with ``git archive`` into a
temporary folder and ``python -m d3k2db`` runs from it (PYTHONPATH points there, so neither this
checkout's package nor its data is used). The commands below give the database what a user makes:
their own foods (``add``), their own aliases on seed foods (among them foods a later seed renames)
and on their own foods, and an ``import`` of tests/fixtures/releases/import.csv. The file is then
vacuumed, set to the rollback journal (one file, no -wal) and compressed with xz (a third smaller
than gzip) to tests/fixtures/releases/<commit>.sqlite.xz. tests/test_upgrade_releases.py upgrades a
copy of each with the current code and compares what the user made, field by field.

A new release adds its commit here (and its own commands where names differ), then runs this once.
"""

from __future__ import annotations

import lzma
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures" / "releases"
IMPORT_CSV = FIXTURES / "import.csv"

# Own foods, one with every figure, a source, a URL and a counted serving label.
_OWN_FOODS = [
    ["add", "my kefir", "--mk7", "3", "--k1", "0.4", "--serving-g", "250", "--serving-label", "1 cup",
     "--alias", "kefir maison", "--source", "my lab notebook", "--url", "https://example.org/kefir"],
    ["add", "grass-fed butter", "--mk4", "21", "--k1", "7", "--vitamin-d3", "1.2", "--category", "dairy",
     "--tag", "MK-4", "--serving-g", "14", "--serving-label", "1 tbsp"],
    ["alias", "add", "my kefir", "kefir de casa"],
    ["alias", "add", "natto", "sticky beans"],
]  # fmt: skip

RELEASES: dict[str, list[list[str]]] = {
    # The first release: 368 seed foods. Its names that today's seed renamed carry user aliases.
    "19a26ad": [
        *_OWN_FOODS,
        ["alias", "add", "sheep liver", "lamb liver mine"],
        ["alias", "add", "sheep liver", "我的羊肝", "--lang", "zh-Hant"],
        ["alias", "add", "goose liver, raw", "my foie gras"],
        ["alias", "add", "weave cheese", "orgu"],
        ["alias", "add", "metworst", "grandpa's sausage"],
        # A later seed has a food of this name: the user's alias is kept, and the clash reported.
        ["alias", "add", "boursin", "goat cheese"],
        # The user's own food takes the name a later seed gives to 'country chicken wing, with skin'
        # and the name of a later seed food (kombucha).
        ["add", "indian country chicken wing, with skin", "--mk4", "10", "--category", "poultry"],
        ["alias", "add", "country chicken wing, with skin", "kampung wing"],
        ["add", "kombucha", "--total", "0.5", "--category", "beverage"],
        ["import", str(IMPORT_CSV)],
    ],
    # The second release (web page, Chinese): 378 seed foods, six of them renamed by the third.
    "aeaf13c": [
        *_OWN_FOODS,
        ["alias", "add", "sheep liver, mutton, raw", "lamb liver mine"],
        ["alias", "add", "sheep liver, mutton, raw", "我的羊肝", "--alias-lang", "zh-Hant"],
        ["alias", "add", "goose liver, raw", "my foie gras"],
        ["alias", "add", "weave cheese", "orgu"],
        ["alias", "add", "metworst", "grandpa's sausage"],
        ["alias", "add", "cara cheese", "my cara"],
        ["alias", "add", "crushing cheese", "my crushing cheese"],
        ["import", str(IMPORT_CSV)],
    ],
    # The third release (every published figure, the everyday meal): 1,501 seed foods.
    "254829d": [
        *_OWN_FOODS,
        ["alias", "add", "sheep liver, raw", "lamb liver mine"],
        ["alias", "add", "sheep liver, raw", "我的羊肝", "--alias-lang", "zh-Hant"],
        ["alias", "add", "goose liver pâté (foie gras)", "my foie gras"],
        ["alias", "add", "braided cheese, turkish", "orgu"],
        ["import", str(IMPORT_CSV)],
    ],
    # The fourth release (plan, reliability round two): schema 0004, the name index kept by triggers.
    "4ea6134": [
        *_OWN_FOODS,
        ["alias", "add", "sheep liver, raw", "lamb liver mine"],
        ["alias", "add", "sheep liver, raw", "我的羊肝", "--alias-lang", "zh-Hant"],
        ["alias", "add", "goose liver pâté (foie gras)", "my foie gras"],
        ["alias", "add", "braided cheese, turkish", "orgu"],
        ["import", str(IMPORT_CSV)],
    ],
}


def fixture_files() -> list[Path]:
    """The committed fixtures, oldest release first (the order of RELEASES)."""
    order = list(RELEASES)
    return sorted(FIXTURES.glob("*.sqlite.xz"), key=lambda path: order.index(release_of(path)))


def release_of(fixture: Path) -> str:
    return fixture.name.split(".", 1)[0]


def unpack(fixture: Path, folder: Path) -> Path:
    """The fixture as a SQLite file in ``folder`` (a copy: the tests and the build write nothing back)."""
    target = folder / f"{release_of(fixture)}.sqlite"
    with lzma.open(fixture, "rb") as packed, target.open("wb") as raw:
        shutil.copyfileobj(packed, raw)
    return target


def seed_names(fixture: Path) -> list[str]:
    """The seed food names of a release, as its database holds them (its own foods left out)."""
    with tempfile.TemporaryDirectory(prefix="d3k2db-release-") as folder:
        connection = sqlite3.connect(unpack(fixture, Path(folder)))
        try:
            return [name for (name,) in connection.execute("SELECT name FROM foods WHERE NOT is_custom")]
        finally:
            connection.close()


def unmapped_release_names(food_keys: Iterable[str], renamed_keys: Iterable[str]) -> list[tuple[str, str]]:
    """(release, name) of every earlier release's seed food whose search key is neither a food's of
    the current seed nor an old name of renamed.csv: an upgrade would not know where its user's
    aliases go. Both tools/build_data.py and tests/test_upgrade_releases.py refuse any."""
    # keyed as the loader keys names; the importer has the repository on sys.path
    from d3k2db.domain.text import search_key

    known = set(food_keys) | set(renamed_keys)
    return [
        (release_of(fixture), name)
        for fixture in fixture_files()
        for name in seed_names(fixture)
        if search_key(name) not in known
    ]


def run(source: Path, database: Path, home: Path, command: list[str]) -> None:
    env = {
        **os.environ,
        "PYTHONPATH": str(source),
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "D3K2DB_LANG": "en",
        "LC_ALL": "C.UTF-8",
    }
    env.pop("D3K2DB_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "d3k2db", *command, "--db", f"sqlite:///{database}"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    print(f"  $ d3k2db {' '.join(command)}\n    {(done.stdout + done.stderr).strip()}")
    if done.returncode != 0:
        raise SystemExit(f"release fixture: the command failed (exit {done.returncode})")


def build(commit: str, commands: list[list[str]], work: Path) -> Path:
    source = work / commit / "src"
    source.mkdir(parents=True)
    archive = subprocess.run(["git", "archive", commit], cwd=REPO, capture_output=True, check=True)
    archive_path = work / commit / "tree.tar"
    archive_path.write_bytes(archive.stdout)
    with tarfile.open(archive_path) as tar:
        tar.extractall(source, filter="data")
    home = work / commit / "home"
    home.mkdir()
    database = work / commit / "d3k2db.sqlite"
    print(f"{commit}:")
    for command in commands:
        run(source, database, home, command)
    connection = sqlite3.connect(database)
    connection.execute("PRAGMA journal_mode=DELETE")
    connection.execute("VACUUM")
    connection.close()
    target = FIXTURES / f"{commit}.sqlite.xz"
    with database.open("rb") as raw, lzma.open(target, "wb", preset=9 | lzma.PRESET_EXTREME) as packed:
        shutil.copyfileobj(raw, packed)
    print(f"  -> {target.relative_to(REPO)} ({target.stat().st_size:,} bytes)")
    return target


def main(argv: list[str]) -> int:
    wanted = argv[1:] or list(RELEASES)
    unknown = [commit for commit in wanted if commit not in RELEASES]
    if unknown:
        print(f"release_fixtures: no commands for {', '.join(unknown)}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="d3k2db-releases-") as folder:
        for commit in wanted:
            build(commit, RELEASES[commit], Path(folder))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

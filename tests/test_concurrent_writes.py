"""Writers that start together all succeed, as if they had run one after another (issue 20, item 5).

Before: of 20 parallel `d3k2db add`s, 6–12 failed with "UNIQUE constraint failed: sources.citation"
on SQLite and 9 with 'duplicate key … "pk_meta"' on PostgreSQL; parallel `alias add`, `remove` and
`import` failed the same way, and 8 of 300 concurrent web POSTs got 503.

Each worker below is a process of its own that runs the `d3k2db` commands (the CLI's Typer app, as
`python -m d3k2db` runs it) one phase after another; before each phase every worker waits for all
the others, so the 20 writes of a phase start at the same moment. One process per worker, not one
per command, keeps the test to a few seconds on a small machine.
"""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError, OperationalError

from d3k2db import K2Database
from d3k2db.database import run_write
from d3k2db.domain.records import FoodSpec
from d3k2db.errors import DatabaseError
from d3k2db.storage import contention, search_index
from d3k2db.storage.engine import make_engine, snapshot
from d3k2db.storage.tables import aliases, foods, measurements, meta, search_words, sources
from d3k2db.storage.upsert import insert_missing, put_meta
from tests.test_web_serve import free_port

WORKERS = 20
SHARED_ROWS = 10  # foods in the one file every worker imports
OWN_ROWS = 5  # foods in each worker's own file

WORKER = r"""
import json, sys, time
from pathlib import Path
from typer.testing import CliRunner
from d3k2db.cli import app

url, folder, me, count = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
phases = json.loads(sys.argv[5])
runner = CliRunner()
answers = []
for phase, args in phases:
    (folder / f"{phase}.{me}").touch()  # ready; then wait for every worker to be ready
    deadline = time.monotonic() + 300
    while len(list(folder.glob(f"{phase}.*"))) < count and time.monotonic() < deadline:
        time.sleep(0.005)
    result = runner.invoke(app, [*args, "--db", url])
    answers.append({"phase": phase, "exit": result.exit_code, "out": result.stdout, "err": result.stderr})
print(json.dumps(answers))
"""


def write_csv(path: Path, names: list[str], source: str) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "category", "tag", "mk7", "serving_g", "source"])
        for number, name in enumerate(names, start=1):
            writer.writerow([name, "raced", "MK-7", f"{number}.5", "30", source])


def run_workers(
    url: str, tmp_path: Path, phases_of: Callable[[int], list[tuple[str, list[str]]]]
) -> list[Any]:
    """Start WORKERS processes, each running its phases; the answers by worker, then by phase."""
    barrier = tmp_path / "barrier"
    barrier.mkdir()
    env = {**os.environ, "D3K2DB_LANG": "en"}
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                WORKER,
                url,
                str(barrier),
                str(me),
                str(WORKERS),
                json.dumps(phases_of(me)),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for me in range(WORKERS)
    ]
    answers = []
    for process in processes:
        out, err = process.communicate(timeout=600)
        assert process.returncode == 0, err
        answers.append(json.loads(out))
    return answers


def by_phase(answers: list[Any], phase: str) -> list[dict[str, Any]]:
    return [answer for worker in answers for answer in worker if answer["phase"] == phase]


def custom_foods(connection: Connection) -> dict[str, tuple[float | None, str]]:
    """Every custom food: name → (MK-7, its source's citation)."""
    rows = connection.execute(
        select(foods.c.name, foods.c.mk7, sources.c.citation)
        .join(sources, sources.c.id == foods.c.source_id)
        .where(foods.c.is_custom.is_(True))
    )
    return {name: (mk7, citation) for name, mk7, citation in rows}


@pytest.mark.slow
def test_twenty_writers_on_a_new_database_all_succeed(empty_db_url: str, tmp_path: Path) -> None:
    """20 first runs on an empty database, each adding a food; then 20 aliases on one food, 20
    imports of one file, 20 imports of 20 files, 20 removes: every command exits 0 and every row
    is there; then 20 adds of one name: one succeeds, 19 say in one line that the name is taken."""
    shared = [f"shared raced food {n}" for n in range(SHARED_ROWS)]
    write_csv(tmp_path / "shared.csv", shared, "raced shared file")
    for me in range(WORKERS):
        own = [f"own raced food {me} {n}" for n in range(OWN_ROWS)]
        write_csv(tmp_path / f"own-{me}.csv", own, "raced own files")  # one new source in 20 files

    def phases(me: int) -> list[tuple[str, list[str]]]:
        return [
            (
                "add",
                [
                    "add",
                    f"racer {me}",
                    "--mk7",
                    f"{me + 1}",
                    "--source",
                    "race notes",
                    "--alias",
                    f"rcr {me}",
                ],
            ),
            ("alias", ["alias", "add", "natto", f"natto nickname {me}"]),
            ("import-same", ["import", str(tmp_path / "shared.csv")]),
            ("import-own", ["import", str(tmp_path / f"own-{me}.csv")]),
            ("remove", ["remove", f"racer {me}"]),
            ("same-name", ["add", "one name for all", "--mk7", "3", "--source", "race notes"]),
        ]

    answers = run_workers(empty_db_url, tmp_path, phases)

    for phase in ("add", "alias", "import-same", "import-own", "remove"):
        failed = [a for a in by_phase(answers, phase) if a["exit"] != 0 or a["err"]]
        assert failed == [], (phase, failed[:3])
    assert sorted(a["out"] for a in by_phase(answers, "add")) == sorted(
        f"added 'racer {me}' (custom)\n" for me in range(WORKERS)
    )
    imported = [a["out"].splitlines()[0] for a in by_phase(answers, "import-same")]
    assert imported.count(f"added {SHARED_ROWS}, updated 0, unchanged 0") == 1  # the others found them
    assert all(  # the others found every food already there: a second import of a file changes nothing
        line == f"nothing to change: all {SHARED_ROWS} foods are already as in the file"
        for line in imported
        if not line.startswith(f"added {SHARED_ROWS}")
    )

    same = by_phase(answers, "same-name")
    assert sorted(a["exit"] for a in same) == [0] + [1] * (WORKERS - 1)
    for answer in same:
        if answer["exit"] == 1:
            assert answer["out"] == ""
            assert answer["err"] == (
                "error: 'one name for all' is taken: it is the name of the food 'one name for all'"
                " — choose another name\n"
            )

    engine = make_engine(empty_db_url)
    try:
        with snapshot(engine) as connection:
            stored = custom_foods(connection)
            nicknames = set(
                connection.execute(
                    select(aliases.c.alias).join(foods).where(foods.c.name == "natto", aliases.c.is_custom)
                ).scalars()
            )
            citations = list(connection.execute(select(sources.c.citation)).scalars())
            left = list(
                connection.execute(select(aliases.c.alias).where(aliases.c.alias.like("rcr %"))).scalars()
            )
            indexed = set(
                connection.execute(
                    select(search_words.c.word).where(search_words.c.variant == search_words.c.word)
                ).scalars()
            )
            behind = search_index.unindexed_words(connection)
    finally:
        engine.dispose()
    expected = {name: (number + 1.5, "raced shared file") for number, name in enumerate(shared)}
    for me in range(WORKERS):
        expected |= {f"own raced food {me} {n}": (n + 1.5, "raced own files") for n in range(OWN_ROWS)}
    expected["one name for all"] = (3.0, "race notes")
    assert stored == expected  # the racers are gone, everything imported is there once, exactly
    assert nicknames == {f"natto nickname {me}" for me in range(WORKERS)}
    assert left == []  # the racers' aliases went with them
    assert len(citations) == len(set(citations))
    assert {"raced shared file", "raced own files", "race notes"} <= set(citations)
    assert {"nickname", "raced", "shared"} <= indexed and behind == set()  # the typo index kept up


@pytest.mark.slow
def test_many_concurrent_posts_to_the_web_api_all_succeed(db_url: str) -> None:
    """100 POST /api/foods at once (32 at a time) naming one new source: all 201, all stored."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [sys.executable, "-m", "d3k2db", "serve", "--allow-edits", "--port", str(port), "--db", db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    def post(number: int) -> tuple[int, str]:
        body = json.dumps({"name": f"posted food {number}", "mk7": number + 0.25, "source": "posted notes"})
        request = urllib.request.Request(
            f"{base}/api/foods",
            data=body.encode(),
            method="POST",
            headers={"Content-Type": "application/json", "Origin": base},
        )
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return int(response.status), ""
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    try:
        deadline = time.monotonic() + 120  # a start-up, not a figure: on a busy machine it can be slow
        while True:  # wait for the server
            try:
                urllib.request.urlopen(f"{base}/api/sources", timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):  # not up, or slow at first
                assert server.poll() is None and time.monotonic() < deadline, "the server did not start"
                time.sleep(0.1)
        with ThreadPoolExecutor(32) as pool:
            answers = list(pool.map(post, range(100)))
    finally:
        server.terminate()
        server.communicate(timeout=30)
    assert [a for a in answers if a[0] != 201] == []
    with K2Database(db_url) as db, snapshot(db.engine) as connection:
        stored = custom_foods(connection)
    assert {name: value for name, value in stored.items() if name.startswith("posted food")} == {
        f"posted food {n}": (n + 0.25, "posted notes") for n in range(100)
    }


# --- the pieces, one by one -----------------------------------------------------------------------


def _locked() -> OperationalError:
    return OperationalError("INSERT …", {}, sqlite3.OperationalError("database is locked"))


def test_a_transient_failure_runs_the_whole_transaction_again(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[int] = []
    monkeypatch.setattr(contention, "pause", pauses.append)
    calls: list[int] = []

    def work(connection: Connection) -> str:
        calls.append(1)
        put_meta(connection, "attempt", str(len(calls)))
        if len(calls) < 3:
            raise _locked()  # after writing: that attempt's write must be rolled back
        return "done"

    engine = make_engine(db_url)
    try:
        assert run_write(engine, work) == "done"
        with snapshot(engine) as connection:
            assert connection.execute(select(meta.c.value).where(meta.c.key == "attempt")).scalar() == "3"
    finally:
        engine.dispose()
    assert len(calls) == 3 and pauses == [1, 2]


def test_the_retry_is_bounded_and_other_failures_are_not_retried(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(contention, "pause", lambda _attempt: None)
    calls: list[str] = []

    def always_locked(connection: Connection) -> None:
        calls.append("locked")
        raise _locked()

    def broken(connection: Connection) -> None:
        calls.append("broken")
        connection.exec_driver_sql("SELECT * FROM no_such_table")

    engine = make_engine(db_url)
    try:
        with pytest.raises(DatabaseError, match="database is locked"):
            run_write(engine, always_locked)
        assert calls == ["locked"] * contention.ATTEMPTS
        calls.clear()
        with pytest.raises(DatabaseError, match="no_such_table"):
            run_write(engine, broken)
        assert calls == ["broken"]
    finally:
        engine.dispose()


def test_a_unique_key_taken_is_transient_and_a_missing_table_is_not(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            with pytest.raises(DBAPIError) as taken:
                connection.execute(sources.insert(), [{"citation": "twice"}, {"citation": "twice"}])
            connection.rollback()
            with pytest.raises(DBAPIError) as missing:
                connection.exec_driver_sql("SELECT * FROM no_such_table")
    finally:
        engine.dispose()
    assert contention.is_transient(taken.value)
    assert not contention.is_transient(missing.value)


def test_rows_and_values_that_another_writer_made_first_are_kept(db_url: str) -> None:
    """What a racing writer does, in one transaction: index a word twice, set the watermark twice."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as connection:
            rows = [{"variant": v, "word": "zyxwvut"} for v in search_index.variants("zyxwvut")]
            insert_missing(connection, search_words, rows)
            insert_missing(connection, search_words, rows)  # no duplicate-key error
            put_meta(connection, search_index.WATERMARK, "1:1")
            put_meta(connection, search_index.WATERMARK, "2:3")  # no duplicate-key error; the last wins
            stored = connection.execute(
                select(search_words.c.variant).where(search_words.c.word == "zyxwvut")
            ).scalars()
            assert sorted(stored) == sorted(search_index.variants("zyxwvut"))
            watermark = select(meta.c.value).where(meta.c.key == search_index.WATERMARK)
            assert connection.execute(watermark).scalar() == "2:3"
            connection.rollback()
    finally:
        engine.dispose()


def test_a_source_that_exists_is_found_not_created_again(db_url: str) -> None:
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("first of two", mk7=1.0, source="shared notes", url="https://example.org/n"))
        db.add_food(FoodSpec.of("second of two", mk7=2.0, source="shared notes"))
        with snapshot(db.engine) as connection:
            count = connection.execute(
                select(measurements.c.id)
                .join(sources, sources.c.id == measurements.c.source_id)
                .where(sources.c.citation == "shared notes")
            ).all()
            urls = connection.execute(select(sources.c.url).where(sources.c.citation == "shared notes")).all()
    assert len(count) == 2 and urls == [("https://example.org/n",)]

"""The cache of the answers asked for while typing (d3k2db/web/answers.py): /api/search's JSON and
/fragments/search's HTML, whole — the same bytes as without it — and never a stale answer: after a
write through the app (the API's or the page's), and after a write by another process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec
from d3k2db.web.answers import AnswerCache
from tests.web_client import web


def counting_searches(client: Any) -> list[str | None]:
    """Replace the app's library search by one that records each term it is asked."""
    database = client.app.state.db
    real: Callable[..., Any] = database.search
    asked: list[str | None] = []

    def search(term: str | None = None, **options: Any) -> Any:
        asked.append(term)
        return real(term, **options)

    database.search = search
    return asked


def test_a_repeated_search_is_answered_from_the_cache_byte_for_byte(db_url: str) -> None:
    asks = [
        ("/api/search", "NATTO"),
        ("/api/search", "QQqzzx"),
        ("/fragments/search", "natto"),
        ("/fragments/search", "QQqzzx"),
    ]
    with web(db_url) as fresh:
        expected = {ask: fresh.get(ask[0], params={"q": ask[1], "lang": "en"}).content for ask in asks}
    with web(db_url) as client:
        asked = counting_searches(client)
        answers = {}
        for _round in range(2):
            for path, typed in asks:
                for spelling in (typed, f" {typed} "):  # the same question: the term is stripped
                    response = client.get(path, params={"q": spelling, "lang": "en"})
                    assert response.status_code == 200
                    answers[path, typed] = response.content
        natto = client.get("/api/search", params={"q": "natto", "lang": "en"})  # another spelling
    assert answers == expected  # whole answers, as made: "query" and the message quote the term typed
    assert natto.json()["query"] == "natto"
    searched = [typed for _path, typed in asks]
    if db_url.startswith("sqlite"):
        assert asked == [*searched, "natto"]  # each question searched once, its repeats from the cache
    else:  # no check as exact and cheap on PostgreSQL: no cache
        assert asked == [term for _round in range(2) for term in searched for _spelling in range(2)] + [
            "natto"
        ]


def test_a_cli_add_while_the_server_runs_is_seen_by_the_next_search(db_url: str) -> None:
    with web(db_url) as client:
        asked = counting_searches(client)
        for _ in range(2):
            assert client.get("/api/search", params={"q": "zqfarm gouda"}).json()["count"] == 0
        added = subprocess.run(
            [sys.executable, "-m", "d3k2db", "add", "zqfarm gouda", "--total", "70", "--db", db_url],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert added.returncode == 0, added.stderr
        found = client.get("/api/search", params={"q": "zqfarm gouda"}).json()
        assert [food["name"] for food in found["foods"]] == ["zqfarm gouda"]
        removed = subprocess.run(
            [sys.executable, "-m", "d3k2db", "remove", "zqfarm gouda", "--db", db_url],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert removed.returncode == 0, removed.stderr
        assert client.get("/api/search", params={"q": "zqfarm gouda"}).json()["count"] == 0
    cached = db_url.startswith("sqlite")
    assert len(asked) == (3 if cached else 4)  # the second identical search came from the cache


def test_a_write_through_the_app_empties_the_cache(db_url: str) -> None:
    with web(db_url, allow_edits=True) as client:

        def names() -> list[str]:
            return [f["name"] for f in client.get("/api/search", params={"q": "zqhouse"}).json()["foods"]]

        assert names() == []
        response = client.post("/api/foods", json={"name": "zqhouse cheese", "mk7": 12})
        assert response.status_code == 201, response.text
        assert names() == ["zqhouse cheese"]
        assert client.delete("/api/foods/zqhouse cheese").status_code == 200
        assert names() == []
        part = client.get("/fragments/search", params={"q": "zqhouse"}).text  # the page's own writes
        assert "zqhouse" not in part.split('id="no-results"')[0]
        assert client.post("/fragments/foods", json={"name": "zqhouse brie", "mk7": 3}).status_code == 201
        assert names() == ["zqhouse brie"]
        assert "zqhouse brie" in client.get("/fragments/search", params={"q": "zqhouse"}).text
        assert client.delete("/fragments/foods/zqhouse brie").status_code == 200
        assert names() == []
        assert "zqhouse brie" not in client.get("/fragments/search", params={"q": "zqhouse"}).text


def test_the_browsing_list_and_filters_are_separate_answers(db_url: str) -> None:
    with web(db_url) as client:
        everything = client.get("/api/search", params={"limit": 50}).json()
        mk4 = client.get("/api/search", params={"limit": 50, "form": "mk4"}).json()
        assert everything["count"] == 50 and everything["query"] is None
        assert {food["tag"] for food in mk4["foods"]} == {"MK-4"}
        assert client.get("/api/search", params={"q": "cheese", "limit": 3}).json()["count"] == 3
        assert client.get("/api/search", params={"q": "cheese", "limit": 5}).json()["count"] == 5


def test_an_answer_older_than_the_last_emptying_is_not_stored() -> None:
    version = [1]
    cache = AnswerCache(lambda: version[0], size=2)
    generation = cache.check()
    version[0] = 2  # another process commits while the answer is being computed
    assert cache.check() != generation
    cache.put("natto", ("text/html", b"old"), generation)
    assert cache.get("natto") is None
    fresh = cache.check()
    for key in ("a", "b", "c"):
        cache.put(key, ("text/html", key.encode()), fresh)
    assert cache.get("a") is None and cache.get("c") == ("text/html", b"c")  # bounded: the least recent goes


def test_the_version_reader_sees_another_process_commit(tmp_path: Path) -> None:
    import sqlite3

    from d3k2db.web.answers import sqlite_version_reader

    path = f"{tmp_path}/v.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
        connection.execute("CREATE TABLE t (x)")
    read = sqlite_version_reader(path)
    before = read()
    assert read() == before  # nothing committed: the same
    code = f"import sqlite3; c = sqlite3.connect({path!r}); c.execute('INSERT INTO t VALUES (1)'); c.commit()"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
    assert read() != before
    read.close()  # type: ignore[attr-defined]


def test_a_database_file_replaced_while_the_server_runs_is_read_afresh(
    tmp_path: Path, seeded_template: Path
) -> None:
    """A SQLite matter (PostgreSQL has no file and no cache), so it runs on a SQLite file only."""
    path = str(tmp_path / "served.sqlite")
    shutil.copy(seeded_template, path)
    db_url = f"sqlite:///{path}"
    other = tmp_path / "other.sqlite"
    shutil.copy(path, other)
    with K2Database(f"sqlite:///{other}") as db:
        db.add_food(FoodSpec.of("zqcopied cheese", mk7=3))
    with web(db_url) as client:
        assert client.get("/api/search", params={"q": "zqcopied"}).json()["count"] == 0
        os.replace(other, path)  # a backup restored over the file
        for suffix in ("-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        client.app.state.db.engine.dispose()  # the library's own connections hold the old file
        assert client.get("/api/search", params={"q": "zqcopied"}).json()["count"] == 1

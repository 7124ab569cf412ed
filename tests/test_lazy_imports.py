"""A lookup on an up-to-date SQLite file reads it with the stdlib alone (issue 23), and says the same.

``search``, ``show``, ``meal`` and ``pair`` must not import SQLAlchemy (nor pandas, Alembic, the
web stack or SciPy): each runs in a fresh process and lists what it imported. The stdlib path
(storage/quick.py + storage/reads.py) must answer exactly as the SQLAlchemy path does: the same
queries run through both, and every answer's JSON is compared on terms of every kind.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from d3k2db import i18n
from d3k2db.errors import D3k2dbError, FoodNotFound, MealError
from d3k2db.library import K2Database
from d3k2db.resources import data_dir

HEAVY = ("sqlalchemy", "pandas", "alembic", "fastapi", "uvicorn", "starlette", "jinja2", "scipy", "numpy")
LOOKUPS = (
    ["search", "natto"],
    ["search", "gooda"],  # a typo
    ["show", "natto"],
    ["show", "納豆"],
    ["meal", "2 eggs, 1 tbsp butter"],
    ["meal", "2 eggs, 1 tbsp qqqzzz"],  # refused: an unknown food
    ["pair", "--d3", "5000"],
    ["search", "--lang", "zh-Hant", "cheese"],
)

# Terms of every kind: exact, plural, alias, words in any order, substrings, typos (one and two
# edits, two words), Chinese in both scripts, generic words, foods known to have no figure, short
# and odd input, and nothing at all.
TERMS = [
    "natto", "eggs", "EGG", "butter", "gouda", "cheese", "chicken liver", "liver chicken", "goose",
    "sauerkraut", "kefir", "milk", "pizza", "steak", "ghee", "tofu", "salmon", "beef",
    "gooda", "buter", "chese", "mozarela", "smokd salmn", "chiken livr", "nato",
    "納豆", "纳豆", "起司", "奶油吐司", "雞肝", "乳酪", "肝", "吞拿魚",
    "mk", "tr", "a", "x", "qqqzzzxxx", "100% cheese_", "natto beans", "fromage",
]  # fmt: skip
MEALS = [
    "2 eggs, 1 tbsp butter",
    "I had 2 eggs, 1 tbsp butter, 30 g gouda, 100 g natto, sauerkraut 1 cup, 50 g chicken liver, "
    "1 slice cheddar, a glass of milk, 1 egg yolk, 30 g chese",
    "a coffee, 2 slices of pizza",
    "100 g cheese, 1 cup water, 1 apple",
    "2 eggs, 1 tbsp qqqzzz",  # refused: an unknown food
    "1 cup kefir",  # refused: a unit the food has no cited weight for
    "3 lbs natto, 2 parsecs of butter",
    "兩顆蛋，一湯匙奶油",
    "奶油吐司",
]


@pytest.fixture
def sqlite_url(tmp_path: Path, seeded_template: Path) -> str:
    path = tmp_path / "k2.sqlite"
    path.write_bytes(seeded_template.read_bytes())
    return f"sqlite:///{path}"


@pytest.mark.parametrize("args", LOOKUPS, ids=lambda args: " ".join(args))
def test_a_lookup_imports_no_sqlalchemy_nor_anything_heavy(sqlite_url: str, args: list[str]) -> None:
    code = (
        "import json, sys\n"
        "from d3k2db.__main__ import run\n"
        "sys.argv = ['d3k2db', *json.loads(sys.argv[1])]\n"
        "try:\n"
        "    run()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"heavy = sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})\n"
        "print(json.dumps(heavy), file=sys.stderr)\n"
    )
    env = {**os.environ, "D3K2DB_URL": sqlite_url}
    done = subprocess.run(
        [sys.executable, "-c", code, json.dumps(args)], capture_output=True, text=True, env=env, check=True
    )
    assert done.stdout.strip(), done.stderr  # it answered
    assert json.loads(done.stderr.strip().splitlines()[-1]) == []


def test_a_database_that_needs_work_takes_the_sqlalchemy_path(tmp_path: Path) -> None:
    """A new file is created, migrated and seeded as before (the stdlib path only reads)."""
    with K2Database(f"sqlite:///{tmp_path / 'new.sqlite'}") as db:
        assert db.upgraded is not None and db.upgraded.seed_loaded
        assert db.search("natto")[0].name == "natto"
    with K2Database(f"sqlite:///{tmp_path / 'new.sqlite'}") as db:  # now up to date
        assert db.upgraded is None and "engine" not in vars(db)
        assert db.search("natto")[0].name == "natto"


def _answer(call: Callable[..., Any], *args: Any, **options: Any) -> Any:
    """The JSON of a result, or the class, message and data of the error raised instead."""
    try:
        result = call(*args, **options)
    except MealError as exc:
        return ["MealError", str(exc), [getattr(d, "to_dict", lambda d=d: repr(d))() for d in exc.details]]
    except FoodNotFound as exc:
        return ["FoodNotFound", str(exc), exc.suggestions]
    except D3k2dbError as exc:
        return [type(exc).__name__, str(exc)]
    if isinstance(result, list):
        return [item.to_dict() if hasattr(item, "to_dict") else item for item in result]
    return result.to_dict()


def _answers(db: K2Database) -> Iterator[tuple[str, Any]]:
    for term in TERMS:
        found = _answer(db.search, term)
        yield f"search {term}", found
        if not found:
            yield f"why {term}", db.explain_no_match(term)
        yield f"show {term}", _answer(db.show, term)
    for phrase in MEALS:
        yield f"meal {phrase}", _answer(db.meal, [phrase], d3_iu=2000, target_ug=90)
    yield "meal skip", _answer(db.meal, ["2 eggs, 1 tbsp qqqzzz"], skip_unknown=True)
    yield "search mk7 cheese", _answer(db.search, "cheese", form="mk7", category="cheese", limit=40)
    yield "search all", _answer(db.search, None, limit=60)
    yield "search all mk4", _answer(db.search, None, form="mk-4")
    yield "top serving", _answer(db.top, by="serving", include_flagged=True, limit=None)
    yield "top 100g", _answer(db.top, category="cheese")
    yield "categories", db.categories()
    for dose in (400, 5000, 50000):
        yield f"pair {dose}", _answer(db.pair, dose)
    yield "pair filtered", _answer(db.pair, 2000, form="mk7", category="fermented soy", include_flagged=True)
    yield "pair bad category", _answer(db.pair, 2000, category="qqq")


@pytest.mark.parametrize("lang", ["en", "zh_Hant", "zh_Hans"])
def test_the_stdlib_path_answers_as_the_sqlalchemy_path(
    sqlite_url: str, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    i18n.set_language(lang)
    with K2Database(sqlite_url) as db:
        assert "engine" not in vars(db)  # read without SQLAlchemy
        stdlib = dict(_answers(db))
        assert "engine" not in vars(db)
    monkeypatch.setattr("d3k2db.library.ready_sqlite_file", lambda url, seed_folder: None)
    with K2Database(sqlite_url) as db:
        engine = dict(_answers(db))
    assert list(stdlib) == list(engine)
    for question, answer in stdlib.items():
        assert answer == engine[question], question
    # the comparison covered answers of every kind
    assert stdlib["search gooda"] and stdlib["search 纳豆"]  # a typo, Simplified Chinese
    assert stdlib["show qqqzzzxxx"][0] == "FoodNotFound"
    assert stdlib["meal 2 eggs, 1 tbsp qqqzzz"][0] == "MealError"
    assert stdlib["meal skip"]["skipped"]


@pytest.mark.parametrize(
    ("url", "file"),
    [
        ("sqlite:///k2.sqlite", "k2.sqlite"),
        ("sqlite:////data/k2.sqlite", "/data/k2.sqlite"),
        ("sqlite+pysqlite:///k2.sqlite", "k2.sqlite"),
        ("sqlite://", None),
        ("sqlite:///:memory:", None),
        ("sqlite:///k2.sqlite?mode=ro", None),
        ("sqlite:///file:k2.sqlite?mode=ro&uri=true", None),
        ("sqlite:///k%202.sqlite", None),
        ("sqlite:///~/k2.sqlite", None),
        ("postgresql+psycopg://user@host/k2", None),
        ("not a url", None),
    ],
)
def test_only_a_plain_sqlite_file_url_is_read_without_sqlalchemy(url: str, file: str | None) -> None:
    from d3k2db.storage import quick

    assert quick.sqlite_file(url) == (Path(file) if file else None)
    assert quick.is_in_memory(url) == (url in ("sqlite://", "sqlite:///:memory:"))


def _set(url: str, statement: str, *params: object) -> None:
    import sqlite3

    with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
        connection.execute(statement, params)
    connection.close()


def test_a_changed_seed_is_loaded_first(sqlite_url: str) -> None:
    from d3k2db.storage.quick import ready_sqlite_file

    assert ready_sqlite_file(sqlite_url, data_dir()) is not None
    _set(sqlite_url, "UPDATE meta SET value = 'an older seed' WHERE key = ?", "seed_sha256")
    assert ready_sqlite_file(sqlite_url, data_dir()) is None
    with K2Database(sqlite_url) as db:
        assert db.upgraded is not None and db.upgraded.seed_loaded
    assert ready_sqlite_file(sqlite_url, data_dir()) is not None


def test_an_older_schema_is_migrated_first(sqlite_url: str) -> None:
    import sqlite3

    from d3k2db.storage.quick import HEAD_REVISION, ready_sqlite_file

    _set(sqlite_url, "UPDATE alembic_version SET version_num = ?", "0003")
    assert ready_sqlite_file(sqlite_url, data_dir()) is None
    with K2Database(sqlite_url) as db:
        assert db.upgraded is not None and db.upgraded.revision_before == "0003"
    connection = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD_REVISION,)]
    connection.close()


def test_a_newer_database_is_refused_untouched_as_before(sqlite_url: str) -> None:
    from d3k2db.errors import DatabaseError

    _set(sqlite_url, "UPDATE alembic_version SET version_num = ?", "0999")
    with pytest.raises(DatabaseError, match="newer"):
        K2Database(sqlite_url)


def test_list_values_are_bound_one_parameter_each(sqlite_url: str) -> None:
    from d3k2db.storage import reads
    from d3k2db.storage.quick import reading, ready_sqlite_file

    path = ready_sqlite_file(sqlite_url, data_dir())
    assert path is not None
    with reading(path) as connection:
        statement = "SELECT name FROM foods WHERE name IN :names AND category = :category ORDER BY name"
        both = reads.scalars(connection, statement, names=["natto", "gouda", "x'); --"], category="cheese")
        assert both == ["gouda"]
        assert reads.scalars(connection, statement, names=[], category="cheese") == []
        row = reads.first(connection, reads.FOOD_BY_KEY, key="natto")
        assert row is not None and row.name == row[1] == row._asdict()["name"] == "natto"

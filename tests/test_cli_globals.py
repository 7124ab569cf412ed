"""The global options (--db, --lang, --format) are declared once, on the root, and work before the
command or anywhere after it, for every command; $D3K2DB_URL and $D3K2DB_LANG still apply.

Two databases: the target one, named by --db, holds foods of its own ('zq globe cheese', in the
category 'zqglobe', with a source and an alias of its own); the other one is $D3K2DB_URL. Each command
must act on the target (its check says how that shows) and leave the other byte for byte unchanged.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from d3k2db import FoodSpec, K2Database
from d3k2db.cli import app
from d3k2db.errors import FoodNotFound
from tests.fdc_fixtures import FOUNDATION, write_download

FOOD = "zq globe cheese"


@dataclass
class Dbs:
    target: str  # the URL given with --db
    other: Path  # the SQLite file of $D3K2DB_URL
    folder: Path

    def other_digest(self) -> str:
        return hashlib.sha256(self.other.read_bytes()).hexdigest()


@pytest.fixture
def dbs(tmp_path: Path, seeded_template: Path, monkeypatch: pytest.MonkeyPatch) -> Dbs:
    target, other = tmp_path / "target.sqlite", tmp_path / "other.sqlite"
    shutil.copy(seeded_template, target)
    shutil.copy(seeded_template, other)
    url = f"sqlite:///{target}"
    with K2Database(url) as db:
        db.add_food(
            FoodSpec.of(
                FOOD, total_k2=50.0, category="zqglobe", source="zq globe notes", aliases=["zq globe nick"]
            )
        )
    with K2Database(f"sqlite:///{other}"):  # brought up to date once, so reading it later writes nothing
        pass
    monkeypatch.setenv("D3K2DB_URL", f"sqlite:///{other}")
    return Dbs(url, other, tmp_path)


def _has(name: str) -> Callable[[Dbs], bool]:
    def check(dbs: Dbs) -> bool:
        with K2Database(dbs.target) as db:
            try:
                return db.show(name).name == name
            except FoodNotFound:
                return False

    return check


def _lacks(name: str) -> Callable[[Dbs], bool]:
    return lambda dbs: not _has(name)(dbs)


def _alias_of(alias: str) -> Callable[[Dbs], bool]:
    def check(dbs: Dbs) -> bool:
        with K2Database(dbs.target) as db:
            return alias in db.show(FOOD).aliases

    return check


def _fdc_folder(dbs: Dbs) -> str:
    return str(write_download(dbs.folder / "fdc", FOUNDATION))


def _import_file(dbs: Dbs) -> str:
    path = dbs.folder / "mine.csv"
    path.write_text("name,mk7\nzq imported food,4\n", encoding="utf-8")
    return str(path)


def _fdc_food_count(dbs: Dbs) -> bool:
    with K2Database(dbs.target) as db:
        return db.export_csv(io.StringIO()) > 1502  # the seed's foods, FOOD, and the FDC ones


# command words (a callable builds one from the test's folders), what stdout must hold, a check
CASES: dict[str, tuple[list[str | Callable[[Dbs], str]], str, Callable[[Dbs], bool] | None]] = {
    "search": (["search", FOOD], FOOD, None),
    "top": (["top", "--category", "zqglobe"], FOOD, None),
    "show": (["show", FOOD], FOOD, None),
    "sources": (["sources"], "zq globe notes", None),
    "meal": (["meal", f"100 g {FOOD}"], FOOD, None),
    "pair": (["pair", "--d3", "1000", "--category", "zqglobe"], FOOD, None),
    "plan": (["plan", "--target", "1", "--with", f"100 g {FOOD}"], "", None),
    "add": (["add", "zq new food", "--total", "3"], "zq new food", _has("zq new food")),
    "remove": (["remove", FOOD], FOOD, _lacks(FOOD)),
    "alias add": (["alias", "add", FOOD, "zq other name"], "zq other name", _alias_of("zq other name")),
    "alias remove": (
        ["alias", "remove", "zq globe nick"],
        "zq globe nick",
        lambda d: not _alias_of("zq globe nick")(d),
    ),
    "export": (["export", "--custom-only"], FOOD, None),
    "import": (["import", _import_file], "added 1", _has("zq imported food")),
    "import-fdc": (["import-fdc", _fdc_folder], "MK-4", _fdc_food_count),
    "db upgrade": (["db", "upgrade"], "target.sqlite", None),
    "db seed": (["db", "seed"], "loaded", _has(FOOD)),
}


def every_command() -> list[str]:
    found: list[str] = []

    def walk(group: object, prefix: list[str]) -> None:
        for name, command in getattr(group, "commands", {}).items():
            if hasattr(command, "commands"):
                walk(command, [*prefix, name])
            else:
                found.append(" ".join([*prefix, name]))

    walk(typer.main.get_command(app), [])
    return sorted(found)


def test_every_command_is_checked_here() -> None:
    assert every_command() == sorted([*CASES, "serve"])


POSITIONS: dict[str, Callable[[list[str], str], list[str]]] = {
    "before": lambda words, url: ["--db", url, *words],
    "after": lambda words, url: [*words, "--db", url],
    "after, with =": lambda words, url: [*words, f"--db={url}"],
}


@pytest.mark.parametrize("position", POSITIONS)
@pytest.mark.parametrize("command", CASES)
def test_db_before_or_after_the_command(runner: CliRunner, dbs: Dbs, command: str, position: str) -> None:
    words, expected, check = CASES[command]
    args = [word(dbs) if callable(word) else word for word in words]
    before = dbs.other_digest()
    result = runner.invoke(app, POSITIONS[position](args, dbs.target))
    assert result.exit_code == 0, result.output
    assert expected in result.stdout + result.stderr
    assert check is None or check(dbs)
    assert dbs.other_digest() == before  # $D3K2DB_URL's database was not the one used


@pytest.mark.parametrize("position", POSITIONS)
def test_serve_takes_db_before_or_after(
    runner: CliRunner, dbs: Dbs, position: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: dict[str, object] = {}
    monkeypatch.setattr("d3k2db.web.serve.run", lambda host, port, **options: started.update(options))
    result = runner.invoke(app, POSITIONS[position](["serve", "--port", "8123"], dbs.target))
    assert result.exit_code == 0, result.output
    assert started["db"] == dbs.target


def test_without_db_the_environment_names_the_database(runner: CliRunner, dbs: Dbs) -> None:
    assert runner.invoke(app, ["search", FOOD]).exit_code == 1  # not in $D3K2DB_URL's database
    result = runner.invoke(app, ["search", FOOD], env={"D3K2DB_URL": dbs.target})
    assert result.exit_code == 0 and FOOD in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "zh-Hant", "search", "natto"],
        ["search", "natto", "--lang", "zh-Hant"],
        ["search", "--lang=zh-Hant", "natto"],
    ],
)
def test_lang_before_or_after_the_command(runner: CliRunner, dbs: Dbs, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--db", dbs.target])
    assert result.exit_code == 0 and "納豆" in result.stdout


def test_the_environment_chooses_the_language(runner: CliRunner, dbs: Dbs) -> None:
    result = runner.invoke(app, ["search", "natto"], env={"D3K2DB_LANG": "zh-Hans"})
    assert result.exit_code == 0 and "纳豆" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--format", "json", "search", "natto"],
        ["-f", "json", "search", "natto"],
        ["search", "natto", "--format", "json"],
        ["search", "natto", "-fjson"],
        ["meal", "2 eggs", "--format=json"],
        ["--format", "json", "export", "--custom-only"],
        ["import", "-f", "json", "IMPORT"],
    ],
)
def test_format_before_or_after_the_command(runner: CliRunner, dbs: Dbs, args: list[str]) -> None:
    args = [_import_file(dbs) if arg == "IMPORT" else arg for arg in args]
    result = runner.invoke(app, [*args, "--db", dbs.target])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)


@pytest.mark.parametrize(
    ("args", "choices"),
    [
        (["export", "--format", "table"], "'csv', 'json'"),
        (["import", "x.csv", "-f", "csv"], "'table', 'json'"),
    ],
)
def test_a_format_a_command_cannot_write_is_a_usage_error(
    runner: CliRunner, dbs: Dbs, args: list[str], choices: str
) -> None:
    before = dbs.other_digest()
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert "Invalid value for '--format' / '-f'" in result.stderr and choices in result.stderr
    assert dbs.other_digest() == before


def test_a_global_option_without_its_value_is_a_usage_error(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "natto", "--db"])
    assert result.exit_code == 2 and "Option '--db' requires an argument." in result.stderr


def test_words_after_a_double_dash_are_not_options(runner: CliRunner, dbs: Dbs) -> None:
    hoisted = runner.invoke(app, ["search", "natto", "--lang", "xx"])
    assert hoisted.exit_code == 2 and "xx" in hoisted.stderr  # an unknown language, as --lang
    searched = runner.invoke(app, ["search", "--", "--lang", "xx"])
    assert searched.exit_code == 1 and "no food matches '--lang xx'" in searched.stderr


PLACEHOLDER = re.compile(r"\{\w+\}|<list\[")


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
@pytest.mark.parametrize("command", [*CASES, "serve"])
def test_help_before_or_after_in_each_language_has_no_placeholders(
    runner: CliRunner, command: str, lang: str
) -> None:
    words = command.split()
    for args in (["--lang", lang, *words, "--help"], [*words, "--help", "--lang", lang]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert ("用法" in result.stdout) == (lang == "zh-Hant")
        assert not PLACEHOLDER.search(result.stdout), result.stdout
        assert "--db" in result.stdout and "--lang" in result.stdout  # the global options, listed


@pytest.mark.parametrize(
    ("args", "english", "chinese"),
    [
        (
            ["serch", "natto"],
            "No such command 'serch'. Did you mean 'search'",
            "沒有這個指令「serch」。 你是不是要輸入 'search'",
        ),
        (["--format", "json"], "Missing command.", "缺少指令。"),
    ],
)
def test_clicks_errors_before_the_command_in_each_language(
    runner: CliRunner, args: list[str], english: str, chinese: str
) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2 and english in result.stderr
    translated = runner.invoke(app, ["--lang", "zh-Hant", *args])
    assert translated.exit_code == 2 and chinese in translated.stderr and "用法：d3k2db" in translated.stderr

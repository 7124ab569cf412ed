"""Names are text, not terminal commands (issue 20, item 4).

A control character (C0 with NUL, TAB, LF, CR, ESC; DEL; C1 with CSI), a bidirectional control
(U+202E, U+2066 …), a zero-width or other invisible format character, a line separator or an unpaired
surrogate is refused in every stored text on every path that writes one — `add`, `alias add`,
`import`, the web's POST /api/foods, the seed, FoodData Central — with one line naming the character
and its position, and nothing written. What an old release could store anyway (written here
directly with SQLAlchemy) is printed as a visible escape ('\\x1b', '\\u202e') by every command and
page: the bytes that reach stdout, stderr or the browser hold no such character. Rich markup in a name
('[bold red]') prints literally. The expected messages and escapes are written out by hand.
"""

from __future__ import annotations

import csv
import json
import os
import pty
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.database import write_transaction
from d3k2db.domain.records import FIGURE_NAMES, FoodSpec, Invalid, build_spec
from d3k2db.domain.text import json_safe, not_text, printable
from d3k2db.errors import SeedError
from d3k2db.exchange.rows import food_rows, source_id
from d3k2db.exchange.seed import read_seed
from d3k2db.storage.engine import make_engine
from d3k2db.storage.writes import insert_foods
from tests.dbdump import dump
from tests.fdc_fixtures import MK4, FdcFood, write_download
from tests.web_client import web

NOT_TEXT_CATEGORIES = ("Cc", "Cf", "Zl", "Zp", "Cs")

# (the character, its code, its name, what the message calls it), each put in 'nat…to' (position 4)
HOSTILE = [
    ("\x1b", "U+001B", "ESC", "a control character"),
    ("\x00", "U+0000", "NUL", "a control character"),
    ("\x07", "U+0007", "BEL", "a control character"),
    ("\n", "U+000A", "LF", "a control character"),
    ("\r", "U+000D", "CR", "a control character"),
    ("\t", "U+0009", "TAB", "a control character"),
    ("\x7f", "U+007F", "DEL", "a control character"),
    ("\x9b", "U+009B", "CSI", "a control character"),
    ("\x9d", "U+009D", "OSC", "a control character"),
    ("\u202e", "U+202E", "RIGHT-TO-LEFT OVERRIDE", "a bidirectional control"),
    ("\u202a", "U+202A", "LEFT-TO-RIGHT EMBEDDING", "a bidirectional control"),
    ("\u2066", "U+2066", "LEFT-TO-RIGHT ISOLATE", "a bidirectional control"),
    ("\u2069", "U+2069", "POP DIRECTIONAL ISOLATE", "a bidirectional control"),
    ("\u200e", "U+200E", "LEFT-TO-RIGHT MARK", "a bidirectional control"),
    ("\u200f", "U+200F", "RIGHT-TO-LEFT MARK", "a bidirectional control"),
    ("\u061c", "U+061C", "ARABIC LETTER MARK", "a bidirectional control"),
    ("\u200b", "U+200B", "ZERO WIDTH SPACE", "an invisible formatting character"),
    ("\u200c", "U+200C", "ZERO WIDTH NON-JOINER", "an invisible formatting character"),
    ("\u200d", "U+200D", "ZERO WIDTH JOINER", "an invisible formatting character"),
    ("\u2060", "U+2060", "WORD JOINER", "an invisible formatting character"),
    ("\ufeff", "U+FEFF", "ZERO WIDTH NO-BREAK SPACE", "an invisible formatting character"),
    ("\u00ad", "U+00AD", "SOFT HYPHEN", "an invisible formatting character"),
    ("\U000e0041", "U+E0041", "TAG LATIN CAPITAL LETTER A", "an invisible formatting character"),
    ("\u2028", "U+2028", "LINE SEPARATOR", "a line or paragraph separator"),
    ("\u2029", "U+2029", "PARAGRAPH SEPARATOR", "a line or paragraph separator"),
]
IDS = [code for _, code, _, _ in HOSTILE]

# Names that are text, whatever their script: all accepted and stored exactly.
LEGITIMATE = [
    "雞蛋 (土雞)",
    "自制鸡蛋饼",
    "crème fraîche, épaisse",
    "Müsli über Nacht",
    "l'œuf à la coque",
    "½ avocado",
    "🧀 zq raclette",
    "👨‍🍳 chef's omelette",  # a zero-width joiner inside an emoji (man + cook) is part of it
    "👩🏽‍🌾 farm cheese",  # … also after a skin tone
    "[bold red]loud[/] cheese",
    "[link=https://evil.example]click[/link] kefir",
    "x\u3000y ideographic space",
    "non\u00a0breaking",
]


def _message(code: str, name: str, kind: str, position: int = 4) -> str:
    return f"character {position} is {code} ({name}, {kind})"


def _raw_characters(data: bytes) -> list[str]:
    """Every character of ``data`` (UTF-8) a terminal would obey rather than show; the line ends of
    the output itself (LF, and the CR a terminal adds before it) are the only ones allowed."""
    decoded = data.decode("utf-8")
    return [
        f"U+{ord(ch):04X}"
        for ch in decoded.replace("\r\n", "\n")
        if ch != "\n" and unicodedata.category(ch) in NOT_TEXT_CATEGORIES
    ]


def _invoke(runner: CliRunner, *args: str) -> tuple[int, bytes, bytes]:
    result = runner.invoke(app, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout_bytes, result.stderr_bytes


# --------------------------------------------------------------------------- every write path


@pytest.fixture(scope="module")
def shared_db(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    """One seeded SQLite file for the refusals: each test proves it left the file unchanged."""
    import shutil

    path = tmp_path_factory.mktemp("names") / "k2.sqlite"
    shutil.copy(seeded_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def unchanged(shared_db: str) -> Iterator[str]:
    before = dump(shared_db)
    yield shared_db
    assert dump(shared_db) == before


def _refused(result: tuple[int, bytes, bytes], expected: str, exit_code: int) -> None:
    code, out, err = result
    assert code == exit_code, (code, out, err)
    lines = err.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0], err
    assert not _raw_characters(err) and not _raw_characters(out)


@pytest.mark.parametrize(("char", "code", "name", "kind"), HOSTILE, ids=IDS)
def test_add_refuses_the_character_in_a_name(
    runner: CliRunner, unchanged: str, char: str, code: str, name: str, kind: str
) -> None:
    result = _invoke(runner, "add", f"nat{char}to", "--total", "5", "--db", unchanged)
    _refused(result, f"error: name: {_message(code, name, kind)}; names are plain text", 2)


@pytest.mark.parametrize(("char", "code", "name", "kind"), HOSTILE, ids=IDS)
def test_add_refuses_the_character_in_an_alias_and_every_other_text(
    runner: CliRunner, unchanged: str, char: str, code: str, name: str, kind: str
) -> None:
    add = ["add", "zq plain food", "--total", "5", "--db", unchanged]
    _refused(_invoke(runner, *add, "--alias", f"zqa{char}b"), f"aliases: {_message(code, name, kind)}", 2)
    for option, column in (
        ("--category", "category"),
        ("--serving-label", "serving_label"),
        ("--source", "source"),
    ):
        expected = f"{column}: {_message(code, name, kind)}; this text must be plain"
        _refused(_invoke(runner, *add, option, f"zqa{char}b"), expected, 2)
    url = f"https://x{char}y.example/"
    _refused(_invoke(runner, *add, "--url", url), f"url: {_message(code, name, kind, 10)}", 2)


@pytest.mark.parametrize(("char", "code", "name", "kind"), HOSTILE, ids=IDS)
def test_alias_add_refuses_the_character(
    runner: CliRunner, unchanged: str, char: str, code: str, name: str, kind: str
) -> None:
    result = _invoke(runner, "alias", "add", "natto", f"nat{char}to", "--db", unchanged)
    _refused(result, f"error: alias: {_message(code, name, kind)}; names are plain text", 2)


def _csv(path: Path, header: str, row: str) -> Path:
    path.write_bytes(f"{header}\n{row}\n".encode())
    return path


@pytest.mark.parametrize(("char", "code", "name", "kind"), HOSTILE, ids=IDS)
def test_import_csv_refuses_the_character_naming_file_line_and_column(
    runner: CliRunner, unchanged: str, tmp_path: Path, char: str, code: str, name: str, kind: str
) -> None:
    cell = f'"nat{char}to"'  # quoted: a line break inside a quoted cell is still the cell's
    for column, row in (
        ("name", f"{cell},5,,"),
        ("aliases", f"zq plain,5,{cell},"),
        ("source", f"zq plain,5,,{cell}"),
    ):
        path = _csv(tmp_path / f"{column}.csv", "name,total_k2,aliases,source", row)
        result = _invoke(runner, "import", str(path), "--db", unchanged)
        # a NUL byte is refused earlier, for the whole file: a CSV file is text
        expected = (
            f"error: {column}.csv: not a text file (a NUL character on line 2): is this a CSV file?"
            if char == "\x00"
            else f"error: {column}.csv line 2, column {column}: {_message(code, name, kind)}"
        )
        _refused(result, expected, 1)


@pytest.mark.parametrize(
    ("char", "code", "name", "kind"), HOSTILE[:4] + HOSTILE[9:10], ids=IDS[:4] + IDS[9:10]
)
def test_import_of_a_json_file_with_the_character_writes_nothing(
    runner: CliRunner, unchanged: str, tmp_path: Path, char: str, code: str, name: str, kind: str
) -> None:
    """A JSON document (as `export --format json` writes) is refused, cleanly, with nothing written."""
    path = tmp_path / "foods.json"
    path.write_text(json.dumps({"count": 1, "foods": [{"name": f"nat{char}to", "total_k2": 5.0}]}))
    code_, out, err = _invoke(runner, "import", str(path), "--db", unchanged)
    assert code_ != 0 and err.startswith(b"error: ") and len(err.splitlines()) == 1
    assert not _raw_characters(err) and not _raw_characters(out)


@pytest.mark.parametrize(("char", "code", "name", "kind"), HOSTILE, ids=IDS)
def test_the_record_every_importer_builds_refuses_the_character(
    char: str, code: str, name: str, kind: str
) -> None:
    """records.build_spec: the one set of rules the CSV import, the FDC import and `add` apply."""
    figures = dict.fromkeys(FIGURE_NAMES, None) | {"total_k2_published": 5.0}
    with pytest.raises(Invalid) as refused:
        build_spec(f"nat{char}to", figures)
    assert refused.value.column == "name" and _message(code, name, kind) in refused.value.problem
    with pytest.raises(Invalid) as refused:
        build_spec("zq plain", figures, locator=f"tab{char}le 3")
    assert refused.value.column == "locator" and _message(code, name, kind) in refused.value.problem


@pytest.mark.parametrize(("char", "code", "name", "kind"), HOSTILE, ids=IDS)
def test_the_web_api_refuses_the_character_in_a_name_and_an_alias(
    unchanged: str, char: str, code: str, name: str, kind: str
) -> None:
    with web(unchanged, allow_edits=True) as client:
        for body, expected in (
            ({"name": f"nat{char}to", "total_k2": 5}, f"name: {_message(code, name, kind)}"),
            (
                {"name": "zq plain", "total_k2": 5, "aliases": [f"nat{char}to"]},
                f"aliases: {_message(code, name, kind)}",
            ),
        ):
            response = client.post("/api/foods", json=body)
            assert response.status_code == 400, response.text
            assert expected in response.json()["error"]
            assert not _raw_characters(response.content)


def test_the_position_counts_characters_as_typed_and_the_message_is_translated(
    runner: CliRunner, unchanged: str
) -> None:
    _refused(
        _invoke(runner, "add", "  雞蛋\u202e", "--total", "5", "--db", unchanged), "character 5 is U+202E", 2
    )
    result = _invoke(runner, "add", "nat\x1bto", "--total", "5", "--lang", "zh-Hant", "--db", unchanged)
    code, _out, err = result
    assert code == 2 and "U+001B" in err.decode() and "ESC" in err.decode()
    assert "控制字元" in err.decode()  # 'a control character' in Traditional Chinese
    result = _invoke(runner, "add", "nat\x1bto", "--total", "5", "--lang", "zh-Hans", "--db", unchanged)
    assert result[0] == 2 and "控制字符" in result[2].decode()


def test_leading_and_trailing_whitespace_is_still_only_stripped(runner: CliRunner, db_url: str) -> None:
    """A name typed with a final newline ('$(cat name.txt)') is the name without it, as before."""
    assert _invoke(runner, "add", "zq trailing\n", "--total", "5")[0] == 0
    code, out, _err = _invoke(runner, "search", "zq trailing", "--format", "json")
    assert code == 0 and json.loads(out)["foods"][0]["name"] == "zq trailing"


@pytest.mark.parametrize("name", LEGITIMATE)
def test_text_in_any_script_is_accepted_and_stored_exactly(
    runner: CliRunner, tmp_path: Path, seeded_template: Path, name: str
) -> None:
    import shutil

    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    code, out, err = _invoke(runner, "add", name, "--total", "5", "--alias", f"zq {name} alias", "--db", url)
    assert code == 0, err
    with make_engine(url).connect() as connection:
        stored = connection.execute(text("SELECT name FROM foods WHERE is_custom")).scalars().all()
    assert stored == [name]
    code, out, _err = _invoke(runner, "show", f"zq {name} alias", "--format", "json", "--db", url)
    assert code == 0 and json.loads(out)["name"] == name
    assert name in out.decode()  # Chinese and accents readable in the JSON, not \u escapes


def _edit_first_row(path: Path, column: str, value: str) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[0][column] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.mark.parametrize(
    ("file", "column"), [("foods.csv", "name"), ("aliases.csv", "alias"), ("measurements.csv", "notes")]
)
def test_the_seed_refuses_the_character_naming_file_line_and_column(
    seed_copy: Path, file: str, column: str
) -> None:
    """Every cell of the shipped data, even a note no other rule reads."""
    _edit_first_row(seed_copy / file, column, "zq\u202eseed")
    with pytest.raises(SeedError) as refused:
        read_seed(seed_copy)
    assert str(refused.value).startswith(f"{file} line 2, column {column}: character 3 is U+202E ")
    assert "(RIGHT-TO-LEFT OVERRIDE, a bidirectional control)" in str(refused.value)


def test_a_fooddata_central_food_named_with_controls_is_skipped_and_said(
    runner: CliRunner, db_url: str, tmp_path: Path
) -> None:
    download = write_download(
        tmp_path / "fdc",
        [
            FdcFood(990001, "sr_legacy_food", "Cheese, \x1b[2Jevil", "1", {MK4: 5.0}),
            FdcFood(990002, "sr_legacy_food", "Cheese, plain zq", "1", {MK4: 6.0}),
        ],
    )
    code, out, err = _invoke(runner, "import-fdc", str(download), "--format", "json")
    assert code == 0, err
    report = json.loads(out)
    assert report["added"] == ["Cheese, plain zq"]
    skipped = [line for line in report["skipped"] if "fdc_id 990001" in line]
    assert len(skipped) == 1 and "U+001B (ESC, a control character)" in skipped[0]
    assert not _raw_characters(out)


# --------------------------------------------------------------------------- what is already stored

# A food as a release before the rule could store it, every text field hostile.
OLD_NAME = "zqevil \x1b]0;pwned\x07\x1b[2J \u202egnp.exe\u202c [bold red]loud[/] nul\x00 csi\x9b31m zw\u200bx"
OLD_ALIAS = "zqalias\u2066\u200dx\u2028y"
OLD_CATEGORY = "cat\x1b[5m"
OLD_LABEL = "1 \u202eslice"
OLD_SOURCE = "Evil et al. \x1b]8;;https://evil.example\x07link\u202e"
OLD_LOCATOR = "t\x00able\ufeff 3"
OLD_URL = "https://evil.example/\x1b[2J"
# … as every output must show it, written by hand
SHOWN_NAME = (
    r"zqevil \x1b]0;pwned\x07\x1b[2J \u202egnp.exe\u202c [bold red]loud[/] nul\x00 csi\x9b31m zw\u200bx"
)
SHOWN_ALIAS = r"zqalias\u2066\u200dx\u2028y"
SHOWN_LABEL = r"1 \u202eslice"
SHOWN_SOURCE = r"Evil et al. \x1b]8;;https://evil.example\x07link\u202e"


def write_old_food(url: str) -> None:
    """Write the hostile food straight through the storage layer, without the value rules."""
    figures: dict[str, float | None] = dict.fromkeys(FIGURE_NAMES, None)
    figures.update(mk7=99_000.0, k1=1.0)
    spec = FoodSpec(
        name=OLD_NAME,
        category=OLD_CATEGORY,
        tag="MK-7",
        figures=figures,
        serving_g=30.0,
        serving_label=OLD_LABEL,
        source=OLD_SOURCE,
        url=OLD_URL,
        locator=OLD_LOCATOR,
        aliases=[OLD_ALIAS, "zqplain"],
    )
    engine = make_engine(url)
    try:
        with write_transaction(engine) as connection:
            insert_foods(connection, [food_rows(spec, source_id(connection, spec.source, spec.url))])
    finally:
        engine.dispose()


@pytest.fixture(scope="module")
def old_db(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> str:
    import shutil

    path = tmp_path_factory.mktemp("old") / "k2.sqlite"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    write_old_food(url)
    with make_engine(url).connect() as connection:  # stored exactly, raw characters and all
        found = connection.execute(text("SELECT count(*) FROM foods WHERE name = :n"), {"n": OLD_NAME})
        assert found.scalar() == 1
    return url


COMMANDS = [
    ["search", "zqevil"],
    ["search", "zqevil", "--format", "json"],
    ["search", "zqevil", "--format", "csv"],
    ["search", "zqalias"],
    ["search", "--limit", "400"],
    ["show", "zqplain"],
    ["show", "zqplain", "--format", "json"],
    ["show", "zqplain", "--format", "csv"],
    ["show", "zqplai"],  # a typo: the reading is noted
    ["meal", "100 g zqplain"],
    ["meal", "100 g zqplain", "--format", "json"],
    ["meal", "100 g zqplain", "--format", "csv"],
    ["meal", "2 slice zqplain"],
    ["top", "--limit", "3"],
    ["top", "--per", "serving", "--format", "csv"],
    ["top", "--category", OLD_CATEGORY],
    ["pair", "--d3", "5000", "--limit", "3"],
    ["pair", "--d3", "5000", "--limit", "3", "--format", "json"],
    ["sources"],
    ["sources", "--format", "json"],
    ["sources", "--format", "csv"],
    ["export"],
    ["export", "--format", "json"],
    ["export", "--custom-only", "--excel"],
    ["remove", "zqevil loud"],  # not found: did you mean …
    ["alias", "add", "zqplain", "zqplain"],  # taken: quotes the name
    ["alias", "add", "zqnothing", "fine alias"],  # not found: did you mean …
    ["search", "\x1b]0;typed\x07\u202e"],  # a lookup typed with controls: not stored, not echoed raw
    ["meal", "1 \x1b[2J egg"],
    ["show", "nat\u202eto"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_every_output_shows_stored_controls_escaped(
    runner: CliRunner, old_db: str, command: list[str]
) -> None:
    before = dump(old_db)
    code, out, err = _invoke(runner, *command, "--db", old_db)
    assert code in (0, 1, 2, 3), (code, err)
    assert not _raw_characters(out), out
    assert not _raw_characters(err), err
    assert dump(old_db) == before


def test_tables_show_the_escapes_and_markup_literally(runner: CliRunner, old_db: str) -> None:
    out = _invoke(runner, "search", "zqevil", "--db", old_db)[1].decode()
    assert f"{SHOWN_NAME} (custom)" in out
    show = _invoke(runner, "show", "zqplain", "--db", old_db)[1].decode()
    for shown in (
        SHOWN_NAME,
        SHOWN_ALIAS,
        SHOWN_SOURCE,
        r"cat\x1b[5m",
        r"t\x00able\ufeff 3",
        r"https://evil.example/\x1b[2J",
    ):
        assert shown in show, shown
    assert f"{SHOWN_LABEL} (30 g)" in show
    err = _invoke(runner, "remove", "zqevil loud", "--db", old_db)[2].decode()
    assert "did you mean" in err and r"\x1b]0;pwned\x07" in err


def test_json_carries_the_exact_text_escaped_as_json_escapes_it(runner: CliRunner, old_db: str) -> None:
    out = _invoke(runner, "show", "zqplain", "--format", "json", "--db", old_db)[1]
    profile = json.loads(out)
    assert profile["name"] == OLD_NAME and OLD_ALIAS in profile["aliases"]
    assert b"\\u202egnp.exe\\u202c" in out and b"\\u001b]0;pwned\\u0007" in out and b"\\u009b31m" in out
    exported = json.loads(_invoke(runner, "export", "--format", "json", "--custom-only", "--db", old_db)[1])
    assert exported["foods"][0]["name"] == OLD_NAME


def test_a_csv_export_writes_the_visible_escape_and_imports_back_as_that_text(
    runner: CliRunner, old_db: str, tmp_path: Path, empty_db_url: str
) -> None:
    """A CSV has no escapes of its own: the name is written as it is shown ('\\x1b'), a file safe to
    open anywhere, which imports into a new database as that visible text (nothing lost, nothing obeyed)."""
    target = tmp_path / "mine.csv"
    assert _invoke(runner, "export", "--custom-only", "-o", str(target), "--db", old_db)[0] == 0
    data = target.read_bytes()
    assert not _raw_characters(data)
    row = data.decode().splitlines()[1]
    assert row.startswith(f"{SHOWN_NAME},")
    code, _out, err = _invoke(runner, "import", str(target), "--db", empty_db_url)
    assert code == 0, err
    code, out, _err = _invoke(runner, "show", "zqplain", "--format", "json", "--db", empty_db_url)
    assert json.loads(out)["name"] == SHOWN_NAME


def _pty(args: list[str], env: dict[str, str]) -> tuple[int, bytes]:
    """Run ``args`` with stdout and stderr on a pseudo-terminal, as a user's terminal would be."""
    master, slave = pty.openpty()
    process = subprocess.Popen(args, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return process.wait(), out


@pytest.mark.parametrize(
    "command", [["search", "zqevil"], ["show", "zqplain"], ["meal", "100 g zqplain"], ["sources"]]
)
def test_on_a_terminal_rich_tables_show_the_escapes_and_markup_literally(
    old_db: str, command: list[str]
) -> None:
    """The rich tables a terminal gets (TERM=dumb: rich adds no styling of its own, so every escape
    byte would be the name's; its tables are 80 columns wide, so long cells fold)."""
    env = {k: v for k, v in os.environ.items() if k != "D3K2DB_URL"}
    env.update(TERM="dumb", D3K2DB_LANG="en")
    script = Path(sys.executable).with_name("d3k2db")
    code, out = _pty([str(script), *command, "--db", old_db], env)
    assert code == 0, out
    assert b"\xe2\x94\x83" in out or b"\xe2\x94\x82" in out  # a rich table's box drawing: the tty path
    assert not _raw_characters(out), out
    if command[0] != "sources":
        assert b"[bold red]loud[/]" in out and b"\\x1b]0;pwned\\x07" in out
    else:
        assert b"\\x1b]8;;https://evil" in out


def test_the_web_pages_and_api_show_stored_controls_escaped(old_db: str) -> None:
    with web(old_db) as client:
        for route in (
            "/?q=zqevil",
            "/food/zqplain",
            "/meal?q=100 g zqplain",
            "/top?limit=5",
            "/sources",
            "/api/search?q=zqevil",
            "/api/foods/zqplain",
            "/api/meal?q=100 g zqplain",
            "/api/top?limit=3",
            "/api/sources",
            "/api/foods/zqevi",  # not found: the suggestions name it
            "/api/search?q=%1B%5B2J%E2%80%AEzz",  # a search typed with ESC and U+202E
            "/food/nat%E2%80%AEto",
        ):
            response = client.get(route)
            assert response.status_code in (200, 404), (route, response.status_code)
            assert not _raw_characters(response.content), route
        page = client.get("/food/zqplain").text
        assert SHOWN_NAME in page and SHOWN_ALIAS in page and SHOWN_SOURCE in page
        assert client.get("/api/foods/zqplain").json()["name"] == OLD_NAME


# --------------------------------------------------------------------------- the rule itself


def test_the_rule_covers_every_control_format_and_separator_character() -> None:
    """Every code point the running Python calls Cc, Cf, Zl, Zp or Cs is refused and escaped (the
    ranges in text.py are written out; this proves they miss none)."""
    missed = [
        f"U+{point:04X}"
        for point in range(0x110000)
        if unicodedata.category(chr(point)) in NOT_TEXT_CATEGORIES and not_text(f"a{chr(point)}b") is None
    ]
    assert missed == []
    assert not_text("a\u00a0b\u3000c") is None  # spaces are text


def test_printable_and_json_safe_escape_only_what_is_not_text() -> None:
    assert printable("nat\x1bto\u202e\n雞蛋") == "nat\\x1bto\\u202e\\n雞蛋"
    assert printable("\U000e0041") == "\\U000e0041"
    assert printable("👨‍🍳 ½ crème") == "👨‍🍳 ½ crème"
    assert json_safe('"a\u202eb\x9b 雞蛋 \U000e0041"') == '"a\\u202eb\\u009b 雞蛋 \\udb40\\udc41"'
    assert json.loads(json_safe(json.dumps("\ud800 lone", ensure_ascii=False))) == "\ud800 lone"

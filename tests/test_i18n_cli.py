"""The whole tool in English, Traditional and Simplified Chinese: how the language is chosen, every
command's output, errors and --help, machine-readable output that does not change with the
language, and tables that stay aligned with Chinese names.

Expected Chinese is written here by hand, from what a reader in Taiwan (zh-Hant) or the mainland
(zh-Hans) should read.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from d3k2db import i18n
from d3k2db.cli import app
from d3k2db.domain.records import FoodSpec
from d3k2db.i18n import UnknownLanguage, normalise, resolve_language
from d3k2db.output.render import display_width
from tests.test_cli_help import COMMANDS

LANGS = ("en", "zh-Hant", "zh-Hans")

# ------------------------------------------------------------------------ choosing the language


@pytest.mark.parametrize(
    ("cli", "environ", "expected"),
    [
        (None, {}, "en"),
        ("zh-Hant", {"D3K2DB_LANG": "zh-Hans", "LC_ALL": "en_US.UTF-8"}, "zh-Hant"),
        (None, {"D3K2DB_LANG": "zh-Hans", "LC_ALL": "zh_TW.UTF-8"}, "zh-Hans"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_US"}, "zh-Hant"),
        (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "zh_TW.UTF-8"}, "zh-Hans"),
        (None, {"LANG": "zh_HK.UTF-8"}, "zh-Hant"),
        (None, {"LANG": "zh_MO"}, "zh-Hant"),
        (None, {"LANG": "zh_SG.GB2312"}, "zh-Hans"),
        (None, {"LANG": "zh_CN.UTF-8@pinyin"}, "zh-Hans"),
        (None, {"LANG": "zh_Hant_TW"}, "zh-Hant"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {"LC_ALL": "", "LANG": "zh_TW"}, "zh-Hant"),  # an empty variable is not set
        (None, {"LC_ALL": "fr_FR", "LANG": "zh_TW"}, "en"),  # the first set one decides
    ],
)
def test_precedence_lang_then_environment_then_locale(
    cli: str | None, environ: dict[str, str], expected: str
) -> None:
    assert resolve_language(cli, environ) == expected


@pytest.mark.parametrize(
    ("spelling", "expected"),
    [
        ("zh-TW", "zh-Hant"),
        ("zh_tw", "zh-Hant"),
        ("ZH-HANT", "zh-Hant"),
        ("zh-hk", "zh-Hant"),
        ("zh_CN", "zh-Hans"),
        ("zh-hans", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("EN", "en"),
        ("en-GB", "en"),
    ],
)
def test_common_spellings_are_normalised(spelling: str, expected: str) -> None:
    assert normalise(spelling) == expected


@pytest.mark.parametrize("bad", ["fr", "klingon", "zh-XX", "-"])
def test_an_unknown_lang_or_environment_value_is_refused(bad: str) -> None:
    with pytest.raises(UnknownLanguage, match="en, zh-Hant or zh-Hans"):
        resolve_language(bad, {})
    with pytest.raises(UnknownLanguage):
        resolve_language(None, {"D3K2DB_LANG": bad})


def test_a_bad_lang_is_one_line_and_exit_2(runner: CliRunner, db_url: str) -> None:
    result = runner.invoke(app, ["search", "natto", "--lang", "fr"])
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == ["error: unknown language 'fr': use en, zh-Hant or zh-Hans"]


def test_a_bad_environment_language_is_exit_2_but_lang_overrides_it(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("D3K2DB_LANG", "xx")
    assert runner.invoke(app, ["search", "natto"]).exit_code == 2
    assert runner.invoke(app, ["search", "natto", "--lang", "en"]).exit_code == 0


def test_locale_chooses_the_language(runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    result = runner.invoke(app, ["meal", "两个鸡蛋"])
    assert result.exit_code == 0, result.stderr
    assert "2 × 大（50 克）= 100 克" in result.stdout
    assert "维生素 D3" in result.stdout


@pytest.mark.parametrize(
    "args",
    [
        ["--lang", "zh-Hant", "search", "納豆"],
        ["search", "--lang", "zh-Hant", "納豆"],
        ["search", "納豆", "--lang=zh-Hant"],
        ["search", "納豆", "--lang", "zh-tw"],
    ],
)
def test_lang_anywhere_on_the_line(runner: CliRunner, db_url: str, args: list[str]) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.stderr
    assert "發酵黃豆" in result.stdout


# ------------------------------------------------------------------------ every command, three languages

# (arguments, exit code): every command that prints for a person, with its expected exit code
RUNS: dict[str, tuple[list[str], int]] = {
    "search": (["search", "natto"], 0),
    "top": (["top", "-n", "5"], 0),
    "meal": (["meal", "2 eggs, 1 tbsp butter", "--d3", "5000", "--target", "120"], 0),
    "meal-partial": (["meal", "2 eggs, sushi", "--skip-unknown"], 3),
    "pair": (["pair", "--d3", "5000", "-n", "5"], 0),
    "show": (["show", "natto"], 0),
    "sources": (["sources"], 0),
    "unknown": (["show", "qqqzzz"], 1),
    "bad-unit": (["meal", "2 slices natto"], 2),  # nothing else to count: refused as a whole
}

# Hand-written: what a reader of each script must find in the table output
EXPECTED: dict[str, dict[str, list[str]]] = {
    "search": {
        "zh-Hant": [
            "食物",
            "類別",
            "K2 微克/100公克",
            "納豆",
            "發酵黃豆",
            "1 包（50 公克）",
            "1 種食物；數值單位為微克。",
        ],
        "zh-Hans": [
            "食物",
            "类别",
            "K2 微克/100克",
            "纳豆",
            "发酵大豆",
            "1 包（50 克）",
            "1 种食物；数值单位为微克。",
        ],
    },
    "top": {
        "zh-Hant": ["每 100 公克 K2 含量前 5 名", "數值只有存疑或不確定標記的食物不列入"],
        "zh-Hans": ["每 100 克 K2 含量前 5 名", "数值只有存疑或不确定标记的食物不列入"],
    },
    "meal": {
        "zh-Hant": [
            "項目",
            "生雞蛋：2 eggs → 2 × 大（50 公克）= 100 公克",
            "1 × 湯匙（14.2 公克）",
            "總計",
            "K2 總量",
            "維他命 D3",
            "每日 K2 目標 120.0 微克",
            "你的 D3 劑量 5,000 IU 需要 50.0 微克 K2",
        ],
        "zh-Hans": [
            "项目",
            "生鸡蛋：2 eggs → 2 × 大（50 克）= 100 克",
            "1 × 汤匙（14.2 克）",
            "总计",
            "K2 总量",
            "维生素 D3",
            "每日 K2 目标 120.0 微克",
            "你的 D3 剂量 5,000 IU 需要 50.0 微克 K2",
        ],
    },
    "meal-partial": {
        "zh-Hant": [
            "總計（不完整：無法計算的項目未計入）",
            "「sushi」無法計算：「sushi」不在 d3k2db 的食物裡",
        ],
        "zh-Hans": [
            "总计（不完整：无法计算的项目未计入）",
            "「sushi」无法计算：「sushi」不在 d3k2db 的食物里",
        ],
    },
    "pair": {
        "zh-Hant": ["所需公克", "家用份量", "5,000 IU 的維他命 D3", "需要 50.0 微克 K2", "納豆", "湯匙"],
        "zh-Hans": ["所需克", "家用份量", "5,000 IU 的维生素 D3", "需要 50.0 微克 K2", "纳豆", "汤匙"],
    },
    "show": {
        "zh-Hant": [
            "欄位",
            "英文名稱",
            "natto",
            "納豆",
            "測量（微克/100公克）",
            "只測了 MK-4、MK-6、MK-7、MK-8",
            "沒有測量",
        ],
        "zh-Hans": [
            "字段",
            "英文名称",
            "natto",
            "纳豆",
            "测量（微克/100克）",
            "只测了 MK-4、MK-6、MK-7、MK-8",
            "没有测量",
        ],
    },
    "sources": {
        "zh-Hant": ["來源", "數值筆數", "出版者網頁", "USDA National Nutrient Database"],
        "zh-Hans": ["来源", "数值笔数", "出版者网页", "USDA National Nutrient Database"],
    },
    "unknown": {
        "zh-Hant": ["錯誤：沒有食物符合「qqqzzz」"],
        "zh-Hans": ["错误：没有食物符合「qqqzzz」"],
    },
    "bad-unit": {
        "zh-Hant": ["錯誤：", "的重量；它的單位有：", "杯（175 公克）、茶匙、湯匙"],
        "zh-Hans": ["错误：", "的重量；它的单位有：", "杯（175 克）、茶匙、汤匙"],
    },
}

# English words of our own tables and notes that must not be left in a Chinese table
ENGLISH_LEFT = [
    "Food ", "Category", "Serving", "Item ", "Grams", "Total", "Source ", "Figures", "Publisher's page",
    "Read from", "Household amount", "figures in µg", "pairs with", "vitamin D3", "calls for",
    "partial figure", "not measured", "error:", "no food matches", "Skipped", "English name",
    "Measurements", " g)", "(custom)",
]  # fmt: skip


def as_published() -> list[str]:
    """Text that stays as published in every language: citations, portion descriptions, sources."""
    import csv

    data = Path(__file__).resolve().parent.parent / "data"
    with (data / "sources.csv").open(encoding="utf-8") as handle:
        kept = [row["citation"] for row in csv.DictReader(handle)]
    with (data / "portions.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            kept += [row["description"], row["source"]]
    return sorted({k for k in kept if k}, key=len, reverse=True)


AS_PUBLISHED = as_published()


def without_published(text: str) -> str:
    import re

    for kept in AS_PUBLISHED:
        text = text.replace(kept, "")
    return re.sub(r"https?://\S+", "", text)


def run(runner: CliRunner, lang: str, args: list[str]) -> Any:
    return runner.invoke(app, [*args, "--lang", lang])


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
@pytest.mark.parametrize("name", list(RUNS))
def test_every_command_reads_in_chinese(runner: CliRunner, db_url: str, name: str, lang: str) -> None:
    args, code = RUNS[name]
    result = run(runner, lang, args)
    assert result.exit_code == code, result.output
    text = result.stdout + result.stderr
    for expected in EXPECTED[name][lang]:
        assert expected in text, f"{expected!r} not in:\n{text}"
    ours = without_published(text)
    for english in ENGLISH_LEFT:
        assert english not in ours, f"untranslated {english!r} in:\n{ours}"


@pytest.mark.parametrize("name", list(RUNS))
def test_exit_codes_do_not_change_with_the_language(runner: CliRunner, db_url: str, name: str) -> None:
    args, code = RUNS[name]
    assert [run(runner, lang, args).exit_code for lang in LANGS] == [code, code, code]


def key_paths(data: Any, prefix: str = "") -> set[str]:
    if isinstance(data, dict):
        found = {f"{prefix}.{key}" for key in data}
        for key, value in data.items():
            found |= key_paths(value, f"{prefix}.{key}")
        return found
    if isinstance(data, list):
        return set().union(*(key_paths(item, prefix + "[]") for item in data)) if data else set()
    return set()


JSON_RUNS = [
    ["search", "natto"],
    ["top", "-n", "5"],
    ["meal", "2 eggs, 30 g cheese, 1 tbsp butter", "--d3", "5000", "--target", "100"],
    ["meal", "2 eggs, sushi", "--skip-unknown"],
    ["pair", "--d3", "5000"],
    ["show", "natoo"],
    ["sources"],
]


@pytest.mark.parametrize("args", JSON_RUNS, ids=lambda a: " ".join(a))
def test_json_keys_are_the_same_in_every_language(runner: CliRunner, db_url: str, args: list[str]) -> None:
    outputs = {lang: json.loads(run(runner, lang, [*args, "--format", "json"]).stdout) for lang in LANGS}
    keys = {lang: key_paths(data) for lang, data in outputs.items()}
    assert keys["en"] == keys["zh-Hant"] == keys["zh-Hans"]


def test_json_names_are_in_the_language_with_the_english_beside_them(runner: CliRunner, db_url: str) -> None:
    hant = json.loads(run(runner, "zh-Hant", ["search", "natto", "--format", "json"]).stdout)["foods"][0]
    english = json.loads(run(runner, "en", ["search", "natto", "--format", "json"]).stdout)["foods"][0]
    assert (hant["name"], hant["name_en"]) == ("納豆", "natto")
    assert (english["name"], english["name_en"]) == ("natto", "natto")
    assert hant["category"] == english["category"] == "fermented_soy"  # codes stay codes
    assert hant["tag"] == "MK-7"
    meal = json.loads(run(runner, "zh-Hans", ["meal", "两个鸡蛋", "--format", "json"]).stdout)
    item = meal["items"][0]
    assert (item["food"], item["name_en"], item["match"]) == ("生鸡蛋", "whole egg, raw", "alias")


@pytest.mark.parametrize(
    ("food", "hant", "hans"),
    [
        ("whole egg, fried", "煎蛋", "煎蛋"),  # only a name written alike in both scripts (lang zh)
        ("beef liver, raw", "牛肝", "牛肝"),
        ("whole egg, boiled", "煮雞蛋", "煮鸡蛋"),  # the script's own name before the shared one
        ("whole egg, raw", "生雞蛋", "生鸡蛋"),
    ],
)
def test_a_food_is_named_in_its_script_else_by_its_name_shared_by_both(
    runner: CliRunner, db_url: str, food: str, hant: str, hans: str
) -> None:
    for lang, expected in (("zh-Hant", hant), ("zh-Hans", hans)):
        shown = json.loads(run(runner, lang, ["show", food, "--format", "json"]).stdout)
        assert (shown["name"], shown["name_en"]) == (expected, food)


def test_csv_headers_are_the_same_in_every_language(runner: CliRunner, db_url: str) -> None:
    for args in (["search", "natto"], ["meal", "2 eggs"], ["pair", "--d3", "1000"], ["show", "natto"]):
        headers = {run(runner, lang, [*args, "--format", "csv"]).stdout.splitlines()[0] for lang in LANGS}
        assert len(headers) == 1, args


def test_a_food_without_a_chinese_name_shows_its_english_name_in_parentheses(
    runner: CliRunner, db_url: str
) -> None:
    assert runner.invoke(app, ["add", "farm gouda", "--total", "70", "--tag", "MK-7"]).exit_code == 0
    result = run(runner, "zh-Hant", ["search", "farm gouda"])
    assert "(farm gouda)（自訂）" in result.stdout


def test_writing_commands_speak_chinese(runner: CliRunner, db_url: str, tmp_path: Path) -> None:
    added = run(runner, "zh-Hant", ["add", "farm gouda", "--total", "70"])
    assert added.exit_code == 0 and added.stdout.strip() == "已新增 'farm gouda'（自訂）"
    alias = run(runner, "zh-Hant", ["alias", "add", "farm gouda", "農場乳酪"])
    assert alias.stdout.strip() == "'農場乳酪' 現在是 'farm gouda' 的名稱"
    exported = run(runner, "zh-Hans", ["export", "--custom-only", "-o", str(tmp_path / "mine.csv")])
    assert exported.exit_code == 0 and "已导出 1 种食物到" in exported.stderr
    imported = run(runner, "zh-Hant", ["import", str(tmp_path / "mine.csv"), "--dry-run"])
    assert imported.stdout.startswith("將新增 0、將更新 0、未變更 1（試跑：沒有寫入任何內容）")
    removed = run(runner, "zh-Hant", ["remove", "natto"])
    assert removed.exit_code == 1 and removed.stderr.startswith("錯誤：")


def test_click_usage_errors_are_translated(runner: CliRunner, db_url: str) -> None:
    result = run(runner, "zh-Hant", ["search", "--bogus"])
    assert result.exit_code == 2
    assert "用法：" in result.stderr and "錯誤：沒有這個選項：--bogus" in result.stderr
    missing = run(runner, "zh-Hans", ["meal"])
    assert missing.exit_code == 2 and "缺少参数" in missing.stderr
    limit = run(runner, "zh-Hant", ["top", "-n", "0"])
    assert limit.exit_code == 2 and "錯誤：'--limit' / '-n' 的值無效：至少要是 1。" in limit.stderr


# ------------------------------------------------------------------------ --help


def english_sentences(command: list[str]) -> list[str]:
    """The help sentences of one command (its description and its options), from the app itself."""
    node: Any = typer.main.get_command(app)
    for word in command:
        node = node.commands[word]
    texts = [node.help or "", *(getattr(p, "help", None) or "" for p in node.params)]
    texts.append("Show this message and exit.")
    sentences = []
    for text in texts:
        for sentence in text.replace("\n", " ").split(". "):
            if len(sentence.split()) >= 3 and not sentence.strip().startswith("Example"):
                sentences.append(" ".join(sentence.split()))
    return sentences


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
@pytest.mark.parametrize("command", [*COMMANDS, []], ids=lambda c: " ".join(c) or "d3k2db")
def test_help_of_every_command_is_in_chinese(runner: CliRunner, command: list[str], lang: str) -> None:
    result = runner.invoke(app, [*command, "--help", "--lang", lang])
    assert result.exit_code == 0
    flat = " ".join(result.stdout.split())
    assert flat.startswith("用法：")
    assert "Usage:" not in flat and "Options:" not in flat and "Show this message" not in flat
    assert "[OPTIONS]" not in flat and "COMMAND [ARGS]" not in flat
    for sentence in english_sentences(command):
        assert sentence not in flat, f"untranslated help in {command}: {sentence!r}"


def test_help_in_english_still_english(runner: CliRunner) -> None:
    result = runner.invoke(app, ["search", "--help"])
    assert "Usage:" in result.stdout and "Show this message and exit." in result.stdout


# ------------------------------------------------------------------------ alignment


def cut(line: str, start: int, end: int) -> str:
    """The characters of ``line`` between display columns ``start`` and ``end``."""
    out, column = [], 0
    for ch in line:
        width = display_width(ch)
        if column >= start and column + width <= end:
            out.append(ch)
        column += width
    return "".join(out)


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_a_table_of_chinese_names_aligns_by_display_width_in_a_pipe(
    runner: CliRunner, db_url: str, lang: str
) -> None:
    result = run(runner, lang, ["search", "--category", "cheese", "-n", "12"])
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    header, dashes, rows = lines[0], lines[1], lines[2:14]
    starts = [i for i, ch in enumerate(dashes) if ch == "-" and (i == 0 or dashes[i - 1] == " ")]
    assert len(starts) == 8  # food, category, tag (with its main form), MK-4, MK-7, K2, serving, K2
    assert any(display_width(row) != len(row) for row in rows)  # there are wide characters
    for line in [header, *rows]:
        for start in starts[1:]:
            assert cut(line, start - 2, start) == "  ", f"misaligned at column {start}: {line!r}"
        name = cut(line, 0, starts[1] - 2).strip()
        assert name and name == name.strip()
    # the right-aligned figures end at the same display column on every row
    assert len({display_width(row) for row in rows}) == 1


# ------------------------------------------------------------------------ cost of English


def _opened_catalogs(*args: str) -> list[str]:
    code = (
        "import sys\n"
        "def hook(event, args):\n"
        "    if event == 'open' and str(args[0]).endswith('.mo'):\n"
        "        print('MO', args[0], file=sys.stderr)\n"
        "sys.addaudithook(hook)\n"
        "from d3k2db.cli import main\n"
        f"sys.argv = ['d3k2db', *{list(args)!r}]\n"
        "main()\n"
    )
    env = {k: v for k, v in __import__("os").environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    return [line for line in result.stderr.splitlines() if line.startswith("MO ")]


@pytest.mark.slow
def test_english_loads_none_of_the_chinese_machinery(db_url: str) -> None:
    def imported(*args: str) -> set[str]:
        result = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "d3k2db", *args], capture_output=True, text=True
        )
        return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}

    assert "d3k2db.cli.translate" not in imported("search", "natto", "--db", db_url, "--lang", "en")
    assert "d3k2db.cli.translate" in imported("search", "--help", "--lang", "zh-Hant")


@pytest.mark.slow
def test_an_english_lookup_reads_no_catalog(db_url: str) -> None:
    assert _opened_catalogs("search", "natto", "--db", db_url) == []
    opened = _opened_catalogs("search", "natto", "--db", db_url, "--lang", "zh-Hant")
    assert len(opened) == 1 and opened[0].endswith("zh_Hant/LC_MESSAGES/d3k2db.mo")


def test_the_library_speaks_the_chosen_language(db_url: str) -> None:
    from d3k2db import K2Database
    from d3k2db.errors import FoodNotFound

    i18n.set_language("zh-Hant")
    with K2Database(db_url) as db:
        assert db.search("natto")[0].display_name == "納豆"
        with pytest.raises(FoodNotFound, match="沒有食物符合"):
            db.show("qqqzzz")


def test_why_a_figure_was_chosen_is_in_chinese(runner: CliRunner, db_url: str) -> None:
    """The reason and the tag note are stored in English by the seed build; show reads them out."""
    result = run(runner, "zh-Hant", ["show", "parmesan"])
    assert "解析出最多種形式的唯一一筆測量" in result.stdout
    assert "測得最多的形式是 MK-4，屬於動物組織形式；依食物種類標為 MK-7" in result.stdout
    assert "the only" not in result.stdout and "by its kind" not in result.stdout
    english = runner.invoke(app, ["show", "parmesan"])
    assert "the only measurement resolving the most forms" in english.stdout


@pytest.mark.parametrize("width", [20, 37, 60])
def test_chinese_help_wraps_by_display_width_and_keeps_words_whole(width: int) -> None:
    from d3k2db.cli.lang import LANG_HELP
    from d3k2db.cli.translate import wrap_cjk

    i18n.set_language("zh-Hant")
    text = i18n._(LANG_HELP)
    lines = wrap_cjk(text, width)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")  # nothing lost
    longest_word = max(display_width(w) for w in re.findall(r"[!-~]+", text))
    # closing marks ("）。") may hang past the edge; a word longer than the line stands alone
    assert all(display_width(line) <= max(width + 4, longest_word) for line in lines)
    assert any("$D3K2DB_LANG" in line for line in lines)  # an environment variable is not cut
    assert not any(line[:1] in "，。、；：）" for line in lines)
    assert not any(line[-1:] in "（「" for line in lines)


def test_a_category_by_its_chinese_name(runner: CliRunner, db_url: str) -> None:
    by_code = run(runner, "zh-Hant", ["search", "--category", "cheese", "-f", "json"])
    by_name = run(runner, "zh-Hant", ["search", "--category", "起司", "-f", "json"])
    assert by_name.exit_code == 0 and json.loads(by_name.stdout) == json.loads(by_code.stdout)
    assert run(runner, "zh-Hans", ["top", "--category", "奶酪"]).exit_code == 0
    wrong = run(runner, "zh-Hant", ["search", "--category", "xyz"])
    assert wrong.exit_code == 2 and "cheese (起司)" in wrong.stderr


def _flag_food(db_url: str, name: str, flags: str) -> None:
    """One of your own foods carrying ``flags`` as the seed build stores them ('kind: reason | …')."""
    from sqlalchemy import update

    from d3k2db import K2Database
    from d3k2db.storage.tables import foods

    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of(name, total_k2=369.0, category="organ"))
        with db.engine.begin() as connection:
            connection.execute(update(foods).where(foods.c.name == name).values(flags=flags))


GENERATED = (
    "outlier: 369 µg/100 g is 104 times the median of organ foods (3.55), with no two other measurements "
    "of the food to compare"
)


def test_generated_flag_reasons_are_translated_and_curated_ones_kept(runner: CliRunner, db_url: str) -> None:
    curated = "other product: a reason written by a person, with 'its quotation'"
    _flag_food(db_url, "zq liver", f"{GENERATED} | {curated}")
    text = run(runner, "zh-Hant", ["show", "zq liver"]).stdout
    assert "離群值：369 微克/100公克是內臟食物中位數（3.55）的 104 倍" in text
    assert "其他產品：a reason written by a person, with 'its quotation'" in text  # not in flag_texts.csv
    assert "times the median" not in text
    english = runner.invoke(app, ["show", "zq liver"]).stdout
    assert "times the median of organ foods" in english


def test_a_generated_reason_names_a_category_by_its_name_in_english_too(
    runner: CliRunner, db_url: str
) -> None:
    _flag_food(db_url, "zq paste", GENERATED.replace("organ foods", "fermented_soy foods"))
    english = runner.invoke(app, ["search", "zq paste"]).stdout
    assert "104 times the median of fermented soy foods (3.55)" in english
    hant = run(runner, "zh-Hant", ["search", "zq paste"]).stdout
    assert "發酵黃豆食物中位數" in hant


def test_curated_flag_reasons_read_from_the_data_in_both_scripts(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from d3k2db.domain import vocabulary

    reason = "369 µg/100 g is the pâté figure, printed for raw liver"
    texts = {
        reason: {
            "zh-Hant": "369 微克/100公克是肝醬的數值，被列為生肝",
            "zh-Hans": "369 微克/100克是肝酱的数值，被列为生肝",
        }
    }
    monkeypatch.setattr(vocabulary, "_curated", lambda: texts)
    _flag_food(db_url, "zq goose liver", f"other product: {reason}")
    assert (
        "其他產品：369 微克/100公克是肝醬的數值，被列為生肝"
        in run(runner, "zh-Hant", ["show", "zq goose liver"]).stdout
    )
    assert (
        "其他产品：369 微克/100克是肝酱的数值，被列为生肝"
        in run(runner, "zh-Hans", ["show", "zq goose liver"]).stdout
    )
    english = runner.invoke(app, ["show", "zq goose liver"]).stdout
    assert f"other product: {reason}" in english
    shown = json.loads(run(runner, "zh-Hant", ["show", "zq goose liver", "--format", "json"]).stdout)
    assert shown["flags"] == [f"other product: {reason}"]  # JSON keeps the stored text in every language


def test_the_shipped_flag_texts_are_read_lazily_and_only_for_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    import csv

    from d3k2db import i18n
    from d3k2db.domain import vocabulary
    from d3k2db.resources import data_dir

    with (data_dir() / "flag_texts.csv").open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert reader.fieldnames == ["en", "zh-Hant", "zh-Hans"]
        rows = list(reader)
    assert rows and all(row["en"] and row["zh-Hant"] and row["zh-Hans"] for row in rows)
    assert len({row["en"] for row in rows}) == len(rows)
    vocabulary._curated.cache_clear()
    assert vocabulary.flag(f"other product: {rows[0]['en']}") == f"other product: {rows[0]['en']}"
    assert vocabulary._curated.cache_info().currsize == 0  # English reads no file
    i18n.set_language("zh-Hant")
    assert vocabulary.flag(f"other product: {rows[0]['en']}") == f"其他產品：{rows[0]['zh-Hant']}"
    i18n.set_language("zh-Hans")
    assert vocabulary.flag(f"doubtful: {rows[0]['en']}") == f"存疑：{rows[0]['zh-Hans']}"
    monkeypatch.setattr("d3k2db.resources.data_dir", lambda: data_dir() / "no such folder")
    vocabulary._curated.cache_clear()
    assert vocabulary.flag(f"doubtful: {rows[0]['en']}") == f"存疑：{rows[0]['en']}"  # no file: as stored
    vocabulary._curated.cache_clear()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "uncertain: measurements of this food range from 10.78 to 120.5 µg/100 g (11-fold)"),
        ("zh-Hant", "不確定：這種食物的測量值從 10.78 到 120.5 微克/100公克（相差 11 倍）"),
        ("zh-Hans", "不确定：这种食物的测量值从 10.78 到 120.5 微克/100克（相差 11 倍）"),
    ],
)
def test_the_uncertain_reason_the_build_writes_is_read_in_each_language(lang: str, expected: str) -> None:
    from d3k2db import i18n
    from d3k2db.domain import vocabulary

    i18n.set_language(lang)
    assert (
        vocabulary.flag("uncertain: measurements of this food range from 10.78 to 120.5 µg/100 g (11-fold)")
        == expected
    )


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "outlier: 10.5 µg/100 g is 10 times the median of fermented dairy foods (1), with no two"),
        ("zh-Hant", "離群值：10.5 微克/100公克是發酵乳製品食物中位數（1）的 10 倍"),
        ("zh-Hans", "离群值：10.5 微克/100克是发酵乳制品食物中位数（1）的 10 倍"),
    ],
)
def test_an_outlier_of_a_group_of_two_words_is_read_in_each_language(lang: str, expected: str) -> None:
    from d3k2db import i18n
    from d3k2db.domain import vocabulary

    i18n.set_language(lang)
    assert vocabulary.flag(
        "outlier: 10.5 µg/100 g is 10 times the median of fermented dairy foods (1), with no two other "
        "measurements of the food to compare"
    ).startswith(expected)


@pytest.mark.parametrize(
    ("code", "en", "hant", "hans"),
    [
        ("fermented_soy", "fermented soy", "發酵黃豆", "发酵大豆"),
        ("fermented_vegetable", "fermented vegetable", "發酵蔬菜", "发酵蔬菜"),
        ("plant", "plant", "植物性食物", "植物性食物"),
        ("dish", "dish", "菜餚", "菜肴"),
        ("drink", "drink", "飲料", "饮料"),
        (
            "dairy_and_egg_products",
            "dairy and egg products",
            "dairy and egg products",
            "dairy and egg products",
        ),
    ],
)
def test_a_category_reads_by_its_name(code: str, en: str, hant: str, hans: str) -> None:
    from d3k2db import i18n
    from d3k2db.domain import vocabulary

    shown = {}
    for lang in ("en", "zh-Hant", "zh-Hans"):
        i18n.set_language(lang)
        shown[lang] = vocabulary.category(code)
    assert shown == {"en": en, "zh-Hant": hant, "zh-Hans": hans}


def test_csv_names_are_in_the_language_with_the_english_beside_them(runner: CliRunner, db_url: str) -> None:
    import csv
    import io

    for args, key in (
        (["meal", "2 eggs"], "food"),
        (["pair", "--d3", "1000", "-n", "1"], "food"),
        (["search", "natto"], "name"),
    ):
        row = next(csv.DictReader(io.StringIO(run(runner, "zh-Hant", [*args, "--format", "csv"]).stdout)))
        assert row["name_en"] in ("whole egg, raw", "natto"), args
        assert row[key] in ("生雞蛋", "納豆"), args


def test_meal_problems_quote_the_item_in_the_script_and_chinese_own_names_need_no_brackets(
    runner: CliRunner, db_url: str
) -> None:
    result = run(runner, "zh-Hant", ["meal", "2 slices natto, 100 g qqq"])
    assert result.exit_code == 1
    assert "「2 slices natto」：納豆沒有「" in result.stderr  # the unit as typed (issue 19)
    assert "；「100 g qqq」：沒有食物符合「qqq」" in result.stderr  # 「」 throughout (issue 19)
    assert run(runner, "zh-Hans", ["add", "农场奶酪", "--total", "70"]).exit_code == 0
    shown = run(runner, "zh-Hans", ["search", "农场奶酪"]).stdout
    assert "农场奶酪（自定义）" in shown and "(农场奶酪)" not in shown


def test_a_request_speaks_its_own_language_without_changing_the_process() -> None:
    """The web page answers requests in different languages at once: ``speaking`` holds a
    language for one context (copied into the thread that serves it) and leaves the process's."""
    import contextvars
    import threading

    i18n.set_language("en")
    heard: dict[str, str] = {}

    def serve(lang: str) -> None:
        with i18n.speaking(lang):
            context = contextvars.copy_context()
            worker = threading.Thread(
                target=context.run, args=(lambda: heard.update({lang: i18n._("Category")}),)
            )
            worker.start()
            worker.join()

    threads = [threading.Thread(target=serve, args=(lang,)) for lang in ("zh-Hant", "zh-Hans", "en")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert heard == {"zh-Hant": "類別", "zh-Hans": "类别", "en": "Category"}
    assert (i18n.language(), i18n._("Food")) == ("en", "Food")
    with i18n.speaking("zh-Hant"):
        assert i18n._("Category") == "類別"
    assert i18n._("Category") == "Category"
    with pytest.raises(UnknownLanguage), i18n.speaking("fr"):
        pass


# ------------------------------------------------------------------ issue 19: no English left in Chinese

# Everyday meals typed in Chinese: their output must hold no Latin-letter unit or English word
# beyond what stays as published (citations, portion descriptions) and these, which every reader
# of the tool meets as they are: the forms and nutrients, the tool's name, commands and options.
EVERYDAY_MEALS = [
    "兩個雞蛋、一杯牛奶",
    "一份納豆",
    "納豆配白飯",
    "雞胸肉 100 公克",
    "30 公克起司、一片吐司",
    "一杯優格",
    "雞心 3 顆",
    "牛奶 200 毫升、一湯匙奶油",
    "鮭魚",  # a serving of '3 oz': 「3 盎司」
    "100 公克納豆、鴨肝",  # one refused item: its row and its reason in Chinese too
]
KEPT_AS_IS = re.compile(
    r"（[^（）]*\d{4}[^（）]*）|\([^()]*\d{4}[^()]*\)"  # a citation in brackets, with its year
    r"|https?://\S+|`[^`]*`|--[a-z][a-z-]*|\bMK(?:-\d+)?\b|\bK[12]\b|\bD3?\b|\bIU\b|d3k2db|µg"
)


def fallback_citations() -> list[str]:
    """The cited fallbacks' sources and locators (data/unit_fallbacks.csv): citations, as published."""
    import csv

    with (Path(__file__).resolve().parent.parent / "data" / "unit_fallbacks.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return sorted(
        {row[key] for row in rows for key in ("source", "locator") if row[key]}, key=len, reverse=True
    )


def english_words(text: str) -> list[str]:
    for citation in fallback_citations():
        text = text.replace(citation, " ")
    return re.findall(r"[A-Za-z]{2,}", without_published(KEPT_AS_IS.sub(" ", text)))


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
@pytest.mark.parametrize(
    "args",
    [*(["meal", meal, "--d3", "5000"] for meal in EVERYDAY_MEALS), ["pair", "--d3", "5000", "-n", "10"]],
    ids=lambda args: " ".join(args),
)
def test_no_english_word_is_left_in_chinese_output(
    runner: CliRunner, db_url: str, lang: str, args: list[str]
) -> None:
    result = run(runner, lang, args)
    assert result.exit_code in (0, 3), result.output
    assert english_words(result.stdout + result.stderr) == [], result.output


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_chinese_quotes_the_typed_words_in_corner_brackets(runner: CliRunner, db_url: str, lang: str) -> None:
    text = run(runner, lang, ["meal", "100 公克納豆、鴨肝"]).stdout
    assert "「鴨肝」" in text and "'鴨肝'" not in text, text

"""The gettext catalogs stay whole and honest: every message of the source is translated in both
scripts, nothing stale, obsolete or fuzzy is kept, placeholders survive translation, the compiled
.mo says what its .po says, and the Simplified catalog is the Traditional one in mainland usage.

The messages are extracted from the source at test time, with Babel's extract API (tools/i18n.py).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

REPO = Path(__file__).resolve().parent.parent
LOCALES = ("zh_Hant", "zh_Hans")


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", REPO / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TOOL = _tool()


def catalog(locale: str) -> Catalog:
    with TOOL.po_path(locale).open("rb") as handle:
        return read_po(handle, locale=locale)


def entries(locale: str) -> dict[tuple[Any, str | None], Any]:
    return {(m.id, m.context): m.string for m in catalog(locale) if m.id}


def source_messages() -> set[tuple[Any, str | None]]:
    return {(message, context) for message, context, _path, _line in TOOL.extract_messages()}


def test_the_source_has_messages_to_translate() -> None:
    found = source_messages()
    assert len(found) > 300
    # a docstring, an option's help, a marked message and a unit word are all extracted
    assert (
        "Find foods with K2: per 100 g and per serving, by form.\n\nExample: d3k2db search natto",
        None,
    ) in found
    assert ("Only this category, e.g. cheese.", None) in found
    assert ("no food matches {term}", None) in found
    assert ("tbsp", None) in found and ("egg", "category") in found


@pytest.mark.parametrize("locale", LOCALES)
def test_every_message_of_the_source_is_translated(locale: str) -> None:
    translated = entries(locale)
    missing = [key for key in source_messages() if key not in translated]
    assert missing == [], (
        f"{locale}: messages not in the catalog (python tools/i18n.py update): {missing[:5]}"
    )
    empty = [key for key, text in translated.items() if not (all(text) if isinstance(text, tuple) else text)]
    assert empty == [], f"{locale}: untranslated: {empty[:5]}"


@pytest.mark.parametrize("locale", LOCALES)
def test_no_stale_obsolete_or_fuzzy_entry(locale: str) -> None:
    stale = set(entries(locale)) - source_messages()
    assert stale == set(), f"{locale}: messages no longer in the source: {sorted(map(str, stale))[:5]}"
    po = catalog(locale)
    assert not po.obsolete, f"{locale}: obsolete entries (#~): {list(po.obsolete)[:5]}"
    fuzzy = [m.id for m in po if m.id and m.fuzzy]
    assert fuzzy == [], f"{locale}: fuzzy entries: {fuzzy[:5]}"


PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\(\w+\)[sdr]|%[sdr]")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.mark.parametrize("locale", LOCALES)
def test_placeholders_are_the_same_in_the_translation(locale: str) -> None:
    wrong = []
    for (msgid, _context), text in entries(locale).items():
        pairs = (
            [(msgid[0], text[0]), *((msgid[1], form) for form in text[1:])]
            if isinstance(msgid, tuple)
            else [(msgid, text)]
        )
        wrong += [(source, form) for source, form in pairs if placeholders(source) != placeholders(form)]
    assert wrong == [], f"{locale}: placeholders differ: {wrong[:3]}"


def test_the_placeholder_check_can_fail() -> None:
    assert placeholders("{count} foods") != placeholders("{n} 種食物")
    assert placeholders("%s x") != placeholders("x")


def _tuple(value: Any) -> Any:
    return tuple(value) if isinstance(value, list | tuple) else value


@pytest.mark.parametrize("locale", LOCALES)
def test_the_compiled_mo_is_up_to_date_with_its_po(locale: str) -> None:
    mo_path = TOOL.po_path(locale).with_suffix(".mo")
    with mo_path.open("rb") as handle:
        compiled = {(_tuple(m.id), m.context): _tuple(m.string) for m in read_mo(handle) if m.id}
    assert compiled == entries(locale), f"{mo_path} is out of date: python tools/i18n.py compile"


def test_simplified_is_the_traditional_catalog_in_mainland_usage() -> None:
    """Every zh_Hans message is its zh_Hant one through OpenCC t2s and the reviewed term list."""
    hant, hans = entries("zh_Hant"), entries("zh_Hans")
    differ = []
    for key, text in hant.items():
        expected = tuple(TOOL.to_hans(t) for t in text) if isinstance(text, tuple) else TOOL.to_hans(text)
        if hans.get(key) != expected:
            differ.append((key, hans.get(key), expected))
    assert differ == [], differ[:3]


@pytest.mark.parametrize(
    ("hant", "hans"),
    [
        ("維他命 D3", "维生素 D3"),
        ("50 公克", "50 克"),
        ("起司", "奶酪"),
        ("資料庫", "数据库"),
        ("預設", "默认"),
        ("匯入", "导入"),
    ],
)
def test_the_term_list_gives_mainland_words(hant: str, hans: str) -> None:
    assert TOOL.to_hans(hant) == hans


@pytest.mark.parametrize(
    ("locale", "msgid", "expected"),
    [
        ("zh_Hant", "{amount} g", "{amount} 公克"),
        ("zh_Hans", "{amount} g", "{amount} 克"),
        ("zh_Hant", "tbsp", "湯匙"),
        ("zh_Hans", "tbsp", "汤匙"),
        ("zh_Hant", "tsp", "茶匙"),
        ("zh_Hant", "cup", "杯"),
        ("zh_Hant", "ml", "毫升"),
        ("zh_Hans", "ml", "毫升"),
    ],
)
def test_units_in_the_customary_form_of_each_script(locale: str, msgid: str, expected: str) -> None:
    assert entries(locale)[(msgid, None)] == expected


@pytest.mark.parametrize("locale", LOCALES)
def test_one_word_for_vitamin_and_gram_per_script(locale: str) -> None:
    texts = " ".join(t if isinstance(t, str) else " ".join(t) for t in entries(locale).values())
    if locale == "zh_Hant":
        assert "維他命" in texts and "維生素" not in texts
        assert "公克" in texts
    else:
        assert "维生素" in texts and "维他命" not in texts
        assert "公克" not in texts and "起司" not in texts


def test_no_message_is_hidden_in_an_f_string() -> None:
    """Babel cannot see a literal _("…") inside an f-string's braces: such a message would never
    reach the catalog, and the completeness test could not notice."""
    hidden = []
    for path in sorted((REPO / "d3k2db").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"""\{[^{}"']*\b(?:_|N_|ngettext)\(\s*["']""", line) and re.search(
                r"\bf[\"']", line
            ):
                hidden.append(f"{path.relative_to(REPO)}:{number}: {line.strip()}")
    assert hidden == []

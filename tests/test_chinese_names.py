"""The Chinese names in data/aliases.csv agree across scripts.

For every food, each Traditional name (lang zh-Hant) converted to Simplified by OpenCC must be one of
that food's Simplified names (lang zh-Hans); a `zh` row counts for both scripts, so it must convert to
itself; and a food with any Chinese name has one in each script. A typo, a character from the wrong
script or a name that drifted from its counterpart (the two scripts naming different things) fails.

OpenCC config: plain `t2s` (character conversion), not `tw2sp`. `tw2sp` also swaps Taiwan vocabulary
for mainland vocabulary from OpenCC's own phrase list (乳酪 -> 奶酪, 義大利 -> 意大利 ...), which would make
OpenCC's dictionary, and whichever version of it is installed, the judge of our wording. With `t2s`,
every place where the customary term differs between Taiwan and the mainland is written down below,
where a reviewer can see and challenge it.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pandas as pd
import pytest

from d3k2db import K2Database

opencc = pytest.importorskip("opencc", reason="opencc is in the `test` extra")

DATA = Path(__file__).resolve().parent.parent / "data"

# Customary Taiwan (Traditional) term -> mainland (Simplified) term for the same thing. After t2s, a
# Traditional name may have any combination of these replaced before it is looked up among the food's
# Simplified names. Only term pairs that mean the same thing belong here; never a whole name just to
# make the test pass.
TERM_EXCEPTIONS: dict[str, str] = {
    # dairy
    "乳酪": "奶酪",  # cheese
    "起司": "奶酪",  # cheese (loanword)
    "加工乳酪": "再制奶酪",  # processed cheese
    "鄉村乳酪": "农家干酪",  # cottage cheese
    "優格飲": "酸奶饮料",  # yogurt drink (ayran)
    "優格": "酸奶",  # yogurt
    "鮮乳": "鲜奶",  # fresh milk
    "鮮奶油": "淡奶油",  # whipping cream
    "液態鮮奶油": "液态奶油",  # liquid cream (mainland 奶油 = cream here)
    "奶油": "黄油",  # butter: Taiwan 奶油 is butter (optional swap, so 奶油乳酪 = 奶油奶酪 still matches)
    "抹醬": "酱",  # spread
    "白脫牛奶": "酪乳",  # buttermilk
    "乳瑪琳": "麦淇淋",  # margarine
    "克菲爾": "开菲尔",  # kefir (transliteration)
    # cheese names: different transliterations
    "莫札瑞拉": "马苏里拉",  # mozzarella
    "古岡左拉": "戈贡佐拉",  # gorgonzola
    "布利": "布里",  # brie
    "艾曼塔": "埃曼塔",  # emmental
    "洛克福": "罗克福",  # roquefort
    "拉克雷特": "拉克莱特",  # raclette
    "曼徹格": "曼切戈",  # manchego
    # meat and cuts
    "義大利": "意大利",  # Italy
    "義式": "意式",  # Italian-style
    "辣臘腸": "辣香肠",  # pepperoni
    "波隆那": "博洛尼亚",  # Bologna
    "紐約克": "纽约客",  # New York (strip)
    "牛絞肉": "牛肉馅",  # ground beef
    "牛後腿股肉": "牛后腿肉",  # beef round
    "牛腱子心": "牛腱子",  # beef shank
    "豬後腿瘦肉": "猪后腿肉",  # pork leg
    "豬大里肌": "猪通脊",  # pork loin
    "豬腰內肉": "猪里脊",  # pork tenderloin
    "腰內肉": "里脊肉",  # pork tenderloin
    "山豬": "野猪",  # wild boar
    "棒棒腿": "琵琶腿",  # chicken drumstick
    "棒腿": "琵琶腿",  # chicken drumstick
    "雞腳": "鸡爪",  # chicken feet
    "二節翅": "中翅",  # chicken wing midsection
    "骨腿": "带骨鸡腿",  # bone-in chicken leg (Taiwan FDA term)
    "去皮清肉": "鸡胸肉",  # skinless chicken breast (Taiwan FDA term)
    "珠雞": "珍珠鸡",  # guinea fowl
    "睪": "睾",  # testis: t2s keeps 睪, the mainland standard form is 睾
    # fish and seafood
    "阿拉斯加鱈": "阿拉斯加狭鳕",  # Alaska pollock (Gadus chalcogrammus)
    "魮": "鲃",  # barbs (Catla): Taiwan names the genus 魮, the mainland 鲃
    "𫚔": "鮰",  # 鮰 (catfish): t2s gives the rare standard 𫚔; mainland trade names keep 鮰
    "鰈魚切片": "鲽鱼片",  # flatfish fillet
    "蚵仔": "牡蛎",  # oyster (Taiwanese)
    "草對蝦": "斑节对虾",  # giant tiger prawn (Penaeus monodon)
    "白對蝦": "南美白对虾",  # whiteleg shrimp (Litopenaeus vannamei)
    "鮪魚": "金枪鱼",  # tuna
    "鮪": "金枪鱼",  # tuna (黃鰭鮪, yellowfin)
    "吳郭魚": "罗非鱼",  # tilapia
    "尼羅口孵非鯽": "尼罗罗非鱼",  # Nile tilapia (Oreochromis niloticus)
    "魩仔": "吻仔",  # whitebait
    # Taiwan's "鯛魚片" is tilapia fillet; on the mainland a bare 鲷鱼 is sea bream, so the
    # Simplified name says where it is from.
    "鯛魚片": "台湾鲷鱼片",
}


def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def _names() -> tuple[dict[str, list[str]], dict[str, set[str]], dict[str, list[str]]]:
    aliases = pd.read_csv(DATA / "aliases.csv", dtype=str, keep_default_na=False, encoding="utf-8")
    hant: dict[str, list[str]] = defaultdict(list)
    hans: dict[str, set[str]] = defaultdict(set)
    both: dict[str, list[str]] = defaultdict(list)
    for food, alias, lang in aliases[["food", "alias", "lang"]].itertuples(index=False):
        if lang == "zh-Hant":
            hant[food].append(alias)
        elif lang == "zh-Hans":
            hans[food].add(alias)
        elif lang == "zh":
            both[food].append(alias)
    return hant, hans, both


def simplified_readings(cc: opencc.OpenCC, traditional: str) -> set[str]:
    """t2s of the name, and every variant with some of TERM_EXCEPTIONS' mainland terms swapped in."""
    readings = {cc.convert(traditional)}
    for taiwan, mainland in TERM_EXCEPTIONS.items():
        key = cc.convert(taiwan)
        readings |= {r.replace(key, mainland) for r in readings if key in r}
    return readings


def test_zh_rows_are_the_same_in_both_scripts():
    cc = _t2s()
    _, _, both = _names()
    wrong = [(f, n, cc.convert(n)) for f, names in both.items() for n in names if cc.convert(n) != n]
    assert not wrong, f"lang zh rows that are not script-neutral (use zh-Hant + zh-Hans): {wrong}"


def test_every_food_with_a_chinese_name_has_both_scripts():
    hant, hans, both = _names()
    foods = set(hant) | set(hans) | set(both)
    missing = sorted(f for f in foods if not (hant[f] or both[f]) or not (hans[f] or both[f]))
    assert not missing, f"foods with Chinese names in one script only: {missing}"


def _cheese_variant_of(name: str, names: set[str] | list[str]) -> bool:
    """A name that is a curated 乳酪 name of the same food written with another word for cheese."""
    return any(word in name and name.replace(word, "乳酪") in names for word in ("起司", "芝士"))


@pytest.mark.parametrize(
    ("typed", "food"),
    [
        ("高達乳酪", "gouda"),
        ("高達起司", "gouda"),
        ("高達芝士", "gouda"),
        ("高达奶酪", "gouda"),
        ("高达芝士", "gouda"),
        ("切達起司", "cheddar"),
        ("切达芝士", "cheddar"),
    ],
)
def test_cheese_names_are_found_by_every_customary_word(db_url: str, typed: str, food: str) -> None:
    """Taiwan writes 乳酪 or 起司, Hong Kong 芝士, the mainland 奶酪 or 芝士: each spelling of a
    cheese's name finds the same food, in show and in a meal."""
    with K2Database(db_url) as db:
        assert db.show(typed).name == food
        assert [(item.food, item.match) for item in db.meal([f"30 g {typed}"]).items] == [(food, "alias")]


def test_traditional_names_match_a_simplified_name():
    cc = _t2s()
    hant, hans, both = _names()
    wrong = []
    for food, names in sorted(hant.items()):
        simplified = hans[food] | set(both[food])
        for name in names:
            if _cheese_variant_of(name, names):
                continue  # tools/build_data.py CHEESE_WORDS: 起司 / 芝士 spellings of a curated 乳酪 name
            if not simplified_readings(cc, name) & simplified:
                wrong.append(f"{food}: {name} -> {cc.convert(name)} not in {sorted(simplified)}")
    assert not wrong, "Traditional names with no Simplified counterpart:\n" + "\n".join(wrong)


def test_exceptions_are_not_plain_script_conversions():
    # An entry whose two sides t2s already equates is no exception and only hides the rule.
    cc = _t2s()
    useless = [k for k, v in TERM_EXCEPTIONS.items() if cc.convert(k) == v]
    assert not useless, useless


@pytest.mark.parametrize(
    ("term", "expected"),
    [
        ("肝", {"beef liver, raw", "chicken liver, raw", "goose liver, raw", "calf liver"}),
        ("鮭魚", {"atlantic salmon, raw", "salmon, wild, raw", "salmon roe"}),
        ("乳酪", {"gouda", "cheddar", "brie", "camembert", "cream cheese"}),
        ("奶酪", {"gouda", "cheddar", "brie", "camembert"}),
    ],
)
def test_a_short_chinese_term_finds_every_name_that_contains_it(
    db_url: str, term: str, expected: set[str]
) -> None:
    """Chinese names have no spaces, so one or two characters (肝 liver, 鮭魚 salmon) are how a
    reader searches: every food whose Chinese name contains them is found, not only names that
    begin with them. (SQLite 3.40's trigram index finds nothing for such a term; the search reads
    the tables instead.)"""
    with K2Database(db_url) as db:
        found = {hit.name for hit in db.search(term, limit=500)}
    assert expected <= found

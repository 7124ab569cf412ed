"""The web page and its API in Traditional and Simplified Chinese: the request's language reaches
everything the library says (the same words as the CLI), the templates' own words come from the
catalogs, JSON keys and codes never change, and two requests in two languages never mix.

The expected Chinese below is written by hand from the translation choices (維他命/公克 in
Traditional, 维生素/克 in Simplified), not copied from the program's output.
"""

from __future__ import annotations

import asyncio
import re
from html import unescape
from typing import Any

import httpx
import pytest

from d3k2db.web.app import create_app
from tests.web_client import seed_food, web

PAGES = [
    "/", "/?q=natto", "/food/natto", "/meal?q=2+eggs,+1+tbsp+butter&d3=5000", "/top", "/sources",
    "/plan?d3=2000&diet=vegetarian",
]  # fmt: skip

# English UI strings of the templates and the script's strings: none may be left on a Chinese page.
ENGLISH_UI = [
    "Vitamin K2 in foods",
    "Skip to the content",
    "Search",
    "Meal & D3",
    "Richest foods",
    "Sources",
    "Not medical advice",
    "Figures in µg per 100 g",
    "Food name, alias or part of one",
    "any form",
    "every category",
    "foods found",
    "µg / 100 g",
    "Category",
    "Serving",
    "main form",
    "K2 per 100 g",
    "Every measurement",
    "Other names",
    "Put it in a meal",
    "How each item was read",
    "Read as",
    "K2 in this meal",
    "Your D3 dose calls for",
    "not covered",
    "The foods richest in K2",
    "Include doubtful figures",
    "Copy read",
    "Language",
    "Pages",
    "No food matches.",
    "Type a meal above.",
    "partial figure",
    "doubtful",
]

# Per language: what a reader must see (hand-written), on the search page and on the food page.
EXPECTED = {
    "zh-Hant": {
        "/": ["<title>食物中的維他命 K2 · d3k2db</title>", "<h1>食物中的維他命 K2</h1>", ">搜尋</a>",
              ">餐點與 D3</a>", ">來源</a>", ">起司</option>", "所有類別", "不構成醫療建議。維他命 K"],
        "/food/natto": ["<title>納豆 · d3k2db</title>", "英文名稱", "發酵黃豆", "每 100 公克的 K2",
                        'aria-label="這個類別中每 100 公克的 K2"', "所有測量"],
        "/top": ["K2 含量最高的食物", "包含存疑的數值"],
        "/sources": [">來源（出版者網頁）</th>", ">數值讀取自</th>", "讀取自副本"],
        "/plan?d3=2000&diet=vegetarian": ["<h1>為你的 D3 規劃 K2</h1>", ">蛋奶素</label>", ">全素</label>"],
    },
    "zh-Hans": {
        "/": ["<title>食物中的维生素 K2 · d3k2db</title>", "<h1>食物中的维生素 K2</h1>", ">搜索</a>",
              ">餐点与 D3</a>", ">来源</a>", ">奶酪</option>", "所有类别", "不构成医疗建议。维生素 K"],
        "/food/natto": ["<title>纳豆 · d3k2db</title>", "英文名称", "发酵大豆", "每 100 克的 K2",
                        'aria-label="这个类别中每 100 克的 K2"', "所有测量"],
        "/top": ["K2 含量最高的食物", "包含存疑的数值"],
        "/sources": [">来源（出版者网页）</th>", ">数值读取自</th>", "读取自副本"],
        "/plan?d3=2000&diet=vegetarian": ["<h1>为你的 D3 规划 K2</h1>", ">蛋奶素</label>", ">全素</label>"],
    },
}  # fmt: skip


def visible(page: str) -> str:
    """The text a reader sees or hears (a page's body, or a part the script swaps in), plus every
    aria-label, placeholder and <title> (an SVG's included); a link's title (a food's English name)
    is data, not UI."""
    body = page.split("<body", 1)[-1]
    attributes = re.findall(r'(?:aria-label|placeholder)="([^"]*)"', page)
    return unescape(" ".join([re.sub(r"<[^>]+>", " ", body), *attributes]))


# The parts of the pages the script swaps in as you type (/fragments/…): the same words as the pages.
FRAGMENTS = [
    "/fragments/search?q=natto", "/fragments/search?q=qqqzzzx", "/fragments/search?q=atlantic+cod",
    "/fragments/meal?q=2+eggs,+1+tbsp+butter&d3=5000", "/fragments/meal?q=", "/fragments/meal?q=2+eggs&d3=x",
]  # fmt: skip


@pytest.mark.parametrize("lang", ["zh-Hant", "zh-Hans"])
def test_chinese_pages_have_their_words_and_no_english_ui(db_url: str, lang: str) -> None:
    with web(db_url) as client:
        for path in PAGES:
            response = client.get(path, params={"lang": lang})
            assert response.status_code == 200, path
            page = response.text
            assert f'<html lang="{lang}">' in page
            for expected in EXPECTED[lang].get(path, []):
                assert expected in page, (lang, path, expected)
            text = visible(page)
            left = [english for english in ENGLISH_UI if english in text]
            assert left == [], (lang, path, left)
        for path in FRAGMENTS:  # what the script swaps in: in the page's language too
            part = client.get(path, params={"lang": lang})
            assert part.status_code == 200 and "<html" not in part.text, path
            left = [english for english in ENGLISH_UI if english in visible(part.text)]
            assert left == [], (lang, path, left)


def test_the_parts_the_script_swaps_in_carry_the_data_words(db_url: str) -> None:
    """Categories, units and flag reasons in the page's language, written by the server alone."""
    with web(db_url) as client:

        def part(path: str, lang: str, **query: str) -> str:
            return unescape(client.get(path, params={**query, "lang": lang}).text)

        gouda = {lang: part("/fragments/search", lang, q="gouda") for lang in ("en", "zh-Hant", "zh-Hans")}
        cod = {lang: part("/fragments/search", lang, q="atlantic cod") for lang in ("en", "zh-Hant")}
        butter = part("/fragments/meal", "zh-Hant", q="1 tbsp butter")
    assert '<span class="category">cheese</span>' in gouda["en"]
    assert '<span class="category">起司</span>' in gouda["zh-Hant"] and "公克）" in gouda["zh-Hant"]
    assert '<span class="category">奶酪</span>' in gouda["zh-Hans"] and "克）" in gouda["zh-Hans"]
    assert "! outlier: " in cod["en"] and "! 離群值：" in cod["zh-Hant"] and "outlier" not in cod["zh-Hant"]
    assert "1 tbsp butter → 1 × 湯匙（" in butter  # what was typed, then the reading in Chinese


def test_the_api_names_foods_in_the_language_with_the_english_name_beside(db_url: str) -> None:
    with web(db_url) as client:
        hant = client.get("/api/search", params={"q": "納豆", "lang": "zh-Hant"}).json()
        hans = client.get("/api/search", params={"q": "納豆", "lang": "zh-Hans"}).json()
        english = client.get("/api/search", params={"q": "納豆", "lang": "en"}).json()
    assert hant["foods"][0]["name"] == "納豆" and hant["foods"][0]["name_en"] == "natto"
    assert hans["foods"][0]["name"] == "纳豆" and hans["foods"][0]["name_en"] == "natto"
    assert english["foods"][0]["name"] == "natto"
    for answer in (hant, hans):  # codes stay codes
        assert answer["foods"][0]["category"] == "fermented_soy" and answer["foods"][0]["tag"] == "MK-7"


def keys(data: Any) -> Any:
    """The shape of a JSON answer: its keys, all the way down (values left out)."""
    if isinstance(data, dict):
        return {key: keys(value) for key, value in data.items()}
    if isinstance(data, list):
        return [keys(item) for item in data[:1]]
    return None


@pytest.mark.parametrize(
    "path",
    [
        "/api/search?q=cheese",
        "/api/search?q=qqqq",
        "/api/foods/natto",
        "/api/meal?q=2+eggs,+1+tbsp+butter&d3=5000",
        "/api/meal?q=2+slices+natto&list_refused=true",
        "/api/pair?d3=5000",
        "/api/top",
        "/api/sources",
        "/api/foods/qqqqq",
    ],
)
def test_json_keys_are_the_same_in_every_language(db_url: str, path: str) -> None:
    with web(db_url) as client:
        answers = {lang: client.get(path, params={"lang": lang}) for lang in ("en", "zh-Hant", "zh-Hans")}
    assert len({answer.status_code for answer in answers.values()}) == 1
    shapes = [keys(answer.json()) for answer in answers.values()]
    assert shapes[0] == shapes[1] == shapes[2]


def test_api_errors_and_refusals_speak_the_language(db_url: str) -> None:
    with web(db_url) as client:
        missing = client.get("/api/foods/qqqqq", params={"lang": "zh-Hant"})
        assert missing.status_code == 404 and missing.json()["code"] == "food_not_found"
        assert missing.json()["error"] == "沒有食物符合「qqqqq」"  # 「」 in Chinese (issue 19)
        refused = client.post("/api/foods?lang=zh-Hans", json={"name": "x", "mk7": 1})
        assert refused.status_code == 403 and refused.json()["code"] == "edits_not_allowed"
        assert refused.json()["error"].startswith("编辑功能已关闭")
        nothing = client.get("/api/search", params={"q": "qqqq", "lang": "zh-Hant"}).json()
        assert nothing["count"] == 0 and "qqqq" in nothing["message"] and "沒有" in nothing["message"]
        too_long = client.get("/api/search", params={"q": "x" * 600, "lang": "zh-Hant"})
        assert too_long.status_code == 422 and too_long.json()["error"] == "q：最多 500 個字元"
        no_dose = client.get("/api/pair", params={"d3": "many", "lang": "zh-Hans"}).json()
        assert no_dose == {"error": "d3：不是数字", "code": "invalid"}
        page = client.get("/no/such/page", headers={"accept-language": "zh-TW"})
        assert page.status_code == 404 and "沒有這個網頁" in page.text and "無法完成" in page.text


def test_the_meal_page_reads_a_meal_typed_in_chinese(db_url: str) -> None:
    egg = seed_food("whole egg, raw")
    two_eggs = 2 * float(egg["serving_g"]) * float(egg["total_k2"]) / 100
    with web(db_url) as client:
        hant = client.get("/meal", params={"q": "2個雞蛋", "d3": "5000", "lang": "zh-Hant"}).text
        hans = client.get("/meal", params={"q": "2个鸡蛋", "d3": "5000", "lang": "zh-Hans"}).text
    assert "2個雞蛋 → 2 × 大（50 公克）= 100 公克" in unescape(hant)
    assert ">生雞蛋</a>" in hant and "這一餐的 K2：<strong>" in hant and "你的 D3 劑量需要" in hant
    assert "2个鸡蛋 → 2 × 大（50 克）= 100 克" in unescape(hans)
    assert ">生鸡蛋</a>" in hans and "这一餐的 K2：" in hans and "不足" in hans
    for page in (hant, hans):
        total = re.search(r'id="meal-total" data-ug="([\d.]+)"', page)
        assert total is not None and float(total.group(1)) == pytest.approx(two_eggs, abs=0.01)
        assert 'href="/food/whole%20egg%2C%20raw"' in page  # the address stays the English name


def test_the_language_switch_keeps_the_page_and_its_query(db_url: str) -> None:
    with web(db_url) as client:
        page = client.get("/meal", params={"q": "2個雞蛋", "d3": "5000", "lang": "zh-Hant"}).text
    switch = dict(re.findall(r'class="lang-switch" hreflang="([^"]+)" lang="[^"]+" href="([^"]+)"', page))
    assert switch["zh-Hans"] == "/meal?q=2%E5%80%8B%E9%9B%9E%E8%9B%8B&amp;d3=5000&amp;lang=zh-Hans"
    assert switch["en"].endswith("&amp;lang=en") and switch["en"].startswith("/meal?q=")


def test_the_answer_cache_keeps_each_language_apart(tmp_path: Any) -> None:
    url = f"sqlite:///{tmp_path / 'k2.sqlite'}"
    with web(url) as client:
        assert client.app.state.answers.enabled  # type: ignore[attr-defined]
        for _round in range(2):  # the second round is answered from the cache
            assert client.get("/api/search?q=natto&lang=en").json()["foods"][0]["name"] == "natto"
            assert client.get("/api/search?q=natto&lang=zh-Hant").json()["foods"][0]["name"] == "納豆"
            assert client.get("/api/search?q=natto&lang=zh-Hans").json()["foods"][0]["name"] == "纳豆"
            assert "沒有" in client.get("/api/search?q=qqqq&lang=zh-Hant").json()["message"]
            assert "沒有" not in client.get("/api/search?q=qqqq&lang=en").json()["message"]
            assert "納豆" in client.get("/fragments/search?q=natto&lang=zh-Hant").text
            assert "纳豆" in client.get("/fragments/search?q=natto&lang=zh-Hans").text
            assert ">natto<" in client.get("/fragments/search?q=natto&lang=en").text


def test_requests_in_two_languages_at_once_never_mix(db_url: str) -> None:
    """Forty meals in flight together on one event loop, alternately in zh-Hant and in English: each
    answer is in its own request's language (the language is a context variable, not a global)."""
    app = create_app(db_url, allowed_hosts=("t",))

    async def ask(index: int) -> tuple[str, str, str]:
        lang = "zh-Hant" if index % 2 else "en"
        params: dict[str, str] = {"q": "2 eggs, 1 tbsp butter", "d3": "5000"}
        if index % 4 < 2:
            params["lang"] = lang
            headers = {}
        else:
            headers = {"accept-language": "zh-TW" if lang == "zh-Hant" else "en-US"}
        # a client of its own: a shared one would carry the lang cookie of one request to the next
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as client:
            api = await client.get("/api/meal", params=params, headers=headers)
            page = await client.get("/meal", params=params, headers=headers)
        return lang, api.json()["items"][0]["interpretation"], page.text

    async def every() -> list[tuple[str, str, str]]:
        return await asyncio.gather(*(ask(index) for index in range(40)))

    try:
        answers = asyncio.run(every())
    finally:
        app.state.answers.close()
        app.state.db.close()
    for lang, interpretation, page in answers:
        if lang == "zh-Hant":
            assert "公克" in interpretation and "這一餐的 K2：" in page and "K2 in this meal" not in page
        else:
            assert "公克" not in interpretation and "K2 in this meal:" in page and "這一餐" not in page

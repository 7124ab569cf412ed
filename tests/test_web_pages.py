"""The HTML pages: the DOM contract the browser tests rely on, every page working without
JavaScript, escaping of hostile names, the language switch, and no inline script or style that
the Content-Security-Policy would block."""

from __future__ import annotations

import gettext
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import quote

import pytest

from d3k2db import FoodNotFound, K2Database
from d3k2db.domain.records import FoodSpec, Invalid
from tests import published
from tests.web_client import HOSTILE, REPO, TEST_HOSTS, seed_food, seed_portion, web

STATIC = REPO / "d3k2db" / "web" / "static"


class Elements(HTMLParser):
    """Every start tag of the document with its attributes; a <template>'s content is not in the
    document (the browser keeps it inert, for the script to copy), so it is not listed."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.inert = 0
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self.inert:
            self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self.inert += tag == "template"

    def handle_endtag(self, tag: str) -> None:
        self.inert -= tag == "template"

    def find(
        self, tag: str | None = None, *, id: str | None = None, cls: str | None = None
    ) -> list[dict[str, str]]:
        return [
            attrs
            for name, attrs in self.tags
            if (tag is None or name == tag)
            and (id is None or attrs.get("id") == id)
            and (cls is None or cls in attrs.get("class", "").split())
        ]

    def one(self, tag: str | None = None, *, id: str | None = None, cls: str | None = None) -> dict[str, str]:
        found = self.find(tag, id=id, cls=cls)
        assert len(found) == 1, (tag, id, cls, found)
        return found[0]


def row_text(page: str, cls: str) -> list[str]:
    """The text of each <li>/<tr> of class ``cls`` (tags stripped)."""
    rows = re.findall(rf'<(li|tr) class="{cls}"[^>]*>(.*?)</\1>', page, flags=re.DOTALL)
    return [unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", body))).strip() for _tag, body in rows]


PAGES = [
    "/", "/?q=nat&form=MK-7", "/food/natto", "/meal?q=2+eggs,+1+tbsp+butter&d3=5000", "/top", "/sources",
    "/plan?d3=2000&diet=vegetarian",
]  # fmt: skip


def test_every_page_has_the_nav_and_the_language_switch(db_url: str) -> None:
    with web(db_url) as client:
        for url in [*PAGES, "/food/qqqzzz"]:
            response = client.get(url)
            page = Elements(response.text)
            assert page.one("html")["lang"] == "en"
            for link in ("nav-search", "nav-meal", "nav-plan", "nav-top", "nav-sources"):
                page.one("a", id=link)
            switch = {a["hreflang"]: a["href"] for a in page.find("a", cls="lang-switch")}
            assert set(switch) == {"en", "zh-Hant", "zh-Hans"}
            assert all(
                href.startswith("/") and f"lang={quote(code)}" in href for code, href in switch.items()
            )
            assert not page.find("script", id="strings")  # the script has no words of its own


def test_no_inline_script_or_style_so_the_csp_can_be_strict(db_url: str) -> None:
    with web(db_url) as client:
        for url in PAGES:
            page = Elements(client.get(url).text)
            for attrs in page.find():
                assert "style" not in attrs and not any(name.startswith("on") for name in attrs), (url, attrs)
            for script in page.find("script"):
                assert script.get("src") == "/static/app.js"
            assert not page.find("style")
            assert all(link["href"].startswith(("/static/", "data:")) for link in page.find("link"))
    script = (STATIC / "app.js").read_text(encoding="utf-8")
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(", script)
    # the server's fragments are parsed in one place (an inert document); no HTML is written in it
    assert script.count("parseFromString(") == 1
    assert not re.search(r"[\"'][^\"'\n]*<[a-zA-Z/]", script), "an HTML string in app.js"
    assert "http" not in (STATIC / "style.css").read_text(encoding="utf-8")  # no web font, no CDN


def test_search_page_lists_results_with_tag_forms_figures_and_flags(db_url: str) -> None:
    natto = seed_food("natto")
    with web(db_url) as client:
        response = client.get("/?q=natto")
        page = Elements(response.text)
        assert page.one("input", id="q")["type"] == "search" and page.one("input", id="q")["value"] == "natto"
        page.one("select", id="form-filter")
        page.one("select", id="category-filter")
        assert page.one(id="results")["aria-live"] == "polite"
        assert "hidden" in page.one(id="no-results")
        assert page.find("li", cls="result")
        first = page.find("a", cls="food-link")[0]
        assert first["href"] == "/food/natto"
        rows = row_text(response.text, "result")
        assert rows[0].startswith("natto") and natto["tag"] in rows[0]
        assert natto["coverage"] == "partial" and not all(natto[form] for form in published.FORMS)
        assert f"{published.k2_per_100g(natto):.1f}‡" in rows[0]  # partial, marked at the number
        assert "partial figure" in rows[0] and "not measured" in rows[0]
        for cls in ("tag", "forms", "k2-100g", "k2-serving", "flags"):
            assert f'class="{cls}"' in response.text

        # a figure measured on another product, doubtful and an outlier: '!' with why
        assert [f.split(":")[0] for f in seed_food("brown tiger prawn")["flags"].split(" | ")] == [
            "other product",
            "doubtful",
            "outlier",
        ]
        flagged = client.get("/?q=brown tiger prawn").text
        first = row_text(flagged, "result")[0]
        assert "!" in first and "other product:" in first and "outlier:" in first  # each flag names its kind
        assert "doubtful figure: " not in flagged  # … so no second label before it ('doubtful: doubtful:')

        filtered = client.get("/?q=nat&form=MK-7")
        options = Elements(filtered.text).find("option")
        assert {"value": "MK-7", "selected": ""} in options
        assert all("MK-7" in row for row in row_text(filtered.text, "result"))

        cheese = client.get("/?category=cheese")
        assert {"value": "cheese", "selected": ""} in Elements(cheese.text).find("option")
        assert len(Elements(cheese.text).find("li", cls="result")) > 5

        empty = client.get("/?q=qqqzzz")
        assert empty.status_code == 200
        assert "hidden" not in Elements(empty.text).one(id="no-results")
        assert not Elements(empty.text).find("li", cls="result")
        assert "qqqzzz" in empty.text


def test_food_page_shows_measurements_range_portions_names_and_charts(db_url: str) -> None:
    natto = seed_food("natto")
    with web(db_url) as client:
        response = client.get("/food/natto")
    page = Elements(response.text)
    page.one("h1", id="food-name")
    assert len(page.find("tr", cls="measurement")) == int(natto["measurements"])
    assert len(page.find("a", cls="source-link")) == int(natto["measurements"])
    for part in ("range", "portions", "aliases"):
        page.one(id=part)
    page.one("svg", id="forms-chart")
    page.one("svg", id="category-chart")
    assert "納豆" in response.text and "纳豆" in response.text
    forms_chart = re.search(r'<svg id="forms-chart".*?</svg>', response.text, flags=re.DOTALL)
    assert forms_chart is not None
    chart = forms_chart.group(0)
    measured = [form for form in published.FORMS if natto[form]]
    assert 0 < len(measured) < len(published.FORMS)
    assert chart.count("<rect") == len(measured)  # a bar for each form measured (MK-4, MK-6, MK-7, MK-8) …
    assert chart.count(">—</text>") == len(published.FORMS) - len(
        measured
    )  # … a dash, never a 0, for the rest
    category_chart = re.search(r'<svg id="category-chart".*?</svg>', response.text, flags=re.DOTALL)
    assert category_chart is not None and 'class="bar current' in category_chart.group(0)


def test_unknown_food_is_a_404_page_with_the_cli_suggestions(db_url: str) -> None:
    with web(db_url) as client, K2Database(db_url) as db:
        response = client.get("/food/old gouda")
        with pytest.raises(FoodNotFound) as refused:
            db.show("old gouda")
    assert response.status_code == 404
    assert "text/html" in response.headers["content-type"]
    assert str(refused.value) in unescape(response.text)
    suggestions = refused.value.suggestions
    links = [a["href"] for a in Elements(response.text).find("a", cls="food-link")]  # attributes unescaped
    assert suggestions and links == ["/food/" + quote(s, safe="!*'()") for s in suggestions]  # as /top links


def test_meal_page_shows_each_item_the_total_the_dose_and_the_gap(db_url: str) -> None:
    egg, butter = seed_food("whole egg, raw"), seed_food("butter")
    with web(db_url) as client:
        # sushi: a common food with no K2 figure here (data/not_in_database.csv)
        response = client.get("/meal", params={"q": "2 eggs, 1 tbsp butter, sushi", "d3": "5000"})
    page = Elements(response.text)
    assert page.one("textarea", id="meal-input")["name"] == "q"
    assert page.one("form", id="meal-form")["action"] == "/meal"
    assert page.one("input", id="d3")["type"] == "number"
    assert len(page.find("tr", cls="meal-item")) == 2
    refused = row_text(response.text, "meal-refused")
    assert len(refused) == 1 and "sushi" in refused[0] and "not a food in d3k2db" in refused[0]
    for cell in ("item-name", "interpretation", "match-kind", "item-k2"):
        assert len(page.find("td", cls=cell)) >= 2
    total = float(page.one(id="meal-total")["data-ug"])
    expected = (
        2 * float(egg["serving_g"]) * published.k2_per_100g(egg) / 100
        + seed_portion("butter", "tbsp") * published.k2_per_100g(butter) / 100
    )
    assert total == pytest.approx(expected, abs=0.01)
    assert float(page.one(id="k2-needed")["data-ug"]) == pytest.approx(50.0)
    assert "not covered" in response.text
    gap = re.search(r'<ol id="close-gap".*?</ol>', response.text, flags=re.DOTALL)
    assert gap is not None  # the plans that give the K2 still missing (d3k2db plan --with the meal)
    plans = [float(k2) for k2 in re.findall(r'<li class="plan[^"]*" data-k2="([0-9.]+)"', gap.group(0))]
    assert 1 <= len(plans) <= 3
    assert all(k2 >= 50.0 - total - 0.01 for k2 in plans[:-1])  # only the last may fall short
    page.one("svg", id="share-chart")


def test_meal_page_marks_readings_fallbacks_and_refusals(db_url: str) -> None:
    with web(db_url) as client:
        text = client.get("/meal", params={"q": "30 g cheese, 2 egs, a slice of edam"}).text
        kinds = [m for m in re.findall(r'class="match-kind" data-match="([a-z]+)"', text)]
        assert kinds == ["generic", "typo", "exact"]
        assert "†" in text  # a slice of cheese is a cited fallback weight
        refused = client.get("/meal", params={"q": "100 g qqq, 2 slices natto"}).text
        problems = row_text(refused, "meal-refused")  # every problem listed at once, nothing counted
        assert len(problems) == 2 and problems[0].startswith("100 g qqq") and "slice" in problems[1]
        assert row_text(client.get("/meal", params={"q": "2 eggs, sushi"}).text, "meal-refused")[
            0
        ].startswith("sushi refused: 'sushi' is not a food in d3k2db")
        assert 'data-ug="0"' in refused
        bad_dose = client.get("/meal", params={"q": "2 eggs", "d3": "lots"})
        assert bad_dose.status_code == 400 and "not a number" in bad_dose.text
        no_js = client.get("/meal")
        assert no_js.status_code == 200 and not Elements(no_js.text).find("tr", cls="meal-item")


def test_top_and_sources_pages(db_url: str) -> None:
    with web(db_url) as client, K2Database(db_url) as db:
        top = client.get("/top", params={"limit": "7"}).text
        assert len(Elements(top).find("tr", cls="top-row")) == 7
        assert [a["href"] for a in Elements(top).find("a", cls="food-link")] == [
            "/food/" + quote(f.name, safe="!*'()") for f in db.top(limit=7)
        ]
        sources = client.get("/sources").text
        rows = Elements(sources).find("tr", cls="source-row")
        assert len(rows) == len(db.sources())
        assert len(Elements(sources).find("a", cls="source-link")) == len(
            [s for s in db.sources() if s.publisher_url]
        )
        assert "USDA" in sources


def test_hostile_names_are_text_on_every_page(db_url: str) -> None:
    with K2Database(db_url) as db:
        db.add_food(
            FoodSpec.of(
                HOSTILE,
                total_k2=5000,
                category="cheese",
                aliases=["<script>alert(2)</script>"],
                source="<b>evil source</b>",
                serving_label='"><svg onload=alert(3)>',
            )
        )
    with web(db_url) as client:
        pages = [
            client.get("/", params={"q": "img src"}),
            client.get("/food/" + quote(HOSTILE, safe="")),
            client.get("/top"),
            client.get("/top", params={"category": "cheese"}),
            client.get("/sources"),
            client.get("/meal", params={"q": f"100 g {HOSTILE}"}),
            client.get("/meal", params={"q": "<script>alert(4)</script>"}),
            client.get("/food/" + quote("<script>alert(5)</script>x", safe="")),
            client.get("/food/natto?lang=<script>"),
        ]
    for response in pages:
        text = response.text
        assert "<img src=x" not in text and "<script>alert" not in text and "<svg onload" not in text, (
            response.url
        )
        assert "<b>evil" not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages[0].text
    assert "&lt;img" in pages[1].text and "&lt;script&gt;alert(2)" in pages[1].text
    assert "&lt;img" in pages[2].text and "&lt;b&gt;evil source" in pages[4].text
    assert pages[1].status_code == 200 and "&lt;img" in pages[5].text


def test_language_comes_from_the_query_then_the_cookie_then_the_browser(db_url: str) -> None:
    with web(db_url) as client:
        assert 'lang="zh-Hant"' in client.get("/", headers={"accept-language": "zh-TW,zh;q=0.9"}).text[:200]
        assert '<html lang="zh-Hans"' in client.get("/", headers={"accept-language": "zh-CN"}).text
        assert '<html lang="en"' in client.get("/", headers={"accept-language": "fr, en;q=0.5"}).text
        chosen = client.get("/top?lang=zh-Hant")
        assert '<html lang="zh-Hant"' in chosen.text and "lang=zh-Hant" in chosen.headers["set-cookie"]
        assert '<html lang="zh-Hant"' in client.get("/sources").text  # the cookie remembers it
        assert '<html lang="zh-Hans"' in client.get("/sources?lang=zh-Hans").text
        switch = Elements(client.get("/meal?q=2+eggs&d3=5000").text).find("a", cls="lang-switch")
        assert {a["href"] for a in switch} >= {"/meal?q=2+eggs&d3=5000&lang=en"}


def test_pages_use_the_translator_they_are_given(db_url: str) -> None:
    from fastapi.testclient import TestClient

    from d3k2db.web.app import create_app

    class Shouting(gettext.NullTranslations):
        def gettext(self, message: str) -> str:  # placeholders ({kind}) kept as they are
            return re.sub(r"[^{}]+(?=\{|$)", lambda part: part.group().upper(), message)

    def shouting(lang: str) -> gettext.NullTranslations:
        return Shouting() if lang == "zh-Hant" else gettext.NullTranslations()

    with TestClient(create_app(db_url, translator=shouting, allowed_hosts=TEST_HOSTS)) as client:
        page = client.get("/?lang=zh-Hant").text
        # the templates' strings from the translator; the library's words in the request's language
        assert "VITAMIN K2 IN FOODS" in page and "納豆" in page
        assert "TYPE ONE MORE LETTER TO SEARCH." in page  # the too-short answer the script swaps in
        part = client.get("/fragments/search", params={"q": "natto", "lang": "zh-Hant"}).text
        assert "FOODS FOUND" in part and "納豆" in part  # the script's parts: the same translator
        assert "Vitamin K2 in foods" in client.get("/?lang=en").text


def test_static_assets_are_in_the_package(db_url: str) -> None:
    with web(db_url) as client:
        js = client.get("/static/app.js")
        css = client.get("/static/style.css")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]
    assert css.status_code == 200 and "text/css" in css.headers["content-type"]
    assert "@media (max-width" in css.text  # readable on a narrow phone


def test_the_edit_form_and_remove_button_only_with_allow_edits(db_url: str) -> None:
    with web(db_url) as client:
        refused = client.get("/foods/new")
        assert refused.status_code == 403 and "--allow-edits" in refused.text
        assert not Elements(client.get("/").text).find("a", id="nav-add")
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("farm gouda", total_k2=70))
    with web(db_url, allow_edits=True) as client:
        form = Elements(client.get("/foods/new").text)
        assert form.one("form", id="add-food")["action"] == "/fragments/foods"
        labelled = {label["for"] for label in form.find("label")}
        inputs = {field["id"] for field in form.find("input")} | {
            field["id"] for field in form.find("select")
        }
        assert inputs <= labelled  # every field has its label
        assert Elements(client.get("/").text).find("a", id="nav-add")
        button = Elements(client.get("/food/farm gouda").text).one("button", id="remove-food")
        assert button["data-remove"] == "/fragments/foods/farm%20gouda"
        assert not Elements(client.get("/food/natto").text).find("button", id="remove-food")  # a seed food


@pytest.mark.parametrize("path", ["/", "/food/natto", "/meal?q=2 eggs", "/top", "/sources", "/static/app.js"])
def test_head_answers_like_get_without_a_body(db_url: str, path: str) -> None:
    with web(db_url) as client:
        got, head = client.get(path), client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == str(len(got.content))
    assert "content-security-policy" in head.headers


def test_portions_read_one_unit_equals_grams(db_url: str) -> None:
    with web(db_url) as client:
        page = client.get("/food/butter").text
    portions = unescape(re.search(r'<ul id="portions">(.*?)</ul>', page, re.S).group(1))  # type: ignore[union-attr]
    grams = seed_portion("butter", "tbsp")
    assert f"1 tbsp = {grams:g} g" in portions  # as `show` prints amount and grams: no '1.0', no '(tbsp)'
    assert "(tbsp)" not in portions and "1.0 " not in portions
    assert '1 pat (1" sq' in portions and "(pat (" not in portions  # the unit is not said twice


def test_search_and_meal_pages_say_no_cli_command_and_write_grams_as_the_cli(db_url: str) -> None:
    with web(db_url) as client:
        meal = client.get("/meal", params={"q": "2 eggs, 1 tbsp butter, 30 g gouda", "d3": "5000"}).text
        pair = client.get("/api/pair", params={"d3": "3000"}).json()
    notes = re.search(r'<ul id="meal-notes".*?</ul>', meal, re.S).group(0)  # type: ignore[union-attr]
    assert "d3k2db " not in notes and "`" not in notes
    assert "pairs with" in notes
    gap = re.search(r'<ol id="close-gap".*?</ol>', meal, re.S).group(0)  # type: ignore[union-attr]
    assert not re.search(r"\b\d+\.0 g\b", gap), gap  # '3 g' as `pair` prints it, never '3.0 g'
    assert pair["foods"]


def test_a_stored_address_that_is_not_http_is_text_never_a_link(db_url: str) -> None:
    """`add` and `import` refuse a url that is not http(s) (records.check_url); a database written
    before that rule may still hold one: the page shows it as text, so 'javascript:' runs nothing."""
    with K2Database(db_url) as db:
        db.add_food(
            FoodSpec.of("zq linked cheese", mk7=2.0, source="zq lab notes", url="https://example.org/zq")
        )
        with db.engine.begin() as connection:  # as an older version could have stored it
            connection.exec_driver_sql(
                "UPDATE sources SET url = 'javascript:alert(1)' WHERE citation = 'zq lab notes'"
            )
    with web(db_url) as client:
        for path in ("/food/zq%20linked%20cheese", "/sources"):
            page = client.get(path).text
            assert 'href="javascript:' not in page, path
            assert "zq lab notes" in page
        assert "javascript:alert(1)" in client.get("/sources").text  # shown, as text


def test_a_source_address_must_be_a_web_address(db_url: str) -> None:
    with K2Database(db_url) as db:
        for bad in ("javascript:alert(1)", "file:///etc/passwd", "www.example.org", "https:// x"):
            with pytest.raises(Invalid, match="is not a web address"):
                db.add_food(FoodSpec.of("zq bad link", mk7=1.0, source="zq", url=bad))
        db.add_food(FoodSpec.of("zq good link", mk7=1.0, source="zq", url="HTTPS://Example.org/a b ; notes"))


def test_meal_page_says_why_a_figure_is_marked_where_it_is_read(db_url: str) -> None:
    """A doubtful (!) or partial (‡) figure carries its reason on the meal's row and in the foods
    that would close the gap, as the CLI's footnotes do — not a bare mark."""
    # turmeric: a plant food, so its MK-4 and MK-7 figure is partial (an animal food's MK-4 is its K2)
    natto, turmeric = seed_food("natto"), seed_food("turmeric powder")
    assert natto["coverage"] == turmeric["coverage"] == "partial" and turmeric["category"] == "plant"
    assert turmeric["flags"].startswith("doubtful: ")
    doubt = turmeric["flags"].split(": ", 1)[1][:40]  # the reason as the data states it
    only = ", ".join(f"MK-{form[2:]}" for form in published.FORMS if natto[form])  # MK-4, MK-6, MK-7, MK-8
    with web(db_url) as client:
        text = client.get("/meal", params={"q": "100 g natto, 100 g turmeric powder"}).text
        soy, spice = row_text(text, "meal-item")
        assert f"{published.k2_per_100g(natto):.1f}‡" in soy and f"partial figure: {only} only" in soy
        assert "!‡" in spice and doubt in unescape(spice) and "partial figure" in spice
        gap = client.get("/meal", params={"q": "1 egg", "d3": "5000", "like": "natto"}).text
        options = re.findall(r"<li class=\"plan-item\"><a class=\"food-link\".*?</li>", gap, flags=re.S)
        natto_option = next(o for o in options if 'href="/food/natto"' in o)
        assert "‡" in natto_option and f"partial figure: {only} only" in natto_option


# ------------------------------------------------------------------------ what the reader sees


def _set(db_url: str, table_name: str, name: str, **values: str) -> None:
    """Stored text the library never takes from a user (curation notes, flags), as the seed writes it."""
    from sqlalchemy import select, update

    from d3k2db.storage.tables import foods, measurements

    table = {"foods": foods, "measurements": measurements}[table_name]
    with K2Database(db_url) as db, db.engine.begin() as connection:
        food_id = connection.execute(select(foods.c.id).where(foods.c.name == name)).scalar_one()
        connection.execute(
            update(table)
            .where((table.c.id if table is foods else table.c.food_id) == food_id)
            .values(**values)
        )


def test_a_tag_is_shown_with_its_main_form_or_what_it_stands_for(db_url: str) -> None:
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("zq aged cheese", mk4=2.0, mk7=1.0, mk9=20.0, category="cheese"))
        db.add_food(FoodSpec.of("zq plain cheese", total_k2=9000.0, category="cheese"))
        db.add_food(FoodSpec.of("zq game meat", total_k2=8000.0, category="meat"))
    with web(db_url) as client:
        found = client.get("/", params={"q": "zq"}).text
        tags = re.findall(r'<span class="tag"[^>]*>([^<]*)</span>', found)
        assert sorted(unescape(tag) for tag in tags) == [
            "MK-4",
            "MK-7 · main MK-9",
            "long-chain (MK-7…MK-10)",
        ]
        top = client.get("/top", params={"limit": "2"}).text
        assert [unescape(t) for t in re.findall(r'<td class="tag">([^<]*)</td>', top)] == [
            "long-chain (MK-7…MK-10)",
            "MK-4",
        ]
        page = client.get("/food/zq aged cheese").text
        assert re.search(r'<dd id="tag">MK-7 · main MK-9</dd>', page)
        hant = client.get("/", params={"q": "zq", "lang": "zh-Hant"}).text
        assert "長鏈型（MK-7…MK-10）" in hant and "MK-7 · 主要形式 MK-9" in hant
        answer = client.get("/api/search", params={"q": "zq aged"}).json()["foods"][0]
        assert (answer["tag"], answer["main_form"], answer["tag_meaning"]) == (
            "MK-7",
            "MK-9",
            "bacterial long-chain MK-7…MK-10",
        )
        part = client.get("/fragments/search", params={"q": "zq", "lang": "en"}).text  # what app.js swaps in
        assert sorted(unescape(t) for t in re.findall(r'<span class="tag"[^>]*>([^<]*)</span>', part)) == (
            sorted(unescape(tag) for tag in tags)
        )


CURATION = (
    "app/page.tsx: row read by hand; full tables NOT accessible via tool; verify against the primary paper"
)
CURATION_WORDS = ("app/page.tsx", "NOT accessible via tool", "verify against the primary paper")


def test_curation_notes_reach_no_page_and_no_api_answer(db_url: str) -> None:
    _set(db_url, "measurements", "natto", notes=CURATION)
    _set(db_url, "foods", "natto", notes=CURATION)
    with web(db_url) as client:
        answers = [
            client.get("/food/natto"),
            client.get("/", params={"q": "natto"}),
            client.get("/meal", params={"q": "100 g natto", "d3": "5000"}),
            client.get("/top", params={"category": "fermented_soy", "include_flagged": "1", "limit": "1000"}),
            client.get("/sources"),
            client.get("/api/foods/natto"),
            client.get("/api/search", params={"q": "natto"}),
            client.get("/api/meal", params={"q": "100 g natto"}),
            client.get(
                "/api/top", params={"category": "fermented_soy", "include_flagged": "true", "limit": 1000}
            ),
            client.get("/api/pair", params={"d3": 5000, "category": "fermented_soy", "limit": 1000}),
        ]
    for response in answers:
        assert response.status_code == 200, response.url
        assert "natto" in response.text or "/sources" in str(response.url)
        assert [word for word in CURATION_WORDS if word in response.text] == [], response.url
    assert "notes" not in answers[5].json()["measurements"][0]


def test_sources_name_the_publisher_first_and_the_copy_read_second(db_url: str) -> None:
    copies = "https://example.org/en.csv ; FR names: https://example.org/fr.csv (rows cross-checked by hand)"
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("zq sourced", mk7=1.0, source="zq Lab 2020", url=copies))
        listed = db.sources()
    with web(db_url) as client:
        page = client.get("/sources").text
        hant = client.get("/sources", params={"lang": "zh-Hant"}).text
    rows = re.findall(r'<tr class="source-row">(.*?)</tr>', page, flags=re.S)
    assert len(rows) == len(listed)
    for source, row in zip(listed, rows, strict=True):
        cited, copy, _count = re.findall(r"<td[^>]*>(.*?)</td>", row, flags=re.S)
        if source.publisher_url:  # the citation links to the publisher's own page, never to a copy
            assert re.findall(r'href="([^"]*)"', cited) == [source.publisher_url.replace("&", "&amp;")]
        else:
            assert "href" not in cited and "(no publisher's page found)" in unescape(cited)
        if source.url and source.url != source.publisher_url:
            assert copy.startswith('read from a copy at <a class="copy-link"')
        elif source.url:
            assert unescape(copy) == "the publisher's page"
    row = rows[[s.citation for s in listed].index("zq Lab 2020")]  # two copies, with words around them
    assert re.findall(r'class="copy-link" href="([^"]*)"', row) == [
        "https://example.org/en.csv",
        "https://example.org/fr.csv",
    ]
    assert "cross-checked" not in page  # a curator's words beside the copies: not shown …
    assert "publisher_url = " not in page  # … nor sources.csv's notes column
    assert "讀取自副本" in hant and ">來源（出版者網頁）</th>" in hant


def test_a_food_page_names_each_publisher_and_the_copy_read(db_url: str) -> None:
    with K2Database(db_url) as db:
        natto = db.show("natto")
    with web(db_url) as client:
        page = client.get("/food/natto").text
    rows = re.findall(r'<tr class="measurement">(.*?)</tr>', page, flags=re.S)
    assert len(rows) == len(natto.measurements)
    for measured, row in zip(natto.measurements, rows, strict=True):
        first = re.search(r'<a class="source-link" href="([^"]*)"', row)
        assert first is not None and first.group(1) == (measured.publisher_url or "/sources")
        if measured.url and measured.url != measured.publisher_url:
            assert f'read from a copy at <a class="copy-link" href="{measured.url}"' in row
    headline = re.search(r'<dd id="source">(.*?)</dd>', page, flags=re.S)
    assert headline is not None and natto.source is not None and natto.source in unescape(headline.group(1))


def test_categories_are_shown_by_their_names(db_url: str) -> None:
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("zq stew", total_k2=1.0, category="dish"))
    with web(db_url) as client:
        natto = client.get("/food/natto").text
        assert "<dd>fermented soy</dd>" in natto and "fermented_soy" not in natto
        options = client.get("/").text
        assert '<option value="fermented_soy">fermented soy</option>' in options
        assert "<dd>菜餚</dd>" in client.get("/food/zq stew", params={"lang": "zh-Hant"}).text
        assert "<dd>菜肴</dd>" in client.get("/food/zq stew", params={"lang": "zh-Hans"}).text


def test_a_search_hit_found_through_an_alias_says_which(db_url: str) -> None:
    with K2Database(db_url) as db:
        db.add_food(
            FoodSpec.of("zq sharp cheese", total_k2=30.0, category="cheese", aliases=["qxbrine cheddar"])
        )
    with web(db_url) as client:
        page = client.get("/", params={"q": "qxbrine"}).text
        answer = client.get("/api/search", params={"q": "qxbrine"}).json()
    assert row_text(page, "result")[0].startswith("zq sharp cheese (custom) (alias: qxbrine cheddar)")
    assert answer["foods"][0]["matched_alias"] == "qxbrine cheddar"


def test_the_front_page_leads_with_unflagged_figures(db_url: str) -> None:
    with K2Database(db_url) as db:
        db.add_food(FoodSpec.of("zq doubtful douchi", total_k2=90000.0, category="fermented_soy"))
    _set(db_url, "foods", "zq doubtful douchi", flags="doubtful: an unidentified study")
    with web(db_url) as client:
        front = client.get("/").text
        browsed = client.get("/api/search", params={"limit": 50}).json()["foods"]
        flagged_top = client.get("/top", params={"include_flagged": "1", "limit": "1"}).text
    rows = row_text(front, "result")
    assert len(rows) == 50 and not any("!" in row for row in rows) and "zq doubtful douchi" not in front
    assert len(browsed) == 50 and not any(food["flags"] for food in browsed)
    assert "zq doubtful douchi" in flagged_top  # on request, marked

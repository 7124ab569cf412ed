"""Adding and removing a food from the page, in Chromium against `d3k2db serve --allow-edits`: the
page's own writes pass the origin checks (the browser adds Origin; app.js sends JSON), and a page
on another name rebound to 127.0.0.1 gets nothing (docs/web.md, "Who can reach the page"). A food
is removed by its name as stored: an old hostile name (shown escaped) and a 250-character one."""

from __future__ import annotations

import json
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from d3k2db import K2Database, errors
from d3k2db.domain.records import FoodSpec
from tests.browser.conftest import Server, make_driver, start_server
from tests.browser.pages import elements, one, screenshot, wait_for
from tests.test_names_text import OLD_NAME, SHOWN_NAME, write_old_food

pytestmark = pytest.mark.slow

NAME = "browser gouda"


@pytest.fixture
def editable(seeded_template: Path, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """A server with --allow-edits on a copy of the seed, and its database URL."""
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    running = start_server(path, tmp_path, "--allow-edits")
    yield running, f"sqlite:///{path}"
    assert running.stop() == 0, running.output()


LONG_NAME = "zq " + "long aged mountain cheese " * 9 + "x" * 13  # 250 characters


@pytest.fixture
def editable_old(seeded_template: Path, tmp_path: Path) -> Iterator[tuple[Server, str]]:
    """As ``editable``, with a food an old release stored with controls in its name, and a food
    whose name is 250 characters long (the CLI allows it)."""
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    write_old_food(url)
    with K2Database(url) as db:
        db.add_food(FoodSpec.of(LONG_NAME, mk7=40.0))
    running = start_server(path, tmp_path, "--allow-edits")
    yield running, url
    assert running.stop() == 0, running.output()


def stored(url: str, name: str = NAME) -> bool:
    with K2Database(url) as db:
        try:
            return db.show(name).name == name
        except errors.FoodNotFound:
            return False


def remove_from_its_page(driver: WebDriver, server: Server) -> None:
    driver.execute_script("window.confirm = function () { return true; };")
    one(driver, "#remove-food").click()
    wait_for(driver, lambda d: d.current_url == server.base + "/", "the search page after the removal")


def test_the_page_adds_and_removes_a_food(browser: WebDriver, editable: tuple[Server, str]) -> None:
    server, url = editable
    browser.get(server.base + "/foods/new")
    one(browser, "#new-name").send_keys(NAME)
    one(browser, "#new-mk7").send_keys("42")
    one(browser, "#add-food button[type=submit]").click()
    food_page = server.base + "/food/" + urllib.parse.quote(NAME)
    wait_for(browser, lambda d: d.current_url == food_page, "the new food's page")
    assert stored(url)
    remove_from_its_page(browser, server)
    assert not stored(url)


def test_a_refused_change_says_why_on_the_page(browser: WebDriver, editable: tuple[Server, str]) -> None:
    server, _url = editable
    browser.get(server.base + "/foods/new")
    one(browser, "#new-name").send_keys("natto")  # a seed food's name
    one(browser, "#new-mk7").send_keys("42")
    one(browser, "#add-food button[type=submit]").click()
    wait_for(browser, lambda d: elements(d, "#edit-status #error-message"), "the reason, from the server")
    assert "natto" in one(browser, "#edit-status #error-message").text
    assert browser.current_url == server.base + "/foods/new"
    # the one console entry expected: the browser logs the refusal's status (409) itself
    logged = [e["message"] for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert all("409" in message for message in logged), logged


def test_an_old_hostile_name_is_removed_from_its_page(
    browser: WebDriver, editable_old: tuple[Server, str], screenshots: Path
) -> None:
    """The name is shown escaped ('\\x1b'); the button sends it as stored, so the removal finds it."""
    server, url = editable_old
    browser.get(server.base + "/food/zqplain")  # by its alias
    assert one(browser, "h1#food-name").text.startswith(SHOWN_NAME)
    assert stored(url, OLD_NAME)
    screenshot(browser, screenshots, "food-hostile-name")
    remove_from_its_page(browser, server)
    assert not stored(url, OLD_NAME)


def test_a_250_character_name_is_shown_whole_and_removed(
    browser: WebDriver, editable_old: tuple[Server, str]
) -> None:
    server, url = editable_old
    browser.get(server.base + "/food/" + urllib.parse.quote(LONG_NAME))
    assert one(browser, "h1#food-name").text.startswith(LONG_NAME)
    remove_from_its_page(browser, server)
    assert not stored(url, LONG_NAME)


def test_a_rebound_name_gets_no_page(editable: tuple[Server, str]) -> None:
    """evil.example resolved to 127.0.0.1 inside the browser, as DNS rebinding makes it."""
    server, url = editable
    port = urllib.parse.urlsplit(server.base).port
    driver = make_driver(1280, 900, "--host-resolver-rules=MAP evil.example 127.0.0.1")
    try:
        driver.get(f"http://evil.example:{port}/")
        answer = json.loads(driver.find_element("tag name", "body").text)
        assert answer["code"] == "bad_host" and "'evil.example:" in answer["error"]
        written = driver.execute_async_script(
            """const done = arguments[arguments.length - 1];
            fetch('/api/foods', {method: 'POST', headers: {'Content-Type': 'application/json'},
                                 body: JSON.stringify({name: arguments[0], mk7: 1})})
              .then(r => r.json().then(b => done([r.status, b.code])), e => done(String(e)));""",
            NAME,
        )
    finally:
        driver.quit()
    assert written == [400, "bad_host"]
    assert not stored(url)

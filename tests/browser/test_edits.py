"""Adding and removing a food from the page, in Chromium against `d3k2db serve --allow-edits`: the
page's own writes pass the origin checks (the browser adds Origin; app.js sends JSON), and a page
on another name rebound to 127.0.0.1 gets nothing (docs/web.md, "Who can reach the page")."""

from __future__ import annotations

import json
import shutil
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.remote.webdriver import WebDriver

from d3k2db import K2Database, errors
from tests.browser.conftest import Server, make_driver, start_server
from tests.browser.pages import one, wait_for

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


def stored(url: str) -> bool:
    with K2Database(url) as db:
        try:
            db.show(NAME)
        except errors.FoodNotFound:
            return False
        return True


def test_the_page_adds_and_removes_a_food(browser: WebDriver, editable: tuple[Server, str]) -> None:
    server, url = editable
    browser.get(server.base + "/foods/new")
    one(browser, "#new-name").send_keys(NAME)
    one(browser, "#new-mk7").send_keys("42")
    one(browser, "#add-food button[type=submit]").click()
    food_page = server.base + "/food/" + urllib.parse.quote(NAME)
    wait_for(browser, lambda d: d.current_url == food_page, "the new food's page")
    assert stored(url)
    browser.execute_script("window.confirm = function () { return true; };")
    one(browser, "#remove-food").click()
    wait_for(browser, lambda d: d.current_url == server.base + "/", "the search page after the removal")
    assert not stored(url)


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

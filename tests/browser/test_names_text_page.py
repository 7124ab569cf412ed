"""Names are text on the page too (issue 20, item 4): a food stored by an old release with ESC, BEL,
U+202E and a zero-width space in its name is shown with visible escapes ('\\x1b', '\\u202e') in the
parts the script swaps in as you type (rendered by the server's templates), both in the search
results and in the meal's table and chart.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver

from tests.browser.conftest import Server, start_server
from tests.browser.pages import one, settle
from tests.test_names_text import SHOWN_NAME, _raw_characters, write_old_food

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def old_server(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("serve-old-names")
    path = folder / "k2.sqlite"
    shutil.copy(seeded_template, path)
    write_old_food(f"sqlite:///{path}")
    running = start_server(path, folder)
    yield running
    assert running.stop() == 0, running.output()


def _text(driver: WebDriver, selector: str) -> str:
    """Everything the element holds as text, including an SVG's <title>s (not only what is drawn)."""
    text: str = driver.execute_script(f"return document.querySelector({selector!r}).textContent")
    return text


def test_search_as_you_type_shows_stored_controls_escaped(browser: WebDriver, old_server: Server) -> None:
    browser.get(old_server.base + "/")
    one(browser, "input#q").send_keys("zqevil")
    settle(browser, "/fragments/search", "#results", "the results for zqevil", q="zqevil")
    drawn = _text(browser, "#results")
    assert SHOWN_NAME in drawn
    assert not _raw_characters(drawn.encode())


def test_the_meal_table_and_chart_show_stored_controls_escaped(
    browser: WebDriver, old_server: Server
) -> None:
    browser.get(old_server.base + "/meal")
    box = one(browser, "textarea#meal-input")
    box.send_keys("100 g zqplain", Keys.ENTER)
    settle(browser, "/fragments/meal", "#meal-result", "the meal", q="100 g zqplain")
    for selector in ("#meal-items", "#share-chart"):
        drawn = _text(browser, selector)
        assert "\\x1b]0;pwned\\x07" in drawn, selector
        assert not _raw_characters(drawn.encode()), selector

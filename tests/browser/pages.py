"""What the browser tests share: waiting, reading figures off the page, screenshots, and the
expected figures computed from the seed CSVs (never from the program's own output)."""

from __future__ import annotations

import base64
import csv
import re
import urllib.parse
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import WebDriverWait

DATA = Path(__file__).resolve().parents[2] / "data"
FORMS = ("mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10")
UG_K2_PER_10000_IU = 100.0  # the README's rule of thumb: 100 µg K2 per 10,000 IU D3
PAGES = ("/", "/food/natto", "/meal", "/top", "/sources")
WAIT_S = 10.0
# Injected into every page before its own scripts: a log of the URLs whose answer has arrived, so a
# test waits for the answer to what it typed, not for a list that merely looks right (the first
# page already lists natto, and an answer to "2 eggs, 1 tbsp" would show rows too).
FETCH_LOG = """
window.__answered = [];
const realFetch = window.fetch.bind(window);
window.fetch = function (url, options) {
  return realFetch(url, options).then(function (response) {
    return response.clone().text().then(function () {
      window.__answered.push(new URL(String(url), location.href).href);
      return response;
    });
  });
};
"""


@cache
def foods() -> dict[str, dict[str, str]]:
    with (DATA / "foods.csv").open(encoding="utf-8") as handle:
        return {row["name"]: row for row in csv.DictReader(handle)}


@cache
def portions() -> dict[tuple[str, str], float]:
    with (DATA / "portions.csv").open(encoding="utf-8") as handle:
        return {
            (r["food"], r["unit"]): float(r["grams"]) / float(r["amount"]) for r in csv.DictReader(handle)
        }


@cache
def measurements() -> list[dict[str, str]]:
    with (DATA / "measurements.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def k2_per_100g(row: dict[str, str]) -> float | None:
    """The published total, else the sum of the published forms; None when nothing is published."""
    if row["total_k2"]:
        return float(row["total_k2"])
    forms = [float(row[form]) for form in FORMS if row[form]]
    return sum(forms) if forms else None


def k2_of(food: str, grams: float) -> float:
    value = k2_per_100g(foods()[food])
    assert value is not None, f"{food} has no K2 figure in data/foods.csv"
    return value * grams / 100


def wait_for(
    driver: WebDriver, condition: Callable[[WebDriver], Any], what: str, timeout: float = WAIT_S
) -> Any:
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(
        condition, f"waited {timeout} s for {what}"
    )


def answered(driver: WebDriver, path: str, **query: str) -> bool:
    """Has an answer arrived to a fetch of ``path`` with exactly these query values?"""
    for url in driver.execute_script("return window.__answered || []"):
        parts = urllib.parse.urlsplit(url)
        values = dict(urllib.parse.parse_qsl(parts.query))
        if parts.path == path and all(values.get(k) == v for k, v in query.items()):
            return True
    return False


def settle(driver: WebDriver, path: str, selector: str, what: str, **query: str) -> None:
    """Wait for the answer to ``path?query``, then until ``selector``'s text stops changing."""
    wait_for(driver, lambda d: answered(d, path, **query), f"the answer to {path} {query}")
    last: list[str | None] = [None]

    def steady(d: WebDriver) -> bool:
        now = d.execute_script(f"return document.querySelector({selector!r})?.innerText ?? ''")
        same, last[0] = now == last[0], now
        return same

    WebDriverWait(driver, WAIT_S, poll_frequency=0.15).until(steady, f"{what} to stop changing")


def elements(driver: WebDriver, selector: str) -> list[WebElement]:
    return driver.find_elements(By.CSS_SELECTOR, selector)


def one(driver: WebDriver, selector: str) -> WebElement:
    return driver.find_element(By.CSS_SELECTOR, selector)


def data_ug(driver: WebDriver, selector: str) -> float | None:
    """The µg figure a page puts in ``data-ug``; None while it is missing or empty."""
    found = elements(driver, selector)
    value = found[0].get_attribute("data-ug") if found else None
    return float(value) if value not in (None, "") else None


def numbers(text: str) -> list[float]:
    """Every number written in the text, thousands separators and all (``2,708`` is 2708)."""
    return [float(n.replace(",", "")) for n in re.findall(r"\d[\d,]*(?:\.\d+)?", text)]


def shows_number(text: str, expected: float, tolerance: float) -> bool:
    return any(abs(n - expected) <= tolerance for n in numbers(text))


def no_injection(driver: WebDriver) -> None:
    """No alert is open and no element came from an injected ``<img src=x onerror=…>``."""
    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        pass
    else:
        raise AssertionError(f"an alert opened: {text!r}")
    assert not elements(driver, 'img[src="x"]'), "an <img src=x> from the food's name is in the page"
    assert not elements(driver, "img[onerror]"), "an <img onerror> is in the page"


def screenshot(driver: WebDriver, folder: Path, name: str) -> Path:
    """A PNG of the whole page (beyond the viewport), through the DevTools protocol."""
    # the window's whole width: capturing beyond the viewport lays the page out without its
    # scrollbar, so scrollWidth (measured with one) would cut off the last 15 px on the right
    size = driver.execute_script(
        "return [Math.max(document.documentElement.scrollWidth, window.innerWidth),"
        " document.documentElement.scrollHeight]"
    )
    shot = driver.execute_cdp_cmd(  # type: ignore[attr-defined]
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size[0], "height": min(size[1], 4000), "scale": 1},
        },
    )
    path = folder / f"{name}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path

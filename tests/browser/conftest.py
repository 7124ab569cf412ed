"""A real `d3k2db serve` (uvicorn) on a free loopback port, driven by Debian's headless Chromium.

Two servers for the session, each on its own copy of the seeded template: the seed as shipped, and
the seed plus one custom food named as an HTML injection (the XSS test). Both are stopped with SIGINT
at the end and must exit 0.

Nothing is downloaded: Selenium is pointed at /usr/bin/chromium and /usr/bin/chromedriver (Selenium
Manager is turned off). Without them the browser tests FAIL and say how to install them (.ci/run
does); only ``D3K2DB_TEST_BROWSER=0`` skips them. Screenshots go to ``$D3K2DB_SCREENSHOTS`` when it
is set (docs/screenshots/ is made that way), else to pytest's temporary folder.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from d3k2db.domain.records import FoodSpec
from tests.browser.pages import FETCH_LOG

# The name of a custom food that is an HTML injection: it must show as text everywhere.
XSS_NAME = "<img src=x onerror=alert(1)>"
CHROMIUM_CANDIDATES = ("chromium", "chromium-browser")
INSTALL_HINT = (
    "the browser tests need Debian's chromium and chromedriver: "
    "apt-get install -y chromium chromium-driver (.ci/run installs them); "
    "set D3K2DB_TEST_BROWSER=0 to skip these tests on purpose"
)
START_TIMEOUT_S = 30.0

# Selenium Manager must never try to download a browser or a driver.
os.environ.setdefault("SE_OFFLINE", "true")
os.environ.setdefault("SE_AVOID_STATS", "true")


def find_browser() -> tuple[str, str]:
    """(chromium, chromedriver) paths; the test fails with an install hint when one is missing."""
    if os.environ.get("D3K2DB_TEST_BROWSER", "1") == "0":
        pytest.skip("browser tests turned off with D3K2DB_TEST_BROWSER=0")
    chromium = next(
        (found for name in CHROMIUM_CANDIDATES if (found := shutil.which(name))),
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None,
    )
    driver = shutil.which("chromedriver") or (
        "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else None
    )
    if chromium is None or driver is None:
        missing = " and ".join(n for n, p in (("chromium", chromium), ("chromedriver", driver)) if p is None)
        pytest.fail(f"{missing} not found: {INSTALL_HINT}", pytrace=False)
    return chromium, driver


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve_command() -> list[str]:
    """The installed console script next to this interpreter, else ``python -m d3k2db``."""
    script = Path(sys.executable).with_name("d3k2db")
    return [str(script)] if script.exists() else [sys.executable, "-m", "d3k2db"]


@dataclass
class Server:
    """One `d3k2db serve` subprocess; ``base`` is its root URL."""

    process: subprocess.Popen[bytes]
    base: str
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")[-4000:]

    def wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"d3k2db serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.base + "/", timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.process.kill()
        pytest.fail(f"d3k2db serve did not answer / within {START_TIMEOUT_S:.0f} s:\n{self.output()}")

    def stop(self) -> int:
        """SIGINT, as Ctrl-C would send; returns the exit code."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"d3k2db serve did not stop within 15 s of SIGINT:\n{self.output()}")


def start_server(db_path: Path, folder: Path, *extra: str) -> Server:
    port = free_port()
    home = folder / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "D3K2DB_URL"}
    env.update(HOME=str(home), XDG_DATA_HOME=str(home / ".local" / "share"), PYTHONUNBUFFERED="1")
    log = folder / f"serve-{port}.log"
    command = [*serve_command(), "serve", "--port", str(port), "--db", f"sqlite:///{db_path}", *extra]
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=folder)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    server.wait_ready()
    return server


def serve_copy(template: Path, folder: Path, *custom_foods: str) -> Iterator[Server]:
    """Serve a copy of ``template`` (plus custom foods added through the library) until the session
    ends; then stop it with SIGINT and require a clean exit."""
    from d3k2db import K2Database

    path = folder / "k2.sqlite"
    shutil.copy(template, path)
    if custom_foods:
        with K2Database(f"sqlite:///{path}") as db:
            for name in custom_foods:
                db.add_food(FoodSpec.of(name, mk7=100.0, serving_g=30.0))
    running = start_server(path, folder)
    yield running
    code = running.stop()
    assert code == 0, f"d3k2db serve exited with {code} after SIGINT:\n{running.output()}"


@pytest.fixture(scope="session")
def server(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The seeded database, served for the session."""
    yield from serve_copy(seeded_template, tmp_path_factory.mktemp("serve"))


@pytest.fixture(scope="session")
def xss_server(seeded_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The seeded database plus one custom food whose name is an HTML injection."""
    yield from serve_copy(seeded_template, tmp_path_factory.mktemp("serve-xss"), XSS_NAME)


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    chosen = os.environ.get("D3K2DB_SCREENSHOTS")
    folder = Path(chosen) if chosen else tmp_path_factory.mktemp("screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def make_driver(width: int, height: int, *extra: str):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium, chromedriver = find_browser()
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        f"--window-size={width},{height}",
        "--lang=en-US",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        *extra,
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=chromedriver), options=options)
    driver.set_page_load_timeout(20)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": FETCH_LOG})
    return driver


def js_problems(driver) -> list[str]:  # type: ignore[no-untyped-def]
    """SEVERE console entries (uncaught errors, failed loads) and any CSP violation, at any level."""
    return [
        f"{entry['level']} {entry['source']}: {entry['message']}"
        for entry in driver.get_log("browser")
        if entry["level"] == "SEVERE" or "content security policy" in entry["message"].lower()
    ]


@pytest.fixture
def browser() -> Iterator[object]:
    """A fresh desktop-sized headless Chromium; after the test, the page must have logged no JS error."""
    driver = make_driver(1280, 900)
    try:
        yield driver
        problems = js_problems(driver)
    finally:
        driver.quit()
    assert not problems, "the browser logged errors:\n" + "\n".join(problems)


@pytest.fixture
def phone() -> Iterator[object]:
    """A phone-sized (375 × 800 CSS px) headless Chromium."""
    driver = make_driver(375, 800)
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": 375, "height": 800, "deviceScaleFactor": 1, "mobile": True},
    )
    try:
        yield driver
        problems = js_problems(driver)
    finally:
        driver.quit()
    assert not problems, "the browser logged errors:\n" + "\n".join(problems)

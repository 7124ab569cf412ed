"""`d3k2db serve`: a real Uvicorn start and a clean Ctrl-C stop, a busy port and a non-loopback
host as one line each, a missing web stack named with what to install, and the web stack never
loaded by the other commands."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app

WEB_STACK = {
    "fastapi",
    "starlette",
    "uvicorn",
    "jinja2",
    "markupsafe",
    "anyio",
    "h11",
}  # pydantic: Typer uses it


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_busy_port_is_one_line_and_exit_1(runner: CliRunner, db_url: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--port", str(port), "--db", db_url])
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: port {port} on 127.0.0.1 is in use: stop the program using it or choose another with --port"
    )
    assert "Traceback" not in result.stderr


def test_a_non_loopback_host_is_warned_about(runner: CliRunner, db_url: str) -> None:
    with socket.socket() as busy:  # the port is taken, so the server stops right after the warning
        busy.bind(("0.0.0.0", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        result = runner.invoke(app, ["serve", "--host", "0.0.0.0", "--port", str(port), "--db", db_url])
    assert result.exit_code == 1
    first = result.stderr.splitlines()[0]
    assert first.startswith("warning: serving on 0.0.0.0 makes the page reachable from other machines")


def test_loopback_is_the_default_and_gets_no_warning(runner: CliRunner, db_url: str) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        result = runner.invoke(app, ["serve", "--port", str(busy.getsockname()[1]), "--db", db_url])
    assert "warning" not in result.stderr and "127.0.0.1" in result.stderr


def test_bad_options_are_usage_errors(runner: CliRunner) -> None:
    assert runner.invoke(app, ["serve", "--port", "70000"]).exit_code == 2
    assert runner.invoke(app, ["serve", "--port", "http"]).exit_code == 2


def test_without_the_web_stack_serve_says_what_to_install(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # as if it were not installed
    result = runner.invoke(app, ["serve", "--db", db_url])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: the web page needs uvicorn, which is not installed:"
        " pip install fastapi uvicorn jinja2 (d3k2db installs them; something removed them)"
    )


def _imported(*args: str) -> set[str]:
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "d3k2db", *args],
        capture_output=True,
        text=True,
        check=True,
    )
    return {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines() if "|" in line}


@pytest.mark.slow
def test_other_commands_never_import_the_web_stack(db_url: str) -> None:
    assert not _imported("search", "natto") & WEB_STACK
    assert not _imported("meal", "2 eggs", "--d3", "5000") & WEB_STACK
    assert not _imported("--help") & WEB_STACK


@pytest.mark.slow
def test_a_real_server_starts_answers_and_stops_on_ctrl_c(db_url: str) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "d3k2db", "serve", "--port", str(port), "--db", db_url],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        page = _get_when_up(f"http://127.0.0.1:{port}/", server)
        assert "<html" in page and 'id="results"' in page
        api = _get_when_up(f"http://127.0.0.1:{port}/api/search?q=natto", server)
        assert '"name": "natto"' in api
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=20)
    finally:
        if server.poll() is None:
            server.kill()
            server.communicate()
    assert server.returncode == 0, err
    assert "Traceback" not in err
    assert f"serving http://127.0.0.1:{port}/ (read-only)" in err and "stopped" in err


@pytest.mark.slow
def test_two_workers_answer_in_two_processes_and_stop_on_ctrl_c(db_url: str) -> None:
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "d3k2db", "serve", "--port", str(port), "--db", db_url, "--workers", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
        start_new_session=True,  # so that a failure can stop the workers too (they hold the pipes)
    )
    try:
        api = _get_when_up(f"http://127.0.0.1:{port}/api/search?q=natto", server)
        assert '"name": "natto"' in api
        assert len(_workers(server.pid)) == 2
        server.send_signal(signal.SIGINT)
        _out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.communicate()
    assert server.returncode == 0, err
    assert "Traceback" not in err
    assert f"serving http://127.0.0.1:{port}/ (read-only)" in err and "stopped" in err


def _workers(pid: int) -> list[str]:
    """The worker processes Uvicorn's supervisor started (multiprocessing's spawn_main), once up."""
    deadline = time.monotonic() + 30
    while True:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        workers = [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]
        if len(workers) >= 2 or time.monotonic() > deadline:
            return workers
        time.sleep(0.1)


def _get_when_up(url: str, server: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                body: str = response.read().decode()
                assert response.headers["Content-Security-Policy"].startswith("default-src 'none'")
                return body
        except (urllib.error.URLError, ConnectionError, TimeoutError):  # not up, or slow to answer at first
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(
                    f"the server did not start: {server.stderr.read() if server.stderr else ''}"
                ) from None
            time.sleep(0.1)


def test_open_waits_for_the_server_then_opens_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    from types import SimpleNamespace

    from d3k2db.web import serve

    opened: list[str] = []
    monkeypatch.setattr(serve.webbrowser, "open", opened.append)
    serve._open_when_started(SimpleNamespace(started=True), "http://127.0.0.1:8000/")
    assert opened == ["http://127.0.0.1:8000/"]
    assert serve.page_url("::1", 8000) == "http://[::1]:8000/"
    assert serve.is_loopback("localhost") and serve.is_loopback("::1") and serve.is_loopback("127.0.0.2")
    assert not serve.is_loopback("0.0.0.0") and not serve.is_loopback("192.168.1.5")

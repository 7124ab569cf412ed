"""Who can reach the page (issue 20, item 3: DNS rebinding).

A page on evil.example that points its name at 127.0.0.1 is, to the browser, the same origin as the
server: it could read the page and, with ``--allow-edits``, add and remove foods (``Host:
evil.example``, ``Origin: http://evil.example`` answered 201 and 200). Now only the server's own
Host names are answered (400 otherwise), and a write must come from the server's own page and be
JSON (403 and 415 otherwise).

Every route is found by walking the app's routes, so a new route is covered without a change here;
a new write route fails ``test_every_write_route_has_a_sample`` until it is given a sample request.
The rules sit above the database, so these tests use SQLite only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from starlette.routing import BaseRoute, Mount

with warnings.catch_warnings():  # Starlette >= 1.x asks for httpx2; httpx is what FastAPI documents
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec
from d3k2db.web.app import create_app
from d3k2db.web.origin import served_hosts
from tests.dbdump import dump
from tests.web_client import get_each

SELF = "127.0.0.1:8000"  # the Host of every request here unless a test forges another
SELF_ORIGIN = f"http://{SELF}"
MINE = "my farm gouda"  # a custom food: a DELETE that got through would remove it
MINE_TOO = "my farm brie"  # another, for the page's own DELETE (/fragments/foods/…)
NEW_FOOD = {"name": "forged food", "mk7": 5.0}
PAGE_FOOD = {"name": "forged page food", "mk7": 5.0}  # sent as the page's add form sends it
JSON_TYPE = {"content-type": "application/json"}
SAFE = {"GET", "HEAD", "OPTIONS"}

FORGED_HOSTS = [
    "evil.example",
    "evil.example:8000",
    "EVIL.example",
    "localhost.evil.example",  # a name that merely starts like ours
    "127.0.0.1.nip.io",  # a public name that resolves to 127.0.0.1: rebinding made easy
    "evil.example:8000@127.0.0.1",
    "127.0.0.1:8000/evil.example",
    "[::1].evil.example",
    "[::1",
    "localhost:8000:8000",
    "local host",
    "",
    "10.0.0.1",  # an address that is not this server's (no --host names it)
    "[::2]",
    "0.0.0.0:8000",
    "testserver",  # TestClient's own Host: allowed by the other tests' apps, never by default
]
OWN_HOSTS = [
    "localhost",
    "localhost:8000",
    "LocalHost:8000",
    "localhost.:8000",
    "127.0.0.1",
    "127.0.0.1:8000",
    "127.0.0.2:8000",  # all of 127/8 is loopback
    "[::1]",
    "[::1]:8000",
    "[0:0:0:0:0:0:0:1]:8000",
]
FORGED_ORIGINS = [
    "http://evil.example",
    "http://evil.example:8000",
    "http://127.0.0.1:9999",  # another port is another site
    "https://127.0.0.1:8000",  # another scheme too
    "http://localhost:8000",  # the same machine under another name is another origin
    "null",  # a sandboxed frame, a file:// page, a redirect across sites
    "http://127.0.0.1:8000/",
    "http://user@127.0.0.1:8000",
    "127.0.0.1:8000",
    "",
]
SIMPLE_TYPES = [  # what an HTML form or a fetch without preflight can send from any site
    "text/plain",
    "text/plain;charset=UTF-8",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=x",
]


@pytest.fixture
def db_file(seeded_template: Path, tmp_path: Path) -> str:
    """A seeded SQLite database holding two custom foods (MINE, MINE_TOO)."""
    path = tmp_path / "k2.sqlite"
    shutil.copy(seeded_template, path)
    url = f"sqlite:///{path}"
    with K2Database(url) as db:
        db.add_food(FoodSpec.of(MINE, mk7=80.0))
        db.add_food(FoodSpec.of(MINE_TOO, mk7=60.0))
    return url


@pytest.fixture
def client(db_file: str) -> Iterator[TestClient]:
    """The app as `d3k2db serve --allow-edits` builds it (default --host), reached as 127.0.0.1:8000."""
    app = create_app(db_file, allow_edits=True, allowed_hosts=served_hosts("127.0.0.1"))
    with TestClient(app, base_url=SELF_ORIGIN) as test_client:
        yield test_client


# --- the routes, found by walking the app --------------------------------------------------------


def leaves(routes: list[BaseRoute]) -> Iterator[tuple[str, str]]:
    """(method, path) of every route; an included router is walked, a mount is one GET."""
    for route in routes:
        if isinstance(route, Mount):
            yield "GET", route.path + "/app.js"
        elif getattr(route, "methods", None):
            yield from ((method, route.path) for method in route.methods)  # type: ignore[attr-defined]
        elif hasattr(route, "original_router"):  # FastAPI >= 0.120: include_router keeps the router
            yield from leaves(route.original_router.routes)
        else:
            raise AssertionError(f"a route of a kind this test cannot walk: {route!r}")


def every_route(client: TestClient) -> list[tuple[str, str]]:
    return sorted(set(leaves(client.app.routes)))  # type: ignore[attr-defined]


def writes(client: TestClient) -> list[tuple[str, str]]:
    return [(method, path) for method, path in every_route(client) if method not in SAFE]


def concrete(path: str, name: str = "natto") -> str:
    return re.sub(r"\{[^}]+\}", name, path)


# The request each write route would answer with a change; a new write route needs one here.
WRITE_SAMPLES: dict[tuple[str, str], dict[str, Any]] = {
    ("POST", "/api/foods"): {"url": "/api/foods", "content": json.dumps(NEW_FOOD)},
    ("DELETE", "/api/foods/{name:path}"): {"url": "/api/foods/" + MINE},
    # the page's own changes: JSON in (the same rules), HTML out
    ("POST", "/fragments/foods"): {"url": "/fragments/foods", "content": json.dumps(PAGE_FOOD)},
    ("DELETE", "/fragments/foods/{name:path}"): {"url": "/fragments/foods/" + MINE_TOO},
}


def sample(route: tuple[str, str], **headers: str) -> dict[str, Any]:
    return {"method": route[0], **WRITE_SAMPLES[route], "headers": headers}


def refused(response: Any, status: int, code: str) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["code"] == code and "\n" not in body["error"], body
    assert response.headers["x-frame-options"] == "DENY"


def test_the_walk_finds_the_routes_the_modules_declare(client: TestClient) -> None:
    found = every_route(client)
    for route in [
        ("GET", "/"),
        ("GET", "/food/{name:path}"),
        ("GET", "/api/search"),
        ("GET", "/static/app.js"),
    ]:
        assert route in found
    assert sorted(writes(client)) == sorted(WRITE_SAMPLES)


def test_every_write_route_has_a_sample(client: TestClient) -> None:
    missing = set(writes(client)) - set(WRITE_SAMPLES)
    assert not missing, f"give these write routes a sample request in WRITE_SAMPLES: {missing}"


# --- Host -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", FORGED_HOSTS)
def test_a_forged_host_is_refused_on_every_route_and_method(
    client: TestClient, db_file: str, host: str
) -> None:
    before = dump(db_file)
    for method, path in every_route(client):
        target = WRITE_SAMPLES[(method, path)] if method not in SAFE else {"url": concrete(path)}
        for asked in sorted({method, "HEAD", "OPTIONS"}):
            headers = {"host": host, "origin": SELF_ORIGIN, **JSON_TYPE}
            response = client.request(asked, **target, headers=headers)
            if asked == "HEAD":
                assert response.status_code == 400, (asked, path)
            else:
                refused(response, 400, "bad_host")
                assert f"Host header {host!r} is not an address of this server" in response.json()["error"]
    assert dump(db_file) == before


def test_the_refusal_names_the_addresses_answered(client: TestClient) -> None:
    response = client.get("/", headers={"host": "evil.example"})
    assert response.json()["error"] == (
        "refused: the Host header 'evil.example' is not an address of this server"
        " (localhost, 127.0.0.1, [::1])"
    )


@pytest.mark.parametrize("host", OWN_HOSTS)
def test_the_own_host_names_are_answered_on_every_route(client: TestClient, host: str) -> None:
    for method, path in every_route(client):
        if method in SAFE:
            response = client.request(method, concrete(path), headers={"host": host})
            # answered by the route itself: 422 when q= is missing, 400 bad_input when a plan has
            # neither a dose nor a target — never the Host refusal
            assert response.status_code in (200, 400, 422), (method, path, response.text)
            if response.status_code == 400:
                assert response.json()["code"] == "bad_input", (method, path, response.text)


@pytest.mark.parametrize(
    ("bind", "answered", "refused_hosts"),
    [
        (
            "0.0.0.0",
            ["192.168.1.5:8000", "[fe80::1]:8000", "0.0.0.0:8000", "localhost"],
            ["evil.example", "a.lan"],
        ),
        ("::", ["192.168.1.5", "[2001:db8::5]:8000"], ["evil.example:8000"]),
        ("192.168.1.5", ["192.168.1.5:8000", "127.0.0.1"], ["192.168.1.6", "evil.example"]),
        ("my-pc.lan", ["my-pc.lan:8000", "MY-PC.LAN", "[::1]"], ["other.lan", "my-pc.lan.evil.example"]),
        ("::1", ["[::1]:8000", "localhost"], ["[::2]", "evil.example"]),
    ],
)
def test_the_host_given_to_serve_is_answered_too(
    db_file: str, bind: str, answered: list[str], refused_hosts: list[str]
) -> None:
    """--host adds its own name; a wildcard (0.0.0.0, ::) adds every IP address, which no DNS can
    rebind, but never a name."""
    with TestClient(create_app(db_file, allowed_hosts=served_hosts(bind)), base_url=SELF_ORIGIN) as local:
        for host in answered:
            assert local.get("/api/search?q=natto", headers={"host": host}).status_code == 200, host
        for host in refused_hosts:
            refused(local.get("/api/search?q=natto", headers={"host": host}), 400, "bad_host")


# --- Origin and content type on writes -----------------------------------------------------------


@pytest.mark.parametrize("origin", FORGED_ORIGINS)
def test_a_write_from_another_origin_is_refused(client: TestClient, db_file: str, origin: str) -> None:
    before = dump(db_file)
    for route in writes(client):
        response = client.request(**sample(route, origin=origin, **JSON_TYPE))
        refused(response, 403, "cross_origin")
        assert response.json()["error"] == (
            f"refused: changes are accepted only from this server's own page, not from {origin!r}"
        )
    assert dump(db_file) == before


@pytest.mark.parametrize("site", ["cross-site", "same-site", "none"])
def test_a_write_the_browser_marks_as_from_elsewhere_is_refused(
    client: TestClient, db_file: str, site: str
) -> None:
    """No Origin, but Sec-Fetch-Site says the request did not come from this page."""
    before = dump(db_file)
    for route in writes(client):
        refused(client.request(**sample(route, **{"sec-fetch-site": site}, **JSON_TYPE)), 403, "cross_origin")
    assert dump(db_file) == before


@pytest.mark.parametrize("content_type", SIMPLE_TYPES)
@pytest.mark.parametrize("origin", [SELF_ORIGIN, None])
def test_a_write_in_a_simple_content_type_is_refused(
    client: TestClient, db_file: str, content_type: str, origin: str | None
) -> None:
    """The content types a cross-site form or a fetch without preflight can send, even from this
    page or from a program."""
    before = dump(db_file)
    headers = {"content-type": content_type, **({"origin": origin} if origin else {})}
    for route in writes(client):
        response = client.request(**sample(route, **headers))
        refused(response, 415, "unsupported_media_type")
        assert response.json()["error"] == (
            f"changes must be sent as JSON (Content-Type: application/json), not {content_type!r}"
        )
    assert dump(db_file) == before


def test_a_post_without_a_content_type_is_refused(client: TestClient, db_file: str) -> None:
    before = dump(db_file)
    response = client.post("/api/foods", content=json.dumps(NEW_FOOD), headers={"origin": SELF_ORIGIN})
    refused(response, 415, "unsupported_media_type")
    assert dump(db_file) == before


def test_the_issue_commands_are_refused_and_change_nothing(client: TestClient, db_file: str) -> None:
    """POST and DELETE with `Host: evil.example` and `Origin: http://evil.example` answered 201 and
    200 and added and removed foods."""
    before = dump(db_file)
    forged = {"host": "evil.example", "origin": "http://evil.example"}
    added = client.post("/api/foods", json={"name": "evil food", "mk7": 1}, headers=forged)
    removed = client.delete(f"/api/foods/{MINE}", headers=forged)
    refused(added, 400, "bad_host")
    refused(removed, 400, "bad_host")
    assert dump(db_file) == before
    with K2Database(db_file) as db:
        assert db.show(MINE).name == MINE


def test_a_rebound_page_is_refused_even_when_the_host_is_allowed(db_file: str) -> None:
    """The second lock: were evil.example ever answered, its own page still could not write."""
    app = create_app(db_file, allow_edits=True, allowed_hosts=["evil.example"])
    before = dump(db_file)
    with TestClient(app, base_url="http://evil.example") as rebound:
        response = rebound.post("/api/foods", json=NEW_FOOD, headers={"origin": "http://other.example"})
        refused(response, 403, "cross_origin")
    assert dump(db_file) == before


# --- what still works -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {"origin": SELF_ORIGIN},  # what the page's own fetch sends (Chrome, Firefox, Safari)
        {"sec-fetch-site": "same-origin"},  # a browser that sent no Origin
        {},  # curl or a script: no browser, so no page of another site behind it
        {"origin": "http://127.0.0.1:8000", "sec-fetch-site": "same-origin", "host": "127.0.0.1:8000"},
    ],
)
def test_a_same_origin_json_write_works(client: TestClient, db_file: str, headers: dict[str, str]) -> None:
    for charset in ("", "; charset=utf-8"):
        added = client.post(
            "/api/foods",
            json=NEW_FOOD,
            headers={**headers, "content-type": JSON_TYPE["content-type"] + charset},
        )
        assert added.status_code == 201, added.text
        assert added.json()["name"] == NEW_FOOD["name"]
        removed = client.delete(f"/api/foods/{NEW_FOOD['name']}", headers=headers)
        assert removed.status_code == 200 and removed.json() == {"removed": NEW_FOOD["name"]}, removed.text


def test_every_write_sample_works_from_the_page(client: TestClient, db_file: str) -> None:
    """The samples would change the database: the refusals above are what kept it unchanged."""
    before = dump(db_file)
    for route in writes(client):
        response = client.request(**sample(route, origin=SELF_ORIGIN, **JSON_TYPE))
        assert response.status_code in (200, 201), (route, response.text)
    assert dump(db_file) != before


@pytest.mark.parametrize("host", ["[::1]:8000", "localhost:8000", "LOCALHOST:8000"])
def test_the_origin_is_compared_with_the_host_the_request_names(client: TestClient, host: str) -> None:
    origin = "http://" + host.lower()
    added = client.post("/api/foods", json=NEW_FOOD, headers={"host": host, "origin": origin})
    assert added.status_code == 201, added.text
    default_port = client.post(
        "/api/foods",
        json={**NEW_FOOD, "name": "other"},
        headers={"host": "localhost", "origin": "http://localhost:80"},
    )
    assert default_port.status_code == 201, default_port.text


def test_reads_need_no_origin(client: TestClient) -> None:
    for headers in (
        {"origin": "http://evil.example"},
        {"sec-fetch-site": "cross-site"},
        {"content-type": "text/plain"},
    ):
        get_each(client, ("/api/search?q=natto", "/food/natto"), headers=headers)


def test_read_only_mode_still_says_edits_are_off(db_file: str) -> None:
    with TestClient(create_app(db_file), base_url=SELF_ORIGIN) as read_only:
        refused(
            read_only.post("/api/foods", json=NEW_FOOD, headers={"origin": SELF_ORIGIN}),
            403,
            "edits_not_allowed",
        )


# --- a real `d3k2db serve` ------------------------------------------------------------------------


def raw_request(port: int, head: str, body: bytes = b"") -> tuple[int, dict[str, Any]]:
    """Send ``head`` (request line and headers, as typed) and ``body`` to 127.0.0.1:port; the status
    and the JSON answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    status_line, _, rest = answer.partition(b"\r\n")
    payload = rest.partition(b"\r\n\r\n")[2]
    return int(status_line.split()[1]), json.loads(payload) if payload.startswith(b"{") else {}


def wait_until_up(port: int, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while True:
        try:
            raw_request(port, f"GET /api/sources HTTP/1.1\nHost: 127.0.0.1:{port}\nConnection: close\n")
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("d3k2db serve did not start") from None
            time.sleep(0.1)


def post_head(host: str, origin: str, body: bytes) -> str:
    return (
        f"POST /api/foods HTTP/1.1\nHost: {host}\nOrigin: {origin}\nContent-Type: application/json\n"
        f"Content-Length: {len(body)}\nConnection: close\n"
    )


@pytest.mark.slow
def test_a_real_server_refuses_the_forged_host(db_file: str) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = subprocess.Popen(
        [sys.executable, "-m", "d3k2db", "serve", "--allow-edits", "--port", str(port), "--db", db_file],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        wait_until_up(port, server)
        before = dump(db_file)
        body = json.dumps({"name": "evil food", "mk7": 1}).encode()
        status, answer = raw_request(port, post_head("evil.example", "http://evil.example", body), body)
        assert (status, answer["code"]) == (400, "bad_host")
        forged = "Host: evil.example\nOrigin: http://evil.example\nConnection: close\n"
        status, answer = raw_request(port, f"DELETE /api/foods/{quote(MINE)} HTTP/1.1\n{forged}")
        assert (status, answer["code"]) == (400, "bad_host")
        status, answer = raw_request(port, post_head(f"127.0.0.1:{port}", "http://evil.example", body), body)
        assert (status, answer["code"]) == (403, "cross_origin")
        assert dump(db_file) == before
        own = f"127.0.0.1:{port}"
        status, answer = raw_request(port, post_head(own, f"http://{own}", body), body)
        assert status == 201 and answer["name"] == "evil food"  # the page's own write goes through
    finally:
        server.terminate()
        server.wait(timeout=20)

"""Helpers shared by the web tests: an in-process client over the app, and hand-known figures."""

from __future__ import annotations

import csv
import warnings
from collections.abc import Collection, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from httpx import Response

with warnings.catch_warnings():  # Starlette >= 1.x asks for httpx2; httpx is what FastAPI documents
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from d3k2db.web.app import create_app

REPO = Path(__file__).resolve().parent.parent
# The Host TestClient sends: answered by the apps the tests build, never by `serve` (loopback only)
TEST_HOSTS = ("testserver",)
HOSTILE = "<img src=x onerror=alert(1)>"
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)


@contextmanager
def web(db_url: str, *, allow_edits: bool = False) -> Iterator[TestClient]:
    """The app over ``db_url`` with its lifespan run (the database is closed after)."""
    with TestClient(create_app(db_url, allow_edits=allow_edits, allowed_hosts=TEST_HOSTS)) as client:
        yield client


def get_each(
    client: TestClient, paths: Iterable[str], statuses: Collection[int] = (200,), **options: Any
) -> dict[str, Response]:
    """GET every path (``options`` as for ``client.get``: headers…); each must answer one of
    ``statuses``, the path and the start of the answer named when one does not."""
    answers = {}
    for path in paths:
        response = client.get(path, **options)
        assert response.status_code in statuses, (path, response.status_code, response.text[:300])
        answers[path] = response
    return answers


def seed_food(name: str) -> dict[str, str]:
    """The row of data/foods.csv for ``name``: figures known without asking the program."""
    with (REPO / "data" / "foods.csv").open(encoding="utf-8") as handle:
        return next(row for row in csv.DictReader(handle) if row["name"] == name)


def seed_portion(food: str, unit: str) -> float:
    with (REPO / "data" / "portions.csv").open(encoding="utf-8") as handle:
        row = next(r for r in csv.DictReader(handle) if r["food"] == food and r["unit"] == unit)
    return float(row["grams"]) / float(row["amount"])

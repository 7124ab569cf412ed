"""A food's name may be as long as the schema's column (storage.tables foods.name); every edge takes
that length: a 250-character food added by the CLI is shown on its page and removed through the API
(the web once cut names at 200 characters and could neither show nor remove it)."""

from __future__ import annotations

from urllib.parse import quote

from typer.testing import CliRunner

from d3k2db.cli import app
from d3k2db.storage.tables import foods
from tests.web_client import web

NAME = "zq " + "long aged farmhouse cheese " * 9 + "x" * 4  # 250 characters


def test_the_long_name_is_longer_than_the_old_web_limit_and_fits_the_schema() -> None:
    assert len(NAME) == 250 and 200 < len(NAME) <= foods.c.name.type.length  # type: ignore[attr-defined]


def test_a_250_character_food_added_by_the_cli_is_shown_and_removed_on_the_web(
    runner: CliRunner, db_url: str
) -> None:
    added = runner.invoke(app, ["add", NAME, "--total", "12", "--db", db_url])
    assert added.exit_code == 0, added.output
    with web(db_url, allow_edits=True) as client:
        page = client.get(f"/food/{quote(NAME)}")
        assert page.status_code == 200 and NAME in page.text
        shown = client.get(f"/api/foods/{quote(NAME)}")
        assert shown.status_code == 200 and shown.json()["name"] == NAME
        removed = client.delete(f"/api/foods/{quote(NAME)}", headers={"Origin": "http://testserver"})
        assert removed.status_code == 200, removed.text
        assert removed.json() == {"removed": NAME}
        assert client.get(f"/api/foods/{quote(NAME)}").status_code == 404
    assert runner.invoke(app, ["show", NAME, "--db", db_url]).exit_code == 1


def test_a_name_longer_than_the_schema_is_refused_alike_by_the_cli_and_the_api(
    runner: CliRunner, db_url: str
) -> None:
    too_long = "z" * (foods.c.name.type.length + 1)  # type: ignore[attr-defined]
    cli = runner.invoke(app, ["add", too_long, "--total", "1", "--db", db_url])
    assert cli.exit_code == 2 and "name: is longer than 300 characters" in cli.stderr
    with web(db_url, allow_edits=True) as client:
        api = client.post(
            "/api/foods", json={"name": too_long, "total_k2": 1}, headers={"Origin": "http://testserver"}
        )
        assert api.status_code == 422 and "300" in api.text

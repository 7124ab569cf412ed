"""The README's JSON shapes are the program's: a key added, renamed or removed fails here.

For each command, every key the JSON output has (top level and one level into its items) must be
named in that command's README bullet, and every key the bullet names must exist somewhere in the
output — so the documentation cannot drift from the code (the idea of sqlite-utils' test_docs).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
COMMANDS = {
    "search": ["search", "natto"],
    # sushi is not in d3k2db (data/not_in_database.csv): skipped, so "skipped" has its keys too
    "meal": ["meal", "2 eggs, 30 g cheese, sushi", "--d3", "5000", "--target", "100", "--skip-unknown"],
    "pair": ["pair", "--d3", "5000"],
    "plan": ["plan", "--d3", "5000", "--with", "2 eggs"],
    "top": ["top", "--limit", "3"],
    "show": ["show", "cheddar"],
}
FORMS = {"mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10"}


def bullet(command: str) -> str:
    section = README.split("### JSON", 1)[1].split("\n## ", 1)[0]
    match = re.search(rf"^- `{command}`:(.*?)(?=^- `|\Z)", section, flags=re.MULTILINE | re.DOTALL)
    assert match, f"README's JSON section has no bullet for {command}"
    return match.group(1)


def keys(data: Any, depth: int) -> set[str]:
    """Keys of dicts down to ``depth`` levels (a list counts through its first element)."""
    if depth < 0:
        return set()
    if isinstance(data, list):
        return keys(data[0], depth) if data else set()
    if isinstance(data, dict):
        found = set(data) - FORMS
        for value in data.values():
            found |= keys(value, depth - 1)
        return found
    return set()


@pytest.mark.parametrize("command", COMMANDS)
def test_the_readme_json_shape_is_the_output(runner: CliRunner, db_url: str, command: str) -> None:
    result = runner.invoke(app, [*COMMANDS[command], "--format", "json"])
    assert result.exit_code in (0, 3), result.stderr
    data = json.loads(result.stdout)
    text = bullet(command)
    if "like `search`" in text:  # top: search's shape, with "per" instead of "query"
        text = bullet("search") + text
    documented = set(re.findall(r'"([a-z_0-9]+)"', text)) - FORMS - ({"query"} if command == "top" else set())
    near = keys(data, 1) if command != "show" else keys(data, 0)
    assert near - documented == set(), f"{command}: keys missing from README: {near - documented}"
    assert documented - keys(data, 3) == set(), (
        f"{command}: README names keys that do not exist: {documented - keys(data, 3)}"
    )

"""Help is documentation: every command explains itself (the sqlite-utils test_docs idea), and the
README's command table names exactly the commands the app has — walked from the Typer app itself,
so a new command cannot go undocumented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from d3k2db.cli import app

README = Path(__file__).resolve().parent.parent / "README.md"


def all_commands() -> list[list[str]]:
    """Every leaf command of the app as its words: ['search'], ['db', 'upgrade'] …"""
    found: list[list[str]] = []

    def walk(group: object, prefix: list[str]) -> None:
        # a group has sub-commands (Typer carries its own Click: duck-typed, not imported)
        for name, command in sorted(getattr(group, "commands", {}).items()):
            if hasattr(command, "commands"):
                walk(command, [*prefix, name])
            else:
                found.append([*prefix, name])

    walk(typer.main.get_command(app), [])
    return found


COMMANDS = all_commands()


def test_the_app_has_the_commands_we_document() -> None:
    assert len(COMMANDS) >= 15 and ["meal"] in COMMANDS and ["alias", "add"] in COMMANDS


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_every_command_has_help_with_a_description(runner: CliRunner, command: list[str]) -> None:
    result = runner.invoke(app, [*command, "--help"])
    assert result.exit_code == 0
    usage, _, rest = result.stdout.partition("\n\n")
    assert usage.startswith("Usage: d3k2db")
    description = rest.split("\n\n")[0].strip()
    assert len(description) > 20, f"{' '.join(command)} has no description"


def test_the_top_level_help_lists_every_command(runner: CliRunner) -> None:
    text = runner.invoke(app, ["--help"]).stdout
    for command in {c[0] for c in COMMANDS}:
        assert f"  {command} " in text


def test_the_readme_command_table_names_every_command_and_no_other() -> None:
    table = README.read_text(encoding="utf-8").split("## Commands", 1)[1].split("\n\n", 2)[1]
    groups = {c[0] for c in COMMANDS if len(c) > 1}
    documented = set()
    for row in table.splitlines()[2:]:
        first_cell = row.split(" | ")[0]
        for first, second in re.findall(r"`d3k2db ([a-z][a-z-]*)(?: ([a-z]+))?", first_cell):
            documented.add(f"{first} {second}" if first in groups else first)
    actual = {" ".join(c) for c in COMMANDS}
    assert actual - documented == set(), f"commands missing from README's table: {actual - documented}"
    assert documented - actual == set(), f"README documents unknown commands: {documented - actual}"


def test_version(runner: CliRunner) -> None:
    from d3k2db import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"d3k2db {__version__}"


def test_help_imports_no_database_library() -> None:
    """`d3k2db --help` pays only for Typer: SQLAlchemy, pandas and Alembic load when a command needs them."""
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "d3k2db", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "Usage" in result.stdout
    assert not {"sqlalchemy", "pandas", "alembic", "rapidfuzz"} & imported

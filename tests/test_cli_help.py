"""Help is documentation: every command explains itself (the sqlite-utils test_docs idea)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app

COMMANDS = [
    ["search"], ["top"], ["meal"], ["pair"], ["show"], ["sources"], ["add"], ["remove"], ["export"],
    ["import"], ["import-fdc"], ["db", "upgrade"], ["db", "seed"], ["alias", "add"], ["alias", "remove"],
]  # fmt: skip


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


def test_version(runner: CliRunner) -> None:
    from d3k2db import __version__

    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.stdout.strip() == f"d3k2db {__version__}"

"""README.zh-Hant.md shows what the tool prints: every console example is run and compared, and its
quick start is README.md's, command for command."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from d3k2db.cli import app

REPO = Path(__file__).resolve().parent.parent
CHINESE = (REPO / "README.zh-Hant.md").read_text(encoding="utf-8")
ENGLISH = (REPO / "README.md").read_text(encoding="utf-8")


def console_blocks(text: str) -> list[tuple[str, str]]:
    """(command line, printed output) of every console block with one command and its output."""
    found = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
        first, _, output = block.partition("\n")
        if first.startswith("$ ") and "\n$ " not in "\n" + output and output.strip() and "..." not in output:
            found.append((first[2:], output.rstrip("\n")))
    return found


EXAMPLES = [*console_blocks(CHINESE), *[(c, o) for c, o in console_blocks(ENGLISH) if "--lang zh" in c]]


def test_the_chinese_readme_has_examples_and_links() -> None:
    assert len(console_blocks(CHINESE)) >= 5
    assert "(README.zh-Hant.md)" in ENGLISH and "(README.md)" in CHINESE


@pytest.mark.parametrize(("line", "printed"), EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_each_example_is_what_the_tool_prints(
    runner: CliRunner, db_url: str, monkeypatch: pytest.MonkeyPatch, line: str, printed: str
) -> None:
    words = shlex.split(line)
    while "=" in words[0]:  # LANG=zh_CN.UTF-8 d3k2db …
        name, value = words.pop(0).split("=", 1)
        monkeypatch.setenv(name, value)
    assert words[0] == "d3k2db"
    result = runner.invoke(app, words[1:])
    assert (result.stdout + result.stderr).rstrip("\n") == printed


def test_the_quick_start_commands_are_the_english_ones() -> None:
    def quick_start(text: str, heading: str) -> list[str]:
        section = text.split(heading, 1)[1].split("\n## ", 1)[0]
        return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)

    assert quick_start(CHINESE, "## 快速開始") == quick_start(ENGLISH, "## Quick start")
    assert len(quick_start(ENGLISH, "## Quick start")) == 2

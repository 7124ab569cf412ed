"""The docs' console examples are real runs: the check regenerates them and fails on any drift."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MARKED = re.compile(
    r"<!-- \[\[\[cog console\((?P<args>.*?)\)\]\]\] -->\n"
    r"```console\n(?P<body>.*?)```\n<!-- \[\[\[end\]\]\] -->",
    re.S,
)

pytestmark = pytest.mark.slow


def _copy_of_tree(tmp_path: Path) -> Path:
    """The docs and the tool beside them, so a document can be edited without touching the checkout."""
    tree = tmp_path / "tree"
    (tree / "docs").mkdir(parents=True)
    (tree / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "doc_examples.py", tree / "tools")
    return tree


def _check(tree: Path, document: str) -> subprocess.CompletedProcess[str]:
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from tools import doc_examples as d; "
        "d.ROOT = __import__('pathlib').Path(sys.argv[1]); d.DOCUMENTS = [sys.argv[2]]; "
        "raise SystemExit(d.main(['--check']))"
    )
    command = [sys.executable, "-c", script, str(tree), document]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_every_example_in_the_readmes_is_marked_for_regeneration() -> None:
    for name in ("README.md", "README.zh-Hant.md"):
        text = (ROOT / name).read_text(encoding="utf-8")
        unmarked = [
            block
            for block in re.findall(r"(?ms)^```console\n(.*?)^```", text)
            if any(not line.startswith("$ ") for line in block.splitlines())
            and f"```console\n{block}```\n<!-- [[[end]]] -->" not in text
        ]
        assert not unmarked, f"{name}: console output not generated from a run: {unmarked[0][:200]}"


def test_the_check_passes_on_a_true_example_and_fails_when_an_output_line_changes(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = next(m.group(0) for m in MARKED.finditer(readme) if "search natto" in m.group("args"))
    tree = _copy_of_tree(tmp_path)
    document = tree / "docs" / "one.md"
    document.write_text(f"# one example\n\n{example}", encoding="utf-8")
    assert _check(tree, "docs/one.md").returncode == 0

    document.write_text(f"# one example\n\n{example.replace('763.3', '736.3')}", encoding="utf-8")
    drifted = _check(tree, "docs/one.md")
    assert drifted.returncode != 0
    assert "763.3" in drifted.stdout + drifted.stderr  # the diff shows what the tool prints now

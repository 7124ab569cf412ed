"""Console examples in the docs, generated from real runs so they cannot drift (run by cog).

Each example in README.md, README.zh-Hant.md and docs/*.md is written as::

    <!-- [[[cog console("d3k2db search natto")]]] -->
    ```console
    $ d3k2db search natto
    ... the output of that very command ...
    ```
    <!-- [[[end]]] -->

``python tools/doc_examples.py`` rewrites every example from a real run; ``--check`` (what
``.ci/run`` does) fails, showing the difference, when any example's output no longer matches what
the tool prints. Commands run as a new user runs them: the installed ``d3k2db`` in a pipe (plain
tables, no colours), on a fresh database seeded from ``data/`` — one per document, so a document's
examples can build on each other (``add`` then ``meal``) — in a scratch folder, English unless the
example sets ``--lang`` or a locale variable. stdout and stderr are shown together, as a terminal
shows them; an error's exit status is shown only by its message.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md"))
DOCUMENTS = ["README.md", "README.zh-Hant.md", *DOCS]

_scratch: dict[str, Path] = {}


def _folder(document: str) -> Path:
    """One scratch folder (and database) per document, made on its first example."""
    if document not in _scratch:
        _scratch[document] = Path(tempfile.mkdtemp(prefix="d3k2db-docs-"))
    return _scratch[document]


def _environment(folder: Path, assignments: list[str]) -> dict[str, str]:
    keep = {"PATH", "SYSTEMROOT", "TMPDIR", "TEMP", "TMP"}
    env = {k: v for k, v in os.environ.items() if k in keep}
    env.update(
        HOME=str(folder),
        XDG_DATA_HOME=str(folder / "data"),
        D3K2DB_URL=f"sqlite:///{folder / 'd3k2db.sqlite'}",
        LANG="C.UTF-8",
        PYTHONIOENCODING="utf-8",
        COLUMNS="200",
        NO_COLOR="1",
    )
    for assignment in assignments:
        name, _, value = assignment.partition("=")
        env[name] = value
    return env


def run(command: str, document: str) -> str:
    """The text a person sees after typing ``command`` (``# comments`` and ``VAR=x`` prefixes allowed)."""
    words = shlex.split(command, comments=True)
    assignments = []
    while words and "=" in words[0] and not words[0].startswith("-"):
        assignments.append(words.pop(0))
    if not words or words[0] != "d3k2db":
        raise ValueError(f"an example must run d3k2db: {command!r}")
    folder = _folder(document)
    done = subprocess.run(
        [sys.executable, "-m", "d3k2db", *words[1:]],
        cwd=folder,
        env=_environment(folder, assignments),
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
    )
    return (done.stdout + done.stderr).rstrip("\n")


def console(*commands: str) -> None:
    """Write one ```console block with each command and its real output (called from cog)."""
    import cog  # type: ignore[import-not-found]  # only inside a cog run

    document = str(Path(cog.inFile).resolve().relative_to(ROOT))
    cog.outl("```console")
    for command in commands:
        cog.outl(f"$ {command}")
        output = run(command, document)
        if output:
            cog.outl(output)
    cog.outl("```")


def main(argv: list[str]) -> int:
    """Regenerate the examples (or check them with ``--check``) through cog's own command line."""
    from cogapp import Cog

    check = ["--check", "--diff"] if "--check" in argv else ["-r"]
    arguments = ["cog", *check, "-p", "from tools.doc_examples import console", *DOCUMENTS]
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    return Cog().main(arguments)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

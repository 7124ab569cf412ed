"""The translation catalogs: extract the messages from the source, update the .po files, compile .mo.

    python tools/i18n.py extract   # d3k2db/locale/d3k2db.pot from the source (Babel's extract API)
    python tools/i18n.py update    # merge the template into zh_Hant and zh_Hans (new entries empty)
    python tools/i18n.py compile   # .po -> .mo (committed: the wheel ships them, runtime uses gettext)
    python tools/i18n.py all       # the three in order

The messages are every ``_()``, ``N_()`` and ``ngettext()`` of the package (Babel's Python extractor)
plus the help of the command line, which Typer takes from the code itself: each command's docstring
and every ``help=``/``epilog=`` string in ``d3k2db/cli.py`` (and ``cli_lang.py``), read with ``ast``.
Translate in the .po files (Poedit, or any editor); ``tests/test_i18n.py`` fails on an empty, fuzzy,
stale or obsolete entry, a placeholder mismatch, or a .mo older than its .po.

Babel is a test dependency; nothing here runs at run time.
"""

from __future__ import annotations

import ast
import inspect
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "d3k2db"
LOCALE = PACKAGE / "locale"
DOMAIN = "d3k2db"
LOCALES = ("zh_Hant", "zh_Hans")
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
HELP_MODULES = ("cli.py", "cli_lang.py")

Message = tuple[str | tuple[str, str], str, int]  # msgid (or singular, plural), file, line


def _help_texts(path: Path) -> Iterator[tuple[str, int]]:
    """Typer's help in one module: command docstrings and every help=/epilog= string constant."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("help", "epilog"):
            if isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
                yield inspect.cleandoc(node.value.value), node.value.lineno
        elif isinstance(node, ast.FunctionDef) and any(
            isinstance(d, ast.Call)
            and isinstance(d.func, ast.Attribute)
            and d.func.attr in ("command", "callback")
            for d in node.decorator_list
        ):
            doc = ast.get_docstring(node, clean=True)
            if doc:
                yield doc, node.body[0].lineno


def extract_messages() -> list[Message]:
    """Every message of the package, in source order, each once."""
    from babel.messages.extract import extract_from_file

    seen: set[str | tuple[str, str]] = set()
    found: list[Message] = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        messages: list[tuple[str | tuple[str, str], int]] = [
            (message, line)
            for line, message, _comments, _context in extract_from_file("python", path, KEYWORDS)
        ]
        if path.name in HELP_MODULES and path.parent == PACKAGE:
            messages += list(_help_texts(path))
        for message, line in messages:
            if isinstance(message, tuple):
                message = (message[0], message[1]) if len(message) > 1 else message[0]
            if message and message not in seen:
                seen.add(message)
                found.append((message, rel, line))
    return found


def template():  # type: ignore[no-untyped-def]
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="d3k2db", domain=DOMAIN, charset="utf-8", fuzzy=False)
    for message, path, line in extract_messages():
        flags = (
            ("python-brace-format",) if "{" in (message if isinstance(message, str) else message[0]) else ()
        )
        catalog.add(message, locations=[(path, line)], flags=flags)
    return catalog


def po_path(locale: str) -> Path:
    return LOCALE / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def extract() -> None:
    from babel.messages.pofile import write_po

    LOCALE.mkdir(parents=True, exist_ok=True)
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as out:
        write_po(out, template(), width=100, omit_header=False)


def update() -> None:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import read_po, write_po

    pot = template()
    for locale in LOCALES:
        path = po_path(locale)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale=locale, domain=DOMAIN, project="d3k2db", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True)
        catalog.obsolete.clear()  # a message gone from the source leaves the catalog
        with path.open("wb") as out:
            write_po(out, catalog, width=100, sort_output=False)


def compile_() -> None:
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for locale in LOCALES:
        with po_path(locale).open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        with po_path(locale).with_suffix(".mo").open("wb") as out:
            write_mo(out, catalog, use_fuzzy=False)


def main(argv: list[str]) -> int:
    steps = {
        "extract": [extract],
        "update": [update],
        "compile": [compile_],
        "all": [extract, update, compile_],
    }
    if len(argv) != 1 or argv[0] not in steps:
        print(__doc__, file=sys.stderr)
        return 2
    for step in steps[argv[0]]:
        step()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""What every command shares: the database the global options name, and printing a result."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import typer

from ..domain.text import printable
from ..i18n import _
from .root import Format, globals_of

if TYPE_CHECKING:
    from ..library import K2Database


def open_database(ctx: typer.Context) -> K2Database:
    """The database of --db ($D3K2DB_URL, else the default file), set up on first use; what an
    upgrade did to your own foods is told on stderr (stdout stays data)."""
    from ..config import resolve_url
    from ..library import K2Database
    from ..storage.quick import is_in_memory

    db = globals_of(ctx).db
    if is_in_memory(resolve_url(db)):
        typer.echo(_("warning: an in-memory database keeps nothing after this command"), err=True)
    database = K2Database(db)
    if database.upgraded is not None and database.upgraded.changes:
        from ..output.upgrade import upgrade_notice

        typer.echo("\n".join(upgrade_notice(database.upgraded.changes)), err=True)
    return database


def print_lines(text: str) -> None:
    """Lines of output, each as text.printable shows it (JSON and CSV are already escaped)."""
    text = "\n".join(printable(line) for line in text.removesuffix("\n").split("\n"))
    sys.stdout.write(text + "\n")


def output(
    chosen: Format,
    as_json: Callable[[], Any],
    as_csv: Callable[[], str],
    as_tables: Callable[[], tuple[list[Any], list[str]]],
) -> None:
    """Print one result in the chosen format; each form is built only if it is the one asked for."""
    from ..output import render

    if chosen is Format.json:
        print_lines(render.to_json(as_json()))
    elif chosen is Format.csv:
        print_lines(as_csv())
    else:
        render.emit(*as_tables())

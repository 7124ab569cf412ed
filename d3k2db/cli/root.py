"""The root of the ``d3k2db`` command: the Typer apps, and the global options declared once here.

``--db``, ``--lang`` and ``--format`` belong to the root callback, which keeps them in ``ctx.obj``
(``Globals``) for the command that follows. They may be written before the command or anywhere
after it (``d3k2db --db URL search natto`` and ``d3k2db search natto --db URL``): the root group
moves them to the front before Click reads anything (``hoist`` in cli/argv.py, called from cli/lang.py).
"""

from dataclasses import dataclass
from enum import Enum
from typing import Annotated

import typer

from ..i18n import N_
from .lang import LANG_HELP, I18nGroup


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


DB_HELP = N_("SQLAlchemy database URL. Default: $D3K2DB_URL, else a SQLite file in your user data folder.")
FORMAT_HELP = N_(
    "Output: table (plain text when piped), json or csv; export writes csv (its default) or json, "
    "import's report is a table or json."
)
DbOption = Annotated[str | None, typer.Option("--db", help=DB_HELP, metavar="URL", show_default=False)]
LangOption = Annotated[str | None, typer.Option("--lang", help=LANG_HELP, metavar="LANG", show_default=False)]
FormatOption = Annotated[Format | None, typer.Option("--format", "-f", help=FORMAT_HELP, show_default=False)]


@dataclass(frozen=True)
class Globals:
    """The global options as the root callback read them (None: not given)."""

    db: str | None = None
    lang: str | None = None
    output: Format | None = None

    def format(self, default: Format, *allowed: Format) -> Format:
        """The --format asked for, else the command's default; one the command cannot write is a
        usage error naming what it can."""
        chosen = self.output or default
        if allowed and chosen not in allowed:
            choices = ", ".join(repr(a.value) for a in allowed)  # Click's own words: translated as its
            raise typer.BadParameter(  # other errors are (cli/translate.py CLICK_MESSAGES)
                f"{chosen.value!r} is not one of {choices}.", param_hint="'--format' / '-f'"
            )
        return chosen


def globals_of(ctx: typer.Context) -> Globals:
    """The global options of this run (set by the root callback)."""
    found = ctx.find_object(Globals)
    return found if found is not None else Globals()


app = typer.Typer(
    name="d3k2db",
    cls=I18nGroup,
    help="Vitamin K2 (MK-4, MK-7 …) in foods, offline and cited. Pair your vitamin D3 with K2.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(
    help="Manage the database explicitly (it is set up on first use anyway).",
    no_args_is_help=True,
    rich_markup_mode=None,
    cls=I18nGroup,
)
app.add_typer(db_app, name="db")
alias_app = typer.Typer(
    help="Your own other names for foods.", no_args_is_help=True, rich_markup_mode=None, cls=I18nGroup
)
app.add_typer(alias_app, name="alias")


def _version(value: bool) -> None:
    if value:
        from .. import __version__

        typer.echo(f"d3k2db {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    ctx: typer.Context,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    db: DbOption = None,
    lang: LangOption = None,
    output: FormatOption = None,
) -> None:
    """Vitamin K2 (MK-4, MK-7 …) in foods, offline and cited.

    Not medical advice: vitamin K interacts with warfarin-type anticoagulants.
    """
    ctx.obj = Globals(db=db, lang=lang, output=output)

"""The ``d3k2db`` command: parse arguments, call one library function, render the result.

No SQL here; library errors (D3k2dbError) become one line on stderr and their exit code.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, TypeVar

import typer

from .errors import D3k2dbError
from .figures import DEFAULT_RATIO_UG_PER_10000_IU

app = typer.Typer(
    name="d3k2db",
    help="Vitamin K2 (MK-4, MK-7 …) in foods, offline and cited. Pair your vitamin D3 with K2.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
db_app = typer.Typer(
    help="Manage the database explicitly (it is set up on first use anyway).", no_args_is_help=True
)
app.add_typer(db_app, name="db")


class Format(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"


DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="SQLAlchemy database URL. Default: $D3K2DB_URL, else a SQLite file in your user data folder.",
        show_default=False,
    ),
]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output: table (plain text when piped), json or csv.")
]


class Per(str, Enum):
    g100 = "100g"
    serving = "serving"


FormOption = Annotated[
    str | None,
    typer.Option(
        "--form", help="Only foods of this kind: mk4 (animal tissue) or mk7 (bacterial, fermented)."
    ),
]
CategoryOption = Annotated[
    str | None, typer.Option("--category", "-c", help="Only this category, e.g. cheese.")
]
RatioOption = Annotated[
    float,
    typer.Option(
        "--ratio",
        help="µg K2 per 10,000 IU vitamin D3. Default 100: the common rule of thumb of 100 µg K2 (MK-7) "
        "per 10,000 IU D3, scaled proportionally (a supplement-practice convention, not a clinical dose).",
    ),
]
D3Option = Annotated[
    float | None,
    typer.Option(
        "--d3", help="Your vitamin D3 dose in IU: say whether the meal's K2 covers it at the ratio."
    ),
]
F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Turn the tool's own errors into 'error: …' on stderr and their exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except D3k2dbError as exc:
            typer.echo(f"error: {exc}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from .db import K2Database

    return K2Database(db)


def _print(text: str) -> None:
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


@app.command()
@friendly_errors
def search(
    term: Annotated[
        str | None,
        typer.Argument(help="Food name, alias or part of one; typos are forgiven. Omit to list all."),
    ] = None,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Show at most this many foods.")
    ] = None,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Find foods with K2: per 100 g and per serving, by form.

    Example: d3k2db search natto
    """
    from . import render

    with _open(db) as database:
        foods = database.search(term, form=form, category=category, limit=limit)
    if output is Format.json:
        _print(render.to_json({"query": term, "count": len(foods), "foods": [f.to_dict() for f in foods]}))
    elif output is Format.csv:
        _print(render.search_csv(foods))
    else:
        render.emit([render.search_table(foods)], [f"{len(foods)} food(s); figures in µg."])


@app.command()
@friendly_errors
def top(
    per: Annotated[
        Per, typer.Option("--per", help="Rank by K2 per 100 g or per default serving.")
    ] = Per.g100,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many foods to show.")] = 20,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """The foods richest in K2, per 100 g or per serving; '—' where a form was not measured.

    Example: d3k2db top --per serving --form mk4
    """
    from . import render

    with _open(db) as database:
        foods = database.top(by=per.value, form=form, category=category, limit=limit)
    if not foods:
        typer.echo("error: no food has a K2 figure with these filters", err=True)
        raise typer.Exit(1)
    if output is Format.json:
        _print(render.to_json({"per": per.value, "count": len(foods), "foods": [f.to_dict() for f in foods]}))
    elif output is Format.csv:
        _print(render.search_csv(foods))
    else:
        unit = "100 g" if per is Per.g100 else "serving"
        render.emit([render.search_table(foods)], [f"Top {len(foods)} by K2 per {unit}; figures in µg."])


@app.command()
@friendly_errors
def meal(
    items: Annotated[
        list[str],
        typer.Argument(
            help='Foods with optional amounts: butter eggs · 2 eggs 100g natto · "2 eggs, 1 tbsp butter"',
            show_default=False,
        ),
    ],
    d3: D3Option = None,
    target: Annotated[
        float | None,
        typer.Option("--target", help="A daily K2 target in µg: show the share met and what is missing."),
    ] = None,
    ratio: RatioOption = DEFAULT_RATIO_UG_PER_10000_IU,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Add up the K2 in a meal, item by item, and the vitamin D3 dose it pairs with.

    Example: d3k2db meal 2 eggs, 1 tbsp butter, 30 g gouda --d3 5000
    """
    from . import render

    with _open(db) as database:
        result = database.meal(items, ratio_ug_per_10000_iu=ratio, d3_iu=d3, target_ug=target)
    if output is Format.json:
        _print(render.to_json(result.to_dict()))
    elif output is Format.csv:
        _print(render.meal_csv(result))
    else:
        tables, notes = render.meal_tables(result)
        render.emit(tables, notes)


@app.command()
@friendly_errors
def pair(
    d3: Annotated[float, typer.Option("--d3", help="Your vitamin D3 dose in IU.", show_default=False)],
    ratio: RatioOption = DEFAULT_RATIO_UG_PER_10000_IU,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="How many of the richest foods.")] = 10,
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """The K2 a vitamin D3 dose calls for, and how much of each of the richest foods gives it.

    Example: d3k2db pair --d3 5000
    """
    from . import render

    with _open(db) as database:
        result = database.pair(d3, ratio_ug_per_10000_iu=ratio, form=form, category=category, limit=limit)
    if output is Format.json:
        _print(render.to_json(result.to_dict()))
    elif output is Format.csv:
        _print(render.pair_csv(result))
    else:
        tables, notes = render.pair_tables(result)
        render.emit(tables, notes)


@app.command()
@friendly_errors
def show(
    food: Annotated[str, typer.Argument(help="The food's name or alias.", show_default=False)],
    output: FormatOption = Format.table,
    db: DbOption = None,
) -> None:
    """Everything about one food: every form, K1, servings, aliases, measurements, sources.

    Example: d3k2db show "egg yolk"
    """
    from . import render

    with _open(db) as database:
        profile = database.show(food)
    if output is Format.json:
        _print(render.to_json(profile.to_dict()))
    elif output is Format.csv:
        _print(render.profile_csv(profile))
    else:
        tables, notes = render.profile_tables(profile)
        render.emit(tables, notes)


@app.command()
@friendly_errors
def sources(output: FormatOption = Format.table, db: DbOption = None) -> None:
    """Every published reference in the database and how many measurements it supplied."""
    from . import render

    with _open(db) as database:
        rows = database.sources()
    if output is Format.json:
        _print(render.to_json([{"citation": c, "url": u, "measurements": n} for c, u, n in rows]))
    elif output is Format.csv:
        _print(render.to_csv(["citation", "url", "measurements"], rows))
    else:
        render.emit([render.sources_table(rows)])


@db_app.command("upgrade")
@friendly_errors
def db_upgrade(db: DbOption = None) -> None:
    """Create the database or bring its schema up to date (Alembic migrations)."""
    from .config import resolve_url
    from .database import HEAD_REVISION, make_engine, schema_state, upgrade_schema

    engine = make_engine(resolve_url(db))
    before = schema_state(engine).revision
    upgrade_schema(engine)
    typer.echo(
        f"schema at revision {HEAD_REVISION} (was {before or 'empty'}): {engine.url.render_as_string()}"
    )


@db_app.command("seed")
@friendly_errors
def db_seed(db: DbOption = None) -> None:
    """Load the shipped, cited seed foods again (your own foods are kept)."""
    from .config import resolve_url
    from .database import make_engine, upgrade_schema
    from .seed import load_seed

    engine = make_engine(resolve_url(db))
    upgrade_schema(engine)
    counts = load_seed(engine)
    typer.echo(", ".join(f"{n} {what}" for what, n in counts.items()) + " loaded")


def _version(value: bool) -> None:
    if value:
        from . import __version__

        typer.echo(f"d3k2db {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """Vitamin K2 (MK-4, MK-7 …) in foods, offline and cited.

    Not medical advice: vitamin K interacts with warfarin-type anticoagulants.
    """


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except BrokenPipeError:  # e.g. `d3k2db search | head`
        sys.stderr.close()
        sys.exit(0)

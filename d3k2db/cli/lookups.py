"""Looking foods up: search, top, show, sources."""

from enum import Enum
from typing import Annotated

import typer

from ..errors import FoodNotFound
from ..i18n import _, ngettext
from .failures import fail, friendly_errors
from .lang import I18nCommand
from .options import MAX_LIMIT, CategoryOption, FormOption, IncludeFlaggedOption
from .outputs import open_database, output
from .root import Format, app, globals_of


class Per(str, Enum):
    g100 = "100g"
    serving = "serving"


@app.command(cls=I18nCommand)
@friendly_errors
def search(
    ctx: typer.Context,
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="Food name, alias or part of one (quotes optional); typos are forgiven. Omit to list all.",
            metavar="WORDS",
            show_default=False,
        ),
    ] = None,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[
        int | None,
        typer.Option(
            "--limit",
            "-n",
            min=1,
            max=MAX_LIMIT,
            help="Show at most this many foods (a search shows the best 25).",
        ),
    ] = None,
) -> None:
    """Find foods with K2: per 100 g and per serving, by form.

    Example: d3k2db search natto
    """
    from ..lookup.search import TERM_LIMIT
    from ..output import render

    term = " ".join(words) if words else None
    with open_database(ctx) as database:
        foods = database.search(term, form=form, category=category, limit=limit)
        if not foods and term:
            raise FoodNotFound(database.explain_no_match(term))
    note = ngettext("{count} food; figures in µg.", "{count} foods; figures in µg.", len(foods)).format(
        count=len(foods)
    )
    if term and limit is None and len(foods) == TERM_LIMIT:
        note = _("The best {count} matches; --limit N shows more. Figures in µg.").format(count=TERM_LIMIT)
    output(
        globals_of(ctx).format(Format.table),
        lambda: {"query": term, "count": len(foods), "foods": [f.to_dict() for f in foods]},
        lambda: render.search_csv(foods),
        lambda: render.search_tables(foods, [note]),
    )


@app.command(cls=I18nCommand)
@friendly_errors
def top(
    ctx: typer.Context,
    per: Annotated[
        Per, typer.Option("--per", help="Rank by K2 per 100 g or per default serving.")
    ] = Per.g100,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="How many foods to show.")
    ] = 20,
    include_flagged: IncludeFlaggedOption = False,
) -> None:
    """The foods richest in K2, per 100 g or per serving; '—' where a form was not measured.

    Example: d3k2db top --per serving --form mk4
    """
    from ..output import render

    chosen = globals_of(ctx).format(Format.table)
    with open_database(ctx) as database:
        foods = database.top(
            by=per.value, form=form, category=category, limit=limit, include_flagged=include_flagged
        )
    if not foods:
        raise fail(_("no food has a K2 figure with these filters"), 1)
    heading = (
        _("Top {count} by K2 per 100 g; figures in µg.")
        if per is Per.g100
        else _("Top {count} by K2 per serving; figures in µg.")
    )
    notes = [heading.format(count=len(foods)), *([] if include_flagged else [_(render.FLAGGED_LEFT_OUT)])]
    output(
        chosen,
        lambda: {"per": per.value, "count": len(foods), "foods": [f.to_dict() for f in foods]},
        lambda: render.search_csv(foods),
        lambda: render.search_tables(foods, notes),
    )


@app.command(cls=I18nCommand)
@friendly_errors
def show(
    ctx: typer.Context,
    words: Annotated[
        list[str],
        typer.Argument(
            help="The food's name or alias (quotes optional).", metavar="NAME", show_default=False
        ),
    ],
) -> None:
    """Everything about one food: every form, K1, servings, aliases, measurements, sources.

    Example: d3k2db show egg yolk
    """
    from ..output import render

    chosen = globals_of(ctx).format(Format.table)
    with open_database(ctx) as database:
        profile = database.show(" ".join(words))
    output(
        chosen, profile.to_dict, lambda: render.profile_csv(profile), lambda: render.profile_tables(profile)
    )


@app.command(cls=I18nCommand)
@friendly_errors
def sources(ctx: typer.Context) -> None:
    """Every published reference in the database and how many measurements it supplied."""
    from ..output import render

    chosen = globals_of(ctx).format(Format.table)
    with open_database(ctx) as database:
        rows = database.sources()
    output(
        chosen,
        lambda: [row.to_dict() for row in rows],
        lambda: render.to_csv(
            ["citation", "url", "publisher_url", "measurements"],
            [[r.citation, r.url, r.publisher_url, r.measurements] for r in rows],
        ),
        lambda: ([render.sources_table(rows)], []),
    )

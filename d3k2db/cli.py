"""The ``d3k2db`` command: parse arguments, call one library function, render the result.

No SQL here; library errors (D3k2dbError) become one line on stderr and their exit code.
"""

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from .cli_lang import LANG_HELP, I18nCommand, I18nGroup
from .errors import D3k2dbError, FoodNotFound, UsageError, too_large_message
from .figures import DEFAULT_RATIO_UG_PER_10000_IU
from .i18n import N_, _, ngettext
from .text import printable

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
    cls=I18nGroup,
)
app.add_typer(db_app, name="db")
alias_app = typer.Typer(
    help="Your own other names for foods.", no_args_is_help=True, rich_markup_mode=None, cls=I18nGroup
)
app.add_typer(alias_app, name="alias")


MAX_LIMIT = 1_000_000  # more rows than any --limit can mean; larger numbers are typing slips


class ReportFormat(str, Enum):
    table = "table"
    json = "json"


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
# Read before parsing by cli_lang.I18nGroup (so it works anywhere on the line); declared on every
# command so Click accepts it and --help lists it. The functions ignore the value.
LangOption = Annotated[str | None, typer.Option("--lang", help=LANG_HELP, metavar="LANG", show_default=False)]
FormatOption = Annotated[
    Format, typer.Option("--format", "-f", help="Output: table (plain text when piped), json or csv.")
]
ReportFormatOption = Annotated[
    ReportFormat, typer.Option("--format", "-f", help="The report: table (plain text) or json.")
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
IncludeFlaggedOption = Annotated[
    bool,
    typer.Option(
        "--include-flagged",
        help="Also rank foods whose only figures are flagged as doubtful (outliers, doubted by their "
        "source, derived, or measured on another product) or uncertain (measurements more than 5-fold "
        "apart); they are marked ! with the reason.",
    ),
]
F = TypeVar("F", bound=Callable[..., Any])


def friendly_errors(command: F) -> F:
    """Turn the tool's own errors into 'error: …' on stderr and their exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = command(*args, **kwargs)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
            return result
        except D3k2dbError as exc:  # printable: a message may quote a stored name or the words typed
            typer.echo(_("error: {message}").format(message=printable(str(exc))), err=True)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `d3k2db search | head`: the reader left; say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except OverflowError:
            typer.echo(_("error: {message}").format(message=too_large_message()), err=True)
            raise typer.Exit(2) from None
        except OSError as exc:  # writing the output or a file failed
            where = str(exc.filename) if exc.filename else _("the output")
            problem = _("cannot write {file}: {reason}").format(file=where, reason=exc.strerror or exc)
            typer.echo(_("error: {message}").format(message=problem), err=True)
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _open(db: str | None):  # type: ignore[no-untyped-def]
    from .config import resolve_url
    from .library import K2Database
    from .storage.quick import is_in_memory

    if is_in_memory(resolve_url(db)):
        typer.echo(_("warning: an in-memory database keeps nothing after this command"), err=True)
    database = K2Database(db)
    if database.upgraded is not None and database.upgraded.changes:
        from .output.upgrade import upgrade_notice

        typer.echo("\n".join(upgrade_notice(database.upgraded.changes)), err=True)  # stdout stays data
    return database


def _print(text: str) -> None:
    """Lines of output, each as text.printable shows it (JSON and CSV are already escaped)."""
    text = "\n".join(printable(line) for line in text.removesuffix("\n").split("\n"))
    sys.stdout.write(text + "\n")


def _output(
    output: Format,
    as_json: Callable[[], Any],
    as_csv: Callable[[], str],
    as_tables: Callable[[], tuple[list[Any], list[str]]],
) -> None:
    """Print one result in the chosen format; each form is built only if it is the one asked for."""
    from .output import render

    if output is Format.json:
        _print(render.to_json(as_json()))
    elif output is Format.csv:
        _print(as_csv())
    else:
        render.emit(*as_tables())


@app.command(cls=I18nCommand)
@friendly_errors
def search(
    words: Annotated[
        list[str] | None,
        typer.Argument(
            help="Food name, alias or part of one (quotes optional); typos are forgiven. Omit to list all.",
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
    output: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Find foods with K2: per 100 g and per serving, by form.

    Example: d3k2db search natto
    """
    from .output import render

    term = " ".join(words) if words else None
    with _open(db) as database:
        foods = database.search(term, form=form, category=category, limit=limit)
        if not foods and term:
            raise FoodNotFound(database.explain_no_match(term))
    from .lookup.search import TERM_LIMIT

    note = ngettext("{count} food; figures in µg.", "{count} foods; figures in µg.", len(foods)).format(
        count=len(foods)
    )
    if term and limit is None and len(foods) == TERM_LIMIT:
        note = _("The best {count} matches; --limit N shows more. Figures in µg.").format(count=TERM_LIMIT)
    _output(
        output,
        lambda: {"query": term, "count": len(foods), "foods": [f.to_dict() for f in foods]},
        lambda: render.search_csv(foods),
        lambda: render.search_tables(foods, [note]),
    )


@app.command(cls=I18nCommand)
@friendly_errors
def top(
    per: Annotated[
        Per, typer.Option("--per", help="Rank by K2 per 100 g or per default serving.")
    ] = Per.g100,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="How many foods to show.")
    ] = 20,
    include_flagged: IncludeFlaggedOption = False,
    output: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """The foods richest in K2, per 100 g or per serving; '—' where a form was not measured.

    Example: d3k2db top --per serving --form mk4
    """
    from .output import render

    with _open(db) as database:
        foods = database.top(
            by=per.value, form=form, category=category, limit=limit, include_flagged=include_flagged
        )
    if not foods:
        typer.echo(
            _("error: {message}").format(message=_("no food has a K2 figure with these filters")), err=True
        )
        raise typer.Exit(1)
    heading = (
        _("Top {count} by K2 per 100 g; figures in µg.")
        if per is Per.g100
        else _("Top {count} by K2 per serving; figures in µg.")
    )
    _output(
        output,
        lambda: {"per": per.value, "count": len(foods), "foods": [f.to_dict() for f in foods]},
        lambda: render.search_csv(foods),
        lambda: render.search_tables(
            foods,
            [
                heading.format(count=len(foods)),
                *([] if include_flagged else [_(render.FLAGGED_LEFT_OUT)]),
            ],
        ),
    )


PARTIAL_EXIT = 3  # meal --skip-unknown left items out: the total is partial

MEAL_EPILOG = N_("""\b
Items: separated by , ; + and with (et avec en met 和 跟 …); an amount before or after the food:
  2 eggs · eggs 2 · eggs x2 · 1 cup of sauerkraut · sauerkraut 1 cup · 牛奶 200ml · 兩個雞蛋
Units (data/lexicon/*.csv):
  mass g kg mg oz lb (克 公克 千克 公斤 毫克 盎司 磅)
  volume tsp tbsp cup fl oz pint ml dl l (茶匙 湯匙 杯 毫升 升 公升)
  piece slice (strip, rasher) piece clove pat stick wedge cube yolk link fillet block (片 塊)
  serving (份) · vessel glass bowl mug handful (碗) · egg sizes small medium large extra large jumbo
  pack words: package pack packet container tub pot carton (盒 包 盒裝); can tin (罐); jar; bottle (瓶)
  numerals 一 二 兩 三 … 十 半, 一個半 · 個 顆 隻 條 根 粒 (a count)
A bare count means pieces (6 oysters, 2 chicken wings), or packs of a food sold in packs (2 natto);
no amount means one default serving. Each row says how the item was matched: exact, alias,
generic (cheese → gouda, alternatives named) or typo; fillers (I had, some, about …) are dropped.
No K2 expected: an unfermented plant food or plain drink that no table here measures (water,
herbal tea …: data/no_k2_expected.csv) counts 0 µg by a cited rule (Booth 2012), marked as a rule.

\b
One rule here and on the web page: every item that can be counted is counted; an item refused
(a food not in d3k2db, a unit it has no weight for, an amount out of bounds) is listed with its
reason and the total is marked partial. --strict refuses the whole meal instead.

\b
Examples:
  d3k2db meal 2 eggs, 1 tbsp butter, 30 g gouda --d3 5000
  d3k2db meal "I had 2 eggs and a muffin with butter"
  d3k2db meal 兩個雞蛋 一杯牛奶

\b
Exit codes: 0 every item counted; 3 partial total (items refused, the others counted);
1 nothing counted: no item is a known food (or --strict and a food is not known);
2 bad option, or nothing counted for amounts, units or phrasing (or --strict and one was wrong).""")


@app.command(
    cls=I18nCommand,
    epilog=MEAL_EPILOG,
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": True},
)
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
    strict: Annotated[
        bool,
        typer.Option(
            "--strict",
            help="Refuse the whole meal when any item is refused, listing every problem, with no "
            "total (exit 1 or 2); without it the other items are counted and the total is partial.",
        ),
    ] = False,
    skip_unknown: Annotated[
        bool,
        typer.Option("--skip-unknown", hidden=True, help="What meal does by default now (kept for scripts)."),
    ] = False,
    output: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Add up the K2 in a meal, item by item, and the vitamin D3 dose it pairs with.

    Example: d3k2db meal 2 eggs, 1 tbsp butter, 30 g gouda --d3 5000
    """
    from .output import render

    stray = [item for item in items if item.startswith("--") and item[2:3].isalpha()]
    if stray:
        raise UsageError(_("no such option: {option} (see `d3k2db meal --help`)").format(option=stray[0]))
    options: dict[str, Any] = {"ratio_ug_per_10000_iu": ratio, "d3_iu": d3, "target_ug": target}
    with _open(db) as database:
        if strict:
            result = database.meal(items, skip_unknown=False, **options)
        else:  # one rule with the web page: count what can be counted, list the rest refused
            result = render.meal_counting_what_it_can(
                lambda words, skip: database.meal(words, skip_unknown=skip, **options), items
            )
    _output(output, result.to_dict, lambda: render.meal_csv(result), lambda: render.meal_tables(result))
    if result.partial:
        raise typer.Exit(PARTIAL_EXIT)


@app.command(cls=I18nCommand)
@friendly_errors
def pair(
    d3: Annotated[float, typer.Option("--d3", help="Your vitamin D3 dose in IU.", show_default=False)],
    ratio: RatioOption = DEFAULT_RATIO_UG_PER_10000_IU,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="How many of the richest foods.")
    ] = 10,
    include_flagged: IncludeFlaggedOption = False,
    output: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """The K2 a vitamin D3 dose calls for, and how much of each of the richest foods gives it.

    Example: d3k2db pair --d3 5000
    """
    from .output import render

    with _open(db) as database:
        result = database.pair(
            d3,
            ratio_ug_per_10000_iu=ratio,
            form=form,
            category=category,
            limit=limit,
            include_flagged=include_flagged,
        )
    _output(output, result.to_dict, lambda: render.pair_csv(result), lambda: render.pair_tables(result))


PLAN_EPILOG = N_("""\b
Each plan reaches the K2 needed with at most --max-items foods, each in half-steps of a published
serving (½–2 servings: ½ pack of natto, 2 slices of gouda, 1 chicken thigh), overshooting little;
after each plan the category of its main food is left out of the next, so the plans differ. A plan
that cannot reach it says by how much. Only trusted figures unless --include-doubtful.
Diets: vegan, vegetarian, pescatarian, no-dairy, no-soy, no-pork, no-offal (data/diet.csv): a food
whose ingredients are not known for a diet is left out of it, never assumed.

\b
Examples:
  d3k2db plan --d3 2000
  d3k2db plan --d3 5000 --diet vegan
  d3k2db plan --d3 4000 --with "2 eggs, 30 g gouda" --diet no-pork,no-offal --avoid liver
  d3k2db plan --target 100 --diet no-soy --like cheese --lang zh-Hant

\b
Not medical advice: vitamin K counteracts warfarin-type anticoagulants; the ratio is a rule of thumb.
Exit codes: 0 plans made (or nothing needed); 3 the meal of --with was partly refused;
1 a database problem or no food of --with known; 2 bad options.""")


@app.command(cls=I18nCommand, epilog=PLAN_EPILOG)
@friendly_errors
def plan(
    d3: Annotated[
        float | None, typer.Option("--d3", help="Your vitamin D3 dose in IU: plan the K2 it calls for.")
    ] = None,
    target: Annotated[
        float | None, typer.Option("--target", help="A daily K2 target in µg (instead of --d3).")
    ] = None,
    ratio: RatioOption = DEFAULT_RATIO_UG_PER_10000_IU,
    with_meal: Annotated[
        list[str] | None,
        typer.Option(
            "--with",
            help="What you already ate today, in words, as `meal` reads it: the plans fill the rest.",
            metavar="MEAL",
        ),
    ] = None,
    diet: Annotated[
        list[str] | None,
        typer.Option(
            "--diet",
            help="vegan, vegetarian, pescatarian, no-dairy, no-soy, no-pork or no-offal (repeat or commas).",
            metavar="DIET",
        ),
    ] = None,
    like: Annotated[
        list[str] | None,
        typer.Option(
            "--like", help="Foods or categories to prefer, by name in any language (commas).", metavar="FOODS"
        ),
    ] = None,
    avoid: Annotated[
        list[str] | None,
        typer.Option(
            "--avoid",
            help="Foods or categories to leave out, by name in any language (commas).",
            metavar="FOODS",
        ),
    ] = None,
    max_items: Annotated[
        int, typer.Option("--max-items", min=1, max=10, help="At most this many foods per plan.")
    ] = 3,
    count: Annotated[int, typer.Option("--count", min=1, max=20, help="How many different plans.")] = 5,
    include_doubtful: Annotated[
        bool,
        typer.Option(
            "--include-doubtful",
            "--include-flagged",
            help="Also plan with doubtful, uncertain or partial figures; they are marked ! and ‡.",
        ),
    ] = False,
    output: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Plan servings of real foods that give the K2 your vitamin D3 dose calls for.

    Example: d3k2db plan --d3 5000 --diet vegetarian
    """
    from .output import plans, render

    with _open(db) as database:
        eaten = None
        if with_meal:
            eaten = render.meal_counting_what_it_can(
                lambda words, skip: database.meal(words, skip_unknown=skip, ratio_ug_per_10000_iu=ratio),
                [" , ".join(with_meal)],
            )
        result = database.plan(
            d3,
            target_ug=target,
            ratio_ug_per_10000_iu=ratio,
            with_meal=eaten,
            diets=diet or (),
            like=like or (),
            avoid=avoid or (),
            max_items=max_items,
            count=count,
            include_doubtful=include_doubtful,
        )
    _output(output, result.to_dict, lambda: plans.plan_csv(result), lambda: plans.plan_tables(result))
    if result.partial:
        raise typer.Exit(PARTIAL_EXIT)


@app.command(cls=I18nCommand)
@friendly_errors
def show(
    words: Annotated[
        list[str], typer.Argument(help="The food's name or alias (quotes optional).", show_default=False)
    ],
    output: FormatOption = Format.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Everything about one food: every form, K1, servings, aliases, measurements, sources.

    Example: d3k2db show egg yolk
    """
    from .output import render

    with _open(db) as database:
        profile = database.show(" ".join(words))
    _output(
        output, profile.to_dict, lambda: render.profile_csv(profile), lambda: render.profile_tables(profile)
    )


@app.command(cls=I18nCommand)
@friendly_errors
def sources(output: FormatOption = Format.table, db: DbOption = None, lang: LangOption = None) -> None:
    """Every published reference in the database and how many measurements it supplied."""
    from .output import render

    with _open(db) as database:
        rows = database.sources()
    _output(
        output,
        lambda: [row.to_dict() for row in rows],
        lambda: render.to_csv(
            ["citation", "url", "publisher_url", "measurements"],
            [[r.citation, r.url, r.publisher_url, r.measurements] for r in rows],
        ),
        lambda: ([render.sources_table(rows)], []),
    )


@app.command(cls=I18nCommand)
@friendly_errors
def add(
    name: Annotated[str, typer.Argument(help="Your food's name (must not be a food's name or alias).")],
    mk4: Annotated[float | None, typer.Option("--mk4", help="MK-4, µg per 100 g.")] = None,
    mk5: Annotated[float | None, typer.Option("--mk5", help="MK-5, µg per 100 g.")] = None,
    mk6: Annotated[float | None, typer.Option("--mk6", help="MK-6, µg per 100 g.")] = None,
    mk7: Annotated[float | None, typer.Option("--mk7", help="MK-7, µg per 100 g.")] = None,
    mk8: Annotated[float | None, typer.Option("--mk8", help="MK-8, µg per 100 g.")] = None,
    mk9: Annotated[float | None, typer.Option("--mk9", help="MK-9, µg per 100 g.")] = None,
    mk10: Annotated[float | None, typer.Option("--mk10", help="MK-10, µg per 100 g.")] = None,
    total: Annotated[
        float | None, typer.Option("--total", help="A total K2 (µg/100 g) when the forms are not known.")
    ] = None,
    k1: Annotated[float | None, typer.Option("--k1", help="Vitamin K1, µg per 100 g.")] = None,
    vitamin_d3: Annotated[
        float | None, typer.Option("--vitamin-d3", help="Vitamin D3, µg per 100 g.")
    ] = None,
    category: Annotated[str, typer.Option("--category", "-c", help="Category, e.g. cheese.")] = "custom",
    tag: Annotated[
        str | None, typer.Option("--tag", help="MK-4 or MK-7; inferred from the forms when left out.")
    ] = None,
    serving_g: Annotated[float, typer.Option("--serving-g", help="Default serving in grams.")] = 100.0,
    serving_label: Annotated[
        str | None, typer.Option("--serving-label", help="How the serving reads, e.g. '1 slice'.")
    ] = None,
    alias: Annotated[list[str] | None, typer.Option("--alias", help="Another name (repeatable).")] = None,
    source: Annotated[
        str | None, typer.Option("--source", help="Where the figures come from (default: user-entered).")
    ] = None,
    url: Annotated[str | None, typer.Option("--url", help="The source's URL.")] = None,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Add one of your own foods (figures in µg per 100 g). It survives every seed update.

    Example: d3k2db add "farm gouda" --total 70 --tag MK-7 --serving-g 30 --serving-label "1 slice"
    """
    with _open(db) as database:
        figures = {"mk4": mk4, "mk5": mk5, "mk6": mk6, "mk7": mk7, "mk8": mk8, "mk9": mk9, "mk10": mk10}
        database.add_food(
            name,
            **figures,
            total_k2=total,
            k1=k1,
            vitamin_d3=vitamin_d3,
            category=category,
            tag=tag,
            serving_g=serving_g,
            serving_label=serving_label,
            aliases=alias or (),
            source=source,
            url=url,
        )
    typer.echo(_("added {name} (custom)").format(name=repr(name)))


@app.command(cls=I18nCommand)
@friendly_errors
def remove(
    name: Annotated[str, typer.Argument(help="The exact name or alias of one of your own foods.")],
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Remove one of your own foods (seed foods cannot be removed)."""
    with _open(db) as database:
        removed = database.remove_food(name)
    typer.echo(_("removed {name}").format(name=repr(removed)))


@alias_app.command("add", cls=I18nCommand)
@friendly_errors
def alias_add(
    food: Annotated[str, typer.Argument(help="The food's exact name or alias.")],
    alias: Annotated[str, typer.Argument(help="The new name.")],
    alias_lang: Annotated[
        str | None, typer.Option("--alias-lang", help="The alias's language code, e.g. en, fr, zh-Hant.")
    ] = None,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Give any food (seed or yours) another name of your own."""
    with _open(db) as database:
        named = database.add_alias(food, alias, lang=alias_lang)
    typer.echo(_("{alias} now names {name}").format(alias=repr(alias), name=repr(named)))


@alias_app.command("remove", cls=I18nCommand)
@friendly_errors
def alias_remove(
    alias: Annotated[str, typer.Argument(help="One of your own aliases.")],
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Remove one of your own aliases (seed aliases cannot be removed)."""
    with _open(db) as database:
        named = database.remove_alias(alias)
    typer.echo(_("removed the alias {alias} of {name}").format(alias=repr(alias), name=repr(named)))


@app.command(cls=I18nCommand)
@friendly_errors
def serve(
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on. Anything but loopback shows the page to your network."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="TCP port.")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in your browser.")] = False,
    allow_edits: Annotated[
        bool,
        typer.Option(
            "--allow-edits", help="Let the page and the API add and remove your own foods (off: read-only)."
        ),
    ] = False,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Start the local web page: search as you type, build a meal, pair it with D3.

    Read-only unless --allow-edits; the JSON API is under /api/ (OpenAPI: /api/openapi.json).

    Example: d3k2db serve --open
    """
    from .web.serve import run

    run(host, port, db=db, allow_edits=allow_edits, open_browser=open_browser)


class ExportFormat(str, Enum):
    csv = "csv"
    json = "json"


@app.command(cls=I18nCommand)
@friendly_errors
def export(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; default: standard output.")
    ] = None,
    fmt: Annotated[
        ExportFormat, typer.Option("--format", "-f", help="csv (for import) or json.")
    ] = ExportFormat.csv,
    custom_only: Annotated[bool, typer.Option("--custom-only", help="Only your own foods.")] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel: UTF-8 with BOM and ';' between cells.")
    ] = False,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Write the foods (every column `d3k2db import` reads) as CSV or JSON.

    Example: d3k2db export --custom-only -o my-foods.csv
    """
    if output is not None and str(output) == "-":
        output = None  # the usual spelling of standard output
    if output is not None:
        _check_writable(output)
    target = output if output is not None else sys.stdout
    with _open(db) as database:
        if fmt is ExportFormat.json:
            count = database.export_json(target, custom_only=custom_only)
        else:
            count = database.export_csv(target, custom_only=custom_only, excel=excel)
    if output is not None:
        message = ngettext("exported {count} food to {file}", "exported {count} foods to {file}", count)
        typer.echo(printable(message.format(count=count, file=output)), err=True)


def _check_writable(path: Path) -> None:
    """A file we may create: not a folder, in a folder that exists."""
    if path.is_dir():
        raise UsageError(
            _("{path} is a folder: give a file name, e.g. {example}").format(
                path=path, example=path / "foods.csv"
            )
        )
    if not path.parent.is_dir():
        raise UsageError(
            _("cannot write {path}: the folder {folder} does not exist").format(path=path, folder=path.parent)
        )


@app.command("import", cls=I18nCommand)
@friendly_errors
def import_(
    file: Annotated[Path, typer.Argument(help="A CSV with the columns `d3k2db export` writes.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; write nothing.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every food added or updated.")
    ] = False,
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar (default: only on a terminal).", show_default=False
        ),
    ] = None,
    output: ReportFormatOption = ReportFormat.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Add or update your own foods from a CSV: checked in full first, then one transaction.

    Example: d3k2db import my-foods.csv --dry-run
    """
    from .output import render

    with _open(db) as database:
        report = database.import_csv(file, dry_run=dry_run, progress=progress)
    if output is ReportFormat.json:
        _print(render.to_json(report.to_dict()))
        return
    if report.unchanged and not report.added and not report.updated and not dry_run:
        count = len(report.unchanged)
        _print(
            ngettext(
                "nothing to change: the {count} food is already as in the file",
                "nothing to change: all {count} foods are already as in the file",
                count,
            ).format(count=count)
        )
        return
    summary = (
        _("would add {added}, would update {updated}, unchanged {unchanged} (dry run: nothing written)")
        if dry_run
        else _("added {added}, updated {updated}, unchanged {unchanged}")
    )
    lines = [
        summary.format(added=len(report.added), updated=len(report.updated), unchanged=len(report.unchanged))
    ]
    if verbose:
        lines += [f"  + {name}" for name in report.added] + [f"  ~ {name}" for name in report.updated]
    elif report.added or report.updated:
        lines.append(_("(--verbose lists them)"))
    if report.ignored_columns:
        lines.append(_("ignored columns: {columns}").format(columns=", ".join(report.ignored_columns)))
    _print("\n".join(lines))


@app.command("import-fdc", cls=I18nCommand)
@friendly_errors
def import_fdc(
    path: Annotated[Path, typer.Argument(help="A FoodData Central CSV download: its folder or its .zip.")],
    progress: Annotated[
        bool | None,
        typer.Option(
            "--progress/--no-progress", help="Progress bar (default: only on a terminal).", show_default=False
        ),
    ] = None,
    output: ReportFormatOption = ReportFormat.table,
    db: DbOption = None,
    lang: LangOption = None,
) -> None:
    """Import every food with MK-4 (and its K1, D3 and portions) from USDA FoodData Central.

    Example: d3k2db import-fdc ~/Downloads/FoodData_Central_sr_legacy_food_csv_2018-04.zip
    """
    from .output import render

    with _open(db) as database:
        report = database.import_fdc(path, progress=progress)
    if output is ReportFormat.json:
        _print(render.to_json(report.to_dict()))
        return
    line = _(
        "read {rows:,} nutrient rows; {foods} food(s) with MK-4: added {added}, updated {updated}, "
        "unchanged {unchanged}"
    ).format(
        rows=report.rows_read,
        foods=report.foods_with_mk4,
        added=len(report.added),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
    )
    if report.skipped:
        line += _("; skipped {count}").format(count=len(report.skipped))
    _print(line)


@db_app.command("upgrade", cls=I18nCommand)
@friendly_errors
def db_upgrade(db: DbOption = None, lang: LangOption = None) -> None:
    """Create the database or bring its schema and seed up to date; list where your own aliases
    and foods went when the seed renamed or removed their food (first use does this anyway).

    Example: d3k2db db upgrade
    """
    from .library import K2Database
    from .output.upgrade import change_lines

    with K2Database(db, prepare=False) as database:
        report = database.upgrade()
        earlier = [] if report.seed_loaded else database.last_seed_changes()
        url = database.engine.url.render_as_string()
    lines = [
        _("schema at revision {revision} (was {before}): {url}").format(
            revision=report.revision, before=report.revision_before or _("empty"), url=url
        )
    ]
    if report.seed_loaded:
        lines.append(_("seed loaded"))
        lines += change_lines(report.changes)
    elif earlier:
        lines.append(_("the last seed load did this to what you added:"))
        lines += change_lines(earlier)
    typer.echo("\n".join(lines))


@db_app.command("seed", cls=I18nCommand)
@friendly_errors
def db_seed(db: DbOption = None, lang: LangOption = None) -> None:
    """Load the shipped, cited seed foods again (your own foods are kept)."""
    from .config import resolve_url
    from .exchange.seed import load_seed
    from .output.upgrade import change_lines
    from .storage.engine import make_engine, upgrade_schema

    engine = make_engine(resolve_url(db))
    upgrade_schema(engine)
    loaded = load_seed(engine)
    counts = _(", ").join(f"{n} {_(what)}" for what, n in loaded.counts.items())
    typer.echo("\n".join([_("{counts} loaded").format(counts=counts), *change_lines(loaded.changes)]))


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
    lang: LangOption = None,
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

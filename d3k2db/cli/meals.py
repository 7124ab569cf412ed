"""A meal's K2, the K2 a D3 dose calls for, and plans that reach it: meal, pair, plan."""

from typing import Annotated, Any

import typer

from ..domain.figures import DEFAULT_RATIO_UG_PER_10000_IU
from ..errors import UsageError
from ..i18n import N_, _
from .failures import PARTIAL_EXIT, friendly_errors
from .lang import I18nCommand
from .options import MAX_LIMIT, CategoryOption, D3Option, FormOption, IncludeFlaggedOption, RatioOption
from .outputs import open_database, output
from .root import Format, app, globals_of

MEAL_EPILOG = N_("""\b
Items: separated by , ; + and with (et avec en met 和 跟 …); an amount before or after the food:
  2 eggs · eggs 2 · eggs x2 · 1 cup of sauerkraut · sauerkraut 1 cup · 牛奶 200ml · 兩個雞蛋
Units (data/lexicon/*.csv), with their Chinese words:
{units}
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


UNIT_KIND_WORDS = {  # the kinds of unit as the help names them (domain/lexicon.UNIT_KINDS)
    "mass": N_("mass"),
    "volume": N_("volume"),
    "piece": N_("pieces"),
    "size": N_("egg sizes"),
    "serving": N_("serving"),
    "vessel": N_("vessels"),
    "pack": N_("packs"),
}


def unit_lines() -> str:
    """The help's units, one line per kind, written from the lexicon (never listed by hand):
    '  volume cup dl fl oz … (杯 湯匙 汤匙 大匙 …)'."""
    from ..domain.lexicon import units_by_kind

    english = dict(unit for units in units_by_kind("en").values() for unit in units)
    lines = []
    for kind, units in units_by_kind("zh").items():
        chinese = [word for _unit, words in units for word in words]
        shown = [
            "/".join([unit, *(w for w in english.get(unit, []) if w != unit and not w.endswith("s"))])
            if kind == "pack"  # the words people use for a pack: pack, packet, tub, pot, carton, tin …
            else unit
            for unit, _words in units
        ]
        line = f"  {_(UNIT_KIND_WORDS[kind])} {' · '.join(shown)}"
        lines.append(f"{line} ({' '.join(chinese)})" if chinese else line)
    return "\n".join(lines)


class MealCommand(I18nCommand):
    """meal's help, its units filled in from the lexicon when the help is shown."""

    def format_epilog(self, ctx: Any, formatter: Any) -> None:
        if self.epilog and "{units}" in self.epilog:
            self.epilog = self.epilog.replace("{units}", unit_lines())
        super().format_epilog(ctx, formatter)


@app.command(
    cls=MealCommand,
    epilog=MEAL_EPILOG,
    context_settings={"ignore_unknown_options": True, "allow_interspersed_args": True},
)
@friendly_errors
def meal(
    ctx: typer.Context,
    items: Annotated[
        list[str],
        typer.Argument(
            help='Foods with optional amounts: butter eggs · 2 eggs 100g natto · "2 eggs, 1 tbsp butter"',
            metavar="ITEMS",
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
) -> None:
    """Add up the K2 in a meal, item by item, and the vitamin D3 dose it pairs with.

    Example: d3k2db meal 2 eggs, 1 tbsp butter, 30 g gouda --d3 5000
    """
    from ..output import render

    stray = [item for item in items if item.startswith("--") and item[2:3].isalpha()]
    if stray:
        raise UsageError(_("no such option: {option} (see `d3k2db meal --help`)").format(option=stray[0]))
    chosen = globals_of(ctx).format(Format.table)
    options: dict[str, Any] = {"ratio_ug_per_10000_iu": ratio, "d3_iu": d3, "target_ug": target}
    with open_database(ctx) as database:
        if strict:
            result = database.meal(items, skip_unknown=False, **options)
        else:  # one rule with the web page: count what can be counted, list the rest refused
            result = render.meal_counting_what_it_can(
                lambda words, skip: database.meal(words, skip_unknown=skip, **options), items
            )
    output(chosen, result.to_dict, lambda: render.meal_csv(result), lambda: render.meal_tables(result))
    if result.partial:
        raise typer.Exit(PARTIAL_EXIT)


@app.command(cls=I18nCommand)
@friendly_errors
def pair(
    ctx: typer.Context,
    d3: Annotated[float, typer.Option("--d3", help="Your vitamin D3 dose in IU.", show_default=False)],
    ratio: RatioOption = DEFAULT_RATIO_UG_PER_10000_IU,
    form: FormOption = None,
    category: CategoryOption = None,
    limit: Annotated[
        int, typer.Option("--limit", "-n", min=1, max=MAX_LIMIT, help="How many of the richest foods.")
    ] = 10,
    include_flagged: IncludeFlaggedOption = False,
) -> None:
    """The K2 a vitamin D3 dose calls for, and how much of each of the richest foods gives it.

    Example: d3k2db pair --d3 5000
    """
    from ..output import render

    chosen = globals_of(ctx).format(Format.table)
    with open_database(ctx) as database:
        result = database.pair(
            d3,
            ratio_ug_per_10000_iu=ratio,
            form=form,
            category=category,
            limit=limit,
            include_flagged=include_flagged,
        )
    output(chosen, result.to_dict, lambda: render.pair_csv(result), lambda: render.pair_tables(result))


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
    ctx: typer.Context,
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
) -> None:
    """Plan servings of real foods that give the K2 your vitamin D3 dose calls for.

    Example: d3k2db plan --d3 5000 --diet vegetarian
    """
    from ..output import plans, render

    chosen = globals_of(ctx).format(Format.table)
    with open_database(ctx) as database:
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
    output(chosen, result.to_dict, lambda: plans.plan_csv(result), lambda: plans.plan_tables(result))
    if result.partial:
        raise typer.Exit(PARTIAL_EXIT)

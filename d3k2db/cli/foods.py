"""Your own foods and names: add, remove, alias add, alias remove.

``add``'s options are made from ``food_fields.FIELDS``, the one list of a food's values (the web's
``POST /api/foods`` body is made from it too): its name, spelling, type, help and default.
"""

import inspect
from typing import Annotated, Any

import typer

from ..domain.food_fields import FIELDS, Field
from ..errors import UsageError
from ..i18n import _
from .failures import friendly_errors
from .lang import I18nCommand
from .outputs import open_database
from .root import alias_app, app

_OPTION_TYPES: dict[type, Any] = {float: float | None, str: str | None, list: list[str] | None}


def _parameter(field: Field) -> inspect.Parameter:
    """A field as a parameter Typer reads: the name an argument, every other field an option."""
    if field.name == "name":
        argument = typer.Argument(help=field.help, metavar="NAME", show_default=False)
        return inspect.Parameter(
            field.name, inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[str, argument]
        )
    flags = field.flags or ("--" + field.name.replace("_", "-"),)
    option = typer.Option(
        *flags,
        help=field.help,
        metavar="<str>" if field.kind is list else None,  # not <list[str]>
        show_default=field.default is not None,
    )
    return inspect.Parameter(
        field.name,
        inspect.Parameter.KEYWORD_ONLY,
        default=field.default,
        annotation=Annotated[_OPTION_TYPES[field.kind], option],
    )


def _with_fields_as_options(command: Any) -> Any:
    """``command(ctx, **values)`` with one parameter per offered field, as Typer reads them."""
    context = inspect.Parameter("ctx", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=typer.Context)
    parameters = [context, *(_parameter(field) for field in FIELDS if field.offered)]
    command.__signature__ = inspect.Signature(parameters, return_annotation=None)
    command.__annotations__ = {p.name: p.annotation for p in parameters}
    return command


@app.command(cls=I18nCommand)
@friendly_errors
@_with_fields_as_options
def add(ctx: typer.Context, **values: Any) -> None:
    """Add one of your own foods (figures in µg per 100 g). It survives every seed update.

    Example: d3k2db add "farm gouda" --total 70 --tag MK-7 --serving-g 30 --serving-label "1 slice"
    """
    from ..domain.records import FoodSpec, Invalid

    try:
        spec = FoodSpec.of(values.pop("name"), **values)
    except Invalid as exc:  # a bad value: named as the field is (the web's API says it alike)
        raise UsageError(f"{exc.column}: {exc.problem}") from None
    with open_database(ctx) as database:
        database.add_food(spec)
    typer.echo(_("added {name} (custom)").format(name=repr(spec.name)))


@app.command(cls=I18nCommand)
@friendly_errors
def remove(
    ctx: typer.Context,
    name: Annotated[
        str, typer.Argument(help="The exact name or alias of one of your own foods.", metavar="NAME")
    ],
) -> None:
    """Remove one of your own foods (seed foods cannot be removed)."""
    with open_database(ctx) as database:
        removed = database.remove_food(name)
    typer.echo(_("removed {name}").format(name=repr(removed)))


@alias_app.command("add", cls=I18nCommand)
@friendly_errors
def alias_add(
    ctx: typer.Context,
    food: Annotated[str, typer.Argument(help="The food's exact name or alias.", metavar="FOOD")],
    alias: Annotated[str, typer.Argument(help="The new name.", metavar="ALIAS")],
    alias_lang: Annotated[
        str | None, typer.Option("--alias-lang", help="The alias's language code, e.g. en, fr, zh-Hant.")
    ] = None,
) -> None:
    """Give any food (seed or yours) another name of your own."""
    with open_database(ctx) as database:
        named = database.add_alias(food, alias, lang=alias_lang)
    typer.echo(_("{alias} now names {name}").format(alias=repr(alias), name=repr(named)))


@alias_app.command("remove", cls=I18nCommand)
@friendly_errors
def alias_remove(
    ctx: typer.Context,
    alias: Annotated[str, typer.Argument(help="One of your own aliases.", metavar="ALIAS")],
) -> None:
    """Remove one of your own aliases (seed aliases cannot be removed)."""
    with open_database(ctx) as database:
        named = database.remove_alias(alias)
    typer.echo(_("removed the alias {alias} of {name}").format(alias=repr(alias), name=repr(named)))

"""The user's own foods and aliases: the commands (add, remove, alias add/remove). The value rules
they check with live in d3k2db/domain/records.py, shared with every other writer of foods.

Custom foods (``foods.is_custom``) and custom aliases (``aliases.is_custom``) belong to the user: a
seed refresh keeps them, and only they can be removed. Seed foods are cited data and are never
edited or removed here. Every function validates its arguments completely, then writes in one
transaction, so a refused call leaves the database exactly as it was.

This module must stay free of pandas: the CLI imports it for ``d3k2db add``/``remove``, which
should start as fast as ``search``. The rows themselves are written by storage/writes.py.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import delete, select
from sqlalchemy.engine import Connection, Engine

from ..database import run_write
from ..domain.records import (
    FoodSpec,
    check_alias,
    check_text,
)
from ..domain.text import search_key
from ..errors import FoodNotFound, Invalid, NameTaken, SeedProtected, UsageError
from ..i18n import _
from ..lookup.search import no_food_message
from ..storage.bulk import insert_many
from ..storage.tables import aliases as alias_table
from ..storage.tables import foods as food_table
from ..storage.writes import delete_food, holders, insert_foods
from .rows import category_spellings, food_rows, source_id, taken_message


def _raise_invalid(exc: Invalid) -> UsageError:
    return UsageError(f"{exc.column}: {exc.problem}")


def _find(connection: Connection, name: str) -> tuple[int, str, bool] | None:
    """The food an exact name or alias (after search-key folding) names; never a typo match."""
    key = search_key(name)
    if not key:
        return None
    row = connection.execute(
        select(food_table.c.id, food_table.c.name, food_table.c.is_custom).where(
            food_table.c.search_key == key
        )
    ).first()
    if row is None:
        row = connection.execute(
            select(food_table.c.id, food_table.c.name, food_table.c.is_custom)
            .join(alias_table)
            .where(alias_table.c.search_key == key)
        ).first()
    return None if row is None else (int(row[0]), str(row[1]), bool(row[2]))


def _not_found(connection: Connection, name: str, *, custom_only: bool) -> FoodNotFound:
    from rapidfuzz import fuzz, process  # only on the error path

    statement = select(food_table.c.name)
    if custom_only:
        statement = statement.where(food_table.c.is_custom.is_(True))
    names = list(connection.execute(statement).scalars())
    if custom_only and not names:
        return FoodNotFound(
            _("no food named {name}; you have no foods of your own yet").format(name=repr(name))
        )
    found = process.extract(name, names, scorer=fuzz.WRatio, limit=5, score_cutoff=65)
    near = [match[0] for match in found]
    return FoodNotFound(no_food_message(name, near), near)


# --- public API ----------------------------------------------------------------------------------


def add_food(engine: Engine, spec: FoodSpec) -> None:
    """Add one of the user's own foods (``FoodSpec.of`` checked its values); it survives every seed
    refresh. Raises NameTaken when the name or an alias already names a food; nothing is written then.
    """

    def work(connection: Connection) -> None:
        taken = holders(connection, [spec.key, *(search_key(a) for a in spec.aliases)])
        for text in (spec.name, *spec.aliases):
            holder = taken.get(search_key(text))
            if holder is not None:
                raise NameTaken(
                    _("{problem} — choose another name").format(problem=taken_message(holder, text))
                )
        category = category_spellings(connection).get(search_key(spec.category), spec.category)
        try:
            sid = source_id(connection, spec.source, spec.url)
        except Invalid as exc:
            raise _raise_invalid(exc) from None
        insert_foods(connection, [food_rows(replace(spec, category=category), sid)])

    run_write(engine, work)


def remove_food(engine: Engine, name: str) -> str:
    """Remove one of the user's own foods, named exactly (name or alias); returns its name.

    Seed foods are refused (SeedProtected); an unknown name raises FoodNotFound.
    """

    def work(connection: Connection) -> str:
        found = _find(connection, name)
        if found is None:
            raise _not_found(connection, name, custom_only=True)
        food_id, food_name, is_custom = found
        if not is_custom:
            raise SeedProtected(
                _("{name} is a seed food; only your own foods can be removed").format(name=repr(food_name))
            )
        delete_food(connection, food_id)
        return food_name

    return run_write(engine, work)


def add_alias(engine: Engine, food_name: str, alias: str, *, lang: str | None = None) -> str:
    """Give any food (seed or custom) another name of the user's; returns the food's name.

    The alias is custom: it survives seed refreshes (unless its seed food is withdrawn).
    """
    try:
        alias = check_alias(alias, "alias")
        lang = check_text("lang", lang, 16)
    except Invalid as exc:
        raise _raise_invalid(exc) from None
    key = search_key(alias)

    def work(connection: Connection) -> str:
        found = _find(connection, food_name)
        if found is None:
            raise _not_found(connection, food_name, custom_only=False)
        food_id, name, _custom = found
        holder = holders(connection, [key]).get(key)
        if holder is not None:
            if holder.food_id == food_id:
                taken = (
                    _("{alias} is its name for {name}")
                    if holder.kind == "name"
                    else _("{alias} is already one of its aliases for {name}")
                )
                raise NameTaken(taken.format(alias=repr(alias), name=repr(name)))
            raise NameTaken(
                _("{problem} — choose another alias").format(problem=taken_message(holder, alias))
            )
        alias_row = {"food_id": food_id, "alias": alias, "search_key": key, "lang": lang, "is_custom": True}
        insert_many(connection, alias_table, [alias_row])  # which indexes the name too
        return name

    return run_write(engine, work)


def remove_alias(engine: Engine, alias: str) -> str:
    """Remove one of the user's own aliases; returns the name of the food it belonged to."""
    key = search_key(alias)

    def work(connection: Connection) -> str:
        row = connection.execute(
            select(alias_table.c.id, alias_table.c.is_custom, food_table.c.name)
            .join(food_table)
            .where(alias_table.c.search_key == key)
        ).first()
        if row is None or not key:
            raise FoodNotFound(_("no alias {alias}").format(alias=repr(alias)))
        if not row.is_custom:
            raise SeedProtected(
                _("{alias} is a seed alias of {name}; only your own aliases can be removed").format(
                    alias=repr(alias), name=repr(row.name)
                )
            )
        connection.execute(delete(alias_table).where(alias_table.c.id == row.id))
        return str(row.name)

    return run_write(engine, work)

"""Carry what the user added across a new seed: nothing of theirs is dropped, and each case is told.

A seed load replaces the seed foods. A seed food whose search key the new seed lacks is *stale*:
its seed aliases, portions and measurements go with it, but the user's own aliases of it
(``aliases.is_custom``) do not:

* renamed (data/renamed.csv names the food it became, and the new seed writes that food): each of
  the user's aliases moves to the new food — ``ALIAS_MOVED``;
* removed (renamed.csv says so, or does not know the name), or renamed to a name that is the user's
  own food: the old food stays as the user's own (``is_custom``; its figures, source, measurements
  and portions are kept) with the aliases on it — ``ALIAS_KEPT``.

A stale food without aliases of the user's is deleted, as it always was. Also told, though nothing
moves: an alias of the user's that a new seed food has as its name (a lookup of that name finds the
seed food) — ``ALIAS_SHADOWED``; a food of the user's whose name the seed also has (the user's food
wins; the seed's is not loaded) — ``FOOD_KEPT``. Portions and measurements are made by the user only
on their own foods, which a seed load never touches.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.engine import Connection

from ..storage.changes import ChangeKind, SeedChange
from ..storage.tables import aliases, foods

Row = dict[str, Any]
KIND_ORDER = list(ChangeKind)


@dataclass(frozen=True)
class Held:
    """A food as the database held it before the load, by search key."""

    id: int
    is_custom: bool
    name: str


@dataclass(frozen=True)
class _OwnAlias:
    id: int
    alias: str
    key: str
    food_id: int
    food: str


def _own_aliases(connection: Connection) -> list[_OwnAlias]:
    rows = connection.execute(
        select(aliases.c.id, aliases.c.alias, aliases.c.search_key, foods.c.id, foods.c.name)
        .join_from(aliases, foods)
        .where(aliases.c.is_custom.is_(True))
    )
    return [_OwnAlias(int(i), str(a), str(k), int(f), str(n)) for i, a, k, f, n in rows]


def carry_aliases(
    connection: Connection,
    stale: dict[str, Held],
    renamed: dict[str, Row],
    written: dict[str, Held],
) -> tuple[list[SeedChange], set[int]]:
    """Move or keep the user's aliases of the ``stale`` seed foods (by search key); ``renamed`` is
    data/renamed.csv by old key, ``written`` the seed foods just written, by key. Returns the
    changes and the ids of the stale foods kept as the user's own (the caller deletes the rest)."""
    stale_by_id = {food.id: key for key, food in stale.items()}
    mine: dict[int, list[_OwnAlias]] = {}
    for alias in _own_aliases(connection):
        if alias.food_id in stale_by_id:
            mine.setdefault(alias.food_id, []).append(alias)
    changes: list[SeedChange] = []
    for food_id, own in mine.items():
        old = stale[stale_by_id[food_id]]
        rule = renamed.get(stale_by_id[food_id]) or {}
        target = written.get(rule.get("new_key") or "")
        to: str | None
        if target is not None:
            connection.execute(
                update(aliases).where(aliases.c.id.in_([a.id for a in own])).values(food_id=target.id)
            )
            kind, to = ChangeKind.ALIAS_MOVED, target.name
        else:  # removed, unknown, or its new name is the user's own food (which the seed did not replace)
            connection.execute(update(foods).where(foods.c.id == food_id).values(is_custom=True))
            kind, to = ChangeKind.ALIAS_KEPT, rule.get("new")
        changes += [SeedChange(kind, old.name, a.alias, to, rule.get("reason")) for a in own]
    return changes, set(mine)


def name_clashes(
    connection: Connection, seed_foods: Iterable[Row], held: dict[str, Held], written: dict[str, Held]
) -> list[SeedChange]:
    """The user's foods that keep a name the seed also has, and the user's aliases that a food new
    in this seed has as its name (a lookup of that name now finds the seed food)."""
    changes = [
        SeedChange(ChangeKind.FOOD_KEPT, held[row["search_key"]].name)
        for row in seed_foods
        if row["search_key"] in held and held[row["search_key"]].is_custom
    ]
    for alias in _own_aliases(connection):
        seed_food = written.get(alias.key)
        if seed_food is not None and alias.key not in held and seed_food.id != alias.food_id:
            changes.append(SeedChange(ChangeKind.ALIAS_SHADOWED, alias.food, alias.alias, seed_food.name))
    return changes


def in_order(changes: Iterable[SeedChange]) -> list[SeedChange]:
    """Changes grouped by kind (moved, kept, shadowed, food kept), then by food and alias."""
    return sorted(changes, key=lambda c: (KIND_ORDER.index(c.kind), c.food, c.alias or ""))

"""A food's name in the chosen language: its first alias of that script, in data order, else its
first alias written alike in both scripts (lang ``zh``: 煎蛋, 培根).

English reads nothing. In Chinese one query fetches the names of every food of a result at once
(never a query per row); a food with no Chinese name shows its English name in parentheses.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.engine import Connection

from .. import i18n
from ..storage.tables import aliases, foods

BOTH_SCRIPTS = "zh"  # the lang of a name written the same in Traditional and Simplified
MAX_LISTED = 500  # names asked for by an IN list; more would strain a database's parameter limit


def display_names(connection: Connection, names: Iterable[str]) -> dict[str, str]:
    """{English name: the name to print} for ``names`` in the chosen language ({} in English)."""
    lang = i18n.language()
    wanted = sorted(set(names))
    if lang == i18n.ENGLISH or not wanted:
        return {}
    statement = (
        select(foods.c.name, aliases.c.alias)
        .join(aliases, aliases.c.food_id == foods.c.id)
        .where(aliases.c.lang.in_((lang, BOTH_SCRIPTS)))
        .order_by(aliases.c.lang == BOTH_SCRIPTS, aliases.c.id)
    )
    if len(wanted) <= MAX_LISTED:  # else every name of the language: one query all the same
        statement = statement.where(foods.c.name.in_(wanted))
    rows = connection.execute(statement)
    shown: dict[str, str] = {}
    for name, alias in rows:
        shown.setdefault(name, alias)
    return {name: shown.get(name) or (name if _chinese(name) else f"({name})") for name in wanted}


def _chinese(name: str) -> bool:
    """A name already written in Chinese (one of your own foods) needs no English parentheses."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in name)

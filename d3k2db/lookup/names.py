"""A food's name in the chosen language: its first alias of that script, in data order, else its
first alias written alike in both scripts (lang ``zh``: 煎蛋, 培根).

English reads nothing. In Chinese one query fetches the names of every food of a result at once
(never a query per row); a food with no Chinese name shows its English name in parentheses.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from .. import i18n
from ..storage import reads

if TYPE_CHECKING:
    from ..storage.reads import Reader

BOTH_SCRIPTS = "zh"  # the lang of a name written the same in Traditional and Simplified
MAX_LISTED = 500  # names asked for by an IN list; more would strain a database's parameter limit


def display_names(connection: Reader, names: Iterable[str]) -> dict[str, str]:
    """{English name: the name to print} for ``names`` in the chosen language ({} in English)."""
    lang = i18n.language()
    wanted = sorted(set(names))
    if lang == i18n.ENGLISH or not wanted:
        return {}
    listed = len(wanted) <= MAX_LISTED  # else every name of the language: one query all the same
    statement = reads.NAMES_IN.format(names=reads.FOR_NAMES if listed else "")
    rows = reads.rows(
        connection, statement, langs=(lang, BOTH_SCRIPTS), both=BOTH_SCRIPTS, names=wanted if listed else ()
    )
    shown: dict[str, str] = {}
    for name, alias in rows:
        shown.setdefault(name, alias)
    return {name: shown.get(name) or (name if _chinese(name) else f"({name})") for name in wanted}


def _chinese(name: str) -> bool:
    """A name already written in Chinese (one of your own foods) needs no English parentheses."""
    return any("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" for ch in name)

"""The user's own foods and aliases: the commands (add, remove, alias add/remove) and the value rules
every writer of foods shares (``check_*``, ``build_spec`` → ``FoodSpec``).

Custom foods (``foods.is_custom``) and custom aliases (``aliases.is_custom``) belong to the user: a
seed refresh keeps them, and only they can be removed. Seed foods are cited data and are never
edited or removed here. Every function validates its arguments completely, then writes in one
transaction, so a refused call leaves the database exactly as it was.

This module must stay free of pandas: the CLI imports it for ``d3k2db add``/``remove``, which
should start as fast as ``search``. ``transfer`` (CSV import) and ``fdc`` reuse its rules. The rows
themselves are written by storage/writes.py.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection, Engine

from ..errors import FoodNotFound, NameTaken, SeedProtected, UsageError
from ..evidence import own_food
from ..figures import k2_total, kind_tag
from ..storage.tables import FORMS
from ..storage.tables import aliases as alias_table
from ..storage.tables import foods as food_table
from ..storage.writes import (
    MAX_CATEGORY,
    MAX_CITATION,
    MAX_LABEL,
    MAX_LOCATOR,
    MAX_NAME,
    Invalid,
    category_spellings,
    delete_food,
    holders,
    insert_foods,
    source_id,
    write_transaction,
)
from ..text import search_key

DEFAULT_SOURCE = "user-entered"
DEFAULT_CATEGORY = "custom"
DEFAULT_SERVING_G = 100.0
# Aliases travel in one CSV cell joined by " | ", so an alias may not contain the bar itself.
ALIAS_SEPARATOR = "|"
# A published total may be rounded; a total below the sum of its forms by more than this is an error
# (the same tolerance tests/test_data.py applies to the seed).
TOTAL_TOLERANCE_UG = 0.5
FIGURE_NAMES = (*FORMS, "total_k2_published", "k1", "vitamin_d3")


@dataclass
class FoodSpec:
    """A validated food ready to write. ``figures`` holds every key of FIGURE_NAMES."""

    name: str
    category: str
    tag: str
    figures: dict[str, float | None]
    serving_g: float
    serving_label: str
    source: str
    url: str | None = None
    locator: str | None = None
    aliases: list[str] = field(default_factory=list)
    is_custom: bool = True

    @property
    def key(self) -> str:
        return search_key(self.name)

    @property
    def k2_total(self) -> float | None:
        return k2_total(self.figures)

    def food_values(self, source_id: int) -> dict[str, Any]:
        """The ``foods`` columns (without id, notes and vitamin_d3_source)."""
        return {
            "name": self.name,
            "search_key": self.key,
            "category": self.category,
            "tag": self.tag,
            **self.figures,
            "k2_total": self.k2_total,
            "serving_g": self.serving_g,
            "serving_label": self.serving_label,
            "source_id": source_id,
            "locator": self.locator,
            "is_custom": self.is_custom,
            **own_food(self.figures),
        }


# --- value rules ---------------------------------------------------------------------------------


def check_figure(column: str, value: object) -> float | None:
    """A figure as a float: µg per 100 g, finite and ≥ 0; None means not published."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(column, f"{value!r} is not a number")
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise Invalid(column, f"{value!r} must be a finite number ≥ 0")
    return number


def check_serving_g(value: object, column: str = "serving_g") -> float:
    number = check_figure(column, value)
    if number is None:
        raise Invalid(column, "is empty")
    if number == 0:
        raise Invalid(column, "must be greater than 0")
    return number


def check_text(column: str, value: str | None, limit: int, *, required: bool = False) -> str | None:
    """Stripped text (None when empty); over-long text is refused rather than cut."""
    text = (value or "").strip()
    if not text:
        if required:
            raise Invalid(column, "is empty")
        return None
    if len(text) > limit:
        raise Invalid(column, f"is longer than {limit} characters")
    return text


def check_name(value: str | None, column: str = "name") -> str:
    name = check_text(column, value, MAX_NAME, required=True)
    assert name is not None
    if not search_key(name):
        raise Invalid(column, f"{name!r} has no letters or digits")
    return name


def normalize_tag(value: str, column: str = "tag") -> str:
    """'MK-4', 'mk4', 'MK 4' → 'MK-4' (likewise MK-7); anything else is refused."""
    compact = re.sub(r"[\s_-]", "", value).upper()
    if compact in ("MK4", "MK7"):
        return f"MK-{compact[2]}"
    raise Invalid(column, f"{value!r} is not MK-4 or MK-7")


def check_figures(figures: Mapping[str, float | None]) -> None:
    """At least one K2 figure; a published total not below the sum of the published forms."""
    if k2_total(figures) is None:
        raise Invalid("total_k2", "no K2 figure: give at least one form (MK-4 … MK-10) or a total K2")
    total = figures.get("total_k2_published")
    forms = [figures.get(form) for form in FORMS]
    known = [value for value in forms if value is not None]
    if total is not None and known and total < sum(known) - TOTAL_TOLERANCE_UG:
        raise Invalid("total_k2", f"{total:g} is smaller than the sum of the forms ({sum(known):g})")


def check_alias(value: str, column: str = "aliases") -> str:
    alias = check_text(column, value, MAX_NAME, required=True)
    assert alias is not None
    if ALIAS_SEPARATOR in alias:
        raise Invalid(column, f"{alias!r} contains '{ALIAS_SEPARATOR}', which separates aliases")
    if not search_key(alias):
        raise Invalid(column, f"{alias!r} has no letters or digits")
    return alias


def default_tag(category: str, name: str, figures: Mapping[str, float | None]) -> str:
    """The food's kind (figures.kind_tag), or no tag ('') when no K2 above 0 was measured."""
    return kind_tag(category, name, figures) if (k2_total(figures) or 0) > 0 else ""


def default_label(serving_g: float) -> str:
    return f"{serving_g:g} g"


def build_spec(
    name: str,
    figures: Mapping[str, object],
    *,
    tag: str | None = None,
    category: str | None = None,
    serving_g: object = DEFAULT_SERVING_G,
    serving_label: str | None = None,
    aliases: Iterable[str] = (),
    source: str | None = None,
    url: str | None = None,
    locator: str | None = None,
    is_custom: bool = True,
) -> FoodSpec:
    """Validate one food's values (everything but collisions with the database). Raises Invalid."""
    name = check_name(name)
    checked = {column: check_figure(_column(column), figures.get(column)) for column in FIGURE_NAMES}
    check_figures(checked)
    grams = check_serving_g(serving_g)
    cleaned: list[str] = []
    seen = {search_key(name)}
    for alias in aliases:
        alias = check_alias(alias)
        key = search_key(alias)
        if key not in seen:  # the name itself or a repeat adds nothing
            seen.add(key)
            cleaned.append(alias)
    return FoodSpec(
        name=name,
        category=check_text("category", category, MAX_CATEGORY) or DEFAULT_CATEGORY,
        tag=normalize_tag(tag)
        if tag and tag.strip()
        else default_tag(category or DEFAULT_CATEGORY, name, checked),
        figures=checked,
        serving_g=grams,
        serving_label=check_text("serving_label", serving_label, MAX_LABEL) or default_label(grams),
        source=check_text("source", source, MAX_CITATION) or DEFAULT_SOURCE,
        url=check_text("url", url, 10_000),
        locator=check_text("locator", locator, MAX_LOCATOR),
        aliases=cleaned,
        is_custom=is_custom,
    )


def _column(figure: str) -> str:
    """The user-facing name of a figure: the CSV says total_k2 where the schema says total_k2_published."""
    return "total_k2" if figure == "total_k2_published" else figure


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
        return FoodNotFound(f"no food named {name!r}; you have no foods of your own yet")
    near = [n for n, _, _ in process.extract(name, names, scorer=fuzz.WRatio, limit=5, score_cutoff=65)]
    hint = f" — did you mean {', '.join(repr(n) for n in near)}?" if near else ""
    return FoodNotFound(f"no food named {name!r}{hint}", near)


# --- public API ----------------------------------------------------------------------------------


def add_food(
    engine: Engine,
    name: str,
    *,
    mk4: float | None = None,
    mk5: float | None = None,
    mk6: float | None = None,
    mk7: float | None = None,
    mk8: float | None = None,
    mk9: float | None = None,
    mk10: float | None = None,
    total_k2: float | None = None,
    k1: float | None = None,
    vitamin_d3: float | None = None,
    category: str = DEFAULT_CATEGORY,
    tag: str | None = None,
    serving_g: float = DEFAULT_SERVING_G,
    serving_label: str | None = None,
    aliases: Iterable[str] = (),
    source: str | None = None,
    url: str | None = None,
    locator: str | None = None,
) -> None:
    """Add one of the user's own foods (µg per 100 g); it survives every seed refresh.

    Raises UsageError for a bad value, NameTaken when the name or an alias already names a food.
    """
    figures = {
        "mk4": mk4,
        "mk5": mk5,
        "mk6": mk6,
        "mk7": mk7,
        "mk8": mk8,
        "mk9": mk9,
        "mk10": mk10,
        "total_k2_published": total_k2,
        "k1": k1,
        "vitamin_d3": vitamin_d3,
    }
    if isinstance(aliases, str):  # a lone string would otherwise become one alias per letter
        aliases = [aliases]
    try:
        spec = build_spec(
            name,
            figures,
            tag=tag,
            category=category,
            serving_g=serving_g,
            serving_label=serving_label,
            aliases=aliases,
            source=source,
            url=url,
            locator=locator,
        )
    except Invalid as exc:
        raise _raise_invalid(exc) from None
    with write_transaction(engine) as connection:
        taken = holders(connection, [spec.key, *(search_key(a) for a in spec.aliases)])
        for text in (spec.name, *spec.aliases):
            holder = taken.get(search_key(text))
            if holder is not None:
                raise NameTaken(f"{holder.describe(text)} — choose another name")
        spec.category = category_spellings(connection).get(search_key(spec.category), spec.category)
        try:
            sid = source_id(connection, spec.source, spec.url)
        except Invalid as exc:
            raise _raise_invalid(exc) from None
        insert_foods(connection, [(spec, sid)])


def remove_food(engine: Engine, name: str) -> str:
    """Remove one of the user's own foods, named exactly (name or alias); returns its name.

    Seed foods are refused (SeedProtected); an unknown name raises FoodNotFound.
    """
    with write_transaction(engine) as connection:
        found = _find(connection, name)
        if found is None:
            raise _not_found(connection, name, custom_only=True)
        food_id, food_name, is_custom = found
        if not is_custom:
            raise SeedProtected(f"{food_name!r} is a seed food; only your own foods can be removed")
        delete_food(connection, food_id)
        return food_name


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
    with write_transaction(engine) as connection:
        found = _find(connection, food_name)
        if found is None:
            raise _not_found(connection, food_name, custom_only=False)
        food_id, name, _ = found
        holder = holders(connection, [key]).get(key)
        if holder is not None:
            if holder.food_id == food_id:
                where = "its name" if holder.kind == "name" else "already one of its aliases"
                raise NameTaken(f"{alias!r} is {where} for {name!r}")
            raise NameTaken(f"{holder.describe(alias)} — choose another alias")
        connection.execute(
            insert(alias_table).values(
                food_id=food_id, alias=alias, search_key=key, lang=lang, is_custom=True
            )
        )
        return name


def remove_alias(engine: Engine, alias: str) -> str:
    """Remove one of the user's own aliases; returns the name of the food it belonged to."""
    key = search_key(alias)
    with write_transaction(engine) as connection:
        row = connection.execute(
            select(alias_table.c.id, alias_table.c.is_custom, food_table.c.name)
            .join(food_table)
            .where(alias_table.c.search_key == key)
        ).first()
        if row is None or not key:
            raise FoodNotFound(f"no alias {alias!r}")
        if not row.is_custom:
            raise SeedProtected(
                f"{alias!r} is a seed alias of {row.name!r}; only your own aliases can be removed"
            )
        connection.execute(delete(alias_table).where(alias_table.c.id == row.id))
        return str(row.name)

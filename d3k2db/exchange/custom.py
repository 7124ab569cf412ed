"""The user's own foods and aliases: add, remove, and the rules every writer of custom foods shares.

Custom foods (``Food.is_custom``) and custom aliases (``Alias.is_custom``) belong to the user: a
seed refresh keeps them, and only they can be removed. Seed foods are cited data and are never
edited or removed here. Every function validates its arguments completely, then writes in one
transaction, so a refused call leaves the database exactly as it was.

This module must stay free of pandas: the CLI imports it for ``d3k2db add``/``remove``, which
should start as fast as ``search``. ``transfer`` (CSV import) and ``fdc`` reuse its rules.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..errors import DatabaseError, FoodNotFound, NameTaken, SeedProtected, UsageError
from ..evidence import own_food, own_measurement
from ..figures import k2_total, kind_tag
from ..meal import units
from ..storage import search_index, tables
from ..storage.bulk import insert_many
from ..storage.engine import describe_db_failure
from ..storage.models import FORMS, Alias, Food, Measurement, Portion, Source
from ..text import search_key

DEFAULT_SOURCE = "user-entered"
DEFAULT_CATEGORY = "custom"
DEFAULT_SERVING_G = 100.0
# Aliases travel in one CSV cell joined by " | ", so an alias may not contain the bar itself.
ALIAS_SEPARATOR = "|"
# A published total may be rounded; a total below the sum of its forms by more than this is an error
# (the same tolerance tests/test_data.py applies to the seed).
TOTAL_TOLERANCE_UG = 0.5
# Column widths from storage/models.py: checked here so PostgreSQL never sees an over-long value.
MAX_NAME, MAX_CATEGORY, MAX_LABEL, MAX_CITATION, MAX_LOCATOR = 300, 40, 100, 500, 300
FIGURE_NAMES = (*FORMS, "total_k2_published", "k1", "vitamin_d3")

# '1 slice', '2 cups', '30 g', '30': a number, then (optionally) words starting with a letter.
_COUNTED_LABEL = re.compile(r"^\s*(\d+(?:[.,]\d+)?)(?:\s*([^\W\d_].*?))?\s*$")


class Invalid(Exception):
    """One bad value, by column: ``add_food`` turns it into UsageError, the CSV import into a
    SeedError that also names the file and line."""

    def __init__(self, column: str, problem: str) -> None:
        super().__init__(f"{column}: {problem}")
        self.column = column
        self.problem = problem


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


def serving_portion(serving_g: float, serving_label: str, citation: str | None) -> dict[str, Any] | None:
    """The portion a serving label implies, so that the label's unit works in a meal.

    '1 slice' (30 g) → unit 'slice', 1 × 30 g, and '2 slices cheese' then means 60 g; '2 cups' →
    unit 'cups', 2 per serving_g; any other label ('a bowl', '1/2 cup') → unit 'serving'.
    A mass label ('30 g', '3 oz') adds nothing: grams and ounces already work everywhere.
    """
    match = _COUNTED_LABEL.match(serving_label)
    if match and match.group(2):
        amount, unit = float(match.group(1).replace(",", ".")), match.group(2)
    elif match:  # a bare number: grams by the default label's convention
        return None
    else:
        amount, unit = 1.0, "serving"
    canonical = units.canonical_unit(unit)
    if amount <= 0 or (canonical is not None and units.is_mass(canonical)):
        return None
    return {
        "unit": unit[:MAX_LABEL],
        "amount": amount,
        "grams": serving_g,
        "description": serving_label,
        # portions.source holds MAX_LOCATOR characters; a longer citation (K2viewer's) is shortened
        "source": citation
        if citation is None or len(citation) <= MAX_LOCATOR
        else citation[: MAX_LOCATOR - 1] + "…",
        "locator": None,
    }


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


# --- database helpers shared by custom, transfer and fdc -----------------------------------------


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; a database failure becomes DatabaseError, anything raised rolls back.

    The typo index is brought up to date inside the same transaction, so new names are found
    by typo as soon as they are committed.
    """
    try:
        with engine.begin() as connection:
            yield connection
            search_index.refresh(connection)
    except DBAPIError as exc:
        raise DatabaseError(describe_db_failure(engine, exc)) from None


@dataclass(frozen=True)
class Holder:
    """Who holds a search key: a food's name or one of its aliases."""

    kind: str  # "name" or "alias"
    food_id: int
    food_name: str
    is_custom: bool  # the food's flag for a name, the alias's flag for an alias

    def describe(self, text: str) -> str:
        if self.kind == "name":
            return f"{text!r} is taken: it is the name of the food {self.food_name!r}"
        return f"{text!r} is taken: it is an alias of the food {self.food_name!r}"


def holders(connection: Connection, keys: Iterable[str] | None = None) -> dict[str, Holder]:
    """Every name and alias key (or only ``keys``) with the food that holds it."""
    wanted = None if keys is None else sorted(set(keys))
    names = select(Food.search_key, Food.id, Food.name, Food.is_custom)
    aliases = select(Alias.search_key, Food.id, Food.name, Alias.is_custom).join(Food)
    if wanted is not None:
        names = names.where(Food.search_key.in_(wanted))
        aliases = aliases.where(Alias.search_key.in_(wanted))
    found: dict[str, Holder] = {}
    for key, food_id, food_name, custom in connection.execute(aliases):
        found[key] = Holder("alias", food_id, food_name, bool(custom))
    for key, food_id, food_name, custom in connection.execute(names):
        found[key] = Holder("name", food_id, food_name, bool(custom))  # a name outranks an alias
    return found


def category_spellings(connection: Connection) -> dict[str, str]:
    """Existing categories by search key, so that 'Cheese' joins the seed's 'cheese'."""
    return {search_key(c): c for c in connection.execute(select(Food.category).distinct()).scalars()}


def source_id(
    connection: Connection, citation: str, url: str | None, cache: dict[str, int] | None = None
) -> int:
    """The id of the Source ``citation`` (created if new). Raises Invalid('url') when the source
    exists with another URL: a citation names one reference, so its URL is one too."""
    if cache is not None and citation in cache:
        return cache[citation]
    row = connection.execute(select(Source.id, Source.url).where(Source.citation == citation)).first()
    if row is None:
        new_id = connection.execute(insert(Source).values(citation=citation, url=url)).inserted_primary_key
        assert new_id is not None
        found = int(new_id[0])
    else:
        if url is not None and url != row.url:
            has = f"the URL {row.url}" if row.url else "no URL"
            raise Invalid("url", f"the source {citation!r} already has {has}; give another source name")
        found = int(row.id)
    if cache is not None:
        cache[citation] = found
    return found


def insert_foods(connection: Connection, items: Sequence[tuple[FoodSpec, int]]) -> dict[str, int]:
    """Write new foods (spec, source id) with their aliases, their serving's portion and one
    measurement each that records the figures under the source (so ``d3k2db sources`` counts
    them like any other). Returns the new ids by name.

    Rows go in as multi-row statements (storage/bulk.py): thousands of foods take well under a second.
    """
    if not items:
        return {}
    insert_many(connection, tables.foods, [{**spec.food_values(sid), "notes": None} for spec, sid in items])
    ids = food_ids(connection, [spec.name for spec, _ in items])
    aliases, portions, measurements = [], [], []
    for spec, sid in items:
        food_id = ids[spec.name]
        aliases += [
            {"food_id": food_id, "alias": a, "search_key": search_key(a), "is_custom": spec.is_custom}
            for a in spec.aliases
        ]
        portion = serving_portion(spec.serving_g, spec.serving_label, spec.source)
        if portion is not None:
            portions.append({"food_id": food_id, **portion})
        measurements.append(
            {
                "food_id": food_id,
                "source_id": sid,
                "locator": spec.locator,
                "source_food_name": None,
                "basis": None,
                "notes": None,
                **spec.figures,
                **own_measurement(spec.figures),
            }
        )
    insert_many(connection, tables.aliases, aliases)
    for model, rows in ((Portion, portions), (Measurement, measurements)):
        if rows:
            connection.execute(insert(model), rows)
    return ids


def food_ids(connection: Connection, names: Sequence[str]) -> dict[str, int]:
    """Food ids by exact name, queried in slices that stay under every driver's parameter limit."""
    found: dict[str, int] = {}
    for start in range(0, len(names), 500):
        part = list(names[start : start + 500])
        rows = connection.execute(select(Food.name, Food.id).where(Food.name.in_(part)))
        found.update((str(name), int(food_id)) for name, food_id in rows)
    return found


def drop_source_if_unused(connection: Connection, sid: int | None) -> None:
    """Remove a source no food or measurement cites any more (e.g. the last 'user-entered' food)."""
    if sid is None:
        return
    used = connection.execute(select(func.count()).select_from(Food).where(Food.source_id == sid)).scalar()
    used = (
        used
        or connection.execute(
            select(func.count()).select_from(Measurement).where(Measurement.source_id == sid)
        ).scalar()
    )
    if not used:
        connection.execute(delete(Source).where(Source.id == sid))


def delete_food(connection: Connection, food_id: int) -> None:
    """Delete a food and its rows explicitly (not relying on SQLite's foreign_keys pragma)."""
    sid = connection.execute(select(Food.source_id).where(Food.id == food_id)).scalar()
    measured = set(
        connection.execute(select(Measurement.source_id).where(Measurement.food_id == food_id)).scalars()
    )
    for model in (Alias, Portion, Measurement):
        connection.execute(delete(model).where(model.food_id == food_id))
    connection.execute(delete(Food).where(Food.id == food_id))
    for candidate in {sid, *measured}:
        drop_source_if_unused(connection, candidate)


def _raise_invalid(exc: Invalid) -> UsageError:
    return UsageError(f"{exc.column}: {exc.problem}")


def _find(connection: Connection, name: str) -> tuple[int, str, bool] | None:
    """The food an exact name or alias (after search-key folding) names; never a typo match."""
    key = search_key(name)
    if not key:
        return None
    row = connection.execute(select(Food.id, Food.name, Food.is_custom).where(Food.search_key == key)).first()
    if row is None:
        row = connection.execute(
            select(Food.id, Food.name, Food.is_custom).join(Alias).where(Alias.search_key == key)
        ).first()
    return None if row is None else (int(row[0]), str(row[1]), bool(row[2]))


def _not_found(connection: Connection, name: str, *, custom_only: bool) -> FoodNotFound:
    from rapidfuzz import fuzz, process  # only on the error path

    statement = select(Food.name)
    if custom_only:
        statement = statement.where(Food.is_custom.is_(True))
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
            insert(Alias).values(food_id=food_id, alias=alias, search_key=key, lang=lang, is_custom=True)
        )
        return name


def remove_alias(engine: Engine, alias: str) -> str:
    """Remove one of the user's own aliases; returns the name of the food it belonged to."""
    key = search_key(alias)
    with write_transaction(engine) as connection:
        row = connection.execute(
            select(Alias.id, Alias.is_custom, Food.name).join(Food).where(Alias.search_key == key)
        ).first()
        if row is None or not key:
            raise FoodNotFound(f"no alias {alias!r}")
        if not row.is_custom:
            raise SeedProtected(
                f"{alias!r} is a seed alias of {row.name!r}; only your own aliases can be removed"
            )
        connection.execute(delete(Alias).where(Alias.id == row.id))
        return str(row.name)


def update_mirror_measurement(
    connection: Connection, food_id: int, spec: FoodSpec, sid: int, notes: str | None
) -> None:
    """Keep a custom food's one measurement equal to its figures (kept: source_food_name, basis)."""
    ids = list(connection.execute(select(Measurement.id).where(Measurement.food_id == food_id)).scalars())
    values = {"source_id": sid, "locator": spec.locator, **spec.figures, **own_measurement(spec.figures)}
    if len(ids) == 1:
        connection.execute(update(Measurement).where(Measurement.id == ids[0]).values(**values))
        return
    connection.execute(delete(Measurement).where(Measurement.food_id == food_id))
    connection.execute(insert(Measurement).values(food_id=food_id, notes=notes, **values))

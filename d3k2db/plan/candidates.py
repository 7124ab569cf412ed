"""The foods a plan may use, each with the serving it is counted in and the amounts it may take.

**Trusted figures.** By default a food is used only when its headline figure is unflagged (not
doubtful, not an outlier, not derived, not uncertain) and stands for the food's whole K2
(``evidence.whole``: complete or a published total; in animal tissue an MK-4 figure; in a fermented
food one resolving three forms or more). ``include_doubtful`` admits every food with K2 above 0.

**Servings** (:func:`serving_of`). A plan counts each food in one published household unit:

1. its default serving, when that is one piece or one package (``1 large`` egg, natto's package);
2. else, when its default serving is cited (not the 100 g reference), its first piece (a drumstick,
   a slice; the medium size first) weighing 0.5–2 × that serving; else, for a serving given as a
   weight, a lighter piece counted to 0.5–2 × it (3 meatballs, not 2 oz); else that serving
   (``3 oz``, ``1 cup``);
3. else (no serving published) its first piece;
4. else a cited weight of a like food (data/unit_fallbacks.csv: a cheese slice, a piece of fish, a
   pot of yogurt), marked as a fallback;
5. else the food is not planned: 100 g is a reference amount, not a serving anyone published.

A food whose default serving is no amount one eats at once (soy sauce's cup), or that one does not
eat as such (lard, an uncooked grain, baby food), is counted in another of its published portions,
or not planned: data/plan_units.csv, by name, category or word, each row with its reason.

The amounts are half-steps of that unit weighing 0.5–2 × the food's serving (its cited default
serving, else the unit itself): ½, 1, 1½ or 2 packs of natto; never 2 g of it.

**Which foods.** The :data:`ROWS` foods richest per 100 g (the database's K2 index: all of the
shipped data) of those that may be usable — the query leaves out flagged figures, figures that
cannot stand for the whole K2, and the categories no diet admits — and the foods a liked word
names wherever they rank; then the rules above, exactly. Of the usable foods, per category, the
:data:`PER_CATEGORY` that give the most K2 in their largest amount and the :data:`PER_CATEGORY` whose
amounts come closest above the K2 needed are kept, and every liked food.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, and_, case, func, literal, or_, select
from sqlalchemy.engine import Connection
from sqlalchemy.sql import ColumnElement

from ..domain.evidence import RESOLVED_FORMS, coverage_note, food_kind, whole
from ..domain.figures import ANIMAL_CATEGORIES, FERMENTED_DAIRY_WORDS
from ..domain.lexicon import applies_to
from ..domain.results import PortionView, split_flags
from ..domain.text import search_key
from ..domain.units import MASS_G
from ..files.reading import read_table
from ..meal.amounts import REFERENCE_LABEL, fallbacks, piece_portions, portions_of_foods, serving_piece
from ..resources import data_dir
from ..storage.tables import FORMS, foods
from .diet import excluded_categories, fits
from .preferences import Preference, alias_keys

ROWS = 2_000  # foods read for one plan, richest per 100 g first (the K2 index): all of the shipped data
PER_CATEGORY = 25  # of them, kept per category: the richest per serving, and the closest fits
SERVING_RANGE = (0.5, 2.0)  # an amount weighs this many times the food's serving
MAX_HALF_STEPS = 12  # at most 6 units (six 14 g slices of a 85 g serving)

PLAN_ROW = select(
    foods.c.id,
    foods.c.name,
    foods.c.category,
    foods.c.tag,
    foods.c.main_form,
    *(foods.c[form] for form in FORMS),
    foods.c.total_k2_published,
    foods.c.k2_total,
    foods.c.serving_g,
    foods.c.serving_label,
    foods.c.flags,
    foods.c.is_custom,
)


@dataclass(frozen=True)
class Serving:
    """The unit a food is counted in: ``unit`` of ``grams`` g, from ``source`` (serving, portion or
    fallback); ``reference_g`` is the serving the 0.5–2 × range is about."""

    unit: str
    grams: float
    source: str
    reference_g: float
    fallback: str | None = None

    def counts(self) -> tuple[float, ...]:
        """The half-steps of the unit whose weight lies within 0.5–2 × the reference serving."""
        low, high = (share * self.reference_g for share in SERVING_RANGE)
        steps = (n / 2 for n in range(1, MAX_HALF_STEPS + 1))
        return tuple(c for c in steps if low - 1e-9 <= c * self.grams <= high + 1e-9)


def _unit_of(label: str) -> str:
    """'1 cup' → 'cup'; '3 oz' stays '3 oz' (a count of 3 oz servings)."""
    return label[2:] if label.startswith("1 ") else label


@lru_cache(maxsize=1)
def unit_overrides() -> tuple[tuple[str, str], ...]:
    """data/plan_units.csv: (rule, unit) of the foods whose default serving is no amount one eats at
    once — the published portion a plan counts them in, '' when they are not planned (a cooking fat,
    an uncooked grain). ``rule`` is a rule of :func:`d3k2db.domain.lexicon.applies_to`; the first
    row that applies wins."""
    rows = read_table(data_dir() / "plan_units.csv", ("applies_to", "unit"))
    return tuple((row["applies_to"], row["unit"]) for _line, row in rows)


def _override(food: Row[Any]) -> str | None:
    """The unit data/plan_units.csv sets for ``food`` ('' : not planned), None when no row applies."""
    return next((unit for rule, unit in unit_overrides() if applies_to(rule, food.category, food.name)), None)


def _by_weight(label: str) -> bool:
    """A serving given as a weight ('3 oz', '2 oz'), not as a measure one eats by (a cup, a slice)."""
    count, _sep, unit = label.partition(" ")
    return unit in MASS_G and count.replace(".", "", 1).isdigit()


def _counted(food: Row[Any], pieces: Sequence[PortionView]) -> Serving | None:
    """Of a food served by weight, the piece (its published weight) within 0.5–2 × that serving, else
    a lighter piece counted in half-steps within it: 3 meatballs, not 2 oz of them."""
    low, high = (share * food.serving_g for share in SERVING_RANGE)
    for portion in pieces:
        if low <= portion.grams_per_unit <= high:
            return Serving(portion.unit, portion.grams_per_unit, "portion", food.serving_g)
    if _by_weight(food.serving_label):
        for portion in pieces:
            counted = Serving(portion.unit, portion.grams_per_unit, "portion", food.serving_g)
            if portion.grams_per_unit < low and counted.counts():
                return counted
    return None


def serving_of(food: Row[Any], own: Sequence[PortionView]) -> Serving | None:
    """The unit a plan counts ``food`` in (the module's rules 1–5), or None: not planned."""
    override = _override(food)
    if override is not None:
        chosen = next((p for p in own if p.unit == override), None) if override else None
        return Serving(override, chosen.grams_per_unit, "portion", chosen.grams_per_unit) if chosen else None
    piece = serving_piece(food)
    if piece is not None:
        return Serving(piece, food.serving_g, "serving", food.serving_g)
    pieces = piece_portions(own)
    if food.serving_label != REFERENCE_LABEL:
        counted = _counted(food, pieces)
        if counted is not None:
            return counted
        return Serving(_unit_of(food.serving_label), food.serving_g, "serving", food.serving_g)
    if pieces:
        first = pieces[0]
        return Serving(first.unit, first.grams_per_unit, "portion", first.grams_per_unit)
    for fallback in fallbacks():
        if fallback.grams is not None and fallback.applies(food):
            return Serving(fallback.unit, fallback.grams, "fallback", fallback.grams, fallback.describe())
    return None


def figures(food: Row[Any]) -> dict[str, float | None]:
    return {**{form: getattr(food, form) for form in FORMS}, "total_k2_published": food.total_k2_published}


def trusted(food: Row[Any]) -> bool:
    """Unflagged (nor uncertain), and a headline that stands for the food's whole K2."""
    return not split_flags(food.flags) and whole(figures(food), food_kind(food.category, food.name))


@dataclass(frozen=True)
class Candidate:
    """A food a plan may use, in its serving, and whether it was asked for (``liked``)."""

    food: Row[Any]
    serving: Serving
    liked: bool = False

    @property
    def k2_per_unit(self) -> float:
        return float(self.food.k2_total) * self.serving.grams / 100.0

    @property
    def kind(self) -> tuple[str, str]:
        """Foods of one kind (butter and whipped butter, chicken leg and chicken wing): the category
        and the first word of the name. A plan holds at most one food of a kind."""
        words = search_key(self.food.name).split()
        return self.food.category, words[0] if words else ""

    @property
    def coverage_note(self) -> str | None:
        return coverage_note(figures(self.food), food_kind(self.food.category, self.food.name))

    def amounts(self) -> list[tuple[float, float]]:
        """(count, µg K2) of each amount the food may take."""
        return [(count, count * self.k2_per_unit) for count in self.serving.counts()]


@dataclass(frozen=True)
class Selection:
    """The candidates of a plan, and the liked words no candidate answers to."""

    candidates: list[Candidate]
    like_unused: list[str]


def _may_be_whole() -> ColumnElement[bool]:
    """A query's superset of ``evidence.whole`` (which then decides, on the rows read): a published
    total, or three forms measured, or an MK-4 figure of animal tissue (not of a fermented milk)."""
    forms = [foods.c[form] for form in FORMS]
    measured = sum((case((form.is_not(None), 1), else_=0) for form in forms), start=literal(0))
    total = and_(*(form.is_(None) for form in forms), foods.c.total_k2_published.is_not(None))
    name = func.lower(foods.c.name)
    fermented_dairy = and_(
        foods.c.category == "dairy", or_(*(name.contains(w) for w in FERMENTED_DAIRY_WORDS))
    )
    animal = and_(foods.c.mk4.is_not(None), foods.c.category.in_(ANIMAL_CATEGORIES), ~fermented_dairy)
    return or_(total, measured >= RESOLVED_FORMS, animal)


def _rows(connection: Connection, include_doubtful: bool, diets: Sequence[str]) -> list[Row[Any]]:
    """The ROWS foods with K2 above 0 richest per 100 g (the K2 index), of those that may be usable:
    unflagged with a headline that may stand for the whole K2 (unless ``include_doubtful``), of a
    category some food of which fits ``diets``."""
    statement = PLAN_ROW.where(foods.c.k2_total > 0)
    if not include_doubtful:
        statement = statement.where(or_(foods.c.flags.is_(None), foods.c.flags == ""), _may_be_whole())
    left_out = sorted(excluded_categories(diets))
    if left_out:
        statement = statement.where(foods.c.category.not_in(left_out))
    ordered = statement.order_by(foods.c.k2_total.desc(), foods.c.id.desc()).limit(ROWS)
    return list(connection.execute(ordered))


def _liked_rows(connection: Connection, like: Sequence[Preference]) -> list[Row[Any]]:
    """The foods a liked word names by name or alias, wherever they rank."""
    ids = sorted({food_id for word in like for food_id in word.food_ids})
    rows: list[Row[Any]] = []
    for start in range(0, len(ids), 500):
        batch = ids[start : start + 500]
        rows += connection.execute(PLAN_ROW.where(foods.c.id.in_(batch), foods.c.k2_total > 0))
    return rows


def select_candidates(
    connection: Connection,
    need_ug: float,
    *,
    diets: Sequence[str] = (),
    like: Sequence[Preference] = (),
    avoid: Sequence[Preference] = (),
    include_doubtful: bool = False,
) -> Selection:
    """The foods a plan for ``need_ug`` µg may use (the module's rules)."""

    def usable(row: Row[Any]) -> bool:
        return (include_doubtful or trusted(row)) and fits(row.category, row.name, diets).fits

    rows = {
        row.id: row for row in [*_rows(connection, include_doubtful, diets), *_liked_rows(connection, like)]
    }
    rows = {food_id: row for food_id, row in rows.items() if usable(row)}
    keys = alias_keys(connection, list(rows)) if (like or avoid) else {}

    def named_by(row: Row[Any], words: Iterable[Preference]) -> list[Preference]:
        names = [search_key(row.name), *keys.get(row.id, [])]
        return [word for word in words if word.names(row.id, row.category, names)]

    kept_rows = [row for row in rows.values() if not named_by(row, avoid)]
    owns = portions_of_foods(connection, [row.id for row in kept_rows])
    found: list[Candidate] = []
    answered: set[str] = set()
    for row in kept_rows:
        serving = serving_of(row, owns.get(row.id, []))
        if serving is None or not serving.counts():
            continue
        liked = named_by(row, like)
        answered.update(word.typed for word in liked)
        found.append(Candidate(row, serving, bool(liked)))
    unused = [word.typed for word in like if word.typed not in answered]
    return Selection(_kept(found, need_ug), unused)


def _kept(found: list[Candidate], need_ug: float) -> list[Candidate]:
    """Per category the PER_CATEGORY richest in their largest amount and the PER_CATEGORY closest
    above ``need_ug`` in one amount, and every liked food; in a stable order (name)."""
    by_category: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in found:
        by_category[candidate.food.category].append(candidate)
    kept: dict[int, Candidate] = {c.food.id: c for c in found if c.liked}
    for group in by_category.values():
        richest = sorted(group, key=lambda c: (-max(k2 for _n, k2 in c.amounts()), c.food.name))
        closest = sorted(group, key=lambda c: (_fit(c, need_ug), c.food.name))
        for candidate in [*richest[:PER_CATEGORY], *closest[:PER_CATEGORY]]:
            kept[candidate.food.id] = candidate
    return sorted(kept.values(), key=lambda c: (c.food.name, c.food.id))


def _fit(candidate: Candidate, need_ug: float) -> float:
    """How far above ``need_ug`` the food's closest amount comes (infinite when none reaches it)."""
    above = [k2 - need_ug for _count, k2 in candidate.amounts() if k2 >= need_ug]
    return min(above) if above else float("inf")

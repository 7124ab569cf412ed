"""A meal item's amount in grams: a count, a mass, a unit of the food's own portions, a volume
through its density, or a cited fallback (data/unit_fallbacks.csv) — and how it was understood,
as data (:class:`d3k2db.domain.results.Amount`) and as a sentence for the table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..domain import units
from ..domain.figures import fmt_number
from ..domain.lexicon import applies_to, unit_equivalents
from ..domain.results import Amount, PortionView
from ..domain.vocabulary import g, ml, with_weight
from ..domain.vocabulary import word as unit_word
from ..errors import UnknownUnit
from ..files.reading import read_table
from ..i18n import _
from ..resources import data_dir
from ..storage import reads
from ..storage.reads import Record
from .parser import ItemSpec

if TYPE_CHECKING:
    from ..storage.reads import Reader

#: One item may weigh at most this much, and count at most this many pieces (README, "meal").
MAX_ITEM_GRAMS = 5_000.0
MAX_PIECES = 100.0

# Portion units a bare count may mean: pieces, not volumes, weights or whole packs.
_NOT_COUNTABLE_WORDS = ("cubic", "quart", "unit", "jar", "can", "container", "package", "serving")


def portions_of(connection: Reader, food_id: int) -> list[PortionView]:
    rows = reads.rows(connection, reads.PORTIONS_OF_FOOD, id=food_id)
    return [PortionView(p.unit, p.amount, p.grams, p.description, p.source, p.locator) for p in rows]


def portions_of_foods(connection: Reader, food_ids: Sequence[int]) -> dict[int, list[PortionView]]:
    """The portions of many foods, as portions_of gives them, 500 foods per query."""
    found: dict[int, list[PortionView]] = {}
    for start in range(0, len(food_ids), 500):
        batch = list(food_ids[start : start + 500])
        rows = reads.rows(connection, reads.PORTIONS_OF_FOODS, ids=batch)
        for p in rows:
            found.setdefault(p.food_id, []).append(
                PortionView(p.unit, p.amount, p.grams, p.description, p.source, p.locator)
            )
    return found


# ---------------------------------------------------------------------------------------------
# Units → grams


@dataclass(frozen=True)
class Fallback:
    """A documented, cited unit weight for foods that publish none (data/unit_fallbacks.csv)."""

    unit: str
    applies_to: str  # a rule of lexicon.applies_to: 'any', 'category:cheese', 'food:name|name' …
    millilitres: float | None
    grams: float | None
    source: str
    locator: str

    def applies(self, food: Record) -> bool:
        return applies_to(self.applies_to, food.category, food.name)

    def describe(self) -> str:
        return _("fallback: {source}, {locator}").format(source=self.source, locator=self.locator)


@lru_cache(maxsize=1)
def fallbacks() -> tuple[Fallback, ...]:
    columns = ("unit", "applies_to", "millilitres", "grams", "source", "locator")
    rows = [row for _line, row in read_table(data_dir() / "unit_fallbacks.csv", columns)]
    return tuple(
        Fallback(
            row["unit"],
            row["applies_to"],
            float(row["millilitres"]) if row["millilitres"] else None,
            float(row["grams"]) if row["grams"] else None,
            row["source"],
            row["locator"],
        )
        for row in rows
    )


def fallback_for(unit: str, food: Record) -> Fallback | None:
    return next((f for f in fallbacks() if f.unit == unit and f.applies(food)), None)


@dataclass(frozen=True)
class Reading:
    """An amount as data, the sentence that says how it was read, and the pieces it counts."""

    amount: Amount
    how: str  # '2 large eggs → 2 × large (50 g) = 100 g'
    pieces: float | None = None  # how many pieces, when the amount counts pieces

    @property
    def grams(self) -> float:
        return self.amount.grams

    @property
    def fallback(self) -> str | None:
        return self.amount.fallback


class UnitNotPublished(UnknownUnit):
    """The food has no weight for the unit typed: ``unit`` as typed, ``units`` those that work."""

    def __init__(self, message: str, food: str, unit: str | None, units: str) -> None:
        super().__init__(message)
        self.food, self.unit, self.units = food, unit, units


def _amount(
    spec: ItemSpec, quantity: float, unit: str | None, per_unit: float, source: str, **more: Any
) -> Amount:
    return Amount(
        quantity,
        unit,
        per_unit,
        quantity * per_unit,
        source,
        typed_unit=spec.typed_unit,
        typed=spec.text,
        **more,
    )


DRINKABLE = ("drink", "dairy")  # categories whose units list a glass
REFERENCE_LABEL = "100 g"  # the serving of a food without a published portion (docs/data.md)


def _unit_label(label: str) -> str:
    """'1 large' → 'large': the serving as a unit, for '2 × large (50 g)'."""
    return label[2:] if label.startswith("1 ") else label


def _countable(unit_text: str) -> bool:
    """Whether a stored portion unit is a piece ('large', 'slice', 'wing', 'fillet', 'link')."""
    canonical = units.canonical_unit(unit_text) or units.portion_canonical(unit_text)
    if canonical is not None:
        return not (units.is_mass(canonical) or units.is_volume(canonical)) and canonical not in (
            units.PACK_UNITS | {"serving", "glass", "bowl", "mug", "handful"}
        )
    words = unit_text.lower().split()
    return bool(words) and words[0] not in _NOT_COUNTABLE_WORDS


def countable_portion(food: Record, own: Sequence[PortionView]) -> tuple[str, float] | None:
    """(unit, grams per piece) a bare count means: the default serving if it is a piece
    ('1 large') or a package (natto's '1 package': '2 natto' is two packs), else the food's first
    piece-like portion; None if it has none. Only a default serving counts as a pack: '2 chicken
    wings' is not two 1,150 g packages of wings (the package is a portion, not the serving)."""
    label = serving_piece(food)
    if label is not None:
        return label, food.serving_g
    for portion in piece_portions(own):
        return portion.unit, portion.grams_per_unit
    return None


def serving_piece(food: Record) -> str | None:
    """The unit of the food's default serving when that serving is one piece or one package
    ('1 large' → 'large', '1 package' → 'package'); None for '3 oz', '1 cup', '100 g'."""
    label = _unit_label(food.serving_label)
    is_pack = units.portion_canonical(label) == "package"
    if food.serving_label.startswith("1 ") and (_countable(label) or is_pack):
        return label
    return None


def piece_portions(own: Sequence[PortionView]) -> list[PortionView]:
    """The food's portions that are pieces (a slice, a drumstick, an egg size), in their order but
    the medium size first: a fruit counted is its medium size, not the first SR28 lists (extra small)."""
    pieces = [portion for portion in own if _countable(portion.unit)]
    return sorted(pieces, key=lambda portion: portion.unit != "medium")


def _portion(own: Sequence[PortionView], unit: str) -> PortionView | None:
    for portion in own:
        if units.portion_unit_matches(unit, portion.unit):
            return portion
    return None


def density(own: Sequence[PortionView]) -> tuple[float, str] | None:
    """Grams per millilitre from the food's own volume portion (cup, tbsp…), if it has one."""
    for portion in own:
        unit = units.canonical_unit(portion.unit)
        if unit is not None and units.is_volume(unit):
            return portion.grams_per_unit / units.VOLUME_ML[unit], portion.unit
    return None


def food_density(food: Record, own: Sequence[PortionView]) -> tuple[float, str, Fallback | None] | None:
    """(grams per ml, the portion it comes from, the fallback used or None): the food's own volume
    portion, else a cited cup weight of a like food (data/unit_fallbacks.csv), else None."""
    own_density = density(own)
    if own_density is not None:
        return (*own_density, None)
    cup = fallback_for("cup", food)
    if cup is not None and cup.grams is not None:
        return cup.grams / units.VOLUME_ML["cup"], "cup", cup
    return None


def units_that_work(food: Record, own: Sequence[PortionView]) -> str:
    """The units a food can be measured in, for error messages."""
    listed = [with_weight(unit_word(p.unit), g(fmt_number(p.grams_per_unit))) for p in own]
    volume = ["tsp", "tbsp", "cup", "ml", "l"] if food_density(food, own) else []
    if volume and food.category in DRINKABLE:  # a glass is offered for what one drinks, not natto
        volume.append("glass")
    by_weight = [f.unit for f in fallbacks() if f.grams is not None and f.unit != "cup" and f.applies(food)]
    extra = [u for u in [*volume, *by_weight] if not _portion(own, u)]
    other = [unit_word(u) for u in [*dict.fromkeys(extra), "serving", "g", "kg", "oz", "lb"]]
    return _(", ").join([*listed, *other])


def _count_amount(
    food: Record, own: Sequence[PortionView], spec: ItemSpec, quantity: float, name: str
) -> Reading:
    piece = countable_portion(food, own)
    pack = fallback_for("package", food) if piece is None and not _portion(own, "package") else None
    if pack is not None and pack.grams is not None:  # 'a yogurt', 'deux yaourts': pots of a like food
        amount = _amount(spec, quantity, "package", pack.grams, "fallback", fallback=pack.describe())
        how = _times(quantity, "package", pack.grams, amount.grams, fallback=True)
        return Reading(amount, f"{spec.text} → {how}", quantity)
    if piece is None and food.category == "drink":  # 'a coffee', 'two beers': cups, by its cited cup
        cup = _portion(own, "cup")
        if cup is not None:
            piece = ("cup", cup.grams / cup.amount)
    if piece is None:
        works = units_that_work(food, own)
        raise UnitNotPublished(
            _(
                "a count needs a piece, and {food} is not counted in pieces; "
                "say an amount in one of its units: {units}"
            ).format(food=name, units=works),
            name,
            None,
            works,
        )
    unit, per_piece = piece
    amount = _amount(spec, quantity, unit, per_piece, "portion")
    return Reading(amount, f"{spec.text} → {_times(quantity, unit, per_piece, amount.grams)}", quantity)


def _times(quantity: float, unit: str, per_unit: float, grams: float | None, fallback: bool = False) -> str:
    """'2 × large (50 g) = 100 g' in the chosen language; without '= …' when ``grams`` is None."""
    template = (
        _("{count} × {unit} ({per_unit}, fallback) = {grams}")
        if fallback
        else _("{count} × {unit} ({per_unit})")
        if grams is None
        else _("{count} × {unit} ({per_unit}) = {grams}")
    )
    return template.format(
        count=fmt_number(quantity),
        unit=unit_word(unit),
        per_unit=g(fmt_number(per_unit)),
        grams=g(fmt_number(round(grams or 0.0, 1))),
    )


def _by_volume(food: Record, own: Sequence[PortionView], spec: ItemSpec, quantity: float) -> Reading | None:
    """A volume unit (or a glass) through the food's density; None if either is unknown."""
    unit = spec.unit or ""
    glass = None if unit in units.VOLUME_ML else fallback_for(unit, food)
    millilitres = units.VOLUME_ML.get(unit) or (glass.millilitres if glass else None)
    found = food_density(food, own)
    if millilitres is None or found is None:
        return None
    grams_per_ml, via, weight = found
    used = [f for f in (glass, weight) if f is not None]
    grams = quantity * millilitres * grams_per_ml
    amount = (
        f"{fmt_number(quantity)} {unit_word(unit)}"
        if glass is None
        else f"{fmt_number(quantity)} × {unit_word(unit)} ({ml(fmt_number(millilitres))})"
    )
    template = (
        _("{amount} (by the {via} weight, fallback) = {grams}")
        if used
        else _("{amount} (by the {via} weight) = {grams}")
    )
    how = template.format(amount=amount, via=unit_word(via), grams=g(fmt_number(round(grams, 1))))
    source, cited = ("fallback" if used else "density"), "; ".join(f.describe() for f in used) or None
    return Reading(
        _amount(spec, quantity, unit, grams / quantity, source, fallback=cited), f"{spec.text} → {how}"
    )


def equivalents(unit: str, food: Record) -> list[str]:
    """The units ``unit`` means for ``food`` when it has no weight of its own for it, in order
    (class ``equivalent`` of data/lexicon/: a slice of fish is its piece, else its fillet)."""
    rows = unit_equivalents()
    return [row.equivalent for row in rows if row.unit == unit and row.applies(food.category, food.name)]


def _own_or_fallback(
    food: Record, own: Sequence[PortionView], spec: ItemSpec, quantity: float, unit: str
) -> Reading | None:
    """``unit`` by the food's own portion (an equivalent unit only), else a cited fallback weight."""
    portion = _portion(own, unit) if unit != spec.unit else None
    if portion is not None:
        amount = _amount(spec, quantity, unit, portion.grams_per_unit, "portion")
        how = _times(quantity, portion.unit, portion.grams_per_unit, amount.grams)
        return Reading(amount, f"{spec.text} → {how}", quantity if _countable(portion.unit) else None)
    fallback = fallback_for(unit, food)
    if fallback is not None and fallback.grams is not None:
        amount = _amount(spec, quantity, unit, fallback.grams, "fallback", fallback=fallback.describe())
        how = _times(quantity, unit, fallback.grams, amount.grams, fallback=True)
        return Reading(amount, f"{spec.text} → {how}", quantity)
    return None


def _household_amount(
    food: Record, own: Sequence[PortionView], spec: ItemSpec, quantity: float, name: str
) -> Reading:
    unit = spec.unit or ""
    portion = _portion(own, unit)
    if portion is not None:
        amount = _amount(spec, quantity, unit, portion.grams_per_unit, "portion")
        how = _times(quantity, portion.unit, portion.grams_per_unit, amount.grams)
        return Reading(amount, f"{spec.text} → {how}", quantity if _countable(portion.unit) else None)
    by_volume = _by_volume(food, own, spec, quantity)
    if by_volume is not None:
        return by_volume
    for candidate in [unit, *equivalents(unit, food)]:
        reading = _own_or_fallback(food, own, spec, quantity, candidate)
        if reading is not None:
            return reading
    typed = spec.typed_unit or unit_word(unit)  # the unit as typed: 盒 stays 盒, tub stays tub
    works = units_that_work(food, own)
    raise UnitNotPublished(
        _("{food} has no weight for '{unit}'; its units: {units}").format(food=name, unit=typed, units=works),
        name,
        typed,
        works,
    )


def grams_for(food: Record, own: Sequence[PortionView], spec: ItemSpec, name: str | None = None) -> Reading:
    """The grams ``spec`` means for ``food`` (with its portions ``own``) and how it was understood.

    No amount: one default serving. A bare count: that many pieces (countable_portion). A mass:
    itself. Any other unit: the food's own portion of that unit, else a volume through the food's
    own volume portion, else a cited fallback (data/unit_fallbacks.csv), else refused.
    """
    quantity = spec.quantity if spec.quantity is not None else 1.0
    unit = spec.unit
    if spec.count:
        return _count_amount(food, own, spec, quantity, name or food.name)
    if unit is None or unit == "serving":
        amount = _amount(spec, quantity, "serving", food.serving_g, "serving")
        if food.serving_label == REFERENCE_LABEL:  # no published serving: say the 100 g plainly
            how = _("{grams}: 100 g each, no serving published").format(
                grams=g(fmt_number(round(amount.grams, 1)))
            )
            return Reading(amount, f"{spec.text} → {how}")
        label = _unit_label(food.serving_label)
        how = _times(quantity, label, food.serving_g, amount.grams if quantity != 1 else None)
        return Reading(amount, f"{spec.text} → {how}")
    if units.is_mass(unit):
        amount = _amount(spec, quantity, unit, units.MASS_G[unit], "mass")
        how = g(fmt_number(quantity)) if unit == "g" else f"{fmt_number(quantity)} {unit_word(unit)}"
        if unit != "g":
            how += " = " + g(fmt_number(round(amount.grams, 1)))
        return Reading(amount, f"{spec.text} → {how}")
    return _household_amount(food, own, spec, quantity, name or food.name)


def check_bounds(grams: float, pieces: float | None) -> None:
    """Refuse an item beyond :data:`MAX_PIECES` pieces or :data:`MAX_ITEM_GRAMS` grams."""
    if pieces is not None and pieces > MAX_PIECES:
        raise UnknownUnit(
            _("{count} pieces is more than one meal item can be (at most {limit}); check the amount").format(
                count=fmt_number(pieces), limit=fmt_number(MAX_PIECES)
            )
        )
    if grams > MAX_ITEM_GRAMS:
        raise UnknownUnit(
            _("{grams} is more than one meal item can be (at most {limit}); check the amount").format(
                grams=g(f"{grams:,.0f}"), limit=g(f"{MAX_ITEM_GRAMS:,.0f}")
            )
        )

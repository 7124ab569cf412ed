"""A meal: parse the phrase, match each food, turn each amount into grams and grams into µg.

Every problem (unknown food, unknown unit, bad amount, unparseable item) is collected and raised
together, so a user fixes a meal in one go and never sees a partial total — unless they ask for
one with ``skip_unknown``: then the items naming no known food are skipped, listed with the
reason, and the total is marked partial.

How each item was understood is always part of the result: the match kind (exact, alias, generic,
typo: :mod:`d3k2db.lookup.matching`), the words dropped, and a fallback unit weight where one was used.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sqlalchemy import Row, select, text
from sqlalchemy.engine import Connection

from ..errors import FoodNotFound, MealError, UnknownUnit
from ..evidence import coverage_note, food_kind
from ..figures import (
    D3_UPPER_LIMIT_IU,
    D3_UPPER_LIMIT_SOURCE,
    DEFAULT_RATIO_UG_PER_10000_IU,
    check_meal_options,
    d3_pairing_iu,
    fmt_number,
    k2_needed_ug,
    k2_total,
    scale,
)
from ..i18n import _
from ..lookup.matching import Match, dishes, generics, resolve, separators, vocabulary_prefixes
from ..lookup.search import shown_names
from ..resources import data_dir
from ..results import D3Check, MealItem, MealResult, PortionView, SkippedItem, TargetCheck, split_flags
from ..storage.tables import FORMS, aliases, foods, measurements, portions
from ..text import search_key
from ..vocabulary import g, ml, with_weight
from ..vocabulary import word as unit_word
from . import units
from .parser import ItemSpec, parse_meal_with_problems

#: One item may weigh at most this much, and count at most this many pieces (README, "meal").
MAX_ITEM_GRAMS = 5_000.0
MAX_PIECES = 100.0

# Portion units a bare count may mean: pieces, not volumes, weights or whole packs.
_NOT_COUNTABLE_WORDS = ("cubic", "quart", "unit", "jar", "can", "container", "package", "serving")


class _Lexicon:
    """The names the meal parser asks about: foods, aliases, generic and not-in-database words."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.sqlite = connection.dialect.name == "sqlite"
        self.vocabulary = vocabulary_prefixes()

    @lru_cache(maxsize=1024)  # noqa: B019 - one lexicon per meal
    def is_food(self, phrase: str) -> bool:
        """A name, alias, generic word or dish; typed across separators only as the name has them."""
        key = search_key(phrase)
        if not key:
            return False
        typed = separators(phrase)
        if not typed and (key in generics() or key in dishes()):
            return True
        statement = (
            select(foods.c.name)
            .where(foods.c.search_key == key)
            .union_all(select(aliases.c.alias).where(aliases.c.search_key == key))
        )
        return any(separators(name) == typed for name in self.connection.execute(statement).scalars())

    @lru_cache(maxsize=1024)  # noqa: B019 - one lexicon per meal
    def continues(self, phrase: str) -> bool:
        """Whether a longer name or alias starts with ``phrase``: its words, then a space if
        ``phrase`` ends with one ('whole egg ' → 'whole egg raw'), else any letter ('egg x' → 'egg x2')."""
        key = search_key(phrase)
        if not key:
            return True  # punctuation only so far: keep reading
        prefix = key + " " if phrase.endswith(" ") else key
        if prefix in self.vocabulary:
            return True
        if self.sqlite:  # a range scan of the search_key indexes
            sql = (
                "SELECT 1 FROM foods WHERE search_key >= :low AND search_key < :high "
                "UNION ALL SELECT 1 FROM aliases WHERE search_key >= :low AND search_key < :high LIMIT 1"
            )
            found = self.connection.execute(text(sql), {"low": prefix, "high": prefix + "\U0010ffff"})
        else:
            pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            found = self.connection.execute(
                select(foods.c.id)
                .where(foods.c.search_key.like(pattern, escape="\\"))
                .union_all(select(aliases.c.food_id).where(aliases.c.search_key.like(pattern, escape="\\")))
                .limit(1)
            )
        return found.first() is not None


def portions_of(connection: Connection, food_id: int) -> list[PortionView]:
    rows = connection.execute(select(portions).where(portions.c.food_id == food_id).order_by(portions.c.id))
    return [PortionView(p.unit, p.amount, p.grams, p.description, p.source, p.locator) for p in rows]


# ---------------------------------------------------------------------------------------------
# Units → grams


@dataclass(frozen=True)
class Fallback:
    """A documented, cited unit weight for foods that publish none (data/unit_fallbacks.csv)."""

    unit: str
    applies_to: str  # 'any', 'category:cheese' or 'food:name|name'
    millilitres: float | None
    grams: float | None
    source: str
    locator: str

    def applies(self, food: Row[Any]) -> bool:
        kind, _sep, value = self.applies_to.partition(":")
        if kind == "category":
            return bool(food.category == value)
        if kind == "food":
            return food.name in value.split("|")
        return kind == "any"

    def describe(self) -> str:
        return _("fallback: {source}, {locator}").format(source=self.source, locator=self.locator)


@lru_cache(maxsize=1)
def fallbacks() -> tuple[Fallback, ...]:
    with (data_dir() / "unit_fallbacks.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
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


def fallback_for(unit: str, food: Row[Any]) -> Fallback | None:
    return next((f for f in fallbacks() if f.unit == unit and f.applies(food)), None)


@dataclass(frozen=True)
class Amount:
    grams: float
    how: str  # '2 × large (50 g) = 100 g'
    pieces: float | None = None  # how many pieces, when the amount counts pieces
    fallback: str | None = None  # the cited fallback used, if any


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


def countable_portion(food: Row[Any], own: Sequence[PortionView]) -> tuple[str, float] | None:
    """(unit, grams per piece) a bare count means: the default serving if it is a piece
    ('1 large'), else the food's first piece-like portion; None if it has none. A pack is no
    piece, even as the default serving: '2 chicken wings' is not two 1,150 g packages of wings,
    nor '2 natto' two packs (say '2 packs of natto')."""
    label = _unit_label(food.serving_label)
    if food.serving_label.startswith("1 ") and _countable(label):
        return label, food.serving_g
    for portion in own:
        if _countable(portion.unit):
            return portion.unit, portion.grams_per_unit
    return None


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


def food_density(food: Row[Any], own: Sequence[PortionView]) -> tuple[float, str, Fallback | None] | None:
    """(grams per ml, the portion it comes from, the fallback used or None): the food's own volume
    portion, else a cited cup weight of a like food (data/unit_fallbacks.csv), else None."""
    own_density = density(own)
    if own_density is not None:
        return (*own_density, None)
    cup = fallback_for("cup", food)
    if cup is not None and cup.grams is not None:
        return cup.grams / units.VOLUME_ML["cup"], "cup", cup
    return None


def units_that_work(food: Row[Any], own: Sequence[PortionView]) -> str:
    """The units a food can be measured in, for error messages."""
    listed = [with_weight(unit_word(p.unit), g(fmt_number(p.grams_per_unit))) for p in own]
    volume = ["tsp", "tbsp", "cup", "ml", "l", "glass"] if food_density(food, own) else []
    by_weight = [f.unit for f in fallbacks() if f.grams is not None and f.unit != "cup" and f.applies(food)]
    extra = [u for u in [*volume, *by_weight] if not _portion(own, u)]
    other = [unit_word(u) for u in [*dict.fromkeys(extra), "serving", "g", "kg", "oz", "lb"]]
    return _(", ").join([*listed, *other])


def _count_amount(
    food: Row[Any], own: Sequence[PortionView], spec: ItemSpec, quantity: float, name: str
) -> Amount:
    piece = countable_portion(food, own)
    if piece is None:
        raise UnknownUnit(
            _(
                "a count needs a piece, and {food} is not counted in pieces; "
                "say an amount in one of its units: {units}"
            ).format(food=name, units=units_that_work(food, own))
        )
    unit, per_piece = piece
    grams = quantity * per_piece
    how = _times(quantity, unit, per_piece, grams)
    return Amount(grams, f"{spec.text} → {how}", pieces=quantity)


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


def _by_volume(food: Row[Any], own: Sequence[PortionView], spec: ItemSpec, quantity: float) -> Amount | None:
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
    return Amount(grams, f"{spec.text} → {how}", None, "; ".join(f.describe() for f in used) or None)


def _household_amount(
    food: Row[Any], own: Sequence[PortionView], spec: ItemSpec, quantity: float, name: str
) -> Amount:
    unit = spec.unit or ""
    portion = _portion(own, unit)
    if portion is not None:
        grams = quantity * portion.grams_per_unit
        how = _times(quantity, portion.unit, portion.grams_per_unit, grams)
        pieces = quantity if _countable(portion.unit) else None
        return Amount(grams, f"{spec.text} → {how}", pieces)
    by_volume = _by_volume(food, own, spec, quantity)
    if by_volume is not None:
        return by_volume
    fallback = fallback_for(unit, food)
    if fallback is not None and fallback.grams is not None:
        grams = quantity * fallback.grams
        how = _times(quantity, unit, fallback.grams, grams, fallback=True)
        return Amount(grams, f"{spec.text} → {how}", quantity, fallback.describe())
    raise UnknownUnit(
        _("{food} has no weight for '{unit}'; its units: {units}").format(
            food=name, unit=unit_word(unit), units=units_that_work(food, own)
        )
    )


def grams_for(food: Row[Any], own: Sequence[PortionView], spec: ItemSpec, name: str | None = None) -> Amount:
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
        grams = quantity * food.serving_g
        how = _times(
            quantity, _unit_label(food.serving_label), food.serving_g, grams if quantity != 1 else None
        )
        return Amount(grams, f"{spec.text} → {how}")
    if units.is_mass(unit):
        grams = quantity * units.MASS_G[unit]
        how = g(fmt_number(quantity)) if unit == "g" else f"{fmt_number(quantity)} {unit_word(unit)}"
        if unit != "g":
            how += " = " + g(fmt_number(round(grams, 1)))
        return Amount(grams, f"{spec.text} → {how}")
    return _household_amount(food, own, spec, quantity, name or food.name)


def _check_bounds(spec: ItemSpec, amount: Amount) -> None:
    if amount.pieces is not None and amount.pieces > MAX_PIECES:
        raise UnknownUnit(
            _("{count} pieces is more than one meal item can be (at most {limit}); check the amount").format(
                count=fmt_number(amount.pieces), limit=fmt_number(MAX_PIECES)
            )
        )
    if amount.grams > MAX_ITEM_GRAMS:
        raise UnknownUnit(
            _("{grams} is more than one meal item can be (at most {limit}); check the amount").format(
                grams=g(f"{amount.grams:,.0f}"), limit=g(f"{MAX_ITEM_GRAMS:,.0f}")
            )
        )


# ---------------------------------------------------------------------------------------------
# The meal


def measurement_totals(connection: Connection, food_ids: Sequence[int]) -> dict[int, list[float]]:
    """Each food's measured K2 totals (µg/100 g), for the lowest–highest range."""
    columns = [measurements.c[f] for f in (*FORMS, "total_k2_published")]
    totals: dict[int, list[float]] = {food_id: [] for food_id in food_ids}
    rows = connection.execute(  # a repeat of a counted measurement is no second value
        select(measurements.c.food_id, *columns).where(
            measurements.c.food_id.in_(list(food_ids)), measurements.c.counted.is_(True)
        )
    )
    for row in rows:
        total = k2_total(row._asdict())
        if total is not None:
            totals[row.food_id].append(total)
    return totals


@dataclass
class _Entry:
    """One row of the meal: a food matched one way, maybe named several times."""

    match: Match
    texts: list[str]
    grams: float
    hows: list[str]
    dropped: list[str]
    fallbacks: list[str]
    pieces: float | None = None


def _item(entry: _Entry, totals: list[float], connection: Connection) -> MealItem:
    food, grams = entry.match.food, entry.grams
    forms = {form: scale(getattr(food, form), grams) for form in FORMS}
    spread = len(totals) > 1 and min(totals) != max(totals)
    k2_range = (scale(min(totals), grams), scale(max(totals), grams)) if spread else None
    return MealItem(
        typed=", ".join(entry.texts),
        food=food.name,
        tag=food.tag or None,
        main_form=food.main_form or None,
        is_custom=bool(food.is_custom),
        grams=grams,
        interpretation="; ".join(entry.hows),
        forms=forms,
        k2=scale(food.k2_total, grams),
        k2_range=k2_range,  # type: ignore[arg-type]  # scale of a float is a float; figures.scale says float | None
        k1=scale(food.k1, grams),
        vitamin_d3=scale(food.vitamin_d3, grams),
        flags=split_flags(food.flags),
        coverage_note=coverage_note(
            {**{f: getattr(food, f) for f in FORMS}, "total_k2_published": food.total_k2_published},
            food_kind(food.category or "", food.name),
        ),
        match=entry.match.kind,
        matched=entry.match.matched,
        alternatives=list(entry.match.alternatives),
        match_note=entry.match.describe(shown_names(connection, list(entry.match.alternatives))),
        dropped=entry.dropped,
        fallback="; ".join(dict.fromkeys(entry.fallbacks)) or None,
    )


def _sum(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


class _Collector:
    """Resolves each item, combining repeats of one food matched the same way."""

    def __init__(self, connection: Connection, skip_unknown: bool) -> None:
        self.connection = connection
        self.skip_unknown = skip_unknown
        self.entries: dict[tuple[int, str], _Entry] = {}
        self.portions: dict[int, list[PortionView]] = {}
        self.problems: list[str] = []
        self.skipped: list[SkippedItem] = []
        self.unknown_food = False

    def add(self, spec: ItemSpec) -> None:
        """Resolve one item and add it to its food's entry; a problem is noted (or the item
        skipped) instead when the food or the amount is not understood."""
        match = self._match(spec)
        if match is None:
            return
        amount = self._amount(spec, match.food)
        if amount is not None:
            self._combine(spec, match, amount)

    def _match(self, spec: ItemSpec) -> Match | None:
        try:
            return resolve(self.connection, spec.food)
        except FoodNotFound as exc:
            self._not_found(spec, exc)
            return None

    def _several_foods(self, text: str) -> bool:
        """'natto buter' (each word a food, typos allowed), not 'old gouda' or a dish."""
        words = text.split()
        if not 1 < len(words) <= 4 or search_key(text) in dishes():
            return False
        for word in words:
            try:
                resolve(self.connection, word)
            except FoodNotFound:
                return False
        return True

    def _not_found(self, spec: ItemSpec, exc: FoodNotFound) -> None:
        if self._several_foods(spec.food):
            exc = FoodNotFound(
                _("{problem} (several foods? separate them with commas)").format(problem=exc), exc.suggestions
            )
        if self.skip_unknown:
            self.skipped.append(SkippedItem(spec.text, str(exc), exc.suggestions, list(spec.dropped)))
        else:  # the message names the food; the item text is added when it says more
            self.problems.append(str(exc) if spec.text == spec.food else _about(spec.text, exc))
            self.unknown_food = True

    def _amount(self, spec: ItemSpec, food: Row[Any]) -> Amount | None:
        """The grams the item means, within bounds; None (a problem noted) when not understood."""
        if food.id not in self.portions:
            self.portions[food.id] = portions_of(self.connection, food.id)
        try:
            name = shown_names(self.connection, [food.name])[0]
            amount = grams_for(food, self.portions[food.id], spec, name)
            _check_bounds(spec, amount)
        except UnknownUnit as exc:
            self.problems.append(_about(spec.text, exc))
            return None
        return amount

    def _combine(self, spec: ItemSpec, match: Match, amount: Amount) -> None:
        """Add the item to the entry of its food matched the same way (a new one if none)."""
        key = (match.food.id, match.kind)
        entry = self.entries.get(key)
        if entry is None:
            self.entries[key] = entry = _Entry(match, [], 0.0, [], [], [])
        entry.texts.append(spec.text)
        entry.grams += amount.grams
        entry.hows.append(amount.how)
        entry.dropped += spec.dropped
        if amount.pieces is not None:
            entry.pieces = (entry.pieces or 0.0) + amount.pieces
        if amount.fallback:
            entry.fallbacks.append(amount.fallback)
        if len(entry.texts) > 1:  # a food named twice is one item: the bounds hold for the sum
            try:
                _check_bounds(spec, Amount(entry.grams, "", entry.pieces))
            except UnknownUnit as exc:
                texts = " + ".join(repr(t) for t in entry.texts)
                self.problems.append(_("{items} together: {problem}").format(items=texts, problem=exc))


def _about(item: str, problem: object) -> str:
    """ "'2 slices natto': natto has no weight for 'slice'" in the chosen language."""
    return _("'{item}': {problem}").format(item=item, problem=problem)


def _warnings(pairs_with_d3_iu: float, d3_iu: float | None) -> list[str]:
    limit = f"{D3_UPPER_LIMIT_IU:,.0f}"
    found = []
    if pairs_with_d3_iu > D3_UPPER_LIMIT_IU:
        found.append(
            _(
                "The D3 this K2 pairs with is above {limit} IU a day, the tolerable upper intake "
                "level for adults ({source}): the ratio is no reason to take more D3."
            ).format(limit=limit, source=D3_UPPER_LIMIT_SOURCE)
        )
    if d3_iu is not None and d3_iu > D3_UPPER_LIMIT_IU:
        found.append(
            _(
                "Your D3 dose is above {limit} IU a day, the tolerable upper intake level for "
                "adults ({source}); take more only on medical advice."
            ).format(limit=limit, source=D3_UPPER_LIMIT_SOURCE)
        )
    return found


def compute_meal(
    connection: Connection,
    words: Sequence[str],
    ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
    *,
    d3_iu: float | None = None,
    target_ug: float | None = None,
    skip_unknown: bool = False,
) -> MealResult:
    """Parse ``words`` (shell words or one phrase) and add up the K2 of every item.

    With ``d3_iu``, also check whether the K2 covers that D3 dose at the ratio; with ``target_ug``,
    how much of a daily K2 target the meal meets. With ``skip_unknown``, items naming no known
    food are skipped (listed in ``skipped``) instead of failing the meal.
    """
    check_meal_options(ratio_ug_per_10000_iu, d3_iu, target_ug)
    lexicon = _Lexicon(connection)
    specs, parse_problems = parse_meal_with_problems(words, lexicon.is_food, lexicon.continues)
    collector = _Collector(connection, skip_unknown)
    collector.problems += parse_problems
    for spec in specs:
        collector.add(spec)
    if collector.problems:
        raise MealError(collector.problems, unknown_food=collector.unknown_food)
    if not collector.entries:
        reasons = _("; ").join(_about(s.typed, s.reason) for s in collector.skipped)
        raise MealError(
            [_("no item of the meal is a known food: {reasons}").format(reasons=reasons)], unknown_food=True
        )

    totals = measurement_totals(connection, list({food_id for food_id, _ in collector.entries}))
    items = [_item(entry, totals[entry.match.food.id], connection) for entry in collector.entries.values()]
    k2 = sum(item.k2 or 0.0 for item in items)
    pairs_with = d3_pairing_iu(k2, ratio_ug_per_10000_iu)
    return MealResult(
        items=items,
        forms={form: _sum([item.forms[form] for item in items]) for form in FORMS},
        k2=k2,
        vitamin_d3=_sum([item.vitamin_d3 for item in items]),
        ratio_ug_per_10000_iu=ratio_ug_per_10000_iu,
        pairs_with_d3_iu=pairs_with,
        d3_check=None if d3_iu is None else D3Check(d3_iu, k2_needed_ug(d3_iu, ratio_ug_per_10000_iu), k2),
        target_check=None if target_ug is None else TargetCheck(target_ug, k2),
        skipped=collector.skipped,
        warnings=_warnings(pairs_with, d3_iu),
    )

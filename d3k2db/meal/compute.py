"""A meal: parse the phrase, match each food, turn each amount into grams and grams into µg.

Every problem (unknown food, unknown unit, bad amount, unparseable item) is collected and raised
together, so a user fixes a meal in one go and never sees a partial total — unless they ask for
one with ``skip_unknown``: then the items naming no known food are skipped, listed with the
reason, and the total is marked partial.

How each item was understood is always part of the result, as data: the match kind (exact, alias,
generic, typo, no_k2_expected: :class:`d3k2db.domain.results.MatchKind`), the amounts
(:class:`d3k2db.domain.results.Amount`: quantity, unit, grams per unit, source, fallback), the words
dropped; every problem as a :class:`d3k2db.domain.results.Problem` with a stable code. The sentences
(``interpretation``, the messages) are extras in the chosen language.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..domain.evidence import coverage_note, food_kind
from ..domain.figures import (
    D3_UPPER_LIMIT_IU,
    D3_UPPER_LIMIT_SOURCE,
    DEFAULT_RATIO_UG_PER_10000_IU,
    check_meal_options,
    d3_pairing_iu,
    dose_warnings,
    k2_needed_ug,
    k2_total,
    scale,
)
from ..domain.results import (
    D3Check,
    MealItem,
    MealResult,
    PortionView,
    Problem,
    ProblemCode,
    SkippedItem,
    TargetCheck,
    split_flags,
)
from ..domain.text import search_key
from ..errors import FoodNotFound, MealError, UnknownUnit
from ..i18n import _
from ..lookup.matching import (
    Match,
    NoK2Expected,
    Rule,
    cjk_parts,
    dishes,
    not_in_database,
    resolve,
)
from ..lookup.search import shown_names
from ..lookup.wordlists import no_k2_figure
from ..storage import reads
from ..storage.forms import FORMS
from ..storage.reads import Record
from .amounts import Reading, UnitNotPublished, check_bounds, grams_for, portions_of
from .index import name_index
from .parser import ItemSpec, parse_meal_with_problems
from .rule import rule_item, rule_reading

if TYPE_CHECKING:
    from ..storage.reads import Reader


def measurement_totals(connection: Reader, food_ids: Sequence[int]) -> dict[int, list[float]]:
    """Each food's measured K2 totals (µg/100 g), for the lowest–highest range."""
    totals: dict[int, list[float]] = {food_id: [] for food_id in food_ids}
    # a repeat of a counted measurement is no second value
    for row in reads.rows(connection, reads.COUNTED_MEASUREMENTS, ids=list(food_ids)):
        total = k2_total(row._asdict())
        if total is not None:
            totals[row.food_id].append(total)
    return totals


@dataclass
class _Entry:
    """One row of the meal: a food matched one way (or a word read by the rule), maybe named
    several times."""

    match: Match | Rule
    texts: list[str] = field(default_factory=list)
    readings: list[Reading] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)

    @property
    def grams(self) -> float:
        return sum(reading.grams for reading in self.readings)

    @property
    def pieces(self) -> float | None:
        counted = [reading.pieces for reading in self.readings if reading.pieces is not None]
        return sum(counted) if counted else None

    @property
    def fallback(self) -> str | None:
        return "; ".join(dict.fromkeys(r.fallback for r in self.readings if r.fallback)) or None


def _item(entry: _Entry, totals: list[float], connection: Reader) -> MealItem:
    match = entry.match
    if isinstance(match, Rule):
        return rule_item(match, entry.texts, entry.readings, entry.dropped)
    food, grams = match.food, entry.grams
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
        interpretation="; ".join(reading.how for reading in entry.readings),
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
        match=match.kind,
        matched=match.matched,
        alternatives=list(match.alternatives),
        match_note=match.describe(shown_names(connection, list(match.alternatives))),
        dropped=entry.dropped,
        fallback=entry.fallback,
        amounts=[reading.amount for reading in entry.readings],
    )


def _sum(values: Sequence[float | None]) -> float | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def _not_found_code(typed: str) -> ProblemCode:
    key = search_key(typed)
    if key in no_k2_figure():
        return ProblemCode.NO_K2_FIGURE
    if key in not_in_database():
        return ProblemCode.NOT_IN_DATABASE
    return ProblemCode.UNKNOWN_FOOD


class _Collector:
    """Resolves each item, combining repeats of one food matched the same way."""

    def __init__(self, connection: Reader, skip_unknown: bool) -> None:
        self.connection = connection
        self.skip_unknown = skip_unknown
        self.entries: dict[tuple[object, str], _Entry] = {}
        self.portions: dict[int, list[PortionView]] = {}
        self.problems: list[str] = []
        self.details: list[Problem] = []
        self.skipped: list[SkippedItem] = []
        self.unknown_food = False

    def problem(self, message: str, typed: str, kind: ProblemCode, reason: str = "", **details: Any) -> None:
        """Note a problem; ``reason`` when it is one item's (the item can be left out, the rest
        counted), '' when the phrase itself was not understood."""
        self.problems.append(message)
        self.details.append(Problem(typed, kind, details, message, reason))

    def add(self, spec: ItemSpec) -> None:
        """Resolve one item and add it to its food's entry; a problem is noted (or the item
        skipped) instead when the food or the amount is not understood."""
        match = self._match(spec)
        if isinstance(match, Rule):
            self._combine(spec, match, rule_reading(spec, match))
            return
        if match is None:
            return
        reading = self._amount(spec, match.food)
        if reading is not None:
            self._combine(spec, match, reading)

    def _match(self, spec: ItemSpec) -> Match | Rule | None:
        try:
            return resolve(self.connection, spec.food)
        except NoK2Expected as rule:
            return rule.rule
        except FoodNotFound as exc:
            same = self._same_food(spec)
            if same is None:
                self._not_found(spec, exc)
            return same

    def _same_food(self, spec: ItemSpec) -> Match | None:
        """'ribeye steak': names typed together that all mean one food are that food (read
        through its last word); None when they are several foods or any is unknown."""
        words = spec.food.split()
        if not 1 < len(words) <= 4 or search_key(spec.food) in dishes():
            return None
        try:
            matches = [resolve(self.connection, word) for word in words]
        except FoodNotFound:
            return None
        if len({match.food.id for match in matches}) != 1:
            return None
        last = matches[-1]
        return Match(last.food, last.kind, spec.food, last.matched, last.alternatives, last.reason)

    def _several_foods(self, text: str) -> bool:
        """'natto buter' (each word a food, typos allowed), not 'old gouda' or a dish."""
        words = text.split()
        if len(words) == 1 and cjk_parts(self.connection, search_key(text)) is not None:
            return True  # 奶油吐司: 奶油 and 吐司 typed together
        if not 1 < len(words) <= 4 or search_key(text) in dishes():
            return False
        for word in words:
            try:
                resolve(self.connection, word)
            except FoodNotFound:
                return False
        return True

    def _not_found(self, spec: ItemSpec, exc: FoodNotFound) -> None:
        several = self._several_foods(spec.food)
        if several:
            exc = FoodNotFound(
                _("{problem} (several foods? separate them with commas)").format(problem=exc), exc.suggestions
            )
        code = _not_found_code(spec.food)
        details = {"food": spec.food, "suggestions": list(exc.suggestions), "several_foods": several}
        problem = Problem(spec.text, code, details, str(exc), str(exc))
        if self.skip_unknown:
            skipped = SkippedItem(spec.text, str(exc), exc.suggestions, list(spec.dropped), problem)
            self.skipped.append(skipped)
        else:  # the message names the food; the item text is added when it says more
            message = str(exc) if spec.text == spec.food else _about(spec.text, exc)
            self.problems.append(message)
            self.details.append(Problem(spec.text, code, details, message, str(exc)))
            self.unknown_food = True

    def _amount(self, spec: ItemSpec, food: Record) -> Reading | None:
        """The grams the item means, within bounds; None (a problem noted) when not understood."""
        if food.id not in self.portions:
            self.portions[food.id] = portions_of(self.connection, food.id)
        try:
            name = shown_names(self.connection, [food.name])[0]
            reading = grams_for(food, self.portions[food.id], spec, name)
            check_bounds(reading.grams, reading.pieces)
        except UnitNotPublished as exc:
            details = {"food": exc.food, "unit": exc.unit, "units": exc.units}
            self.problem(
                _about(spec.text, exc), spec.text, ProblemCode.UNIT_NOT_PUBLISHED, str(exc), **details
            )
            return None
        except UnknownUnit as exc:
            self.problem(_about(spec.text, exc), spec.text, ProblemCode.BAD_AMOUNT, str(exc))
            return None
        return reading

    def _combine(self, spec: ItemSpec, match: Match | Rule, reading: Reading) -> None:
        """Add the item to the entry of its food matched the same way (a new one if none)."""
        key: tuple[object, str] = (
            ("rule", match.term) if isinstance(match, Rule) else (match.food.id, match.kind)
        )
        entry = self.entries.get(key)
        if entry is None:
            self.entries[key] = entry = _Entry(match)
        entry.texts.append(spec.text)
        entry.readings.append(reading)
        entry.dropped += spec.dropped
        if len(entry.texts) > 1:  # a food named twice is one item: the bounds hold for the sum
            try:
                check_bounds(entry.grams, entry.pieces)
            except UnknownUnit as exc:
                texts = " + ".join(repr(t) for t in entry.texts)
                message = _("{items} together: {problem}").format(items=texts, problem=exc)
                typed = " + ".join(entry.texts)
                self.problem(message, typed, ProblemCode.BAD_AMOUNT, message, items=list(entry.texts))


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
    return [*found, *dose_warnings(d3_iu)]


def compute_meal(
    connection: Reader,
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
    index = name_index(connection)
    specs, parse_problems = parse_meal_with_problems(words, index.is_food, index.continues)
    collector = _Collector(connection, skip_unknown)
    for message in parse_problems:
        code = ProblemCode(getattr(message, "code", ProblemCode.NOT_UNDERSTOOD.value))
        collector.problem(str(message), getattr(message, "typed", ""), code)
    for spec in specs:
        collector.add(spec)
    if collector.problems:
        raise MealError(
            collector.problems,
            _("; ").join(collector.problems),
            unknown_food=collector.unknown_food,
            details=collector.details,
        )
    if not collector.entries:
        reasons = _("; ").join(_about(s.typed, s.reason) for s in collector.skipped)
        message = _("no item of the meal is a known food: {reasons}").format(reasons=reasons)
        raise MealError(
            [message],
            message,
            unknown_food=True,
            details=[s.problem for s in collector.skipped if s.problem is not None],
        )

    food_ids = [entry.match.food.id for entry in collector.entries.values() if isinstance(entry.match, Match)]
    totals = measurement_totals(connection, list(dict.fromkeys(food_ids)))
    items = [
        _item(entry, totals[entry.match.food.id] if isinstance(entry.match, Match) else [], connection)
        for entry in collector.entries.values()
    ]
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

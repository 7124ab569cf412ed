"""Plain result objects returned by the library API and rendered by the CLI.

They are detached from the database session, and ``to_dict`` gives the documented JSON shape
(numbers as numbers, ``null`` for "not published").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from ..storage.forms import FORMS
from ..storage.reads import Record
from .figures import k2_total, scale
from .vocabulary import tag_meaning


class MatchKind(str, Enum):
    """How a typed food was understood (d3k2db.lookup.matching); JSON gives the value."""

    EXACT = "exact"
    ALIAS = "alias"
    GENERIC = "generic"
    TYPO = "typo"
    NO_K2_EXPECTED = "no_k2_expected"  # no food: 0 µg K2 by a cited rule, not a measurement

    def __str__(self) -> str:
        return self.value


class ProblemCode(str, Enum):
    """Stable codes of meal problems: renderers word them in the chosen language."""

    UNKNOWN_FOOD = "unknown_food"  # no food matches (details: suggestions, several_foods)
    NOT_IN_DATABASE = "not_in_database"  # a common food d3k2db knows it has no entry for (term)
    NO_K2_FIGURE = "no_k2_figure"  # a food known to have no published K2 figure (term, why)
    UNIT_NOT_PUBLISHED = "unit_not_published"  # the food has no weight for the unit (food, unit, units)
    AMBIGUOUS = "ambiguous"  # an ambiguous number or a range (number)
    BAD_AMOUNT = "bad_amount"  # not a positive quantity, or beyond the bounds of one item
    NOT_UNDERSTOOD = "not_understood"  # no food after an amount, an unknown unit word, bad input

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Problem:
    """One thing a meal could not use: what was typed, a stable code and its details as data.
    ``message`` is the sentence in the chosen language (an extra: render from the fields);
    ``reason`` why one item was refused, without what was typed ('' when the problem is not one
    item's: a phrase not understood). ``details["items"]``: the items typed of a food whose
    amounts are too much only together."""

    typed: str
    kind: ProblemCode
    details: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    reason: str = ""

    @property
    def code(self) -> str:
        return self.kind.value

    def to_dict(self) -> dict[str, Any]:
        return {
            "typed": self.typed,
            "code": self.kind.value,
            "details": self.details,
            "message": self.message,
        }


@dataclass(frozen=True)
class Amount:
    """An amount of a meal item as understood: ``quantity`` × ``unit`` of ``grams_per_unit`` each.

    ``unit`` is the canonical unit (``package``, ``tbsp``, ``g``), the stored portion (``large``)
    for a count, or ``serving`` for no amount; ``typed_unit`` is the unit word as typed (盒, tub).
    ``source``: ``mass`` (a weight typed), ``portion`` (the food's own published portion),
    ``serving`` (its default serving), ``density`` (a volume through the food's volume portion),
    ``fallback`` (a cited unit weight of like foods: ``fallback`` names it) or ``rule``
    (no-K2-expected: the grams are as typed, or a 100 g reference).
    """

    quantity: float
    unit: str | None
    grams_per_unit: float
    grams: float
    source: str
    fallback: str | None = None
    typed_unit: str | None = None
    typed: str = ""

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _figures(row: Record) -> dict[str, float | None]:
    return {form: getattr(row, form) for form in FORMS}


def split_flags(text: str | None) -> list[str]:
    """'doubtful: … | outlier: …' → ['doubtful: …', 'outlier: …'] (flags are stored joined)."""
    return [flag.strip() for flag in (text or "").split(" | ") if flag.strip()]


def _coverage_note(row: Record) -> str | None:
    """'MK-4 only; MK-5 … not measured' when the row's figures are a partial measurement."""
    from .evidence import coverage_note, food_kind

    kind = food_kind(getattr(row, "category", None) or "", getattr(row, "name", None) or "")
    return coverage_note({**_figures(row), "total_k2_published": row.total_k2_published}, kind)


@dataclass(frozen=True)
class FoodSummary:
    """One search row: figures per 100 g and per default serving."""

    name: str
    category: str
    tag: str | None
    mk4: float | None
    mk7: float | None
    k2_total: float | None
    serving_g: float
    serving_label: str
    k2_per_serving: float | None
    is_custom: bool
    source: str | None
    main_form: str | None = None  # the largest measured form ('MK-9'), where forms are published
    coverage: str | None = None  # of the headline measurement: complete | total | partial
    coverage_note: str | None = None  # 'MK-4 only; MK-5 … MK-10 not measured' for a partial figure
    flags: list[str] = field(default_factory=list)  # 'kind: reason' when the headline is doubtful
    matched_alias: str | None = None  # a search hit found through an alias: that alias, as stored
    display_name: str = ""  # the name in the chosen language (d3k2db.lookup.names); '' = ``name``

    @property
    def shown(self) -> str:
        """The name to print: in the chosen language, else the English name."""
        return self.display_name or self.name

    @property
    def tag_meaning(self) -> str | None:
        """What the tag stands for: 'animal MK-4' or 'bacterial long-chain MK-7…MK-10' (a code)."""
        return tag_meaning(self.tag)

    @classmethod
    def of(cls, food: Record) -> FoodSummary:
        """From a search.FOOD_ROW row."""
        return cls(
            name=food.name,
            category=food.category,
            tag=food.tag or None,
            mk4=food.mk4,
            mk7=food.mk7,
            k2_total=food.k2_total,
            serving_g=food.serving_g,
            serving_label=food.serving_label,
            k2_per_serving=scale(food.k2_total, food.serving_g),
            is_custom=bool(food.is_custom),
            source=food.citation,
            main_form=food.main_form,
            coverage=food.coverage,
            coverage_note=_coverage_note(food),
            flags=split_flags(food.flags),
        )

    def to_dict(self) -> dict[str, Any]:
        return _with_tag_meaning(_named(asdict(self), "name", self.shown, self.name), self.tag_meaning)


def _with_tag_meaning(data: dict[str, Any], meaning: str | None) -> dict[str, Any]:
    """``tag_meaning`` right after ``main_form`` (or at the end): what the tag stands for."""
    keys = list(data)
    at = keys.index("main_form") + 1 if "main_form" in keys else len(keys)
    return {k: data[k] for k in keys[:at]} | {"tag_meaning": meaning} | {k: data[k] for k in keys[at:]}


def _named(data: dict[str, Any], key: str, shown: str, english: str) -> dict[str, Any]:
    """The JSON of a named result: ``key`` is the name in the chosen language, ``name_en`` beside it."""
    data.pop("display_name", None)
    data[key] = shown
    keys = list(data)
    at = keys.index(key) + 1
    return {k: data[k] for k in keys[:at]} | {"name_en": english} | {k: data[k] for k in keys[at:]}


@dataclass(frozen=True)
class MeasurementView:
    """One measurement of a food as every output shows it. Its curation notes (measurements.csv's
    ``notes``: where a figure was read, what is left to check) stay in the database: never shown."""

    source: str
    url: str | None
    locator: str | None
    source_food_name: str | None
    basis: str | None
    forms: dict[str, float | None]
    total_k2_published: float | None
    k2_total: float | None
    k1: float | None
    vitamin_d3: float | None
    coverage: str | None = None
    counted: bool = True  # False: repeats another measurement of the same publication and value
    same_as: str | None = None  # the counted measurement it repeats
    flags: list[str] = field(default_factory=list)
    publisher_url: str | None = None

    @classmethod
    def of(cls, row: Record) -> MeasurementView:
        """From a measurements row joined with its source's citation and url."""
        forms = _figures(row)
        return cls(
            source=row.citation,
            url=row.url,
            locator=row.locator,
            source_food_name=row.source_food_name,
            basis=row.basis,
            forms=forms,
            total_k2_published=row.total_k2_published,
            k2_total=k2_total({**forms, "total_k2_published": row.total_k2_published}),
            k1=row.k1,
            vitamin_d3=row.vitamin_d3,
            coverage=row.coverage,
            counted=bool(row.counted),
            same_as=row.same_as,
            flags=split_flags(row.flags),
            publisher_url=getattr(row, "publisher_url", None),
        )


@dataclass(frozen=True)
class PortionView:
    unit: str
    amount: float
    grams: float
    description: str | None
    source: str | None
    locator: str | None

    @property
    def grams_per_unit(self) -> float:
        return self.grams / self.amount


def _by_lang(aliases: list[tuple[str, str | None]]) -> dict[str, list[str]]:
    """Aliases grouped by language code ('' when none was given), each group sorted."""
    groups: dict[str, list[str]] = {}
    for alias, lang in aliases:
        groups.setdefault(lang or "", []).append(alias)
    return {lang: sorted(names) for lang, names in sorted(groups.items())}


@dataclass(frozen=True)
class FoodProfile:
    """Everything known about one food (``d3k2db show``)."""

    name: str
    category: str
    tag: str | None
    is_custom: bool
    forms: dict[str, float | None]
    total_k2_published: float | None
    k2_total: float | None
    k1: float | None
    vitamin_d3: float | None
    vitamin_d3_source: str | None
    serving_g: float
    serving_label: str
    k2_per_serving: float | None
    source: str | None
    url: str | None
    locator: str | None
    notes: str | None  # your own food's note (an import's); a seed food's notes are curation: None
    aliases: list[str] = field(default_factory=list)
    aliases_by_lang: dict[str, list[str]] = field(default_factory=dict)  # 'zh-Hant': ['納豆'] …
    portions: list[PortionView] = field(default_factory=list)
    measurements: list[MeasurementView] = field(default_factory=list)
    main_form: str | None = None
    coverage: str | None = None
    coverage_note: str | None = None
    flags: list[str] = field(default_factory=list)
    independent: int | None = None  # measurements counted once per publication and value
    agreeing: int | None = None  # of those, within a factor of 2 of the headline
    headline_reason: str | None = None
    tag_note: str | None = None
    publisher_url: str | None = None
    typed: str = ""  # the name as the user typed it
    match: str = "exact"  # how it was matched: exact | alias | generic | typo (d3k2db.lookup.matching)
    matched: str = ""  # the name, alias or generic word that matched
    alternatives: list[str] = field(default_factory=list)  # generic: the foods it may mean instead
    match_note: str | None = None
    display_name: str = ""  # the name in the chosen language; '' = ``name``

    @property
    def shown(self) -> str:
        return self.display_name or self.name

    @property
    def k2_range(self) -> tuple[float, float] | None:
        """Lowest and highest K2 total across the food's measurements."""
        totals = [m.k2_total for m in self.measurements if m.k2_total is not None]
        return (min(totals), max(totals)) if totals else None

    @classmethod
    def of(
        cls,
        food: Record,
        aliases: list[tuple[str, str | None]],
        portions: Sequence[Record],
        measurements: Sequence[Record],
    ) -> FoodProfile:
        return cls(
            name=food.name,
            category=food.category,
            tag=food.tag or None,
            is_custom=bool(food.is_custom),
            forms=_figures(food),
            total_k2_published=food.total_k2_published,
            k2_total=food.k2_total,
            k1=food.k1,
            vitamin_d3=food.vitamin_d3,
            vitamin_d3_source=food.vitamin_d3_source,
            serving_g=food.serving_g,
            serving_label=food.serving_label,
            k2_per_serving=scale(food.k2_total, food.serving_g),
            source=food.citation,
            url=food.url,
            locator=food.locator,
            notes=food.notes if food.is_custom else None,
            aliases=sorted(alias for alias, _lang in aliases),
            aliases_by_lang=_by_lang(aliases),
            portions=[
                PortionView(p.unit, p.amount, p.grams, p.description, p.source, p.locator) for p in portions
            ],
            measurements=[MeasurementView.of(m) for m in measurements],
            main_form=food.main_form,
            coverage=food.coverage,
            coverage_note=_coverage_note(food),
            flags=split_flags(food.flags),
            independent=food.independent,
            agreeing=food.agreeing,
            headline_reason=food.headline_reason,
            tag_note=food.tag_note,
            publisher_url=getattr(food, "publisher_url", None),
        )

    @property
    def tag_meaning(self) -> str | None:
        return tag_meaning(self.tag)

    def to_dict(self) -> dict[str, Any]:
        data = _named(asdict(self), "name", self.shown, self.name)
        low_high = self.k2_range
        data["k2_range"] = list(low_high) if low_high else None
        return _with_tag_meaning(data, self.tag_meaning)


@dataclass(frozen=True)
class MealItem:
    """One food of a meal, with the amount understood and the K2 it brings (µg)."""

    typed: str
    food: str
    tag: str | None
    is_custom: bool
    grams: float
    interpretation: str
    forms: dict[str, float | None]
    k2: float | None
    k2_range: tuple[float, float] | None  # µg in this amount, lowest–highest measurement
    k1: float | None
    vitamin_d3: float | None
    match: str = "exact"  # a MatchKind value: exact | alias | generic | typo | no_k2_expected
    matched: str = ""  # the name, alias or generic word that matched
    alternatives: list[str] = field(default_factory=list)  # generic: the foods it may mean instead
    match_note: str | None = None  # 'typo: read …', 'generic; also: …' (None for exact and alias)
    dropped: list[str] = field(default_factory=list)  # filler words left out ("I had", "some")
    fallback: str | None = None  # the cited fallback unit weight used, if any
    flags: list[str] = field(default_factory=list)  # the food's figure is doubtful: 'kind: reason'
    coverage_note: str | None = None  # 'MK-4 only; …' when the food's figure is partial
    main_form: str | None = None  # the food's largest measured form ('MK-9'), where forms are published
    display_name: str = ""  # the food's name in the chosen language; '' = ``food``
    amounts: list[Amount] = field(default_factory=list)  # one per time the food was named
    rule: str | None = None  # no_k2_expected: the rule's citation (K2 0 by rule, not a measurement)

    @property
    def shown(self) -> str:
        return self.display_name or self.food

    @property
    def tag_meaning(self) -> str | None:
        return tag_meaning(self.tag)

    def to_dict(self) -> dict[str, Any]:
        data = _named(asdict(self), "food", self.shown, self.food)
        data["match"] = str(self.match)
        data["k2_range"] = list(self.k2_range) if self.k2_range else None
        return _with_tag_meaning(data, self.tag_meaning)


@dataclass(frozen=True)
class SkippedItem:
    """A meal item left out with ``skip_unknown``: what was typed, why, and the closest foods."""

    typed: str
    reason: str
    suggestions: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    problem: Problem | None = None  # the reason as data

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["problem"] = self.problem.to_dict() if self.problem else None
        return data


@dataclass(frozen=True)
class D3Check:
    """Does a meal's K2 cover a vitamin D3 dose at the ratio? (µg K2, IU D3)"""

    dose_iu: float
    k2_needed_ug: float
    k2_ug: float

    @property
    def covered(self) -> bool:
        return self.k2_ug >= self.k2_needed_ug

    @property
    def k2_missing_ug(self) -> float:
        return max(0.0, self.k2_needed_ug - self.k2_ug)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "covered": self.covered, "k2_missing_ug": self.k2_missing_ug}


@dataclass(frozen=True)
class TargetCheck:
    """A meal's K2 against a daily K2 target (µg)."""

    target_ug: float
    k2_ug: float

    @property
    def share(self) -> float:
        return self.k2_ug / self.target_ug

    @property
    def missing_ug(self) -> float:
        return max(0.0, self.target_ug - self.k2_ug)

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "share": self.share, "missing_ug": self.missing_ug}


@dataclass(frozen=True)
class MealResult:
    items: list[MealItem]
    forms: dict[str, float | None]
    k2: float
    vitamin_d3: float | None
    ratio_ug_per_10000_iu: float
    pairs_with_d3_iu: float
    d3_check: D3Check | None = None
    target_check: TargetCheck | None = None
    skipped: list[SkippedItem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # e.g. above the vitamin D upper intake level

    @property
    def partial(self) -> bool:
        """Some items were skipped: the total covers only the items listed."""
        return bool(self.skipped)

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [item.to_dict() for item in self.items],
            "skipped": [item.to_dict() for item in self.skipped],
            "partial": self.partial,
            "total": {
                "forms": self.forms,
                "k2": self.k2,
                "vitamin_d3": self.vitamin_d3,
                "partial": self.partial,
            },
            "ratio_ug_k2_per_10000_iu_d3": self.ratio_ug_per_10000_iu,
            "pairs_with_d3_iu": self.pairs_with_d3_iu,
            "d3": self.d3_check.to_dict() if self.d3_check else None,
            "target": self.target_check.to_dict() if self.target_check else None,
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class PairOption:
    """How much of one food gives the K2 a D3 dose calls for."""

    food: FoodSummary
    grams: float
    household: str | None  # e.g. '0.6 × 1 cup (175 g)', from the food's own portions

    def to_dict(self) -> dict[str, Any]:
        return {
            "food": self.food.shown,
            "name_en": self.food.name,
            "tag": self.food.tag,
            "main_form": self.food.main_form,
            "tag_meaning": self.food.tag_meaning,
            "is_custom": self.food.is_custom,
            "k2_per_100g": self.food.k2_total,
            "grams": self.grams,
            "household": self.household,
            "flags": self.food.flags,
            "coverage_note": self.food.coverage_note,
        }


@dataclass(frozen=True)
class PairResult:
    d3_iu: float
    ratio_ug_per_10000_iu: float
    k2_needed_ug: float
    options: list[PairOption]
    warnings: list[str] = field(default_factory=list)
    include_flagged: bool = False  # flagged foods were ranked too

    def to_dict(self) -> dict[str, Any]:
        return {
            "d3_iu": self.d3_iu,
            "ratio_ug_k2_per_10000_iu_d3": self.ratio_ug_per_10000_iu,
            "k2_needed_ug": self.k2_needed_ug,
            "foods": [option.to_dict() for option in self.options],
            "warnings": self.warnings,
        }


@dataclass(frozen=True)
class SourceSummary:
    """One published reference: its citation, the copy the figures were read from, the publisher's
    own page, and how many measurements it supplied."""

    citation: str
    url: str | None
    publisher_url: str | None
    measurements: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

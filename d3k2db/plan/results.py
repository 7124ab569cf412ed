"""The typed results of a plan. ``to_dict`` gives the JSON shape (README, JSON: ``plan``); the
sentences are made by d3k2db.output.plans and the web page, from these fields."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..domain.figures import RULE_OF_THUMB_NOTE, WARFARIN_NOTE, d3_pairing_iu, fmt_number
from ..domain.results import MealResult
from ..domain.vocabulary import g, tag_meaning, with_weight, word
from ..i18n import _

_OUNCES = re.compile(r"^(?:(?P<n>\d+(?:\.\d+)?) )?oz$")


def half(count: float) -> str:
    """0.5 → '½', 1.5 → '1½', 2 → '2': a count in half-steps as one writes it."""
    whole, rest = divmod(round(count * 2), 2)
    return f"{whole or ''}½" if rest else str(whole)


def _grams(value: float) -> str:
    return g(fmt_number(round(value, 1)))


@dataclass(frozen=True)
class PlanItem:
    """One food of a plan: ``count`` × ``unit`` of ``grams_per_unit`` g, and the K2 it gives (µg).

    ``amount_source``: ``serving`` (the food's published default serving), ``portion`` (another of
    its published household portions) or ``fallback`` (a cited weight of a like food:
    data/unit_fallbacks.csv, named in ``fallback``).
    """

    food: str
    category: str
    tag: str | None
    main_form: str | None
    is_custom: bool
    count: float
    unit: str
    grams_per_unit: float
    grams: float
    amount_source: str
    k2_per_100g: float
    k2: float
    fallback: str | None = None
    flags: list[str] = field(default_factory=list)
    coverage_note: str | None = None
    liked: bool = False
    display_name: str = ""

    @property
    def shown(self) -> str:
        return self.display_name or self.food

    @property
    def amount(self) -> str:
        """The amount as the tables and the page say it, in the chosen language, and in brackets
        the item's total weight: '½ × package (25 g)', '3 × patty (90 g)'; ounces as ounces:
        '4½ oz (127.5 g)'. The weight of one unit is ``grams_per_unit``."""
        ounces = _OUNCES.match(self.unit)
        if ounces is not None:
            total = self.count * float(ounces["n"] or 1)
            shown = half(total) if abs(total * 2 - round(total * 2)) < 1e-9 else fmt_number(total)
            label = f"{shown} {word('oz')}"
        else:
            label = f"{half(self.count)} × {word(self.unit)}"
        return with_weight(label, _grams(self.grams))

    def to_dict(self) -> dict[str, Any]:
        return {
            "food": self.shown,
            "name_en": self.food,
            "category": self.category,
            "tag": self.tag,
            "main_form": self.main_form,
            "tag_meaning": tag_meaning(self.tag),
            "is_custom": self.is_custom,
            "count": self.count,
            "unit": self.unit,
            "grams_per_unit": self.grams_per_unit,
            "grams": self.grams,
            "amount_source": self.amount_source,
            "amount": self.amount,
            "fallback": self.fallback,
            "k2_per_100g": self.k2_per_100g,
            "k2": self.k2,
            "flags": self.flags,
            "coverage_note": self.coverage_note,
            "liked": self.liked,
        }


@dataclass(frozen=True)
class Plan:
    """One way to reach the K2 still needed: ``items`` and their K2 (µg); ``eaten_k2_ug`` is what the
    meal already eaten gave."""

    items: list[PlanItem]
    k2_to_plan_ug: float
    eaten_k2_ug: float
    ratio_ug_per_10000_iu: float

    @property
    def k2(self) -> float:
        return sum(item.k2 for item in self.items)

    @property
    def total_k2_ug(self) -> float:
        """The day's K2: the meal already eaten and this plan."""
        return self.eaten_k2_ug + self.k2

    @property
    def pairs_with_d3_iu(self) -> float:
        return d3_pairing_iu(self.total_k2_ug, self.ratio_ug_per_10000_iu)

    @property
    def shortfall_ug(self) -> float:
        return max(0.0, self.k2_to_plan_ug - self.k2)

    @property
    def overshoot_ug(self) -> float:
        return max(0.0, self.k2 - self.k2_to_plan_ug)

    @property
    def reaches(self) -> bool:
        return self.shortfall_ug <= 1e-9

    @property
    def main(self) -> PlanItem:
        """The item that gives the most K2: the one the next plans leave out (docs/plan.md)."""
        return max(self.items, key=lambda item: item.k2)

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": [item.to_dict() for item in self.items],
            "k2": self.k2,
            "total_k2": self.total_k2_ug,
            "pairs_with_d3_iu": self.pairs_with_d3_iu,
            "reaches_target": self.reaches,
            "shortfall_ug": self.shortfall_ug,
            "overshoot_ug": self.overshoot_ug,
            "main_food": self.main.food,
        }


@dataclass(frozen=True)
class PlanResult:
    """The plans for a D3 dose (``d3_iu``) or a K2 target (``target_ug``), after a meal already eaten."""

    k2_needed_ug: float
    ratio_ug_per_10000_iu: float
    d3_iu: float | None
    target_ug: float | None
    eaten: MealResult | None
    plans: list[Plan]
    diets: list[str]
    like: list[str]
    avoid: list[str]
    max_items: int
    count: int
    include_doubtful: bool
    foods_considered: int
    like_unused: list[str] = field(default_factory=list)  # liked words no usable food answers to
    warnings: list[str] = field(default_factory=list)  # e.g. a dose above the upper intake level

    @property
    def eaten_k2_ug(self) -> float:
        return self.eaten.k2 if self.eaten is not None else 0.0

    @property
    def k2_to_plan_ug(self) -> float:
        """The K2 still needed once the meal already eaten is counted."""
        return max(0.0, self.k2_needed_ug - self.eaten_k2_ug)

    @property
    def covered(self) -> bool:
        """The meal already eaten gives all the K2 needed: there is nothing to plan."""
        return self.k2_to_plan_ug <= 1e-9

    @property
    def partial(self) -> bool:
        """Some items of the meal already eaten were refused: its K2 is a partial total."""
        return self.eaten is not None and self.eaten.partial

    @property
    def safety(self) -> list[str]:
        """The words every plan comes with, in the chosen language."""
        ratio = fmt_number(self.ratio_ug_per_10000_iu)
        return [_(WARFARIN_NOTE), _(RULE_OF_THUMB_NOTE).format(ratio=ratio)]

    def to_dict(self) -> dict[str, Any]:
        return {
            "d3_iu": self.d3_iu,
            "target_ug": self.target_ug,
            "ratio_ug_k2_per_10000_iu_d3": self.ratio_ug_per_10000_iu,
            "k2_needed_ug": self.k2_needed_ug,
            "eaten": self.eaten.to_dict() if self.eaten is not None else None,
            "eaten_k2_ug": self.eaten_k2_ug,
            "k2_to_plan_ug": self.k2_to_plan_ug,
            "covered": self.covered,
            "options": {
                "diets": self.diets,
                "like": self.like,
                "avoid": self.avoid,
                "max_items": self.max_items,
                "count": self.count,
                "include_doubtful": self.include_doubtful,
            },
            "foods_considered": self.foods_considered,
            "like_unused": self.like_unused,
            "plans": [plan.to_dict() for plan in self.plans],
            "warnings": self.warnings,
            "safety": self.safety,
        }

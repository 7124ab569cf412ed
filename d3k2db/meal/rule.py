"""The no-K2-expected rule in a meal: an unfermented plant food or plain drink that no table here
measures (data/no_k2_expected.csv: water, herbal tea, apple …) counts 0 µg K2 by a cited rule —
menaquinones are made by bacteria and, as MK-4, in animal tissue (Booth 2012, Food Nutr Res
56:5505) — marked as a rule (``match: no_k2_expected``, ``rule``: the citation), never as a
measurement. A word that is a food or a generic word here is never read by the rule.

Its grams: a mass as typed; a volume at 1 g per ml (a drink's density, near enough for a food
that counts 0); otherwise (no amount, a count, another unit) a 100 g reference per unit, said so.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..domain import units
from ..domain.figures import fmt_number
from ..domain.results import Amount, MatchKind, MealItem
from ..domain.vocabulary import g, ml
from ..domain.vocabulary import word as unit_word
from ..i18n import _
from ..lookup.matching import Rule
from ..storage.forms import FORMS
from .amounts import Reading
from .parser import ItemSpec

#: Grams of one unit of a rule item given without a mass or volume: the 100 g reference.
REFERENCE_G = 100.0


def _vessel_ml(unit: str | None) -> tuple[float, str] | None:
    """(ml, citation) of a vessel every food may be measured in (data/unit_fallbacks.csv, 'any')."""
    from .amounts import fallbacks

    for fallback in fallbacks():
        if fallback.unit == unit and fallback.applies_to == "any" and fallback.millilitres:
            return fallback.millilitres, fallback.describe()
    return None


def rule_reading(spec: ItemSpec, rule: Rule) -> Reading:
    """The grams of an item read by the rule, as data and as a sentence."""
    quantity = spec.quantity if spec.quantity is not None else 1.0
    unit = spec.unit
    fallback: str | None = None
    if units.is_mass(unit or ""):
        per_unit = units.MASS_G[unit or ""]
    elif units.is_volume(unit or ""):
        per_unit = units.VOLUME_ML[unit or ""]  # 1 g per ml
    elif (vessel := _vessel_ml(unit)) is not None:  # a glass of water: the cited 240 ml glass
        per_unit, fallback = vessel
    else:
        per_unit, unit = REFERENCE_G, None
    amount = Amount(
        quantity, unit, per_unit, quantity * per_unit, "rule", fallback, spec.typed_unit, spec.text
    )
    grams = g(fmt_number(round(amount.grams, 1)))
    if unit is None:
        how = _("{count} × {reference} reference = {grams}, no K2 expected").format(
            count=fmt_number(quantity), reference=g(fmt_number(REFERENCE_G)), grams=grams
        )
    elif fallback is not None:  # the [no K2 expected …] mark beside it says the rest
        how = _("{count} × {unit} ({per_unit}, fallback) = {grams}").format(
            count=fmt_number(quantity), unit=unit_word(unit), per_unit=ml(fmt_number(per_unit)), grams=grams
        )
    else:
        how = _("{amount} = {grams}, no K2 expected").format(
            amount=f"{fmt_number(quantity)} {unit_word(unit)}", grams=grams
        )
    return Reading(amount, f"{spec.text} → {how}")


def rule_item(rule: Rule, texts: list[str], readings: Sequence[Reading], dropped: list[str]) -> MealItem:
    """The meal row of a word read by the rule: K2 0 µg, every form unmeasured (None)."""
    grams = sum(reading.grams for reading in readings)
    return MealItem(
        typed=", ".join(texts),
        food=rule.term,
        tag=None,
        is_custom=False,
        grams=grams,
        interpretation="; ".join(reading.how for reading in readings),
        forms=dict.fromkeys(FORMS),
        k2=0.0,
        k2_range=None,
        k1=None,
        vitamin_d3=None,
        match=MatchKind.NO_K2_EXPECTED,
        matched=rule.term,
        match_note=_("no K2 expected: {note} (a rule, not a measurement)").format(note=rule.term),
        dropped=dropped,
        amounts=[reading.amount for reading in readings],
        rule=rule.citation,
    )

"""Arithmetic on K2 figures that every part of the tool must agree on."""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..i18n import N_
from ..storage.forms import FORMS, LONG_CHAIN_FORMS, TAGS  # the forms a source may give: the schema's columns

FORM_LABELS = {form: f"MK-{form[2:]}" for form in FORMS}  # 'mk4' → 'MK-4', as every output spells it


def tag_spelling(value: str) -> str | None:
    """The kind tag ('MK-4' or 'MK-7') however it is typed: 'mk4', 'MK 4', 'mk_7', 'Mk-7'; None
    when ``value`` spells neither (the caller words the refusal)."""
    compact = re.sub(r"[\s_-]", "", value).upper()
    return next((tag for tag in TAGS if tag.replace("-", "") == compact), None)


def k2_total(figures: Mapping[str, float | None]) -> float | None:
    """The sum of the published forms; the published total when no form is published; else None.

    ``figures`` maps mk4…mk10 and ``total_k2_published`` to µg/100 g or None (not published).
    """
    forms = [figures.get(form) for form in FORMS]
    published = [value for value in forms if value is not None]
    if published:
        return round(sum(published), 6)
    return figures.get("total_k2_published")


def long_chain_total(figures: Mapping[str, float | None]) -> float | None:
    values = [figures.get(form) for form in LONG_CHAIN_FORMS]
    published = [value for value in values if value is not None]
    return round(sum(published), 6) if published else None


def scale(value: float | None, grams: float) -> float | None:
    """µg per 100 g → µg in ``grams`` of the food; None stays None (not published)."""
    return None if value is None else value * grams / 100.0


def fmt_number(value: float) -> str:
    """1 → '1', 1.5 → '1.5', 0.3333 → '0.33': quantities as a person writes them."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


# The rule of thumb this tool exists for: 100 µg K2 (MK-7) per 10,000 IU vitamin D3.
DEFAULT_RATIO_UG_PER_10000_IU = 100.0
IU_PER_UG_D3 = 40.0  # vitamin D: 1 µg = 40 IU


def d3_pairing_iu(k2_ug: float, ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU) -> float:
    """The vitamin D3 dose (IU) that ``k2_ug`` pairs with at the given ratio."""
    return k2_ug / ratio_ug_per_10000_iu * 10_000.0


def k2_needed_ug(d3_iu: float, ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU) -> float:
    """The K2 (µg) that a vitamin D3 dose (IU) calls for at the given ratio."""
    return d3_iu / 10_000.0 * ratio_ug_per_10000_iu


# Bounds of the pairing options (README, "The ratio"): a dose, a ratio or a target outside them is
# a typing slip, not a plan.
MAX_D3_IU = 100_000.0
RATIO_RANGE = (1.0, 1000.0)  # µg K2 per 10,000 IU D3; the rule of thumb is 100
MAX_TARGET_UG = 10_000.0

# The words that go with every pairing a person may act on (README, the web page's footer, `plan`).
WARFARIN_NOTE = N_(
    "Not medical advice. Vitamin K counteracts warfarin-type anticoagulants: if you take one, talk to "
    "your doctor before changing how much vitamin K you eat or take."
)
RULE_OF_THUMB_NOTE = N_(
    "The ratio of {ratio} µg K2 per 10,000 IU D3 is a rule of thumb from supplement practice, not a dose."
)

# The adult tolerable upper intake level of vitamin D.
D3_UPPER_LIMIT_IU = 4_000.0
D3_UPPER_LIMIT_SOURCE = (
    "Institute of Medicine, Dietary Reference Intakes for Calcium and Vitamin D, 2011, "
    "https://doi.org/10.17226/13050"
)


def dose_warnings(d3_iu: float | None) -> list[str]:
    """The one note on a D3 dose above the adult upper intake level (`pair`, `plan`, `meal --d3`);
    none at or below it, or without a dose."""
    if d3_iu is None or d3_iu <= D3_UPPER_LIMIT_IU:
        return []
    from ..i18n import _

    return [
        _(
            "{dose} IU is above {limit} IU a day, the tolerable upper intake level "
            "of vitamin D for adults ({source}); take more only on medical advice."
        ).format(dose=f"{d3_iu:,.0f}", limit=f"{D3_UPPER_LIMIT_IU:,.0f}", source=D3_UPPER_LIMIT_SOURCE)
    ]


def check_pairing_options(ratio: float, d3_iu: float | None) -> None:
    """A ratio inside RATIO_RANGE and a D3 dose above 0 and at most MAX_D3_IU, or UsageError."""
    from ..errors import UsageError
    from ..i18n import _

    require_positive(_("ratio"), ratio)
    low, high = RATIO_RANGE
    if not low <= ratio <= high:
        raise UsageError(
            _(
                "ratio {ratio} is outside {low}–{high} µg K2 per 10,000 IU D3 (the rule of thumb is 100)"
            ).format(ratio=f"{ratio:g}", low=f"{low:g}", high=f"{high:g}")
        )
    if d3_iu is not None:
        require_positive(_("D3 dose"), d3_iu)
        if d3_iu > MAX_D3_IU:
            raise UsageError(
                _("D3 dose {dose} IU is above {limit} IU: check the number").format(
                    dose=f"{d3_iu:,.0f}", limit=f"{MAX_D3_IU:,.0f}"
                )
            )


def check_meal_options(ratio: float, d3_iu: float | None, target_ug: float | None) -> None:
    """check_pairing_options, and a daily K2 target above 0 and at most MAX_TARGET_UG µg."""
    from ..errors import UsageError
    from ..i18n import _

    check_pairing_options(ratio, d3_iu)
    if target_ug is not None:
        require_positive(_("K2 target"), target_ug)
        if target_ug > MAX_TARGET_UG:
            raise UsageError(
                _("K2 target {target} µg is above {limit} µg: check the number").format(
                    target=f"{target_ug:,.0f}", limit=f"{MAX_TARGET_UG:,.0f}"
                )
            )


def require_positive(option: str, value: float) -> None:
    """Ratios, doses and targets must be finite numbers above zero."""
    import math

    from ..errors import UsageError
    from ..i18n import _

    if not (math.isfinite(value) and value > 0):
        raise UsageError(
            _("{option} must be a number greater than 0, not {value}").format(
                option=option, value=f"{value:g}"
            )
        )


# The MK-4/MK-7 tag summarises a food's kind (docs/data.md, "Tag rule").
FERMENTED_CATEGORIES = ("cheese", "fermented_soy", "fermented_vegetable")
FERMENTED_DAIRY_WORDS = (
    "yogurt", "yoghurt", "kefir", "quark", "sour cream", "crème fraîche", "creme fraiche", "buttermilk",
    "fermented", "ayran", "skyr",
)  # fmt: skip
ANIMAL_CATEGORIES = ("dairy", "egg", "meat", "poultry", "organ", "fish", "fat")


def kind_tag(category: str, name: str, figures: Mapping[str, float | None]) -> str:
    """MK-7 for bacterially fermented foods, MK-4 for animal tissue and animal products; a food of
    neither kind is tagged by its published forms (MK-4 unless the long-chain forms outweigh it), and
    not at all ('') when only a total is published: a pizza's total says nothing of its forms."""
    category, name = category.casefold(), name.casefold()
    if category in FERMENTED_CATEGORIES or (
        category == "dairy" and any(word in name for word in FERMENTED_DAIRY_WORDS)
    ):
        return "MK-7"
    if category in ANIMAL_CATEGORIES:
        return "MK-4"
    if all(figures.get(form) is None for form in FORMS):
        return ""  # a dish or plant food with a total only: its forms, and so its kind of K2, are unknown
    return "MK-7" if (long_chain_total(figures) or 0.0) > (figures.get("mk4") or 0.0) else "MK-4"


def too_large_message() -> str:
    """What an OverflowError means here: figures are bounded when written (records.MAX_FIGURE_UG),
    so only a figure stored before the bound existed can overflow a sum or a rounding."""
    from ..i18n import _

    return _(
        "a number is too large: a figure stored in this database is beyond 100,000 µg per 100 g "
        "(it was written before d3k2db 0.4.0 bounded the figures); correct that food or remove it"
    )

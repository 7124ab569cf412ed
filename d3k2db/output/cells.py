"""Cells of the tables: figures (µg, grams, IU), servings, food names and tags as a reader reads
them; '—' for a figure not published, never 0."""

from __future__ import annotations

from ..domain.figures import FORM_LABELS, fmt_number
from ..domain.results import FoodSummary
from ..domain.text import search_key
from ..domain.vocabulary import g, label, tag_text, with_weight
from ..i18n import _
from ..storage.forms import FORMS

DASH = "—"

Table = tuple[str, list[str], list[list[str]]]  # title, headers, rows


def ug(value: float | None) -> str:
    """µg figure for a table: '—' when not published; two decimals below 1, one above."""
    if value is None:
        return DASH
    if value == 0:
        return "0"  # measured, not detected
    return f"{value:.2f}" if abs(value) < 1 else f"{value:.1f}"


def grams(value: float) -> str:
    return fmt_number(round(value, 1))


def serving(label_text_: str, weight_g: float) -> str:
    """'1 large (50 g)'; a serving already given in grams is not repeated ('100 g')."""
    shown = label(label_text_)
    return shown if label_text_.endswith(" g") else with_weight(shown, g(grams(weight_g)))


def iu(value: float) -> str:
    return _("{amount} IU").format(amount=f"{round(value):,}")


def food_label(name: str, is_custom: bool) -> str:
    return _("{name} (custom)").format(name=name) if is_custom else name


def found_alias(food: FoodSummary) -> str | None:
    """The alias a search hit was found through, unless it is the name shown (納豆 in Chinese)."""
    alias = food.matched_alias
    return alias if alias and search_key(alias) != search_key(food.shown) else None


def found_as(food: FoodSummary) -> str:
    """A search hit's name, with the alias it was found through when that is not the name shown:
    'dutch cheese 48+, low-sodium (alias: natriumarme kaas)'."""
    label_ = food_label(food.shown, food.is_custom)
    alias = found_alias(food)
    return _("{name} (alias: {alias})").format(name=label_, alias=alias) if alias else label_


def tag_cell(tag: str | None, main_form: str | None) -> str:
    """The tag as a reader must read it (vocabulary.tag_text): 'MK-7 · main MK-9', 'long-chain
    (MK-7…MK-10)', 'MK-4'; '—' for none."""
    return tag_text(tag, main_form) or DASH


def quoted(text: str) -> str:
    """What the user typed, quoted as the chosen language quotes: 'natto' / 「納豆」."""
    return _("'{text}'").format(text=text)


def other_forms(forms: dict[str, float | None]) -> str:
    parts = [
        f"{FORM_LABELS[f]} {ug(forms[f])}" for f in FORMS if f not in ("mk4", "mk7") and forms[f] is not None
    ]
    return ", ".join(parts) if parts else DASH

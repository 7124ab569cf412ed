"""The one list of a food's values (``FIELDS``): name, type, help, default and bound of each.

``records.FoodSpec.of`` takes them by these names and checks them; the options of ``d3k2db add``
(cli/foods.py) and the body of the web's ``POST /api/foods`` (web/api.py) are generated from this
list, so no other module lists a food's values. It imports nothing heavy: ``d3k2db --help`` builds
``add``'s options from it without loading SQLAlchemy. A text's bound is named as the schema's column
(``records.text_limit`` reads its length), so the schema stays the one place of those numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..i18n import N_

MAX_URL = 10_000

DEFAULT_SOURCE = "user-entered"
DEFAULT_CATEGORY = "custom"
DEFAULT_SERVING_G = 100.0
# The most a figure may be, in µg per 100 g: every K2 form, the total, K1 and vitamin D3 alike.
# 100,000 µg/100 g is 0.1 % of the food's weight — 40 times the richest food in the seed (2,515.7 µg
# MK-4; its most D3 is 16.7 µg) — and keeps every sum, per-serving figure and meal total finite:
# an unbounded 1e308 made `meal … --format json` print Infinity and the web /meal page fail.
MAX_FIGURE_UG = 100_000.0
# The most a serving or a portion may weigh, in grams (100 kg; the seed's largest portion is 2,970 g),
# so that a figure per serving stays finite too.
MAX_SERVING_G = 100_000.0


@dataclass(frozen=True)
class Field:
    """One value of a food as a person gives it: an argument of ``FoodSpec.of``, an option of
    ``d3k2db add`` and a key of the web's ``POST /api/foods`` — all three made from ``FIELDS``."""

    name: str  # the argument's and the JSON key's name; the option is --name-with-dashes
    kind: type  # float, str or list (of str: repeatable)
    help: str  # N_(): translated where it is shown
    default: float | str | None = None
    # a number's largest value, or the schema's column ("table.column") whose length bounds a text
    limit: float | str | None = None
    column: str | None = None  # the schema's column, where it differs from the name
    flags: tuple[str, ...] = ()  # the option's spellings, where they differ from --name
    figure: bool = False  # µg per 100 g (FIGURE_NAMES, bounded by MAX_FIGURE_UG)
    offered: bool = True  # an option of `add` and a key of the web's model (locator is the seed's)

    @property
    def stored_as(self) -> str:
        return self.column or self.name


def _figure(name: str, text: str, column: str | None = None, flags: tuple[str, ...] = ()) -> Field:
    return Field(name, float, text, limit=MAX_FIGURE_UG, column=column, flags=flags, figure=True)


# The one list of a food's values: order, names, types, help, defaults and bounds.
FIELDS: tuple[Field, ...] = (
    Field("name", str, N_("Your food's name (must not be a food's name or alias)."), limit="foods.name"),
    _figure("mk4", N_("MK-4, µg per 100 g.")),
    _figure("mk5", N_("MK-5, µg per 100 g.")),
    _figure("mk6", N_("MK-6, µg per 100 g.")),
    _figure("mk7", N_("MK-7, µg per 100 g.")),
    _figure("mk8", N_("MK-8, µg per 100 g.")),
    _figure("mk9", N_("MK-9, µg per 100 g.")),
    _figure("mk10", N_("MK-10, µg per 100 g.")),
    # the one place total_k2 (what people, the CSV and the API say) meets total_k2_published (the column)
    _figure(
        "total_k2",
        N_("A total K2 (µg/100 g) when the forms are not known."),
        column="total_k2_published",
        flags=("--total",),
    ),
    _figure("k1", N_("Vitamin K1, µg per 100 g.")),
    _figure("vitamin_d3", N_("Vitamin D3, µg per 100 g.")),
    Field(
        "category",
        str,
        N_("Category, e.g. cheese."),
        default=DEFAULT_CATEGORY,
        limit="foods.category",
        flags=("--category", "-c"),
    ),
    Field("tag", str, N_("MK-4 or MK-7; inferred from the forms when left out."), limit="foods.tag"),
    Field(
        "serving_g", float, N_("Default serving in grams."), default=DEFAULT_SERVING_G, limit=MAX_SERVING_G
    ),
    Field("serving_label", str, N_("How the serving reads, e.g. '1 slice'."), limit="foods.serving_label"),
    Field("aliases", list, N_("Another name (repeatable)."), limit="aliases.alias", flags=("--alias",)),
    Field(
        "source", str, N_("Where the figures come from (default: user-entered)."), limit="sources.citation"
    ),
    Field("url", str, N_("The source's URL."), limit=MAX_URL),
    Field("locator", str, "", limit="foods.locator", offered=False),
)
FIELD_NAMES = frozenset(field.name for field in FIELDS)
FIGURE_NAMES = tuple(field.stored_as for field in FIELDS if field.figure)
SPOKEN = {field.stored_as: field.name for field in FIELDS}  # total_k2_published -> total_k2

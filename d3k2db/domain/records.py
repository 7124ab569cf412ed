"""The one record of a food's values (``FoodSpec``) and the one set of rules those values obey.

Every writer of foods — the seed (exchange/seed.py), ``add`` (exchange/custom.py), ``import``
(exchange/transfer.py) and the FDC import (exchange/fdc) — checks a value with these functions, so
each rule is written once: a figure is a finite number ≥ 0 and ≤ MAX_FIGURE_UG (µg/100 g) or None
(not published); a food has at least one K2 form or a total, and its K2 total ≤ MAX_FIGURE_UG too; a
serving weight is > 0 and ≤ MAX_SERVING_G; text is plain text (``check_plain``: no control,
bidirectional or invisible character) and fits its column (MAX_*, read from the schema); a tag is
MK-4, MK-7 or empty, spelled any common way ('mk4', 'MK 7'). A broken rule raises
``Invalid(column, problem)``; each caller adds its own file, line or option to the message.

This module must stay free of pandas: the CLI imports it (through custom.py) for ``add``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import Invalid
from ..i18n import _
from ..storage.forms import FORMS, MAX_NAME
from ..storage.tables import foods, sources, width
from .evidence import own_food
from .figures import k2_total, kind_tag, tag_spelling
from .food_fields import (
    DEFAULT_CATEGORY,
    DEFAULT_SERVING_G,
    DEFAULT_SOURCE,
    FIELD_NAMES,
    FIELDS,
    FIGURE_NAMES,
    MAX_FIGURE_UG,
    MAX_SERVING_G,
    MAX_URL,
    SPOKEN,
    Field,
)
from .text import char_kind, char_name, not_text, search_key

if TYPE_CHECKING:
    pass

# Column widths, read from the schema: checked before writing so PostgreSQL never sees an over-long
# value (the longest name, MAX_NAME, is declared beside the schema in storage/tables.py).
MAX_CATEGORY = width(foods.c.category)
MAX_LABEL = width(foods.c.serving_label)
MAX_CITATION = width(sources.c.citation)
MAX_LOCATOR = width(foods.c.locator)

__all__ = [
    "ALIAS_SEPARATOR",
    "DEFAULT_CATEGORY",
    "DEFAULT_SERVING_G",
    "DEFAULT_SOURCE",
    "FIELDS",
    "FIGURE_NAMES",
    "MAX_CATEGORY",
    "MAX_CITATION",
    "MAX_FIGURE_UG",
    "MAX_LABEL",
    "MAX_LOCATOR",
    "MAX_NAME",
    "MAX_SERVING_G",
    "MAX_URL",
    "TOTAL_TOLERANCE_UG",
    "Field",
    "FoodSpec",
    "Invalid",
    "build_spec",
    "check_alias",
    "check_figure",
    "check_figures",
    "check_name",
    "check_plain",
    "check_serving_g",
    "check_text",
    "check_url",
    "default_label",
    "default_tag",
    "figure_from_text",
    "is_figure",
    "normalize_tag",
    "not_a_number",
    "out_of_range",
    "text_limit",
    "too_large",
]

# Aliases travel in one CSV cell joined by " | ", so an alias may not contain the bar itself.
ALIAS_SEPARATOR = "|"
# A published total may be rounded; a total below the sum of its forms by more than this is an error
# (the same tolerance tests/test_data.py applies to the seed).
TOTAL_TOLERANCE_UG = 0.5

# Every name a figure's column goes by: the schema's and the CSV's (total_k2), and measurements.csv's.
_FIGURE_COLUMNS = frozenset(
    name for field in FIELDS if field.figure for name in (field.name, field.stored_as)
)


@dataclass
class FoodSpec:
    """A validated food ready to write. ``figures`` holds every key of FIGURE_NAMES."""

    name: str
    category: str
    tag: str
    figures: dict[str, float | None]
    serving_g: float
    serving_label: str
    source: str
    url: str | None = None
    locator: str | None = None
    aliases: list[str] = field(default_factory=list)
    is_custom: bool = True

    @classmethod
    def of(cls, name: str, /, **values: Any) -> FoodSpec:
        """A food of your own from its values as FIELDS names them (``total_k2``, ``aliases`` …;
        left out: not published, or the field's default), checked by every rule here: raises
        ``Invalid(field, problem)`` for a bad value and TypeError for a name FIELDS does not have."""
        unknown = sorted(set(values) - FIELD_NAMES)
        if unknown:
            raise TypeError(f"FoodSpec.of() got unknown fields: {', '.join(unknown)}")
        given: dict[str, Any] = {
            one.name: one.default if values.get(one.name) is None else values[one.name] for one in FIELDS
        }
        aliases = given["aliases"] or ()
        return build_spec(
            name,
            {field.stored_as: given[field.name] for field in FIELDS if field.figure},
            tag=given["tag"],
            category=given["category"],
            serving_g=given["serving_g"],
            serving_label=given["serving_label"],
            aliases=[aliases] if isinstance(aliases, str) else aliases,  # not one alias per letter
            source=given["source"],
            url=given["url"],
            locator=given["locator"],
        )

    @property
    def key(self) -> str:
        return search_key(self.name)

    @property
    def k2_total(self) -> float | None:
        return k2_total(self.figures)

    def food_values(self, source_id: int) -> dict[str, Any]:
        """The ``foods`` columns (without id, notes and vitamin_d3_source)."""
        return {
            "name": self.name,
            "search_key": self.key,
            "category": self.category,
            "tag": self.tag,
            **self.figures,
            "k2_total": self.k2_total,
            "serving_g": self.serving_g,
            "serving_label": self.serving_label,
            "source_id": source_id,
            "locator": self.locator,
            "is_custom": self.is_custom,
            **own_food(self.figures),
        }


# --- value rules ---------------------------------------------------------------------------------


def not_a_number(shown: object) -> str:
    return _("{value} is not a number").format(value=repr(shown))


def out_of_range(shown: object) -> str:
    return _("{value} must be a finite number ≥ 0").format(value=repr(shown))


def too_large(shown: object, limit: float, unit: str = "") -> str:
    """'1e+308: at most 100,000 µg/100 g' (made of messages the catalogs already translate)."""
    return f"{shown!r}: " + _("at most {le}").format(le=f"{limit:,.0f}{unit}")


def is_figure(number: float) -> bool:
    """The rule for every figure and amount: a finite number ≥ 0 (the upper bounds are checked by
    ``check_figure``, ``figure_from_text`` and ``check_serving_g``, which know the column)."""
    return math.isfinite(number) and number >= 0


def _bounded(column: str, number: float, shown: object) -> float:
    """A figure's column (mk4 … vitamin_d3, total_k2) is at most MAX_FIGURE_UG µg per 100 g."""
    if column in _FIGURE_COLUMNS and number > MAX_FIGURE_UG:
        raise Invalid(column, too_large(shown, MAX_FIGURE_UG, " µg/100 g"))
    return number


def figure_from_text(column: str, text: str, shown: str | None = None) -> float | None:
    """A figure written as text (a CSV cell): '' → None; ``shown`` is the cell as the user wrote it."""
    raw = text.strip()
    if not raw:
        return None
    try:
        number = float(raw)
    except ValueError:
        raise Invalid(column, not_a_number(shown if shown is not None else text)) from None
    if not is_figure(number):
        raise Invalid(column, out_of_range(shown if shown is not None else text))
    return _bounded(column, number, shown if shown is not None else text)


def check_figure(column: str, value: object) -> float | None:
    """A figure as a float: µg per 100 g, finite, ≥ 0 and ≤ MAX_FIGURE_UG; None means not published.
    (With another column, e.g. serving_g, only finite and ≥ 0.)"""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise Invalid(column, not_a_number(value))
    number = float(value)
    if not is_figure(number):
        raise Invalid(column, out_of_range(value))
    return _bounded(column, number, value)


def check_serving_g(value: object, column: str = "serving_g") -> float:
    number = check_figure(column, value)
    if number is None:
        raise Invalid(column, _("is empty"))
    if number == 0:
        raise Invalid(column, _("must be greater than 0"))
    if number > MAX_SERVING_G:  # a portion's amount is a count, not grams
        raise Invalid(column, too_large(value, MAX_SERVING_G, "" if column == "amount" else " g"))
    return number


def not_plain(position: int, char: str, column: str) -> str:
    """'character 5 is U+001B (ESC, a control character); names are plain text'."""
    kinds = {
        "control": _("a control character"),
        "bidi": _("a bidirectional control"),
        "separator": _("a line or paragraph separator"),
        "surrogate": _("an unpaired surrogate, not a character"),
        "invisible": _("an invisible formatting character"),
    }
    template = (
        _("character {position} is {code} ({name}, {kind}); names are plain text")
        if column in _NAME_COLUMNS
        else _("character {position} is {code} ({name}, {kind}); this text must be plain")
    )
    return template.format(
        position=position, code=f"U+{ord(char):04X}", name=char_name(char), kind=kinds[char_kind(char)]
    )


_NAME_COLUMNS = frozenset(("name", "alias", "aliases"))


def check_plain(column: str, text: str, offset: int = 0) -> str:
    """Text, not instructions to a terminal or a page: no control, bidirectional, zero-width or
    other invisible formatting character, no line separator (text.not_text; an emoji's joiner is
    allowed). The one rule for every stored text; ``offset`` counts characters stripped before it."""
    found = not_text(text)
    if found is not None:
        index, char = found
        raise Invalid(column, not_plain(offset + index + 1, char, column))
    return text


def check_text(column: str, value: str | None, limit: int, *, required: bool = False) -> str | None:
    """Stripped plain text (None when empty; check_plain); over-long text is refused rather than cut."""
    raw = value or ""
    text = raw.strip()
    if not text:
        if required:
            raise Invalid(column, _("is empty"))
        return None
    check_plain(column, text, len(raw) - len(raw.lstrip()))
    if len(text) > limit:
        raise Invalid(column, _("is longer than {limit} characters").format(limit=limit))
    return text


_WEB_ADDRESS = re.compile(r"https?://[^\s/?#]+", re.IGNORECASE)


def check_url(value: str | None, column: str = "url") -> str | None:
    """A web address a source can be read at: it begins with http:// or https:// and a host (None
    when empty; a note may follow, as in the seed's 'https://… ; FR names: https://…'). Anything
    else ('javascript:…', 'file:///…', 'www.x.org') is refused: the web page makes it a link."""
    text = check_text(column, value, MAX_URL)
    if text is not None and not _WEB_ADDRESS.match(text):
        raise Invalid(
            column, _("{value} is not a web address (http:// or https://)").format(value=repr(text))
        )
    return text


def check_name(value: str | None, column: str = "name") -> str:
    name = check_text(column, value, MAX_NAME, required=True)
    assert name is not None
    if not search_key(name):
        raise Invalid(column, _("{value} has no letters or digits").format(value=repr(name)))
    return name


def normalize_tag(value: str | None, column: str = "tag") -> str:
    """'MK-4', 'mk4', 'MK 4' → 'MK-4' (likewise MK-7); empty → '' (no tag); anything else is refused."""
    if not re.sub(r"[\s_-]", "", value or ""):
        return ""
    tag = tag_spelling(value or "")
    if tag is not None:
        return tag
    raise Invalid(column, _("{value} is not MK-4, MK-7 or empty").format(value=repr(value)))


def check_figures(figures: Mapping[str, float | None]) -> None:
    """At least one K2 figure; a published total not below the sum of the published forms; the K2
    total (that sum, else the published total) at most MAX_FIGURE_UG, as each figure is."""
    total_k2 = k2_total(figures)
    if total_k2 is None:
        raise Invalid("total_k2", _("no K2 figure: give at least one form (MK-4 … MK-10) or a total K2"))
    if total_k2 > MAX_FIGURE_UG:  # forms each within the bound may add up beyond it
        raise Invalid("total_k2", too_large(total_k2, MAX_FIGURE_UG, " µg/100 g"))
    total = figures.get("total_k2_published")
    forms = [figures.get(form) for form in FORMS]
    known = [value for value in forms if value is not None]
    if total is not None and known and total < sum(known) - TOTAL_TOLERANCE_UG:
        raise Invalid(
            "total_k2",
            _("{total} is smaller than the sum of the forms ({sum})").format(
                total=f"{total:g}", sum=f"{sum(known):g}"
            ),
        )


def check_alias(value: str, column: str = "aliases") -> str:
    alias = check_text(column, value, MAX_NAME, required=True)
    assert alias is not None
    if ALIAS_SEPARATOR in alias:
        raise Invalid(
            column,
            _("{alias} contains '{separator}', which separates aliases").format(
                alias=repr(alias), separator=ALIAS_SEPARATOR
            ),
        )
    if not search_key(alias):
        raise Invalid(column, _("{value} has no letters or digits").format(value=repr(alias)))
    return alias


def default_tag(category: str, name: str, figures: Mapping[str, float | None]) -> str:
    """The food's kind (figures.kind_tag), or no tag ('') when no K2 above 0 was measured."""
    return kind_tag(category, name, figures) if (k2_total(figures) or 0) > 0 else ""


def default_label(serving_g: float) -> str:
    return f"{serving_g:g} g"


def build_spec(
    name: str,
    figures: Mapping[str, object],
    *,
    tag: str | None = None,
    category: str | None = None,
    serving_g: object = DEFAULT_SERVING_G,
    serving_label: str | None = None,
    aliases: Iterable[str] = (),
    source: str | None = None,
    url: str | None = None,
    locator: str | None = None,
    is_custom: bool = True,
) -> FoodSpec:
    """Validate one food's values (everything but collisions with the database). Raises Invalid."""
    name = check_name(name)
    checked = {column: check_figure(_column(column), figures.get(column)) for column in FIGURE_NAMES}
    check_figures(checked)
    grams = check_serving_g(serving_g)
    cleaned: list[str] = []
    seen = {search_key(name)}
    for alias in aliases:
        alias = check_alias(alias)
        key = search_key(alias)
        if key not in seen:  # the name itself or a repeat adds nothing
            seen.add(key)
            cleaned.append(alias)
    return FoodSpec(
        name=name,
        category=check_text("category", category, MAX_CATEGORY) or DEFAULT_CATEGORY,
        tag=normalize_tag(tag)
        if tag and tag.strip()
        else default_tag(category or DEFAULT_CATEGORY, name, checked),
        figures=checked,
        serving_g=grams,
        serving_label=check_text("serving_label", serving_label, MAX_LABEL) or default_label(grams),
        source=check_text("source", source, MAX_CITATION) or DEFAULT_SOURCE,
        url=check_url(url),
        locator=check_text("locator", locator, MAX_LOCATOR),
        aliases=cleaned,
        is_custom=is_custom,
    )


def text_limit(field: Field) -> int | None:
    """The most characters a text field may have: its column's length in the schema (URLs: MAX_URL)."""
    if not isinstance(field.limit, str):
        return None if field.limit is None else int(field.limit)
    from ..storage.tables import metadata

    table, column = field.limit.split(".")
    length = metadata.tables[table].c[column].type.length  # type: ignore[attr-defined]
    return int(length)


def _column(figure: str) -> str:
    """The user-facing name of a figure (FIELDS): total_k2 where the schema says total_k2_published."""
    return SPOKEN.get(figure, figure)

"""A food as the rows storage writes (your own foods: ``add``, ``import``), and the words for what
storage refuses while writing them (a name taken, a source under another URL). Above storage and the
domain: storage raises, this says why in the user's language."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..domain.evidence import own_measurement
from ..domain.records import FoodSpec
from ..domain.text import search_key
from ..domain.units import serving_portion
from ..errors import Invalid, SourceTaken
from ..i18n import _
from ..storage import writes

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection


def mirror_values(spec: FoodSpec, sid: int) -> dict[str, Any]:
    """The columns of the one measurement behind ``spec``'s figures (your own food's)."""
    return {"source_id": sid, "locator": spec.locator, **spec.figures, **own_measurement(spec.figures)}


def food_rows(spec: FoodSpec, sid: int) -> writes.FoodRows:
    """``spec`` as the rows storage writes: the food, its aliases, its serving's portion and one
    measurement that records the figures under the source (so ``d3k2db sources`` counts them)."""
    return writes.FoodRows(
        food=spec.food_values(sid),
        aliases=[
            {"alias": a, "search_key": search_key(a), "is_custom": spec.is_custom} for a in spec.aliases
        ],
        measurement={**mirror_values(spec, sid), "source_food_name": None, "basis": None, "notes": None},
        portion=serving_portion(spec.serving_g, spec.serving_label, spec.source),
    )


def category_spellings(connection: Connection) -> dict[str, str]:
    """Existing categories by search key, so that 'Cheese' joins the seed's 'cheese'."""
    return {search_key(c): c for c in writes.categories(connection)}


def source_id(
    connection: Connection, citation: str, url: str | None, cache: dict[str, int] | None = None
) -> int:
    """storage's source_id, with a citation stored under another URL refused as Invalid('url')."""
    try:
        return writes.source_id(connection, citation, url, cache)
    except SourceTaken as exc:
        raise Invalid("url", source_taken_message(citation, exc.stored_url)) from None


def source_taken_message(citation: str, stored_url: str | None) -> str:
    """Why a source cannot be given another URL: a citation names one reference, so one URL."""
    template = (
        _("the source {source} already has the URL {url}; give another source name")
        if stored_url
        else _("the source {source} already has no URL; give another source name")
    )
    return template.format(source=repr(citation), url=stored_url)


def taken_message(holder: writes.Holder, text: str) -> str:
    """Why ``text`` cannot be a new name or alias: the food whose name or alias it already is."""
    template = (
        _("{text} is taken: it is the name of the food {name}")
        if holder.kind == "name"
        else _("{text} is taken: it is an alias of the food {name}")
    )
    return template.format(text=repr(text), name=repr(holder.food_name))

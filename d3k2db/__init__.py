"""d3k2db: an offline, cited database of vitamin K2 (MK-4 … MK-10) in foods.

The library API is :class:`K2Database`; the ``d3k2db`` command is a thin layer over it.
Attributes are imported on first use, so ``import d3k2db`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

__all__ = ["D3k2dbError", "FoodNotFound", "FoodSpec", "K2Database", "MealError", "__version__"]

if TYPE_CHECKING:
    from .domain.records import FoodSpec
    from .errors import D3k2dbError, FoodNotFound, MealError
    from .library import K2Database


def __getattr__(name: str) -> Any:
    if name == "K2Database":
        from .library import K2Database

        return K2Database
    if name == "FoodSpec":
        from .domain.records import FoodSpec

        return FoodSpec
    if name in ("D3k2dbError", "FoodNotFound", "MealError"):
        from . import errors

        return getattr(errors, name)
    raise AttributeError(f"module 'd3k2db' has no attribute {name!r}")

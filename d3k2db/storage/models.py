"""Typed ORM classes mapped onto the Core tables of ``tables.py``, for code that writes.

All K2 figures are µg per 100 g of the food as eaten. ``None`` means "not published" and is shown
as "—"; 0 means "measured, not detected". The schema changes only through Alembic migrations.
"""

from __future__ import annotations

from sqlalchemy.orm import DeclarativeBase, Mapped, relationship

from . import tables
from .tables import FORMS, LONG_CHAIN_FORMS, TAGS

__all__ = [
    "FORMS",
    "LONG_CHAIN_FORMS",
    "TAGS",
    "Alias",
    "Base",
    "Food",
    "Measurement",
    "Meta",
    "Portion",
    "Source",
]


class Base(DeclarativeBase):
    metadata = tables.metadata


class FiguresMixin:
    """K2 forms, a published total, K1 and vitamin D3, all µg per 100 g; None = not published."""

    mk4: Mapped[float | None]
    mk5: Mapped[float | None]
    mk6: Mapped[float | None]
    mk7: Mapped[float | None]
    mk8: Mapped[float | None]
    mk9: Mapped[float | None]
    mk10: Mapped[float | None]
    # A total K2 as the source printed it; most national tables give only this.
    total_k2_published: Mapped[float | None]
    k1: Mapped[float | None]
    vitamin_d3: Mapped[float | None]


class Source(Base):
    """A published reference: a food composition table, a paper, or a user's own label."""

    __table__ = tables.sources

    id: Mapped[int]
    citation: Mapped[str]
    url: Mapped[str | None]


class Food(FiguresMixin, Base):
    """One food with its representative figures (copied from one measurement, see docs/data.md)."""

    __table__ = tables.foods

    id: Mapped[int]
    name: Mapped[str]
    search_key: Mapped[str]
    category: Mapped[str]
    tag: Mapped[str]
    k2_total: Mapped[float | None]
    serving_g: Mapped[float]
    serving_label: Mapped[str]
    source_id: Mapped[int | None]
    locator: Mapped[str | None]
    vitamin_d3_source: Mapped[str | None]
    is_custom: Mapped[bool]
    notes: Mapped[str | None]

    source: Mapped[Source | None] = relationship(lazy="joined")
    aliases: Mapped[list[Alias]] = relationship(
        back_populates="food", cascade="all, delete-orphan", passive_deletes=True
    )
    portions: Mapped[list[Portion]] = relationship(
        back_populates="food", cascade="all, delete-orphan", passive_deletes=True, order_by="Portion.id"
    )
    measurements: Mapped[list[Measurement]] = relationship(
        back_populates="food", cascade="all, delete-orphan", passive_deletes=True, order_by="Measurement.id"
    )


class Alias(Base):
    """Another name for a food: synonym, plural, other-language name. Unique across all foods."""

    __table__ = tables.aliases

    id: Mapped[int]
    food_id: Mapped[int]
    alias: Mapped[str]
    search_key: Mapped[str]
    lang: Mapped[str | None]
    is_custom: Mapped[bool]

    food: Mapped[Food] = relationship(back_populates="aliases")


class Portion(Base):
    """A household unit of a food with its gram weight (e.g. 1 large egg = 50 g), cited."""

    __table__ = tables.portions

    id: Mapped[int]
    food_id: Mapped[int]
    unit: Mapped[str]
    amount: Mapped[float]
    grams: Mapped[float]
    description: Mapped[str | None]
    source: Mapped[str | None]
    locator: Mapped[str | None]

    food: Mapped[Food] = relationship(back_populates="portions")

    @property
    def grams_per_unit(self) -> float:
        return self.grams / self.amount


class Measurement(FiguresMixin, Base):
    """One source's figures for one food; a food keeps every measurement, its range is shown."""

    __table__ = tables.measurements

    id: Mapped[int]
    food_id: Mapped[int]
    source_id: Mapped[int]
    locator: Mapped[str | None]
    source_food_name: Mapped[str | None]
    basis: Mapped[str | None]
    notes: Mapped[str | None]

    food: Mapped[Food] = relationship(back_populates="measurements")
    source: Mapped[Source] = relationship(lazy="joined")


class Meta(Base):
    """Small key/value facts about the database itself (e.g. which seed it holds)."""

    __table__ = tables.meta

    key: Mapped[str]
    value: Mapped[str]

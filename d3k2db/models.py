"""The schema, in SQLAlchemy 2.0 typed ORM. Created and changed only through Alembic migrations.

All K2 figures are µg per 100 g of the food as eaten. ``None`` means "not published" and is shown
as "—"; 0 means "measured, not detected".
"""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints so that Alembic batch migrations on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# The menaquinone forms a source may give, in the order they are shown.
FORMS = ("mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10")
LONG_CHAIN_FORMS = FORMS[1:]
TAGS = ("MK-4", "MK-7")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class FiguresMixin:
    """K2 forms, a published total, K1 and vitamin D3, all µg per 100 g; None = not published."""

    mk4: Mapped[float | None] = mapped_column(Float)
    mk5: Mapped[float | None] = mapped_column(Float)
    mk6: Mapped[float | None] = mapped_column(Float)
    mk7: Mapped[float | None] = mapped_column(Float)
    mk8: Mapped[float | None] = mapped_column(Float)
    mk9: Mapped[float | None] = mapped_column(Float)
    mk10: Mapped[float | None] = mapped_column(Float)
    # A total K2 as the source printed it; most national tables give only this.
    total_k2_published: Mapped[float | None] = mapped_column(Float)
    k1: Mapped[float | None] = mapped_column(Float)
    vitamin_d3: Mapped[float | None] = mapped_column(Float)


class Source(Base):
    """A published reference: a food composition table, a paper, or a user's own label."""

    __tablename__ = "sources"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    citation: Mapped[str] = mapped_column(String(500), unique=True)
    url: Mapped[str | None] = mapped_column(Text)


class Food(FiguresMixin, Base):
    """One food with its representative figures (copied from one measurement, see docs/data.md)."""

    __tablename__ = "foods"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    # Case-folded, singularised name used for lookups (see d3k2db/text.py).
    search_key: Mapped[str] = mapped_column(String(300), index=True)
    category: Mapped[str] = mapped_column(String(40), index=True)
    tag: Mapped[str] = mapped_column(String(8))
    # The sum of the published forms, else the published total; kept in the row so ranking is a
    # plain indexed ORDER BY.
    k2_total: Mapped[float | None] = mapped_column(Float, index=True)
    serving_g: Mapped[float] = mapped_column(Float)
    serving_label: Mapped[str] = mapped_column(String(100))
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    locator: Mapped[str | None] = mapped_column(String(300))
    vitamin_d3_source: Mapped[str | None] = mapped_column(String(300))
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False)
    notes: Mapped[str | None] = mapped_column(Text)

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

    __tablename__ = "aliases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    food_id: Mapped[int] = mapped_column(ForeignKey("foods.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(300))
    search_key: Mapped[str] = mapped_column(String(300), unique=True)
    lang: Mapped[str | None] = mapped_column(String(16))
    is_custom: Mapped[bool] = mapped_column(Boolean, default=False)

    food: Mapped[Food] = relationship(back_populates="aliases")


class Portion(Base):
    """A household unit of a food with its gram weight (e.g. 1 large egg = 50 g), cited."""

    __tablename__ = "portions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    food_id: Mapped[int] = mapped_column(ForeignKey("foods.id", ondelete="CASCADE"), index=True)
    unit: Mapped[str] = mapped_column(String(100))
    amount: Mapped[float] = mapped_column(Float)
    grams: Mapped[float] = mapped_column(Float)
    description: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(String(300))
    locator: Mapped[str | None] = mapped_column(String(300))

    food: Mapped[Food] = relationship(back_populates="portions")

    @property
    def grams_per_unit(self) -> float:
        return self.grams / self.amount


class Measurement(FiguresMixin, Base):
    """One source's figures for one food; a food keeps every measurement, its range is shown."""

    __tablename__ = "measurements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    food_id: Mapped[int] = mapped_column(ForeignKey("foods.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id"), index=True)
    locator: Mapped[str | None] = mapped_column(String(300))
    source_food_name: Mapped[str | None] = mapped_column(String(300))
    basis: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)

    food: Mapped[Food] = relationship(back_populates="measurements")
    source: Mapped[Source] = relationship(lazy="joined")


class Meta(Base):
    """Small key/value facts about the database itself (e.g. which seed it holds)."""

    __tablename__ = "meta"

    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)

"""The schema as SQLAlchemy Core tables: the one place columns are declared.

Every query, read or write (``writes.py``), names these tables and their columns directly
(``select(foods.c.id, …)``); there is no ORM. Alembic migrations create and change them;
``tests/test_database.py`` checks they agree.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, Float, ForeignKey, Integer, MetaData, String, Table, Text, true

from .forms import FORMS, LONG_CHAIN_FORMS, MAX_NAME

__all__ = [
    "FORMS",
    "LONG_CHAIN_FORMS",
    "aliases",
    "foods",
    "measurements",
    "meta",
    "portions",
    "sources",
]

# Named constraints so that Alembic batch migrations on SQLite can find and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


metadata = MetaData(naming_convention=NAMING_CONVENTION)


def figure_columns() -> list[Column[float]]:
    """K2 forms, a published total, K1 and vitamin D3: µg per 100 g, NULL = not published."""
    names = (*FORMS, "total_k2_published", "k1", "vitamin_d3")
    return [Column(name, Float, nullable=True) for name in names]


sources = Table(
    "sources",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("citation", String(500), nullable=False, unique=True),
    Column("url", Text),  # the copy the figures were read from
    Column("publisher_url", Text),  # the publisher's own page (a DOI for a paper)
)

foods = Table(
    "foods",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(MAX_NAME), nullable=False, unique=True),
    # Case-folded, singular name used for lookups (see text.search_key).
    Column("search_key", String(MAX_NAME), nullable=False, index=True),
    Column("category", String(40), nullable=False, index=True),
    Column("tag", String(8), nullable=False),  # forms.TAGS or '' (no K2 measured above 0)
    # Sum of the published forms, else the published total: stored so ranking is an indexed ORDER BY.
    Column("k2_total", Float, index=True),
    Column("serving_g", Float, nullable=False),
    Column("serving_label", String(100), nullable=False),
    Column("source_id", ForeignKey("sources.id")),
    Column("locator", String(300)),
    Column("vitamin_d3_source", String(300)),
    Column("is_custom", Boolean, nullable=False, default=False),
    Column("notes", Text),
    # The headline's evidence (d3k2db.domain.evidence): what its measurement covers, its flags when no
    # unflagged measurement exists, the largest measured form, how many independent measurements
    # there are and how many agree with it, why it was chosen, and why the tag is not the kind's.
    Column("coverage", String(20)),
    Column("flags", Text),
    Column("main_form", String(8)),
    Column("independent", Integer),
    Column("agreeing", Integer),
    Column("headline_reason", Text),
    Column("tag_note", Text),
    *figure_columns(),
)

aliases = Table(
    "aliases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("food_id", ForeignKey("foods.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("alias", String(MAX_NAME), nullable=False),
    Column("search_key", String(MAX_NAME), nullable=False, unique=True),
    Column("lang", String(16)),
    Column("is_custom", Boolean, nullable=False, default=False),
)

portions = Table(
    "portions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("food_id", ForeignKey("foods.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("unit", String(100), nullable=False),
    Column("amount", Float, nullable=False),
    Column("grams", Float, nullable=False),
    Column("description", String(300)),
    Column("source", String(500)),  # a citation, as wide as sources.citation (MAX_CITATION)
    Column("locator", String(300)),
)

measurements = Table(
    "measurements",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("food_id", ForeignKey("foods.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("source_id", ForeignKey("sources.id"), nullable=False, index=True),
    Column("locator", String(300)),
    Column("source_food_name", String(300)),
    Column("basis", String(100)),
    Column("notes", Text),
    *figure_columns(),
    # d3k2db.domain.evidence: complete | total | partial; False for a repeat of another measurement of the
    # same publication and value (same_as names it); flags 'kind: reason | …'.
    Column("coverage", String(20)),
    Column("counted", Boolean, nullable=False, server_default=true(), default=True),
    Column("same_as", String(600)),
    Column("flags", Text),
)

meta = Table(
    "meta",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("value", Text, nullable=False),
)

# The typo index (see search_index.py): one row per stored word and each of its one-letter deletions.
search_words = Table(
    "search_words",
    metadata,
    Column("variant", String(64), primary_key=True),
    Column("word", String(64), primary_key=True),
)


def width(column: Column[str]) -> int:
    """The most characters a text column holds (its String length): the one declaration every
    length limit is read from (d3k2db/domain/records.py)."""
    length = column.type.length if isinstance(column.type, String) else None
    assert length is not None, f"{column} is no String of bounded length"
    return length

"""Alembic environment. d3k2db builds the Config in code (d3k2db/storage/migrate.py) and passes its open
connection in ``config.attributes["connection"]``; the ``alembic`` command line works too, with
``-x url=...`` or D3K2DB_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from d3k2db.config import resolve_url
from d3k2db.storage.tables import metadata

config = context.config
target_metadata = metadata


def _include(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    """Leave out what migrations 0002 and 0005 make by hand for one backend: SQLite's FTS5 trigram
    table (and its shadow tables), its partial indexes of non-ASCII keys and PostgreSQL's pg_trgm
    indexes; they have no place in the metadata."""
    return not (name and (name.startswith("name_index") or name.endswith(("_trgm", "_wide_search_key"))))


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        include_object=_include,
        # SQLite cannot ALTER most things in place; batch mode copies the table instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    url = context.get_x_argument(as_dictionary=True).get("url") or resolve_url()
    engine = create_engine(url)
    with engine.connect() as connection:
        _run(connection)


if context.is_offline_mode():
    raise SystemExit("d3k2db migrations run online only")
run_migrations_online()

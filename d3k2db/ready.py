"""Getting a database ready for use: migrate and seed on first use, upgrade an older schema, refresh
a changed seed. Run by the library (K2Database), above storage and the seed loader it joins."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy.engine import Engine

from .database import read_only_folder_message, upgrade_schema, worded
from .errors import DatabaseError
from .i18n import _
from .resources import data_dir
from .storage.engine import (
    HEAD_REVISION,
    KNOWN_REVISIONS,
    SchemaState,
    folder_is_read_only,
    record_version,
    schema_state,
    seed_fingerprint,
    setup_lock,
)
from .version import __version__

if TYPE_CHECKING:
    from .storage.changes import UpgradeReport


def state_of(engine: Engine) -> SchemaState:
    """The schema's state; a database that holds tables but is not d3k2db's is refused."""
    with worded(engine):
        state = schema_state(engine)
    if state.foreign:
        raise DatabaseError(
            _("{url} holds tables but is not a d3k2db database").format(
                url=engine.url.render_as_string(hide_password=True)
            )
        )
    return state


def newer_database_message(state: SchemaState) -> str:
    """A database of a schema this version does not know: name the release that wrote it."""
    if state.written_by:
        return _(
            "this database was written by d3k2db {newer} (schema revision {revision}) and this is "
            "d3k2db {version}: upgrade d3k2db to {newer} or later to use it — it was not modified"
        ).format(newer=state.written_by, revision=state.revision, version=__version__)
    return _(
        "this database was written by a d3k2db newer than this one ({version}; schema revision "
        "{revision}): upgrade d3k2db to use it — it was not modified"
    ).format(version=__version__, revision=state.revision)


def ensure_ready(engine: Engine) -> UpgradeReport | None:
    """Migrate and seed on first use; upgrade an older schema; refresh a changed seed.

    Returns None when nothing needed doing, else what was done, with what a changed seed did to the
    user's own aliases and foods (storage/changes.py). A database written by a newer d3k2db is
    refused untouched.
    """
    state = state_of(engine)
    if state.revision is not None and state.revision not in KNOWN_REVISIONS:
        raise DatabaseError(newer_database_message(state))
    fingerprint = seed_fingerprint(data_dir())
    if state.revision == HEAD_REVISION and state.seed == fingerprint:
        return None
    database = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if database and not database.startswith("file:") and folder_is_read_only(database):
        raise DatabaseError(read_only_folder_message(database, needs_update=True))
    from .storage.changes import UpgradeReport

    # Several processes may start together on a new machine: one migrates and seeds while the others
    # wait, then find the work done.
    with setup_lock(engine):
        state = state_of(engine)
        if state.revision != HEAD_REVISION:
            upgrade_schema(engine)
        # Importing pandas in a thread while Alembic migrates was tried: both imports hold the GIL,
        # and contending for it made a first run ~150 ms slower, not faster.
        if state.seed == fingerprint:
            with worded(engine):
                record_version(engine, __version__)
            return UpgradeReport(state.revision, HEAD_REVISION, seed_loaded=False)
        from .exchange.seed import load_seed  # lazy: pandas

        with worded(engine):
            loaded = load_seed(engine)
            record_version(engine, __version__)
        return UpgradeReport(state.revision, HEAD_REVISION, seed_loaded=True, changes=loaded.changes)

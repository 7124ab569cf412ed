"""Which database to use: ``--db``, then ``D3K2DB_URL``, then a SQLite file in the user data dir."""

from __future__ import annotations

import os
from pathlib import Path

ENV_URL = "D3K2DB_URL"
APP_NAME = "d3k2db"
DB_FILENAME = "d3k2db.sqlite"


def user_data_dir() -> Path:
    """The per-user data folder (e.g. ~/.local/share/d3k2db on Linux)."""
    from platformdirs import user_data_path  # lazy: only the default path needs it

    return user_data_path(APP_NAME, appauthor=False)


def default_url() -> str:
    return f"sqlite:///{user_data_dir() / DB_FILENAME}"


def resolve_url(explicit: str | None = None) -> str:
    """The database URL in order of precedence: explicit argument, environment, default."""
    if explicit:
        return explicit
    from_env = os.environ.get(ENV_URL, "").strip()
    return from_env or default_url()

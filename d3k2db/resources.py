"""Where the shipped seed data lives (the Alembic migrations: storage/migrate.py).

In a wheel they are mapped into the package (``d3k2db/_data``, ``d3k2db/_migrations``, see
pyproject.toml); in a checkout or an editable install they are the top-level ``data/`` and
``migrations/`` folders next to the package.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _find(installed_name: str, source_name: str) -> Path:
    installed = _PACKAGE_DIR / installed_name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / source_name


def data_dir() -> Path:
    """The folder holding foods.csv, measurements.csv, aliases.csv and portions.csv."""
    return _find("_data", "data")

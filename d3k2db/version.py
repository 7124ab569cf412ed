"""The one version number of d3k2db (pyproject.toml reads it; also printed by --version and stored
in databases). Its own module so that any layer can name it without importing the package's API."""

# Bumped on every release that changes the schema or the data (CHANGELOG.md).
__version__ = "0.5.0"

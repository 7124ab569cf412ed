"""The menaquinone forms, one column each in the schema (tables.py), in the order they are shown.

Plain constants with no SQLAlchemy, so the arithmetic (d3k2db/figures.py) can name them cheaply."""

FORMS = ("mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10")
LONG_CHAIN_FORMS = FORMS[1:]

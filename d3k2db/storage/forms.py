"""The menaquinone forms, one column each in the schema (tables.py), in the order they are shown.

Plain constants with no SQLAlchemy, so the arithmetic (d3k2db/figures.py) can name them cheaply."""

FORMS = ("mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10")
LONG_CHAIN_FORMS = FORMS[1:]
# The kind a food is tagged with (foods.tag, spelled so; "" when no K2 is measured above 0).
TAGS = ("MK-4", "MK-7")

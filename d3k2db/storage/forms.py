"""The schema's plain constants: the menaquinone forms (one column each in tables.py, in the order
they are shown), the tags, and the longest name.

Plain constants with no SQLAlchemy, so the arithmetic (d3k2db/domain/figures.py) and the lookups, which
read without SQLAlchemy (storage/reads.py), can name them cheaply."""

FORMS = ("mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10")
LONG_CHAIN_FORMS = FORMS[1:]
# The kind a food is tagged with (foods.tag, spelled so; "" when no K2 is measured above 0).
TAGS = ("MK-4", "MK-7")
# The longest name or alias (foods.name, aliases.alias, and their search keys in tables.py): the one
# limit the parser, the search and every writer check names against (records.py reads the other
# widths from the columns).
MAX_NAME = 300

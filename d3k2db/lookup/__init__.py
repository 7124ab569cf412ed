"""Lookup: finding foods by what someone typed. ``search`` answers search and top (names, aliases,
substrings, typos); ``matching`` resolves one typed name to one food (exact, alias, generic or typo,
or refused) for meal and show. Nothing is imported here, so importing the package costs nothing."""

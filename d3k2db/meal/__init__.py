"""Meal: the phrase grammar (``parser``: amounts, units, fillers, Chinese numerals), units and their
spellings (``units``), grams and µg per item with cited fallbacks and bounds (``compute``), and the
D3 pairing (``pairing``). Nothing is imported here, so importing the package costs nothing."""

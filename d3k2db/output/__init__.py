"""Output: tables (rich on a terminal, aligned plain text in a pipe, with CJK display width), JSON
and CSV, with the ``!`` (flagged) and ``‡`` (partial) marks and their footnotes (``render``).
Nothing is imported here, so importing the package costs nothing."""

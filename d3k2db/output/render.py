"""The renderers the edges (the CLI, the web page) call, in one import: ``render.meal_tables``,
``render.to_json``… Each lives in the module of its idea:

- ``cells``: figures, servings, names and tags as table cells; ``marks``: '!', '‡', '*', '†' and
  their footnotes;
- ``terminal``: tables printed (rich on a terminal, aligned text in a pipe); ``data``: JSON, CSV;
- ``foods`` (search, profile, sources), ``meal``, ``pair``: each result's tables, notes and CSV.
"""

from __future__ import annotations

from ..domain.figures import FORM_LABELS
from .cells import DASH, found_alias, grams, iu, serving, ug
from .data import to_csv, to_json
from .foods import profile_csv, profile_tables, search_csv, search_tables, sources_table
from .marks import FLAGGED_LEFT_OUT, MARK_FALLBACK, MARK_FLAG, MARK_PARTIAL, Evidence
from .meal import meal_counting_what_it_can, meal_csv, meal_tables, split_problem
from .pair import pair_csv, pair_tables
from .terminal import display_width, emit, plain_table

__all__ = [
    "DASH",
    "FLAGGED_LEFT_OUT",
    "FORM_LABELS",
    "MARK_FALLBACK",
    "MARK_FLAG",
    "MARK_PARTIAL",
    "Evidence",
    "display_width",
    "emit",
    "found_alias",
    "grams",
    "iu",
    "meal_counting_what_it_can",
    "meal_csv",
    "meal_tables",
    "pair_csv",
    "pair_tables",
    "plain_table",
    "profile_csv",
    "profile_tables",
    "search_csv",
    "search_tables",
    "serving",
    "sources_table",
    "split_problem",
    "to_csv",
    "to_json",
    "ug",
]

"""The ``d3k2db`` command: parse arguments, call one library function, render the result.

No SQL here; library errors (D3k2dbError) become one line on stderr and their exit code
(cli/failures.py). The modules: ``root`` (the apps and the global options, read once), ``lang`` and
``translate`` (help and Click's errors in the chosen language), ``lookups``, ``meals``, ``foods``,
``database`` (the commands), ``options`` and ``outputs`` (what the commands share).
"""

from __future__ import annotations

import sys

from . import database, foods, lookups, meals  # noqa: F401  (each registers its commands)
from .root import app

__all__ = ["app", "main"]


def main() -> None:
    """The CLI as the console script runs it (``d3k2db = d3k2db.__main__:run``; ``python -m d3k2db``)."""
    try:
        app()
    except BrokenPipeError:  # e.g. `d3k2db search | head`
        sys.stderr.close()
        sys.exit(0)

"""The tool's own exceptions. The CLI turns each into one line on stderr and an exit code.

This module is below every other, storage included: it imports nothing from d3k2db, so it holds no
sentence of its own. Whoever raises an exception words its message (tests/test_layers.py)."""

from __future__ import annotations

from collections.abc import Sequence


class D3k2dbError(Exception):
    """Base class: anything the user can cause and fix. ``exit_code`` is what the CLI exits with."""

    exit_code = 1


class UsageError(D3k2dbError):
    """The command line itself is malformed (bad option value, empty meal)."""

    exit_code = 2


class FoodNotFound(D3k2dbError):
    """A name matched no food; ``suggestions`` holds the closest names."""

    def __init__(self, message: str, suggestions: list[str] | None = None) -> None:
        super().__init__(message)
        self.suggestions = suggestions or []


class MealParseError(D3k2dbError):
    """One or more meal items could not be understood; ``problems`` lists every one of them."""

    exit_code = 2

    def __init__(self, problems: list[str], message: str) -> None:
        super().__init__(message)  # the problems joined in the user's language
        self.problems = problems


class UnknownUnit(D3k2dbError):
    """A unit the food has no weight for; the message lists the units it has."""

    exit_code = 2


class NameTaken(D3k2dbError):
    """A new food's name or alias is already the name or an alias of a food (named in the message)."""


class SeedProtected(D3k2dbError):
    """The seed is cited data: its foods and aliases cannot be changed or removed by the user."""


class SeedError(D3k2dbError):
    """A seed or import CSV failed validation; the message names the row and the column."""


class DatabaseError(D3k2dbError):
    """The database cannot be opened, is corrupt, or was written by a newer version."""


class MealError(D3k2dbError):
    """Several meal items failed (unknown foods, units); every problem is listed at once.

    Exit code 1 when a food is unknown, 2 when only the phrasing or units were wrong.
    """

    def __init__(
        self, problems: list[str], message: str, *, unknown_food: bool, details: Sequence[object] = ()
    ) -> None:
        super().__init__(message)  # the problems joined in the user's language
        self.problems = problems
        self.details = list(details)  # the problems as data (d3k2db.domain.results.Problem), when known
        self.exit_code = 1 if unknown_food else 2


class Invalid(Exception):
    """One bad value, by column: ``add_food`` turns it into UsageError, the CSV import into a
    SeedError that also names the file and line. ``problem`` is already worded by the raiser."""

    def __init__(self, column: str, problem: str) -> None:
        super().__init__(f"{column}: {problem}")
        self.column = column
        self.problem = problem


class SourceTaken(Exception):
    """A source is stored under ``citation`` with another URL (``stored_url``, None: no URL): a
    citation names one reference, so its URL is one too. Worded by d3k2db.exchange.rows.source_id."""

    def __init__(self, citation: str, stored_url: str | None) -> None:
        super().__init__(citation)
        self.citation = citation
        self.stored_url = stored_url

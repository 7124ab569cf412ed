"""The one table from the library's exceptions to what the command line says and exits with.

The library's messages name arguments and values, never flags or commands; the flag a remedy needs
(``--db``) and every exit code are added here, as sqlite-utils' CLI turns its library's
``NoTable`` into ``Error: …`` and exit 1.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import Any, TypeVar

import typer

from ..domain.figures import too_large_message
from ..domain.text import printable
from ..errors import (
    D3k2dbError,
    DatabaseError,
    MealError,
    MealParseError,
    UnknownUnit,
    UsageError,
)
from ..i18n import _

F = TypeVar("F", bound=Callable[..., Any])

PARTIAL_EXIT = 3  # meal (or plan --with) counted some items and refused others: the total is partial
# 2: the command line or what it says is malformed (bad values, units, phrasing); 1: anything else
EXIT_CODES: tuple[tuple[type[D3k2dbError], int], ...] = (
    (UsageError, 2),
    (MealParseError, 2),
    (UnknownUnit, 2),
)


def exit_code(exc: D3k2dbError) -> int:
    if isinstance(exc, MealError):  # 1 when a food is unknown, 2 when only units or phrasing failed
        return int(exc.exit_code)
    return next((code for kind, code in EXIT_CODES if isinstance(exc, kind)), 1)


def message(exc: D3k2dbError) -> str:
    """The library's message, and the flag its remedy needs."""
    text = str(exc)
    if isinstance(exc, DatabaseError):  # the library says what is wrong with it; here, how to use another
        text += _("; choose another database with --db URL")
    return text


def fail(text: str, code: int) -> typer.Exit:
    """Print 'error: …' (printable: a message may quote a stored name or the words typed)."""
    typer.echo(_("error: {message}").format(message=printable(text)), err=True)
    return typer.Exit(code)


def friendly_errors(command: F) -> F:
    """Turn the tool's own errors into 'error: …' on stderr and their exit code."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            result = command(*args, **kwargs)
            sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
            return result
        except D3k2dbError as exc:
            raise fail(message(exc), exit_code(exc)) from None
        except KeyboardInterrupt:
            raise typer.Exit(130) from None
        except BrokenPipeError:  # `d3k2db search | head`: the reader left; say nothing more
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            raise typer.Exit(1) from None
        except OverflowError:
            raise fail(too_large_message(), 2) from None
        except OSError as exc:  # writing the output or a file failed
            where = str(exc.filename) if exc.filename else _("the output")
            raise fail(
                _("cannot write {file}: {reason}").format(file=where, reason=exc.strerror or exc), 1
            ) from None

    return wrapper  # type: ignore[return-value]

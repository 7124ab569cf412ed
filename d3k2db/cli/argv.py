"""The command line's words before Click reads them: the global options moved before the command
(``hoist``), and what Click raises for a usage error (``ClickProblem``). Below both cli/root.py,
which declares the options, and cli/lang.py, which reads the language first, so neither imports
the other back (tests/test_layers.py)."""

from __future__ import annotations

from typing import Any, Protocol, runtime_checkable

# Every spelling of a global option that takes a value: what hoist moves to the front.
GLOBAL_OPTIONS = ("--db", "--lang", "--format", "-f")


class MissingValue(Exception):
    """A global option is the last word, with no value after it."""


def hoist(args: list[str]) -> list[str]:
    """The arguments with every global option (and its value) moved before the command, in order;
    nothing after ``--`` is touched. ``--db URL``, ``--db=URL``, ``-f json`` and ``-fjson`` alike."""
    front: list[str] = []
    rest: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        if arg == "--":
            rest += args[index:]
            break
        if arg in GLOBAL_OPTIONS:  # the value follows
            if index + 1 == len(args):
                raise MissingValue(arg)
            front += args[index : index + 2]
            index += 2
            continue
        joined = arg.split("=", 1)[0] in GLOBAL_OPTIONS[:3] and "=" in arg
        (front if joined or (arg.startswith("-f") and len(arg) > 2 and arg[2] != "-") else rest).append(arg)
        index += 1
    return front + rest


@runtime_checkable
class ClickProblem(Protocol):
    """What Click raises for a usage error (and a few others): its public interface."""

    exit_code: int

    def format_message(self) -> str: ...

    def show(self, file: Any = None) -> None: ...

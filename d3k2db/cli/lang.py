"""The command line in the chosen language, through Typer's and Click's public methods only.

The root group (``I18nGroup``) moves the global options before the command (cli/root.py ``hoist``),
reads ``--lang`` from them before anything is parsed (so ``search --help --lang zh-Hant`` works in
any order), sets the language, and — when it is not English — translates every command's help,
epilog and option help through the catalog, once, before anything is formatted. Typer's copy of
Click has no gettext of its own and re-exports none of its exception classes, so:

- help headings, "[default: …]" and "[required]" are written by ``format_options`` here;
- a usage error is shown by the root group's ``main``, which runs Typer with
  ``standalone_mode=False`` and recognises Click's errors by their documented interface
  (``ClickProblem``: ``exit_code``, ``format_message()``, ``show()``), translating their message
  with cli/translate.py (loaded only then).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

import typer
import typer.core

from .. import i18n
from ..i18n import N_, _
from .argv import ClickProblem, MissingValue, hoist

LANG_HELP = N_(
    "Language of the output: en, zh-Hant (Traditional Chinese) or zh-Hans (Simplified Chinese). "
    "Default: $D3K2DB_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else English."
)

USAGE = N_("Usage: ")
HELP_OPTION = N_("Show this message and exit.")
GLOBAL_HEADING = N_("Global options (before or after the command)")
# Typer's own section headings and help marks, written here in the chosen language
HEADINGS = {"arguments": N_("Arguments"), "options": N_("Options"), "commands": N_("Commands")}
GLOBAL_NAMES = ("db", "lang", "output")  # the root callback's parameters that every command takes


def _lang_from_args(args: list[str]) -> str | None:
    """The value of ``--lang X`` or ``--lang=X`` anywhere before ``--`` (the last one wins)."""
    value = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--lang" and index + 1 < len(args):
            value = args[index + 1]
        elif arg.startswith("--lang="):
            value = arg.split("=", 1)[1]
    return value


def _argument(param: Any) -> str:
    """An argument as the usage line and the help name it: ITEMS..., [WORDS]... (Typer would write
    '{items}...' and add its type, '<list[str]>')."""
    name = (param.metavar or param.name).upper() + ("..." if param.nargs != 1 else "")
    return name if param.required else f"[{name}]"


def _sections(command: Any, ctx: Any, width: int) -> list[tuple[str, list[tuple[str, str]]]]:
    """The help's sections as (heading, rows): arguments, options, sub-commands, global options."""
    rows: dict[str, list[tuple[str, str]]] = {"argument": [], "option": []}
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx)
        if record is not None and param.param_type_name in rows:
            first = _argument(param) if param.param_type_name == "argument" else record[0]
            rows[param.param_type_name].append((first, record[1]))
    found = [(HEADINGS["arguments"], rows["argument"]), (HEADINGS["options"], rows["option"])]
    if hasattr(command, "list_commands"):
        listed = [(name, command.get_command(ctx, name)) for name in command.list_commands(ctx)]
        listed = [(name, sub) for name, sub in listed if sub is not None and not sub.hidden]
        limit = width - 6 - max((len(name) for name, _sub in listed), default=0)  # as Typer's
        found.append((HEADINGS["commands"], [(name, sub.get_short_help_str(limit)) for name, sub in listed]))
    if ctx.parent is not None:  # a command: the root's global options apply to it too
        root = ctx.find_root()
        params = [p for p in root.command.get_params(root) if p.name in GLOBAL_NAMES]
        found.append((GLOBAL_HEADING, [r for p in params if (r := p.get_help_record(root)) is not None]))
    return [(heading, items) for heading, items in found if items]


class _Translated:
    """Help and usage in the chosen language (a mix-in for Typer's command and group classes)."""

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and option.help == HELP_OPTION and i18n.language() != i18n.ENGLISH:
            option.help = _(HELP_OPTION)
        return option

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces: list[str] = super().collect_usage_pieces(ctx)  # type: ignore[misc]  # Typer's class
        plain = {
            piece: _argument(param)
            for param in self.get_params(ctx)  # type: ignore[attr-defined]
            if param.param_type_name == "argument"
            for piece in param.get_usage_pieces(ctx)
        }
        return [plain.get(piece, piece) for piece in pieces]

    def format_options(self, ctx: Any, formatter: Any) -> None:
        """Typer's sections, with headings and marks in the language; Chinese wrapped by width."""
        english = i18n.language() == i18n.ENGLISH
        for heading, rows in _sections(self, ctx, formatter.width):
            if english:
                with formatter.section(heading):
                    formatter.write_dl(rows)
                continue
            from .translate import write_section

            write_section(formatter, _(heading), rows)


class I18nCommand(_Translated, typer.core.TyperCommand):
    """A command whose help and usage are in the chosen language."""


class I18nGroup(_Translated, typer.core.TyperGroup):
    """A group; the root one reads the global options first and shows Click's errors translated."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if ctx.parent is None:  # the root: global options first, the language before anything is read
            try:
                args = hoist(args)
            except MissingValue as exc:  # Click's own words, so that they are translated as Click's
                ctx.fail(f"Option '{exc}' requires an argument.")
            try:
                lang = i18n.resolve_language(_lang_from_args(args), os.environ)
            except i18n.UnknownLanguage as exc:
                typer.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
            i18n.set_language(lang)
            if lang != i18n.ENGLISH:
                from .translate import prepare

                prepare(self)
        return super().parse_args(ctx, args)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Typer's main, with Click's errors shown by ``show_problem`` (in the chosen language)."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except typer.Abort:
            typer.echo(_("Aborted!"), err=True)
            sys.exit(1)
        except Exception as exc:
            if not isinstance(exc, ClickProblem):
                raise
            show_problem(exc)
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


def show_problem(exc: ClickProblem) -> None:
    """Click's error as Click shows it, in the chosen language."""
    if i18n.language() == i18n.ENGLISH:
        exc.show()
        return
    from .translate import show_translated

    show_translated(exc)

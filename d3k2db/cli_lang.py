"""The command line in the chosen language: ``--lang`` on every command, translated ``--help`` and
translated usage errors.

Typer builds its Click commands with English help. The root group (``I18nGroup``) reads ``--lang``
from the raw arguments before anything is parsed (so ``search --help --lang zh-Hant`` works in any
order), sets the language, and — when it is not English — translates every command's help, epilog
and option help through the catalog, once, before Click formats anything. Typer's copy of Click has
no gettext of its own, so its few fixed strings ("Usage:", "Error:", "No such option" …) are
translated by ``cli_translate`` (loaded only then), from its small list ``CLICK_MESSAGES``.
"""

from __future__ import annotations

import os
from typing import Any

import typer
import typer.core
from typer import _click as click

from . import i18n
from .i18n import N_, _

LANG_HELP = N_(
    "Language of the output: en, zh-Hant (Traditional Chinese) or zh-Hans (Simplified Chinese). "
    "Default: $D3K2DB_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else English."
)

USAGE = N_("Usage: ")
HELP_OPTION = N_("Show this message and exit.")


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


def _in_language(exc: click.exceptions.UsageError) -> click.exceptions.UsageError:
    """A Click usage error as it must be shown: itself in English, else translated."""
    if i18n.language() == i18n.ENGLISH:
        return exc
    from .cli_translate import translated_error

    return translated_error(exc)


class _Translated:
    """Help option, usage line and usage errors in the chosen language (a mix-in for Typer's classes)."""

    def get_help_option(self, ctx: click.Context) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None and option.help == HELP_OPTION and i18n.language() != i18n.ENGLISH:
            option.help = _(HELP_OPTION)
        return option

    def format_usage(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        pieces = self.collect_usage_pieces(ctx)  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_(USAGE))

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except click.exceptions.UsageError as exc:
            raise _in_language(exc) from None


class I18nCommand(_Translated, typer.core.TyperCommand):
    """A command whose help and usage errors are in the chosen language."""


class I18nGroup(_Translated, typer.core.TyperGroup):
    """The root group: reads ``--lang`` first, then translates the whole command tree."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if ctx.parent is None:  # the root: choose the language before anything else is read
            try:
                lang = i18n.resolve_language(_lang_from_args(args), os.environ)
            except i18n.UnknownLanguage as exc:
                click.echo(f"error: {exc}", err=True)
                raise typer.Exit(2) from None
            i18n.set_language(lang)
            typer.core._ = i18n._  # type: ignore[attr-defined]  # typer's "Options", "default: …"
            if lang != i18n.ENGLISH:
                from .cli_translate import _Formatter, prepare

                prepare(self, translate=True)
                ctx.formatter_class = _Formatter  # the root's context exists already
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context, args: list[str]) -> Any:
        try:
            return super().resolve_command(ctx, args)
        except click.exceptions.UsageError as exc:
            raise _in_language(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.exceptions.UsageError as exc:
            raise _in_language(exc) from None

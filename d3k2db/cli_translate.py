"""The command line in Chinese: help texts, Click's fixed strings and usage errors through the
catalog, option help wrapped by display width. Imported by ``cli_lang`` only when the language is not
English, so an English command pays nothing for it.
"""

from __future__ import annotations

import re
import sys
from typing import Any

from typer import _click as click

from . import i18n
from .i18n import N_, _

# Click's fixed messages as (pattern of the English text, the catalog's message). Only what a user of
# this tool can meet: usage errors and the help page.
CLICK_MESSAGES: list[tuple[str, str]] = [  # (pattern, message): compiled on first use
    (r"No such option: (?P<name>\S+)(?:\s+Did you mean (?P<hint>.+)\?)?$", ""),
    (r"Missing argument '(?P<name>[^']+)'\.$", N_("Missing argument '{name}'.")),
    (r"Missing option '(?P<name>[^']+)'\.$", N_("Missing option '{name}'.")),
    (
        r"Option '(?P<name>[^']+)' requires an argument\.$",
        N_("Option '{name}' requires an argument."),
    ),
    (
        r"Got unexpected extra arguments? \((?P<name>.*)\)$",
        N_("Got unexpected extra argument(s) ({name})"),
    ),
    (r"No such command '(?P<name>[^']+)'\.$", N_("No such command '{name}'.")),
    (
        r"Invalid value for (?P<name>.+?): Input should be greater than or equal to (?P<value>.+)$",
        N_("Invalid value for {name}: it must be at least {value}."),
    ),
    (
        r"Invalid value for (?P<name>.+?): Input should be less than or equal to (?P<value>.+)$",
        N_("Invalid value for {name}: it must be at most {value}."),
    ),
    (
        r"Invalid value for (?P<name>.+?): Input should be a valid integer\b.*$",
        N_("Invalid value for {name}: it must be a whole number."),
    ),
    (
        r"Invalid value for (?P<name>.+?): Input should be a valid number\b.*$",
        N_("Invalid value for {name}: it must be a number."),
    ),
    (
        (
            r"Invalid value for (?P<name>.+?): (?:Value error, )?(?P<value>.+) "
            r"is not one of (?P<choices>.+)\.$"
        ),
        N_("Invalid value for {name}: {value} is not one of {choices}."),
    ),
]
NO_SUCH_OPTION = N_("No such option: {name}")
DID_YOU_MEAN = N_("Did you mean {hint}?")
TRY_HELP = N_("Try '{command} {option}' for help.")
ERROR = N_("Error: {message}")
# typer.core's own gettext messages: rebound to the catalog when the language is not English
TYPER_MESSAGES = [N_("Options"), N_("Arguments"), N_("Commands"), N_("default: {default}"), N_("required")]
HEADING = N_("{heading}:")


_CJK = "\u2e80-\u9fff\u3000-\u303f\uff00-\uffef"
_TOKEN = rf"[{_CJK}]|[^\s{_CJK}]+|\s+"
_NO_LINE_START = set("，。、；：？！）」』》")  # CJK punctuation that never begins a line
_NO_LINE_END = set("（「『《")  # nor ends one


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def wrap_cjk(text: str, width: int) -> list[str]:
    """Lines of at most ``width`` display columns: Chinese breaks between characters (never before
    closing punctuation), Latin words and options ('$D3K2DB_LANG', '--lang') stay whole."""
    lines, line = [], ""
    for token in re.findall(_TOKEN, " ".join(text.split())):
        if token.isspace():
            line += " " if line else ""
        elif line.strip() and _width(line + token) > width and token not in _NO_LINE_START:
            carried = line[-1] if line[-1] in _NO_LINE_END else ""
            lines.append(line[: len(line) - len(carried)].rstrip())
            line = carried + token
        else:
            line += token
    return [*lines, line.rstrip()] if line.strip() else lines


class _Formatter(click.HelpFormatter):
    """Section headings with the script's own colon ('選項：'); Chinese option help wrapped by
    display width (Click counts characters and breaks inside words when there are no spaces)."""

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{_(HEADING).format(heading=heading)}\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        if i18n.language() == i18n.ENGLISH:
            super().write_dl(rows, col_max, col_spacing)
            return
        rows = list(rows)
        first_col = min(max((len(first) for first, _second in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_cjk(second, max(self.width - first_col - 2, 10)) or [""]
            self.write(lines[0] + "\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class _Context(click.Context):
    formatter_class = _Formatter


def translate_click_message(message: str) -> str:
    """One of Click's English usage errors in the chosen language (unchanged if not a known shape)."""
    for pattern, template in CLICK_MESSAGES:
        found = re.match(pattern, message)
        if not found:
            continue
        if not template:  # no such option, with or without a hint
            text = _(NO_SUCH_OPTION).format(name=found["name"])
            if found["hint"]:
                text += " " + _(DID_YOU_MEAN).format(hint=found["hint"])
            return text
        fields = {k: v for k, v in found.groupdict().items() if k != "kind"}
        return _(template).format(**fields)
    return message


OPTIONS_METAVAR = N_("[OPTIONS]")
COMMAND_METAVAR = N_("COMMAND [ARGS]...")


def prepare(command: click.core.Command, translate: bool) -> None:
    """Translate the help texts of a command and its sub-commands; their help in the script's form."""
    if translate:
        command.context_class = _Context
        command.help = _(command.help) if command.help else command.help
        command.epilog = _(command.epilog) if command.epilog else command.epilog
        command.short_help = _(command.short_help) if command.short_help else command.short_help
        if command.options_metavar == OPTIONS_METAVAR:
            command.options_metavar = _(OPTIONS_METAVAR)
        if getattr(command, "subcommand_metavar", None) == COMMAND_METAVAR:
            command.subcommand_metavar = _(COMMAND_METAVAR)  # type: ignore[attr-defined]
        for param in command.params:
            text = getattr(param, "help", None)
            if text:
                param.help = _(text)  # type: ignore[attr-defined]
    for sub in getattr(command, "commands", {}).values():
        prepare(sub, translate)


class TranslatedUsageError(click.exceptions.UsageError):
    """A Click usage error shown in the chosen language (same exit code, same shape)."""

    def show(self, file: Any = None) -> None:
        if i18n.language() == i18n.ENGLISH:
            super().show(file)
            return
        err = file if file is not None else sys.stderr
        if self.ctx is not None:
            hint = ""
            if self.ctx.command.get_help_option(self.ctx) is not None:
                hint = _(TRY_HELP).format(command=self.ctx.command_path, option=self.ctx.help_option_names[0])
            click.echo(f"{self.ctx.get_usage()}\n{hint}\n", file=err)
        click.echo(_(ERROR).format(message=self.format_message()), file=err)


def translated_error(exc: click.exceptions.UsageError) -> click.exceptions.UsageError:
    if i18n.language() == i18n.ENGLISH or isinstance(exc, TranslatedUsageError):
        return exc
    message = exc.format_message()
    if isinstance(exc, click.exceptions.BadParameter) and not message.startswith("Invalid value"):
        message = exc.format_message()
    translated = TranslatedUsageError(translate_click_message(message), exc.ctx)
    translated.exit_code = exc.exit_code
    return translated

"""The command line in Chinese: help texts, Click's fixed strings and usage errors through the
catalog, option help wrapped by display width. Imported by cli/lang.py only when the language is
not English, so an English command pays nothing for it. Only public methods of Typer's commands,
contexts, help formatters and Click's errors are used (Typer re-exports none of Click's classes).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

import typer

from ..i18n import N_, _

if TYPE_CHECKING:
    from .argv import ClickProblem

# Click's fixed messages as (pattern of the English text, the catalog's message). Only what a user of
# this tool can meet: usage errors and the help page.
CLICK_MESSAGES: list[tuple[str, str]] = [  # (pattern, message): compiled on first use
    (r"No such option: (?P<name>\S+)(?:\s+Did you mean (?P<hint>.+)\?)?$", N_("No such option: {name}")),
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
    (
        r"No such command '(?P<name>[^']+)'\.(?:\s+Did you mean (?P<hint>.+)\?)?$",
        N_("No such command '{name}'."),
    ),
    (r"Missing command\.$", N_("Missing command.")),
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
DID_YOU_MEAN = N_("Did you mean {hint}?")
TRY_HELP = N_("Try '{command} {option}' for help.")
ERROR = N_("Error: {message}")
# the marks Typer writes after an option's help
DEFAULT_MARK = N_("default: {default}")
REQUIRED_MARK = N_("required")
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


def _marks(text: str) -> str:
    """Typer's '[default: 20]' and '[required]' after an option's help, in the language."""
    text = re.sub(
        r"\[default: (?P<value>[^\]]*)\]", lambda m: f"[{_(DEFAULT_MARK).format(default=m['value'])}]", text
    )
    return text.replace("[required]", f"[{_(REQUIRED_MARK)}]")


def write_section(formatter: Any, heading: str, rows: list[tuple[str, str]]) -> None:
    """One help section: the heading with the script's own colon ('選項：'), each row's help wrapped
    by display width (Click counts characters and breaks inside words when there are no spaces)."""
    formatter.write_paragraph()
    formatter.write(f"{'':>{formatter.current_indent}}{_(HEADING).format(heading=heading)}\n")
    formatter.indent()
    try:
        _write_rows(formatter, rows)
    finally:
        formatter.dedent()


def _write_rows(formatter: Any, rows: list[tuple[str, str]], col_max: int = 30, spacing: int = 2) -> None:
    first_col = min(max((len(first) for first, _second in rows), default=0), col_max) + spacing
    indent = " " * formatter.current_indent
    for first, second in rows:
        formatter.write(f"{indent}{first}")
        if not second:
            formatter.write("\n")
            continue
        if len(first) <= first_col - spacing:
            formatter.write(" " * (first_col - len(first)))
        else:
            formatter.write("\n" + " " * (first_col + formatter.current_indent))
        lines = wrap_cjk(_marks(second), max(formatter.width - first_col - 2, 10)) or [""]
        formatter.write(lines[0] + "\n")
        for line in lines[1:]:
            formatter.write(f"{'':>{first_col + formatter.current_indent}}{line}\n")


def translate_click_message(message: str) -> str:
    """One of Click's English usage errors in the chosen language (unchanged if not a known shape);
    Click's and Typer's "Did you mean …?" after it is kept, translated."""
    for pattern, template in CLICK_MESSAGES:
        found = re.match(pattern, message)
        if found:
            fields = found.groupdict()
            hint = fields.pop("hint", None)
            text = _(template).format(**fields)
            return f"{text} {_(DID_YOU_MEAN).format(hint=hint)}" if hint else text
    return message


OPTIONS_METAVAR = N_("[OPTIONS]")
COMMAND_METAVAR = N_("COMMAND [ARGS]...")


def prepare(command: Any) -> None:
    """Translate the help texts of a command and its sub-commands (their public attributes)."""
    command.help = _(command.help) if command.help else command.help
    command.epilog = _(command.epilog) if command.epilog else command.epilog
    command.short_help = _(command.short_help) if command.short_help else command.short_help
    if command.options_metavar == OPTIONS_METAVAR:
        command.options_metavar = _(OPTIONS_METAVAR)
    if getattr(command, "subcommand_metavar", None) == COMMAND_METAVAR:
        command.subcommand_metavar = _(COMMAND_METAVAR)
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            param.help = _(text)
    for sub in getattr(command, "commands", {}).values():
        prepare(sub)


def show_translated(exc: ClickProblem) -> None:
    """Click's error as its ``show()`` writes it — the usage line and the help hint for a usage
    error — in the chosen language. A group called with nothing (its help) is shown as it is."""
    ctx = getattr(exc, "ctx", None)
    message = exc.format_message()
    if ctx is not None and message == ctx.get_help():  # no_args_is_help: the message is the help
        typer.echo(message, err=True)
        return
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = _(TRY_HELP).format(command=ctx.command_path, option=ctx.help_option_names[0])
        typer.echo(f"{ctx.get_usage()}\n{hint}\n", err=True)
    typer.echo(_(ERROR).format(message=translate_click_message(message)), err=True)

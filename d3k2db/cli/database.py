"""The database as a whole: serve, export, import, import-fdc, db upgrade, db seed."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from ..domain.text import printable
from ..errors import UsageError
from ..i18n import _, ngettext
from .failures import friendly_errors
from .lang import I18nCommand
from .options import ProgressOption
from .outputs import open_database, print_lines
from .root import Format, app, db_app, globals_of


@app.command(cls=I18nCommand)
@friendly_errors
def serve(
    ctx: typer.Context,
    host: Annotated[
        str,
        typer.Option(
            "--host", help="Address to listen on. Anything but loopback shows the page to your network."
        ),
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", "-p", min=1, max=65535, help="TCP port.")] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Open the page in your browser.")] = False,
    allow_edits: Annotated[
        bool,
        typer.Option(
            "--allow-edits", help="Let the page and the API add and remove your own foods (off: read-only)."
        ),
    ] = False,
    workers: Annotated[
        int,
        typer.Option(
            "--workers",
            min=1,
            max=32,
            help="Processes answering at once: 2 uses both cores of a 2-core machine for many users.",
        ),
    ] = 1,
) -> None:
    """Start the local web page: search as you type, build a meal, pair it with D3.

    Read-only unless --allow-edits; the JSON API is under /api/ (OpenAPI: /api/openapi.json).

    Example: d3k2db serve --open
    """
    from ..web.serve import run

    run(
        host,
        port,
        db=globals_of(ctx).db,
        allow_edits=allow_edits,
        open_browser=open_browser,
        workers=workers,
    )


@app.command(cls=I18nCommand)
@friendly_errors
def export(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File to write; default: standard output.")
    ] = None,
    custom_only: Annotated[bool, typer.Option("--custom-only", help="Only your own foods.")] = False,
    excel: Annotated[
        bool, typer.Option("--excel", help="CSV for Excel: UTF-8 with BOM and ';' between cells.")
    ] = False,
) -> None:
    """Write the foods (every column `d3k2db import` reads) as CSV or JSON.

    Example: d3k2db export --custom-only -o my-foods.csv
    """
    fmt = globals_of(ctx).format(Format.csv, Format.csv, Format.json)
    if output is not None and str(output) == "-":
        output = None  # the usual spelling of standard output
    if output is not None:
        _check_writable(output)
    target = output if output is not None else sys.stdout
    with open_database(ctx) as database:
        if fmt is Format.json:
            count = database.export_json(target, custom_only=custom_only)
        else:
            count = database.export_csv(target, custom_only=custom_only, excel=excel)
    if output is not None:
        message = ngettext("exported {count} food to {file}", "exported {count} foods to {file}", count)
        typer.echo(printable(message.format(count=count, file=output)), err=True)


def _check_writable(path: Path) -> None:
    """A file we may create: not a folder, in a folder that exists."""
    if path.is_dir():
        raise UsageError(
            _("{path} is a folder: give a file name, e.g. {example}").format(
                path=path, example=path / "foods.csv"
            )
        )
    if not path.parent.is_dir():
        raise UsageError(
            _("cannot write {path}: the folder {folder} does not exist").format(path=path, folder=path.parent)
        )


@app.command("import", cls=I18nCommand)
@friendly_errors
def import_(
    ctx: typer.Context,
    file: Annotated[Path, typer.Argument(help="A CSV with the columns `d3k2db export` writes.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Check and report; write nothing.")] = False,
    verbose: Annotated[
        bool, typer.Option("--verbose", "-v", help="List every food added or updated.")
    ] = False,
    progress: ProgressOption = None,
) -> None:
    """Add or update your own foods from a CSV: checked in full first, then one transaction.

    Example: d3k2db import my-foods.csv --dry-run
    """
    from ..output import render

    chosen = globals_of(ctx).format(Format.table, Format.table, Format.json)
    with open_database(ctx) as database:
        report = database.import_csv(file, dry_run=dry_run, progress=progress)
    if chosen is Format.json:
        print_lines(render.to_json(report.to_dict()))
        return
    if report.unchanged and not report.added and not report.updated and not dry_run:
        count = len(report.unchanged)
        print_lines(
            ngettext(
                "nothing to change: the {count} food is already as in the file",
                "nothing to change: all {count} foods are already as in the file",
                count,
            ).format(count=count)
        )
        return
    summary = (
        _("would add {added}, would update {updated}, unchanged {unchanged} (dry run: nothing written)")
        if dry_run
        else _("added {added}, updated {updated}, unchanged {unchanged}")
    )
    lines = [
        summary.format(added=len(report.added), updated=len(report.updated), unchanged=len(report.unchanged))
    ]
    if verbose:
        lines += [f"  + {name}" for name in report.added] + [f"  ~ {name}" for name in report.updated]
    elif report.added or report.updated:
        lines.append(_("(--verbose lists them)"))
    if report.ignored_columns:
        lines.append(_("ignored columns: {columns}").format(columns=", ".join(report.ignored_columns)))
    print_lines("\n".join(lines))


@app.command("import-fdc", cls=I18nCommand)
@friendly_errors
def import_fdc(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A FoodData Central CSV download: its folder or its .zip.")],
    progress: ProgressOption = None,
) -> None:
    """Import every food with MK-4 (and its K1, D3 and portions) from USDA FoodData Central.

    Example: d3k2db import-fdc ~/Downloads/FoodData_Central_sr_legacy_food_csv_2018-04.zip
    """
    from ..output import render

    chosen = globals_of(ctx).format(Format.table, Format.table, Format.json)
    with open_database(ctx) as database:
        report = database.import_fdc(path, progress=progress)
    if chosen is Format.json:
        print_lines(render.to_json(report.to_dict()))
        return
    line = _(
        "read {rows:,} nutrient rows; {foods} food(s) with MK-4: added {added}, updated {updated}, "
        "unchanged {unchanged}"
    ).format(
        rows=report.rows_read,
        foods=report.foods_with_mk4,
        added=len(report.added),
        updated=len(report.updated),
        unchanged=len(report.unchanged),
    )
    if report.skipped:
        line += _("; skipped {count}").format(count=len(report.skipped))
    print_lines(line)


@db_app.command("upgrade", cls=I18nCommand)
@friendly_errors
def db_upgrade(ctx: typer.Context) -> None:
    """Create the database or bring its schema and seed up to date; list where your own aliases
    and foods went when the seed renamed or removed their food (first use does this anyway).

    Example: d3k2db db upgrade
    """
    from ..library import K2Database
    from ..output.upgrade import change_lines

    with K2Database(globals_of(ctx).db, prepare=False) as database:
        report = database.upgrade()
        earlier = [] if report.seed_loaded else database.last_seed_changes()
        url = database.url
    lines = [
        _("schema at revision {revision} (was {before}): {url}").format(
            revision=report.revision, before=report.revision_before or _("empty"), url=url
        )
    ]
    if report.seed_loaded:
        lines.append(_("seed loaded"))
        lines += change_lines(report.changes)
    elif earlier:
        lines.append(_("the last seed load did this to what you added:"))
        lines += change_lines(earlier)
    typer.echo("\n".join(lines))


@db_app.command("seed", cls=I18nCommand)
@friendly_errors
def db_seed(ctx: typer.Context) -> None:
    """Load the shipped, cited seed foods again (your own foods are kept)."""
    from ..library import K2Database
    from ..output.upgrade import change_lines

    with K2Database(globals_of(ctx).db, prepare=False) as database:
        loaded = database.seed()
    counts = _(", ").join(f"{n} {_(what)}" for what, n in loaded.counts.items())
    typer.echo("\n".join([_("{counts} loaded").format(counts=counts), *change_lines(loaded.changes)]))

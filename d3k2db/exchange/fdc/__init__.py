"""Import the foods with a menaquinone-4 figure from a USDA FoodData Central (FDC) CSV download.

FDC publishes menaquinone-4 (nutrient 428), phylloquinone (K1, 430), dihydrophylloquinone (429) and
vitamin D3 (326), all in µg per 100 g. The downloads (https://fdc.nal.usda.gov/download-datasets)
are zips of CSV files; the full one holds a ``food_nutrient.csv`` of several gigabytes, so that file
is read in chunks with only three columns and filtered at once (a big unzipped file as two halves
in two threads), and the foods are written in batches: memory stays bounded by the chunk and batch
sizes, not the file size or the number of foods.

Imported foods are the user's (``is_custom``): a seed refresh keeps them, ``remove_food`` removes
them, and importing the same download again changes nothing. A food is identified by its fdc_id
(kept in ``locator``), so a re-import updates it even if FDC renamed it.

The modules, in the order an import runs: ``stream`` (the files of a folder or zip, read in chunks;
a big food_nutrient.csv as two halves in two threads), ``..progress`` (the bar, shared with the CSV import),
``parse`` (rows into per-food tables), ``build`` (a food's values, measurement and portions) and
``write`` (batched, idempotent writes and the report).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from ...errors import UsageError
from ...files.progress import shown
from ...i18n import _
from .parse import NUTRIENTS, read_download
from .stream import CHUNK_ROWS

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from .write import FdcReport

__all__ = ["CHUNK_ROWS", "NUTRIENTS", "FdcReport", "import_fdc"]


def __getattr__(name: str) -> object:
    """``FdcReport`` on first use: the writing side (SQLAlchemy) is imported while a download is read."""
    if name == "FdcReport":
        from .write import FdcReport

        return FdcReport
    raise AttributeError(name)


def _writing(engine: Engine | Callable[[], Engine]) -> Engine:
    """The engine, opened (SQLAlchemy and the writing modules imported) in a thread of its own."""
    from . import write  # noqa: F401  (imported here, off the reading thread)

    return engine() if callable(engine) else engine


def import_fdc(
    engine: Engine | Callable[[], Engine],
    path: str | Path,
    *,
    progress: bool | None = None,
    chunksize: int = CHUNK_ROWS,
) -> FdcReport:
    """Import every FDC food with an MK-4 figure from a download folder or zip; see module doc.

    ``engine`` may be a function that opens it: it is then opened while the download is read.
    ``progress=None`` shows a progress bar only when stderr is a terminal. All the reading is done
    before the one write transaction, so a bad file leaves the database untouched (SeedError).
    Memory: the chunk being read, about 300 bytes for each food with MK-4, and one batch of
    BATCH_FOODS foods being written.
    """
    if chunksize < 1:
        raise UsageError(_("chunksize must be at least 1"))
    with ThreadPoolExecutor(max_workers=1) as pool:
        # SQLAlchemy's import and the engine cost a few tenths of a second of start-up: done while
        # pandas parses (its tokenizer releases the GIL), not before.
        opening = pool.submit(_writing, engine)
        tables = read_download(Path(path), chunksize, shown(progress))
        opened = opening.result()
    from ...database import write_transaction
    from .build import importable
    from .write import FdcReport, write_foods

    report = FdcReport(rows_read=tables.rows, foods_with_mk4=len(tables.figures))
    ids, skipped = importable(tables)
    report.skipped.extend(skipped)
    with write_transaction(opened) as connection:
        write_foods(connection, tables, ids, report)
    return report

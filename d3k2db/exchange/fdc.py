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
"""

from __future__ import annotations

import csv
import io
import math
import re
import sys
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pandas as pd
from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection, Engine

from ..errors import SeedError
from ..evidence import own_food, own_measurement
from ..figures import fmt_number, k2_total
from ..storage.bulk import insert_many
from ..storage.tables import FORMS
from ..storage.tables import foods as food_table
from ..storage.tables import measurements as measurement_table
from ..storage.tables import portions as portion_table
from ..storage.tables import sources as source_table
from ..storage.writes import MAX_LABEL, MAX_NAME, Holder, food_ids, holders, write_transaction
from ..text import search_key
from .frames import records

FDC_URL = "https://fdc.nal.usda.gov/"
CITATION_PREFIX = "USDA FoodData Central — "
# nutrient_nbr (the SR number, stable across releases) → (our field, FDC's nutrient id today).
NUTRIENTS: dict[int, tuple[str, int]] = {
    428: ("mk4", 1183),
    429: ("dihydrophylloquinone", 1184),
    430: ("k1", 1185),
    326: ("vitamin_d3", 1112),
}
# The data types that are foods. The full download also holds the laboratory samples behind the
# Foundation foods (sub_sample_food, market_acquisition, …): importing them would list one food
# many times, so they are skipped and counted.
DATASETS = {
    "sr_legacy_food": "SR Legacy",
    "foundation_food": "Foundation Foods",
    "survey_fndds_food": "Survey (FNDDS)",
    "branded_food": "Branded Foods",
}
UNDETERMINED_UNIT = "9999"  # measure_unit_id FDC gives SR Legacy and Survey portions
PORTION_COLUMNS = (
    "id",
    "fdc_id",
    "seq_num",
    "amount",
    "measure_unit_id",
    "portion_description",
    "modifier",
    "gram_weight",
)
_LEADING_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?)\s+(\S.*)$")
_MICROGRAMS = {"UG", "µG", "ΜG", "MCG"}


@dataclass
class FdcReport:
    """What an FDC import did, by food name; ``skipped`` says what was left out and why."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    rows_read: int = 0  # food_nutrient.csv rows scanned
    foods_with_mk4: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "rows_read": self.rows_read,
            "foods_with_mk4": self.foods_with_mk4,
        }


# --- the download: a folder or a zip -------------------------------------------------------------


class _Download:
    """The CSV files of a download, found by base name at any depth (FDC zips hold one folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.files: dict[str, Any] = {}
        if not path.exists():
            raise SeedError(f"{path}: not found")
        if path.is_dir():
            members = sorted(path.rglob("*.csv"), key=lambda p: (len(p.parts), str(p)))
            for member in members:
                self.files.setdefault(member.name.lower(), member)
        else:
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError):
                raise SeedError(
                    f"{path}: not a folder or a zip file of a FoodData Central download"
                ) from None
            infos = [i for i in self.zip.infolist() if i.filename.lower().endswith(".csv")]
            for info in sorted(infos, key=lambda i: (i.filename.count("/"), i.filename)):
                self.files.setdefault(info.filename.rsplit("/", 1)[-1].lower(), info)
        for required in ("food_nutrient.csv", "food.csv"):
            if required not in self.files:
                raise SeedError(f"{path}: no {required} — is this a FoodData Central CSV download?")

    def has(self, name: str) -> bool:
        return name in self.files

    def size(self, name: str) -> int:
        member = self.files[name]
        return int(member.file_size) if self.zip is not None else member.stat().st_size

    def open(self, name: str) -> IO[bytes]:
        member = self.files[name]
        try:
            return self.zip.open(member) if self.zip is not None else member.open("rb")
        except (OSError, zipfile.BadZipFile, RuntimeError) as exc:
            raise SeedError(f"{self.path}: cannot read {name} ({exc})") from None

    def columns(self, name: str) -> list[str]:
        with self.open(name) as handle:
            first = handle.readline().decode("utf-8-sig", errors="replace")
        return [c.strip().lower() for c in next(csv.reader([first]), [])]

    def require(self, name: str, needed: tuple[str, ...]) -> list[str]:
        columns = self.columns(name)
        missing = [c for c in needed if c not in columns]
        if missing:
            raise SeedError(f"{name}: missing column(s) {', '.join(missing)}")
        return columns

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


class _Counted(io.RawIOBase):
    """A binary stream that reports how many bytes were read (for the progress bar)."""

    def __init__(self, raw: IO[bytes], advance: Callable[[int], None]) -> None:
        self.raw = raw
        self.advance = advance

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(len(buffer))
        buffer[: len(data)] = data
        if data:
            self.advance(len(data))
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


class _Slice(io.RawIOBase):
    """The next ``length`` bytes of a binary stream, then end of file."""

    def __init__(self, raw: IO[bytes], length: int) -> None:
        self.raw = raw
        self.left = length

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(min(len(buffer), self.left)) if self.left > 0 else b""
        buffer[: len(data)] = data
        self.left -= len(data)
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass(frozen=True)
class _Part:
    """A byte range of a plain file that starts and ends at record boundaries."""

    start: int
    length: int | None  # None: to the end of the file
    names: list[str] | None = None  # the header's columns, for a part that starts after it


# food_nutrient.csv is parsed as two halves at once when it is a plain file (not in a zip) of at
# least this size: pandas' tokenizer releases the GIL, so two threads read it ~1.9× as fast.
SPLIT_MIN_BYTES = 64 << 20


def _halves(download: _Download, name: str, columns: list[str]) -> list[_Part]:
    """The file as two parts split at the first record boundary after its middle; the whole file
    as one part when it is small, inside a zip (no cheap seeking), or no boundary is found.

    A newline ends a record when an even number of quote characters precede it (an escaped ""
    counts two), so a quoted footnote spanning lines is never cut.
    """
    whole = [_Part(0, None)]
    if download.zip is not None or download.size(name) < SPLIT_MIN_BYTES:
        return whole
    middle = download.size(name) // 2
    quotes = 0
    with download.open(name) as handle:
        left = middle
        while left:
            block = handle.read(min(left, 16 << 20))
            if not block:
                return whole
            quotes += block.count(b'"')
            left -= len(block)
        ahead = handle.read(1 << 20)
    position, inside = 0, quotes % 2 == 1
    while True:
        newline = ahead.find(b"\n", position)
        if newline < 0:
            return whole
        inside ^= ahead.count(b'"', position, newline) % 2 == 1
        position = newline + 1
        if not inside:
            break
    # A last check that the second part starts with a whole record: as many fields as the header.
    rest = io.StringIO(ahead[position:].decode("utf-8", "replace"), newline="")
    if len(next(csv.reader(rest), [])) != len(columns):
        return whole
    return [_Part(0, middle + position), _Part(middle + position, None, columns)]


# Rows of food_nutrient.csv parsed at a time. 250,000 parses faster than 1,000,000 here (the chunk's
# columns stay in the CPU caches) and bounds memory lower; measured in docs/performance.md.
CHUNK_ROWS = 250_000


def _NO_PROGRESS(_bytes: int) -> None:  # a sentinel, compared by identity
    """Progress callback when no bar is shown."""


@contextmanager
def _progress(enabled: bool, total: int) -> Iterator[Callable[[int], None]]:
    if not enabled:
        yield _NO_PROGRESS
        return
    from rich.console import Console  # only when a bar is shown
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn("FoodData Central"), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("read", total=total)
        yield lambda n: bar.advance(task, n)


def _chunks(
    download: _Download,
    name: str,
    usecols: list[str],
    advance: Callable[[int], None],
    part: _Part | None = None,
    **options: Any,
) -> Iterator[pd.DataFrame]:
    """The chunks of a CSV file (or of one part of it) read in bounded memory."""
    with download.open(name) as raw:
        stream: IO[bytes] = raw
        if part is not None:
            raw.seek(part.start)
            if part.length is not None:
                stream = io.BufferedReader(_Slice(raw, part.length), 1 << 20)
            if part.names is not None:
                options = {**options, "header": None, "names": part.names}
        # Count bytes only for a progress bar: without one, pandas reads the file unwrapped.
        if advance is not _NO_PROGRESS:
            stream = io.BufferedReader(_Counted(stream, advance), 1 << 20)
        try:
            # "utf-8", not "utf-8-sig": pandas' C tokenizer decodes UTF-8 itself and skips a BOM,
            # while any other codec name routes every byte through a Python text wrapper first.
            reader = pd.read_csv(
                stream, usecols=usecols, encoding="utf-8", encoding_errors="replace", **options
            )
            yield from reader
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SeedError(f"{name}: not readable as a FoodData Central CSV file ({reason})") from None


def _numbers(name: str, chunk: pd.DataFrame, column: str, *, required: bool) -> pd.Series:
    """A column as floats; a cell that is not a number (or empty, if required) is an error naming
    its line. The fast path costs nothing: pandas already parsed a clean column as numbers.

    pandas numbers a chunked file's rows on from chunk to chunk, so a row's index + 2 is its line
    (the header is line 1), also in a filtered part of a chunk.
    """
    values = chunk[column]
    if pd.api.types.is_numeric_dtype(values) and not (required and values.isna().any()):
        return values.astype("float64")
    coerced = pd.to_numeric(values, errors="coerce")
    raw = values.astype(str).str.strip()
    blank = values.isna() | raw.isin(["", "nan"])
    bad = (coerced.isna() & ~blank) | (blank if required else False)
    if bool(bad.any()):
        position = int(bad.to_numpy().nonzero()[0][0])
        cell = values.iloc[position]
        problem = "is empty" if blank.iloc[position] else f"{cell!r} is not a number"
        raise SeedError(f"{name} line {int(values.index[position]) + 2}, column {column}: {problem}")
    return coerced.astype("float64")


# --- reading the download ------------------------------------------------------------------------


def _nutrient_ids(download: _Download) -> dict[int, str]:
    """FDC nutrient id → our field, from nutrient.csv when present (by nutrient_nbr)."""
    ids = {fdc_id: field_name for field_name, fdc_id in NUTRIENTS.values()}
    if not download.has("nutrient.csv"):
        return ids
    columns = download.require("nutrient.csv", ("id", "nutrient_nbr"))
    with download.open("nutrient.csv") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for _, row in frame.iterrows():
        try:
            number = float(row["nutrient_nbr"])
        except ValueError:
            continue
        if not number.is_integer() or int(number) not in NUTRIENTS:
            continue
        field_name, default_id = NUTRIENTS[int(number)]
        unit = str(row["unit_name"]).strip().upper() if "unit_name" in columns else "UG"
        if unit and unit not in _MICROGRAMS:
            raise SeedError(
                f"nutrient.csv: nutrient {int(number)} ({row.get('name', '')}) is in {unit}, expected µg"
            )
        try:
            ids.pop(default_id, None)
            ids[int(row["id"])] = field_name
        except ValueError:
            raise SeedError(f"nutrient.csv: {row['id']!r} is not a nutrient id") from None
    return ids


def _scan_figures(
    download: _Download,
    ids: list[int],
    chunksize: int,
    advance: Callable[[int], None],
    part: _Part | None = None,
    stop: threading.Event | None = None,
) -> tuple[list[pd.DataFrame], int]:
    """The rows of food_nutrient.csv (or of one part) with a wanted nutrient, and the rows read.

    Line numbers in errors count from the part's start: only a whole-file scan names lines.
    """
    name = "food_nutrient.csv"
    kept: list[pd.DataFrame] = []
    rows = 0
    usecols = ["fdc_id", "nutrient_id", "amount"]
    for chunk in _chunks(download, name, usecols, advance, part, chunksize=chunksize):
        if stop is not None and stop.is_set():
            break
        rows += len(chunk)
        nutrient = _numbers(name, chunk, "nutrient_id", required=True)
        mask = nutrient.isin(ids).to_numpy()
        if not mask.any():
            continue
        found = chunk.loc[mask]
        fdc_ids = _numbers(name, found, "fdc_id", required=True)
        amounts = _numbers(name, found, "amount", required=False)
        invalid = ((amounts < 0) | amounts.isin([math.inf, -math.inf])).to_numpy()
        if invalid.any():
            position = int(invalid.nonzero()[0][0])
            line = int(found.index[position]) + 2
            shown = found["amount"].iloc[position]
            raise SeedError(f"{name} line {line}, column amount: {shown} must be a finite number ≥ 0")
        kept.append(
            pd.DataFrame(
                {
                    "fdc_id": fdc_ids.to_numpy(dtype="int64"),
                    "nutrient_id": nutrient[mask].to_numpy(),
                    "amount": amounts.to_numpy(),
                }
            )
        )
    return kept, rows


def _scan_halves(
    download: _Download, parts: list[_Part], ids: list[int], chunksize: int, advance: Callable[[int], None]
) -> tuple[list[pd.DataFrame], int] | None:
    """Both halves at once, in file order; None if either fails (the caller then reads the file
    whole, which names the first bad line exactly as a one-pass read does)."""
    stop = threading.Event()
    rows_each = max(1, chunksize // (2 * len(parts)))  # both parsers together: less than one whole
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        scans = [pool.submit(_scan_figures, download, ids, rows_each, advance, part, stop) for part in parts]
        try:
            results = [scan.result() for scan in scans]
        except SeedError:
            return None
        finally:
            stop.set()  # on any exception the other half stops at its next chunk
    return [frame for kept, _ in results for frame in kept], sum(rows for _, rows in results)


def _read_figures(
    download: _Download, wanted: dict[int, str], chunksize: int, advance: Callable[[int], None]
) -> tuple[pd.DataFrame, int]:
    """The figures of the foods that have MK-4, and the number of rows scanned.

    One row per fdc_id (sorted), one float column per field of ``wanted`` (NaN: not given): about
    40 bytes a food, so even a download where every food has MK-4 stays small.
    """
    name = "food_nutrient.csv"
    columns = download.require(name, ("fdc_id", "nutrient_id", "amount"))
    ids = list(wanted)
    parts = _halves(download, name, columns)
    scanned = _scan_halves(download, parts, ids, chunksize, advance) if len(parts) > 1 else None
    kept, rows = scanned or _scan_figures(download, ids, chunksize, advance)
    fields = sorted(set(wanted.values()))
    if not kept:
        return pd.DataFrame(columns=fields, dtype="float64"), rows
    found = pd.concat(kept, ignore_index=True).dropna(subset=["amount"])
    # Only foods with MK-4 are imported: drop the others' K1 and D3 rows before pivoting them.
    mk4 = [float(nutrient_id) for nutrient_id, field_name in wanted.items() if field_name == "mk4"]
    found = found[found["fdc_id"].isin(found.loc[found["nutrient_id"].isin(mk4), "fdc_id"].unique())]
    found = found.assign(field=found["nutrient_id"].map({float(k): v for k, v in wanted.items()}))
    # The first figure a food has for a field wins, as FDC lists one per food and nutrient.
    found = found.drop_duplicates(subset=["fdc_id", "field"], keep="first")
    figures = found.pivot(index="fdc_id", columns="field", values="amount").reindex(columns=fields)
    return figures.sort_index(), rows


def _matching_rows(
    download: _Download,
    name: str,
    usecols: list[str],
    ids: pd.Index,
    chunksize: int,
    advance: Callable[[int], None],
) -> pd.DataFrame:
    """The rows of a CSV file whose fdc_id is in ``ids``, as text, with the fdc_id as a number in
    column ``_fdc`` (sorted by it, file order kept within one food)."""
    parts: list[pd.DataFrame] = []
    for chunk in _chunks(
        download, name, usecols, advance, dtype=str, keep_default_na=False, chunksize=chunksize
    ):
        fdc_ids = _numbers(name, chunk, "fdc_id", required=True)
        mask = fdc_ids.isin(ids).to_numpy()
        if mask.any():
            found = chunk.loc[mask].drop(columns="fdc_id")
            parts.append(found.assign(_fdc=fdc_ids[mask].to_numpy(dtype="int64")))
    if not parts:
        return pd.DataFrame(columns=[c for c in [*usecols, "_fdc"] if c != "fdc_id"])
    whole = pd.concat(parts, ignore_index=True).sort_values("_fdc", kind="stable", ignore_index=True)
    # Categories keep each distinct text once (units, amounts, weights and data types repeat a
    # lot): a third of the memory when a download has tens of thousands of foods with MK-4.
    return whole.astype({column: "category" for column in whole.columns if column != "_fdc"})


def _read_foods(
    download: _Download, ids: pd.Index, chunksize: int, advance: Callable[[int], None]
) -> pd.DataFrame:
    """food.csv's rows for ``ids``, indexed by fdc_id (the first row of an id wins)."""
    name = "food.csv"
    columns = download.require(name, ("fdc_id", "data_type", "description"))
    usecols: list[str] = [
        c for c in ("fdc_id", "data_type", "description", "food_category_id") if c in columns
    ]
    rows = _matching_rows(download, name, usecols, ids, chunksize, advance)
    return rows.drop_duplicates(subset="_fdc", keep="first").set_index("_fdc")


def _read_portions(
    download: _Download, ids: pd.Index, chunksize: int, advance: Callable[[int], None]
) -> pd.DataFrame:
    """food_portion.csv's rows for ``ids``, sorted by fdc_id (column ``_fdc``)."""
    name = "food_portion.csv"
    if not download.has(name):
        return pd.DataFrame(columns=["_fdc"])
    columns = download.require(name, ("fdc_id", "gram_weight"))
    usecols = [c for c in PORTION_COLUMNS if c in columns]
    return _matching_rows(download, name, usecols, ids, chunksize, advance)


def _small_table(download: _Download, name: str, key: str, value: str) -> dict[str, str]:
    """A small id → text table (measure units, categories); absent or odd files give {}."""
    if not download.has(name):
        return {}
    columns = download.columns(name)
    if key not in columns or value not in columns:
        return {}
    with download.open(name) as handle:
        frame = pd.read_csv(
            handle, dtype=str, keep_default_na=False, usecols=[key, value], encoding="utf-8-sig"
        )
    return {str(k).strip(): str(v).strip() for k, v in zip(frame[key], frame[value], strict=True)}


# --- turning FDC rows into foods -----------------------------------------------------------------


def _float(text: str) -> float | None:
    try:
        value = float(text)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:40].rstrip("_")


def _portion_list(
    rows: list[dict[str, str]], units: dict[str, str], fdc_id: int, citation: str
) -> list[dict[str, Any]]:
    """Household portions in FDC's order (seq_num, then id), one per unit.

    SR Legacy keeps the unit text in ``modifier`` (measure unit 9999: 'cup, chopped', 'large');
    Foundation names a real unit in measure_unit.csv ('cup'), with an optional modifier; Survey
    (FNDDS) writes the whole measure in ``portion_description`` ('1 cup', 'Quantity not
    specified') and keeps a numeric code in ``modifier``.
    """

    def order(row: dict[str, str]) -> tuple[float, float]:
        seq = _float(row.get("seq_num", ""))
        return (seq if seq is not None else math.inf, _float(row.get("id", "")) or 0.0)

    portions: list[dict[str, Any]] = []
    seen: set[str] = set()
    for row in sorted(rows, key=order):
        grams = _float(row.get("gram_weight", ""))
        if grams is None or grams <= 0:
            continue
        amount = _float(row.get("amount", ""))
        amount = amount if amount is not None and amount > 0 else None
        modifier = row.get("modifier", "").strip()
        description = row.get("portion_description", "").strip()
        unit_id = row.get("measure_unit_id", "").strip()
        unit_name = units.get(unit_id, "") if unit_id and unit_id != UNDETERMINED_UNIT else ""
        if unit_name and unit_name.lower() != "undetermined":
            unit = f"{unit_name}, {modifier}" if modifier and not modifier.isdigit() else unit_name
        elif modifier and not modifier.isdigit():
            unit = modifier
        elif description:
            unit = description
            match = _LEADING_AMOUNT.match(description)
            if match:  # the description holds the whole measure: '2 slices' → 2 × slices
                amount, unit = float(match.group(1)), match.group(2)
        else:
            continue
        unit = unit[:MAX_LABEL]
        if unit.lower() in seen:
            continue
        seen.add(unit.lower())
        portions.append(
            {
                "unit": unit,
                "amount": amount or 1.0,
                "grams": grams,
                "description": (description or modifier)[:300] or None,
                "source": citation,
                "locator": f"fdc_id {fdc_id}, food_portion id {row.get('id', '').strip() or '?'}",
            }
        )
    return portions


@dataclass
class _Food:
    fdc_id: int
    description: str
    citation: str
    values: dict[str, Any]  # foods columns but name, search_key and source_id
    portions: list[dict[str, Any]]
    measurement: dict[str, Any]  # measurements columns but food_id and source_id


def _build(
    fdc_id: int,
    food: dict[str, str],
    figures: dict[str, float],
    portions: list[dict[str, str]],
    units: dict[str, str],
    categories: dict[str, str],
) -> _Food:
    dataset = DATASETS[food["data_type"].strip()]
    citation = CITATION_PREFIX + dataset
    description = " ".join(str(food.get("description", "")).split())
    category_id = str(food.get("food_category_id", "")).strip()
    category = _slug(categories.get(category_id, "")) or "fdc"
    values: dict[str, float | None] = {form: None for form in FORMS}
    values.update(
        mk4=figures["mk4"],
        total_k2_published=None,
        k1=figures.get("k1"),
        vitamin_d3=figures.get("vitamin_d3"),
    )
    # Dihydrophylloquinone (K1 made in hydrogenated fats) is neither K1 nor K2: kept as a note.
    dihydro = figures.get("dihydrophylloquinone")
    notes = (
        None if dihydro is None else f"dihydrophylloquinone {fmt_number(dihydro)} µg/100 g (FDC nutrient 429)"
    )
    listed = _portion_list(portions, units, fdc_id, citation)
    first = listed[0] if listed else None
    if first is not None:
        unit = first["unit"]
        label = unit if unit[:1].isdigit() else f"{fmt_number(first['amount'])} {unit}"
        serving_g, serving_label = first["grams"], label[:MAX_LABEL]
    else:
        serving_g, serving_label = 100.0, "100 g"
    figure_values = {k: values[k] for k in (*FORMS, "total_k2_published", "k1", "vitamin_d3")}
    return _Food(
        fdc_id=fdc_id,
        description=description,
        citation=citation,
        values={
            "category": category,
            "tag": "MK-4",
            **figure_values,
            "k2_total": k2_total(figure_values),
            "serving_g": serving_g,
            "serving_label": serving_label,
            "locator": f"fdc_id {fdc_id}",
            "vitamin_d3_source": None,
            "is_custom": True,
            "notes": notes,
            **own_food(figure_values),
        },
        portions=listed,
        measurement={
            "locator": f"fdc_id {fdc_id}",
            "source_food_name": description,
            "basis": None,
            "notes": notes,
            **figure_values,
            **own_measurement(figure_values),
        },
    )


# --- writing -------------------------------------------------------------------------------------


_FOOD_COLUMNS = [c for c in food_table.columns if c.key != "id"]
_PORTION_KEYS = ("unit", "amount", "grams", "description", "source", "locator")
_MEASUREMENT_KEYS = tuple(c.key for c in measurement_table.columns if c.key not in ("id", "food_id"))
# Foods built and written at a time, inside the one transaction: memory stays flat however many
# foods of a download have MK-4.
BATCH_FOODS = 2_000


@dataclass
class _Current:
    """What an earlier FDC import wrote for one food, in comparable form."""

    food: dict[str, Any]
    portions: list[tuple[Any, ...]] = field(default_factory=list)
    measurements: list[tuple[Any, ...]] = field(default_factory=list)


def _fdc_id_of(locator: str | None) -> int | None:
    match = re.fullmatch(r"fdc_id (\d+)", locator or "")
    return int(match.group(1)) if match else None


def _imported(connection: Connection) -> dict[int, int]:
    """fdc_id → food id of the foods earlier FDC imports added (the first, should one repeat)."""
    rows = connection.execute(
        select(food_table.c.id, food_table.c.locator)
        .join(source_table, food_table.c.source_id == source_table.c.id)
        .where(food_table.c.is_custom.is_(True), source_table.c.citation.startswith(CITATION_PREFIX))
        .order_by(food_table.c.id)
    )
    by_fdc: dict[int, int] = {}
    for food_id, locator in rows:
        fdc_id = _fdc_id_of(locator)
        if fdc_id is not None:
            by_fdc.setdefault(fdc_id, food_id)
    return by_fdc


def _current(connection: Connection, food_ids: list[int]) -> dict[int, _Current]:
    """The rows an earlier import wrote for ``food_ids`` (at most BATCH_FOODS, three queries)."""
    if not food_ids:
        return {}
    current = {
        row.id: _Current({c.key: row._mapping[c.key] for c in _FOOD_COLUMNS})
        for row in connection.execute(
            select(food_table.c.id, *_FOOD_COLUMNS).where(food_table.c.id.in_(food_ids))
        )
    }
    for food_id, values in _child_rows(connection, portion_table, _PORTION_KEYS, food_ids):
        current[food_id].portions.append(values)
    for food_id, values in _child_rows(connection, measurement_table, _MEASUREMENT_KEYS, food_ids):
        current[food_id].measurements.append(values)
    return current


def _child_rows(
    connection: Connection, table: Any, keys: tuple[str, ...], food_ids: list[int]
) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """(food id, the ``keys`` columns) of a table's rows for ``food_ids``, in insertion order."""
    statement = (
        select(table.c.food_id, *(table.c[k] for k in keys))
        .where(table.c.food_id.in_(food_ids))
        .order_by(table.c.id)
    )
    for food_id, *values in connection.execute(statement):
        yield food_id, tuple(values)


def _candidates(item: _Food) -> list[tuple[str, str]]:
    """The names an FDC food may take, with their search keys: its description, then
    'description (FDC id)'."""
    suffix = f" (FDC {item.fdc_id})"
    base = item.description[: MAX_NAME - len(suffix)].rstrip() or f"FDC {item.fdc_id}"
    return [(name, search_key(name)) for name in (base, base + suffix)]


def _name_for(
    candidates: list[tuple[str, str]], own: int | None, taken: dict[str, Holder]
) -> tuple[str, str] | None:
    """The first candidate name no other food holds, with its search key."""
    for candidate, key in candidates:
        holder = taken.get(key)
        if key and (holder is None or (own is not None and holder.food_id == own)):
            return candidate, key
    return None


class _Writer:
    """Adds new foods, rewrites changed ones and leaves identical ones alone, a batch at a time."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.by_fdc = _imported(connection)
        self.sources: dict[str, int] = {}

    def source_id(self, citation: str) -> int:
        """One Source per FDC dataset, created on first import (an existing one is kept as it is)."""
        if citation not in self.sources:
            sid = self.connection.execute(
                select(source_table.c.id).where(source_table.c.citation == citation)
            ).scalar()
            if sid is None:
                result = self.connection.execute(insert(source_table).values(citation=citation, url=FDC_URL))
                assert result.inserted_primary_key is not None
                sid = result.inserted_primary_key[0]
            self.sources[citation] = int(sid)
        return self.sources[citation]

    def write(self, batch: list[_Food], report: FdcReport) -> None:
        connection = self.connection
        owned = {item.fdc_id: self.by_fdc.get(item.fdc_id) for item in batch}
        current = _current(connection, [food_id for food_id in owned.values() if food_id is not None])
        # Earlier batches are already written, so the database answers for them too.
        candidates = [_candidates(item) for item in batch]
        taken = holders(connection, (key for names in candidates for _, key in names))
        inserts: list[dict[str, Any]] = []
        updates: list[dict[str, Any]] = []
        children: list[tuple[_Food, dict[str, Any], str | int]] = []  # item, measurement, name or id
        for item, names in zip(batch, candidates, strict=True):
            own = owned[item.fdc_id]
            named = _name_for(names, own, taken)
            if named is None:
                report.skipped.append(
                    f"fdc_id {item.fdc_id} ({item.description}): "
                    f"its name and '… (FDC {item.fdc_id})' are both taken"
                )
                continue
            name, key = named
            taken[key] = Holder("name", own if own is not None else -item.fdc_id, name, True)
            sid = self.source_id(item.citation)
            values = {"name": name, "search_key": key, "source_id": sid, **item.values}
            measurement = {"source_id": sid, **item.measurement}
            if own is None:
                inserts.append(values)
                children.append((item, measurement, name))
                report.added.append(name)
                continue
            now = current[own]
            if (
                now.food == values
                and now.portions == [tuple(p[k] for k in _PORTION_KEYS) for p in item.portions]
                and now.measurements == [tuple(measurement[k] for k in _MEASUREMENT_KEYS)]
            ):
                report.unchanged.append(name)
                continue
            updates.append({"food_id": own, **values})
            children.append((item, measurement, own))
            report.updated.append(name)

        if updates:
            connection.execute(update(food_table).where(food_table.c.id == bindparam("food_id")), updates)
            changed = [row["food_id"] for row in updates]
            connection.execute(delete(portion_table).where(portion_table.c.food_id.in_(changed)))
            connection.execute(delete(measurement_table).where(measurement_table.c.food_id.in_(changed)))
        # K2 order keeps the search index's rowids (led by K2) appending, which FTS5 does fastest.
        inserts.sort(key=lambda values: values.get("k2_total") or 0.0)
        insert_many(connection, food_table, inserts)
        new_ids = food_ids(connection, [row["name"] for row in inserts])
        portions: list[dict[str, Any]] = []
        measurements: list[dict[str, Any]] = []
        for item, measurement, ref in children:
            food_id = new_ids[ref] if isinstance(ref, str) else ref
            portions += [{"food_id": food_id, **p} for p in item.portions]
            measurements.append({"food_id": food_id, **measurement})
        if portions:
            connection.execute(insert(portion_table), portions)
        if measurements:
            connection.execute(insert(measurement_table), measurements)


# --- public API ----------------------------------------------------------------------------------


def _portions_by_food(portions: pd.DataFrame, first: int, last: int) -> dict[int, list[dict[str, str]]]:
    """The portion rows of the foods with fdc_id in [first, last] (``portions`` is sorted)."""
    if portions.empty:
        return {}
    fdc = portions["_fdc"].to_numpy()
    part = portions.iloc[fdc.searchsorted(first, "left") : fdc.searchsorted(last, "right")]
    grouped: dict[int, list[dict[str, str]]] = {}
    for row in records(part):
        grouped.setdefault(int(row.pop("_fdc")), []).append(row)
    return grouped


def _figures_of(row: Any, fields: list[str]) -> dict[str, float]:
    return {f: float(v) for f, v in zip(fields, row, strict=True) if not math.isnan(v)}


def import_fdc(
    engine: Engine, path: str | Path, *, progress: bool | None = None, chunksize: int = CHUNK_ROWS
) -> FdcReport:
    """Import every FDC food with an MK-4 figure from a download folder or zip; see module doc.

    ``progress=None`` shows a progress bar only when stderr is a terminal. All the reading is done
    before the one write transaction, so a bad file leaves the database untouched (SeedError).
    Memory: the chunk being read, about 300 bytes for each food with MK-4, and one batch of
    BATCH_FOODS foods being written.
    """
    if chunksize < 1:
        from ..errors import UsageError

        raise UsageError("chunksize must be at least 1")
    download = _Download(Path(path))
    try:
        show = sys.stderr.isatty() if progress is None else progress
        names = ["food_nutrient.csv", "food.csv", "food_portion.csv"]
        total = sum(download.size(n) for n in names if download.has(n))
        wanted = _nutrient_ids(download)
        with _progress(show, total) as advance:
            figures, rows = _read_figures(download, wanted, chunksize, advance)
            foods = _read_foods(download, figures.index, chunksize, advance)
            portions = _read_portions(download, figures.index, chunksize, advance)
        units = _small_table(download, "measure_unit.csv", "id", "name")
        categories = _small_table(download, "food_category.csv", "id", "description")
        categories.update(
            _small_table(
                download, "wweia_food_category.csv", "wweia_food_category", "wweia_food_category_description"
            )
        )
    finally:
        download.close()

    report = FdcReport(rows_read=rows, foods_with_mk4=len(figures))
    missing = figures.index.difference(foods.index)
    if len(missing):
        report.skipped.append(f"{len(missing)} fdc_id(s) with MK-4 but not in food.csv (e.g. {missing[0]})")
    data_types = foods["data_type"].str.strip()
    other_types = data_types[~data_types.isin(list(DATASETS))].replace("", "(none)").value_counts()
    for data_type, count in sorted(other_types.items()):
        report.skipped.append(
            f"{count} food(s) of data type {data_type} (samples behind other foods, not foods)"
        )
    importable = foods.index[data_types.isin(list(DATASETS)).to_numpy()].sort_values()
    fields = list(figures.columns)

    with write_transaction(engine) as connection:
        writer = _Writer(connection)
        for start in range(0, len(importable), BATCH_FOODS):
            ids = importable[start : start + BATCH_FOODS]
            food_rows = records(foods.loc[ids].reset_index())
            figure_rows = figures.loc[ids].itertuples(index=False, name=None)
            portion_rows = _portions_by_food(portions, int(ids[0]), int(ids[-1]))
            batch = [
                _build(
                    int(row["_fdc"]),
                    row,
                    _figures_of(figure_row, fields),
                    portion_rows.get(int(row["_fdc"]), []),
                    units,
                    categories,
                )
                for row, figure_row in zip(food_rows, figure_rows, strict=True)
            ]
            writer.write(batch, report)
    return report

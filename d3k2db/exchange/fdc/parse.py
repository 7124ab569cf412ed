"""From a download's rows to per-food tables: the wanted nutrients' rows of food_nutrient.csv
pivoted into one row of figures per food with MK-4; the food.csv and food_portion.csv rows of those
foods (portions grouped per food); and the small lookup tables of units and categories. Every
number is checked on the way in: a bad cell is an error naming its file, line and column."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ...errors import SeedError
from ...files.progress import Track, progress_bar
from ...i18n import _
from ..frames import records
from .stream import Download, Part, chunks, in_halves

# nutrient_nbr (the SR number, stable across releases) → (our field, FDC's nutrient id today).
NUTRIENTS: dict[int, tuple[str, int]] = {
    428: ("mk4", 1183),
    429: ("dihydrophylloquinone", 1184),
    430: ("k1", 1185),
    326: ("vitamin_d3", 1112),
}


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


_MICROGRAMS = {"UG", "µG", "ΜG", "MCG"}


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
        from ...domain.records import not_a_number  # on the error path only: records imports SQLAlchemy

        problem = "is empty" if blank.iloc[position] else not_a_number(cell)
        raise SeedError(f"{name} line {int(values.index[position]) + 2}, column {column}: {problem}")
    return coerced.astype("float64")


def _nutrient_ids(download: Download) -> dict[int, str]:
    """FDC nutrient id → our field, from nutrient.csv when present (by nutrient_nbr)."""
    ids = {fdc_id: field_name for field_name, fdc_id in NUTRIENTS.values()}
    if not download.has("nutrient.csv"):
        return ids
    columns = download.require("nutrient.csv", ("id", "nutrient_nbr"))
    with download.open("nutrient.csv") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    for _index, row in frame.iterrows():
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
                _("nutrient.csv: nutrient {number} ({name}) is in {unit}, expected µg").format(
                    number=int(number), name=row.get("name", ""), unit=unit
                )
            )
        try:
            ids.pop(default_id, None)
            ids[int(row["id"])] = field_name
        except ValueError:
            raise SeedError(
                _("nutrient.csv: {value} is not a nutrient id").format(value=repr(row["id"]))
            ) from None
    return ids


def _scan_figures(
    download: Download,
    ids: list[int],
    chunksize: int,
    track: Track,
    part: Part | None = None,
    stop: threading.Event | None = None,
) -> tuple[list[pd.DataFrame], int]:
    """The rows of food_nutrient.csv (or of one part) with a wanted nutrient, and the rows read.

    Line numbers in errors count from the part's start: only a whole-file scan names lines.
    """
    name = "food_nutrient.csv"
    kept: list[pd.DataFrame] = []
    rows = 0
    usecols = ["fdc_id", "nutrient_id", "amount"]
    for chunk in chunks(download, name, usecols, track, part, chunksize=chunksize):
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
        # records.is_figure over a whole column at once (NaN: no amount given, allowed)
        invalid = ((amounts < 0) | amounts.isin([math.inf, -math.inf])).to_numpy()
        if invalid.any():
            position = int(invalid.nonzero()[0][0])
            line = int(found.index[position]) + 2
            shown = float(amounts.iloc[position])
            from ...domain.records import out_of_range  # on the error path only (see _numbers)

            raise SeedError(
                _("{file} line {line}, column {column}: {problem}").format(
                    file=name, line=line, column="amount", problem=out_of_range(shown)
                )
            )
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


def _read_figures(
    download: Download, wanted: dict[int, str], chunksize: int, track: Track
) -> tuple[pd.DataFrame, int]:
    """The figures of the foods that have MK-4, and the number of rows scanned.

    One row per fdc_id (sorted), one float column per field of ``wanted`` (NaN: not given): about
    40 bytes a food, so even a download where every food has MK-4 stays small.
    """
    name = "food_nutrient.csv"
    columns = download.require(name, ("fdc_id", "nutrient_id", "amount"))
    ids = list(wanted)
    each = max(1, chunksize // 4)  # the two parsers together hold less than one whole-file chunk

    def scan_half(part: Part, stop: threading.Event) -> tuple[list[pd.DataFrame], int]:
        return _scan_figures(download, ids, each, track, part, stop)

    halves = in_halves(download, name, columns, scan_half)
    if halves is None:
        kept, rows = _scan_figures(download, ids, chunksize, track)
    else:
        kept = [frame for frames, _ in halves for frame in frames]
        rows = sum(count for _, count in halves)
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
    download: Download,
    name: str,
    usecols: list[str],
    ids: pd.Index,
    chunksize: int,
    track: Track,
) -> pd.DataFrame:
    """The rows of a CSV file whose fdc_id is in ``ids``, as text, with the fdc_id as a number in
    column ``_fdc`` (sorted by it, file order kept within one food)."""
    parts: list[pd.DataFrame] = []
    for chunk in chunks(
        download, name, usecols, track, dtype=str, keep_default_na=False, chunksize=chunksize
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


def _read_foods(download: Download, ids: pd.Index, chunksize: int, track: Track) -> pd.DataFrame:
    """food.csv's rows for ``ids``, indexed by fdc_id (the first row of an id wins)."""
    name = "food.csv"
    columns = download.require(name, ("fdc_id", "data_type", "description"))
    usecols: list[str] = [
        c for c in ("fdc_id", "data_type", "description", "food_category_id") if c in columns
    ]
    rows = _matching_rows(download, name, usecols, ids, chunksize, track)
    return rows.drop_duplicates(subset="_fdc", keep="first").set_index("_fdc")


def _read_portions(download: Download, ids: pd.Index, chunksize: int, track: Track) -> pd.DataFrame:
    """food_portion.csv's rows for ``ids``, sorted by fdc_id (column ``_fdc``)."""
    name = "food_portion.csv"
    if not download.has(name):
        return pd.DataFrame(columns=["_fdc"])
    columns = download.require(name, ("fdc_id", "gram_weight"))
    usecols = [c for c in PORTION_COLUMNS if c in columns]
    return _matching_rows(download, name, usecols, ids, chunksize, track)


def _small_table(download: Download, name: str, key: str, value: str) -> dict[str, str]:
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


def portions_by_food(portions: pd.DataFrame, first: int, last: int) -> dict[int, list[dict[str, str]]]:
    """The portion rows of the foods with fdc_id in [first, last] (``portions`` is sorted)."""
    if portions.empty:
        return {}
    fdc = portions["_fdc"].to_numpy()
    part = portions.iloc[fdc.searchsorted(first, "left") : fdc.searchsorted(last, "right")]
    grouped: dict[int, list[dict[str, str]]] = {}
    for row in records(part):
        grouped.setdefault(int(row.pop("_fdc")), []).append(row)
    return grouped


@dataclass
class Tables:
    """What an import reads of a download before writing anything."""

    figures: pd.DataFrame  # one row per fdc_id with MK-4 (sorted), one float column per field
    rows: int  # food_nutrient.csv rows scanned
    foods: pd.DataFrame  # food.csv's rows of those foods, indexed by fdc_id
    portions: pd.DataFrame  # food_portion.csv's rows of those foods, sorted by fdc_id (``_fdc``)
    units: dict[str, str]  # measure_unit_id → name
    categories: dict[str, str]  # food_category_id (or WWEIA category) → description


def read_download(path: Path, chunksize: int, show: bool) -> Tables:
    """Everything an import needs from a download folder or zip, with a progress bar if ``show``.

    Memory: the chunk being read and about 300 bytes for each food with MK-4.
    """
    download = Download(path)
    try:
        names = ["food_nutrient.csv", "food.csv", "food_portion.csv"]
        total = sum(download.size(n) for n in names if download.has(n))
        wanted = _nutrient_ids(download)
        with progress_bar(show, total, _("FoodData Central")) as track:
            figures, rows = _read_figures(download, wanted, chunksize, track)
            foods = _read_foods(download, figures.index, chunksize, track)
            portions = _read_portions(download, figures.index, chunksize, track)
        units = _small_table(download, "measure_unit.csv", "id", "name")
        categories = _small_table(download, "food_category.csv", "id", "description")
        categories.update(
            _small_table(
                download, "wweia_food_category.csv", "wweia_food_category", "wweia_food_category_description"
            )
        )
    finally:
        download.close()
    return Tables(figures, rows, foods, portions, units, categories)

"""The bytes of a FoodData Central download: its CSV files, found in a folder or a zip, read as
pandas chunks in bounded memory; a big plain file is cut into two halves that two threads read at
once."""

from __future__ import annotations

import csv
import io
import threading
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import pandas as pd

from ...errors import SeedError
from ...files.progress import Track
from ...i18n import _

T = TypeVar("T")


class Download:
    """The CSV files of a download, found by base name at any depth (FDC zips hold one folder)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.zip: zipfile.ZipFile | None = None
        self.files: dict[str, Any] = {}
        if not path.exists():
            raise SeedError(_("{file}: not found").format(file=path))
        if path.is_dir():
            members = sorted(path.rglob("*.csv"), key=lambda p: (len(p.parts), str(p)))
            for member in members:
                self.files.setdefault(member.name.lower(), member)
        else:
            try:
                self.zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError):
                raise SeedError(
                    _("{file}: not a folder or a zip file of a FoodData Central download").format(file=path)
                ) from None
            infos = [i for i in self.zip.infolist() if i.filename.lower().endswith(".csv")]
            for info in sorted(infos, key=lambda i: (i.filename.count("/"), i.filename)):
                self.files.setdefault(info.filename.rsplit("/", 1)[-1].lower(), info)
        for required in ("food_nutrient.csv", "food.csv"):
            if required not in self.files:
                raise SeedError(
                    _("{file}: no {required} — is this a FoodData Central CSV download?").format(
                        file=path, required=required
                    )
                )

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
            raise SeedError(
                _("{file}: cannot read {name} ({reason})").format(file=self.path, name=name, reason=exc)
            ) from None

    def columns(self, name: str) -> list[str]:
        with self.open(name) as handle:
            first = handle.readline().decode("utf-8-sig", errors="replace")
        return [c.strip().lower() for c in next(csv.reader([first]), [])]

    def require(self, name: str, needed: tuple[str, ...]) -> list[str]:
        columns = self.columns(name)
        missing = [c for c in needed if c not in columns]
        if missing:
            raise SeedError(
                _("{file}: missing column(s) {columns}").format(file=name, columns=", ".join(missing))
            )
        return columns

    def close(self) -> None:
        if self.zip is not None:
            self.zip.close()


class Quotes:
    """The quote characters counted in the bytes a part's reader has read."""

    def __init__(self) -> None:
        self.count = 0


class _Slice(io.RawIOBase):
    """The next ``length`` bytes of a binary stream, then end of file; counts their quotes."""

    def __init__(self, raw: IO[bytes], length: int, quotes: Quotes | None = None) -> None:
        self.raw = raw
        self.left = length
        self.quotes = quotes

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self.raw.read(min(len(buffer), self.left)) if self.left > 0 else b""
        buffer[: len(data)] = data
        self.left -= len(data)
        if self.quotes is not None:
            self.quotes.count += data.count(b'"')
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


@dataclass(frozen=True)
class Part:
    """A byte range of a plain file that starts and ends at record boundaries."""

    start: int
    length: int | None  # None: to the end of the file
    names: list[str] | None = None  # the header's columns, for a part that starts after it
    quotes: Quotes | None = None  # counted as the part is read: an even count ends it outside quotes


# food_nutrient.csv is parsed as two halves at once when it is a plain file (not in a zip) of at
# least this size: pandas' tokenizer releases the GIL, so two threads read it ~1.9× as fast.
SPLIT_MIN_BYTES = 64 << 20


# Newlines after the middle tried as the place to cut before a file is read whole instead.
_CUT_TRIES = 64


def halves(download: Download, name: str, columns: list[str]) -> list[Part]:
    """The file as two parts cut at a record boundary after its middle; the whole file as one part
    when it is small, inside a zip (no cheap seeking), or no boundary is found.

    The cut is the first newline after the middle that is followed by a whole record (as many
    fields as the header). That alone could be fooled by a quoted footnote whose lines look like
    records, so the first part's reader counts its quote characters: a newline ends a record when an
    even number of quotes precede it (an escaped "" counts two), and ``in_halves`` reads the file
    whole when the count is odd. Nothing is read twice: the old way counted the first half's quotes
    before either part could start.
    """
    whole = [Part(0, None)]
    if download.zip is not None or download.size(name) < SPLIT_MIN_BYTES:
        return whole
    middle = download.size(name) // 2
    with download.open(name) as handle:
        handle.seek(middle)
        ahead = handle.read(1 << 20)
    position = 0
    for _try in range(_CUT_TRIES):
        newline = ahead.find(b"\n", position)
        if newline < 0:
            return whole
        position = newline + 1
        # the record that would start there (a quoted field may span lines)
        rest = io.StringIO(ahead[position : position + (64 << 10)].decode("utf-8", "replace"), newline="")
        if len(next(csv.reader(rest), [])) == len(columns):
            cut = middle + position
            return [Part(0, cut, quotes=Quotes()), Part(cut, None, columns)]
    return whole


def in_halves(
    download: Download, name: str, columns: list[str], read: Callable[[Part, threading.Event], T]
) -> list[T] | None:
    """``read`` run on the two halves of a file (see ``halves``) at once, results in file order.

    None when the file is one part, or when either half fails with a SeedError: the caller then
    reads the file whole, which names the first bad line exactly as a one-pass read does. ``read``
    should stop at its next chunk once the event is set (on any failure, the other half's).
    """
    parts = halves(download, name, columns)
    if len(parts) < 2:
        return None
    stop = threading.Event()
    with ThreadPoolExecutor(max_workers=len(parts)) as pool:
        reads = [pool.submit(read, part, stop) for part in parts]
        try:
            results = [done.result() for done in reads]
        except SeedError:
            return None
        finally:
            stop.set()
    quotes = parts[0].quotes
    if quotes is not None and quotes.count % 2:  # the cut was inside a quoted field
        return None
    return results


# Rows of food_nutrient.csv parsed at a time. 250,000 parses faster than 1,000,000 here (the chunk's
# columns stay in the CPU caches) and bounds memory lower; measured in docs/performance.md.
CHUNK_ROWS = 250_000


def chunks(
    download: Download,
    name: str,
    usecols: list[str],
    track: Track,
    part: Part | None = None,
    **options: Any,
) -> Iterator[pd.DataFrame]:
    """The chunks of a CSV file (or of one part of it) read in bounded memory."""
    with download.open(name) as raw:
        stream: IO[bytes] = raw
        if part is not None:
            raw.seek(part.start)
            if part.length is not None:
                stream = io.BufferedReader(_Slice(raw, part.length, part.quotes), 1 << 20)
            if part.names is not None:
                options = {**options, "header": None, "names": part.names}
        stream = track(stream)
        try:
            # "utf-8", not "utf-8-sig": pandas' C tokenizer decodes UTF-8 itself and skips a BOM,
            # while any other codec name routes every byte through a Python text wrapper first.
            reader = pd.read_csv(
                stream, usecols=usecols, encoding="utf-8", encoding_errors="replace", **options
            )
            yield from reader
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SeedError(
                _("{file}: not readable as a FoodData Central CSV file ({reason})").format(
                    file=name, reason=reason
                )
            ) from None

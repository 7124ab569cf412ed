"""The one reader of CSV tables: the seed (data/*.csv), the lexicon and vocabulary files, and the
user's imports. Rows come one at a time, in bounded memory, each with the line it starts on.

A scan reads the whole file once in 64 kB chunks before any row is read: it chooses the encoding
(UTF-8 with or without BOM when the whole file is UTF-8; UTF-16 with a BOM — Excel's "Unicode
text"; else Big5 (cp950, Excel's "CSV" on Traditional Chinese Windows) when the file reads as Big5
and holds Chinese; else Windows-1252, Excel's "CSV" on Western Windows), and refuses at once what is
not a table: a NUL character (a binary file, /dev/zero), a line longer than MAX_LINE (a file without
line breaks), bytes that are neither UTF-8 nor Windows-1252. The shipped data must be UTF-8
(``utf8_only``). A file that is not a regular file (a pipe) is copied to a temporary file while it is
scanned, so that it can be read again.

The header's first line chooses the delimiter (comma, semicolon or tab: whichever splits it into
the most known columns) and is checked: no known column twice, no required column missing.

Rows are then read with the csv module (not pandas, which pads short rows silently and counts
lines differently once a quoted cell holds a line break: an error must name the real line, the
physical line where the row starts), each row at most MAX_RECORD characters (a quote never closed
would otherwise swallow the file). Every error is one translated line naming the file and the line.

JSON is not read: a file whose first line starts like JSON (a JSON export) is refused, saying that
import reads CSV.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import os
import re
import stat
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from ..errors import SeedError, UsageError
from ..i18n import _
from .progress import Track, untracked

MAX_LINE = 1 << 20  # characters in one line: 1 MB
MAX_RECORD = 1 << 20  # characters in one row (a quoted cell may span lines) or one JSON food
CHUNK = 1 << 16
DELIMITERS = (",", ";", "\t")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")  # the five bytes Windows-1252 leaves undefined
_BREAKS = re.compile(r"\r\n?|\n")
_BYTE_BREAKS = re.compile(rb"\r\n?|\n")
_HAN_RUN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]{2,}")  # two Chinese characters in a row

# One row of the file: the line it starts on and its cells.
Row = tuple[int, list[str]]
# One row as {column: cell}, with the line it starts on.
Numbered = tuple[int, dict[str, str]]


def _too_long(name: str, line: int) -> SeedError:
    return SeedError(
        _("{file}: line {line} is longer than 1 MB: is this a CSV file?").format(file=name, line=line)
    )


def _unreadable(name: object, exc: OSError) -> SeedError:
    return SeedError(_("{file}: cannot read it ({reason})").format(file=name, reason=exc.strerror))


@dataclass
class _Scan:
    """What the scan has seen so far: the line it is on, the length of the line's text so far,
    the first byte that is not UTF-8 and the first byte Windows-1252 cannot read."""

    name: str
    line: int = 1
    run: int = 0
    not_utf8: int | None = None
    not_cp1252: int | None = None
    after_cr: bool = False
    decoder: codecs.IncrementalDecoder = field(
        default_factory=lambda: codecs.getincrementaldecoder("utf-8")()
    )

    def lines(self, text: str | bytes) -> None:
        """Count the line breaks of ``text``, refusing a line longer than MAX_LINE."""
        breaks = _BREAKS if isinstance(text, str) else _BYTE_BREAKS
        last = 0
        for found in breaks.finditer(text):  # type: ignore[arg-type]
            if self.run + found.start() - last > MAX_LINE:
                raise _too_long(self.name, self.line)
            if not (self.after_cr and found.start() == 0 and text[:1] in ("\n", b"\n")):
                self.line += 1  # a CR LF split between two chunks is one line break
            self.run, last = 0, found.end()
        self.run += len(text) - last
        self.after_cr = text[-1:] in ("\r", b"\r")
        if self.run > MAX_LINE:
            raise _too_long(self.name, self.line)

    def not_text(self) -> SeedError:
        return SeedError(
            _("{file}: not a text file (a NUL character on line {line}): is this a CSV file?").format(
                file=self.name, line=self.line
            )
        )

    def bytes_(self, chunk: bytes, offset: int, final: bool) -> None:
        """Check a chunk of a file that is not UTF-16."""
        if b"\x00" in chunk:
            self.lines(chunk[: chunk.index(b"\x00")])
            raise self.not_text()
        self.lines(chunk)
        if self.not_utf8 is None:
            held = len(self.decoder.getstate()[0])  # the start of a character the last chunk cut
            try:
                self.decoder.decode(chunk, final)
            except UnicodeDecodeError as exc:
                self.not_utf8 = offset - held + exc.start
        if self.not_cp1252 is None and (bad := _NOT_CP1252.search(chunk)):
            self.not_cp1252 = offset + bad.start()

    def text(self, text: str) -> None:
        """Check a decoded chunk of a UTF-16 file."""
        if "\x00" in text:
            self.lines(text[: text.index("\x00")])
            raise self.not_text()
        self.lines(text)

    def encoding(self, readable: Path, utf8_only: bool) -> str:
        """The encoding of a file that is not UTF-16, once the whole file is scanned."""
        if self.not_utf8 is None:
            return "utf-8-sig"
        if utf8_only:
            raise SeedError(
                _("{file}: not UTF-8 text (byte {byte}); save it as UTF-8").format(
                    file=self.name, byte=self.not_utf8
                )
            )
        if _reads_as_big5(readable):
            return "cp950"
        if self.not_cp1252 is not None:
            raise SeedError(
                _("{file}: neither UTF-8 nor Windows-1252 text (byte {byte}); save it as CSV UTF-8").format(
                    file=self.name, byte=self.not_cp1252
                )
            )
        return "cp1252"


def _reads_as_big5(path: Path) -> bool:
    """Whether a file that is not UTF-8 is Big5 (cp950) Chinese rather than Windows-1252: it reads
    as Big5 without an error, holds two Chinese characters in a row, and one of them is written with
    two bytes above ASCII. Western text rarely passes: an accented letter before a space, a comma
    or the end of a line is no Big5, and one between two ASCII letters reads as one character."""
    decoder = codecs.getincrementaldecoder("cp950")()
    han = False
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                return False
            han = han or any(
                byte >= 0xA1 for run in _HAN_RUN.findall(text) for byte in run.encode("cp950")[1::2]
            )
    try:
        decoder.decode(b"", True)
    except UnicodeDecodeError:
        return False
    return han


def _scan(source: IO[bytes], name: str, copy: IO[bytes] | None) -> _Scan | None:
    """Read the whole file once (into ``copy`` if given); None for UTF-16, else what the scan saw.
    A file that is not a table is refused (SeedError)."""
    scan = _Scan(name)
    head = source.read(CHUNK)
    decoder = codecs.getincrementaldecoder("utf-16")() if head.startswith(_UTF16_BOMS) else None
    offset, chunk = 0, head
    while True:
        following = source.read(CHUNK) if chunk else b""
        if copy is not None:
            copy.write(chunk)
        if decoder is not None:
            try:
                scan.text(decoder.decode(chunk, not following))
            except UnicodeDecodeError as exc:
                raise SeedError(
                    _("{file}: not valid UTF-16 text (byte {byte})").format(
                        file=name, byte=offset + exc.start
                    )
                ) from None
        else:
            scan.bytes_(chunk, offset, not following)
        if not following:
            break
        offset, chunk = offset + len(chunk), following
    return None if decoder is not None else scan


class _Lines:
    """The lines of a text stream for csv.reader, each and every row at most MAX_RECORD long."""

    def __init__(self, stream: IO[str], name: str) -> None:
        self.stream = stream
        self.name = name
        self.count = 0  # lines read
        self.record = 0  # characters of the row being read

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        text = self.stream.readline(MAX_LINE + 1)
        if not text:
            raise StopIteration
        self.count += 1
        if len(text) > MAX_LINE:  # the scan refuses these; a file changed since is refused here
            raise _too_long(self.name, self.count)
        self.record += len(text)
        if self.record > MAX_RECORD:
            raise SeedError(
                _("{file} line {line}: a row longer than 1 MB (a quote that is never closed?)").format(
                    file=self.name, line=self.count
                )
            )
        return text


class TableFile:
    """A scanned CSV table: its encoding, delimiter and checked header; its rows, read as often as
    needed. ``columns`` are the header's column names: a known column as ``known_columns`` spells
    it (matched without case, spaces or a byte-order mark), any other cell as written."""

    def __init__(
        self,
        path: Path,
        display: str,
        encoding: str,
        known_columns: Collection[str],
        required: Collection[str] = (),
    ) -> None:
        self.path = path
        self.name = display
        self.encoding = encoding
        self.size = path.stat().st_size
        with self._text(untracked) as stream:
            lines = _Lines(stream, self.name)
            first, self.delimiter = self._sniff(lines, known_columns)
            # the header row, read by the csv module: a quoted name may hold a line break
            header = next(csv.reader(itertools.chain([first], lines), delimiter=self.delimiter))
        spelling = {header_name(column): column for column in known_columns}
        self.columns = [spelling.get(header_name(cell), cell.strip().lstrip("\ufeff")) for cell in header]
        self._check_header(known_columns, required)
        # the header's cells import does not read
        self.ignored = [cell for cell in header if cell.strip() and header_name(cell) not in spelling]

    @contextmanager
    def _text(self, track: Track) -> Iterator[IO[str]]:
        raw = self.path.open("rb")
        try:
            with io.TextIOWrapper(track(raw), encoding=self.encoding, newline="") as stream:
                yield stream
        finally:
            raw.close()

    def _sniff(self, lines: _Lines, known_columns: Collection[str]) -> tuple[str, str]:
        """The header's first line, and the delimiter: ',' or ';' (Excel where the decimal separator
        is a comma) or a tab, whichever splits the header into the most known column names."""
        first = next((line for line in lines if line.strip()), None)
        if first is None:
            raise SeedError(_("{file}: the file is empty").format(file=self.name))
        if first.lstrip("\ufeff \t").startswith(("[", "{")):  # a JSON export was given
            raise UsageError(
                _("{path} looks like JSON; import reads CSV (the layout of a CSV export)").format(
                    path=self.name
                )
            )
        known = {header_name(column) for column in known_columns}
        best, score = ",", 0
        for candidate in DELIMITERS:
            cells = next(csv.reader([first], delimiter=candidate))
            found = sum(1 for c in cells if header_name(c) in known)
            if found > score:
                best, score = candidate, found
        if score == 0:
            raise SeedError(
                _("{file}: line 1 is not a header of known columns (expected {columns})").format(
                    file=self.name, columns=", ".join(known_columns)
                )
            )
        return first, best

    def _check_header(self, known_columns: Collection[str], required: Collection[str]) -> None:
        """Refuse a header where a known column appears twice or a required one is missing."""
        seen: set[str] = set()
        for column in self.columns:
            if column in known_columns and column in seen:
                raise SeedError(
                    _("{file}: column {column} appears twice").format(file=self.name, column=column)
                )
            seen.add(column)
        missing = [column for column in required if column not in seen]
        if missing:
            raise SeedError(
                _("{file}: missing column(s) {columns}").format(file=self.name, columns=", ".join(missing))
            )

    def shown_delimiter(self) -> str:
        return "tab" if self.delimiter == "\t" else self.delimiter

    def fail(self, line: int, column: str, problem: str) -> SeedError:
        """The one-line error about a cell: file, line, column and what is wrong."""
        return SeedError(
            _("{file} line {line}, column {column}: {problem}").format(
                file=self.name, line=line, column=column, problem=problem
            )
        )

    def rows(self, track: Track = untracked) -> Iterator[Row]:
        """Every non-blank row after the header, with the line it starts on; ragged rows refused."""
        with self._text(track) as stream:
            yield from self._rows(stream)

    def records(self, track: Track = untracked) -> Iterator[Numbered]:
        """Every row after the header as {column: cell}, with the line it starts on."""
        columns = self.columns
        for line, cells in self.rows(track):
            yield line, dict(zip(columns, cells, strict=True))

    def _ragged(self, line: int, count: int) -> SeedError:
        return SeedError(
            _(
                "{file} line {line}: {count} cells where the header has "
                "{expected} (a missing or extra '{delimiter}'?)"
            ).format(
                file=self.name,
                line=line,
                count=count,
                expected=len(self.columns),
                delimiter=self.shown_delimiter(),
            )
        )

    def _rows(self, stream: IO[str]) -> Iterator[Row]:
        lines = _Lines(stream, self.name)
        reader = csv.reader(lines, delimiter=self.delimiter)
        header = True
        end = 0
        try:
            for cells in reader:
                start, end, lines.record = end + 1, lines.count, 0
                if not any(cell.strip() for cell in cells):
                    continue  # blank line, or a row of empty cells a spreadsheet left behind
                if header:
                    header = False
                    continue
                if len(cells) != len(self.columns):
                    raise self._ragged(start, len(cells))
                yield start, cells
        except csv.Error as exc:
            raise SeedError(
                _("{file} line {line}: not readable as CSV ({reason})").format(
                    file=self.name, line=lines.count, reason=exc
                )
            ) from None


def header_name(cell: str) -> str:
    """A header cell as a column name: trimmed, lower case, without a byte-order mark."""
    return cell.strip().lstrip("\ufeff").strip().lower()


@contextmanager
def open_table(
    path: Path,
    known_columns: Collection[str],
    *,
    required: Collection[str] = (),
    utf8_only: bool = False,
) -> Iterator[TableFile]:
    """The table at ``path``, scanned and its header checked; a pipe or device is copied to a
    temporary file as it is scanned. ``utf8_only``: refuse any other encoding (the shipped data)."""
    try:
        source = path.open("rb")
    except FileNotFoundError:
        raise SeedError(_("{file}: file not found").format(file=path)) from None
    except OSError as exc:
        raise _unreadable(path, exc) from None
    with source:
        if stat.S_ISREG(os.fstat(source.fileno()).st_mode):
            yield _table(source, path, path, known_columns, required, utf8_only)
            return
        import tempfile  # only for a pipe or a device

        with tempfile.TemporaryDirectory(prefix="d3k2db-import-") as folder:
            yield _table(source, path, Path(folder) / "copy", known_columns, required, utf8_only)


def _table(
    source: IO[bytes],
    path: Path,
    readable: Path,
    known_columns: Collection[str],
    required: Collection[str],
    utf8_only: bool,
) -> TableFile:
    """Scan ``source`` (copied to ``readable`` when that is not ``path``) and open it as a table."""
    try:
        if readable == path:
            scan = _scan(source, path.name, None)
        else:
            with readable.open("wb") as copy:
                scan = _scan(source, path.name, copy)
        source.close()
    except OSError as exc:
        raise _unreadable(path, exc) from None
    if scan is None and utf8_only:
        raise SeedError(_("{file}: not UTF-8 text (UTF-16); save it as UTF-8").format(file=path.name))
    try:
        encoding = "utf-16" if scan is None else scan.encoding(readable, utf8_only)
    except OSError as exc:
        raise _unreadable(path, exc) from None
    return TableFile(readable, path.name, encoding, known_columns, required)


def read_table(path: Path, columns: Collection[str], *, utf8_only: bool = True) -> list[Numbered]:
    """Every row of a small table (a data file read once), with its line; ``columns`` are required."""
    with open_table(path, columns, required=columns, utf8_only=utf8_only) as table:
        return list(table.records())


__all__ = [
    "DELIMITERS",
    "MAX_LINE",
    "MAX_RECORD",
    "Numbered",
    "Row",
    "TableFile",
    "header_name",
    "open_table",
    "read_table",
]

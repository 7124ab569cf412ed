"""Reading a CSV file of foods row by row, in bounded memory, with the line each row starts on.

A scan reads the whole file once in 64 kB chunks before any row is read: it chooses the encoding
(UTF-8 with or without BOM when the whole file is UTF-8, UTF-16 with a BOM — Excel's "Unicode text" —
else Windows-1252, Excel's "CSV" on Western Windows), and refuses at once what is not a table of
foods: a NUL character (a binary file, /dev/zero), a line longer than MAX_LINE (a file without line
breaks), bytes that are neither UTF-8 nor Windows-1252. A file that is not a regular file (a pipe)
is copied to a temporary file while it is scanned, so that it can be read again.

Rows are then read one at a time with the csv module (not pandas, which pads short rows silently
and counts lines differently once a quoted cell holds a line break: the error must name the real
line), each row at most MAX_RECORD characters (a quote never closed would otherwise swallow the
file). Only the current chunk and row are in memory, whatever the size of the file.

JSON is not read: a file whose first line starts like JSON (``export --format json``) is refused,
saying that import reads the CSV ``export`` writes.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import re
import stat
import tempfile
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
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_NOT_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")  # the five bytes Windows-1252 leaves undefined
_BREAKS = re.compile(r"\r\n?|\n")
_BYTE_BREAKS = re.compile(rb"\r\n?|\n")

# One row of the file: the line it starts on and its cells.
Row = tuple[int, list[str]]


def _too_long(name: str, line: int) -> SeedError:
    return SeedError(
        _("{file}: line {line} is longer than 1 MB: is this a CSV file?").format(file=name, line=line)
    )


@dataclass
class _Scan:
    """What the scan has seen so far: the line it is on, the length of the line's text so far,
    whether the file so far is UTF-8, and the first byte Windows-1252 cannot read."""

    name: str
    line: int = 1
    run: int = 0
    utf8: bool = True
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
        if self.utf8:
            try:
                self.decoder.decode(chunk, final)
            except UnicodeDecodeError:
                self.utf8 = False
        if self.not_cp1252 is None and (bad := _NOT_CP1252.search(chunk)):
            self.not_cp1252 = offset + bad.start()

    def text(self, text: str) -> None:
        """Check a decoded chunk of a UTF-16 file."""
        if "\x00" in text:
            self.lines(text[: text.index("\x00")])
            raise self.not_text()
        self.lines(text)


def _scan(source: IO[bytes], name: str, copy: IO[bytes] | None) -> str:
    """Read the whole file once (into ``copy`` if given); its encoding, or SeedError."""
    scan = _Scan(name)
    head = source.read(CHUNK)
    utf16 = head.startswith(_UTF16_BOMS)
    decoder = codecs.getincrementaldecoder("utf-16")() if utf16 else None
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
    if utf16:
        return "utf-16"
    if scan.utf8:
        return "utf-8-sig"
    if scan.not_cp1252 is not None:
        raise SeedError(
            _("{file}: neither UTF-8 nor Windows-1252 text (byte {byte}); save it as CSV UTF-8").format(
                file=name, byte=scan.not_cp1252
            )
        )
    return "cp1252"


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
    """A scanned CSV file of foods: its encoding and delimiter; its rows, read as often as needed."""

    def __init__(self, path: Path, display: str, encoding: str, known_columns: Collection[str]) -> None:
        self.path = path
        self.name = display
        self.encoding = encoding
        self.size = path.stat().st_size
        with self._text(untracked) as stream:
            self.delimiter = self._sniff(stream, known_columns)

    @contextmanager
    def _text(self, track: Track) -> Iterator[IO[str]]:
        raw = self.path.open("rb")
        try:
            with io.TextIOWrapper(track(raw), encoding=self.encoding, newline="") as stream:
                yield stream
        finally:
            raw.close()

    def _sniff(self, stream: IO[str], known_columns: Collection[str]) -> str:
        """The delimiter: ',' or ';' (Excel where the decimal separator is a comma) or a tab,
        whichever splits the header into the most known column names."""
        lines = _Lines(stream, self.name)
        first = next((line for line in lines if line.strip()), None)
        if first is None:
            raise SeedError(_("{file}: the file is empty").format(file=self.name))
        if first.lstrip("\ufeff \t").startswith(("[", "{")):  # `export --format json` was given
            raise UsageError(
                _("{path} looks like JSON; an import reads CSV, the export's default format").format(
                    path=self.name
                )
            )
        best, score = ",", 0
        for candidate in (",", ";", "\t"):
            cells = next(csv.reader([first], delimiter=candidate))
            found = sum(1 for c in cells if header_name(c) in known_columns)
            if found > score:
                best, score = candidate, found
        if score == 0:
            raise SeedError(
                _("{file}: line 1 is not a header of known columns (expected {columns})").format(
                    file=self.name, columns=", ".join(known_columns)
                )
            )
        return best

    def shown_delimiter(self) -> str:
        return "tab" if self.delimiter == "\t" else self.delimiter

    def rows(self, track: Track = untracked) -> Iterator[Row]:
        """The header and every non-blank row with the line it starts on; ragged rows refused."""
        with self._text(track) as stream:
            yield from self._rows(stream)

    def _rows(self, stream: IO[str]) -> Iterator[Row]:
        lines = _Lines(stream, self.name)
        reader = csv.reader(lines, delimiter=self.delimiter)
        width: int | None = None
        end = 0
        try:
            for cells in reader:
                start, end, lines.record = end + 1, lines.count, 0
                if not any(cell.strip() for cell in cells):
                    continue  # blank line, or a row of empty cells a spreadsheet left behind
                if width is not None and len(cells) != width:
                    raise SeedError(
                        _(
                            "{file} line {line}: {count} cells where the header has "
                            "{expected} (a missing or extra '{delimiter}'?)"
                        ).format(
                            file=self.name,
                            line=start,
                            count=len(cells),
                            expected=width,
                            delimiter=self.shown_delimiter(),
                        )
                    )
                width = len(cells) if width is None else width
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
def open_table(path: Path, known_columns: Collection[str]) -> Iterator[TableFile]:
    """The file at ``path``, scanned; a pipe or device is copied to a temporary file as it is scanned."""
    try:
        source = path.open("rb")
    except FileNotFoundError:
        raise SeedError(_("{file}: file not found").format(file=path)) from None
    except OSError as exc:
        raise SeedError(
            _("{file}: cannot read it ({reason})").format(file=path, reason=exc.strerror)
        ) from None
    with source, tempfile.TemporaryDirectory(prefix="d3k2db-import-") as folder:
        regular = stat.S_ISREG(os.fstat(source.fileno()).st_mode)
        readable = path if regular else Path(folder) / "copy"
        try:
            if regular:
                encoding = _scan(source, path.name, None)
            else:
                with readable.open("wb") as copy:
                    encoding = _scan(source, path.name, copy)
        except OSError as exc:
            raise SeedError(
                _("{file}: cannot read it ({reason})").format(file=path, reason=exc.strerror)
            ) from None
        source.close()
        yield TableFile(readable, path.name, encoding, known_columns)


__all__ = ["MAX_LINE", "MAX_RECORD", "Row", "TableFile", "header_name", "open_table"]

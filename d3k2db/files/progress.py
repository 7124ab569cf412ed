"""The progress bar of a long import (``import`` and ``import-fdc``): the bytes read of the files,
drawn by ``rich.progress`` on stderr and cleared when done. rich is imported only when a bar is shown."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, BinaryIO, cast

# Wraps a file being read so that its bytes advance the bar.
Track = Callable[[IO[bytes]], IO[bytes]]


def shown(progress: bool | None) -> bool:
    """Whether to draw a bar: as asked, else only when stderr is a terminal (never into a log)."""
    return sys.stderr.isatty() if progress is None else progress


def untracked(stream: IO[bytes]) -> IO[bytes]:
    """The ``Track`` when no bar is shown: the stream itself, so it is read unwrapped."""
    return stream


@contextmanager
def progress_bar(enabled: bool, total: int, label: str) -> Iterator[Track]:
    """A bar named ``label`` over ``total`` bytes while the block runs; it yields what wraps each
    file read."""
    if not enabled:
        yield untracked
        return
    from rich.console import Console  # only when a bar is shown
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("read", total=total)
        # All files (and both halves of a split one, from two threads) advance the one task.
        yield lambda stream: bar.wrap_file(cast(BinaryIO, stream), task_id=task)

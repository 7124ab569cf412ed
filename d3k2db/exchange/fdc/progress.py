"""The progress bar of an FDC import: the bytes read of the download's big files, drawn by
``rich.progress`` on stderr and cleared when done. rich is imported only when a bar is shown."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, BinaryIO, cast

from ...i18n import _

# Wraps a file being read so that its bytes advance the bar.
Track = Callable[[IO[bytes]], IO[bytes]]


def untracked(stream: IO[bytes]) -> IO[bytes]:
    """The ``Track`` when no bar is shown: the stream itself, so pandas reads the file unwrapped."""
    return stream


@contextmanager
def progress_bar(enabled: bool, total: int) -> Iterator[Track]:
    """A bar over ``total`` bytes while the block runs; what it yields wraps each file read."""
    if not enabled:
        yield untracked
        return
    from rich.console import Console  # only when a bar is shown
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(_("FoodData Central")), BarColumn(), DownloadColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("read", total=total)
        # All files (and both halves of a split one, from two threads) advance the one task.
        yield lambda stream: bar.wrap_file(cast(BinaryIO, stream), task_id=task)

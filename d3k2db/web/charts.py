"""Bar charts as plain numbers for the templates' inline SVG (no chart library, no script).

A figure that was not published is a row with no bar and the text '—', never a bar of 0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from ..i18n import _
from ..output.render import DASH, ug

# SVG units, drawn 1:1 in CSS px (the <svg> has width = its viewBox width), so 13 px text stays 13 px
# on a 375 px phone and never falls below ~11 px on a 320 px one. Each row is two lines: the name,
# then the bar with its value after it; the longest value ('775.0!‡ µg (100%)') fits in VALUE_SPACE.
WIDTH = 340
ROW_HEIGHT = 40
BAR_SPACE = 200  # the largest bar; WIDTH - BAR_SPACE is left for the value after it
LABEL_Y = 14  # baseline of the name in its row
BAR_Y = 19  # top of the bar
BAR_HEIGHT = 14
VALUE_Y = 31  # baseline of the value
MAX_LABEL = 44  # characters; longer names are cut with '…' (the full name is the row's <title>)


@dataclass(frozen=True)
class Bar:
    label: str  # shown (maybe cut)
    title: str  # the full text, for the <title> a screen reader and a hover show
    value_text: str  # '775.0', '—' for not published
    width: float  # SVG units; 0 for no bar
    y: float
    current: bool = False  # the food the page is about


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    height: float
    width: int = WIDTH
    row_height: int = ROW_HEIGHT
    bar_space: int = BAR_SPACE
    label_y: int = LABEL_Y
    bar_y: int = BAR_Y
    bar_height: int = BAR_HEIGHT
    value_y: int = VALUE_Y


def _cut(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def bar_chart(
    rows: Sequence[tuple[str, float | None]],
    *,
    current: str | None = None,
    suffix: str = "",
    marks: Mapping[str, str] | None = None,
    share_of: float | None = None,
) -> Chart:
    """One horizontal bar per (label, value), scaled to the largest value; ``marks`` puts the
    tables' marks ('!' doubtful, '‡' partial) after a label's figure; ``share_of`` adds each
    value's percentage of that total."""
    largest = max((value for _label, value in rows if value), default=0.0)
    bars = []
    for index, (label, value) in enumerate(rows):
        width = BAR_SPACE * value / largest if value and largest else 0.0
        text = DASH if value is None else ug(value) + (marks or {}).get(label, "") + suffix
        if value is not None and share_of:
            text += f" ({100 * value / share_of:.0f}%)"
        bars.append(
            Bar(
                label=_cut(label),
                title=_("{food}: {interpretation}").format(food=label, interpretation=text),
                value_text=text,
                width=round(width, 1),
                y=index * ROW_HEIGHT,
                current=label == current,
            )
        )
    return Chart(bars=bars, height=max(1, len(rows)) * ROW_HEIGHT)

"""Options several commands share, each declared once (the global ones are in cli/root.py)."""

from __future__ import annotations

from typing import Annotated

import typer

MAX_LIMIT = 1_000_000  # more rows than any --limit can mean; larger numbers are typing slips

FormOption = Annotated[
    str | None,
    typer.Option(
        "--form", help="Only foods of this kind: mk4 (animal tissue) or mk7 (bacterial, fermented)."
    ),
]
CategoryOption = Annotated[
    str | None, typer.Option("--category", "-c", help="Only this category, e.g. cheese.")
]
RatioOption = Annotated[
    float,
    typer.Option(
        "--ratio",
        help="µg K2 per 10,000 IU vitamin D3. Default 100: the common rule of thumb of 100 µg K2 (MK-7) "
        "per 10,000 IU D3, scaled proportionally (a supplement-practice convention, not a clinical dose).",
    ),
]
D3Option = Annotated[
    float | None,
    typer.Option(
        "--d3", help="Your vitamin D3 dose in IU: say whether the meal's K2 covers it at the ratio."
    ),
]
IncludeFlaggedOption = Annotated[
    bool,
    typer.Option(
        "--include-flagged",
        help="Also rank foods whose only figures are flagged as doubtful (outliers, doubted by their "
        "source, derived, or measured on another product) or uncertain (measurements more than 5-fold "
        "apart); they are marked ! with the reason.",
    ),
]
ProgressOption = Annotated[
    bool | None,
    typer.Option(
        "--progress/--no-progress", help="Progress bar (default: only on a terminal).", show_default=False
    ),
]

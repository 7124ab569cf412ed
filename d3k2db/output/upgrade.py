"""What an upgrade did to the user's own aliases and foods, in words (storage/changes.py's values)."""

from __future__ import annotations

from collections.abc import Sequence

from ..i18n import _
from ..storage.changes import ChangeKind, SeedChange

NOTICE_LINES = 10  # an implicit upgrade lists this many changes on stderr; `db upgrade` lists all


def change_line(change: SeedChange) -> str:
    """One change as one sentence: where the alias or food is now, and why."""
    names = {"alias": repr(change.alias), "food": repr(change.food), "to": repr(change.to)}
    if change.kind is ChangeKind.ALIAS_MOVED:
        return _("alias {alias} moved from {food} to {to} (renamed in the seed)").format(**names)
    if change.kind is ChangeKind.ALIAS_KEPT and change.to is not None:
        return _(
            "alias {alias} kept on {food}, now your own food: the seed renamed it {to}, "
            "which is the name of your own food"
        ).format(**names)
    if change.kind is ChangeKind.ALIAS_KEPT:
        return _(
            "alias {alias} kept on {food}, now your own food with its figures and source "
            "(removed from the seed)"
        ).format(**names)
    if change.kind is ChangeKind.ALIAS_SHADOWED:
        return _(
            "alias {alias} of {food} is now also the name of the seed food {to}, which that name "
            "finds first: give your alias another name to keep it useful"
        ).format(**names)
    return _("your food {food} keeps its name; the seed's food of that name is not loaded").format(**names)


def change_lines(changes: Sequence[SeedChange], limit: int | None = None) -> list[str]:
    """The changes, one line each (the first ``limit`` and a count of the rest)."""
    shown = changes if limit is None else changes[:limit]
    lines = [change_line(change) for change in shown]
    if len(changes) > len(shown):
        lines.append(_("… and {count} more").format(count=len(changes) - len(shown)))
    return lines


def upgrade_notice(changes: Sequence[SeedChange]) -> list[str]:
    """The lines an upgrade done on another command's first run writes to stderr (none: nothing
    of the user's moved)."""
    if not changes:
        return []
    return [
        _("d3k2db: this database was upgraded; what you added is kept:"),
        *(f"  {line}" for line in change_lines(changes, NOTICE_LINES)),
        _("d3k2db: `d3k2db db upgrade` lists these changes again"),
    ]

"""Marks on K2 figures and their footnotes: '!' flagged (doubtful or uncertain), '‡' partial,
'*' a reading rather than a name, '†' a fallback unit weight."""

from __future__ import annotations

from collections.abc import Sequence

from ..domain.vocabulary import flag
from ..i18n import N_, _

MARK_FLAG, MARK_PARTIAL = "!", "‡"
FLAGGED_LEFT_OUT = N_(
    "Foods whose only figures are flagged as doubtful or uncertain are left out (--include-flagged shows "
    "them, marked !)."
)
UNCERTAIN = "uncertain"  # the flag kind of a food whose measurements disagree (d3k2db.domain.evidence)


def doubt(flags: Sequence[str]) -> str:
    """What the '!' of these flags means: 'doubtful figure', 'uncertain figure' (measurements that
    disagree), or both."""
    kinds = {text.partition(": ")[0] for text in flags}
    if kinds == {UNCERTAIN}:
        return _("uncertain figure")
    return _("doubtful and uncertain figure") if UNCERTAIN in kinds else _("doubtful figure")


class Evidence:
    """Marks on K2 figures and their footnotes: '!' a flagged (doubtful or uncertain) figure, '‡' a
    partial one."""

    def __init__(self) -> None:
        self.flagged: dict[tuple[str, ...], list[str]] = {}  # the same flags are one footnote
        self.partial: dict[str, list[str]] = {}

    def mark(self, cell: str, name: str, flags: Sequence[str], partial_note: str | None) -> str:
        if flags:
            cell += MARK_FLAG
            names = self.flagged.setdefault(tuple(flags), [])
            if name not in names:
                names.append(name)
        if partial_note:
            cell += MARK_PARTIAL
            names = self.partial.setdefault(partial_note, [])
            if name not in names:
                names.append(name)
        return cell

    def footnotes(self) -> list[str]:
        lines = [
            _("{mark} {names} — {doubt}: {flags}.").format(
                mark=MARK_FLAG,
                names=" · ".join(names),
                doubt=doubt(flags),
                flags=_("; ").join(flag(f) for f in flags),
            )
            for flags, names in self.flagged.items()
        ]
        lines += [
            _("{mark} partial figure, {note}: {names}.").format(
                mark=MARK_PARTIAL, note=note, names=_(", ").join(names)
            )
            for note, names in self.partial.items()
        ]
        return lines


MARK_READING, MARK_FALLBACK = "*", "†"


def fallback_note(text: str) -> str:
    """The footnote of a '†': no published weight of the unit for the food, and ``text``, the
    cited fallback weight used instead."""
    return _("{mark} No published weight of this unit for the food; {text}.").format(
        mark=MARK_FALLBACK, text=text
    )

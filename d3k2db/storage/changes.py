"""What an upgrade did to the user's own data: typed, and kept in the database to be told again.

A new seed may rename or remove a food that carries an alias of the user's, or bring a food named
like one of the user's foods or aliases. exchange/carry.py keeps all of it and says so with a
:class:`SeedChange` per case; the seed's load records the list in ``meta`` (replacing the last
one) so that ``d3k2db db upgrade`` can list it again after an upgrade done on another command's
first run. The words are output/upgrade.py's; here are only values.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from enum import Enum
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from .tables import meta

CHANGES_KEY = "seed_changes"  # meta: the JSON list of the last seed load's changes


class ChangeKind(str, Enum):
    """What happened to something the user added when the seed changed; JSON gives the value."""

    ALIAS_MOVED = "alias_moved"  # the alias followed its seed food to the food's new name
    # its seed food left the seed (or its new name is the user's own food): the food is kept as the
    # user's own, with its figures, source and the alias
    ALIAS_KEPT = "alias_kept"
    ALIAS_SHADOWED = "alias_shadowed"  # a new seed food has the alias as its name: the name wins
    FOOD_KEPT = "food_kept"  # the seed has a food of the user's food's name: the user's is kept

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class SeedChange:
    """One thing the user added, and where it is now.

    ``food``: the alias's food before the change, or the user's food (FOOD_KEPT). ``to``: the food
    the alias moved to; for ALIAS_KEPT the seed's new name when that name is the user's own food;
    for ALIAS_SHADOWED the seed food now named like the alias. ``reason``: data/renamed.csv's.
    """

    kind: ChangeKind
    food: str
    alias: str | None = None
    to: str | None = None
    reason: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "kind": self.kind.value}

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> SeedChange:
        return cls(**{**values, "kind": ChangeKind(values["kind"])})


@dataclass(frozen=True)
class UpgradeReport:
    """What getting a database ready did: the schema revision before and now, whether the seed
    was (re)loaded, and what that did to the user's own data."""

    revision_before: str | None  # None: the database was empty
    revision: str
    seed_loaded: bool
    changes: list[SeedChange] = field(default_factory=list)

    @property
    def changed_anything(self) -> bool:
        return self.revision_before != self.revision or self.seed_loaded


def record(connection: Connection, changes: list[SeedChange]) -> None:
    """Keep ``changes`` as the last seed load's (none: the record is removed)."""
    connection.execute(delete(meta).where(meta.c.key == CHANGES_KEY))
    if changes:
        value = json.dumps([change.to_dict() for change in changes], ensure_ascii=False)
        connection.execute(insert(meta), [{"key": CHANGES_KEY, "value": value}])


def recorded(connection: Connection) -> list[SeedChange]:
    """The changes the last seed load made to the user's data (empty when none, or never told)."""
    value = connection.execute(select(meta.c.value).where(meta.c.key == CHANGES_KEY)).scalar()
    return [SeedChange.from_dict(item) for item in json.loads(value)] if value else []

"""Import the user's foods from CSV (e.g. a spreadsheet, or an export: exchange/export.py).

Import streams the file (files/reading.py, rows checked by exchange/import_rows.py) and plans
and writes it BATCH_ROWS rows at a time, all in one transaction: a refused file leaves the database
exactly as it was, and memory follows the batch, not the file. Seed foods are cited data: a row may
repeat a seed food unchanged (that is what an export of a whole database contains) or add aliases of
the user's own to it, but never change it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ..database import run_write, snapshot
from ..domain.records import (
    DEFAULT_CATEGORY,
    DEFAULT_SERVING_G,
    FoodSpec,
    build_spec,
    default_label,
)
from ..domain.text import search_key
from ..domain.units import serving_portion
from ..files.progress import Track, progress_bar, shown
from ..files.reading import open_table
from ..i18n import _
from ..storage.bulk import insert_many
from ..storage.engine import SEED_KEY
from ..storage.tables import aliases as alias_table
from ..storage.tables import foods as food_table
from ..storage.tables import meta as meta_table
from ..storage.tables import portions as portion_table
from ..storage.tables import sources as source_table
from ..storage.writes import Holder, holders, insert_foods, update_mirror_measurement
from .export import EXPORT_COLUMNS, Record, cell_text, load_records, slices, spec_record
from .import_rows import EarlierRows, FileRow, ImportFile
from .rows import category_spellings, food_rows, mirror_values, source_id, source_taken_message, taken_message

# Rows planned and written at a time, inside the one transaction: memory follows the batch, not
# the file (what stays for the whole file: exchange/import_rows.py).
BATCH_ROWS = 2_000
IMPORT_CACHE_KIB = -32_768  # SQLite's page cache while importing: 32 MB (negative: in KiB)


@dataclass
class ImportReport:
    """What an import did (or, with dry_run, would do), by food name."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)  # header cells import does not read
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


# --- planning against the database ---------------------------------------------------------------


@dataclass
class _Plan:
    """The writes one batch of rows needs, computed without writing."""

    add: list[tuple[FoodSpec, int]] = field(default_factory=list)  # spec, line
    # food id, the new food, its record before the import, line
    update: list[tuple[int, FoodSpec, Record, int]] = field(default_factory=list)
    alias_deletes: list[int] = field(default_factory=list)  # alias ids
    moved_aliases: list[str] = field(
        default_factory=list
    )  # search keys of aliases taken from a food named later
    alias_inserts: list[dict[str, Any]] = field(default_factory=list)
    file_urls: dict[str, str] = field(default_factory=dict)  # the URL the batch first gives each source
    source_urls: dict[str, str] = field(
        default_factory=dict
    )  # a URL for a source this import made without one


def _resolve(row: FileRow, old: Record | None, is_custom: bool, categories: dict[str, str]) -> FoodSpec:
    """The food a row describes: empty default-bearing cells keep the food's current value (or
    take the default for a new food); an empty figure always means 'not published'."""
    serving_g = row.serving_g or (old["serving_g"] if old else DEFAULT_SERVING_G)
    if row.serving_label:
        label = row.serving_label
    elif old and serving_g == old["serving_g"]:
        label = old["serving_label"]
    else:
        label = default_label(serving_g)
    category = row.category or (old["category"] if old else DEFAULT_CATEGORY)
    # The row's values were checked cell by cell in _parse_row; build_spec applies the one set of
    # rules and defaults every writer uses (records), so an import makes the food `add` would.
    return build_spec(
        row.name,
        row.figures,
        tag=row.tag or (old["tag"] if old and old["tag"] else None),
        category=categories.get(search_key(category), category),
        serving_g=serving_g,
        serving_label=label,
        aliases=row.aliases,
        source=row.source or (old["source"] if old and old["source"] else None),
        url=row.url,
        locator=row.locator,
        is_custom=is_custom,
    )


# a food's aliases in the database: search key → (alias id, alias, is_custom); id -1: moved away already
_Aliases = dict[str, tuple[int, str, bool]]


@dataclass
class _Batch:
    """What the database holds about one batch's names, aliases, foods and sources."""

    taken: dict[str, Holder]  # the batch's names and aliases, by search key
    records: dict[int, Record]  # the foods the rows name, by id
    aliases_of: dict[int, _Aliases]  # their aliases
    sources: dict[str, tuple[int, str | None]]  # the batch's citations → id, URL

    @classmethod
    def load(cls, connection: Connection, rows: list[FileRow], moved: dict[int, _Aliases]) -> _Batch:
        keys = sorted({row.key for row in rows} | {search_key(a) for row in rows for a in row.aliases})
        taken: dict[str, Holder] = {}
        for part in slices(keys):
            taken.update(holders(connection, part))
        ids = sorted({h.food_id for row in rows if (h := taken.get(row.key)) and h.kind == "name"})
        records = load_records(connection, ids=ids)
        aliases_of: dict[int, _Aliases] = {food_id: dict(moved.get(food_id, {})) for food_id in ids}
        for part in slices(ids):
            statement = select(
                alias_table.c.id,
                alias_table.c.food_id,
                alias_table.c.alias,
                alias_table.c.search_key,
                alias_table.c.is_custom,
            ).where(alias_table.c.food_id.in_(part))
            for alias_id, food_id, alias, key, custom in connection.execute(statement):
                aliases_of[food_id][key] = (alias_id, alias, bool(custom))
        for food_id in ids:  # the aliases taken away by an earlier row still count as the food's
            records[food_id]["aliases"] = sorted(alias for _, alias, _ in aliases_of[food_id].values())
        citations = sorted(
            {row.source for row in rows if row.source}
            | {r["source"] for r in records.values() if r["source"]}
        )
        sources: dict[str, tuple[int, str | None]] = {}
        for part in slices(citations):
            statement = select(source_table.c.citation, source_table.c.id, source_table.c.url)
            for found in connection.execute(statement.where(source_table.c.citation.in_(part))):
                sources[str(found.citation)] = (int(found.id), found.url)
        return cls(taken, records, aliases_of, sources)


def _is_custom(row: FileRow, old: Record | None, seeded: bool) -> bool:
    """Once the seed is in, every imported food is the user's; before, the custom cell says, else
    the food stays what it was (a new food is the user's)."""
    if seeded:
        return True
    if row.custom is not None:
        return row.custom
    return bool(old["custom"]) if old else True


@dataclass
class _Importer:
    """Plans the file's rows batch by batch, in file order, into the report (and the writes).

    A batch is planned against the database as the import has left it so far, and against what
    the earlier rows claimed; what a row decides for a food that a later batch names (an alias it
    takes from it) is remembered until then, so a dry run that writes nothing plans the same."""

    file: ImportFile
    earlier: EarlierRows
    seeded: bool
    categories: dict[str, str]  # the spelling of each category, by search key, before the import
    first_new_source: int  # sources with this id or above were made by this import
    report: ImportReport = field(default_factory=ImportReport)
    # an alias a rewritten food gave up: its search key → the food's name (no later row may be named so)
    dropped: dict[str, str] = field(default_factory=dict)
    # aliases taken from a food no row has named yet: food id → its aliases taken (kept as its own)
    moved: dict[int, _Aliases] = field(default_factory=dict)
    # hash(the food's search key) → the first line and alias taken from it, and its name
    pending: dict[int, tuple[int, str, str]] = field(default_factory=dict)

    @classmethod
    def start(cls, connection: Connection, file: ImportFile) -> _Importer:
        seeded = connection.execute(select(meta_table.c.value).where(meta_table.c.key == SEED_KEY)).first()
        last_source = connection.execute(select(func.max(source_table.c.id))).scalar() or 0
        return cls(
            file, EarlierRows(file), seeded is not None, category_spellings(connection), last_source + 1
        )

    def run(self, connection: Connection, rows: Iterator[FileRow], write: bool) -> ImportReport:
        batch: list[FileRow] = []
        for row in rows:
            self.earlier.check(row)
            self.pending.pop(hash(row.key), None)
            batch.append(row)
            if len(batch) == BATCH_ROWS:
                self._batch(connection, batch, write)
                batch = []
        if batch:
            self._batch(connection, batch, write)
        if self.pending:
            line, alias, name = min(self.pending.values())
            raise self.file.fail(
                line,
                "aliases",
                _("{alias} is taken by the food {name} — remove it here").format(
                    alias=repr(alias), name=repr(name)
                ),
            )
        self.report.ignored_columns = self.file.ignored
        return self.report

    def _batch(self, connection: Connection, rows: list[FileRow], write: bool) -> None:
        known = _Batch.load(connection, rows, self.moved)
        plan = _Plan()
        for row in rows:
            if row.source and row.url:
                plan.file_urls.setdefault(row.source, row.url)
        for row in rows:
            self._plan_row(row, known, plan)
        if write:
            _apply(connection, plan)
        # The keys of this batch's names are asked for several times (parse, plan, write), never
        # again: left in search_key's cache, 65,536 names of 300 characters would hold 46 MB.
        search_key.cache_clear()

    def _target(self, row: FileRow, known: _Batch) -> int | None:
        """The existing food a row names (None: a new food); no row may be named by an alias."""
        holder = known.taken.get(row.key)
        if holder is not None and holder.kind == "alias":
            problem = taken_message(holder, row.name)
        elif row.key in self.dropped:
            problem = taken_message(Holder("alias", 0, self.dropped[row.key], True), row.name)
        else:
            return holder.food_id if holder else None
        raise self.file.fail(
            row.line, "name", _("{problem} — give the food another name").format(problem=problem)
        )

    def _url_of(self, citation: str, spec_url: str | None, known: _Batch) -> str | None:
        """A source's URL: the database's if the source was there before the import, else the file's."""
        found = known.sources.get(citation)
        return found[1] if found and found[0] < self.first_new_source else spec_url

    def _plan_row(self, row: FileRow, known: _Batch, plan: _Plan) -> None:
        food_id = self._target(row, known)
        old = known.records.get(food_id) if food_id is not None else None
        seed_row = old is not None and not old["custom"] and self.seeded
        spec = self._spec(row, old, seed_row, known, plan)
        self._claim_aliases(row, spec, food_id, known, plan)
        if food_id is None or old is None:
            plan.add.append((spec, row.line))
            self.report.added.append(spec.name)
            return
        current = known.aliases_of.get(food_id, {})
        if seed_row:
            self._plan_seed_food(row, food_id, spec, old, current, known, plan)
        else:
            self._plan_own_food(row, food_id, spec, old, current, known, plan)

    def _spec(self, row: FileRow, old: Record | None, seed_row: bool, known: _Batch, plan: _Plan) -> FoodSpec:
        """The food the row describes; refused when it marks a seed food custom or gives a
        source already in the database another URL."""
        if old is not None and seed_row and row.custom is True:
            raise self.file.fail(
                row.line,
                "name",
                _("{name} is a seed food; the seed cannot be edited — give your food another name").format(
                    name=repr(old["name"])
                ),
            )
        is_custom = _is_custom(row, old, self.seeded)
        spec = _resolve(row, old, False if seed_row else is_custom, self.categories)
        found = known.sources.get(spec.source)
        if spec.url is None or found is None or found[1] == spec.url:
            return spec
        if found[0] >= self.first_new_source and found[1] is None:
            plan.source_urls.setdefault(spec.source, spec.url)  # made by an earlier row that gave no URL
            return spec
        raise self.file.fail(row.line, "url", source_taken_message(spec.source, found[1]))

    def _claim_aliases(
        self, row: FileRow, spec: FoodSpec, food_id: int | None, known: _Batch, plan: _Plan
    ) -> None:
        """The aliases this row claims, checked against every other food's names and aliases.

        An alias another food holds is free only when it is the user's alias of a food the file
        names too (whose row then rewrites its aliases); if that row is yet to come, the alias is
        taken from it now and the row must come before the file ends."""
        for alias in spec.aliases:
            key = search_key(alias)
            holder = known.taken.get(key)
            if holder is None or holder.food_id == food_id:
                continue
            # the fingerprint alone (a 1-in-2^64 accident aside): no error hangs on it
            named = hash(search_key(holder.food_name)) in self.earlier.name_lines
            if holder.kind == "alias" and holder.is_custom and named:
                continue
            if holder.kind == "alias" and holder.is_custom:
                self.moved.setdefault(holder.food_id, {})[key] = (-1, alias, True)
                self.pending.setdefault(
                    hash(search_key(holder.food_name)), (row.line, alias, holder.food_name)
                )
                plan.moved_aliases.append(key)
                continue
            raise self.file.fail(
                row.line,
                "aliases",
                _("{alias} is taken by the food {name} — remove it here").format(
                    alias=repr(alias), name=repr(holder.food_name)
                ),
            )

    def _drop(self, food: str, current: _Aliases, drops: Iterable[str], plan: _Plan) -> None:
        for key in drops:
            alias_id = current[key][0]
            if alias_id >= 0:
                plan.alias_deletes.append(alias_id)
            self.dropped[key] = food

    def _plan_seed_food(
        self,
        row: FileRow,
        food_id: int,
        spec: FoodSpec,
        old: Record,
        current: _Aliases,
        known: _Batch,
        plan: _Plan,
    ) -> None:
        """A seed food must be repeated unchanged; only the user's own aliases of it come and go."""
        _check_seed_row(self.file, row, spec, old, self._url_of(spec.source, spec.url, known))
        wanted = {search_key(a): a for a in spec.aliases}
        adds = [a for k, a in wanted.items() if k not in current]
        drops = [k for k, (_, _, custom) in current.items() if custom and k not in wanted]
        self._drop(old["name"], current, drops, plan)
        plan.alias_inserts += [
            {"food_id": food_id, "alias": a, "search_key": search_key(a), "is_custom": True} for a in adds
        ]
        (self.report.updated if adds or drops else self.report.unchanged).append(old["name"])

    def _plan_own_food(
        self,
        row: FileRow,
        food_id: int,
        spec: FoodSpec,
        old: Record,
        current: _Aliases,
        known: _Batch,
        plan: _Plan,
    ) -> None:
        """An existing food of the user's: rewritten with its aliases, unless the row repeats it."""
        if spec_record(spec, self._url_of(spec.source, spec.url, known)) == old and all(
            custom == spec.is_custom for _, _, custom in current.values()
        ):
            self.report.unchanged.append(spec.name)
            return
        plan.update.append((food_id, spec, old, row.line))
        wanted = {search_key(a): a for a in spec.aliases}
        stale = [
            k
            for k, (_, alias, custom) in current.items()
            if wanted.get(k) != alias or custom != spec.is_custom
        ]
        self._drop(old["name"], current, [k for k in stale if k not in wanted], plan)
        plan.alias_deletes += [current[k][0] for k in stale if k in wanted and current[k][0] >= 0]
        plan.alias_inserts += [
            {"food_id": food_id, "alias": a, "search_key": k, "is_custom": spec.is_custom}
            for k, a in wanted.items()
            if k not in current or current[k][1] != a or current[k][2] != spec.is_custom
        ]
        self.report.updated.append(spec.name)


def _check_seed_row(file: ImportFile, row: FileRow, spec: FoodSpec, old: Record, url: str | None) -> None:
    """A row naming a seed food must repeat it: the seed is cited data, not the user's to edit."""
    new = spec_record(spec, url)
    for column in EXPORT_COLUMNS:
        if column in ("name", "aliases", "custom"):
            continue
        if (column == "url" and row.url is None) or (column == "locator" and row.locator is None):
            continue  # an empty cell here only means the row does not repeat it
        if new[column] != old[column]:
            shown_old = cell_text(column, old[column]) or _("empty")
            shown_new = cell_text(column, new[column]) or _("empty")
            raise file.fail(
                row.line,
                column,
                _(
                    "{name} is a seed food and the seed says {old}, not {new}; "
                    "the seed cannot be edited — give your version another name to keep it as your own food"
                ).format(name=repr(old["name"]), old=shown_old, new=shown_new),
            )


def _apply(connection: Connection, plan: _Plan) -> None:
    """Write one batch's plan. Aliases are deleted first so that one can move between foods."""
    for part in slices(plan.alias_deletes):
        connection.execute(delete(alias_table).where(alias_table.c.id.in_(part)))
    for part in slices(plan.moved_aliases):
        connection.execute(delete(alias_table).where(alias_table.c.search_key.in_(part)))
    for citation, url in plan.source_urls.items():
        connection.execute(update(source_table).where(source_table.c.citation == citation).values(url=url))
    cache: dict[str, int] = {}

    def sid_of(spec: FoodSpec) -> int:
        return source_id(connection, spec.source, spec.url or plan.file_urls.get(spec.source), cache)

    for food_id, spec, old, _line in plan.update:
        sid = sid_of(spec)
        connection.execute(
            update(food_table).where(food_table.c.id == food_id).values(**spec.food_values(sid))
        )
        _update_portion(connection, food_id, old, spec)
        update_mirror_measurement(connection, food_id, mirror_values(spec, sid), None)
    insert_foods(connection, [food_rows(spec, sid_of(spec)) for spec, _line in plan.add])
    if plan.alias_inserts:
        insert_many(connection, alias_table, plan.alias_inserts)


def _update_portion(connection: Connection, food_id: int, old: Record, spec: FoodSpec) -> None:
    """The portion the old serving label implied goes; the new one comes (if not already there)."""
    before = serving_portion(old["serving_g"], old["serving_label"], old["source"])
    after = serving_portion(spec.serving_g, spec.serving_label, spec.source)
    if before == after:
        return
    portions = connection.execute(
        select(portion_table.c.id, portion_table.c.unit, portion_table.c.amount, portion_table.c.grams).where(
            portion_table.c.food_id == food_id
        )
    ).all()
    if before is not None:
        for pid, unit, amount, grams in portions:
            if (unit, amount, grams) == (before["unit"], before["amount"], before["grams"]):
                connection.execute(delete(portion_table).where(portion_table.c.id == pid))
                break
    if after is not None and not any(
        (unit, amount, grams) == (after["unit"], after["amount"], after["grams"])
        for _, unit, amount, grams in portions
    ):
        connection.execute(insert(portion_table).values(food_id=food_id, **after))


def import_csv(
    engine: Engine, path: str | Path, *, dry_run: bool = False, progress: bool | None = None
) -> ImportReport:
    """Add or update the user's foods from a CSV file (the export layout; see docs/import.md).

    The file is read row by row and written BATCH_ROWS rows at a time, all in one transaction: a
    refused file leaves the database exactly as it was. ``dry_run`` computes the same report and
    writes nothing. ``progress=None`` shows a progress bar only when stderr is a terminal. Raises
    SeedError naming the file, line and column of the first problem.
    """
    with open_table(Path(path), EXPORT_COLUMNS, required=("name",)) as table:
        file = ImportFile(table)

        def bar() -> AbstractContextManager[Track]:
            return progress_bar(shown(progress), table.size, _("import"))

        if dry_run:
            with bar() as track, snapshot(engine) as connection:
                report = _Importer.start(connection, file).run(connection, file.rows(track), write=False)
        else:

            def work(connection: Connection) -> ImportReport:
                # read again from the start on a retry: another writer came first (storage/writes.py)
                with bar() as track, _roomy_cache(connection):
                    return _Importer.start(connection, file).run(connection, file.rows(track), write=True)

            report = run_write(engine, work)
    report.dry_run = dry_run
    return report


@contextmanager
def _roomy_cache(connection: Connection) -> Iterator[None]:
    """On SQLite, a 32 MB page cache while the import writes (the default is 2 MB): a large import
    otherwise spills the name index's pages to the WAL file over and over (a 200,000-food import
    spent 4 of its seconds there). The connection's own size is restored afterwards."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql("PRAGMA cache_size").scalar()
    connection.exec_driver_sql(f"PRAGMA cache_size = {IMPORT_CACHE_KIB}")
    try:
        yield
    finally:
        with suppress(DBAPIError):
            connection.exec_driver_sql(f"PRAGMA cache_size = {int(before or 0)}")


__all__ = ["BATCH_ROWS", "ImportReport", "import_csv"]

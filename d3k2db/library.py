"""The library API: everything the CLI does, callable from Python.

>>> from d3k2db import K2Database
>>> db = K2Database("sqlite:///k2.sqlite")      # created, migrated and seeded on first use
>>> [f.name for f in db.search("natto")]
>>> db.meal(["2 eggs, 1 tbsp butter"]).k2
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from functools import cached_property
from pathlib import Path
from typing import IO, TYPE_CHECKING, TypeVar

from .config import resolve_url
from .domain.figures import DEFAULT_RATIO_UG_PER_10000_IU
from .domain.results import FoodProfile, FoodSummary, MealResult, PairResult, SourceSummary
from .errors import UsageError
from .i18n import _
from .lookup.search import search_matches, top_foods
from .resources import data_dir
from .storage import reads
from .storage.quick import ready_sqlite_file
from .storage.readers import Readers

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

    from .domain.records import FoodSpec
    from .exchange.fdc import FdcReport
    from .exchange.seed import SeedLoad
    from .exchange.transfer import ImportReport
    from .plan.results import PlanResult
    from .storage.changes import SeedChange, UpgradeReport
    from .storage.reads import Reader

T = TypeVar("T")


def _in_language(connection: Reader, foods: list[FoodSummary]) -> list[FoodSummary]:
    """The foods with their names in the chosen language (one query for all; none in English)."""
    from dataclasses import replace

    from .lookup.names import display_names

    shown = display_names(connection, [f.name for f in foods])
    return [replace(f, display_name=shown[f.name]) for f in foods] if shown else foods


class K2Database:
    """A d3k2db database at ``url`` (``None``: ``D3K2DB_URL`` or the default SQLite file).

    ``prepare`` migrates and seeds it as needed; ``upgraded`` then says what that did (None: nothing
    needed doing), with what a changed seed did to your own aliases and foods.

    Lookups on a SQLite file that is already up to date read it with the stdlib ``sqlite3``
    (storage/quick.py); everything else, and every write, goes through the SQLAlchemy ``engine``.
    """

    def __init__(self, url: str | None = None, *, prepare: bool = True) -> None:
        self._url = url
        # the file lookups read without SQLAlchemy; None: they read through the engine
        self._sqlite = ready_sqlite_file(resolve_url(url), data_dir()) if prepare else None
        # the lookups' connections, kept one per thread (storage/readers.py)
        self._readers = Readers(self._sqlite) if self._sqlite is not None else None
        self.upgraded: UpgradeReport | None = None
        if self._sqlite is None and prepare:
            from .ready import ensure_ready

            self.upgraded = ensure_ready(self.engine)

    @cached_property
    def engine(self) -> Engine:
        """The SQLAlchemy engine (opened on first use when lookups need none)."""
        from .database import open_engine

        return open_engine(self._url)

    def close(self) -> None:
        if self._readers is not None:
            self._readers.close()
        if "engine" in self.__dict__:
            self.engine.dispose()

    def __enter__(self) -> K2Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _run(self, work: Callable[[Reader], T]) -> T:
        """Run a lookup in one consistent snapshot (the queries of storage/reads.py)."""
        if self._sqlite is not None and self._readers is not None:
            try:
                with self._readers.reading() as connection:
                    return work(connection)
            except sqlite3.Error as exc:
                from .database import sqlite_failure

                raise sqlite_failure(self._sqlite, exc) from None
        return self._run_engine(work)

    def _run_engine(self, work: Callable[[Connection], T]) -> T:
        """Run a read in one consistent snapshot of the engine (Core queries, no ORM)."""
        from .database import snapshot

        with snapshot(self.engine) as connection:
            return work(connection)

    def search(
        self,
        term: str | None = None,
        *,
        form: str | None = None,
        category: str | None = None,
        limit: int | None = None,
    ) -> list[FoodSummary]:
        """Foods matching ``term`` (best first; ``matched_alias`` names the alias a food was found
        through), or all foods richest in K2 first, unflagged figures before flagged ones; an empty
        list when nothing matches (``explain_no_match`` says why)."""
        from dataclasses import replace

        return self._run(
            lambda s: _in_language(
                s,
                [
                    replace(FoodSummary.of(food), matched_alias=alias)
                    for food, alias in search_matches(s, term, form=form, category=category, limit=limit)
                ],
            )
        )

    def explain_no_match(self, term: str) -> str:
        """Why ``search(term)`` found nothing, in one line (the closest names, or that the food
        has no published K2 figure)."""
        from .lookup.search import no_match_message

        return self._run(lambda s: no_match_message(s, term))

    def top(
        self,
        *,
        by: str = "100g",
        form: str | None = None,
        category: str | None = None,
        limit: int | None = 20,
        include_flagged: bool = False,
    ) -> list[FoodSummary]:
        """Foods ranked by K2 per 100 g (``by="100g"``) or per default serving (``by="serving"``);
        foods whose figure is flagged as doubtful only with ``include_flagged``."""
        return self._run(
            lambda s: _in_language(
                s,
                [
                    FoodSummary.of(f)
                    for f in top_foods(
                        s, by=by, form=form, category=category, limit=limit, include_flagged=include_flagged
                    )
                ],
            )
        )

    def categories(self) -> list[str]:
        """The food categories in the database, sorted (what ``category=`` accepts)."""
        from .lookup.search import category_names

        return self._run(category_names)

    def show(self, name: str) -> FoodProfile:
        """The full profile of the food ``name`` names, and how it was matched (exact, alias, generic
        or an unambiguous typo: d3k2db.lookup.matching). Raises FoodNotFound with the closest names."""

        def work(connection: Reader) -> FoodProfile:
            from dataclasses import replace

            from .lookup.matching import resolve
            from .lookup.names import display_names
            from .lookup.search import shown_names

            match = resolve(connection, name)
            food = match.food
            names = reads.rows(connection, reads.ALIASES_OF_FOOD, id=food.id)
            own = reads.rows(connection, reads.PORTIONS_OF_FOOD, id=food.id)
            measured = reads.rows(connection, reads.MEASUREMENTS_OF_FOOD, id=food.id)
            profile = FoodProfile.of(food, [(alias, lang) for alias, lang in names], own, measured)
            shown = display_names(connection, [food.name]).get(food.name, "")
            return replace(
                profile,
                display_name=shown,
                typed=name,
                match=match.kind,
                matched=match.matched,
                alternatives=list(match.alternatives),
                match_note=match.describe(shown_names(connection, list(match.alternatives))),
            )

        return self._run(work)

    def meal(
        self,
        words: Sequence[str],
        *,
        ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
        d3_iu: float | None = None,
        target_ug: float | None = None,
        skip_unknown: bool = False,
    ) -> MealResult:
        """The K2 in a meal given as shell words or one phrase: '2 eggs, 1 tbsp butter'.

        ``d3_iu`` checks the meal against a vitamin D3 dose; ``target_ug`` against a daily K2 target.
        ``skip_unknown`` leaves out items that name no known food (listed in ``skipped``; the
        total is then partial) instead of refusing the meal.
        """
        from .meal.compute import compute_meal  # the meal language is not needed by search or show

        def work(connection: Reader) -> MealResult:
            from dataclasses import replace

            from .lookup.names import display_names

            result = compute_meal(
                connection,
                words,
                ratio_ug_per_10000_iu,
                d3_iu=d3_iu,
                target_ug=target_ug,
                skip_unknown=skip_unknown,
            )
            shown = display_names(connection, [item.food for item in result.items])
            if not shown:
                return result
            items = [replace(item, display_name=shown[item.food]) for item in result.items]
            return replace(result, items=items)

        return self._run(work)

    def pair(
        self,
        d3_iu: float,
        *,
        ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
        form: str | None = None,
        category: str | None = None,
        limit: int = 10,
        include_flagged: bool = False,
    ) -> PairResult:
        """The K2 a vitamin D3 dose calls for, and how much of each of the richest foods gives it
        (foods whose figure is flagged as doubtful only with ``include_flagged``)."""
        from .meal.pairing import pair_d3

        def work(connection: Reader) -> PairResult:
            from dataclasses import replace

            result = pair_d3(
                connection,
                d3_iu,
                ratio_ug_per_10000_iu,
                form=form,
                category=category,
                limit=limit,
                include_flagged=include_flagged,
            )
            foods = _in_language(connection, [option.food for option in result.options])
            options = [replace(o, food=f) for o, f in zip(result.options, foods, strict=True)]
            return replace(result, options=options)

        return self._run(work)

    def plan(
        self,
        d3_iu: float | None = None,
        *,
        target_ug: float | None = None,
        ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
        with_meal: Sequence[str] | MealResult | None = None,
        diets: Sequence[str] = (),
        like: Sequence[str] = (),
        avoid: Sequence[str] = (),
        max_items: int = 3,
        count: int = 5,
        include_doubtful: bool = False,
    ) -> PlanResult:
        """Up to ``count`` different plans of at most ``max_items`` foods, in half-steps of published
        servings, that give the K2 a vitamin D3 dose (``d3_iu``) or a daily target (``target_ug``)
        calls for, less the K2 of ``with_meal`` (words read as ``meal`` reads them, or a meal already
        computed). ``diets``: vegan, vegetarian, pescatarian, no-dairy, no-soy, no-pork, no-offal;
        ``like`` / ``avoid``: foods or categories by name in any language. Only trusted figures
        unless ``include_doubtful``. The method: docs/plan.md."""
        from .plan.build import make_plan  # SciPy is imported only when a plan is solved

        eaten = self._eaten(with_meal)
        return self._run_engine(
            lambda connection: make_plan(
                connection,
                d3_iu=d3_iu,
                target_ug=target_ug,
                ratio=ratio_ug_per_10000_iu,
                eaten=eaten,
                diets=diets,
                like=like,
                avoid=avoid,
                max_items=max_items,
                count=count,
                include_doubtful=include_doubtful,
            )
        )

    def _eaten(self, with_meal: Sequence[str] | MealResult | None) -> MealResult | None:
        """A meal already eaten: read from its words (as ``meal`` reads them), or given computed."""
        if with_meal is None or isinstance(with_meal, MealResult):
            return with_meal
        return self.meal(with_meal)

    def sources(self) -> list[SourceSummary]:
        """Every reference, its publisher's page and copy read, and how many measurements it supplied."""

        def work(connection: Connection) -> list[SourceSummary]:
            from sqlalchemy import func, select

            from .storage.tables import measurements, sources

            counted = func.count(measurements.c.id)
            rows = connection.execute(
                select(sources.c.citation, sources.c.url, sources.c.publisher_url, counted)
                .outerjoin(measurements, measurements.c.source_id == sources.c.id)
                .group_by(sources.c.id, sources.c.citation, sources.c.url, sources.c.publisher_url)
                .order_by(counted.desc(), sources.c.citation)
            )
            return [SourceSummary(c, u, p, n) for c, u, p, n in rows]

        return self._run_engine(work)

    def upgrade(self) -> UpgradeReport:
        """Bring the schema and the seed up to date (the first use does it anyway): the report says
        what was done and where a changed seed moved or kept your own aliases and foods."""
        from .ready import ensure_ready
        from .storage.changes import UpgradeReport
        from .storage.engine import HEAD_REVISION

        report = ensure_ready(self.engine)
        return report or UpgradeReport(HEAD_REVISION, HEAD_REVISION, seed_loaded=False)

    def seed(self) -> SeedLoad:
        """Load the shipped, cited seed foods again (the schema brought up to date first); your own
        foods and aliases are kept, and what a changed seed did to them is in the result's changes."""
        from .database import upgrade_schema, worded
        from .exchange.seed import load_seed

        upgrade_schema(self.engine)
        with worded(self.engine):
            return load_seed(self.engine)

    @property
    def url(self) -> str:
        """The database's URL as it may be shown (any password hidden)."""
        return self.engine.url.render_as_string(hide_password=True)

    def last_seed_changes(self) -> list[SeedChange]:
        """What the last seed load did to your own aliases and foods (kept in the database)."""
        from .storage.changes import recorded

        return self._run_engine(recorded)

    # --- writing: the user's own foods, import and export (modules load only when used) ---------

    def add_food(self, spec: FoodSpec) -> None:
        """Add one of your own foods, given whole: ``db.add_food(FoodSpec.of("farm gouda",
        total_k2=70, serving_g=30))`` (figures in µg per 100 g; FoodSpec.of checks the values and
        raises Invalid for a bad one). It survives every seed refresh and is marked custom. Raises
        NameTaken when the name or an alias already names a food; nothing is written then.
        """
        from .exchange.custom import add_food

        add_food(self.engine, spec)

    def remove_food(self, name: str) -> str:
        """Remove one of your own foods (seed foods are refused); returns its name."""
        from .exchange.custom import remove_food

        return remove_food(self.engine, name)

    def add_alias(self, food: str, alias: str, *, lang: str | None = None) -> str:
        from .exchange.custom import add_alias

        return add_alias(self.engine, food, alias, lang=lang)

    def remove_alias(self, alias: str) -> str:
        from .exchange.custom import remove_alias

        return remove_alias(self.engine, alias)

    def export_csv(
        self, target: str | Path | IO[str], *, custom_only: bool = False, excel: bool = False
    ) -> int:
        """Write every food (or only yours) as CSV; ``excel`` adds a BOM and uses ';'."""
        from .exchange.export import export_csv

        self._refuse_own_file(target)
        return export_csv(
            self.engine, target, custom_only=custom_only, delimiter=";" if excel else ",", bom=excel
        )

    def export_json(self, target: str | Path | IO[str], *, custom_only: bool = False) -> int:
        from .exchange.export import export_json

        self._refuse_own_file(target)
        return export_json(self.engine, target, custom_only=custom_only)

    def _refuse_own_file(self, target: str | Path | IO[str]) -> None:
        """An output path that is this SQLite database, or one of its -wal/-shm/-journal files, would
        overwrite the database with text: refused before anything is written."""
        if not isinstance(target, (str, Path)) or self.engine.url.get_backend_name() != "sqlite":
            return
        database = self.engine.url.database
        if not database or database == ":memory:":
            return
        own = Path(database).expanduser().resolve()
        path = Path(target).expanduser().resolve()
        if path in {own, *(own.with_name(own.name + suffix) for suffix in ("-wal", "-shm", "-journal"))}:
            raise UsageError(
                _(
                    "{path} is the database itself (or one of its files): write the export to another file"
                ).format(path=target)
            )

    def import_csv(
        self, path: str | Path, *, dry_run: bool = False, progress: bool | None = None
    ) -> ImportReport:
        """Add or update your foods from a CSV in the export's columns; all or nothing. The file is
        streamed (bounded memory); ``progress=None`` shows a bar only when stderr is a terminal."""
        from .exchange.transfer import import_csv

        return import_csv(self.engine, path, dry_run=dry_run, progress=progress)

    def import_fdc(self, path: str | Path, *, progress: bool | None = None) -> FdcReport:
        """Import the foods with MK-4 from a USDA FoodData Central CSV download (folder or .zip)."""
        from .exchange.fdc import import_fdc

        # the engine opened while the download is read (SQLAlchemy's import overlaps the parsing)
        return import_fdc(lambda: self.engine, path, progress=progress)

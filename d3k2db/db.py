"""The library API: everything the CLI does, callable from Python.

>>> from d3k2db import K2Database
>>> db = K2Database("sqlite:///k2.sqlite")      # created, migrated and seeded on first use
>>> [f.name for f in db.search("natto")]
>>> db.meal(["2 eggs, 1 tbsp butter"]).k2
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import selectinload

from .database import describe_db_failure, open_engine, session_factory
from .errors import DatabaseError
from .figures import DEFAULT_RATIO_UG_PER_10000_IU
from .models import Food, Measurement, Source
from .results import FoodProfile, FoodSummary, MealResult, PairResult
from .search import resolve_food, search_foods, top_foods


class K2Database:
    """A d3k2db database at ``url`` (``None``: ``D3K2DB_URL`` or the default SQLite file)."""

    def __init__(self, url: str | None = None, *, prepare: bool = True) -> None:
        self.engine: Engine = open_engine(url, prepare=prepare)
        self._sessions = session_factory(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> K2Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def _run(self, work):  # type: ignore[no-untyped-def]
        try:
            with self._sessions() as session:
                return work(session)
        except DBAPIError as exc:
            raise DatabaseError(describe_db_failure(self.engine, exc)) from None

    def search(
        self,
        term: str | None = None,
        *,
        form: str | None = None,
        category: str | None = None,
        limit: int | None = None,
    ) -> list[FoodSummary]:
        """Foods matching ``term`` (best first), or all foods richest in K2 first."""
        return self._run(
            lambda s: [
                FoodSummary.of(food)
                for food in search_foods(s, term, form=form, category=category, limit=limit)
            ]
        )

    def top(
        self,
        *,
        by: str = "100g",
        form: str | None = None,
        category: str | None = None,
        limit: int | None = 20,
    ) -> list[FoodSummary]:
        """Foods ranked by K2 per 100 g (``by="100g"``) or per default serving (``by="serving"``)."""
        return self._run(
            lambda s: [
                FoodSummary.of(f) for f in top_foods(s, by=by, form=form, category=category, limit=limit)
            ]
        )

    def show(self, name: str) -> FoodProfile:
        """The full profile of the food ``name`` names (typos tolerated when unambiguous)."""

        def work(session):  # type: ignore[no-untyped-def]
            food = resolve_food(session, name)
            food = session.execute(
                select(Food)
                .where(Food.id == food.id)
                .options(
                    selectinload(Food.aliases),
                    selectinload(Food.portions),
                    selectinload(Food.measurements).joinedload(Measurement.source),
                )
            ).scalar_one()
            return FoodProfile.of(food)

        return self._run(work)

    def meal(
        self,
        words: Sequence[str],
        *,
        ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
        d3_iu: float | None = None,
        target_ug: float | None = None,
    ) -> MealResult:
        """The K2 in a meal given as shell words or one phrase: '2 eggs, 1 tbsp butter'.

        ``d3_iu`` checks the meal against a vitamin D3 dose; ``target_ug`` against a daily K2 target.
        """
        from .meal import compute_meal  # the meal language is not needed by search or show

        return self._run(
            lambda s: compute_meal(s, words, ratio_ug_per_10000_iu, d3_iu=d3_iu, target_ug=target_ug)
        )

    def pair(
        self,
        d3_iu: float,
        *,
        ratio_ug_per_10000_iu: float = DEFAULT_RATIO_UG_PER_10000_IU,
        form: str | None = None,
        category: str | None = None,
        limit: int = 10,
    ) -> PairResult:
        """The K2 a vitamin D3 dose calls for, and how much of each of the richest foods gives it."""
        from .pairing import pair_d3

        return self._run(
            lambda s: pair_d3(s, d3_iu, ratio_ug_per_10000_iu, form=form, category=category, limit=limit)
        )

    def sources(self) -> list[tuple[str, str | None, int]]:
        """Every reference with the number of measurements it supplied."""

        def work(session):  # type: ignore[no-untyped-def]
            rows = session.execute(
                select(Source.citation, Source.url, func.count(Measurement.id))
                .outerjoin(Measurement, Measurement.source_id == Source.id)
                .group_by(Source.id)
                .order_by(func.count(Measurement.id).desc(), Source.citation)
            )
            return [tuple(row) for row in rows]

        return self._run(work)

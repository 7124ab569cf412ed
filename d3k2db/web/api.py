"""The JSON API under /api/: one library call per route, answered with the JSON of `--format json`.

Errors are ``{"error": "<the CLI's one-line message>", "code": "<short code>"}`` with an HTTP
status (404 unknown food, 400/422 bad input, 403 edits not allowed, 409 name taken, 413 too large).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any, cast

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import Response
from pydantic import BaseModel, ConfigDict, Field, create_model
from sqlalchemy import String
from starlette.concurrency import run_in_threadpool

from ..domain.figures import DEFAULT_RATIO_UG_PER_10000_IU
from ..domain.food_fields import FIELDS
from ..domain.food_fields import Field as FoodField
from ..domain.records import FoodSpec, Invalid, text_limit
from ..errors import MealError, MealParseError, UnknownUnit, UsageError
from ..i18n import _
from ..library import K2Database
from ..storage.tables import foods
from .answers import AnswerCache
from .pages import counted_meal, every_problem, split_problem
from .view import error_json, error_status, json_response, request_language

MAX_Q = 500  # characters of a search term or a meal
NAME_LENGTH = cast(String, foods.c.name.type).length  # a name or alias in a path: the schema's limit


class ErrorBody(BaseModel):
    error: str = Field(description="The one-line message the CLI prints after 'error: '.")
    code: str = Field(description="A short machine-readable code, e.g. food_not_found, edits_not_allowed.")


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in (
        (400, "bad input (an unknown form or category, a value out of bounds)"),
        (404, "unknown food"),
        (413, "request body too large"),
        (414, "address too long"),
        (422, "input not understood"),
    )
}
JSON_OK: dict[int | str, dict[str, Any]] = {
    200: {"description": "the JSON of the same CLI command with --format json (README, JSON)"}
}

router = APIRouter(prefix="/api", tags=["api"], responses={**JSON_OK, **ERRORS})

Term = Annotated[str | None, Query(max_length=MAX_Q, description="food name, alias or part of one")]
Form = Annotated[str | None, Query(max_length=20, description="mk4 or mk7 (MK-4, MK-7)")]
Category = Annotated[str | None, Query(max_length=100, description="a category, e.g. cheese")]
Limit = Annotated[int | None, Query(ge=1, le=1000)]
Ratio = Annotated[float, Query(description="µg K2 per 10,000 IU vitamin D3 (rule of thumb: 100)")]
Flagged = Annotated[bool, Query(description="also rank foods whose figures are flagged as doubtful")]


def db(request: Request) -> K2Database:
    database: K2Database = request.app.state.db
    return database


@router.get(
    "/search",
    summary="d3k2db search: foods by name, alias or typo, best first",
    description="Nothing found is not an error: count 0, and 'message' says why (the CLI's line).",
)
async def search(
    request: Request, q: Term = None, form: Form = None, category: Category = None, limit: Limit = None
) -> Response:
    term = q.strip() if q and q.strip() else None

    def compute() -> Response:
        foods = db(request).search(term, form=form or None, category=category or None, limit=limit)
        data: dict[str, Any] = {"query": term, "count": len(foods), "foods": [f.to_dict() for f in foods]}
        if term and not foods:  # not an error in the library, and a normal moment while typing
            data["message"] = db(request).explain_no_match(term)  # the line the CLI prints (and exits 1)
        return json_response(data)

    return await cached(request, ("json", term, form or None, category or None, limit), compute)


COMPUTING = 1  # searches computed at once: with 2 or 4, threads fight over the GIL (docs/performance.md)


def computing(request: Request) -> asyncio.Semaphore:
    """The app's limit on searches computed at once, made in the running event loop."""
    state = request.app.state
    if getattr(state, "computing", None) is None:
        state.computing = asyncio.Semaphore(COMPUTING)
    semaphore: asyncio.Semaphore = state.computing
    return semaphore


async def cached(request: Request, key: tuple[Any, ...], compute: Callable[[], Response]) -> Response:
    """The whole answer to a question asked while typing (the JSON of a search, or its HTML part):
    from the cache when the same question (``key`` and the request's language) was answered since
    the database last changed; else computed in the thread pool, one at a time, and stored when it
    is a 200. A cached answer is sent from the event loop (the version check is a few µs)."""
    answers: AnswerCache = request.app.state.answers
    generation = answers.check()  # empties the cache if anything was committed since (answers.py)
    key = (*key, request_language(request)[0])
    found = answers.get(key)
    if found is None:
        async with computing(request):
            # while this waited, the same question may have been answered, or the page given up on it
            found = answers.get(key)
            if found is None:
                if await request.is_disconnected():  # aborted by a newer keystroke: nobody will read it
                    return Response(status_code=204)
                response = await run_in_threadpool(compute)
                if response.status_code != 200 or response.media_type is None:
                    return response
                found = (response.media_type, bytes(response.body))
                answers.put(key, found, generation)
    return Response(found[1], media_type=found[0])


@router.get("/foods/{name:path}", summary="d3k2db show: a food's full profile")
def show(request: Request, name: Annotated[str, PathParam(max_length=NAME_LENGTH)]) -> Response:
    return json_response(db(request).show(name).to_dict())


@router.get("/meal", summary="d3k2db meal: the K2 of a meal in words, and the D3 it pairs with")
def meal(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=MAX_Q, description="the meal: 2 eggs, 1 tbsp butter")],
    d3: Annotated[float | None, Query(description="your vitamin D3 dose, IU")] = None,
    target: Annotated[float | None, Query(description="a daily K2 target, µg")] = None,
    ratio: Ratio = DEFAULT_RATIO_UG_PER_10000_IU,
    skip_unknown: Annotated[bool, Query(description="count the known items, list the others")] = False,
    list_refused: Annotated[
        bool,
        Query(
            description="for a page that asks as you type: a meal refused as a whole (a unit a food "
            "has no weight for, a phrase not understood) answers 200 with {refused: true, message, "
            "code, problems: [{typed, reason}]} instead of 422; implies skip_unknown"
        ),
    ] = False,
) -> Response:
    options: dict[str, Any] = {"ratio_ug_per_10000_iu": ratio, "d3_iu": d3, "target_ug": target}
    try:
        if list_refused:  # the page: every item counted that can be, as `meal` does
            result = counted_meal(db(request), q, **options)
        else:
            result = db(request).meal([q], skip_unknown=skip_unknown, **options)
    except (MealError, MealParseError, UnknownUnit) as exc:
        if not list_refused:
            raise  # 422, as documented for API clients
        problems = every_problem(db(request), q, **options) if isinstance(exc, MealError) else []
        problems = problems or getattr(exc, "problems", None) or [str(exc)]
        refused = [{"typed": typed, "reason": reason} for typed, reason in map(split_problem, problems)]
        message = _("; ").join(problems)
        return json_response(
            {"refused": True, "message": message, "code": error_status(exc)[1], "problems": refused}
        )
    return json_response(result.to_dict())


@router.get("/pair", summary="d3k2db pair: the K2 a D3 dose calls for, and the foods that give it")
def pair(
    request: Request,
    d3: Annotated[float, Query(description="your vitamin D3 dose, IU")],
    ratio: Ratio = DEFAULT_RATIO_UG_PER_10000_IU,
    form: Form = None,
    category: Category = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
    include_flagged: Flagged = False,
) -> Response:
    result = db(request).pair(
        d3,
        ratio_ug_per_10000_iu=ratio,
        form=form or None,
        category=category or None,
        limit=limit,
        include_flagged=include_flagged,
    )
    return json_response(result.to_dict())


@router.get("/top", summary="d3k2db top: the foods richest in K2")
def top(
    request: Request,
    per: Annotated[str, Query(pattern="^(100g|serving)$")] = "100g",
    form: Form = None,
    category: Category = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 20,
    include_flagged: Flagged = False,
) -> Response:
    foods = db(request).top(
        by=per, form=form or None, category=category or None, limit=limit, include_flagged=include_flagged
    )
    if not foods:
        return error_json(404, _("no food has a K2 figure with these filters"), "no_food")
    return json_response({"per": per, "count": len(foods), "foods": [f.to_dict() for f in foods]})


@router.get("/sources", summary="d3k2db sources: every reference and how many figures it supplied")
def sources(request: Request) -> Response:
    return json_response([row.to_dict() for row in db(request).sources()])


def _new_food_model() -> type[BaseModel]:
    """The body of POST /api/foods, made from food_fields.FIELDS (the options of `d3k2db add` are
    made from the same list): names, types, help, defaults and the most characters of a text. A
    figure's bound is documented here and checked by FoodSpec.of, so the API and the CLI give one
    message for it."""
    fields: dict[str, Any] = {}
    for field in FIELDS:
        if field.offered:
            fields[field.name] = _model_field(field)
    model: type[BaseModel] = create_model(
        "NewFood",
        __config__=ConfigDict(extra="forbid"),
        __doc__="One of your own foods: figures in µg per 100 g, at least one form or a total "
        "(as `d3k2db add`).",
        **fields,
    )
    return model


def _model_field(field: FoodField) -> tuple[Any, Any]:
    """(type, pydantic Field) of one food field."""
    about = field.help
    if field.kind is list:
        text: Any = Annotated[str, Field(max_length=text_limit(field))]
        return list[text], Field(default_factory=list, max_length=50, description=about)
    if field.kind is str and field.name == "name":
        return str, Field(min_length=1, max_length=text_limit(field), description=about)
    if field.kind is str:
        return str | None, Field(default=field.default, max_length=text_limit(field), description=about)
    bounds: dict[str, Any] = {"minimum": 0, "maximum": field.limit}
    return float | None, Field(default=field.default, json_schema_extra=bounds, description=about)


if TYPE_CHECKING:
    NewFood = BaseModel
else:
    NewFood = _new_food_model()


@router.post(
    "/foods",
    status_code=201,
    summary="d3k2db add: one of your own foods (only with `serve --allow-edits`)",
    responses={403: {"model": ErrorBody, "description": "edits are not allowed"}, 409: {"model": ErrorBody}},
)
def add_food(request: Request, food: NewFood) -> Response:
    values = food.model_dump()
    try:
        spec = FoodSpec.of(values.pop("name"), **values)
    except Invalid as exc:
        raise UsageError(f"{exc.column}: {exc.problem}") from None
    db(request).add_food(spec)
    request.app.state.answers.clear()
    return json_response(db(request).show(spec.name).to_dict(), status=201)


@router.delete(
    "/foods/{name:path}",
    summary="d3k2db remove: one of your own foods (only with `serve --allow-edits`)",
    responses={403: {"model": ErrorBody, "description": "edits are not allowed, or a seed food"}},
)
def remove_food(request: Request, name: Annotated[str, PathParam(max_length=NAME_LENGTH)]) -> Response:
    removed = db(request).remove_food(name)
    request.app.state.answers.clear()
    return json_response({"removed": removed})

"""The plan on the web: the /plan page (a form whose address can be shared) and /api/plan, the JSON
of `d3k2db plan --format json`. Both read the meal already eaten as the meal page does: every item
counted that can be, the others listed refused."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from ..domain.figures import DEFAULT_RATIO_UG_PER_10000_IU
from ..errors import D3k2dbError
from ..i18n import _
from ..library import K2Database
from ..plan.results import PlanResult
from .api import ERRORS, JSON_OK
from .pages import _dose, counted_meal
from .view import Pages, json_response, plan_words

MAX_Q = 500
page_router = APIRouter(include_in_schema=False)
api_router = APIRouter(prefix="/api", tags=["api"], responses={**JSON_OK, **ERRORS})

Words = Annotated[str, Query(max_length=MAX_Q)]
Short = Annotated[str, Query(max_length=20)]
Diets = Annotated[list[str], Query(description="vegan, vegetarian, pescatarian, no-dairy, no-soy, …")]


def _db(request: Request) -> K2Database:
    database: K2Database = request.app.state.db
    return database


def target_ug(text: str) -> float | None:
    """A K2 target typed in the form, None when left empty; D3k2dbError (400) when it is no number."""
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise D3k2dbError(_("the K2 target {text!r} is not a number of µg").format(text=text)) from None


def make_plan(
    db: K2Database,
    *,
    d3: float | None,
    target: float | None,
    ratio: float,
    eaten: str,
    diets: list[str],
    like: str,
    avoid: str,
    count: int,
    include_doubtful: bool = False,
    max_items: int = 3,
) -> PlanResult:
    """The plans, the meal already eaten read as the meal page reads it."""
    meal = counted_meal(db, eaten, ratio_ug_per_10000_iu=ratio) if eaten.strip() else None
    return db.plan(
        d3,
        target_ug=target,
        ratio_ug_per_10000_iu=ratio,
        with_meal=meal,
        diets=diets,
        like=[like] if like.strip() else [],
        avoid=[avoid] if avoid.strip() else [],
        max_items=max_items,
        count=count,
        include_doubtful=include_doubtful,
    )


@dataclass
class PlanView:
    """What the /plan page shows: the form as filled in, and the plans or why there are none."""

    d3: str = ""
    target: str = ""
    eaten: str = ""
    diets: list[str] = field(default_factory=list)
    like: str = ""
    avoid: str = ""
    include_doubtful: bool = False
    result: PlanResult | None = None
    error: str | None = None


def _ticked(value: str) -> bool:
    return value.lower() in ("1", "true", "on", "yes")


@page_router.get("/plan", response_class=HTMLResponse)
def plan_page(
    request: Request,
    d3: Short = "",
    target: Short = "",
    eaten: Annotated[str, Query(alias="with", max_length=MAX_Q)] = "",
    diet: Diets = [],  # noqa: B006 - FastAPI reads a repeated query parameter from a list default
    like: Words = "",
    avoid: Words = "",
    include_doubtful: Short = "",
) -> HTMLResponse:
    view = PlanView(d3, target, eaten, [d for c in diet for d in c.split(",") if d], like, avoid)
    view.include_doubtful = _ticked(include_doubtful)
    if d3.strip() or target.strip():
        try:
            view.result = make_plan(
                _db(request),
                d3=_dose(d3),
                target=target_ug(target),
                ratio=DEFAULT_RATIO_UG_PER_10000_IU,
                eaten=eaten,
                diets=view.diets,
                like=like,
                avoid=avoid,
                count=5,
                include_doubtful=view.include_doubtful,
            )
        except D3k2dbError as exc:
            view.error = str(exc)
    pages: Pages = request.app.state.pages
    status = 400 if view.error else 200
    return pages.render(request, "plan.html", status=status, page="plan", view=view, **plan_words())


@api_router.get(
    "/plan",
    summary="d3k2db plan: servings of real foods that give the K2 a D3 dose or a target calls for",
    description="The JSON of `d3k2db plan --format json`. Give d3 or target; `with` is a meal already "
    "eaten (read as the meal page reads it: refused items listed in eaten.skipped).",
)
def plan_api(
    request: Request,
    d3: Annotated[float | None, Query(description="your vitamin D3 dose, IU")] = None,
    target: Annotated[float | None, Query(description="a daily K2 target, µg (instead of d3)")] = None,
    ratio: Annotated[float, Query(description="µg K2 per 10,000 IU D3 (rule of thumb: 100)")] = (
        DEFAULT_RATIO_UG_PER_10000_IU
    ),
    eaten: Annotated[str, Query(alias="with", max_length=MAX_Q, description="a meal already eaten")] = "",
    diet: Diets = [],  # noqa: B006 - FastAPI reads a repeated query parameter from a list default
    like: Annotated[str, Query(max_length=MAX_Q, description="foods or categories to prefer")] = "",
    avoid: Annotated[str, Query(max_length=MAX_Q, description="foods or categories to leave out")] = "",
    max_items: Annotated[int, Query(ge=1, le=10)] = 3,
    count: Annotated[int, Query(ge=1, le=20)] = 5,
    include_doubtful: Annotated[bool, Query(description="also doubtful, uncertain, partial figures")] = False,
) -> Response:
    options: dict[str, Any] = {"max_items": max_items, "include_doubtful": include_doubtful}
    result = make_plan(
        _db(request),
        d3=d3,
        target=target,
        ratio=ratio,
        eaten=eaten,
        diets=diet,
        like=like,
        avoid=avoid,
        count=count,
        **options,
    )
    return json_response(result.to_dict())

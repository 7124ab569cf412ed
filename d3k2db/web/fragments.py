"""The parts of the pages the script swaps in (the htmx pattern): /fragments/search and
/fragments/meal render the very templates the pages include (``_search_results.html``,
``_meal_result.html``), so a figure, a unit or a flag is formatted in one place, the server.

The changes the page makes (``--allow-edits``) are here too: JSON in, as the origin rules ask
(origin.py), and HTML out: what was done and where to go next (``_edit_done.html``), or why not
(``_error.html``, by the app's error handlers).
"""

from __future__ import annotations

import json
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi import Path as PathParam
from fastapi.responses import HTMLResponse, Response

from ..i18n import _
from . import api
from .api import NewFood, cached
from .pages import MAX_Q, Short, Text, _db, diet_list, meal_view, search_answer
from .view import Pages, food_url, plan_words

router = APIRouter(prefix="/fragments", include_in_schema=False)


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


@router.get("/search", response_class=HTMLResponse)
async def search(request: Request, q: Text = "", form: Short = "", category: Short = "") -> Response:
    """The search page's answer (status, results, why none), cached whole as /api/search is."""

    def compute() -> Response:
        answer = search_answer(_db(request), q, form, category)
        return _pages(request).render(request, "_search_results.html", **answer)

    return await cached(request, ("html", q.strip() or None, form or None, category or None), compute)


@router.get("/meal", response_class=HTMLResponse)
def meal(
    request: Request,
    q: Text = "",
    d3: Annotated[str, Query(max_length=20)] = "",
    diet: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads a repeated parameter so
    like: Text = "",
    avoid: Text = "",
) -> HTMLResponse:
    """The meal page's answer; a dose that is no number is said in it (200: an answer while typing,
    not a failed request the browser's console would log at each keystroke)."""
    view = meal_view(_db(request), q, d3, diet_list(diet), like, avoid)
    return _pages(request).render(request, "_meal_result.html", view=view, **plan_words())


@router.post("/foods", status_code=201, response_class=HTMLResponse)
def add_food(request: Request, food: NewFood) -> HTMLResponse:
    """POST /api/foods's work (the one place a food from the web is written), then its page."""
    added = json.loads(bytes(api.add_food(request, food).body))
    go = food_url(added["name"])
    return _pages(request).render(request, "_edit_done.html", status=201, message="", go=go)


@router.delete("/foods/{name:path}", response_class=HTMLResponse)
def remove_food(request: Request, name: Annotated[str, PathParam(max_length=MAX_Q)]) -> HTMLResponse:
    """The food named exactly as stored (the button sends its name percent-encoded), then the search."""
    _db(request).remove_food(name)
    request.app.state.answers.clear()
    return _pages(request).render(request, "_edit_done.html", message=_("Removed."), go="/")

"""The HTML pages: server-rendered, so every link works without JavaScript; static/app.js only
swaps in their parts as you type, rendered by the same templates (fragments.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from ..domain.figures import FORM_LABELS, tag_spelling
from ..domain.records import DEFAULT_CATEGORY
from ..domain.results import FoodProfile, FoodSummary, MealResult
from ..errors import D3k2dbError, FoodNotFound, MealError
from ..i18n import _
from ..library import K2Database
from ..output import render
from ..plan.results import PlanResult
from ..storage.forms import TAGS
from ..storage.tables import FORMS
from .charts import Chart, bar_chart
from .guard import EDITS_OFF
from .view import EditsNotAllowed, Pages, plan_words

router = APIRouter(include_in_schema=False)


MAX_Q = 500
BROWSE = 50  # foods listed on the search page before anything is typed (richest first)
CATEGORY_BARS = 12  # foods in the category chart beside the food itself
GAP_PLANS = 3  # plans that would close the gap on the meal page
FORM_CHOICES = TAGS

Text = Annotated[str, Query(max_length=MAX_Q)]
Short = Annotated[str, Query(max_length=100)]


def _db(request: Request) -> K2Database:
    database: K2Database = request.app.state.db
    return database


def _pages(request: Request) -> Pages:
    pages: Pages = request.app.state.pages
    return pages


def _choice(value: str) -> str:
    """'mk7', 'MK-7' → 'MK-7' for the select's current option (the library checks the value)."""
    return tag_spelling(value) or value


def search_answer(db: K2Database, q: str, form: str, category: str) -> dict[str, Any]:
    """What _search_results.html shows: the foods found (the richest when nothing is typed), and
    why there are none."""
    term = q.strip() or None
    foods = db.search(term, form=form or None, category=category or None, limit=None if term else BROWSE)
    return {
        "foods": foods,
        "message": db.explain_no_match(term) if term and not foods else None,
        "browsing": term is None,
    }


@router.get("/", response_class=HTMLResponse)
def search_page(request: Request, q: Text = "", form: Short = "", category: Short = "") -> HTMLResponse:
    db = _db(request)
    return _pages(request).render(
        request,
        "search.html",
        page="search",
        q=q,
        form=_choice(form),
        category=category,
        forms=FORM_CHOICES,
        categories=db.categories(),
        **search_answer(db, q, form, category),
    )


def _category_chart(db: K2Database, food: FoodProfile) -> Chart:
    """The food beside the richest of its category, each by its name in the page's language."""
    name = food.name
    peers = [f for f in db.search(None, category=food.category) if f.k2_total is not None]
    shown = peers[:CATEGORY_BARS]
    if all(f.name != name for f in shown):
        shown = [*shown[: CATEGORY_BARS - 1], *(f for f in peers if f.name == name)]
    rows: list[tuple[str, float | None]] = [(f.shown, f.k2_total) for f in shown]
    if not rows:
        rows = [(food.shown, food.k2_total)]
    marks = {f.shown: _marks(f.flags, f.coverage_note) for f in shown}
    return bar_chart(rows, current=food.shown, marks=marks)


def _marks(flags: list[str], coverage_note: str | None) -> str:
    return (render.MARK_FLAG if flags else "") + (render.MARK_PARTIAL if coverage_note else "")


@router.get("/food/{name:path}", response_class=HTMLResponse)
def food_page(request: Request, name: str) -> HTMLResponse:
    db = _db(request)
    if len(name) > MAX_Q:
        raise D3k2dbError(_("a food name has at most {count} characters").format(count=MAX_Q))
    try:
        profile = db.show(name)
    except FoodNotFound as exc:
        return _pages(request).render(
            request,
            "not_found.html",
            status=404,
            page="food",
            typed=name,
            message=str(exc),
            suggestions=exc.suggestions,
        )
    forms_chart = bar_chart([(FORM_LABELS[f], profile.forms[f]) for f in FORMS])
    return _pages(request).render(
        request,
        "food.html",
        page="food",
        food=profile,
        forms_chart=forms_chart,
        category_chart=_category_chart(db, profile),
        chinese={lang: names for lang, names in profile.aliases_by_lang.items() if lang.startswith("zh")},
    )


@dataclass
class MealView:
    """What the meal page shows: the result, or why there is none."""

    q: str = ""
    d3: str = ""
    result: MealResult | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (typed, why), as `meal` says
    error: str | None = None  # a bad D3 dose and the like
    gap: PlanResult | None = None  # the plans that would close the gap (d3k2db plan)
    gap_error: str | None = None  # why there are none: a word to avoid that names nothing …
    chart: Chart | None = None
    dropped: str = ""  # the words left out; the notes are in _meal_result.html
    diets: list[str] = field(default_factory=list)  # the plans' choices, as the form sends them
    like: str = ""
    avoid: str = ""


def _dose(text: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError:
        raise D3k2dbError(_("the D3 dose {text!r} is not a number of IU").format(text=text)) from None


def every_problem(db: K2Database, q: str, **options: Any) -> list[str]:
    """A meal refused even with unknown items skipped (a unit a food has no weight for): ask
    again without skipping, so every problem is listed at once, as `meal` does."""
    try:
        db.meal([q], **options)
    except MealError as exc:
        return exc.problems
    return []


split_problem = render.split_problem  # what was typed, and why it was refused


def counted_meal(db: K2Database, q: str, **options: Any) -> MealResult:
    """The meal as `meal` reads it too: every item counted that can be, the others refused."""
    return render.meal_counting_what_it_can(
        lambda words, skip: db.meal(words, skip_unknown=skip, **options), [q]
    )


def dropped_words(result: MealResult) -> str:
    """The words the meal left out, once each and quoted ('of', 'a'.)."""
    dropped = [word for item in result.items for word in item.dropped]
    dropped += [word for item in result.skipped for word in item.dropped]
    return _(", ").join(f"'{word}'" for word in dict.fromkeys(dropped)) + "." if dropped else ""


def meal_view(
    db: K2Database, q: str, d3: str, diets: list[str] | None = None, like: str = "", avoid: str = ""
) -> MealView:
    view = MealView(q=q, d3=d3, diets=diets or [], like=like, avoid=avoid)
    if not q.strip():
        return view
    try:
        dose = _dose(d3)
        result = counted_meal(db, q, d3_iu=dose)
    except MealError:
        view.problems = [split_problem(p) for p in every_problem(db, q, d3_iu=dose)]
        return view
    except D3k2dbError as exc:
        view.error = str(exc)
        return view
    view.result = result
    view.dropped = dropped_words(result)
    view.chart = bar_chart(
        [(item.shown, item.k2) for item in result.items],
        suffix=" " + _("µg"),
        marks={item.shown: _marks(item.flags, item.coverage_note) for item in result.items},
        share_of=result.k2,
    )
    check = result.d3_check
    if check is not None and not check.covered:
        try:
            view.gap = db.plan(
                check.dose_iu,
                ratio_ug_per_10000_iu=result.ratio_ug_per_10000_iu,
                with_meal=result,
                diets=view.diets,
                like=[like] if like.strip() else [],
                avoid=[avoid] if avoid.strip() else [],
                count=GAP_PLANS,
            )
        except D3k2dbError as exc:  # a word to avoid that names nothing: said where the plans go
            view.gap_error = str(exc)
    return view


@router.get("/meal", response_class=HTMLResponse)
def meal_page(
    request: Request,
    q: Text = "",
    d3: Annotated[str, Query(max_length=20)] = "",
    diet: Annotated[list[str], Query()] = [],  # noqa: B006 - FastAPI reads a repeated parameter so
    like: Text = "",
    avoid: Text = "",
) -> HTMLResponse:
    view = meal_view(_db(request), q, d3, diet_list(diet), like, avoid)
    status = 400 if view.error else 200  # a bad dose; a refused item is an answer, shown in the table
    return _pages(request).render(request, "meal.html", status=status, page="meal", view=view, **plan_words())


def diet_list(diet: list[str]) -> list[str]:
    """?diet=vegan&diet=no-soy or ?diet=vegan,no-soy (the address the script writes) as one list."""
    return [d for chosen in diet for d in chosen.split(",") if d]


def _int(text: str, default: int) -> int:
    try:
        return max(1, min(1000, int(text)))
    except ValueError:
        return default


@router.get("/top", response_class=HTMLResponse)
def top_page(
    request: Request,
    per: Annotated[str, Query(pattern="^(100g|serving)?$")] = "100g",
    form: Short = "",
    category: Short = "",
    limit: Annotated[str, Query(max_length=10)] = "20",
    include_flagged: Annotated[str, Query(max_length=10)] = "",
) -> HTMLResponse:
    db = _db(request)
    flagged = include_flagged.lower() in ("1", "true", "on", "yes")
    foods: list[FoodSummary] = db.top(
        by=per or "100g",
        form=form or None,
        category=category or None,
        limit=_int(limit, 20),
        include_flagged=flagged,
    )
    context: dict[str, Any] = {
        "per": per or "100g",
        "form": _choice(form),
        "category": category,
        "limit": _int(limit, 20),
        "include_flagged": flagged,
        "forms": FORM_CHOICES,
        "categories": db.categories(),
        "foods": foods,
    }
    return _pages(request).render(request, "top.html", page="top", **context)


@router.get("/foods/new", response_class=HTMLResponse)
def add_food_page(request: Request) -> HTMLResponse:
    """The form for one of your own foods; app.js sends it to POST /fragments/foods (--allow-edits only)."""
    if not request.app.state.allow_edits:
        raise EditsNotAllowed(_(EDITS_OFF))
    return _pages(request).render(
        request,
        "add.html",
        page="add",
        categories=_db(request).categories(),
        default_category=DEFAULT_CATEGORY,
    )


@router.get("/sources", response_class=HTMLResponse)
def sources_page(request: Request) -> HTMLResponse:
    return _pages(request).render(request, "sources.html", page="sources", sources=_db(request).sources())

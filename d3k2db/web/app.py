"""The ASGI app: FastAPI for the JSON API (OpenAPI for free), Jinja2 for the pages.

Every route calls one K2Database method, as the CLI does; the API answers with the very JSON
``--format json`` prints. Build it with :func:`create_app`; ``d3k2db serve`` runs it under Uvicorn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.staticfiles import StaticFiles

from .. import __version__
from ..domain.figures import too_large_message
from ..errors import (
    D3k2dbError,
    FoodNotFound,
    MealError,
    MealParseError,
)
from ..i18n import N_, _
from ..library import K2Database
from . import lang as languages
from .answers import for_database
from .guard import Guard
from .origin import LOOPBACK_HOSTS
from .view import STATIC, Pages, error_json, error_status, is_fragment


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


# Pydantic's error types the routes can meet, said in the request's language; any other keeps
# Pydantic's own English words.
VALIDATION_MESSAGES = {
    "string_too_long": N_("at most {max_length} characters"),
    "string_too_short": N_("at least {min_length} characters"),
    "missing": N_("required"),
    "greater_than_equal": N_("at least {ge}"),
    "less_than_equal": N_("at most {le}"),
    "int_parsing": N_("not a whole number"),
    "float_parsing": N_("not a number"),
    "string_pattern_mismatch": N_("not one of the values allowed"),
}


def _one_line(exc: RequestValidationError) -> str:
    """FastAPI's list of validation errors as one line: 'q: at most 500 characters'."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path"))
        known = VALIDATION_MESSAGES.get(str(error.get("type")))
        what = _(known).format(**error.get("ctx", {})) if known else str(error.get("msg", "invalid"))
        parts.append(_("{kind}: {reason}").format(kind=where, reason=what) if where else what)
    return _("; ").join(parts) or _("invalid request")


def _install_error_handlers(app: FastAPI, pages: Pages) -> None:
    def answer(request: Request, status: int, message: str, code: str, **extra: Any) -> Response:
        if _is_api(request):
            return error_json(status, message, code, **extra)
        return pages.render(
            request,
            "_error.html" if is_fragment(request) else "error.html",
            status=status,
            page="",
            message=message,
            suggestions=extra.get("suggestions", []),
            problems=extra.get("problems", []),
        )

    @app.exception_handler(D3k2dbError)
    async def library_error(request: Request, exc: D3k2dbError) -> Response:
        status, code = error_status(exc)
        extra: dict[str, Any] = {}
        if isinstance(exc, FoodNotFound):
            extra["suggestions"] = exc.suggestions
        if isinstance(exc, MealError | MealParseError):
            extra["problems"] = exc.problems
        return answer(request, status, str(exc), code, **extra)

    @app.exception_handler(OverflowError)
    async def too_large(request: Request, exc: OverflowError) -> Response:
        return answer(request, 422, too_large_message(), "number_too_large")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        return answer(request, 422, _one_line(exc), "invalid")

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        message = {404: _("no such page"), 405: _("method not allowed")}.get(exc.status_code, str(exc.detail))
        return answer(request, exc.status_code, message, "not_found" if exc.status_code == 404 else "http")


def create_app(
    url: str | None = None,
    *,
    allow_edits: bool = False,
    translator: languages.Translator = languages.catalog_translator,
    database: K2Database | None = None,
    allowed_hosts: Iterable[str] = LOOPBACK_HOSTS,
) -> FastAPI:
    """The web app over the database at ``url`` (or an open ``database``), its every request guarded.

    Only requests whose ``Host`` is one of ``allowed_hosts`` (or a loopback address) are answered;
    ``serve`` passes ``origin.served_hosts(--host)``.

    ``translator(lang)`` returns the gettext translations of a language code (en, zh-Hant,
    zh-Hans) for the templates; every request runs in its language (``lang.Speaking``).
    """
    db = database if database is not None else K2Database(url)
    answers = for_database(db.engine.url.get_backend_name(), db.engine.url.database)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        answers.close()
        if database is None:
            db.close()

    app = FastAPI(
        title="d3k2db",
        version=__version__,
        description="Vitamin K2 (MK-4 … MK-10) in foods, offline and cited: the JSON the CLI prints "
        "with --format json. Not medical advice.",
        openapi_url="/api/openapi.json",
        docs_url=None,  # the default docs pages load their scripts from a CDN: none here
        redoc_url=None,
        lifespan=lifespan,
    )
    pages = Pages(translator)
    app.state.db = db
    app.state.answers = answers
    app.state.pages = pages
    app.state.allow_edits = allow_edits
    _install_error_handlers(app, pages)

    from . import fragments, plans
    from .api import router as api_router
    from .pages import router as page_router

    app.include_router(api_router)
    app.include_router(page_router)
    app.include_router(plans.api_router)
    app.include_router(plans.page_router)
    app.include_router(fragments.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    # outermost of the app's own layers: it sees every response and every escaped exception
    app.add_middleware(Guard, allow_edits=allow_edits, allowed_hosts=tuple(allowed_hosts))
    # outside the guard, so its refusals are in the request's language too
    app.add_middleware(languages.Speaking)
    return app

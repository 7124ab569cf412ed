"""What every route of the web app shares: the page renderer (Pages), the JSON answers and the
library error → HTTP status table, the template helpers, plan_words. The routers (api, pages,
plans, fragments) import it; the app (app.py) puts them together, so no router imports the app.

Formerly the head of app.py: the ASGI app: FastAPI for the JSON API (OpenAPI for free), Jinja2 for the pages.

Every route calls one K2Database method, as the CLI does; the API answers with the very JSON
``--format json`` prints. Build it with :func:`create_app`; ``d3k2db serve`` runs it under Uvicorn.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from ..domain import vocabulary
from ..domain.figures import FORM_LABELS, WARFARIN_NOTE, fmt_number
from ..domain.text import json_safe, printable
from ..errors import (
    D3k2dbError,
    DatabaseError,
    FoodNotFound,
    MealError,
    MealParseError,
    NameTaken,
    SeedError,
    SeedProtected,
    UnknownUnit,
)
from ..i18n import _
from ..output import render
from ..storage.forms import MAX_NAME
from ..version import __version__
from . import lang as languages
from .charts import Chart

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"


class EditsNotAllowed(D3k2dbError):
    """A page for editing was asked for, but the server runs read-only."""


# A library error → (HTTP status, a short code a script can test); the message is the CLI's line.
ERROR_STATUS: list[tuple[type[D3k2dbError], int, str]] = [
    (FoodNotFound, 404, "food_not_found"),
    (EditsNotAllowed, 403, "edits_not_allowed"),
    (MealError, 422, "meal_refused"),
    (MealParseError, 422, "meal_not_understood"),
    (UnknownUnit, 422, "unknown_unit"),
    (NameTaken, 409, "name_taken"),
    (SeedProtected, 403, "seed_protected"),
    (SeedError, 422, "invalid"),
    (DatabaseError, 503, "database"),
]


def error_status(exc: D3k2dbError) -> tuple[int, str]:
    for kind, status, code in ERROR_STATUS:
        if isinstance(exc, kind):
            return status, code
    return 400, "bad_input"  # UsageError and any other mistake in what was asked


def web_url(url: str | None) -> str:
    """``url`` when it is an http(s) address a link may point to, else '' (the page shows such a
    stored address as text, never as a link: 'javascript:…' in an old database runs nothing)."""
    text = (url or "").strip()
    return text if text.lower().startswith(("https://", "http://")) else ""


def food_url(name: str) -> str:
    """/food/<name>, the name percent-encoded (a stored control is then no raw character)."""
    return "/food/" + quote(name, safe="!*'()")


def remove_url(name: str) -> str:
    """/fragments/foods/<name>: where the page's remove button sends its DELETE. The name is the
    stored one, percent-encoded, never the text shown (whose '\\x1b' would name no food)."""
    return "/fragments/foods/" + quote(name, safe="!*'()")


# the longest name a food may have: the schema's, so a name the CLI stored is never cut by a form

FRAGMENTS = "/fragments/"  # the answers the page's script swaps in: HTML parts of the pages


def is_fragment(request: Request) -> bool:
    return request.url.path.startswith(FRAGMENTS)


def forms_text(forms: dict[str, float | None]) -> str:
    """'MK-4 0.5 · MK-7 3.1': the forms a measurement published ('—' when none)."""
    shown = [f"{FORM_LABELS[form]} {render.ug(value)}" for form, value in forms.items() if value is not None]
    return " · ".join(shown) or render.DASH


_ADDRESS = re.compile(r"(https?://\S+)", re.IGNORECASE)


def url_parts(text: str | None) -> list[tuple[str, str]]:
    """The copy a figure was read from as (text, href) links: each http(s) address in the stored
    field ('https://a ; FR names: https://b (cross-checked against …)'), without the words around
    them (a curator's remark); a field with no address is one part of text (href '')."""
    found = [(address, web_url(address)) for address in _ADDRESS.findall(text or "")]
    return found or ([(text, "")] if text else [])


def portion_detail(description: str | None, amount: float, unit: str) -> str:
    """What a portion's published description adds to '1 cup': nothing for 'cup' or '1 cup',
    '1" sq, 1/3" high' for 'pat (1" sq, 1/3" high)'."""
    detail = (description or "").strip()
    for said in (f"{fmt_number(amount)} {unit}", unit):
        if detail.lower() == said.lower():
            return ""
        if detail.lower().startswith(said.lower() + " "):
            detail = detail[len(said) :].strip()
            break
    return detail[1:-1] if detail.startswith("(") and detail.endswith(")") else detail


def lead(label: str) -> str:
    """A label and the space before what it introduces: 'Words left out: ', but '略過的字詞：' (a
    full-width colon carries its own space)."""
    return label if label.endswith("：") else label + " "


class Pages:
    """One Jinja2 environment per language (autoescape on, gettext through jinja2.ext.i18n)."""

    def __init__(self, translator: languages.Translator) -> None:
        self.translator = translator
        self.loader = jinja2.FileSystemLoader(TEMPLATES)
        self.environments: dict[str, jinja2.Environment] = {}

    def environment(self, lang: str) -> jinja2.Environment:
        if lang not in self.environments:
            env = jinja2.Environment(
                loader=self.loader,
                autoescape=True,
                finalize=shown,
                undefined=jinja2.StrictUndefined,
                extensions=["jinja2.ext.i18n"],
            )
            env.install_gettext_translations(  # type: ignore[attr-defined]
                self.translator(lang), newstyle=True
            )
            env.globals.update(
                ug=render.ug,
                serving=render.serving,
                grams=render.grams,
                iu=render.iu,
                fmt_number=fmt_number,
                portion_detail=portion_detail,
                empty_chart=Chart(bars=[], height=0),
                food_url=food_url,
                remove_url=remove_url,
                name_length=MAX_NAME,
                web_url=web_url,
                forms_text=forms_text,
                DASH=render.DASH,
                FLAG=render.MARK_FLAG,
                PARTIAL=render.MARK_PARTIAL,
                FALLBACK=render.MARK_FALLBACK,
                WARFARIN_NOTE=WARFARIN_NOTE,
                version=__version__,
                category_name=vocabulary.category,
                tag_text=vocabulary.tag_text,
                found_alias=render.found_alias,
                url_parts=url_parts,
                flag_text=vocabulary.flag,
                unit_word=vocabulary.word,
                note_text=vocabulary.stored_note,
                lead=lead,
            )
            self.environments[lang] = env
        return self.environments[lang]

    def render(self, request: Request, template: str, *, status: int = 200, **context: Any) -> HTMLResponse:
        """A page, or a part of one (a ``_*.html`` template) for a request of the page's script: the
        same templates, so the script formats nothing. A part sets no language cookie (the script
        asks in the page's own language, whatever the cookie says by now)."""
        lang, chosen = request_language(request)
        switch = {
            code: str(request.url.include_query_params(lang=code).replace(scheme="", netloc="")).lstrip(":/")
            for code in languages.LANGUAGES
        }
        page = (
            self.environment(lang)
            .get_template(template)
            .render(
                lang=lang,
                languages=languages.LANGUAGES,
                switch={code: "/" + target for code, target in switch.items()},
                path=request.url.path,
                allow_edits=bool(getattr(request.app.state, "allow_edits", False)),
                **context,
            )
        )
        response = HTMLResponse(page, status_code=status)
        if chosen and not is_fragment(request):
            response.set_cookie("lang", lang, max_age=365 * 24 * 3600, samesite="strict")
        return response


def request_language(request: Request) -> tuple[str, bool]:
    """The request's language as languages.Speaking chose it (and whether ?lang= named it)."""
    state = request.scope.get("state") or {}
    if "lang" in state:
        return state["lang"], bool(state.get("lang_chosen"))
    return languages.of_scope(request.scope)


def json_response(data: Any, status: int = 200) -> Response:
    """The bytes `--format json` prints (floats rounded the same way)."""
    return Response(render.to_json(data), status_code=status, media_type="application/json")


def error_json(status: int, message: str, code: str, **extra: Any) -> Response:
    """``{"error", "code", …}``; a message quoting a name or a search escapes its controls (json_safe)."""
    body = json.dumps({"error": message, "code": code, **extra}, ensure_ascii=False, separators=(",", ":"))
    return Response(json_safe(body), status_code=status, media_type="application/json")


def shown(value: Any) -> Any:
    """Jinja's ``finalize``: every text a template prints as text.printable shows it, so a name stored
    with U+202E or ESC (an old database's) is shown '\\u202e', never obeyed (autoescape does not
    touch such characters). Markup (a macro's output, or ``_("{x}").format(x=name)``, which escapes
    the name for HTML but keeps U+202E) is shown so line by line: its line breaks are the template's."""
    if isinstance(value, Markup):
        return Markup("\n".join(printable(line) for line in str(value).split("\n")))
    return printable(value) if isinstance(value, str) else value


def plan_words() -> dict[str, Any]:
    """What the plan templates need beside the result: the diets, and the sentences of the CLI."""
    from ..domain.figures import DEFAULT_RATIO_UG_PER_10000_IU, RULE_OF_THUMB_NOTE, WARFARIN_NOTE, fmt_number
    from ..output.plans import choice_lines, diet_word, lower_bound_lines, need_lines, plan_title
    from ..plan.diet import DIETS

    ratio = fmt_number(DEFAULT_RATIO_UG_PER_10000_IU)
    return {
        "safety_lines": [_(WARFARIN_NOTE), _(RULE_OF_THUMB_NOTE).format(ratio=ratio)],  # the meal page's
        "diets": list(DIETS),
        "diet_word": diet_word,
        "plan_title": plan_title,
        "need_lines": need_lines,
        "choice_lines": choice_lines,
        "lower_bound_lines": lower_bound_lines,
    }

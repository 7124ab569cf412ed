"""Which language a request is answered in, and the translator that gives a page its words.

The language comes from ``?lang=``, then the ``lang`` cookie (set by the page's language switch),
then the Accept-Language header (:func:`pick`). :class:`Speaking` runs each request inside
``i18n.speaking(code)``, so everything the library says (meal readings, errors, notes, food names)
is in that language, the same words as the CLI; the templates take theirs from a translator, which
maps a language code to its gettext catalog (:func:`catalog_translator`).
"""

from __future__ import annotations

import gettext
from collections.abc import Callable
from http.cookies import SimpleCookie
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Receive, Scope, Send

from .. import i18n

Translator = Callable[[str], gettext.NullTranslations]

DEFAULT_LANGUAGE = "en"
# code → the language's own name (an endonym is never translated)
LANGUAGES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}
_ENGLISH = gettext.NullTranslations()


def identity_translator(_lang: str) -> gettext.NullTranslations:
    """Every string as written (English), whatever the language: for tests of the hook."""
    return _ENGLISH


def catalog_translator(lang: str) -> gettext.NullTranslations:
    """The gettext catalog of ``lang`` (d3k2db/locale), the one the CLI speaks; English as written."""
    return i18n.translations(lang) or _ENGLISH


def known(code: str | None) -> str | None:
    """'zh-hant', 'zh-TW', 'en-US' → our code; None for a language we do not have. The same rule as
    ``--lang`` and the locale (i18n.normalise), so the page and the CLI read a tag alike."""
    return i18n.normalise(code) if code else None


def from_accept_language(header: str | None) -> str | None:
    """The best language of ours in an Accept-Language header, by its q weights."""
    weighted = []
    for order, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        code = known(tag)
        if code and weight > 0:
            weighted.append((-weight, order, code))
    return min(weighted)[2] if weighted else None


def pick(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page's language: ?lang=, else the cookie, else Accept-Language, else English."""
    return known(query) or known(cookie) or from_accept_language(accept_language) or DEFAULT_LANGUAGE


def of_scope(scope: Scope) -> tuple[str, bool]:
    """(the request's language, whether ?lang= named one of ours) from an ASGI scope."""
    query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1"))).get("lang")
    cookie: str | None = None
    accept: str | None = None
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header names no language
                continue
            if "lang" in jar:
                cookie = jar["lang"].value
        elif name == b"accept-language":
            accept = value.decode("latin-1")
    return pick(query, cookie, accept), known(query) is not None


class Speaking:
    """ASGI middleware: the request is answered inside ``i18n.speaking(its language)``.

    A context variable, so two requests at once (one in zh-Hant, one in English) never see each
    other's language; Starlette copies the context into the thread that runs a sync route. The
    language is also put in ``scope["state"]["lang"]`` for the pages and the answer cache.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        lang, chosen = of_scope(scope)
        scope.setdefault("state", {})
        scope["state"]["lang"] = lang
        scope["state"]["lang_chosen"] = chosen
        with i18n.speaking(lang):
            await self.app(scope, receive, send)

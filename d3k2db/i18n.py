"""Translations: English, Traditional Chinese (zh-Hant) and Simplified Chinese (zh-Hans).

Messages are English in the source, marked ``_("…")`` where they are made (``N_("…")`` for a module
constant, translated where it is used), and looked up in the gettext catalogs of
``d3k2db/locale/{zh_Hant,zh_Hans}/LC_MESSAGES/d3k2db.mo`` (``tools/i18n.py`` extracts, updates and
compiles them). English reads nothing: ``gettext`` and a catalog load only when another language is
chosen, once per process.

The language is chosen by ``resolve_language``: ``--lang``, then ``$D3K2DB_LANG``, then the locale
(``LC_ALL``, ``LC_MESSAGES``, ``LANG`` in POSIX order). The command line sets it for the process
(``set_language``); the web page speaks each request's language with ``speaking(lang)``, a context
variable that shadows the process's language in that request only (threads of the server included,
since Starlette runs a request's work in a copy of its context).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from gettext import GNUTranslations

ENGLISH, TRADITIONAL, SIMPLIFIED = "en", "zh-Hant", "zh-Hans"
LANGUAGES = (ENGLISH, TRADITIONAL, SIMPLIFIED)
DOMAIN = "d3k2db"
LOCALE_DIR = Path(__file__).parent / "locale"
CATALOG_DIRS = {TRADITIONAL: "zh_Hant", SIMPLIFIED: "zh_Hans"}  # d3k2db/locale/<dir>/LC_MESSAGES

_current = ENGLISH
_translation: GNUTranslations | None = None
_loaded: dict[str, GNUTranslations] = {}
# A request's own language (the web page), over the process's: (code, its catalog or None).
_request: ContextVar[tuple[str, GNUTranslations | None] | None] = ContextVar("d3k2db_language", default=None)


class UnknownLanguage(ValueError):
    """A language asked for by name (``--lang``, ``$D3K2DB_LANG``) that the tool does not speak."""


def N_(message: str) -> str:
    """Mark a message for the catalog without translating it now (a module constant)."""
    return message


def _catalog() -> GNUTranslations | None:
    request = _request.get()
    return _translation if request is None else request[1]


def _(message: str) -> str:
    """``message`` in the chosen language (English as written when there is no translation)."""
    catalog = _catalog()
    if catalog is None or not message:
        return message
    return catalog.gettext(message)


def NC_(context: str, message: str) -> str:
    """Mark a message with a context (the same English word with another meaning) for the catalog."""
    return message


def pgettext(context: str, message: str) -> str:
    """``message`` in the chosen language, as meant in ``context`` ('egg' the category, not the unit)."""
    catalog = _catalog()
    if catalog is None or not message:
        return message
    return catalog.pgettext(context, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural form of a message, for ``count``, in the chosen language."""
    catalog = _catalog()
    if catalog is None:
        return singular if count == 1 else plural
    return catalog.ngettext(singular, plural, count)


def language() -> str:
    """The language messages are in now: 'en', 'zh-Hant' or 'zh-Hans'."""
    request = _request.get()
    return _current if request is None else request[0]


def _load(lang: str) -> tuple[str, GNUTranslations | None]:
    """``lang``'s code and catalog (None for English); a catalog is read once per process."""
    code = normalise(lang)
    if code is None:
        raise UnknownLanguage(unknown_language_message(lang))
    if code == ENGLISH:
        return code, None
    if code not in _loaded:
        import gettext

        _loaded[code] = gettext.translation(
            DOMAIN, localedir=LOCALE_DIR, languages=[CATALOG_DIRS[code]], fallback=False
        )
    return code, _loaded[code]


def translations(lang: str) -> GNUTranslations | None:
    """``lang``'s catalog (None for English), read once per process: for a template engine that
    takes gettext functions of its own (the web page's Jinja environment per language)."""
    return _load(lang)[1]


def set_language(lang: str) -> None:
    """Speak ``lang`` (a name ``normalise`` accepts) from now on, in the whole process."""
    global _current, _translation
    _current, _translation = _load(lang)


@contextmanager
def speaking(lang: str) -> Iterator[str]:
    """Speak ``lang`` inside the block only, in this context (one web request); yields its code."""
    token = _request.set(_load(lang))
    try:
        yield language()
    finally:
        _request.reset(token)


def unknown_language_message(value: str) -> str:
    return _("unknown language {value!r}: use en, zh-Hant or zh-Hans").format(value=value)


_HANT_REGIONS = {"tw", "hk", "mo"}
_HANS_REGIONS = {"cn", "sg", "my"}


def normalise(value: str) -> str | None:
    """'zh-TW', 'zh_tw', 'ZH-HANT', 'zh_Hant_TW', 'zh_HK.UTF-8@euro' → 'zh-Hant'; 'en_GB' → 'en';
    None for a language the tool does not speak."""
    parts = [p.lower() for p in value.strip().split(".")[0].split("@")[0].replace("-", "_").split("_") if p]
    if not parts:
        return None
    if parts[0] == "en" or parts[0] in ("c", "posix"):
        return ENGLISH
    if parts[0] != "zh":
        return None
    rest = set(parts[1:])
    if "hant" in rest or rest & _HANT_REGIONS:
        return TRADITIONAL
    if "hans" in rest or rest & _HANS_REGIONS:
        return SIMPLIFIED
    return SIMPLIFIED if not rest else None


def _from_locale(environ: Mapping[str, str]) -> str:
    """The language of the POSIX locale: the first set of LC_ALL, LC_MESSAGES, LANG; English unless
    it is a Chinese locale the tool speaks."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return normalise(value) or ENGLISH
    return ENGLISH


def resolve_language(cli_value: str | None, environ: Mapping[str, str]) -> str:
    """The language to speak: ``--lang``, else ``$D3K2DB_LANG``, else the locale, else English.

    An unknown ``--lang`` or ``$D3K2DB_LANG`` raises UnknownLanguage (a locale never does: a French
    desktop gets English)."""
    for value in (cli_value, environ.get("D3K2DB_LANG")):
        if value:
            code = normalise(value)
            if code is None:
                raise UnknownLanguage(unknown_language_message(value))
            return code
    return _from_locale(environ)

"""Which language a page is shown in, and the translator hook the catalogs will plug into.

The language comes from ``?lang=``, then the ``lang`` cookie, then the Accept-Language header.
A translator maps a language code to its gettext function; until the catalogs ship it is the
identity, so every string in the templates already goes through ``_()``.
"""

from __future__ import annotations

from collections.abc import Callable

Gettext = Callable[[str], str]
Translator = Callable[[str], Gettext]

DEFAULT_LANGUAGE = "en"
# code → the language's own name (an endonym is never translated)
LANGUAGES = {"en": "English", "zh-Hant": "繁體中文", "zh-Hans": "简体中文"}
# Accept-Language tags that mean one of ours (lower case)
_TAGS = {
    "en": "en",
    "zh-hant": "zh-Hant",
    "zh-tw": "zh-Hant",
    "zh-hk": "zh-Hant",
    "zh-mo": "zh-Hant",
    "zh-hans": "zh-Hans",
    "zh-cn": "zh-Hans",
    "zh-sg": "zh-Hans",
    "zh": "zh-Hans",
}


def _identity(text: str) -> str:
    return text


def identity_translator(_lang: str) -> Gettext:
    """The translator until d3k2db's gettext catalogs are in: every string as written."""
    return _identity


def known(code: str | None) -> str | None:
    """'zh-hant', 'zh-TW' → 'zh-Hant'; None for a language we do not have."""
    if not code:
        return None
    key = code.strip().lower().replace("_", "-")
    if key in _TAGS:
        return _TAGS[key]
    if key.startswith("zh-hant") or key.startswith("zh-tw") or key.startswith("zh-hk"):
        return "zh-Hant"
    if key.startswith("zh-hans") or key.startswith("zh-cn"):
        return "zh-Hans"
    head = key.split("-", 1)[0]
    return _TAGS.get(head)


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

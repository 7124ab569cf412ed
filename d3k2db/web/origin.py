"""Who may reach the page: the Host names it answers to, and where a change may come from.

DNS rebinding: a page on evil.example points its name at 127.0.0.1; the browser then treats this
server as evil.example itself (same origin, no CORS preflight) and sends ``Host: evil.example``.
So the server answers only Host names that are its own (loopback, and the address it was started
on), and a write must also come from the server's own page (``Origin``, else ``Sec-Fetch-Site``)
as JSON, a content type no cross-site form can send without a preflight, which is never granted.

A write with neither ``Origin`` nor ``Sec-Fetch-Site`` comes from a program (curl, a script): every
browser sends ``Origin`` on a POST, PUT, PATCH or DELETE, so a web page cannot make one without it.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import Scope

from ..i18n import _

LOOPBACK_HOSTS = ("localhost", "127.0.0.1", "::1")
JSON = "application/json"
BODY_METHODS = ("POST", "PUT", "PATCH")  # a DELETE needs no body, and is never a "simple" request
DEFAULT_PORTS = {"http": 80, "https": 443}
# host[:port]: a name, an IPv4 address or a bracketed IPv6 one; no user, path or spaces
_HOST = re.compile(r"(?:\[(?P<ipv6>[0-9A-Fa-f:.]+)\]|(?P<name>[^\[\]:/@\s]+))(?::(?P<port>[0-9]{1,5}))?")

Refusal = tuple[int, str, str]  # HTTP status, the one-line message, the code a script can test


def normal(host: str) -> str:
    """A host as compared: lower case, no IPv6 brackets, no trailing dot ('LocalHost.' → 'localhost')."""
    return host.strip().lower().removeprefix("[").removesuffix("]").removesuffix(".")


def split_host(value: str) -> tuple[str, int | None] | None:
    """'LocalHost:8000' → ('localhost', 8000), '[::1]' → ('::1', None); None when malformed."""
    match = _HOST.fullmatch(value)
    if match is None or (match["ipv6"] is not None and _address(match["ipv6"]) is None):
        return None
    port = match["port"]
    return normal(match["ipv6"] or match["name"]), int(port) if port else None


def served_hosts(bind: str) -> tuple[str, ...]:
    """The Host names a server listening on ``bind`` answers to: the loopback ones and ``bind``."""
    name = normal(bind)
    return LOOPBACK_HOSTS if name in LOOPBACK_HOSTS else (*LOOPBACK_HOSTS, name)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


class Hosts:
    """The Host names answered: those given, every loopback address, and when one given is a
    wildcard (0.0.0.0, ::) any IP address; an address typed as digits cannot be rebound, a name can."""

    def __init__(self, allowed: Iterable[str]) -> None:
        self.names = tuple(dict.fromkeys(normal(host) for host in allowed))
        self.any_address = any(
            (address := _address(name)) is not None and address.is_unspecified for name in self.names
        )

    def allows(self, host: str) -> bool:
        if host in self.names:
            return True
        address = _address(host)
        return address is not None and (address.is_loopback or self.any_address)

    def shown(self) -> str:
        """'localhost, 127.0.0.1, [::1]': the addresses as one would type them."""
        parts = []
        for name in self.names:
            address = _address(name)
            if address is not None and address.is_unspecified:
                parts.append(_("any IP address"))
            else:
                parts.append(f"[{name}]" if ":" in name else name)
        return ", ".join(dict.fromkeys(parts))

    def refusal(self, scope: Scope) -> Refusal | None:
        """400 unless the request names exactly one Host, and an allowed one."""
        values = Headers(scope=scope).getlist("host")
        parsed = split_host(values[0]) if len(values) == 1 else None
        if parsed is not None and self.allows(parsed[0]):
            return None
        message = _("refused: the Host header {host} is not an address of this server ({hosts})")
        return 400, message.format(host=repr(", ".join(values)), hosts=self.shown()), "bad_host"


def write_refusal(scope: Scope) -> Refusal | None:
    """A write from another site (403) or in a content type a cross-site form can send (415)."""
    headers = Headers(scope=scope)
    origins = headers.getlist("origin")
    own = _site(f"{scope.get('scheme', 'http')}://{headers.get('host', '')}")
    if origins and (len(origins) != 1 or _site(origins[0]) != own or own is None):
        message = _("refused: changes are accepted only from this server's own page, not from {origin}")
        return 403, message.format(origin=repr(", ".join(origins))), "cross_origin"
    site = headers.get("sec-fetch-site")
    if not origins and site is not None and site != "same-origin":
        message = _(
            "refused: changes are accepted only from this server's own page (the browser says: {site})"
        )
        return 403, message.format(site=repr(site)), "cross_origin"
    return _type_refusal(scope["method"], headers.get("content-type"))


def _type_refusal(method: str, content_type: str | None) -> Refusal | None:
    if content_type is None:
        if method not in BODY_METHODS:
            return None
        message = _("changes must be sent as JSON (Content-Type: application/json); this request has none")
        return 415, message, "unsupported_media_type"
    if content_type.split(";", 1)[0].strip().lower() == JSON:
        return None
    message = _("changes must be sent as JSON (Content-Type: application/json), not {type}")
    return 415, message.format(type=repr(content_type)), "unsupported_media_type"


def _site(url: str) -> tuple[str, str, int] | None:
    """'http://LocalHost' → ('http', 'localhost', 80); None unless it is exactly scheme://host[:port]."""
    scheme, separator, rest = url.partition("://")
    scheme = scheme.lower()
    parsed = split_host(rest) if separator and scheme in DEFAULT_PORTS else None
    if parsed is None:
        return None
    host, port = parsed
    return scheme, host, port or DEFAULT_PORTS[scheme]

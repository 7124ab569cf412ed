"""The ASGI layer around the whole app: security headers on every response, the Host and Origin
checks (origin.py), size limits, read-only mode, and the catch-all that keeps a stack trace out of
every response.

Written as plain ASGI (not Starlette's BaseHTTPMiddleware) so it sees every response, static files
and errors included, and can refuse a request before any route reads it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..i18n import N_, _
from . import origin

log = logging.getLogger("d3k2db.web")

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
]
MAX_BODY = 64 * 1024  # bytes of a request body (a food is a few hundred)
MAX_TARGET = 4096  # bytes of path + query string
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
EDITS_OFF = N_(
    "editing is turned off: start the server with `d3k2db serve --allow-edits` to add or remove your foods"
)


class BodyTooLarge(Exception):
    """The body grew past MAX_BODY while it was read (no or a false Content-Length)."""


class Guard:
    def __init__(
        self,
        app: ASGIApp,
        *,
        allow_edits: bool = False,
        max_body: int = MAX_BODY,
        allowed_hosts: Iterable[str] = origin.LOOPBACK_HOSTS,
    ) -> None:
        self.app = app
        self.allow_edits = allow_edits
        self.max_body = max_body
        self.hosts = origin.Hosts(allowed_hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        refusal = self._refusal(scope)
        if refusal is not None:
            await _send_json(send, *refusal)
            return
        exchange = _Exchange(receive, send, self.max_body, head=scope["method"] == "HEAD")
        if exchange.head:  # HEAD is GET without the body: the routes are declared for GET only
            scope = {**scope, "method": "GET"}
        try:
            await self.app(scope, exchange.receive, exchange.send)
        except Exception:  # the one catch-all: log the trace, answer one line
            if not exchange.overflowed:
                log.exception("error while answering %s %s", scope.get("method"), scope.get("path"))
                if not exchange.started:
                    await _send_json(
                        send, 500, _("internal error: the server could not answer this"), "internal"
                    )
        if exchange.overflowed and not exchange.started:
            await _send_json(send, 413, _too_large(self.max_body), "too_large")

    def _refusal(self, scope: Scope) -> origin.Refusal | None:
        refused = self.hosts.refusal(scope)
        if refused is not None:
            return refused
        target = len(scope.get("raw_path") or scope["path"].encode()) + len(scope.get("query_string", b""))
        if target > MAX_TARGET:
            return (
                414,
                _("the address is too long: at most {count} bytes").format(count=MAX_TARGET),
                "uri_too_long",
            )
        if scope["method"] not in SAFE_METHODS:
            if not self.allow_edits:
                return 403, _(EDITS_OFF), "edits_not_allowed"
            refused = origin.write_refusal(scope)
            if refused is not None:
                return refused
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    length = int(value)
                except ValueError:
                    return 400, _("the Content-Length header is not a number"), "bad_request"
                if length > self.max_body:
                    return 413, _too_large(self.max_body), "too_large"
        return None


class _Exchange:
    """One request's receive and send: counts the body as it is read, and adds the headers."""

    def __init__(self, receive: Receive, send: Send, max_body: int, *, head: bool = False) -> None:
        self.head = head  # answer the headers of a GET (Content-Length included) and no body
        self._receive = receive
        self._send = send
        self.max_body = max_body
        self.seen = 0
        self.started = False
        self.overflowed = False  # the body grew past the limit (a false or no Content-Length)

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.max_body:
                self.overflowed = True
                raise BodyTooLarge
        return message

    async def send(self, message: Message) -> None:
        if self.overflowed:
            return  # the app's answer to a body cut short (FastAPI says 400); the guard answers 413
        if message["type"] == "http.response.start":
            self.started = True
            names = {name.lower() for name, _value in message.get("headers", [])}
            extra = [(k, v) for k, v in SECURITY_HEADERS if k not in names]
            message["headers"] = [*message.get("headers", []), *extra]
        elif message["type"] == "http.response.body" and self.head:
            message = {**message, "body": b""}
        await self._send(message)


def _too_large(limit: int) -> str:
    return _("the request body is too large: at most {count} KiB").format(count=limit // 1024)


async def _send_json(send: Send, status: int, message: str, code: str) -> None:
    body = json.dumps({"error": message, "code": code}, ensure_ascii=False, allow_nan=False).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        *SECURITY_HEADERS,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})

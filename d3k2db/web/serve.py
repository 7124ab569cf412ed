"""`d3k2db serve`: the web app under Uvicorn on one socket we bind ourselves.

Binding first turns a busy port into one line (not a Uvicorn traceback) and leaves no window in
which another program could take the port between the check and the start.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import socket
import sys
import threading
import webbrowser
from typing import TYPE_CHECKING, Any

from ..errors import D3k2dbError
from ..i18n import _, ngettext

if TYPE_CHECKING:
    from ..library import K2Database

WEB_STACK = ("fastapi", "uvicorn", "jinja2")
INSTALL_HINT = "pip install fastapi uvicorn jinja2 (d3k2db installs them; something removed them)"


class WebStackMissing(D3k2dbError):
    """FastAPI, Uvicorn or Jinja2 is not installed."""


def require_web_stack() -> None:
    import importlib.util

    missing = []
    for name in WEB_STACK:
        try:
            found = importlib.util.find_spec(name) is not None
        except (ImportError, ValueError):  # a module set to None in sys.modules, or a broken install
            found = False
        if not found:
            missing.append(name)
    if missing:
        message = ngettext(
            "the web page needs {names}, which is not installed: {hint}",
            "the web page needs {names}, which are not installed: {hint}",
            len(missing),
        )
        raise WebStackMissing(message.format(names=", ".join(missing), hint=INSTALL_HINT))


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def bind(host: str, port: int) -> socket.socket:
    """A listening socket on host:port, or one line saying why not."""
    try:
        family, kind, proto, _name, address = socket.getaddrinfo(
            host.strip("[]"), port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
    except socket.gaierror as exc:
        raise D3k2dbError(
            _("cannot serve on {host}: {reason}").format(host=repr(host), reason=exc.strerror or exc)
        ) from None
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise D3k2dbError(
                _(
                    "port {port} on {host} is in use: stop the program using it or choose another with --port"
                ).format(port=port, host=host)
            ) from None
        raise D3k2dbError(
            _("cannot serve on {host}: {reason}").format(host=f"{host}:{port}", reason=exc.strerror or exc)
        ) from None
    sock.set_inheritable(True)
    return sock


def page_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host and not host.startswith("[") else host
    return f"http://{shown}:{port}/"


# What a worker process (``--workers`` > 1) needs to make its app: set by the parent, read by
# worker_app in each child (Uvicorn starts them fresh, so they get the app as a factory's name).
_WORKER_ENV = ("D3K2DB_SERVE_DB", "D3K2DB_SERVE_EDITS", "D3K2DB_SERVE_HOST")


def run(
    host: str, port: int, *, db: str | None, allow_edits: bool, open_browser: bool, workers: int = 1
) -> None:
    """Serve until Ctrl-C (or SIGTERM), then return normally. ``workers`` > 1 answers in that many
    processes sharing the socket (each with its own connections and answer cache): a search holds
    the GIL, so one process uses one core."""
    require_web_stack()
    import uvicorn

    from .app import create_app
    from .lang import catalog_translator
    from .origin import served_hosts

    if not is_loopback(host):
        warning = (
            _(
                "warning: serving on {host} makes the page reachable from other machines on your "
                "network; it has no login, and --allow-edits lets them change your foods"
            )
            if allow_edits
            else _(
                "warning: serving on {host} makes the page reachable from other machines on your "
                "network; it has no login"
            )
        )
        print(warning.format(host=host), file=sys.stderr)
    sock = bind(host, port)
    # migrates and seeds first, as every command does (saying what an upgrade moved); each page in
    # its request's language
    database = _open_database(db)
    if workers > 1:
        database.close()  # each worker opens its own
        os.environ.update(zip(_WORKER_ENV, (db or "", "1" if allow_edits else "", host), strict=True))
        target: Any = f"{__name__}:worker_app"  # a factory each worker calls
        extra: dict[str, Any] = {"factory": True, "workers": workers}
    else:
        app = create_app(
            allow_edits=allow_edits,
            translator=catalog_translator,
            database=database,
            allowed_hosts=served_hosts(host),
        )
        target, extra = app, {}
    config = uvicorn.Config(
        target, log_level="warning", access_log=False, lifespan="on", server_header=False, **extra
    )
    server = uvicorn.Server(config)
    url = page_url(host, port)
    mode = _("edits allowed") if allow_edits else _("read-only")
    print(
        _("d3k2db: serving {url} ({mode}); Ctrl-C stops").format(url=url, mode=mode),
        file=sys.stderr,
        flush=True,
    )
    if open_browser:
        threading.Thread(target=_open_when_started, args=(server, url), daemon=True).start()
    try:
        if workers > 1:
            from uvicorn.supervisors import Multiprocess

            Multiprocess(config, sockets=[sock]).run()
        else:
            server.run(sockets=[sock])
    except KeyboardInterrupt:  # Uvicorn re-raises the Ctrl-C it caught once it has shut down
        pass
    finally:
        sock.close()
        database.close()
    print(_("d3k2db: stopped"), file=sys.stderr)


def worker_app() -> Any:
    """The app of one worker process (``run`` with workers > 1 set what it serves)."""
    from ..library import K2Database
    from .app import create_app
    from .lang import catalog_translator
    from .origin import served_hosts

    db, edits, host = (os.environ.get(name, "") for name in _WORKER_ENV)
    return create_app(
        allow_edits=bool(edits),
        translator=catalog_translator,
        database=K2Database(db or None),
        allowed_hosts=served_hosts(host),
    )


def _open_database(db: str | None) -> K2Database:
    from ..library import K2Database
    from ..output.upgrade import upgrade_notice

    database = K2Database(db)
    for line in upgrade_notice(database.upgraded.changes if database.upgraded else []):
        print(line, file=sys.stderr)
    return database


def _open_when_started(server: object, url: str) -> None:
    import time

    for _attempt in range(100):
        if getattr(server, "started", False):
            webbrowser.open(url)
            return
        time.sleep(0.05)

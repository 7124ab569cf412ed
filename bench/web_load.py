#!/usr/bin/env python
"""Load test of the web page's search: many people typing at once against a real `d3k2db serve`.

    python bench/web_load.py [--clients 50] [--seconds 20] [--size 1000000] [--think-ms 100,200]

A database of ``--size`` synthetic foods (bench/bench.py's builder and cache, imported, not copied)
is served by ``d3k2db serve`` (uvicorn) on a free loopback port. ``--clients`` threads, each with its
own keep-alive connection (http.client), type words drawn from the database's food names one keystroke
at a time, 100–200 ms apart (``--think-ms``), and send what the page's script (app.js) would send:

- a keystroke's ``GET /fragments/search?q=<prefix>`` (the results, as HTML, that app.js swaps in)
  goes out only when no other keystroke follows within
  the page's debounce (``DEBOUNCE_MS``, read from app.js; ``--debounce-ms 0`` sends every keystroke);
- one Latin letter sends nothing (app.js ``tooShort``); one CJK character would;
- when the next debounce fires while a request is unanswered, the page aborts it (AbortController):
  the client closes that connection (as the browser does; the server still does the work), counts it
  as aborted (not an error), and opens a new one. The verdict counts each aborted request as a
  sample of the time it had run (a lower bound: it was still unanswered), so aborting cannot hide
  a slow server.

The typing does not wait for answers: each typist's timeline is drawn before the run. Every request
that is not a 200 with a JSON body, and every exception, is an error.

The floor is measured in the same run by the same clients, interleaved with the searches: every
``--floor-every``-th request is ``GET /api/health`` (or, without that route, the page's stylesheet),
which pays the same HTTP, client and queueing costs but no query. Beside both: the in-process
``K2Database.search`` of the same prefixes on the same file (one thread, before the load), which is the
query's own cost. Goal: p95 of a search request ≤ 25 ms at 1M foods, 0 errors.

The server's and this process's CPU time during the timed window are printed: a server near 100 % of
one core is saturated (one Python process, the GIL), and its latency then is mostly queueing.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import itertools
import json
import os
import random
import re
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
GOAL_P95_MS = 25.0
HEALTH = "/api/health"


def load_bench():  # type: ignore[no-untyped-def]
    """bench/bench.py as a module (its database builder, cache, table printer)."""
    spec = importlib.util.spec_from_file_location("d3k2db_bench", HERE / "bench.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["d3k2db_bench"] = module
    spec.loader.exec_module(module)
    return module


bench = load_bench()
log = bench.log


# --- the server -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Server:
    """`d3k2db serve` in a child process, stopped with SIGINT like Ctrl-C; or, with ``--attach``, a
    server started by hand (another configuration to compare), left running."""

    def __init__(self, db: Path, work: Path, attach: str | None = None) -> None:
        self.process: subprocess.Popen[bytes] | None = None
        self.log = work / "serve.log"
        if attach:
            port, _, pid = attach.partition(":")
            self.port, self.pid = int(port), int(pid) if pid else None
        else:
            prefix, _ = bench.command_prefix()
            self.port = free_port()
            command = [*prefix, "serve", "--port", str(self.port), "--db", f"sqlite:///{db}"]
            env = {k: v for k, v in os.environ.items() if k != "D3K2DB_URL"}
            with self.log.open("wb") as sink:
                self.process = subprocess.Popen(
                    command, stdout=sink, stderr=subprocess.STDOUT, env=env, cwd=work
                )
            self.pid = self.process.pid
        deadline = time.monotonic() + 120
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(f"d3k2db serve exited {self.process.returncode}:\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=5) as response:
                    if response.status == 200:
                        self.home = response.read().decode("utf-8", "replace")
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"the server did not answer / in 120 s:\n{self.tail()}")
            time.sleep(0.2)

    def tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def cpu_seconds(self) -> float | None:
        """User + system CPU time of the server process and its children so far (Linux /proc)."""
        if self.pid is None:
            return None
        total, pids = 0, [self.pid]
        while pids:
            pid = pids.pop()
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])
            pids.extend(int(child) for child in children)
        return total / os.sysconf("SC_CLK_TCK")

    def stop(self) -> int:
        if self.process is None:
            return 0
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()

    def floor_path(self) -> str:
        """/api/health if the app has it, else the first stylesheet the page links."""
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}{HEALTH}", timeout=5) as response:
                if response.status == 200:
                    return HEALTH
        except OSError:
            pass
        found = re.search(r'<link[^>]+href="(/[^"]+\.css[^"]*)"', self.home)
        if not found:
            raise SystemExit(f"no {HEALTH} route and no stylesheet on / to use as the floor")
        return found.group(1)


# --- what the clients type ------------------------------------------------------------------------


def words_from_names(db: Path, count: int, rng: random.Random) -> list[str]:
    """Words of ``count`` food names picked at random from the database (no numbers, ≥ 3 letters)."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        low, high = connection.execute("SELECT min(id), max(id) FROM foods").fetchone()
        ids = [rng.randint(low, high) for _ in range(count)]
        names = [
            row[0]
            for chunk in range(0, len(ids), 500)
            for row in connection.execute(
                f"SELECT name FROM foods WHERE id IN ({','.join('?' * len(ids[chunk : chunk + 500]))})",
                ids[chunk : chunk + 500],
            )
        ]
    finally:
        connection.close()
    words = [w.strip(",.()").lower() for name in names for w in name.split()]
    return [w for w in words if len(w) >= 3 and not any(c.isdigit() for c in w) and w != "no."]


def keystrokes(word: str) -> list[str]:
    return [word[:n] for n in range(1, len(word) + 1)]


APP_JS = REPO / "d3k2db" / "web" / "static" / "app.js"


def page_debounce_ms() -> float:
    """The page's own debounce, read from app.js (``var DEBOUNCE_MS = 150;``), so the model follows it."""
    found = re.search(r"var DEBOUNCE_MS = (\d+);", APP_JS.read_text(encoding="utf-8"))
    if not found:
        raise SystemExit(f"no 'var DEBOUNCE_MS = N;' in {APP_JS}: say --debounce-ms")
    return float(found.group(1))


def page_sends(prefix: str) -> bool:
    """What app.js's tooShort() lets through: not one Latin letter (one CJK character is a word)."""
    return not re.fullmatch(r"[A-Za-z]", prefix)


@dataclass(frozen=True)
class Send:
    """One request the page sends: when (seconds from the typist's start), what, and until when it
    may run before the page aborts it (the moment the next debounce fires)."""

    at: float
    prefix: str
    abort_at: float


def schedule(
    rng: random.Random, words: Sequence[str], think: tuple[float, float], debounce: float, until: float
) -> list[Send]:
    """A typist's whole timeline, drawn before the run (people type without waiting for answers).

    Keystrokes come ``think`` apart (uniform), word after word. As in app.js, a keystroke's
    request goes out ``debounce`` after it only if no other keystroke came in between; one Latin
    letter sends nothing (but still cancels). Each debounce that fires aborts the request still in
    flight (AbortController), so a request's ``abort_at`` is the next firing after its own.
    """
    strokes: list[tuple[float, str]] = []
    clock = 0.0
    while clock < until:
        for prefix in keystrokes(rng.choice(words)):
            clock += rng.uniform(*think)
            strokes.append((clock, prefix))
    fired = [
        (at + debounce, prefix)
        for (at, prefix), (following, _) in itertools.pairwise(strokes)
        if following - at > debounce or debounce == 0
    ]
    sends = []
    for index, (at, prefix) in enumerate(fired):
        if page_sends(prefix) or debounce == 0:
            abort_at = fired[index + 1][0] if index + 1 < len(fired) else until + 30
            sends.append(Send(at, prefix, abort_at))
    return sends


# --- the clients ----------------------------------------------------------------------------------


@dataclass
class Tally:
    search_ms: list[float] = field(default_factory=list)
    floor_ms: list[float] = field(default_factory=list)
    aborted: list[float] = field(default_factory=list)  # ms each had run when the page dropped it
    late: list[float] = field(default_factory=list)  # answered + aborted, second half of the window
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def client(
    port: int,
    words: Sequence[str],
    floor_path: str,
    floor_every: int,
    think: tuple[float, float],
    debounce: float,
    start_at: float,
    record_from: float,
    stop_at: float,
    seed: int,
    tally: Tally,
) -> None:
    """One typist on one keep-alive connection, following its drawn timeline.

    A request still unanswered when the page would abort it is abandoned as the browser does: the
    connection is closed (the server has the work anyway) and a new one is opened for the next
    request. It is counted as aborted, not as an error; the verdict takes the time it had run as a
    sample (a lower bound of its latency).
    """
    rng = random.Random(seed)
    began_at = start_at + rng.uniform(0, think[1])
    plan = schedule(rng, words, think, debounce, stop_at - began_at)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    search_ms: list[float] = []
    floor_ms: list[float] = []
    aborted: list[float] = []
    late: list[float] = []
    half = record_from + (stop_at - record_from) / 2
    errors: list[str] = []
    for sent, step in enumerate(plan, start=1):
        send_at = began_at + step.at
        if send_at >= stop_at:
            break
        time.sleep(max(0.0, send_at - time.monotonic()))
        is_floor = sent % floor_every == 0
        # as app.js asks: the page's language with every search (the answer cache keys by it)
        asked = "/fragments/search?q=" + urllib.parse.quote(step.prefix) + "&lang=en"
        path = floor_path if is_floor else asked
        began = time.monotonic()
        try:
            connection.request("GET", path)
            assert connection.sock is not None
            connection.sock.settimeout(max(0.001, began_at + step.abort_at - time.monotonic()))
            response = connection.getresponse()
            body = response.read()
            if connection.sock is not None:
                connection.sock.settimeout(30)
            elapsed = (time.monotonic() - began) * 1000
            if response.status != 200:
                errors.append(f"{response.status} {path}")
            elif not is_floor:
                json.loads(body)
        except TimeoutError:  # the page's AbortController: the next request is going out
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            if began >= record_from:
                aborted.append((time.monotonic() - began) * 1000)
                if began >= half:
                    late.append(aborted[-1])
            continue
        except Exception as exc:  # any failure is an error of the run, counted, then a new connection
            errors.append(f"{type(exc).__name__}: {exc} ({path})")
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            continue
        if began >= record_from:
            (floor_ms if is_floor else search_ms).append(elapsed)
            if began >= half and not is_floor:
                late.append(elapsed)
    connection.close()
    with tally.lock:
        tally.search_ms.extend(search_ms)
        tally.floor_ms.extend(floor_ms)
        tally.aborted.extend(aborted)
        tally.late.extend(late)
        tally.errors.extend(errors)


# --- the in-process query cost --------------------------------------------------------------------


def inprocess_search_ms(db: Path, prefixes: Sequence[str]) -> list[float]:
    """``K2Database.search`` of each prefix once (after one warm-up pass over a few), in this process."""
    from d3k2db import K2Database

    samples = []
    with K2Database(f"sqlite:///{db}") as k2:
        for prefix in prefixes[:20]:
            k2.search(prefix)
        for prefix in prefixes:
            began = time.perf_counter()
            k2.search(prefix)
            samples.append((time.perf_counter() - began) * 1000)
    return samples


# --- report ---------------------------------------------------------------------------------------


def percentiles(samples: Sequence[float]) -> dict[str, float]:
    if len(samples) < 2:
        value = samples[0] if samples else float("nan")
        return {"p50": value, "p95": value, "p99": value, "max": value}
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": statistics.median(samples), "p95": cuts[94], "p99": cuts[98], "max": max(samples)}


def row(name: str, samples: Sequence[float], seconds: float | None) -> tuple[str, ...]:
    p = percentiles(samples)
    rate = f"{len(samples) / seconds:,.0f}" if seconds else "-"
    ms = (bench.fmt_value(p[k], "ms") for k in ("p50", "p95", "p99", "max"))
    return (name, f"{len(samples):,}", rate, *ms)


def server_share(before: float | None, after: float | None, window: float) -> str:
    if before is None or after is None:
        return "not measured (--attach without a pid)"
    return f"{100 * (after - before) / window:.0f} % of one core"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50, help="concurrent typists (default 50)")
    parser.add_argument("--seconds", type=float, default=20.0, help="timed window (default 20)")
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds of load before timing (default 2)")
    parser.add_argument("--size", type=int, default=1_000_000, help="synthetic foods (default 1,000,000)")
    parser.add_argument(
        "--think-ms", default="100,200", help="think time between keystrokes (default 100,200)"
    )
    parser.add_argument(
        "--debounce-ms",
        type=float,
        help="the page's wait after a keystroke before it asks (default: DEBOUNCE_MS read from app.js); "
        "0 sends every keystroke, one Latin letter included",
    )
    parser.add_argument(
        "--floor-every", type=int, default=10, help="every Nth request is the floor (default 10)"
    )
    parser.add_argument("--no-cache", action="store_true", help=f"never read or write {bench.CACHE_DIR}")
    parser.add_argument(
        "--attach",
        metavar="PORT[:PID]",
        help="load a server already running on 127.0.0.1:PORT over the same database (another "
        "configuration to compare) instead of starting `d3k2db serve`; PID: report its CPU",
    )
    args = parser.parse_args(argv)
    low, high = (float(x) / 1000 for x in args.think_ms.split(","))
    args.think = (low, high)
    args.debounce = (page_debounce_ms() if args.debounce_ms is None else args.debounce_ms) / 1000
    if not (1 <= args.clients <= 1000 and 1 <= args.seconds <= 600 and args.floor_every >= 2):
        parser.error("--clients 1–1000, --seconds 1–600, --floor-every ≥ 2")
    return args


def main(argv: Sequence[str]) -> int:
    args = parse_args(argv)
    work = Path(tempfile.mkdtemp(prefix="d3k2db-webload-"))
    db, note = bench.prepare_database(args.size, work, not args.no_cache)
    log(note)
    rng = random.Random(args.size)
    words = words_from_names(db, 400, rng)
    prefixes = sorted({p for w in words for p in keystrokes(w)})
    log(f"{len(set(words))} distinct words, {len(prefixes)} distinct prefixes; in-process search of each")
    inproc = inprocess_search_ms(db, prefixes)
    server = Server(db, work, args.attach)
    floor_path = server.floor_path()
    log(
        f"serving on port {server.port}; floor: GET {floor_path}; "
        f"{args.clients} clients for {args.seconds:g} s"
    )
    load_before = os.getloadavg()[0]
    tally = Tally()
    start_at = time.monotonic() + 0.5
    record_from = start_at + args.warmup
    stop_at = record_from + args.seconds
    threads = [
        threading.Thread(
            target=client,
            args=(
                server.port,
                words,
                floor_path,
                args.floor_every,
                args.think,
                args.debounce,
                start_at,
                record_from,
                stop_at,
                i,
                tally,
            ),
            daemon=True,
        )
        for i in range(args.clients)
    ]
    for thread in threads:
        thread.start()
    time.sleep(max(0.0, record_from - time.monotonic()))
    cpu_before, own_cpu, wall = server.cpu_seconds(), time.process_time(), time.monotonic()
    time.sleep(max(0.0, stop_at - time.monotonic()))
    cpu_after, own_cpu = server.cpu_seconds(), time.process_time() - own_cpu
    window = time.monotonic() - wall
    for thread in threads:
        thread.join(timeout=60)
    code = server.stop()
    load_after = os.getloadavg()[0]

    search = percentiles(tally.search_ms + tally.aborted)  # an aborted request: at least that long
    floor = percentiles(tally.floor_ms)
    total = len(tally.search_ms) + len(tally.floor_ms) + len(tally.aborted)
    headers = ("Request", "n", "req/s", "p50", "p95", "p99", "max")
    rows = [
        row("GET /fragments/search?q=…, answered + aborted", tally.search_ms + tally.aborted, args.seconds),
        row("  of which answered", tally.search_ms, args.seconds),
        row("  second half of the window (a warmer cache)", tally.late, args.seconds / 2),
        row(f"floor: GET {floor_path} (same clients, interleaved)", tally.floor_ms, args.seconds),
        row("in-process K2Database.search, same prefixes, idle", inproc, None),
    ]
    print()
    print(
        f"d3k2db web load — {args.clients} clients typing for {args.seconds:g} s against `d3k2db serve`, "
        f"{args.size:,} foods, keystrokes {args.think[0] * 1000:g}–{args.think[1] * 1000:g} ms apart, "
        f"debounce {args.debounce * 1000:g} ms ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())})"
    )
    print(bench.render_table(headers, rows, right={1, 2, 3, 4, 5, 6}))
    print()
    verdict = "PASS" if search["p95"] <= GOAL_P95_MS and not tally.errors else "MISS"
    print(
        f"requests {total:,} ({total / args.seconds:,.0f}/s), aborted by a newer keystroke "
        f"{len(tally.aborted):,}, errors {len(tally.errors)}; "
        f"search p95 {search['p95']:.1f} ms vs goal ≤ {GOAL_P95_MS:g} ms and 0 errors: {verdict}; "
        f"search/floor at p50 {search['p50'] / floor['p50']:.1f}×"
    )
    print(
        f"CPU in the timed window: server {server_share(cpu_before, cpu_after, window)}, "
        f"load generator {100 * own_cpu / window:.0f} %; {os.cpu_count()} CPUs; 1-min load average "
        f"{load_before:.2f} → {load_after:.2f}; "
        f"Python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    )
    if not args.attach:
        print(f"server exit code after SIGINT: {code}")
    for error in sorted(set(tally.errors))[:10]:
        print(f"  error: {error}")
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

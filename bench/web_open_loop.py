#!/usr/bin/env python
"""Open-loop load on `d3k2db serve`: distinct searches (every one a cache miss) at fixed rates.

    python bench/web_open_loop.py --db /tmp/foods-1m.sqlite              # 100/s, then a rate sweep
    python bench/web_open_loop.py --db FILE --rates 100,200,300 --seconds 15 --workers 2

Issue 23 item 4: at 1,000,000 foods, distinct queries at 100 requests/s, p95 ≤ 30 ms; and the
highest rate at which p95 stays ≤ 50 ms. The database is any d3k2db SQLite file (bench/bench.py
builds and caches the 1M one in /tmp/d3k2db-bench-cache; copy it, since serving it may upgrade it).

Open loop: request i is due at start + i / rate whatever happened to the others; a pool of client
threads (each with its own keep-alive connection) sends each at its time, and its latency is
counted from the time it was due, so waiting for a free client or a busy server is in the figure
(no coordinated omission). Every query is a different string (word prefixes, pairs of words and
typos drawn from the database's own names), so the server's answer cache never hits. A request
that is not a 200 or raises is an error.

The floor, measured in the same run at the same rate just before each search phase: `GET
/static/style.css` (the app has no health route), which pays the same HTTP, client and queueing
costs and no query. The in-process `K2Database.search` of the same queries (one thread) shows
the lookup's own cost.
"""

from __future__ import annotations

import argparse
import http.client
import os
import queue
import random
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
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
FLOOR = "/static/style.css"  # no query: HTTP, routing and the client only
ENDPOINTS = {"api": "/api/search?q=", "fragments": "/fragments/search?q="}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(
    db: Path, workers: int, log: Path, checkout: Path | None
) -> tuple[subprocess.Popen[bytes], int]:
    port = free_port()
    command = [sys.executable, "-m", "d3k2db", "serve", "--port", str(port)]
    command += ["--db", f"sqlite:///{db}"] + (["--workers", str(workers)] if workers > 1 else [])
    env = {k: v for k, v in os.environ.items() if k != "D3K2DB_URL"}
    if checkout is not None:
        env["PYTHONPATH"] = str(checkout)
    with log.open("wb") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=subprocess.STDOUT, env=env)
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"d3k2db serve exited {process.returncode}:\n{log.read_text()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                if response.status == 200:
                    return process, port
        except OSError:
            time.sleep(0.2)
    process.send_signal(signal.SIGINT)
    sys.exit(f"the server did not answer in 180 s:\n{log.read_text()[-2000:]}")


def server_cpu(pid: int) -> float:
    """User + system CPU seconds of a process and its children (Linux /proc)."""
    total, pids, tick = 0.0, [pid], os.sysconf("SC_CLK_TCK")
    while pids:
        one = pids.pop()
        try:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            children = Path(f"/proc/{one}/task/{one}/children").read_text().split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
        pids.extend(int(child) for child in children)
    return total


def distinct_queries(db: Path, count: int, rng: random.Random) -> list[str]:
    """``count`` different search terms from the database's names: prefixes of a word (≥ 3
    letters), two neighbouring words, and a word with one letter changed (a typo)."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as connection:
        (top,) = connection.execute("SELECT max(id) FROM foods").fetchone()
        ids = rng.sample(range(1, top + 1), min(top, 20_000))
        names = [
            row[0]
            for start in range(0, len(ids), 500)
            for row in connection.execute(
                f"SELECT name FROM foods WHERE id IN ({','.join('?' * len(ids[start : start + 500]))})",
                ids[start : start + 500],
            )
        ]
    words = sorted({w for name in names for w in name.split() if w.isalpha() and len(w) >= 3})
    pairs = sorted({" ".join(p) for name in names for p in zip(name.split(), name.split()[1:], strict=False)})
    seen: set[str] = set()
    found: list[str] = []
    for _attempt in range(count * 50):
        if len(found) == count:
            break
        kind = rng.random()
        if kind < 0.4:
            word = rng.choice(words)
            term = word[: rng.randint(3, len(word))]
        elif kind < 0.8:
            pair = rng.choice(pairs)
            term = pair[: rng.randint(min(len(pair), 5), len(pair))].strip()
        else:
            word = rng.choice(words)
            at = rng.randrange(len(word))
            term = word[:at] + rng.choice("abcdefghijklmnopqrstuvwxyz") + word[at + 1 :]
        if term not in seen:
            seen.add(term)
            found.append(term)
    return found


def open_loop(port: int, paths: Sequence[str], rate: float, clients: int) -> tuple[list[float], int, float]:
    """Send ``paths`` at ``rate`` per second, each at its due time: latencies (ms, from the due
    time), errors, and the seconds the run took."""
    due: queue.Queue[tuple[float, str] | None] = queue.Queue()
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while (item := due.get()) is not None:
            at, path = item
            wait = at - time.perf_counter()
            if wait > 0:
                time.sleep(wait)
            ok = False
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            took = (time.perf_counter() - at) * 1000
            with lock:
                latencies.append(took)
                errors[0] += not ok
        connection.close()

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    start = time.perf_counter() + 0.2
    for i, path in enumerate(paths):
        due.put((start + i / rate, path))
    for _ in threads:
        due.put(None)
    for thread in threads:
        thread.join()
    return latencies, errors[0], time.perf_counter() - start


def percentile(samples: Sequence[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def line(name: str, rate: float, samples: Sequence[float], errors: int, cpu: float, seconds: float) -> str:
    return (
        f"{name:24} {rate:6.0f}/s  p50 {percentile(samples, 50):7.1f}  p95 {percentile(samples, 95):7.1f}  "
        f"p99 {percentile(samples, 99):7.1f} ms  errors {errors:3}  server CPU {cpu / seconds:4.0%}"
    )


def inprocess_ms(db: Path, terms: Sequence[str]) -> list[float]:
    from d3k2db import K2Database

    out = []
    with K2Database(f"sqlite:///{db}") as database:
        for term in terms:
            start = time.perf_counter()
            database.search(term)
            out.append((time.perf_counter() - start) * 1000)
    return out


def main(argv: Sequence[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a d3k2db SQLite file (1M foods: issue 23)")
    parser.add_argument("--rates", default="100,150,200,300", help="requests/s, one phase each")
    parser.add_argument("--seconds", type=float, default=15.0, help="each phase's length")
    parser.add_argument("--clients", type=int, default=64, help="client threads (enough to never wait)")
    parser.add_argument("--workers", type=int, default=1, help="d3k2db serve --workers")
    parser.add_argument("--checkout", type=Path, help="serve another version (its folder on PYTHONPATH)")
    parser.add_argument("--endpoints", default="api,fragments", help="api, fragments or both")
    args = parser.parse_args(argv)
    rates = [float(r) for r in args.rates.split(",")]
    endpoints = args.endpoints.split(",")
    rng = random.Random(23)
    needed = int(sum(rates) * args.seconds * len(endpoints)) + 200
    terms = distinct_queries(args.db, needed, rng)
    if len(terms) < needed:
        sys.exit(f"only {len(terms)} distinct queries in the names; fewer rates or seconds")
    own = inprocess_ms(args.db, terms[:200])
    print(f"{args.db.name}: {len(terms):,} distinct queries; load average {os.getloadavg()[0]:.2f}")
    print(
        f"in-process K2Database.search of 200 of them: median {statistics.median(own):.1f} ms, "
        f"p95 {percentile(own, 95):.1f} ms"
    )
    with tempfile.TemporaryDirectory(prefix="d3k2db-open-loop-") as tmp:
        process, port = start_server(args.db, args.workers, Path(tmp) / "serve.log", args.checkout)
        try:
            taken = 200
            for rate in rates:
                n = int(rate * args.seconds)
                cpu = server_cpu(process.pid)
                samples, errors, seconds = open_loop(port, [FLOOR] * n, rate, args.clients)
                print(
                    line("floor: static css", rate, samples, errors, server_cpu(process.pid) - cpu, seconds)
                )
                for endpoint in endpoints:
                    batch = terms[taken : taken + n]
                    taken += n
                    paths = [ENDPOINTS[endpoint] + urllib.parse.quote(term) for term in batch]
                    cpu = server_cpu(process.pid)
                    samples, errors, seconds = open_loop(port, paths, rate, args.clients)
                    used = server_cpu(process.pid) - cpu
                    print(
                        line(
                            f"{ENDPOINTS[endpoint].split('?')[0]} (misses)",
                            rate,
                            samples,
                            errors,
                            used,
                            seconds,
                        )
                    )
                sys.stdout.flush()
        finally:
            process.send_signal(signal.SIGINT)
            process.wait(30)
    served = args.checkout or "this checkout"
    print(f"{served}, workers {args.workers}; targets: p95 ≤ 30 ms at 100/s; highest rate with p95 ≤ 50 ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

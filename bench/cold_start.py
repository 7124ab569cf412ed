#!/usr/bin/env python
"""Cold lookups as whole processes beside a bare one-command Typer app, measured in the same run.

    python bench/cold_start.py [--repeat N] [--d3k2db PATH]

Each round runs the floor (a Typer app with one command that prints a line) and then each lookup
(``search natto``, ``show natto``, ``meal 2 eggs, 1 tbsp butter``, ``pair --d3 5000``) as a fresh
process on an already migrated and seeded SQLite file, alternating, so that a machine getting
busier slows all of them alike. Printed: the median wall time and CPU time (user + system of the
child) of each, and each lookup's ratio to the floor. Issue 23's target: every ratio ≤ 1.3.

The lookups run the installed ``d3k2db`` command (the console entry point, as a user runs it);
the floor runs with the same interpreter. Only the standard library is imported here.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FLOOR_APP = """\
import typer

app = typer.Typer()


@app.command()
def hello(name: str) -> None:
    print(f"hello {name}")


app()
"""
LOOKUPS = {
    "search natto": ["search", "natto"],
    "show natto": ["show", "natto"],
    "meal 2 eggs, 1 tbsp butter": ["meal", "2 eggs, 1 tbsp butter"],
    "pair --d3 5000": ["pair", "--d3", "5000"],
}
TARGET_RATIO = 1.3


def timed(command: list[str], env: dict[str, str], folder: str) -> tuple[float, float]:
    """(wall s, CPU s) of one whole process, run in ``folder`` (so that ``python -m`` finds no
    d3k2db in the current directory)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=folder, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def median_of(runs: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=15, help="rounds (median of these)")
    parser.add_argument("--d3k2db", default=str(Path(sys.executable).with_name("d3k2db")))
    parser.add_argument(
        "--before", type=Path, help="also time another d3k2db source tree (python -m d3k2db), e.g. main's"
    )
    args = parser.parse_args()
    floor = "floor: bare Typer app"
    with tempfile.TemporaryDirectory(prefix="d3k2db-cold-") as folder:
        Path(folder, "floor.py").write_text(FLOOR_APP)
        env = {**os.environ, "D3K2DB_URL": f"sqlite:///{Path(folder, 'k2.sqlite')}"}
        subprocess.run([args.d3k2db, "db", "upgrade"], env=env, check=True, capture_output=True)
        commands = {floor: ([sys.executable, str(Path(folder, "floor.py")), "x"], env)}
        commands |= {name: ([args.d3k2db, *words], env) for name, words in LOOKUPS.items()}
        if args.before:
            before_env = {**env, "PYTHONPATH": str(args.before.resolve())}
            commands |= {
                f"before: {name}": ([sys.executable, "-m", "d3k2db", *words], before_env)
                for name, words in LOOKUPS.items()
            }
        for command, command_env in commands.values():  # warm the file cache and the .pyc files
            timed(command, command_env, folder)
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for round_ in range(args.repeat):
            print(f"round {round_ + 1}/{args.repeat}", file=sys.stderr, flush=True)
            for name, (command, command_env) in commands.items():
                runs[name].append(timed(command, command_env, folder))
    medians = {name: median_of(found) for name, found in runs.items()}
    floor_wall, floor_cpu = medians[floor]
    width = max(map(len, medians))
    print(f"{'':{width}}  {'wall s':>7}  {'CPU s':>6}  {'wall ×':>6}  {'CPU ×':>6}")
    for name, (wall, cpu) in medians.items():
        print(f"{name:{width}}  {wall:7.3f}  {cpu:6.3f}  {wall / floor_wall:6.2f}  {cpu / floor_cpu:6.2f}")
    print(f"× the floor, measured in the same run (target ≤ {TARGET_RATIO} ×); median of {args.repeat}")
    print(f"alternating rounds; Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")


if __name__ == "__main__":
    main()

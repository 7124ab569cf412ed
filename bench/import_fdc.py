"""`d3k2db import-fdc` as a whole process against a whole-process pandas read of the same columns.

    python bench/import_fdc.py                      # 2M food_nutrient rows over 2,000 foods, 5 runs each
    python bench/import_fdc.py --rows 2000000 --repeat 5 --before /tmp/main

Issue 23 item 3: the import, start-up included, ≥ 0.8 × the floor's speed; peak memory as before.
The download is tests/fdc_fixtures.write_synthetic; each run imports it into a fresh copy of one
seeded SQLite file (`d3k2db --db sqlite:///… import-fdc FOLDER`). The floor is a fresh `python -c`
that imports pandas and reads the same file with `read_csv(usecols=fdc_id, nutrient_id, amount,
chunksize=1M)`, keeping the rows of the four wanted nutrients — what any importer must at least do.
Runs alternate import, floor, import, … so both share the machine's noise. Times are wall-clock
from spawn to exit ("× floor" is floor time / import time: higher is better). CPU is user + system
of all the child's threads: on a loaded machine wall time follows it. Peak RSS is each child's own
ru_maxrss (os.wait4). `--before DIR` also times a checkout of another version (e.g.
`git archive main | tar -x -C /tmp/main`) in the same rounds, run with this venv's Python and
PYTHONPATH=DIR.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

FLOOR = """
import sys
import pandas as pd
kept, rows = [], 0
for chunk in pd.read_csv(sys.argv[1], usecols=["fdc_id", "nutrient_id", "amount"], chunksize=1_000_000):
    rows += len(chunk)
    kept.append(chunk[chunk["nutrient_id"].isin([1183, 1184, 1185, 1112])])
print(rows, len(pd.concat(kept)))
"""


def run(argv: list[str], env: dict[str, str] | None = None) -> tuple[float, float, float]:
    """Seconds from spawn to exit, CPU seconds (user + system, all threads) and the child's peak
    RSS in MB; a failure stops the bench."""
    start = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    _pid, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    out = process.stdout.read().decode() if process.stdout else ""
    err = process.stderr.read().decode() if process.stderr else ""
    if status != 0:
        sys.exit(f"failed: {' '.join(argv)}\n{out}{err}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def importer(checkout: Path | None, url: str, folder: Path) -> tuple[list[str], dict[str, str]]:
    env = {**os.environ, "D3K2DB_LANG": "en"}
    if checkout is None:
        return [str(Path(sys.executable).with_name("d3k2db")), "--db", url, "import-fdc", str(folder)], env
    env["PYTHONPATH"] = str(checkout)
    return [sys.executable, "-m", "d3k2db", "--db", url, "import-fdc", str(folder)], env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000, help="food_nutrient.csv rows (default 2M)")
    parser.add_argument("--foods", type=int, help="foods in the download (default rows / 1000)")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each (default 5)")
    parser.add_argument("--before", type=Path, help="a checkout of another version to time alongside")
    args = parser.parse_args()
    from tests.fdc_fixtures import write_synthetic

    with tempfile.TemporaryDirectory(prefix="d3k2db-fdc-bench-") as tmp:
        work = Path(tmp)
        foods = args.foods or max(100, args.rows // 1000)
        write_synthetic(work / "download", foods, args.rows)
        size = (work / "download" / "food_nutrient.csv").stat().st_size / 2**20
        template = work / "template.sqlite"
        subprocess.run(
            [str(Path(sys.executable).with_name("d3k2db")), "--db", f"sqlite:///{template}", "search", "x"],
            capture_output=True,
            check=False,
        )
        versions = {"import-fdc": None} | ({"import-fdc (before)": args.before} if args.before else {})
        times: dict[str, list[float]] = {name: [] for name in [*versions, "pandas floor"]}
        rss: dict[str, list[float]] = {name: [] for name in times}
        cpu: dict[str, list[float]] = {name: [] for name in times}
        for _round in range(args.repeat):
            for name, checkout in versions.items():
                database = work / "import.sqlite"
                shutil.copy(template, database)
                argv, env = importer(checkout, f"sqlite:///{database}", work / "download")
                seconds, used, peak = run(argv, env)
                times[name].append(seconds)
                cpu[name].append(used)
                rss[name].append(peak)
                database.unlink()
            seconds, used, peak = run(
                [sys.executable, "-c", FLOOR, str(work / "download" / "food_nutrient.csv")]
            )
            times["pandas floor"].append(seconds)
            cpu["pandas floor"].append(used)
            rss["pandas floor"].append(peak)
    floor = statistics.median(times["pandas floor"])
    floor_cpu = statistics.median(cpu["pandas floor"])
    print(f"{args.rows:,} food_nutrient rows ({size:.0f} MB) over {foods:,} foods; {args.repeat} runs each")
    print(f"load average {os.getloadavg()[0]:.2f}; whole processes, spawn to exit; medians")
    print(f"{'':22} {'seconds':>8} {'rows/s':>11} {'× floor':>8} {'CPU s':>6} {'× floor':>8} {'peak RSS':>9}")
    for name in times:
        median, used = statistics.median(times[name]), statistics.median(cpu[name])
        print(
            f"{name:22} {median:8.2f} {args.rows / median:11,.0f} {floor / median:8.2f} "
            f"{used:6.2f} {floor_cpu / used:8.2f} {statistics.median(rss[name]):6.0f} MB"
        )
    print(
        "target: import-fdc ≥ 0.8 × the floor (speed); runs: "
        + "; ".join(f"{name} " + " ".join(f"{t:.2f}" for t in values) for name, values in times.items())
    )


if __name__ == "__main__":
    main()

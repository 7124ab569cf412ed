"""The wheel carries the seed data and the migrations: the installed tool works far from the checkout."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("d3k2db-*.whl")
    return built


def test_wheel_contains_data_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    seed = ("foods.csv", "measurements.csv", "aliases.csv", "portions.csv", "flag_texts.csv")
    for data_file in (*seed, "diet.csv", "plan_units.csv"):
        assert f"d3k2db/_data/{data_file}" in names
    assert "d3k2db/_migrations/env.py" in names
    for locale in ("zh_Hant", "zh_Hans"):  # the compiled catalogs: gettext reads them at run time
        assert f"d3k2db/locale/{locale}/LC_MESSAGES/d3k2db.mo" in names
    assert any(name.startswith("d3k2db/_migrations/versions/0001") for name in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "d3k2db = d3k2db.__main__:run" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_installed_wheel_searches_and_meals_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target), str(wheel)],
        check=True,
        capture_output=True,
    )
    workdir = tmp_path / "elsewhere"
    workdir.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "home" / "data"),
    }
    env.pop("D3K2DB_URL", None)

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "d3k2db", *args], cwd=workdir, env=env, capture_output=True, text=True
        )

    where = subprocess.run(
        [sys.executable, "-c", "import d3k2db; print(d3k2db.__file__)"],
        cwd=workdir,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.strip().startswith(str(target))
    search = run("search", "natto", "--format", "json")
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)["foods"][0]["name"] == "natto"
    meal = run("meal", "2 eggs, 1 tbsp butter", "--format", "json")
    assert meal.returncode == 0, meal.stderr
    assert json.loads(meal.stdout)["total"]["k2"] > 0
    assert (tmp_path / "home" / "data" / "d3k2db" / "d3k2db.sqlite").is_file()
    chinese = run("--lang", "zh-Hant", "meal", "2個雞蛋")
    assert chinese.returncode == 0, chinese.stderr
    assert "2 × 大（50 公克）= 100 公克" in chinese.stdout and "維他命 D3" in chinese.stdout
    simplified = run("search", "纳豆", "--lang", "zh-Hans")
    assert "发酵大豆" in simplified.stdout and "1 种食物" in simplified.stdout
    plan = run("plan", "--d3", "5000", "--diet", "vegan", "--format", "json")  # diet.csv from the wheel
    assert plan.returncode == 0, plan.stderr
    assert json.loads(plan.stdout)["plans"][0]["items"][0]["name_en"] == "natto"


def test_wheel_contains_the_web_page(wheel: Path) -> None:
    """`d3k2db serve` works from an installed wheel: templates, script and stylesheet are inside it."""
    names = set(zipfile.ZipFile(wheel).namelist())
    pages = ("templates/base.html", "templates/meal.html", "templates/plan.html", "templates/_plans.html")
    for asset in ("static/app.js", "static/style.css", *pages):
        assert f"d3k2db/web/{asset}" in names
    metadata = next(n for n in names if n.endswith("METADATA"))
    text = zipfile.ZipFile(wheel).read(metadata).decode()
    # the web stack comes with every install (the page is for people who never type a command)
    for requirement in ("fastapi>=0.110", "uvicorn>=0.29", "jinja2>=3.1", "scipy>=1.9"):
        assert f"Requires-Dist: {requirement}\n" in text

"""The JSON API (/api/): every route on SQLite and PostgreSQL answers with exactly the JSON the
CLI prints with --format json, errors are one line with an HTTP status, and edits need
--allow-edits. Figures are checked against data/*.csv, read here, not against the program."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from d3k2db import K2Database
from d3k2db.cli import app
from d3k2db.output import render
from tests import published
from tests.web_client import CSP, seed_food, seed_portion, web

# each API route beside the CLI command that prints the same JSON
SAME_AS_CLI = {
    "/api/search?q=natto": ["search", "natto"],
    "/api/search?q=cheese&form=mk7&limit=5": ["search", "cheese", "--form", "mk7", "--limit", "5"],
    "/api/foods/natto": ["show", "natto"],
    "/api/foods/egg%20yolk": ["show", "egg yolk"],
    "/api/meal?q=2 eggs, 1 tbsp butter&d3=5000": ["meal", "2 eggs, 1 tbsp butter", "--d3", "5000"],
    "/api/pair?d3=5000&limit=5": ["pair", "--d3", "5000", "--limit", "5"],
    "/api/top?per=serving&limit=7": ["top", "--per", "serving", "--limit", "7"],
    "/api/sources": ["sources"],
}


def test_every_route_answers_the_json_the_cli_prints(db_url: str, runner: CliRunner) -> None:
    with web(db_url) as client:
        for route, command in SAME_AS_CLI.items():
            response = client.get(route)
            assert response.status_code == 200, (route, response.text)
            assert response.headers["content-type"] == "application/json"
            printed = runner.invoke(app, [*command, "--format", "json", "--db", db_url])
            assert printed.exit_code == 0, printed.stderr
            assert response.json() == json.loads(printed.stdout), route


def test_the_api_returns_the_library_results_to_dict(db_url: str) -> None:
    with web(db_url) as client, K2Database(db_url) as db:

        def same(route: str, data: object) -> None:
            assert client.get(route).json() == json.loads(render.to_json(data)), route

        same("/api/foods/cheddar", db.show("cheddar").to_dict())
        same("/api/meal?q=30 g gouda", db.meal(["30 g gouda"]).to_dict())
        same("/api/pair?d3=2000&form=mk4", db.pair(2000, form="mk4").to_dict())
        same("/api/sources", [s.to_dict() for s in db.sources()])
        top = db.top(limit=20)
        same("/api/top", {"per": "100g", "count": len(top), "foods": [f.to_dict() for f in top]})


def test_figures_match_the_seed_data(db_url: str) -> None:
    natto = seed_food("natto")
    egg, butter = seed_food("whole egg, raw"), seed_food("butter")
    with web(db_url) as client:
        found = client.get("/api/search", params={"q": "natto"}).json()["foods"][0]
        k2 = published.k2_per_100g(natto)  # the sum of its published forms
        assert found["name"] == "natto" and found["tag"] == natto["tag"]
        assert found["mk7"] == float(natto["mk7"]) and found["k2_total"] == pytest.approx(k2)
        assert found["k2_per_serving"] == pytest.approx(k2 * float(natto["serving_g"]) / 100)
        profile = client.get("/api/foods/natto").json()
        assert profile["forms"] == {form: published.number(natto[form]) for form in published.FORMS}
        assert None in profile["forms"].values()  # a form not measured is null, never 0
        assert len(profile["measurements"]) == int(natto["measurements"])
        assert "納豆" in profile["aliases_by_lang"]["zh-Hant"]
        meal = client.get("/api/meal", params={"q": "2 eggs, 1 tbsp butter", "d3": "5000"}).json()
    eggs_g = 2 * float(egg["serving_g"])
    butter_g = seed_portion("butter", "tbsp")
    expected = eggs_g * published.k2_per_100g(egg) / 100 + butter_g * published.k2_per_100g(butter) / 100
    assert [item["food"] for item in meal["items"]] == ["whole egg, raw", "butter"]
    assert [item["grams"] for item in meal["items"]] == pytest.approx([eggs_g, butter_g])
    assert meal["total"]["k2"] == pytest.approx(expected)
    assert meal["d3"]["k2_needed_ug"] == pytest.approx(50.0)  # 5,000 IU at 100 µg per 10,000 IU
    assert meal["d3"]["covered"] is False


def test_errors_are_one_line_json_with_a_status(db_url: str, runner: CliRunner) -> None:
    with web(db_url) as client:
        unknown = client.get("/api/foods/qqqzzz")
        assert unknown.status_code == 404
        body = unknown.json()
        assert body["code"] == "food_not_found" and "\n" not in body["error"]
        cli = runner.invoke(app, ["show", "qqqzzz", "--db", db_url])
        assert cli.exit_code == 1 and cli.stderr.strip() == f"error: {body['error']}"

        typo = client.get("/api/foods/nato")  # a typo still finds the food, and says so
        assert typo.status_code == 200 and typo.json()["name"] == "natto" and typo.json()["match"] == "typo"

        nothing = client.get("/api/search", params={"q": "qqqzzz"})  # normal while typing: not an error
        cli = runner.invoke(app, ["search", "qqqzzz", "--db", db_url])
        assert nothing.status_code == 200 and cli.exit_code == 1
        assert nothing.json() == {
            "query": "qqqzzz",
            "count": 0,
            "foods": [],
            "message": cli.stderr[7:].strip(),
        }

        bad_form = client.get("/api/search", params={"q": "cheese", "form": "mk9"})
        assert bad_form.status_code == 400 and "mk4 or mk7" in bad_form.json()["error"]

        refused = client.get("/api/meal", params={"q": "100 g qqq, 2 slices natto"})
        assert refused.status_code == 422
        assert refused.json()["code"] == "meal_refused" and len(refused.json()["problems"]) == 2
        cli = runner.invoke(app, ["meal", "100 g qqq, 2 slices natto", "--db", db_url])
        assert cli.stderr.strip() == f"error: {refused.json()['error']}"

        too_much = client.get("/api/pair", params={"d3": "200000"})
        assert too_much.status_code == 400 and "100,000" in too_much.json()["error"]
        not_a_number = client.get("/api/pair", params={"d3": "lots"})
        assert not_a_number.status_code == 422 and not_a_number.json()["error"].startswith("d3:")
        missing = client.get("/api/meal")
        assert missing.status_code == 422 and missing.json()["code"] == "invalid"
        assert client.get("/api/nowhere").json() == {"error": "no such page", "code": "not_found"}


def test_skipping_unknown_items_lists_them_with_the_reason(db_url: str) -> None:
    with web(db_url) as client:
        # beer: a common drink d3k2db has no K2 figure for (data/not_in_database.csv); qqq: no food
        data = client.get("/api/meal", params={"q": "2 eggs, beer, qqq", "skip_unknown": "true"}).json()
    assert data["partial"] is True and [item["food"] for item in data["items"]] == ["whole egg, raw"]
    assert {item["typed"] for item in data["skipped"]} == {"beer", "qqq"}
    assert all(item["reason"] for item in data["skipped"])


def test_limits(db_url: str) -> None:
    with web(db_url, allow_edits=True) as client:
        long_q = client.get("/api/search", params={"q": "n" * 501})
        assert long_q.status_code == 422 and "500" in long_q.json()["error"]
        very_long = client.get("/api/search", params={"q": "n" * 5000})
        assert very_long.status_code == 414 and very_long.json()["code"] == "uri_too_long"
        big = client.post(
            "/api/foods",
            content=b'{"name": "' + b"x" * 70_000 + b'"}',
            headers={"content-type": "application/json"},
        )
        assert big.status_code == 413 and big.json()["code"] == "too_large"

        def chunks():  # no Content-Length: the guard counts while reading
            for _ in range(20):
                yield b"x" * 8192

        streamed = client.post("/api/foods", content=chunks(), headers={"content-type": "application/json"})
        assert streamed.status_code == 413


def test_security_headers_on_every_route(db_url: str) -> None:
    routes = [
        *SAME_AS_CLI,
        "/api/foods/qqqzzz",
        "/api/openapi.json",
        "/api/nowhere",
        "/static/app.js",
        "/static/style.css",
        "/",
        "/food/natto",
        "/meal",
        "/top",
        "/sources",
        "/nowhere",
    ]
    with web(db_url) as client:
        responses = [client.get(route) for route in routes]
        responses.append(client.post("/api/foods", json={"name": "x", "total_k2": 1}))
        responses.append(client.get("/api/search", params={"q": "n" * 5000}))
    for response in responses:
        assert response.headers["content-security-policy"] == CSP, response.url
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "no-referrer"


def test_openapi_describes_the_api_and_no_cdn_docs_page(db_url: str) -> None:
    with web(db_url) as client:
        spec = client.get("/api/openapi.json").json()
        assert client.get("/docs").status_code == 404 and client.get("/redoc").status_code == 404
    paths = set(spec["paths"])
    assert {
        "/api/search",
        "/api/foods/{name}",
        "/api/meal",
        "/api/pair",
        "/api/top",
        "/api/sources",
        "/api/foods",
    } <= paths
    assert not any(path.startswith("/food/") or path in ("/", "/meal") for path in paths)  # pages are not API
    params = {p["name"] for p in spec["paths"]["/api/meal"]["get"]["parameters"]}
    assert {"q", "d3", "target", "ratio", "skip_unknown"} <= params


def test_read_only_by_default(db_url: str) -> None:
    with web(db_url) as client:
        added = client.post("/api/foods", json={"name": "farm gouda", "total_k2": 70})
        assert added.status_code == 403 and added.json()["code"] == "edits_not_allowed"
        assert "--allow-edits" in added.json()["error"]
        assert client.delete("/api/foods/natto").status_code == 403
        assert client.get("/api/foods/farm gouda").status_code == 404


def test_edits_when_allowed_go_through_the_library(db_url: str, runner: CliRunner) -> None:
    with web(db_url, allow_edits=True) as client:
        added = client.post(
            "/api/foods",
            json={
                "name": "farm gouda",
                "total_k2": 70,
                "tag": "MK-7",
                "serving_g": 30,
                "aliases": ["my gouda"],
            },
        )
        assert added.status_code == 201, added.text
        assert added.json()["is_custom"] is True and added.json()["k2_total"] == 70
        assert client.get("/api/search", params={"q": "my gouda"}).json()["foods"][0]["name"] == "farm gouda"

        again = client.post("/api/foods", json={"name": "farm gouda", "total_k2": 70})
        assert again.status_code == 409 and again.json()["code"] == "name_taken"

        invalid = client.post("/api/foods", json={"name": "bad", "mk7": -5})
        cli = runner.invoke(app, ["add", "bad", "--mk7", "-5", "--db", db_url])
        assert invalid.status_code == 400 and cli.exit_code == 2
        assert cli.stderr.strip() == f"error: {invalid.json()['error']}"  # the same message as the CLI
        unknown_field = client.post("/api/foods", json={"name": "x", "total_k2": 1, "path": "/etc/passwd"})
        assert unknown_field.status_code == 422

        seed = client.delete("/api/foods/natto")
        assert seed.status_code == 403 and seed.json()["code"] == "seed_protected"
        removed = client.delete("/api/foods/farm gouda")
        assert removed.status_code == 200 and removed.json() == {"removed": "farm gouda"}
        assert client.get("/api/foods/farm gouda").status_code == 404


def test_no_stack_trace_reaches_a_response(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals /home/user/db.sqlite")

    with web(db_url) as client:
        monkeypatch.setattr(K2Database, "sources", broken)
        for route in ("/api/sources", "/sources"):
            response = client.get(route)
            assert response.status_code == 500
            assert response.json() == {
                "error": "internal error: the server could not answer this",
                "code": "internal",
            }
            assert response.headers["content-security-policy"] == CSP


def test_list_refused_answers_a_refused_meal_with_200_and_every_problem(
    db_url: str, runner: CliRunner
) -> None:
    with web(db_url) as client:
        plain = client.get("/api/meal", params={"q": "100 g qqq, 2 slices natto"})
        listed = client.get("/api/meal", params={"q": "100 g qqq, 2 slices natto", "list_refused": "true"})
        unit = client.get("/api/meal", params={"q": "2 eggs, 2 slices natto", "list_refused": "true"})
        fine = client.get("/api/meal", params={"q": "2 eggs, qqq", "list_refused": "true"})
    assert plain.status_code == 422  # without the option: the documented status
    assert listed.status_code == 200 and listed.json()["refused"] is True
    assert listed.json()["message"] == plain.json()["error"]
    assert [p["typed"] for p in listed.json()["problems"]] == ["100 g qqq", "2 slices natto"]
    assert all(len(p["reason"]) > 10 for p in listed.json()["problems"])
    # a unit problem: that item refused with what was typed and why, the others counted (issue 19)
    counted = unit.json()
    assert unit.status_code == 200 and "refused" not in counted and counted["partial"] is True
    assert len(counted["items"]) == 1 and [s["typed"] for s in counted["skipped"]] == ["2 slices natto"]
    assert "slice" in counted["skipped"][0]["reason"]
    # an unknown food alone is skipped, as with skip_unknown: the meal JSON of the CLI
    cli = runner.invoke(app, ["meal", "2 eggs, qqq", "--skip-unknown", "--format", "json", "--db", db_url])
    assert fine.status_code == 200 and fine.json() == json.loads(cli.stdout)

"""Checks on the cited seed in data/*.csv (the product). pandas only; no import of d3k2db.

Every rule here is stated in docs/data.md. The representative-measurement and tag rules are
recomputed independently from measurements.csv, not taken from tools/build_data.py.
"""

from __future__ import annotations

import math
import re
from pathlib import Path

import pandas as pd
import pytest

# Names collide exactly when the loader's own key says so.
from d3k2db.domain.text import search_key

DATA = Path(__file__).resolve().parent.parent / "data"

FORMS = ["mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10"]
FIGURES = [*FORMS, "total_k2", "k1", "vitamin_d3"]
CATEGORIES = {
    "dairy",
    "cheese",
    "egg",
    "meat",
    "poultry",
    "organ",
    "fish",
    "fat",
    "fermented_soy",
    "fermented_vegetable",
    "plant",
    "dish",
    "drink",
    "other",
}
MEASUREMENT_COLUMNS = [
    "food",
    "source",
    "locator",
    "url",
    "source_food_name",
    "basis",
    *FIGURES,
    "coverage",
    "counted",
    "same_as",
    "flags",
    "notes",
]
FOOD_COLUMNS = [
    "name",
    "category",
    "tag",
    *FIGURES,
    "serving_g",
    "serving_label",
    "source",
    "locator",
    "url",
    "vitamin_d3_source",
    "measurements",
    "coverage",
    "flags",
    "main_form",
    "independent",
    "agreeing",
    "headline_reason",
    "tag_note",
]
PORTION_COLUMNS = ["food", "unit", "amount", "grams", "description", "source", "locator"]
ALIAS_COLUMNS = ["food", "alias", "lang"]
# Kind of a food whose representative measurement gives only a total (docs/data.md, "Tag rule").
ANIMAL_CATEGORIES = {"dairy", "egg", "meat", "poultry", "organ", "fish", "fat"}
FERMENTED_CATEGORIES = {"cheese", "fermented_soy", "fermented_vegetable"}
FERMENTED_DAIRY_WORDS = (
    "yogurt",
    "yoghurt",
    "kefir",
    "quark",
    "sour cream",
    "crème fraîche",
    "creme fraiche",
    "buttermilk",
    "fermented",
    "ayran",
    "skyr",
)


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False, encoding="utf-8")


@pytest.fixture(scope="module")
def foods() -> pd.DataFrame:
    return read("foods.csv")


@pytest.fixture(scope="module")
def measurements() -> pd.DataFrame:
    return read("measurements.csv")


@pytest.fixture(scope="module")
def portions() -> pd.DataFrame:
    return read("portions.csv")


@pytest.fixture(scope="module")
def aliases() -> pd.DataFrame:
    return read("aliases.csv")


def number(text: str) -> float | None:
    """A published figure: None if empty; raises ValueError if not a finite number."""
    text = text.strip()
    if text == "":
        return None
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def k2_of(row) -> float | None:
    """Sum of the published forms if any form is published, else the published total."""
    forms = [number(row[f]) for f in FORMS]
    published = [v for v in forms if v is not None]
    if published:
        return sum(published)
    return number(row["total_k2"])


# ---------------------------------------------------------------------------------------- structure


@pytest.mark.parametrize(
    "name,columns",
    [
        ("measurements.csv", MEASUREMENT_COLUMNS),
        ("foods.csv", FOOD_COLUMNS),
        ("portions.csv", PORTION_COLUMNS),
        ("aliases.csv", ALIAS_COLUMNS),
    ],
)
def test_columns_exact(name, columns):
    assert list(read(name).columns) == columns


def test_not_empty(foods, measurements, portions, aliases):
    assert len(foods) and len(measurements) and len(portions) and len(aliases)


# ----------------------------------------------------------------------------------------- citations


@pytest.mark.parametrize("name", ["measurements.csv", "foods.csv"])
def test_every_figure_is_cited(name):
    frame = read(name)
    for column in ("source", "locator", "url"):
        empty = frame[frame[column].str.strip() == ""]
        assert empty.empty, f"{name}: empty {column} in rows {empty.index.tolist()[:10]}"


def test_portions_are_cited(portions):
    for column in ("source", "locator", "description"):
        empty = portions[portions[column].str.strip() == ""]
        assert empty.empty, f"portions.csv: empty {column} in rows {empty.index.tolist()[:10]}"


def test_no_duplicate_measurement(measurements):
    dup = measurements[measurements.duplicated(["source", "locator", "source_food_name"], keep=False)]
    assert dup.empty, (
        f"the same published row appears twice: {dup[['food', 'source', 'locator']].values.tolist()}"
    )


# ------------------------------------------------------------------------------------------- figures


@pytest.mark.parametrize("name", ["measurements.csv", "foods.csv"])
def test_figures_numeric_and_not_negative(name):
    frame = read(name)
    problems = []
    for index, row in frame.iterrows():
        for column in FIGURES:
            try:
                value = number(row[column])
            except ValueError:
                problems.append((index, column, row[column]))
                continue
            if value is not None and value < 0:
                problems.append((index, column, row[column]))
    assert not problems, f"{name}: non-numeric or negative figures {problems[:10]}"


def test_every_measurement_has_a_k2_figure(measurements):
    missing = [row["food"] for _, row in measurements.iterrows() if k2_of(row) is None]
    assert not missing, f"measurements without any K2 figure: {missing[:10]}"


@pytest.mark.parametrize("name", ["measurements.csv", "foods.csv"])
def test_published_total_agrees_with_forms(name):
    frame = read(name)
    bad = []
    for _, row in frame.iterrows():
        forms = [number(row[f]) for f in FORMS]
        published = [v for v in forms if v is not None]
        total = number(row["total_k2"])
        if published and total is not None and sum(published) > total + 0.5:
            bad.append((row.iloc[0], sum(published), total))
    assert not bad, f"{name}: sum of forms exceeds the published total: {bad[:10]}"


# --------------------------------------------------------------------------------------------- foods


def test_food_names_unique(foods):
    assert not foods["name"].duplicated().any(), foods[foods["name"].duplicated()]["name"].tolist()
    keys = foods["name"].map(search_key)
    dup = foods[keys.duplicated(keep=False)]["name"].tolist()
    assert not dup, f"names that the CLI cannot tell apart: {dup}"


def test_food_names_lowercase_and_categories(foods):
    bad_case = foods[foods["name"] != foods["name"].str.lower()]["name"].tolist()
    assert not bad_case, f"names not lowercase: {bad_case}"
    bad_cat = foods[~foods["category"].isin(CATEGORIES)][["name", "category"]].values.tolist()
    assert not bad_cat, f"unknown categories: {bad_cat}"


def expected_tag(row) -> str:
    category, name = row["category"], row["name"]
    fermented = category in FERMENTED_CATEGORIES or (
        category == "dairy" and any(word in name for word in FERMENTED_DAIRY_WORDS)
    )
    if fermented:
        return "MK-7"
    if category in ANIMAL_CATEGORIES:
        return "MK-4"
    forms = [number(row[f]) for f in FORMS]
    if all(v is None for v in forms):
        return ""  # neither kind, a total only: no tag
    mk4 = forms[0] or 0.0
    longer = sum(v for v in forms[1:] if v is not None)
    return "MK-4" if mk4 >= longer else "MK-7"


def measured(row) -> list[str]:
    return [f for f in FORMS if row[f].strip() != ""]


def coverage_of(row) -> str:
    forms = measured(row)
    if len(forms) == len(FORMS):
        return "complete"
    return "total" if not forms and row["total_k2"].strip() else "partial"


def main_form_of(rows) -> str:
    """The largest form of the measurement measuring the most forms (more than one), else ''."""
    telling = [r for r in rows if len(measured(r)) > 1 and (k2_of(r) or 0) > 0]
    if not telling:
        return ""
    best = max(telling, key=lambda r: (len(measured(r)), k2_of(r)))
    form = max(measured(best), key=lambda f: number(best[f]) or 0.0)
    return f"MK-{form[2:]}"


def test_tag_rule(foods, measurements):
    """No tag without K2 above 0; else the food's kind, with a note when its largest measured form
    belongs to the other kind (docs/data.md)."""
    bad = []
    for _, row in foods.iterrows():
        ms = [
            m
            for _, m in measurements[measurements["food"] == row["name"]].iterrows()
            if m["counted"] == "yes"
        ]
        kind, main = expected_tag(row), row["main_form"]
        if max((k2_of(m) or 0) for m in ms) == 0:
            expected, note = "", False
        else:
            expected, note = kind, bool(main and kind) and ("MK-4" if main == "MK-4" else "MK-7") != kind
        if row["tag"] != expected or bool(row["tag_note"]) != note:
            bad.append((row["name"], row["tag"], expected, row["tag_note"]))
    assert not bad, f"tag disagrees with the tag rule (name, tag, expected, note): {bad[:10]}"


def test_main_form_is_the_largest_of_the_most_telling_measurement(foods, measurements):
    bad = []
    for _, row in foods.iterrows():
        # every measurement may tell the forms apart, a repeat too (K2viewer's forms of NEVO's total)
        ms = [m for _, m in measurements[measurements["food"] == row["name"]].iterrows()]
        unflagged = [m for m in ms if not m["flags"]]
        expected = main_form_of(unflagged or ms)
        if row["main_form"] != expected:
            bad.append((row["name"], row["main_form"], expected))
    assert not bad, f"main form disagrees (name, main_form, expected): {bad[:10]}"


def test_cheese_shows_its_long_chain_main_form(foods):
    """The tag never hides the measured forms: cheddar's most complete measurement (K2viewer row 51,
    all of MK-4 ... MK-10) is mostly MK-10 (14.3) and MK-9 (12.7)."""
    cheddar = foods[foods["name"] == "cheddar"].iloc[0]
    assert cheddar["main_form"] == "MK-10" and cheddar["tag"] == "MK-7"


def test_measurement_foods_exist_and_every_food_is_measured(foods, measurements):
    names = set(foods["name"])
    orphan = sorted(set(measurements["food"]) - names)
    assert not orphan, f"measurements of foods not in foods.csv: {orphan[:10]}"
    unmeasured = sorted(names - set(measurements["food"]))
    assert not unmeasured, f"foods without measurement: {unmeasured[:10]}"


PUBLICATION_FAMILY = {
    "ANSES Ciqual": "Ciqual",
    "USDA National Nutrient Database": "SR28",
    "USDA SR Legacy": "SR28",
    "USDA FoodData Central Foundation Foods": "FDC Foundation",
    "U.S. Department of Agriculture, Agricultural Research Service, Beltsville": "FDC Foundation",
}


def kind_of(food) -> str | None:
    """docs/data.md, "Kinds of food": animal tissue, bacterially fermented, or neither."""
    if expected_tag(food) == "MK-7" and (
        food["category"] in FERMENTED_CATEGORIES or food["category"] == "dairy"
    ):
        return "fermented"
    return "animal" if food["category"] in ANIMAL_CATEGORIES else None


def stands_whole(m, kind: str | None) -> bool:
    """A measurement standing for the food's whole K2: complete or total; for animal tissue any with
    MK-4; for a fermented food any resolving three forms or more."""
    if coverage_of(m) != "partial":
        return True
    if kind == "animal":
        return m["mk4"].strip() != ""
    return kind == "fermented" and len(measured(m)) >= 3


def rank(m, kind: str | None) -> int:
    """Fermented: complete, then the most forms resolved (three or more), then a total, then fewer
    forms. Others: whole before partial."""
    if kind != "fermented":
        return 0 if stands_whole(m, kind) else 1
    forms = len(measured(m))
    if forms == 7:
        return 0
    if forms >= 3:
        return 7 - forms
    return 7 if coverage_of(m) == "total" else 14 - forms


def publication(source: str) -> str:
    return next(
        (family for prefix, family in PUBLICATION_FAMILY.items() if source.startswith(prefix)), source
    )


def headline_of(ms: list, kind: str | None) -> object:
    """docs/data.md, "Headline rule": counted, unflagged if any, the best covering by the food's kind,
    lower median by (K2, source, locator)."""
    counted = [m for m in ms if m["counted"] == "yes"]
    pool = [m for m in counted if not m["flags"]] or counted
    best = min(rank(m, kind) for m in pool)
    chosen = [m for m in pool if rank(m, kind) == best]
    ordered = sorted(chosen, key=lambda r: (k2_of(r), r["source"], r["locator"]))
    return ordered[(len(ordered) - 1) // 2]


def test_foods_figures_are_the_headline_measurement(foods, measurements):
    """Figures copied verbatim from the one measurement the headline rule picks, never averaged."""
    bad = []
    for _, food in foods.iterrows():
        ms = [m for _, m in measurements[measurements["food"] == food["name"]].iterrows()]
        rep = headline_of(ms, kind_of(food))
        for column in [*FORMS, "total_k2", "k1"]:
            a, b = number(food[column]), number(rep[column])
            if a != b:
                bad.append((food["name"], column, food[column], rep[column]))
        for column in ("source", "locator", "url"):
            if food[column] != rep[column]:
                bad.append((food["name"], column, food[column], rep[column]))
        if food["measurements"] != str(len(ms)):
            bad.append((food["name"], "measurements", food["measurements"], len(ms)))
        if food["independent"] != str(sum(m["counted"] == "yes" for m in ms)):
            bad.append((food["name"], "independent", food["independent"]))
    assert not bad, f"foods.csv disagrees with the headline measurement: {bad[:10]}"


def test_no_value_is_counted_twice(measurements):
    """One measurement per publication and value: two SR28 codes, a Taiwan average row and its own
    sample row giving the same figures count once (the others say which one they repeat); the same
    figure above 0 printed by two publications is one analysis reprinted; every citation stays listed."""
    counted = measurements[measurements["counted"] == "yes"]
    keys = [
        (m["food"], publication(m["source"]), tuple(m[f] for f in FORMS), m["total_k2"])
        for _, m in counted.iterrows()
    ]
    repeated = sorted({key for key in keys if keys.count(key) > 1})
    assert not repeated, f"a value counted twice: {repeated[:5]}"
    reprints = [(m["food"], round(k2_of(m), 6)) for _, m in counted.iterrows() if k2_of(m) > 0]
    assert len(reprints) == len(set(reprints)), "the same figure counted under two publications"
    by_citation = {(m["source"], m["locator"]) for _, m in counted.iterrows()}
    for _, m in measurements[measurements["counted"] == "no"].iterrows():
        source, _, locator = m["same_as"].rpartition(", ")
        assert (source, locator) in by_citation, (m["food"], m["same_as"])
    # the audit's examples, each counted once
    for food, family in (("emmental", "Ciqual"), ("pork liver, raw", "Ciqual"), ("cheddar", "SR28")):
        rows = counted[(counted["food"] == food) & (counted["source"].map(publication) == family)]
        assert len(rows) == 1, (food, family, len(rows))


def test_one_edition_of_a_table_counts(measurements):
    """The current edition replaces the earlier one whatever the values: egg yolk counts Ciqual 2025's
    23.8, not 2020's 32.1, and never both (docs/data.md, "Counted once")."""
    counted = measurements[measurements["counted"] == "yes"]
    ciqual = counted[counted["source"].str.startswith("ANSES Ciqual")]
    both = [food for food, rows in ciqual.groupby("food") if rows["source"].nunique() > 1]
    assert not both, f"two Ciqual editions counted: {both[:5]}"
    for food, rows in measurements[measurements["source"].str.startswith("ANSES Ciqual")].groupby("food"):
        if rows["source"].nunique() > 1:  # both editions listed: the 2025 one counts
            kept = rows[rows["counted"] == "yes"]["source"].tolist()
            assert all("2025" in source for source in kept), (food, kept)
    yolk = counted[(counted["food"] == "egg yolk, raw") & counted["source"].str.startswith("ANSES")]
    assert yolk["total_k2"].tolist() == ["23.8"]


def test_no_partial_headline_where_a_whole_measurement_exists(foods, measurements):
    """A measurement that does not stand for the whole K2 never sets the headline while an unflagged
    one that does exists; the food's coverage is its headline's."""
    bad = []
    for _, food in foods.iterrows():
        kind = kind_of(food)
        ms = measurements[(measurements["food"] == food["name"]) & (measurements["counted"] == "yes")]
        whole = [m for _, m in ms.iterrows() if stands_whole(m, kind) and not m["flags"]]
        if whole and not stands_whole(food, kind):
            bad.append(food["name"])
        if food["coverage"] != coverage_of(food):
            bad.append((food["name"], food["coverage"], coverage_of(food)))
    assert not bad, f"partial headline despite a whole measurement: {bad[:10]}"


def test_mk4_is_the_k2_of_animal_tissue(foods):
    """Whole egg: Ciqual's 5.6 is no longer picked over IFCT 14.61, Taiwan 18.7 and K2viewer 15.1
    because those measured 'MK-4 only': in animal tissue MK-4 is essentially all of the K2."""
    egg = foods[foods["name"] == "whole egg, raw"].iloc[0]
    assert 14 <= k2_of(egg) <= 19, k2_of(egg)
    leg = foods[foods["name"] == "chicken leg, skinless, raw"].iloc[0]
    assert k2_of(leg) >= 24, k2_of(leg)  # Ciqual 34.3, Dunlop 58: not IFCT's 10.78


def test_fermented_foods_prefer_the_measurement_resolving_most_forms(foods):
    """Cheddar: K2viewer's MK-4 … MK-10 (41.7), not NEVO's total or SR28's MK-4; parmesan: K2viewer's
    six forms (8.6), not NEVO's total 76.5; cream cheese: K2viewer's five forms (44.8), not SR28's
    MK-4 8.7."""
    expected = {"cheddar": 41.7, "parmesan": 8.6, "cream cheese": 44.8}
    for name, k2 in expected.items():
        food = foods[foods["name"] == name].iloc[0]
        assert k2_of(food) == pytest.approx(k2), (name, k2_of(food))


def test_a_five_fold_spread_is_marked_uncertain(foods, measurements):
    """docs/data.md, "Disagreement": the counted, comparable measurements (whole ones, and those
    measuring a partial headline's largest form; outliers aside) differing more than 5-fold make
    the food uncertain, with the range in its flags."""
    bad = []
    for _, food in foods.iterrows():
        kind = kind_of(food)
        ms = measurements[(measurements["food"] == food["name"]) & (measurements["counted"] == "yes")]
        top = None
        if not stands_whole(food, kind) and measured(food):
            top = max(measured(food), key=lambda f: number(food[f]) or 0.0)
        values = [
            k2_of(m)
            for _, m in ms.iterrows()
            if "outlier:" not in m["flags"] and (stands_whole(m, kind) or (top and m[top].strip() != ""))
        ]
        expected = len(values) >= 2 and max(values) > 5 * max(min(values), 1.0)
        if expected != ("uncertain:" in food["flags"]):
            bad.append((food["name"], values, food["flags"][:80]))
    assert not bad, bad[:10]
    for name in ("tempeh", "parmesan"):
        assert "uncertain: " in foods[foods["name"] == name].iloc[0]["flags"], name


def test_no_flagged_headline_while_an_unflagged_one_exists(foods, measurements):
    bad = []
    for _, food in foods.iterrows():
        ms = measurements[(measurements["food"] == food["name"]) & (measurements["counted"] == "yes")]
        flags = [f for f in food["flags"].split(" | ") if f and not f.startswith("uncertain: ")]
        if flags and any(not m["flags"] for _, m in ms.iterrows()):
            bad.append(food["name"])
        if not flags and all(m["flags"] for _, m in ms.iterrows()):
            bad.append((food["name"], "every measurement is flagged but the food is not"))
    assert not bad, bad[:10]


FLAG_KINDS = ("doubtful", "outlier", "derived", "other product", "uncertain")
# The audit's doubtful figures (issue 11): each must carry a flag with its reason.
AUDITED_DOUBTS = [
    ("brown tiger prawn", "Longvah", ("other product", "outlier")),
    ("black snapper", "Longvah", ("outlier",)),
    ("mangrove red snapper", "Longvah", ("outlier",)),
    ("chicken skin, raw", "Taiwan", ("doubtful",)),
    ("chicken heart, raw", "Taiwan", ("outlier",)),
    ("duck egg, raw", "Longvah", ("doubtful",)),
    ("wood ear mushroom, dried", "Taiwan", ("doubtful",)),
    ("turmeric powder", "Taiwan", ("doubtful",)),
    ("scrambled egg", "USDA National", ("derived",)),
    ("whole egg, country hen, raw", "Longvah", ("doubtful",)),
    ("omelette, country hen egg", "Longvah", ("doubtful",)),
    ("frikandel, deep-fried", "RIVM", ("derived",)),
    ("sauerkraut, cooked", "RIVM", ("derived",)),
]


@pytest.mark.parametrize(("food", "source", "kinds"), AUDITED_DOUBTS, ids=[a[0] for a in AUDITED_DOUBTS])
def test_doubtful_figures_are_flagged_with_their_reason(measurements, food, source, kinds):
    rows = measurements[(measurements["food"] == food) & measurements["source"].str.startswith(source)]
    assert not rows.empty, (food, source)
    for _, row in rows.iterrows():
        flags = [flag.split(":", 1) for flag in row["flags"].split(" | ") if flag]
        assert {kind for kind, _ in flags} >= set(kinds), (food, row["flags"])
        assert all(kind in FLAG_KINDS and reason.strip() for kind, reason in flags)


def test_flags_are_consistent_between_like_foods(foods):
    """IFCT's rabbit and hare cuts (22-26 µg/100 g each) are judged by the same rule: flagged alike."""
    flagged = {name: bool(flags) for name, flags in zip(foods["name"], foods["flags"], strict=True)}
    cuts = ["shoulder", "chop", "leg"]
    assert {flagged[f"hare {c}"] for c in cuts} == {flagged[f"rabbit {c}"] for c in cuts}


def test_every_flag_has_a_kind_and_a_reason(measurements, foods):
    for frame in (measurements, foods):
        for text in frame["flags"]:
            for flag in filter(None, text.split(" | ")):
                kind, _, reason = flag.partition(": ")
                assert kind in FLAG_KINDS and len(reason) > 10, flag


def test_the_outlier_rule(measurements, foods):
    """docs/data.md: with two or more other comparable measurements of the food, 5-fold off their
    median; a food's only measurement 10-fold above the median figure of its category (both at
    least 1 µg)."""
    import statistics

    counted = measurements[measurements["counted"] == "yes"]
    category = dict(zip(foods["name"], foods["category"], strict=True))
    per_category: dict[str, list[float]] = {}
    kinds = {row["name"]: kind_of(row) for _, row in foods.iterrows()}

    def group(food):  # fermented dairy apart from milk and cream
        return (category[food], kinds[food] == "fermented" and category[food] == "dairy")

    for food, rows in counted.groupby("food"):
        middle = statistics.median(k2_of(r) for _, r in rows.iterrows())
        if middle > 0:  # the median of the group's foods that hold any K2
            per_category.setdefault(group(food), []).append(middle)
    medians = {c: statistics.median(v) for c, v in per_category.items()}

    bad = []
    for food, rows in counted.groupby("food"):

        def kind(r, food=food):
            return ("whole",) if stands_whole(r, kinds[food]) else tuple(measured(r))

        rows = [r for _, r in rows.iterrows()]
        for r in rows:
            value = k2_of(r)
            others = [k2_of(o) for o in rows if o is not r and kind(o) == kind(r)]
            if len(others) >= 2:
                middle = statistics.median(others)
                high, low = max(value, middle), min(value, middle)
                expected = high >= 1 and high >= 5 * max(low, 0.2)
            elif len(rows) > 1:
                expected = False  # left to the 'uncertain' rule
            else:
                g = medians.get(group(food), 0.0)
                expected = value >= 1 and value >= 10 * max(g, 0.1)
            if expected != ("outlier:" in r["flags"]):
                bad.append((food, r["locator"], value, r["flags"][:60]))
    assert not bad, bad[:10]


def test_vitamin_d3_comes_from_an_sr28_measurement(foods, measurements):
    bad = []
    for _, food in foods.iterrows():
        d3, src = food["vitamin_d3"], food["vitamin_d3_source"]
        if d3 == "" and src == "":
            continue
        match = re.fullmatch(r"USDA SR28 \(NDB (\d{5})\)", src)
        if not match or d3 == "":
            bad.append((food["name"], d3, src))
            continue
        ms = measurements[
            (measurements["food"] == food["name"]) & (measurements["locator"] == f"NDB {match[1]}")
        ]
        if ms.empty or number(ms.iloc[0]["vitamin_d3"]) != number(d3):
            bad.append((food["name"], d3, src))
    assert not bad, f"vitamin D3 not traceable to the food's SR28 measurement: {bad[:10]}"


def test_serving_is_one_of_the_portions(foods, portions):
    bad = []
    for _, food in foods.iterrows():
        try:
            grams = number(food["serving_g"])
        except ValueError:
            bad.append((food["name"], food["serving_g"]))
            continue
        if grams is None or grams <= 0:
            bad.append((food["name"], food["serving_g"]))
            continue
        if grams == 100 and food["serving_label"] == "100 g":
            continue
        ps = portions[portions["food"] == food["name"]]
        ok = False
        count, _, unit = food["serving_label"].partition(" ")
        for _, p in ps.iterrows():
            # a published portion, or a half-step of it ('0.5 cup' of tempeh: half SR28's cup)
            per_unit = number(p["grams"]) / number(p["amount"])
            half_steps = number(count) * 2
            published = number(p["grams"]) == grams and number(p["amount"]) == number(count)
            halves = half_steps == int(half_steps) and grams == pytest.approx(per_unit * number(count))
            if p["unit"] == unit and (published or halves):
                ok = True
        if not ok:
            bad.append((food["name"], food["serving_g"], food["serving_label"]))
    assert not bad, f"serving is not one of the food's portions: {bad[:10]}"


# ------------------------------------------------------------------------------------------ portions


def test_portions_belong_to_foods_and_are_positive(foods, portions):
    names = set(foods["name"])
    orphan = sorted(set(portions["food"]) - names)
    assert not orphan, f"portions of unknown foods: {orphan[:10]}"
    bad = []
    for _, p in portions.iterrows():
        for column in ("amount", "grams"):
            try:
                value = number(p[column])
            except ValueError:
                value = None
            if value is None or value <= 0:
                bad.append((p["food"], column, p[column]))
    assert not bad, f"portions with non-positive amount/grams: {bad[:10]}"
    dup = portions[portions.duplicated(["food", "unit"], keep=False)]
    assert dup.empty, f"two portions with the same unit: {dup[['food', 'unit']].values.tolist()[:10]}"


# ------------------------------------------------------------------------------------------- aliases


def test_aliases_unique_and_not_food_names(foods, aliases):
    names = set(foods["name"])
    orphan = sorted(set(aliases["food"]) - names)
    assert not orphan, f"aliases of unknown foods: {orphan[:10]}"
    lower = aliases["alias"].str.casefold()
    dup = aliases[lower.duplicated(keep=False)][["food", "alias"]].values.tolist()
    assert not dup, f"alias shared case-insensitively: {dup[:10]}"
    keys = aliases["alias"].map(search_key)
    dup = aliases[keys.duplicated(keep=False)][["food", "alias"]].values.tolist()
    assert not dup, f"aliases the CLI folds together: {dup[:10]}"
    food_keys = {search_key(n): n for n in names}
    clash = [
        (row["food"], row["alias"], food_keys[search_key(row["alias"])])
        for _, row in aliases.iterrows()
        if search_key(row["alias"]) in food_keys
    ]
    assert not clash, f"alias equal to a food name (food, alias, name): {clash[:10]}"


def test_every_food_has_chinese_names(foods, aliases):
    missing = []
    for name in foods["name"]:
        langs = set(aliases.loc[aliases["food"] == name, "lang"])
        if not ({"zh-Hant", "zh-Hans"} <= langs or "zh" in langs):
            missing.append(name)
    assert not missing, f"foods without Traditional and Simplified Chinese alias: {missing[:10]}"


def test_zh_rows_are_script_neutral(aliases):
    """A 'zh' alias stands for both scripts, so it must not also appear as zh-Hant/zh-Hans."""
    zh = set(aliases.loc[aliases["lang"] == "zh", "alias"])
    other = set(aliases.loc[aliases["lang"].isin(["zh-Hant", "zh-Hans"]), "alias"])
    assert not (zh & other)


def test_foods_known_to_have_no_figure_are_listed_with_the_reason():
    """`search ghee` says there is no published figure (data/no_k2_figure.csv), never 'no match'."""
    listed = read("no_k2_figure.csv")
    names = {search_key(n) for n in read("foods.csv")["name"]} | {
        search_key(a) for a in read("aliases.csv")["alias"]
    }
    assert {"ghee", "cheonggukjang", "jarlsberg"} <= set(listed["term"])
    for _, row in listed.iterrows():
        assert search_key(row["term"]) not in names, row["term"]
        assert row["note"].strip(), row["term"]


@pytest.mark.parametrize(
    ("food", "unit", "grams"),
    [
        ("chicken wing, skinless", "wing", 29.0),  # not the 17 g 'yield from 1 lb ready-to-cook chicken'
        ("chicken thigh meat, with added solution, raw", "thigh", 148.0),  # 'thigh without skin'
        ("whipping cream", "cup", 239.0),  # the fluid cup, not the whipped 120 g
        ("oyster, raw", "medium", 84.0 / 6),
    ],
)
def test_portions_fit_the_food(portions, food, unit, grams):
    rows = portions[(portions["food"] == food) & (portions["unit"] == unit)]
    assert len(rows) == 1, (food, unit)
    row = rows.iloc[0]
    assert float(row["grams"]) / float(row["amount"]) == pytest.approx(grams)
    assert "yield from 1 lb" not in row["description"]


RESEARCH = Path(__file__).resolve().parent.parent.parent / "shared" / "research"


@pytest.mark.skipif(
    not RESEARCH.is_dir(), reason="the reference tables (../shared/research) are not beside this clone"
)
def test_no_research_row_with_a_figure_is_silently_dropped(measurements):
    """Every row of the national tables and FoodData Central with a K2 figure, 0 included, is a
    measurement here or listed in tools/curation/excluded.csv (docs/data.md, "Rows left out")."""
    placed = {(m["source"], m["locator"]) for _, m in measurements.iterrows()}
    excluded = (Path(__file__).resolve().parent.parent / "tools" / "curation" / "excluded.csv").read_text(
        encoding="utf-8"
    )
    national = pd.read_csv(RESEARCH / "k2_national_tables.csv", dtype=str, keep_default_na=False)
    missing = [
        (r["source"][:20], r["locator"], r["source_food_name"])
        for _, r in national.iterrows()
        if any(r[f].strip() for f in [*FORMS, "total_k2"])
        and (r["source"], r["locator"]) not in placed
        and r["locator"] not in excluded
    ]
    fdc = pd.read_csv(RESEARCH / "usda_fdc_foundation_2024_10_mk4.csv", dtype=str, keep_default_na=False)
    missing += [
        ("FDC", r["source_food_code"], r["source_food_name"])
        for _, r in fdc.iterrows()
        if r["mk4_ug_per_100g"].strip() and not any(loc == r["source_food_code"] for _, loc in placed)
    ]
    sr28 = pd.read_csv(RESEARCH / "usda_sr28_vitamin_k.csv", dtype=str, keep_default_na=False)
    missing += [
        ("SR28", r["ndb_no"], r["description"])
        for _, r in sr28.iterrows()
        if r["mk4_ug_per_100g"].strip() and not any(loc == f"NDB {r['ndb_no']}" for _, loc in placed)
    ]
    assert not missing, (
        f"{len(missing)} research rows with a figure neither mapped nor excluded: {missing[:5]}"
    )
    assert len(national) + len(fdc) + len(sr28) > 1500


def test_no_piece_is_weighed_with_its_bone(portions):
    """SR28 weighs a raw wing '1 piece' = 107 g as purchased, bone included; the food's figures are
    per 100 g of meat and skin, so such a piece is no portion of it (docs/data.md, "Edible portion")."""
    wing = portions[(portions["food"] == "chicken wing, raw")]
    assert "piece" not in set(wing["unit"]), wing.values.tolist()
    thigh = portions[portions["food"] == "chicken thigh with skin, with added solution, raw"]
    assert "thigh" not in set(thigh["unit"])


def test_no_portion_is_a_yield_or_of_the_other_skin_state(portions, foods):
    for _, row in portions.iterrows():
        text, name = row["description"].lower(), row["food"]
        assert "yield from 1 lb" not in text, row["food"]
        if "with skin" in name:
            assert "without skin" not in text and "skin removed" not in text, (name, text)
        if "skinless" in name or "meat only" in name:
            assert "with skin" not in text and "meat and skin" not in text, (name, text)


@pytest.mark.parametrize(
    ("food", "label"),
    [
        ("natto", "1 package"),
        ("oyster, raw", "6 medium"),
        ("miso", "1 tbsp"),
        ("sufu", "1 block"),
        ("tempeh", "0.5 cup"),
        ("cottage cheese", "4 oz"),
        ("gouda", "1 oz"),
        ("munster", "1 slice"),
    ],
)
def test_default_servings_are_eaten_portions(foods, portions, food, label):
    """A serving a person eats, cited: never '1 cup' where a piece, pack or count is published."""
    row = foods[foods["name"] == food].iloc[0]
    assert row["serving_label"] == label
    unit = label.split(" ", 1)[1]
    cited = portions[(portions["food"] == food) & (portions["unit"] == unit)]
    assert not cited.empty and cited.iloc[0]["source"].strip()


# ---- issue 19: cited unit fallbacks, the no-K2-expected word list and its rule


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DATA / name, dtype=str, keep_default_na=False)


def test_every_unit_fallback_is_cited_and_applies_to_existing_foods(foods):
    """Each row of unit_fallbacks.csv names its source, locator, url and why; gives one positive
    weight or volume; and applies to `any`, a category that foods have, or foods that exist."""
    names, categories = set(foods["name"]), set(foods["category"])
    fallbacks = _csv("unit_fallbacks.csv")
    assert list(fallbacks.columns) == [
        "unit", "applies_to", "millilitres", "grams", "source", "locator", "url", "note",
    ]  # fmt: skip
    for _, row in fallbacks.iterrows():
        where = (row["unit"], row["applies_to"])
        assert all(row[c].strip() for c in ("unit", "source", "locator", "url", "note")), where
        assert row["url"].startswith("https://"), where
        given = [float(row[c]) for c in ("millilitres", "grams") if row[c]]
        assert len(given) == 1 and given[0] > 0, where
        rule, _sep, unless = row["applies_to"].partition("!")  # '!w|w': except names holding a word
        assert all(w.strip() for w in unless.split("|")) if unless else "!" not in row["applies_to"], where
        kind, _sep, value = rule.partition(":")
        if kind == "category":
            assert value in categories, where
        elif kind == "food":
            assert value and not [n for n in value.split("|") if n not in names], where
        else:
            assert rule == "any", where
        if row["grams"]:  # the cited weight is the one the locator quotes
            assert f"= {float(row['grams']):g} g" in row["locator"].replace(".0 g", " g"), where


def test_every_plan_unit_row_names_foods_that_exist_and_says_why(foods, portions):
    """data/plan_units.csv: a rule naming existing foods, categories or words of names; a unit the
    foods it names publish (or none: not planned); and the reason."""
    names, categories = set(foods["name"]), set(foods["category"])
    rows = _csv("plan_units.csv")
    assert list(rows.columns) == ["applies_to", "unit", "note"]
    for _, row in rows.iterrows():
        where = row["applies_to"]
        assert len(row["note"]) > 40, where
        rule, _sep, unless = row["applies_to"].partition("!")
        kind, _sep, value = rule.partition(":")
        values = value.split("|")
        if kind == "food":
            assert not [n for n in values if n not in names], where
            for name in values if row["unit"] else ():
                assert row["unit"] in set(portions[portions["food"] == name]["unit"]), where
        elif kind == "category":
            assert not [c for c in values if c not in categories], where
        else:
            assert kind == "word" and all(values), where
            assert any(any(f" {w} " in f" {n.replace(',', ' ')} " for w in values) for n in names), where
        assert not unless or all(unless.split("|")), where


@pytest.mark.parametrize(
    ("unit", "food", "grams"),
    [
        ("cup", "kefir", 245),  # SR28 NDB 01088 cultured buttermilk, 1 cup = 245 g
        ("cup", "yogurt drink", 245),
        ("cup", "whole milk, lactose-free", 244),  # NDB 01077 whole milk, 1 cup = 244 g
        ("cup", "semi-skimmed milk, lactose-free", 244),  # NDB 01079 2 % milk
        ("cup", "oat milk, unsweetened", 240),  # NDB 14639 rice milk, 8 fl oz = 240 g
        ("tbsp", "parmesan", 5),  # NDB 01032 grated parmesan, 1 tbsp = 5.0 g
        ("slice", "pizza, margherita", 69),  # NDB 21505 thin-crust cheese pizza, 1 slice = 69 g
        ("slice", "pork roast, cooked", 28),  # NDB 10182 ham slice (1 oz) = 28 g
    ],
)
def test_everyday_units_have_their_cited_fallback(foods, unit, food, grams):
    fallbacks = _csv("unit_fallbacks.csv")
    category = foods[foods["name"] == food].iloc[0]["category"]
    found = [
        float(r["grams"])
        for _, r in fallbacks.iterrows()
        if r["unit"] == unit
        and (
            r["applies_to"] == "any"
            or r["applies_to"].split("!")[0] == f"category:{category}"
            or (r["applies_to"].startswith("food:") and food in r["applies_to"][5:].split("|"))
        )
    ]
    assert found[:1] == [grams]


def test_a_piece_of_fish_has_a_cited_weight(foods):
    fallbacks = _csv("unit_fallbacks.csv")
    row = fallbacks[(fallbacks["unit"] == "piece") & fallbacks["applies_to"].str.startswith("category:fish!")]
    assert len(row) == 1 and float(row.iloc[0]["grams"]) == 136  # SR28 NDB 15110 raw swordfish piece
    assert "NDB 15110" in row.iloc[0]["locator"]


@pytest.mark.parametrize(
    ("food", "unit", "amount", "grams", "ndb"),
    [
        ("parmesan", "package", 1, 142, "01033"),  # SR28: "package (5 oz)" = 142 g, ONE package
        ("bacon, raw", "slice raw", 1, 28, "10123"),
        ("bacon, raw", "package", 1, 442, "10123"),
        ("bread, wheat", "slice", 1, 29, "18064"),
        ("cheeseburger, fast food", "sandwich", 1, 91, "21089"),
        ("tofu, silken", "block", 0.25, 116, "16127"),
    ],
)
def test_household_measures_of_the_same_sr28_food(portions, food, unit, amount, grams, ndb):
    row = portions[(portions["food"] == food) & (portions["unit"] == unit)]
    assert len(row) == 1, (food, unit)
    assert (float(row.iloc[0]["amount"]), float(row.iloc[0]["grams"])) == (amount, grams)
    assert row.iloc[0]["source"] == f"USDA SR28 (NDB {ndb})"


def test_no_k2_expected_terms_are_not_foods_aliases_or_generic_words(foods, aliases):
    """The data wins: a word the tables measure is a food, alias or generic word, never a rule word;
    nor is it refused as not in d3k2db or as having no figure."""
    terms = _csv("no_k2_expected.csv")
    assert list(terms.columns) == ["term", "lang", "kind", "note"]
    known = {search_key(n) for n in foods["name"]} | {search_key(a) for a in aliases["alias"]}
    known |= {search_key(t) for t in _csv("generic_foods.csv")["term"]}
    refused = {search_key(t) for t in _csv("not_in_database.csv")["term"]}
    refused |= {search_key(t) for t in _csv("no_k2_figure.csv")["term"]}
    keys = [search_key(t) for t in terms["term"]]
    assert all(keys)
    assert not [t for t, k in zip(terms["term"], keys, strict=True) if k in known]
    assert not [t for t, k in zip(terms["term"], keys, strict=True) if k in refused]
    assert not terms.duplicated(["term", "lang"]).any()
    assert set(terms["kind"]) == {"plant", "drink"}
    assert set(terms["lang"]) == {"en", "fr", "nl", "zh-Hant", "zh-Hans"}
    assert all(terms["note"].str.strip())
    for word in ("water", "sparkling water", "mineral water", "herbal tea", "水", "礦泉水", "矿泉水"):
        assert word in set(terms["term"]), word
    for measured in ("coffee", "tea", "rice", "bread", "kimchi", "vinegar", "beer", "醋"):
        assert measured not in set(terms["term"]), measured


def test_no_k2_expected_words_have_both_chinese_scripts():
    """Every Chinese word has its Traditional and its Simplified spelling, paired by the English gloss."""
    terms = _csv("no_k2_expected.csv")
    hant = terms[terms["lang"] == "zh-Hant"]
    hans = terms[terms["lang"] == "zh-Hans"]
    assert len(hant) > 0 and len(hans) > 0
    assert set(zip(hant["note"], hant["kind"], strict=True)) == set(
        zip(hans["note"], hans["kind"], strict=True)
    )
    assert not [t for t in hant["term"] if re.search(r"[A-Za-z]", t)]
    assert not [t for t in hans["term"] if re.search(r"[A-Za-z]", t)]


def test_the_no_k2_expected_rule_is_cited_once():
    sources = _csv("sources.csv")
    rule = sources[sources["citation"].str.startswith("Booth SL 2012")]
    assert len(rule) == 1
    row = rule.iloc[0]
    assert row["publisher_url"] == "https://doi.org/10.3402/fnr.v56i0.5505"
    assert "Food Nutr Res 2012;56:5505" in row["citation"]
    assert "bacterial production" in row["notes"]
    measurements = _csv("measurements.csv")
    assert not (measurements["source"] == row["citation"]).any()  # a rule, not a measurement

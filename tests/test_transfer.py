"""CSV/JSON export and CSV import through the library: exact round trips, spreadsheet dialects,
formula neutralisation, and errors that name file, line and column while writing nothing."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import text

from d3k2db import K2Database
from d3k2db.domain.records import FoodSpec
from d3k2db.errors import SeedError
from d3k2db.exchange.custom import add_alias, add_food
from d3k2db.exchange.export import (
    EXPORT_COLUMNS,
    export_csv,
    export_json,
    export_rows,
    neutralize,
    unneutralize,
)
from d3k2db.exchange.seed import load_seed
from d3k2db.exchange.transfer import import_csv
from d3k2db.storage.engine import make_engine, upgrade_schema
from tests import published
from tests.test_custom import dump

HEADER = ",".join(EXPORT_COLUMNS)

NATTO = published.food("natto")  # the seed row, as published in data/foods.csv


def natto_forms(mk7: str) -> str:
    """The cells mk4 … mk10 of natto's seed row, with ``mk7`` in place of its MK-7."""
    return ",".join(mk7 if form == "mk7" else NATTO[form] for form in published.FORMS)


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def add_mine(engine) -> None:  # type: ignore[no-untyped-def]
    """Two custom foods with awkward text, and a custom alias on a seed food."""
    add_food(
        engine,
        FoodSpec.of(
            "=HYPERLINK(evil) cheese",
            mk7=0.1 + 0.2,  # 0.30000000000000004: only repr keeps it exact
            mk9=12.345678901234567,
            k1=1e-05,
            category="cheese",
            tag="MK-7",
            serving_g=28.349523125,
            serving_label="1 slice",
            aliases=["-dash cheese", "@home cheese", "Fromage d'été"],
            source="My own lab, 2024",
            url="https://example.org/lab",
            locator="sample 7",
        ),
    )
    add_food(engine, FoodSpec.of("grass-fed butter", mk4=21.0, vitamin_d3=1.5, total_k2=25.0, serving_g=14.2))
    add_alias(engine, "natto", "sticky beans")


def export_text(engine, **options) -> str:  # type: ignore[no-untyped-def]
    stream = io.StringIO()
    export_csv(engine, stream, **options)
    return stream.getvalue()


def write(path: Path, header: str, rows: list[str], *, encoding: str = "utf-8") -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding=encoding, newline="")
    return path


def line(delimiter: str = ",", **cells: str) -> str:
    """One CSV line in the export layout; cells not given are empty."""
    unknown = set(cells) - set(EXPORT_COLUMNS)
    assert not unknown, unknown
    stream = io.StringIO()
    csv.writer(stream, delimiter=delimiter, lineterminator="").writerow(
        [cells.get(c, "") for c in EXPORT_COLUMNS]
    )
    return stream.getvalue()


def food_columns(url: str) -> list[tuple]:
    """The foods table without ids (and the columns the CSV does not carry), with citations."""
    engine = make_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT f.name, f.search_key, f.category, f.tag, f.mk4, f.mk5, f.mk6, f.mk7, f.mk8, f.mk9,"
                " f.mk10, f.total_k2_published, f.k1, f.vitamin_d3, f.k2_total, f.serving_g,"
                " f.serving_label, f.locator, f.is_custom, s.citation, s.url"
                " FROM foods f LEFT JOIN sources s ON s.id = f.source_id ORDER BY f.name"
            )
        ).all()
        aliases = connection.execute(
            text("SELECT f.name, a.alias, a.search_key FROM aliases a JOIN foods f ON f.id = a.food_id")
        ).all()
    engine.dispose()
    return [tuple(r) for r in rows] + sorted(tuple(r) for r in aliases)


# --- export ----------------------------------------------------------------------------------------


def test_export_has_the_documented_columns_and_every_food(engine) -> None:
    add_mine(engine)
    lines = export_text(engine).splitlines()
    assert lines[0] == HEADER
    rows = list(csv.DictReader(io.StringIO(export_text(engine))))
    assert len(rows) == len(export_rows(engine)) == len(lines) - 1
    natto = next(r for r in rows if r["name"] == "natto")
    assert natto["custom"] == "no"
    assert float(natto["mk7"]) == float(published.food("natto")["mk7"])
    assert "sticky beans" in natto["aliases"].split(" | ")
    butter = next(r for r in rows if r["name"] == "grass-fed butter")
    assert (butter["custom"], butter["source"], butter["serving_label"]) == ("yes", "user-entered", "14.2 g")
    assert (butter["total_k2"], butter["mk5"]) == ("25.0", "")


def test_custom_only_export(engine) -> None:
    add_mine(engine)
    names = [row["name"] for row in export_rows(engine, custom_only=True)]
    assert names == ["=HYPERLINK(evil) cheese", "grass-fed butter"]


def test_formula_cells_are_neutralised_in_csv_but_not_in_json(engine, tmp_path: Path) -> None:
    add_mine(engine)
    row = next(csv.reader(io.StringIO(export_text(engine, custom_only=True).splitlines()[1])))
    assert row[0] == "'=HYPERLINK(evil) cheese"
    assert row[EXPORT_COLUMNS.index("aliases")] == "'-dash cheese | @home cheese | Fromage d'été"
    assert row[EXPORT_COLUMNS.index("mk7")] == "0.30000000000000004"
    export_json(engine, tmp_path / "foods.json", custom_only=True)
    document = json.loads((tmp_path / "foods.json").read_text(encoding="utf-8"))
    assert document["count"] == 2
    first = document["foods"][0]
    assert first["name"] == "=HYPERLINK(evil) cheese"
    assert first["aliases"] == ["-dash cheese", "@home cheese", "Fromage d'été"]
    assert first["mk7"] == 0.1 + 0.2 and first["mk4"] is None and first["custom"] is True


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("=1+2", "'=1+2"),
        ("+33 6", "'+33 6"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("\rcmd", "'\rcmd"),
        ("'=already quoted", "''=already quoted"),
        ("plain", "plain"),
        ("it's", "it's"),
        ("'quoted'", "'quoted'"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralize(cell: str, shown: str) -> None:
    assert neutralize(cell) == shown
    assert unneutralize(shown) == cell


@given(st.text())
def test_neutralize_round_trips_any_text(cell: str) -> None:
    assert unneutralize(neutralize(cell)) == cell
    assert not neutralize(cell).startswith(("=", "+", "-", "@", "\t", "\r"))


# --- round trips -----------------------------------------------------------------------------------


def test_export_import_into_an_empty_database_reproduces_every_food(
    engine, db_url: str, empty_db_url: str, tmp_path: Path
) -> None:
    add_mine(engine)
    exported = tmp_path / "all.csv"
    export_csv(engine, exported)

    empty = make_engine(empty_db_url)
    upgrade_schema(empty)  # migrated, no seed
    report = import_csv(empty, exported)
    assert len(report.added) == len(export_rows(engine)) and not report.updated and not report.unchanged
    again = tmp_path / "again.csv"
    export_csv(empty, again)
    assert again.read_bytes() == exported.read_bytes()
    assert food_columns(empty_db_url) == food_columns(db_url)

    before = dump(empty_db_url)
    report = import_csv(empty, exported)  # a second import changes nothing
    assert len(report.unchanged) == len(export_rows(engine)) and not report.added and not report.updated
    assert dump(empty_db_url) == before
    empty.dispose()


def test_reimporting_a_whole_export_into_the_same_database_changes_nothing(
    engine, db_url: str, tmp_path: Path
) -> None:
    add_mine(engine)
    exported = tmp_path / "all.csv"
    export_csv(engine, exported, bom=True, delimiter=";")
    before = dump(db_url)
    report = import_csv(engine, exported)
    assert not report.added and not report.updated
    assert len(report.unchanged) == len(export_rows(engine))
    assert dump(db_url) == before


def test_custom_foods_move_to_another_seeded_database(
    engine, db_url: str, tmp_path: Path, seeded_template: Path
) -> None:
    add_mine(engine)
    mine = tmp_path / "mine.csv"
    export_csv(engine, mine, custom_only=True)
    other_path = tmp_path / "other.sqlite"
    other_path.write_bytes(seeded_template.read_bytes())
    other = make_engine(f"sqlite:///{other_path}")
    report = import_csv(other, mine)
    assert report.added == ["=HYPERLINK(evil) cheese", "grass-fed butter"]
    assert export_text(other, custom_only=True) == export_text(engine, custom_only=True)
    with K2Database(f"sqlite:///{other_path}") as db:
        cheese = db.show("@home cheese")
        assert cheese.is_custom and [(p.unit, p.grams) for p in cheese.portions] == [("slice", 28.349523125)]
        assert db.meal(["2 slices @home cheese"]).items[0].grams == pytest.approx(56.69904625)
    other.dispose()


# --- updating and the seed -------------------------------------------------------------------------


def test_a_changed_row_updates_a_custom_food(engine, db_url: str, tmp_path: Path) -> None:
    add_food(
        engine,
        FoodSpec.of("my kefir", mk7=3.0, aliases=["kefir maison"], serving_g=250, serving_label="1 cup"),
    )
    path = write(
        tmp_path / "mine.csv",
        "name,mk7,mk9,serving_g,serving_label,aliases,category",
        ["My Kefir,3.5,0.5,200,1 glass,kefir de la ferme | kefir maison,dairy", "new food,1.0,,,,,"],
    )
    dry = import_csv(engine, path, dry_run=True)
    report = import_csv(engine, path)
    assert (report.added, report.updated, report.unchanged) == (["new food"], ["My Kefir"], [])
    assert (dry.added, dry.updated, dry.dry_run, report.dry_run) == (
        report.added,
        report.updated,
        True,
        False,
    )
    with K2Database(db_url) as db:
        kefir = db.show("kefir de la ferme")
        assert (kefir.name, kefir.forms["mk7"], kefir.forms["mk9"], kefir.k2_total) == (
            "My Kefir",
            3.5,
            0.5,
            4.0,
        )
        assert (kefir.serving_g, kefir.serving_label, kefir.category) == (200, "1 glass", "dairy")
        assert [(p.unit, p.grams) for p in kefir.portions] == [("glass", 200.0)]  # the old cup is gone
        assert [m.k2_total for m in kefir.measurements] == [4.0]
        assert kefir.aliases == ["kefir de la ferme", "kefir maison"]
        new = db.show("new food")
        assert (new.category, new.tag, new.serving_label, new.is_custom) == ("custom", "MK-7", "100 g", True)


def test_empty_default_cells_keep_the_current_values(engine, db_url: str, tmp_path: Path) -> None:
    add_food(
        engine,
        FoodSpec.of(
            "aged cheese", total_k2=50.0, tag="MK-7", category="cheese", serving_g=30, serving_label="1 slice"
        ),
    )
    path = write(
        tmp_path / "mine.csv", "name,total_k2,tag,category,serving_g,serving_label", ["aged cheese,60,,,,"]
    )
    assert import_csv(engine, path).updated == ["aged cheese"]
    with K2Database(db_url) as db:
        cheese = db.show("aged cheese")
        assert (cheese.tag, cheese.category, cheese.serving_label, cheese.k2_total) == (
            "MK-7",
            "cheese",
            "1 slice",
            60,
        )


def test_a_row_may_add_custom_aliases_to_a_seed_food(engine, db_url: str, tmp_path: Path) -> None:
    natto = next(r for r in export_rows(engine) if r["name"] == "natto")
    path = tmp_path / "natto.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXPORT_COLUMNS)
        cells = [natto[c] for c in EXPORT_COLUMNS]
        cells[EXPORT_COLUMNS.index("aliases")] = " | ".join([*natto["aliases"], "sticky beans"])
        cells[EXPORT_COLUMNS.index("custom")] = "no"
        writer.writerow(["" if c is None else repr(c) if isinstance(c, float) else str(c) for c in cells])
    assert import_csv(engine, path).updated == ["natto"]
    assert import_csv(engine, path).unchanged == ["natto"]
    load_seed(engine)  # a seed refresh keeps it: it is the user's alias
    with K2Database(db_url) as db:
        assert db.search("sticky beans")[0].name == "natto"


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            f"natto,fermented_soy,MK-7,{natto_forms('900.0')},,,,{NATTO['serving_g']},{NATTO['serving_label']},,"
            f'"{NATTO["source"]}",{NATTO["locator"]},,no',
            "mine.csv line 2, column mk7: 'natto' is a seed food and the seed says "
            f"{float(NATTO['mk7'])}, not 900.0",
        ),
        (
            f"natto,fermented_soy,MK-7,{natto_forms(NATTO['mk7'])},,,,{NATTO['serving_g']},{NATTO['serving_label']},,"
            f'"{NATTO["source"]}",{NATTO["locator"]},,yes',
            "mine.csv line 2, column name: 'natto' is a seed food; the seed cannot be edited",
        ),
        (
            "natto beans,,,,,,5,,,,,,,,,,,,,",
            "mine.csv line 2, column name: 'natto beans' is taken: it is an alias of the food 'natto'",
        ),
        (
            "my natto,,,,,,5,,,,,,,,,Butter,,,,",
            "mine.csv line 2, column aliases: 'Butter' is taken by the food 'butter'",
        ),
        (
            "my natto,,,,,,5,,,,,,,,,salted butter,,,,",
            "mine.csv line 2, column aliases: 'salted butter' is taken by the food 'butter'",
        ),
    ],
)
def test_rows_that_would_edit_the_seed_are_refused(
    engine, db_url: str, tmp_path: Path, row: str, message: str
) -> None:
    path = write(tmp_path / "mine.csv", HEADER, [row])
    before = dump(db_url)
    with pytest.raises(SeedError) as error:
        import_csv(engine, path)
    assert message in str(error.value)
    assert dump(db_url) == before


# --- errors that name the line and the column -------------------------------------------------------


def bad_cell_file(path: Path) -> Path:
    """10,000 lines: header + 9,999 foods, the last but one (line 9,999) with a bad number."""
    rows = [
        line(name=f"food {n}", tag="MK-7", mk7=f"{n % 97}.5", serving_g="30", custom="yes")
        for n in range(2, 10_001)
    ]
    rows[9_999 - 2] = line(name="food 9999", tag="MK-7", mk7="1.2.3", serving_g="30", custom="yes")
    return write(path, HEADER, rows)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (bad_cell_file, "mine.csv line 9999, column mk7: '1.2.3' is not a number"),
        (
            lambda p: write(p, HEADER.replace("name,", "nom,"), ["x,,,,,,5,,,,,,,,,,,,,"]),
            "mine.csv: missing column(s) name",
        ),
        (
            lambda p: write(p, "name,category", ["x,cheese"]),
            "mine.csv: missing column(s): at least one of mk4",
        ),
        (
            lambda p: write(p, "name,mk7", ["a,1", "b,2,3", "c,4"]),
            "mine.csv line 3: 3 cells where the header has 2",
        ),
        (
            lambda p: write(p, "name,mk7,k1", ["a,1,2", "b,2"]),
            "mine.csv line 3: 2 cells where the header has 3",
        ),
        (
            # the row starts on line 4 (a quoted line break does not shift it); a name is plain text
            lambda p: write(p, "name,mk7", ["a,1", "", '"b\nc",x']),
            "mine.csv line 4, column name: character 2 is U+000A (LF, a control character)",
        ),
        (
            lambda p: write(p, "name,mk7", ["a,1", "A,2"]),
            "mine.csv line 3, column name: 'A' duplicates the name on line 2",
        ),
        (
            lambda p: write(p, "name,mk7", ["a,-1"]),
            "mine.csv line 2, column mk7: '-1' must be a finite number ≥ 0",
        ),
        (
            lambda p: write(p, "name,mk7", ["a,nan"]),
            "mine.csv line 2, column mk7: 'nan' must be a finite number ≥ 0",
        ),
        (lambda p: write(p, "name,mk7,k1", ["a,,3"]), "mine.csv line 2, column total_k2: no K2 figure"),
        (
            lambda p: write(p, "name,mk7,serving_g", ["a,1,0"]),
            "mine.csv line 2, column serving_g: must be greater",
        ),
        (
            lambda p: write(p, "name,mk7,tag", ["a,1,MK-9"]),
            "mine.csv line 2, column tag: 'MK-9' is not MK-4, MK-7 or empty",
        ),
        (
            lambda p: write(p, "name,mk7,custom", ["a,1,maybe"]),
            "mine.csv line 2, column custom: 'maybe' is not yes",
        ),
        (
            lambda p: write(p, "name,mk7,aliases", ["a,1,b", "b,2,"]),
            "mine.csv line 3, column name: 'b' is an alias on line 2",
        ),
        (
            lambda p: write(p, "name,mk7,aliases", ["a,1,", "b,2,A"]),
            "mine.csv line 3, column aliases: 'A' is the name on line 2",
        ),
        (
            lambda p: write(p, "name,mk7,aliases", ["a,1,x", "b,2,X"]),
            "mine.csv line 3, column aliases: 'X' is already an alias on line 2",
        ),
        (
            lambda p: write(p, "name,mk7,source,url", ["a,1,lab,http://a", "b,1,lab,http://b"]),
            "mine.csv line 3, column url: the source 'lab' has the URL http://a on line 2",
        ),
        (lambda p: write(p, "name,mk7,mk7", ["a,1,2"]), "mine.csv: column mk7 appears twice"),
        (lambda p: write(p, "hello;world", ["1;2"]), "mine.csv: line 1 is not a header of known columns"),
        (lambda p: (p.write_bytes(b""), p)[1], "mine.csv: the file is empty"),
        (
            lambda p: (p.write_bytes(b"name,mk7\na\x81\x8d,1\n"), p)[1],
            "mine.csv: neither UTF-8 nor Windows-1252",
        ),
        (lambda p: p.parent / "missing.csv", "missing.csv: file not found"),
    ],
)
def test_a_bad_file_is_refused_naming_line_and_column_and_nothing_is_written(
    engine, db_url: str, tmp_path: Path, make, message: str
) -> None:  # type: ignore[no-untyped-def]
    path = make(tmp_path / "mine.csv")
    before = dump(db_url)
    with pytest.raises(SeedError) as error:
        import_csv(engine, path)
    assert message in str(error.value)
    with pytest.raises(SeedError):
        import_csv(engine, path, dry_run=True)
    assert dump(db_url) == before


def test_an_existing_source_keeps_its_url(engine, db_url: str, tmp_path: Path) -> None:
    citation = next(r["source"] for r in export_rows(engine) if r["name"] == "natto")
    path = write(
        tmp_path / "mine.csv", "name,mk7,source,url", [f'mine,1,"{citation}",https://elsewhere.example']
    )
    before = dump(db_url)
    with pytest.raises(SeedError, match=r"mine\.csv line 2, column url: the source .* already has the URL"):
        import_csv(engine, path)
    assert dump(db_url) == before


# --- spreadsheet dialects --------------------------------------------------------------------------


def test_a_windows_1252_file_with_accents(engine, db_url: str, tmp_path: Path) -> None:
    path = write(
        tmp_path / "excel.csv",
        "name,mk7,aliases",
        ["Fromage affiné,12.5,crème fraîche maison"],
        encoding="cp1252",
    )
    assert path.read_bytes().count(b"\xe9") == 1  # é as one cp1252 byte: not UTF-8
    assert import_csv(engine, path).added == ["Fromage affiné"]
    with K2Database(db_url) as db:
        assert db.search("creme fraiche maison")[0].name == "Fromage affiné"


def test_a_utf8_file_with_a_byte_order_mark(engine, db_url: str, tmp_path: Path) -> None:
    path = write(tmp_path / "bom.csv", "name,mk7", ["納豆 maison,900"], encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert import_csv(engine, path).added == ["納豆 maison"]


def test_a_semicolon_file_with_decimal_commas_from_european_excel(
    engine, db_url: str, tmp_path: Path
) -> None:
    cells = {"name": "Boerenkaas", "category": "cheese", "mk4": "8,5", "mk7": "41,25", "serving_g": "30"}
    rows = [line(";", **cells, serving_label="1 plak", aliases="jong | belegen", custom="ja")]
    path = write(tmp_path / "excel.csv", HEADER.replace(",", ";"), rows, encoding="cp1252")
    with pytest.raises(SeedError, match="line 2, column custom: 'ja' is not yes or no"):
        import_csv(engine, path)
    write(path, HEADER.replace(",", ";"), [rows[0].replace(";ja", ";yes")], encoding="cp1252")
    assert import_csv(engine, path).added == ["Boerenkaas"]
    with K2Database(db_url) as db:
        cheese = db.show("belegen")
        assert (cheese.forms["mk4"], cheese.forms["mk7"], cheese.k2_total) == (8.5, 41.25, 49.75)
        assert [(p.unit, p.grams) for p in cheese.portions] == [("plak", 30.0)]


def test_a_tab_separated_utf16_file(engine, tmp_path: Path) -> None:
    path = tmp_path / "unicode.txt"
    path.write_text("name\tmk4\r\nleverworst\t9.5\r\n", encoding="utf-16")
    assert import_csv(engine, path).added == ["leverworst"]


def test_unknown_columns_are_reported_and_blank_lines_skipped(engine, tmp_path: Path) -> None:
    path = write(tmp_path / "mine.csv", "name,mk7,My notes", ["a,1,bought at the market", "", ",,", "b,2,"])
    report = import_csv(engine, path)
    assert (report.added, report.ignored_columns) == (["a", "b"], ["My notes"])


def test_dry_run_writes_nothing(engine, db_url: str, tmp_path: Path) -> None:
    add_mine(engine)
    exported = tmp_path / "mine.csv"
    export_csv(engine, exported, custom_only=True)
    exported.write_text(exported.read_text(encoding="utf-8").replace("21.0", "22.0"), encoding="utf-8")
    write(tmp_path / "new.csv", "name,mk4", ["brand new,1"])
    before = dump(db_url)
    report = import_csv(engine, exported, dry_run=True)
    assert (report.updated, report.unchanged, report.dry_run) == (
        ["grass-fed butter"],
        ["=HYPERLINK(evil) cheese"],
        True,
    )
    assert import_csv(engine, tmp_path / "new.csv", dry_run=True).added == ["brand new"]
    assert dump(db_url) == before

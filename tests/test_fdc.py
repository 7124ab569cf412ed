"""FoodData Central import through the library, on small downloads in FDC's exact CSV layout."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import pytest

from d3k2db import K2Database
from d3k2db.errors import SeedError
from d3k2db.exchange.custom import remove_food
from d3k2db.exchange.fdc import import_fdc, stream
from d3k2db.exchange.seed import load_seed
from d3k2db.storage.engine import make_engine
from tests import fdc_fixtures as fx
from tests import published
from tests.test_custom import dump

SR = "USDA FoodData Central — SR Legacy"


@pytest.fixture
def engine(db_url: str):  # type: ignore[no-untyped-def]
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture(params=["folder", "zip"])
def sr_legacy(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    folder = fx.write_download(tmp_path / "sr_legacy", fx.SR_LEGACY)
    return folder if request.param == "folder" else fx.zip_download(folder, tmp_path / "sr_legacy.zip")


def test_sr_legacy_foods_with_mk4_are_imported_with_figures_and_portions(
    engine, db_url: str, sr_legacy: Path
) -> None:
    report = import_fdc(engine, sr_legacy, progress=False)
    assert sorted(report.added) == [
        "Butter, salted",
        "Chicken, broilers or fryers, liver, all classes, raw",
        "Egg, whole, raw, fresh",
        "Natto (FDC 172443)",  # 'Natto' is a seed food's name
    ]
    assert (report.updated, report.unchanged, report.skipped) == ([], [], [])
    assert (report.rows_read, report.foods_with_mk4) == (sum(len(f.nutrients) for f in fx.SR_LEGACY), 4)
    with K2Database(db_url) as db:
        egg = db.show("Egg, whole, raw, fresh")
        assert (egg.is_custom, egg.tag, egg.category) == (True, "MK-4", "dairy_and_egg_products")
        assert (egg.forms["mk4"], egg.forms["mk7"], egg.k2_total, egg.k1, egg.vitamin_d3) == (
            5.6,
            None,
            5.6,
            0.3,
            2.0,
        )
        assert (egg.source, egg.url, egg.locator) == (SR, "https://fdc.nal.usda.gov/", "fdc_id 171287")
        assert egg.notes == "dihydrophylloquinone 0.1 µg/100 g (FDC nutrient 429)"
        assert (egg.serving_g, egg.serving_label) == (50.0, "1 large")
        assert [(p.unit, p.amount, p.grams) for p in egg.portions] == [
            ("large", 1.0, 50.0),
            ("extra large", 1.0, 56.0),
            ("cup (4.86 large eggs)", 1.0, 243.0),
            ("medium", 1.0, 44.0),
        ]
        assert egg.portions[0].source == SR
        assert [(m.source, m.locator, m.source_food_name) for m in egg.measurements] == [
            (SR, "fdc_id 171287", "Egg, whole, raw, fresh")
        ]
        assert db.show("natto").forms["mk7"] == float(published.food("natto")["mk7"])  # the seed is untouched
        assert db.show("Natto (FDC 172443)").forms["mk4"] == 0.0  # measured, not detected
        # no MK-4: left out; 'Spinach, raw' is the seed's own spinach (a plant food, K2 measured 0)
        spinach = db.show("Spinach, raw")
        assert (spinach.name, spinach.is_custom) == ("spinach, raw", False)
        assert "fdc_id 168462" not in {m.locator for m in spinach.measurements}
        assert len(spinach.measurements) == int(published.food("spinach, raw")["measurements"])


def test_imported_foods_are_searchable_and_usable_in_a_meal_at_once(
    engine, db_url: str, sr_legacy: Path
) -> None:
    import_fdc(engine, sr_legacy, progress=False)
    with K2Database(db_url) as db:
        assert db.search("butter salted")[0].name == "Butter, salted"
        assert "Chicken, broilers or fryers, liver, all classes, raw" in [
            f.name for f in db.search("broilers")
        ]
        meal = db.meal(["2 tbsp butter salted"])
        assert meal.items[0].grams == pytest.approx(28.4)
        assert meal.k2 == pytest.approx(15.0 * 0.284)
        assert db.meal(["1 large egg whole raw fresh"]).items[0].grams == 50


def test_reimport_is_idempotent_and_updates_what_changed(engine, db_url: str, tmp_path: Path) -> None:
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY)
    import_fdc(engine, folder, progress=False)
    before = dump(db_url)
    again = import_fdc(engine, folder, progress=False)
    assert (again.added, again.updated, len(again.unchanged)) == ([], [], 4)
    assert "Natto (FDC 172443)" in again.unchanged  # the suffixed name is stable
    assert dump(db_url) == before

    changed = [fx.FdcFood(**{**f.__dict__}) for f in fx.SR_LEGACY]
    butter = next(f for f in changed if f.fdc_id == 173410)
    butter.nutrients = {**butter.nutrients, fx.MK4: 16.5}
    butter.portions = butter.portions[1:]  # the pat is gone: tbsp is the first portion now
    fx.write_download(folder, changed)
    report = import_fdc(engine, folder, progress=False)
    assert (report.added, report.updated, len(report.unchanged)) == ([], ["Butter, salted"], 3)
    with K2Database(db_url) as db:
        profile = db.show("Butter, salted")
        assert (profile.forms["mk4"], profile.serving_label, profile.serving_g) == (16.5, "1 tbsp", 14.2)
        assert [p.unit for p in profile.portions] == ["tbsp", "cup"]
        assert len(profile.measurements) == 1
        assert len(db.search("butter salted")) == 1


def test_foundation_units_and_skipped_samples(engine, db_url: str, tmp_path: Path) -> None:
    folder = fx.write_download(tmp_path / "foundation", fx.FOUNDATION)
    report = import_fdc(engine, folder, progress=False)
    assert sorted(report.added) == ["Cheese, cheddar", "Eggs, Grade A, Large, egg whole"]
    assert report.skipped == [
        "1 food(s) of data type sub_sample_food (samples behind other foods, not foods)"
    ]
    with K2Database(db_url) as db:
        eggs = db.show("eggs grade a large egg whole")
        assert eggs.source == "USDA FoodData Central — Foundation Foods"
        assert [(p.unit, p.amount, p.grams) for p in eggs.portions] == [
            ("cup", 1.0, 243.0),
            ("tablespoon, beaten", 1.0, 15.2),
            ("large egg", 1.0, 50.3),
        ]
        assert (eggs.serving_label, eggs.serving_g) == ("1 cup", 243.0)
        cheddar = db.show("Cheese, cheddar")
        assert (cheddar.serving_g, cheddar.serving_label, cheddar.portions) == (100.0, "100 g", [])


def test_survey_portions_come_from_the_description(engine, db_url: str, tmp_path: Path) -> None:
    folder = fx.write_download(tmp_path / "survey", fx.SURVEY)
    assert import_fdc(engine, folder, progress=False).added == ["Cheese, Gouda"]
    with K2Database(db_url) as db:
        gouda = db.show("Cheese, Gouda")
        assert gouda.category == "cheese"  # from wweia_food_category.csv
        assert gouda.source == "USDA FoodData Central — Survey (FNDDS)"
        assert [(p.unit, p.amount, p.grams) for p in gouda.portions] == [
            ("slice", 1.0, 28.0),
            ("cup, diced", 1.0, 132.0),
            ("Quantity not specified", 1.0, 28.0),
        ]
        assert db.meal(["2 slices cheese gouda"]).items[0].grams == 56


def test_nutrient_ids_are_found_by_number_in_nutrient_csv(engine, db_url: str, tmp_path: Path) -> None:
    renumbered = [(row[0] + 50_000, *row[1:]) for row in fx.NUTRIENTS]
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY[:1], nutrients=renumbered)
    assert import_fdc(engine, folder, progress=False).added == ["Egg, whole, raw, fresh"]
    with K2Database(db_url) as db:
        assert db.show("Egg, whole, raw, fresh").forms["mk4"] == 5.6


def test_without_nutrient_csv_the_known_ids_are_used(engine, tmp_path: Path) -> None:
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY)
    (folder / "nutrient.csv").unlink()
    (folder / "food_portion.csv").unlink()
    report = import_fdc(engine, folder, progress=False)
    assert len(report.added) == 4


def test_imported_foods_survive_a_seed_refresh_and_can_be_removed(
    engine, db_url: str, sr_legacy: Path
) -> None:
    import_fdc(engine, sr_legacy, progress=False)
    load_seed(engine)
    with K2Database(db_url) as db:
        assert db.show("Butter, salted").is_custom
    assert remove_food(engine, "Butter, salted") == "Butter, salted"


def test_a_progress_bar_can_be_forced(engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY)
    import_fdc(engine, folder, progress=True)
    assert capsys.readouterr().out == ""  # the bar goes to stderr, never into piped output


def _truncate(path: Path, count: int) -> Path:
    path.write_bytes(path.read_bytes()[:-count])
    return path.parent


def _break(folder: Path, file: str, old: str, new: str) -> Path:
    path = folder / file
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (
            lambda d: _break(d, "food_nutrient.csv", '"171287","1183"', '"abc","1183"'),
            "food_nutrient.csv line 2, column fdc_id: 'abc' is not a number",
        ),
        (
            lambda d: _break(d, "food_nutrient.csv", '"171287","1185"', '"171287","x"'),
            "food_nutrient.csv line 4, column nutrient_id: 'x' is not a number",
        ),
        (
            lambda d: _break(d, "food_nutrient.csv", '"1183","5.6"', '"1183","much"'),
            "food_nutrient.csv line 2, column amount: 'much' is not a number",
        ),
        (
            lambda d: _break(d, "food_nutrient.csv", '"1183","5.6"', '"1183","-5.6"'),
            "food_nutrient.csv line 2, column amount: -5.6 must be a finite number ≥ 0",
        ),
        (
            lambda d: _break(d, "food_nutrient.csv", '"1183","5.6"', '"1183","inf"'),
            "food_nutrient.csv line 2, column amount: inf must be a finite number ≥ 0",
        ),
        (
            lambda d: _break(d, "food_nutrient.csv", '"amount",', '"quantity",'),
            "food_nutrient.csv: missing column(s) amount",
        ),
        (
            lambda d: _break(d, "food_nutrient.csv", '"1183","5.6",', '"1183",5.6",'),
            "food_nutrient.csv line 2, column amount: '5.6\"' is not a number",
        ),
        (
            lambda d: _truncate(d / "food_nutrient.csv", 2),  # a download cut short
            "food_nutrient.csv: not readable as a FoodData Central CSV file",
        ),
        (
            lambda d: _break(d, "food.csv", '"description"', '"name"'),
            "food.csv: missing column(s) description",
        ),
        (
            lambda d: _break(d, "nutrient.csv", '"Menaquinone-4","UG"', '"Menaquinone-4","MG"'),
            "nutrient.csv: nutrient 428 (Menaquinone-4) is in MG, expected µg",
        ),
        (
            lambda d: ((d / "food_nutrient.csv").unlink(), d)[1],
            "no food_nutrient.csv — is this a FoodData Central CSV download?",
        ),
        (lambda d: ((d / "food.csv").unlink(), d)[1], "no food.csv"),
        (lambda d: d / "nowhere", "nowhere: not found"),
        (
            lambda d: ((d / "x.zip").write_bytes(b"not a zip at all"), d / "x.zip")[1],
            "x.zip: not a folder or a zip file",
        ),
        (
            lambda d: (zipfile.ZipFile(d / "e.zip", "w").close(), d / "e.zip")[1],
            "e.zip: no food_nutrient.csv",
        ),
    ],
)
def test_a_malformed_download_leaves_the_database_unchanged(
    engine, db_url: str, tmp_path: Path, damage, message: str
) -> None:  # type: ignore[no-untyped-def]
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY)
    path = damage(folder)
    before = dump(db_url)
    with pytest.raises(SeedError) as error:
        import_fdc(engine, path, progress=False)
    assert message in str(error.value)
    assert "\n" not in str(error.value)
    assert dump(db_url) == before


def test_chunks_smaller_than_the_file_give_the_same_result(engine, db_url: str, tmp_path: Path) -> None:
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY)
    report = import_fdc(engine, folder, progress=False, chunksize=2)
    assert len(report.added) == 4
    _break(folder, "food_nutrient.csv", '"1185","7.0"', '"1185","seven"')
    before = dump(db_url)
    with pytest.raises(SeedError, match=r"food_nutrient\.csv line 9, column amount: 'seven' is not a number"):
        import_fdc(engine, folder, progress=False, chunksize=3)
    assert dump(db_url) == before


def test_files_saved_with_a_byte_order_mark_import_the_same(engine, db_url: str, tmp_path: Path) -> None:
    """Re-saving a download in a spreadsheet puts a UTF-8 BOM before each header."""
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY)
    for path in folder.glob("*.csv"):
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    report = import_fdc(engine, folder, progress=False)
    assert len(report.added) == 4
    assert report.rows_read == sum(len(f.nutrients) for f in fx.SR_LEGACY)
    with K2Database(db_url) as db:
        assert db.show("Egg, whole, raw, fresh").forms["mk4"] == 5.6


def test_bytes_that_are_not_utf8_in_a_name_do_not_stop_the_import(engine, tmp_path: Path) -> None:
    folder = fx.write_download(tmp_path / "dl", fx.SR_LEGACY)
    food = folder / "food.csv"
    food.write_bytes(food.read_bytes().replace(b"Butter, salted", b"Butter, salted \xff"))
    report = import_fdc(engine, folder, progress=False)
    assert "Butter, salted \ufffd" in report.added


def _profiles(db_url: str, names: list[str]) -> dict[str, dict]:
    with K2Database(db_url) as db:
        return {name: db.show(name).to_dict() for name in names}


def test_foods_written_in_batches_match_one_batch(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches bound memory; they must not change what is written, name clashes across batches
    included: of two foods described alike, the lower fdc_id keeps the plain name."""
    twin = fx.FdcFood(999001, "sr_legacy_food", "Butter, salted", "4", {fx.MK4: 9.0}, [])
    folder = fx.write_download(tmp_path / "dl", [*fx.SR_LEGACY, twin])
    whole = import_fdc(engine, folder, progress=False)
    assert "Butter, salted (FDC 999001)" in whole.added
    written = _profiles(db_url, whole.added)
    for name in whole.added:
        remove_food(engine, name)

    monkeypatch.setattr("d3k2db.exchange.fdc.write.BATCH_FOODS", 2)
    batched = import_fdc(engine, folder, progress=False)
    assert batched.added == whole.added
    assert _profiles(db_url, batched.added) == written
    again = import_fdc(engine, folder, progress=False)
    assert (again.added, again.updated, again.unchanged) == ([], [], whole.added)


def test_a_download_without_any_mk4_adds_nothing(engine, db_url: str, tmp_path: Path) -> None:
    plain = fx.FdcFood(999002, "sr_legacy_food", "Rice, white", "20", {fx.K1: 0.1, fx.ENERGY: 130}, [])
    folder = fx.write_download(tmp_path / "dl", [plain])
    before = dump(db_url)
    report = import_fdc(engine, folder, progress=False)
    assert (report.added, report.foods_with_mk4, report.rows_read) == ([], 0, 2)
    assert dump(db_url) == before


def _with_filler(folder: Path, rows: int, footnote: str) -> Path:
    """Pad food_nutrient.csv with energy rows of the SR Legacy foods, each with ``footnote``,
    the file's own foods' rows split between its first and second half."""
    path = folder / "food_nutrient.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    filler = [(900_000 + i, 171287, fx.ENERGY, "143", "", "", "", "", "", footnote, "") for i in range(rows)]
    half = len(body) // 2
    path.write_text(header + "".join(body[:half]), encoding="utf-8")
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(filler)
        handle.write("".join(body[half:]))
    return folder


@pytest.mark.parametrize(
    "footnote",
    ["a plain note", "spans\nthree\nlines", 'says "quoted", twice ""', ""],
)
def test_a_file_read_in_two_halves_gives_what_one_pass_gives(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, footnote: str
) -> None:
    folder = _with_filler(fx.write_download(tmp_path / "dl", fx.SR_LEGACY), 2_000, footnote)
    one_pass = import_fdc(engine, folder, progress=False)
    written = _profiles(db_url, one_pass.added)
    for name in one_pass.added:
        remove_food(engine, name)

    monkeypatch.setattr("d3k2db.exchange.fdc.stream.SPLIT_MIN_BYTES", 0)
    download = stream.Download(folder)
    parts = stream.halves(download, "food_nutrient.csv", download.columns("food_nutrient.csv"))
    download.close()
    assert len(parts) == 2  # the split path is the one under test
    cut = (folder / "food_nutrient.csv").read_bytes()[: parts[1].start]
    assert cut.endswith(b"\n") and cut.count(b'"') % 2 == 0  # a record boundary, outside quotes
    halves = import_fdc(engine, folder, progress=False)
    assert (halves.added, halves.rows_read) == (one_pass.added, one_pass.rows_read)
    assert _profiles(db_url, halves.added) == written


def test_a_cut_fooled_by_a_footnote_that_looks_like_records_reads_the_file_whole(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cut is chosen without reading the first half; a footnote whose inner lines look like
    whole records can fool it, and the first part's quote count catches that."""
    # Most of each record's bytes come before the footnote's inner newline, so the middle of the
    # file falls there and the first newline after it is inside quotes, followed by a line of
    # eleven fields (the footnote's rest, then the record's last field).
    footnote = "x" * 400 + "\n1,2,3,4,5,6,7,8,9,10"
    folder = _with_filler(fx.write_download(tmp_path / "dl", fx.SR_LEGACY), 2_000, footnote)
    one_pass = import_fdc(engine, folder, progress=False)
    written = _profiles(db_url, one_pass.added)
    for name in one_pass.added:
        remove_food(engine, name)

    monkeypatch.setattr("d3k2db.exchange.fdc.stream.SPLIT_MIN_BYTES", 0)
    download = stream.Download(folder)
    columns = download.columns("food_nutrient.csv")
    parts = stream.halves(download, "food_nutrient.csv", columns)
    assert len(parts) == 2
    cut = (folder / "food_nutrient.csv").read_bytes()[: parts[1].start]
    assert cut.count(b'"') % 2 == 1  # the case under test: a cut inside a quoted field

    def read_all(part: stream.Part, _stop: object) -> int:  # reads every byte, counting quotes
        with download.open("food_nutrient.csv") as raw:
            raw.seek(part.start)
            if part.length is None:
                return len(raw.read())
            return len(stream._Slice(raw, part.length, part.quotes).read())

    assert stream.in_halves(download, "food_nutrient.csv", columns, read_all) is None
    download.close()
    again = import_fdc(engine, folder, progress=False)
    assert (again.added, again.rows_read) == (one_pass.added, one_pass.rows_read)
    assert _profiles(db_url, again.added) == written


def test_a_bad_cell_in_the_second_half_names_its_line_in_the_whole_file(
    engine, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = _with_filler(fx.write_download(tmp_path / "dl", fx.SR_LEGACY), 2_000, "note")
    path = folder / "food_nutrient.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    bad = len(lines) - 3  # 0-based index of line len - 2, well inside the second half
    fields = next(csv.reader([lines[bad]]))
    fields[2] = "nope"  # nutrient_id
    lines[bad] = ",".join(f'"{value}"' for value in fields) + "\n"
    path.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setattr("d3k2db.exchange.fdc.stream.SPLIT_MIN_BYTES", 0)
    before = dump(db_url)
    with pytest.raises(SeedError, match=rf"food_nutrient\.csv line {bad + 1}, column nutrient_id: "):
        import_fdc(engine, folder, progress=False)
    assert dump(db_url) == before


def test_values_that_break_a_rule_are_left_out_never_cut(engine, db_url: str, tmp_path: Path) -> None:
    """The FDC import checks a food with the rules every writer uses (records.build_spec): a
    description longer than a name may be (300 characters) is refused, not shortened; a portion
    whose unit does not fit its column (100 characters) is left out, not cut."""
    long_name = "Cheese, " + "very " * 70 + "aged"  # 358 characters
    long_unit = "slice " + "x" * 120
    foods = [
        fx.FdcFood(900001, "sr_legacy_food", long_name, "1", {fx.MK4: 9.0}, []),
        fx.FdcFood(
            900002,
            "sr_legacy_food",
            "Cheese, test gouda",
            "1",
            {fx.MK4: 4.0},
            [("1", "1.0", "9999", "", long_unit, "20.0"), ("2", "1.0", "9999", "", "cup", "132.0")],
        ),
    ]
    report = import_fdc(engine, fx.write_download(tmp_path / "dl", foods), progress=False)
    assert report.added == ["Cheese, test gouda"]
    assert report.skipped == ["fdc_id 900001: name is longer than 300 characters"]
    with K2Database(db_url) as db:
        gouda = db.show("Cheese, test gouda")
        assert [p.unit for p in gouda.portions] == ["cup"]
        assert (gouda.serving_g, gouda.serving_label) == (132.0, "1 cup")
        assert db.search("very very very aged") == []

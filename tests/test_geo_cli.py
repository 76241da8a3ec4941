"""`nzn measure` and `nzn assess --osm` end to end on the harbourside sample's synthetic extract, and hostile inputs.

The sample (sample_inputs/harbourside-newbuild.*: boundary GeoJSON and a synthetic .osm.pbf made by
``python -m assessment.geo.synthetic``) is a grid of 100 m blocks; its 500 x 420 m boundary holds 18 blocks of four
apartment buildings, with a park block inside and a station 100 m south of it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.checks import validate_input
from assessment.cli import app
from assessment.emissions.factors import load_factors
from assessment.io.examples import load_example
from assessment.io.template import write_template
from assessment.model.enums import DataQuality
from assessment.model.method import load_method
from tests.conftest import SAMPLES

BOUNDARY = SAMPLES / "harbourside-newbuild.boundary.geojson"
EXTRACT = SAMPLES / "harbourside-newbuild.synthetic.osm.pbf"
MEASURED = {"m03_life_circle_coverage", "m03_diverse_uses", "m05_transit_access", "m05_street_density", "m07_green_access"}
runner = CliRunner()


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    """The harbourside workbook with the measured indicators blank, except street density typed as 12.0."""
    ex = load_example("harbourside-newbuild")
    rows = [r for r in ex.module_indicators if r.indicator_id not in MEASURED]
    typed = next(r for r in ex.module_indicators if r.indicator_id == "m05_street_density").model_copy(update={"value": 12.0})
    model = ex.model_copy(update={"module_indicators": [*rows, typed]})
    path = tmp_path_factory.mktemp("wb") / "harbourside.xlsx"
    write_template(path, load_method(), load_factors(), model)
    return path


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def test_measure_into_a_copy_of_the_workbook(workbook, tmp_path):
    src = tmp_path / "in.xlsx"
    shutil.copy(workbook, src)
    before = sha(src)
    res = runner.invoke(app, ["measure", str(BOUNDARY), str(EXTRACT), "--into", str(src), "--json", str(tmp_path / "m.json"), "-q"])
    assert res.exit_code == 0, res.output
    assert sha(src) == before  # the input is never modified
    out = tmp_path / "in.measured.xlsx"  # the default target beside --into
    assert out.exists()
    m = json.loads((tmp_path / "m.json").read_text())
    filled = {f["indicator"]: f for f in m["filled"]}
    assert filled["m05_street_density"]["action"] == "kept_reported" and filled["m05_street_density"]["previous"] == 12.0
    assert {k for k, f in filled.items() if f["action"] == "filled"} == MEASURED - {"m05_street_density"}
    loaded = validate_input(out)
    rows = {r.indicator_id: r for r in loaded.model.module_indicators}
    values = {v["indicator"]: v["value"] for v in m["measures"] if v["indicator"]}
    for ind in MEASURED - {"m05_street_density"}:
        assert rows[ind].value == pytest.approx(values[ind])
        assert rows[ind].data_quality == DataQuality.measured
        assert "harbourside-newbuild.synthetic.osm.pbf" in rows[ind].notes and "2025-01-01" in rows[ind].notes and "nzn" in rows[ind].notes
    assert rows["m05_street_density"].value == 12.0  # typed by the user, kept without --overwrite
    assert loaded.model.profile.boundary_wkt.startswith("POLYGON")  # the boundary travels with the workbook
    # the sample's figures, by hand: 18 blocks of 100 m; every home within 1,000 m of everything the grid offers
    assert values["m03_life_circle_coverage"] == 100.0 and values["m05_transit_access"] == 100.0


def test_overwrite_replaces_typed_values(workbook, tmp_path):
    out = tmp_path / "o.xlsx"
    res = runner.invoke(app, ["measure", str(BOUNDARY), str(EXTRACT), "--into", str(workbook), "-o", str(out), "--overwrite", "-q"])
    assert res.exit_code == 0, res.output
    row = next(r for r in validate_input(out).model.module_indicators if r.indicator_id == "m05_street_density")
    # the 500 x 420 m box (x 1000-1500, y 1000-1420) holds the streets at y = 1100..1400 (4 x 500 m) and x = 1100..1400
    # (4 x 420 m) in full, and the three streets on its edges (y = 1000: 500 m; x = 1000, 1500: 420 m each) at half:
    # (2,000 + 1,680 + 1,340 / 2) m / 0.21 km2 = 4.35 km / 0.21 km2 = 20.71 km/km2, within the synthetic layout's 0.5 %
    assert row.value == pytest.approx(20.71, rel=0.005) and row.data_quality == DataQuality.measured


def test_json_to_stdout_equals_the_library(tmp_path):
    res = runner.invoke(app, ["measure", str(BOUNDARY), str(EXTRACT), "--json", "-"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["extract"]["synthetic"] is True and data["extract"]["date"] == "2025-01-01" and data["extract"]["date_basis"] == "header"
    assert data["residents"] == {"source": "residential_buildings", "features": 72, "connected": 72, "weight": data["residents"]["weight"]}
    assert "map" not in data  # the map layers stay in memory


@pytest.mark.parametrize(
    "args, message",
    [([], "nothing to write"), (["-o", "x.xlsx", "--json", "m.json"], "give --into"), (["--into", "in.json"], "must be an .xlsx")],
)
def test_option_refusals(tmp_path, args, message):
    res = runner.invoke(
        app, ["measure", str(BOUNDARY), str(EXTRACT), *[str(tmp_path / a) if a.endswith((".xlsx", ".json")) else a for a in args]]
    )
    assert res.exit_code == 2 and message in res.output
    assert files(tmp_path) == set()


def test_refuses_to_write_over_its_input(workbook, tmp_path):
    src = tmp_path / "in.xlsx"
    shutil.copy(workbook, src)
    before = sha(src)
    res = runner.invoke(app, ["measure", str(BOUNDARY), str(EXTRACT), "--into", str(src), "-o", str(src)])
    assert res.exit_code == 2 and "input" in res.output
    assert sha(src) == before and files(tmp_path) == {"in.xlsx"}


def _boundary(tmp_path, coords) -> Path:
    p = tmp_path / "b.geojson"
    p.write_text(json.dumps({"type": "Polygon", "coordinates": [coords]}))
    return p


@pytest.mark.parametrize(
    "make, code_text",
    [
        (lambda d: (BOUNDARY, d / "missing.osm.pbf"), "not found"),
        (
            lambda d: (BOUNDARY, (d / "junk.osm.pbf").write_bytes(b"\x00garbage" * 50) and d / "junk.osm.pbf"),
            "cannot be read as OpenStreetMap",
        ),
        (lambda d: (BOUNDARY, (d / "empty.osm").write_bytes(b"") or d / "empty.osm"), "empty"),
        (lambda d: (BOUNDARY, shutil.copy(EXTRACT, d / "extract.zip") and d / "extract.zip"), ".osm.pbf or .osm"),
        (lambda d: (d / "none.geojson", EXTRACT), "boundary file was not found"),
        # the sample's boundary with each pair typed latitude first
        (
            lambda d: (_boundary(d, [[c[1], c[0]] for c in json.loads(BOUNDARY.read_text())["geometry"]["coordinates"][0]]), EXTRACT),
            "latitude and longitude swapped",
        ),
        (lambda d: (_boundary(d, [[2.0, 48.0], [2.1, 48.0], [2.1, 48.1], [2.0, 48.0]]), EXTRACT), "does not overlap the extract"),
        # the park blocks (11, 11) and (12, 11): no building inside
        (lambda d: (_boundary(d, _grid_box(1110, 1110, 1290, 1190)), EXTRACT), "no homes were found"),
    ],
)
def test_hostile_inputs_exit_2_and_write_nothing(tmp_path, make, code_text):
    src = tmp_path / "src"
    src.mkdir()
    boundary, extract = make(src)
    out = tmp_path / "out"
    out.mkdir()
    res = runner.invoke(app, ["measure", str(boundary), str(extract), "--json", str(out / "m.json")])
    assert res.exit_code == 2, res.output
    assert code_text in res.output
    assert files(out) == set()
    assert "Traceback" not in res.output


def _grid_box(x0, y0, x1, y1):
    from assessment.geo.synthetic import HARBOURSIDE

    return [list(HARBOURSIDE.lonlat(x, y)) for x, y in ((x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0))]


def test_without_the_geo_extra_the_command_says_what_to_install(monkeypatch, tmp_path):
    import assessment.geo

    monkeypatch.setattr(assessment.geo, "missing_geo_libraries", lambda: ["osmium"])
    res = runner.invoke(app, ["measure", str(BOUNDARY), str(EXTRACT), "--json", str(tmp_path / "m.json")])
    assert res.exit_code == 2 and 'pip install "nzn[geo]"' in res.output and "osmium" in res.output
    assert files(tmp_path) == set()


def test_assess_with_osm_fills_the_indicators_and_adds_the_map_page(workbook, tmp_path):
    html, out = tmp_path / "r.html", tmp_path / "r.json"
    res = runner.invoke(
        app, ["assess", str(workbook), "--osm", str(EXTRACT), "--boundary", str(BOUNDARY), "-o", str(html), "--json", str(out), "-q"]
    )
    assert res.exit_code == 0, res.output
    r = json.loads(out.read_text())
    assert r["schema_version"] == "1.3.0"
    access = r["access"]
    measured = {v["indicator"]: v["value"] for v in access["measures"] if v["indicator"]}
    inds = {i["id"]: i for m in r["modules"] for i in m["indicators"]}
    for ind in MEASURED - {"m05_street_density"}:
        assert inds[ind]["value"] == pytest.approx(measured[ind]) and inds[ind]["data_quality"] == "measured"
        assert inds[ind]["source_ref"] == "harbourside-newbuild.synthetic.osm.pbf (measured)"
    assert inds["m05_street_density"]["value"] == 12.0  # typed, kept
    text = html.read_text(encoding="utf-8")
    assert 'id="access"' in text and "<svg" in text.split('id="access"')[1]
    assert "Synthetic extract made for this sample: not OpenStreetMap data" in text  # no false OSM attribution
    plain = tmp_path / "plain.html"
    assert runner.invoke(app, ["assess", str(workbook), "-o", str(plain), "-q"]).exit_code == 0
    assert 'id="access"' not in plain.read_text(encoding="utf-8")


def test_assess_takes_the_boundary_from_the_profile(workbook, tmp_path):
    filled = tmp_path / "w.xlsx"
    assert runner.invoke(app, ["measure", str(BOUNDARY), str(EXTRACT), "--into", str(workbook), "-o", str(filled), "-q"]).exit_code == 0
    res = runner.invoke(app, ["assess", str(filled), "--osm", str(EXTRACT), "--json", "-", "-q"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["access"]["boundary"]["source"].startswith("Profile!")
    # without a boundary anywhere: a clear refusal
    res = runner.invoke(app, ["assess", str(workbook), "--osm", str(EXTRACT), "--json", str(tmp_path / "x.json")])
    assert res.exit_code == 2 and "--boundary" in res.output and not (tmp_path / "x.json").exists()


def test_assess_boundary_needs_osm(workbook, tmp_path):
    res = runner.invoke(app, ["assess", str(workbook), "--boundary", str(BOUNDARY), "--json", str(tmp_path / "x.json")])
    assert res.exit_code == 2 and "--osm" in res.output and not (tmp_path / "x.json").exists()


def test_a_residents_file_weights_the_shares(tmp_path):
    """Two homes from a residents file: A at (1050, 1050), 3 people, beside the park block 1106-1194 x 1106-1194
    (0.77 ha); B at (1010, 1410), 1 person, in the boundary's north-west corner. B's shortest walk to a park: 10 m to
    the street y = 1400, 90 m east to x = 1100, 206 m south to where the park fronts that street (y = 1194), 6 m
    across: 312 m > 300 m (the other parks, at x >= 1206 and x >= 1606, are farther). Within 300 m of 0.5 ha of
    green: A only, 3 of 4 people = 75 %."""
    from assessment.geo.synthetic import HARBOURSIDE

    feats = [
        {"type": "Feature", "properties": {"population": pop}, "geometry": {"type": "Point", "coordinates": list(HARBOURSIDE.lonlat(x, y))}}
        for x, y, pop in ((1050, 1050, 3), (1010, 1410, 1))
    ]
    homes = tmp_path / "homes.geojson"
    homes.write_text(json.dumps({"type": "FeatureCollection", "features": feats}))
    res = runner.invoke(app, ["measure", str(BOUNDARY), str(EXTRACT), "--residents", str(homes), "--json", "-"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert data["residents"]["source"] == "file" and data["residents"]["features"] == 2
    assert next(m["value"] for m in data["measures"] if m["id"] == "green_300m") == pytest.approx(75.0)


def test_the_results_are_the_same_bytes_every_run(workbook, tmp_path):
    args = ["assess", str(workbook), "--osm", str(EXTRACT), "--boundary", str(BOUNDARY), "-q", "--json"]
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    assert runner.invoke(app, [*args, str(a)]).exit_code == 0 and runner.invoke(app, [*args, str(b)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()

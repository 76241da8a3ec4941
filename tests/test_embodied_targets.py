"""Upfront embodied carbon: one metric, one score; targets chosen by building type and new build versus retrofit (#16 item 5).

References:
* LETI (London Energy Transformation Initiative), Embodied Carbon Primer, January 2020: upfront carbon (A1-A5,
  excluding sequestration) targets for new buildings, residential < 500 kgCO2e/m2 GIA (2020) and < 300 (2030),
  offices < 600 (2020) and < 350 (2030); listed in shared/reference/factors-verified.md section 4 (status U).
  The Primer's targets are for new buildings by building type: none is published there for retrofits or for
  public buildings, and no RIBA upfront (A1-A5) figure is verified (the RIBA 2030 Climate Challenge figures are
  whole-life embodied), so the library ships none.
* DESNZ, Greenhouse gas reporting: conversion factors 2025, Material use > Concrete: 118.79306 kgCO2e per tonne.
"""

from __future__ import annotations

import csv

import pytest

from assessment.emissions.account import emissions_account
from assessment.emissions.factors import load_factors
from assessment.paths import factors_dir
from assessment.pipeline import assess_file, results_json
from assessment.report.context import ReportInput, build_context
from tests.conftest import SAMPLES
from tests.test_emissions import DESNZ_2025, minimal, published

LETI_PRIMER = "LETI (London Energy Transformation Initiative), Embodied Carbon Primer, January 2020"


@pytest.fixture(scope="module")
def fs():
    return load_factors()


def one_project(fs, building_type: str, project_type: str, gfa_m2: float = 200.0):
    """One project built from 1,000 t of concrete, no transport and no wastage, so upfront = A1-A3 only.

    Hand calculation: 1,000 t x 118.79306 kgCO2e/t = 118,793.06 kgCO2e; / 200 m2 = 593.9653 kgCO2e/m2.
    """
    published(fs, "material.concrete", 118.79306, DESNZ_2025, "tonne")
    project = {
        "project_id": "P1",
        "name": "Block A",
        "project_type": project_type,
        "building_type": building_type,
        "gfa_m2": gfa_m2,
        "completion_year": 2024,
        "wastage_rate_pct": 0,
    }
    materials = [{"project_id": "P1", "material": "concrete", "quantity": 1_000, "unit": "tonne", "transport_km": 0}]
    acc = emissions_account(minimal(construction_projects=[project], construction_materials=materials), fs)
    (p,) = acc.embodied_projects
    assert p.kgco2e_per_m2 == pytest.approx(1_000 * 118.79306 / gfa_m2)
    return p


def by_id(p) -> dict:
    return {b.id: b for b in p.benchmarks}


def test_residential_new_build_gets_the_leti_residential_targets(fs):
    # LETI Embodied Carbon Primer (Jan 2020), residential: 2020 target < 500, 2030 target < 300 kgCO2e/m2 (A1-A5)
    p = one_project(fs, "residential", "new_build")
    assert p.kgco2e_per_m2 == pytest.approx(593.9653)
    b = by_id(p)
    assert set(b) == {"benchmark.upfront.residential.leti_2020", "benchmark.upfront.residential.leti_2030"}
    assert b["benchmark.upfront.residential.leti_2020"].kgco2e_per_m2 == 500
    assert b["benchmark.upfront.residential.leti_2030"].kgco2e_per_m2 == 300
    assert all(LETI_PRIMER in x.source and x.scheme == "LETI" for x in b.values())
    assert {x.target_year for x in b.values()} == {2020, 2030}
    assert all(x.building_type == "residential" and x.project_type == "new_build" for x in b.values())
    # 593.97 > 500 and > 300: neither met (hand calculation above)
    assert not b["benchmark.upfront.residential.leti_2020"].meets and not b["benchmark.upfront.residential.leti_2030"].meets
    assert p.benchmark_note is None


def test_office_new_build_gets_the_leti_office_targets(fs):
    # LETI Embodied Carbon Primer (Jan 2020), offices: 2020 target < 600, 2030 target < 350 kgCO2e/m2 (A1-A5)
    p = one_project(fs, "office", "new_build")
    b = by_id(p)
    assert set(b) == {"benchmark.upfront.office.leti_2020", "benchmark.upfront.office.leti_2030"}
    assert b["benchmark.upfront.office.leti_2020"].kgco2e_per_m2 == 600
    assert b["benchmark.upfront.office.leti_2030"].kgco2e_per_m2 == 350
    # 593.97 <= 600: the 2020 target is met; 593.97 > 350: the 2030 target is not
    assert b["benchmark.upfront.office.leti_2020"].meets is True
    assert b["benchmark.upfront.office.leti_2030"].meets is False
    assert p.benchmark_note is None


@pytest.mark.parametrize("building_type", ["residential", "office"])
def test_a_retrofit_gets_no_new_build_target_and_says_so(fs, building_type):
    # LETI's Primer targets are for new buildings; no retrofit upfront target is verified, so none is shipped.
    # With 1,000 t of concrete on 2,000 m2 (59.4 kgCO2e/m2) a retrofit would "meet" every new-build target: it must not.
    p = one_project(fs, building_type, "retrofit", gfa_m2=2_000)
    assert p.kgco2e_per_m2 == pytest.approx(1_000 * 118.79306 / 2_000)
    assert p.benchmarks == []
    assert p.benchmark_note is not None
    assert p.benchmark_note.startswith("No published LETI/RIBA upfront target for")
    assert "retrofit" in p.benchmark_note and building_type in p.benchmark_note


def test_a_public_building_gets_no_residential_target_and_says_so(fs):
    # No LETI/RIBA upfront target for public buildings is in the reference (factors-verified.md section 4):
    # no other type's target (residential, office) is drawn in its place.
    p = one_project(fs, "public", "new_build")
    assert p.benchmarks == []
    assert p.benchmark_note == "No published LETI/RIBA upfront target for public and community (new build): none is drawn."


def test_every_shipped_target_says_what_it_applies_to_and_cites_its_source(fs):
    # Applicability is data: targets-upfront.csv names the building type and project type of each target parameter.
    rows = list(csv.DictReader((factors_dir() / "targets-upfront.csv").open(encoding="utf-8")))
    assert {(r["parameter_id"], r["building_type"], r["project_type"]) for r in rows} == {
        ("benchmark.upfront.residential.leti_2020", "residential", "new_build"),
        ("benchmark.upfront.residential.leti_2030", "residential", "new_build"),
        ("benchmark.upfront.office.leti_2020", "office", "new_build"),
        ("benchmark.upfront.office.leti_2030", "office", "new_build"),
    }
    for t in fs.targets:
        p = fs.param(t.parameter_id)
        assert LETI_PRIMER in p.source and p.url == "https://www.leti.uk/carbonalignment"
    # no target without a stated applicability, and no 'any' fallback
    assert {pid for pid in fs.parameters if pid.startswith("benchmark.")} == {t.parameter_id for t in fs.targets}
    assert not any(".any." in t.parameter_id for t in fs.targets)


@pytest.fixture(scope="module")
def riverside():
    return assess_file(SAMPLES / "riverside-retrofit.json")[1]


def test_the_metric_has_one_points_value_in_the_results(riverside):
    # The riverside sample: new-build community centre, 2,812.3 t upfront on 4,800 m2 = 585.9 kgCO2e/m2.
    # m02_upfront_embodied (0 pts at 1000, 50 at 500, 100 at 300): 50 x (1000 - 585.90) / (1000 - 500) = 41.41 points.
    green_formulas = {c.id for c in riverside.pillars["green"].components}
    assert green_formulas == {"net_per_capita", "gap_to_path"}  # no Green component for embodied intensity
    hits = [
        (m.id, i)
        for m in riverside.modules
        for i in m.indicators
        if getattr(i, "formula", None) == "upfront_embodied_kgco2e_per_m2" or i.id == "m02_upfront_embodied"
    ]
    assert [mid for mid, _i in hits] == ["m02"]
    (_mid, ind) = hits[0]
    assert ind.value == pytest.approx(585.9, abs=0.05)
    assert ind.points == pytest.approx(50 * (1000 - ind.value) / 500) == pytest.approx(41.41, abs=0.01)
    assert "embodied_intensity" not in results_json(riverside)


def test_report_draws_each_project_only_against_its_own_targets(riverside, method):
    # riverside: residential retrofit and public new build, no published target for either; infrastructure none.
    ctx = build_context(ReportInput(result=riverside, method=method, input_name="riverside-retrofit.json", assessment_date="2026-01-01"))
    assert all(row["targets"] == [] and row["note"] for row in ctx["intensity_bars"]["rows"])
    assert ctx["target_groups"] == []
    notes = [p["benchmark_note"] for p in ctx["projects"]]
    assert notes[0] == "No published LETI/RIBA upfront target for residential (retrofit): none is drawn."
    assert notes[1] == "No published LETI/RIBA upfront target for public (new build): none is drawn."
    assert notes[2] == "LETI and RIBA publish upfront targets for buildings only: none is drawn for infrastructure."
    # the Green table of intensities no longer scores embodied carbon a second time
    assert [i["label"] for i in ctx["intensities"]] == ["Net emissions per resident", "Position against the target path"]


def test_gap_component_says_where_the_neighbourhood_is(riverside, method):
    """Issue #18 review: the gap component counts 0 on or below the path (modules/method.toml, full points at 0), so
    printing its value showed "0.0 %" beside 100 points. Riverside's net emissions are below its target path
    (trajectory gap < 0): the row says so in words, with the gap in tCO2e and %, and keeps its 100 points."""
    ctx = build_context(ReportInput(result=riverside, method=method, input_name="riverside-retrofit.json", assessment_date="2026-01-01"))
    t = riverside.emissions.trajectory
    assert t.gap_tco2e < 0
    row = ctx["intensities"][1]
    assert row["value"].endswith("below the path") and "%" in row["value"], row
    assert row["unit"] == "" and row["points"] == "100"

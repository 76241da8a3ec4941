"""The emissions account, checked against hand calculations.

Every expected number is written out as a hand calculation in a comment, and
every factor or parameter it uses is read from the library in the test
(``published``/``published_param``) AND compared with the published number
written here, with its source. A silent change of the library therefore fails
the test that relies on it.

Models are minimal: the riverside sample with every table emptied, nature
cleared and only what the case needs filled in (``minimal``).
"""

from __future__ import annotations

import json
import math

import pytest

from assessment.emissions.account import MissingFactors, emissions_account
from assessment.emissions.factors import FactorSet, load_factors
from assessment.model.inputs import NeighbourhoodInput
from tests.conftest import SAMPLE_NAMES, SAMPLES

# Sources, as they appear in the library's source column
DESNZ_2025 = "Department for Energy Security and Net Zero (DESNZ), Greenhouse gas reporting: conversion factors 2025"
EPA_SUPPLY_CHAIN = "US EPA, Supply Chain Greenhouse Gas Emission Factors for US Industries and Commodities, v1.2"
SCARBOROUGH_2014 = "Scarborough P, Appleby PN, Mizdrak A"
NOWAK_2013 = "Nowak DJ, Greenfield EJ, Hoehn RE, Lapoint E (2013)"
OKOBAUDAT = "German Federal Ministry for Housing, Urban Development and Building"
RICS_2023 = "RICS, Whole life carbon assessment for the built environment, 2nd edition (2023)"
FED_G5A = "Board of Governors of the Federal Reserve System, Foreign Exchange Rates - G.5A"


# --------------------------------------------------------------------------- helpers


def published(factors: FactorSet, factor_id: str, value: float, source: str, unit: str | None = None) -> float:
    """The library value of ``factor_id``, after checking it equals the published ``value`` from ``source``."""
    f = factors.get(factor_id)
    assert f is not None, f"factor {factor_id} missing from the library"
    assert f.kgco2e_per_unit == value, f"{factor_id}: library has {f.kgco2e_per_unit}, published value is {value}"
    assert source in f.source, f"{factor_id}: source {f.source!r} does not cite {source!r}"
    if unit is not None:
        assert f.unit == unit, f"{factor_id}: unit {f.unit} != {unit}"
    return f.kgco2e_per_unit


def published_param(factors: FactorSet, param_id: str, value: float, source: str) -> float:
    p = factors.param(param_id)
    assert p is not None, f"parameter {param_id} missing from the library"
    assert p.value == value, f"{param_id}: library has {p.value}, published value is {value}"
    assert source in p.source, f"{param_id}: source {p.source!r} does not cite {source!r}"
    return p.value


def sample_data(name: str = "riverside-retrofit") -> dict:
    return json.loads((SAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def minimal(profile: dict | None = None, nature: dict | None = None, **tables) -> NeighbourhoodInput:
    """The riverside sample emptied: every table [], no nature, GB grid and USD unless ``profile`` says otherwise."""
    data = sample_data()
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = []
    data["nature"] = nature or {}
    data["profile"].update(
        {
            "grid_region": "GB",
            "currency": "USD",
            "population": 1000,
            "households": 400,
            "jobs": 200,
            "baseline_year": None,
            "baseline_net_tco2e": None,
            "interim_target_year": None,
            "interim_target_reduction_pct": None,
            "reporting_year": 2024,
            "target_net_zero_year": 2050,
        }
    )
    data["profile"].update(profile or {})
    data.update(tables)
    return NeighbourhoodInput.model_validate(data)


def energy(carrier: str, amount: float, unit: str, group: str = "homes", quality: str | None = None) -> dict:
    row = {"group": group, "use_type": "residential", "carrier": carrier, "amount": amount, "unit": unit}
    if quality:
        row["data_quality"] = quality
    return row


def only_line(acc, **match):
    lines = [li for li in acc.line_items if all(getattr(li, k) == v for k, v in match.items())]
    assert len(lines) == 1, f"expected one line matching {match}, got {[(li.factor_id, li.lifecycle_module) for li in lines]}"
    return lines[0]


@pytest.fixture(scope="module")
def fs() -> FactorSet:
    return load_factors()


# --------------------------------------------------------------------------- operational: energy


def test_grid_electricity_kwh_times_grid_factor(fs):
    # Factor: elec.grid.GB = 0.177 kgCO2e/kWh, DESNZ 2025 (Scope 2, UK electricity generated)
    grid = published(fs, "elec.grid.GB", 0.177, DESNZ_2025, "kWh")
    acc = emissions_account(minimal(energy_use=[energy("grid_electricity", 250_000, "kWh")]), fs)
    li = only_line(acc, factor_id="elec.grid.GB")
    # Hand calculation: 250,000 kWh x 0.177 kgCO2e/kWh = 44,250 kgCO2e = 44.25 tCO2e
    assert li.tco2e_per_year == pytest.approx(250_000 * grid / 1000)
    assert li.tco2e_per_year == pytest.approx(44.25)
    assert li.scope == 2 and li.category == "operational" and li.subcategory == "energy"
    assert li.source_path == "energy_use[0].amount"
    assert li.energy_kwh == pytest.approx(250_000)


def test_grid_electricity_uses_the_profile_region(fs):
    # Factor: elec.grid.CN-Southwest = 0.2472 kgCO2e/kWh, MEE/NBS 2023 regional grid average
    cn_sw = published(fs, "elec.grid.CN-Southwest", 0.2472, "Ministry of Ecology and Environment (MEE)", "kWh")
    acc = emissions_account(minimal(profile={"grid_region": "CN-Southwest"}, energy_use=[energy("grid_electricity", 100_000, "kWh")]), fs)
    # Hand calculation: 100,000 kWh x 0.2472 kgCO2e/kWh / 1000 = 24.72 tCO2e
    li = only_line(acc, factor_id="elec.grid.CN-Southwest")
    assert li.tco2e_per_year == pytest.approx(100_000 * cn_sw / 1000) == pytest.approx(24.72)
    assert acc.electricity.grid_factor_id == "elec.grid.CN-Southwest"


def test_natural_gas_in_cubic_metres(fs):
    # Factor: fuel.natural_gas.m3 = 2.06672 kgCO2e/m3, DESNZ 2025 (Scope 1 > Fuels > Gaseous fuels > Natural gas; UOM cubic metres)
    gas = published(fs, "fuel.natural_gas.m3", 2.06672, DESNZ_2025, "m3")
    # Parameter: cv.natural_gas.gross_kwh_per_m3 = 11.296 kWh/m3, DESNZ 2025 fuel properties (gross CV)
    cv = published_param(fs, "cv.natural_gas.gross_kwh_per_m3", 11.296, "DESNZ")
    acc = emissions_account(minimal(energy_use=[energy("natural_gas", 10_000, "m3")]), fs)
    li = only_line(acc, factor_id="fuel.natural_gas.m3")
    # Hand calculation: 10,000 m3 x 2.06672 kgCO2e/m3 = 20,667.2 kgCO2e = 20.6672 tCO2e
    assert li.tco2e_per_year == pytest.approx(10_000 * gas / 1000)
    assert li.tco2e_per_year == pytest.approx(20.6672)
    assert li.scope == 1  # fuel burnt in the boundary
    # Delivered energy: 10,000 m3 x 11.296 kWh/m3 = 112,960 kWh
    assert li.energy_kwh == pytest.approx(10_000 * cv) == pytest.approx(112_960)


@pytest.mark.parametrize(
    "carrier,fid,value",
    [
        # grid: elec.grid.GB = 0.177 kgCO2e/kWh (DESNZ 2025)
        ("grid_electricity", "elec.grid.GB", 0.177),
        # natural gas, gross CV basis: fuel.natural_gas.kwh = 0.18296 kgCO2e/kWh (DESNZ 2025)
        ("natural_gas", "fuel.natural_gas.kwh", 0.18296),
        # district heat: heat.district_heat.kwh = 0.17529 kgCO2e/kWh (DESNZ 2025, Scope 2 > Heat and steam > District heat and steam)
        ("district_heat", "heat.district_heat.kwh", 0.17529),
    ],
)
def test_same_energy_in_kwh_mwh_gj_gives_same_tco2e(fs, carrier, fid, value):
    factor = published(fs, fid, value, DESNZ_2025, "kWh")
    # 1,000,000 kWh = 1,000 MWh = 3,600 GJ (1 kWh = 3.6 MJ exactly)
    results = {}
    for amount, unit in ((1_000_000, "kWh"), (1_000, "MWh"), (3_600, "GJ")):
        acc = emissions_account(minimal(energy_use=[energy(carrier, amount, unit)]), fs)
        results[unit] = only_line(acc, factor_id=fid).tco2e_per_year
        assert only_line(acc, factor_id=fid).energy_kwh == pytest.approx(1_000_000)
    # Hand calculation: 1,000,000 kWh x factor / 1000 (e.g. grid: x 0.177 = 177 tCO2e)
    expected = 1_000_000 * factor / 1000
    assert results["kWh"] == pytest.approx(expected, rel=1e-12)
    assert results["MWh"] == pytest.approx(expected, rel=1e-12)
    assert results["GJ"] == pytest.approx(expected, rel=1e-12)


def test_grid_kwh_mwh_gj_literal_177_tonnes(fs):
    published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    # Hand calculation: 3,600 GJ / 0.0036 GJ per kWh = 1,000,000 kWh x 0.177 = 177,000 kg = 177 tCO2e
    for amount, unit in ((1_000_000, "kWh"), (1_000, "MWh"), (3_600, "GJ")):
        acc = emissions_account(minimal(energy_use=[energy("grid_electricity", amount, unit)]), fs)
        assert acc.gross_tco2e_per_year == pytest.approx(177.0)
        assert acc.electricity.grid_kwh == pytest.approx(1_000_000)


def test_missing_factor_district_cooling_names_the_input_path(fs):
    # The library has no district cooling factor (heat.district_cooling.*): the account must refuse, naming the cell.
    assert not fs.with_prefix("heat.district_cooling.")
    m = minimal(energy_use=[energy("grid_electricity", 1_000, "kWh"), energy("district_cooling", 50_000, "kWh", group="offices")])
    with pytest.raises(MissingFactors) as info:
        emissions_account(m, fs)
    [missing] = info.value.missing
    assert missing.path == ("energy_use", 1, "amount")
    assert missing.factor_id == "heat.district_cooling.kwh"
    assert "heat.district_cooling.kwh" in str(info.value)


# --------------------------------------------------------------------------- operational: transport and waste


def test_car_petrol_vkm(fs):
    # Factor: transport.car_petrol.vkm = 0.16272 kgCO2e/vkm, DESNZ 2025 (Scope 3 > Business travel- land > Cars (by size) > Average car >
    # Petrol)
    car = published(fs, "transport.car_petrol.vkm", 0.16272, DESNZ_2025, "vkm")
    row = {"mode": "car_petrol", "annual_amount": 1_000_000, "unit": "vkm"}
    acc = emissions_account(minimal(transport_activity=[row]), fs)
    li = only_line(acc, factor_id="transport.car_petrol.vkm")
    # Hand calculation: 1,000,000 vkm x 0.16272 kgCO2e/vkm = 162,720 kg = 162.72 tCO2e
    assert li.tco2e_per_year == pytest.approx(1_000_000 * car / 1000) == pytest.approx(162.72)
    assert li.subcategory == "transport" and li.scope == 1
    assert li.source_path == "transport_activity[0].annual_amount"


def test_bus_pkm(fs):
    # Factor: transport.bus.pkm = 0.10385 kgCO2e/pkm, DESNZ 2025 (Scope 3 > Business travel- land > Bus > Average local bus)
    bus = published(fs, "transport.bus.pkm", 0.10385, DESNZ_2025, "pkm")
    acc = emissions_account(minimal(transport_activity=[{"mode": "bus", "annual_amount": 2_000_000, "unit": "pkm"}]), fs)
    li = only_line(acc, factor_id="transport.bus.pkm")
    # Hand calculation: 2,000,000 pkm x 0.10385 kgCO2e/pkm = 207,700 kg = 207.7 tCO2e
    assert li.tco2e_per_year == pytest.approx(2_000_000 * bus / 1000) == pytest.approx(207.7)


def test_trips_per_day_times_km_times_365(fs):
    bus = published(fs, "transport.bus.pkm", 0.10385, DESNZ_2025, "pkm")
    row = {"mode": "bus", "trips_per_day": 1_000, "average_trip_km": 5}
    acc = emissions_account(minimal(transport_activity=[row]), fs)
    li = only_line(acc, factor_id="transport.bus.pkm")
    # Hand calculation: 1,000 trips/day x 5 km x 365 days = 1,825,000 pkm;
    #                   1,825,000 pkm x 0.10385 kgCO2e/pkm = 189,526.25 kg = 189.52625 tCO2e
    assert li.activity_amount == pytest.approx(1_825_000)
    assert li.activity_unit == "pkm"
    assert li.tco2e_per_year == pytest.approx(1_000 * 5 * 365 * bus / 1000) == pytest.approx(189.52625)
    assert li.source_path == "transport_activity[0].trips_per_day"
    assert "365" in li.conversion


def test_car_trips_converted_to_vkm_with_cited_occupancy(fs):
    car = published(fs, "transport.car_petrol.vkm", 0.16272, DESNZ_2025, "vkm")
    # Parameter: occupancy.car.persons_per_vehicle = 1.55, DfT National Travel Survey NTS0905
    occ = published_param(fs, "occupancy.car.persons_per_vehicle", 1.55, "National Travel Survey")
    row = {"mode": "car_petrol", "trips_per_day": 310, "average_trip_km": 10}
    acc = emissions_account(minimal(transport_activity=[row]), fs)
    li = only_line(acc, factor_id="transport.car_petrol.vkm")
    # Hand calculation: 310 x 10 km x 365 = 1,131,500 pkm; / 1.55 persons per car = 730,000 vkm;
    #                   730,000 vkm x 0.16272 = 118,785.6 kg = 118.7856 tCO2e
    assert li.activity_amount == pytest.approx(310 * 10 * 365 / occ) == pytest.approx(730_000)
    assert li.tco2e_per_year == pytest.approx(730_000 * car / 1000) == pytest.approx(118.7856)


def test_landfill_tonnes(fs):
    # Factor: waste.mixed.landfill = 497.24244 kgCO2e/t, DESNZ 2025 (Waste disposal > Refuse > Household residual waste > Landfill)
    landfill = published(fs, "waste.mixed.landfill", 497.24244, DESNZ_2025, "tonne")
    acc = emissions_account(minimal(waste=[{"stream": "mixed", "treatment": "landfill", "tonnes_per_year": 100}]), fs)
    li = only_line(acc, factor_id="waste.mixed.landfill")
    # Hand calculation: 100 t x 497.24244 kgCO2e/t = 49,724.244 kg = 49.724244 tCO2e
    assert li.tco2e_per_year == pytest.approx(100 * landfill / 1000) == pytest.approx(49.724244)
    assert li.scope == 3 and li.sector == "waste"


# --------------------------------------------------------------------------- embodied


PROJECT = {
    "project_id": "P1",
    "name": "Block A",
    "project_type": "new_build",
    "building_type": "residential",
    "gfa_m2": 2_000,
    "completion_year": 2024,
}


def test_concrete_and_steel_bill_of_materials_a1_a5_annualised(fs):
    # Factors:
    #   material.concrete = 118.79306 kgCO2e/t, DESNZ 2025 (Material use > Construction > Concrete > Primary material production)
    #   material.steel_rebar = 0.683355 kgCO2e/kg, OEKOBAUDAT (BMWSB) generic dataset 'Bewehrungsstahl', reference year 2018, A1-A3
    #   freight.truck.tkm = 0.10163 kgCO2e/tkm, DESNZ 2025 (Scope 3 > Freighting goods > HGV (all diesel) > All HGVs > Average laden)
    # Parameter: rsp.building.years = 60 years, RICS WLCA 2nd ed. (2023) / EN 15978
    concrete = published(fs, "material.concrete", 118.79306, DESNZ_2025, "tonne")
    steel = published(fs, "material.steel_rebar", 0.683355, OKOBAUDAT, "kg")
    truck = published(fs, "freight.truck.tkm", 0.10163, DESNZ_2025, "tkm")
    rsp = published_param(fs, "rsp.building.years", 60, RICS_2023)
    project = dict(PROJECT, wastage_rate_pct=10)  # stated project wastage rate WR = 10%
    materials = [
        {"project_id": "P1", "material": "concrete", "quantity": 1_000, "unit": "tonne", "transport_km": 50},
        {"project_id": "P1", "material": "steel_rebar", "quantity": 50_000, "unit": "kg", "transport_km": 200},
    ]
    acc = emissions_account(minimal(construction_projects=[project], construction_materials=materials), fs)

    # Concrete
    #   A1-A3 = 1,000 t x 118.79306 kgCO2e/t / 1000 = 118.79306 t
    #   A4    = 1,000 t x 50 km = 50,000 tkm x 0.10163 kgCO2e/tkm / 1000 = 5.0815 t
    #   A5w   = (118.79306 + 5.0815) x 0.10 / (1 - 0.10) = 123.87456 / 9 = 13.76384 t
    c13 = only_line(acc, factor_id="material.concrete", lifecycle_module="A1-A3")
    c4 = only_line(acc, factor_id="freight.truck.tkm", source_path="construction_materials[0].transport_km")
    c5 = only_line(acc, factor_id="material.concrete", lifecycle_module="A5")
    assert c13.upfront_tco2e == pytest.approx(1_000 * concrete / 1000) == pytest.approx(118.79306)
    assert c4.activity_amount == pytest.approx(50_000)
    assert c4.upfront_tco2e == pytest.approx(50_000 * truck / 1000) == pytest.approx(5.0815)
    assert c5.upfront_tco2e == pytest.approx((118.79306 + 5.0815) * 0.10 / 0.90) == pytest.approx(13.7638400, rel=1e-7)

    # Steel
    #   A1-A3 = 50,000 kg x 0.683355 kgCO2e/kg / 1000 = 34.16775 t
    #   A4    = 50 t x 200 km = 10,000 tkm x 0.10163 / 1000 = 1.0163 t
    #   A5w   = (34.16775 + 1.0163) x 0.10 / 0.90 = 35.18405 / 9 = 3.9093389 t
    s13 = only_line(acc, factor_id="material.steel_rebar", lifecycle_module="A1-A3")
    s4 = only_line(acc, factor_id="freight.truck.tkm", source_path="construction_materials[1].transport_km")
    s5 = only_line(acc, factor_id="material.steel_rebar", lifecycle_module="A5")
    assert s13.upfront_tco2e == pytest.approx(50_000 * steel / 1000) == pytest.approx(34.16775)
    assert s4.activity_amount == pytest.approx(10_000)
    assert s4.upfront_tco2e == pytest.approx(10_000 * truck / 1000) == pytest.approx(1.0163)
    assert s5.upfront_tco2e == pytest.approx(35.18405 / 9) == pytest.approx(3.9093389, rel=1e-7)

    # Upfront (A1-A5) = (123.87456 + 35.18405) / 0.9 = 159.05861 / 0.9 = 176.731789 t
    # Annual = 176.731789 / 60 years = 2.9455298 tCO2e/yr
    upfront = (123.87456 + 35.18405) / 0.9
    assert upfront == pytest.approx(176.731789, rel=1e-8)
    assert acc.by_category["embodied"].tco2e_per_year == pytest.approx(upfront / rsp) == pytest.approx(2.9455298, rel=1e-7)
    for li in (c13, c4, c5, s13, s4, s5):
        assert li.tco2e_per_year == pytest.approx(li.upfront_tco2e / 60)
        assert li.category == "embodied" and li.scope == 3 and li.project_id == "P1"
    [proj] = acc.embodied_projects
    assert proj.reference_study_period_years == 60
    assert proj.upfront_tco2e == pytest.approx(upfront)
    # upfront intensity: 176,731.789 kgCO2e / 2,000 m2 = 88.3659 kgCO2e/m2
    assert proj.kgco2e_per_m2 == pytest.approx(upfront * 1000 / 2_000) == pytest.approx(88.3658945, rel=1e-7)
    assert proj.by_module["A1-A3"] == pytest.approx(118.79306 + 34.16775)
    assert proj.by_module["A4"] == pytest.approx(5.0815 + 1.0163)
    assert proj.by_module["A5"] == pytest.approx(13.76384 + 3.9093389, rel=1e-6)


def test_stated_study_period_replaces_default(fs):
    concrete = published(fs, "material.concrete", 118.79306, DESNZ_2025, "tonne")
    project = dict(PROJECT, wastage_rate_pct=0, reference_study_period_years=30)
    acc = emissions_account(
        minimal(
            construction_projects=[project],
            construction_materials=[{"project_id": "P1", "material": "concrete", "quantity": 1_000, "unit": "tonne"}],
        ),
        fs,
    )
    # Hand calculation: 1,000 t x 118.79306 / 1000 = 118.79306 t upfront; / 30 years = 3.9597687 tCO2e/yr; no A4 (no distance), no A5 (WR 0)
    li = only_line(acc, factor_id="material.concrete")
    assert li.tco2e_per_year == pytest.approx(1_000 * concrete / 1000 / 30) == pytest.approx(3.9597687, rel=1e-7)
    assert len(acc.line_items) == 1


def test_b4_replacements(fs):
    # Factors: material.insulation = 1861.79306 kgCO2e/t (DESNZ 2025, Material use > Construction > Insulation > Primary material
    # production);
    #          freight.truck.tkm = 0.10163 kgCO2e/tkm (DESNZ 2025)
    ins = published(fs, "material.insulation", 1861.79306, DESNZ_2025, "tonne")
    truck = published(fs, "freight.truck.tkm", 0.10163, DESNZ_2025, "tkm")
    published_param(fs, "rsp.building.years", 60, RICS_2023)
    project = dict(PROJECT, wastage_rate_pct=0)
    mat = {"project_id": "P1", "material": "insulation", "quantity": 10, "unit": "tonne", "transport_km": 100, "replacements": 2}
    acc = emissions_account(minimal(construction_projects=[project], construction_materials=[mat]), fs)
    # Hand calculation:
    #   A1-A3 = 10 t x 1861.79306 / 1000 = 18.6179306 t
    #   A4    = 10 t x 100 km = 1,000 tkm x 0.10163 / 1000 = 0.10163 t
    #   B4    = 2 replacements x (18.6179306 + 0.10163) = 37.4391212 t (not upfront)
    #   annual B4 = 37.4391212 / 60 = 0.62398535 tCO2e/yr
    b4 = only_line(acc, lifecycle_module="B4")
    a13 = 10 * ins / 1000
    a4 = 1_000 * truck / 1000
    assert a13 == pytest.approx(18.6179306) and a4 == pytest.approx(0.10163)
    assert b4.tco2e_per_year == pytest.approx(2 * (a13 + a4) / 60) == pytest.approx(0.62398535, rel=1e-7)
    assert b4.upfront_tco2e == 0.0
    assert b4.source_path == "construction_materials[0].replacements"
    [proj] = acc.embodied_projects
    # Upfront excludes B4: 18.6179306 + 0.10163 = 18.7195606 t; by_module B4 = 37.4391212 t
    assert proj.upfront_tco2e == pytest.approx(18.7195606)
    assert proj.by_module["B4"] == pytest.approx(37.4391212)
    # Annual total = (18.7195606 + 37.4391212) / 60 = 0.93597803 tCO2e/yr
    assert acc.by_category["embodied"].tco2e_per_year == pytest.approx(56.1586818 / 60)


def test_wastage_rate_of_100_percent_is_rejected_or_finite(fs, method):
    """At 100% the A5w rule (A1-A3 + A4) x WR/(1-WR) divides by zero.
    Correct behaviour: either the input is rejected (field bounds or checks), or the engine returns finite numbers (never a crash)."""
    from pydantic import ValidationError

    from assessment.io.rules import cross_checks

    project = dict(PROJECT, wastage_rate_pct=100)
    try:
        m = minimal(
            construction_projects=[project],
            construction_materials=[{"project_id": "P1", "material": "concrete", "quantity": 10, "unit": "tonne"}],
        )
    except ValidationError as exc:
        assert any(e["loc"][-1] == "wastage_rate_pct" for e in exc.errors())
        return
    flagged = [c for c in cross_checks(m, method) if c[0][:1] == ("construction_projects",)]
    if flagged:
        return
    acc = emissions_account(m, fs)
    assert all(math.isfinite(li.tco2e_per_year) for li in acc.line_items)


# --------------------------------------------------------------------------- consumption


def test_long_haul_flights_per_capita_times_population(fs):
    # Factor: flight.long_haul.pkm = 0.15282 kgCO2e/pkm, DESNZ 2025 (Scope 3 > Business travel- air > Flights > Long-haul, to/from UK >
    # Average passenger > With RF)
    fl = published(fs, "flight.long_haul.pkm", 0.15282, DESNZ_2025, "pkm")
    row = {"item": "flights_long_haul", "amount": 2_000, "unit": "pkm", "basis": "per_capita"}
    acc = emissions_account(minimal(consumption=[row]), fs)
    li = only_line(acc, factor_id="flight.long_haul.pkm")
    # Hand calculation: 2,000 pkm per resident x 1,000 residents = 2,000,000 pkm; x 0.15282 = 305,640 kg = 305.64 tCO2e
    assert li.activity_amount == pytest.approx(2_000_000)
    assert li.tco2e_per_year == pytest.approx(2_000 * 1_000 * fl / 1000) == pytest.approx(305.64)
    assert li.category == "consumption" and li.subcategory == "travel"


def test_flights_given_as_trips(fs):
    fl = published(fs, "flight.long_haul.pkm", 0.15282, DESNZ_2025, "pkm")
    row = {"item": "flights_long_haul", "amount": 0.5, "unit": "trip", "basis": "per_capita", "average_trip_km": 8_000}
    acc = emissions_account(minimal(consumption=[row]), fs)
    # Hand calculation: 0.5 trips x 1,000 residents x 8,000 km = 4,000,000 pkm x 0.15282 / 1000 = 611.28 tCO2e
    li = only_line(acc, factor_id="flight.long_haul.pkm")
    assert li.tco2e_per_year == pytest.approx(0.5 * 1_000 * 8_000 * fl / 1000) == pytest.approx(611.28)


def test_food_from_diet_shares(fs):
    # Factors (Scarborough et al. 2014, Climatic Change 125:179-192; kgCO2e/day x 365):
    #   consumption.diet_high_meat.person_year = 2624.35 (7.19 x 365)
    #   consumption.diet_vegan.person_year     = 1054.85 (2.89 x 365)
    high = published(fs, "consumption.diet_high_meat.person_year", 2624.35, SCARBOROUGH_2014, "person_year")
    vegan = published(fs, "consumption.diet_vegan.person_year", 1054.85, SCARBOROUGH_2014, "person_year")
    assert high == pytest.approx(7.19 * 365) and vegan == pytest.approx(2.89 * 365)
    diet = [{"diet": "high_meat", "share_pct": 40}, {"diet": "vegan", "share_pct": 60}]
    acc = emissions_account(minimal(diet_profile=diet), fs)
    # Hand calculation (population 1,000):
    #   high meat: 40% x 1,000 = 400 person-years x 2624.35 = 1,049,740 kg = 1,049.74 t
    #   vegan:     60% x 1,000 = 600 person-years x 1054.85 =   632,910 kg =   632.91 t
    #   food total = 1,682.65 tCO2e
    hm = only_line(acc, factor_id="consumption.diet_high_meat.person_year")
    vg = only_line(acc, factor_id="consumption.diet_vegan.person_year")
    assert hm.activity_amount == pytest.approx(400) and vg.activity_amount == pytest.approx(600)
    assert hm.tco2e_per_year == pytest.approx(400 * high / 1000) == pytest.approx(1049.74)
    assert vg.tco2e_per_year == pytest.approx(600 * vegan / 1000) == pytest.approx(632.91)
    assert acc.by_category["consumption"].by_subcategory["food"] == pytest.approx(1682.65)


def test_spend_converted_from_cny_to_usd(fs):
    # Factor: consumption.clothing_spend.USD = 0.145 kgCO2e/USD (2021), US EPA Supply Chain GHG Emission Factors v1.2 (NAICS 315240, with
    # margins)
    clothing = published(fs, "consumption.clothing_spend.USD", 0.145, EPA_SUPPLY_CHAIN, "USD")
    # Parameter: fx.CNY_per_USD = 6.4508 CNY per USD (2021 annual average), Federal Reserve G.5A
    fx = published_param(fs, "fx.CNY_per_USD", 6.4508, FED_G5A)
    row = {"item": "clothing_spend", "amount": 645.08, "unit": "money", "basis": "per_capita"}
    acc = emissions_account(minimal(profile={"currency": "CNY"}, consumption=[row]), fs)
    li = only_line(acc, factor_id="consumption.clothing_spend.USD")
    # Hand calculation: 645.08 CNY x 1,000 residents = 645,080 CNY / 6.4508 CNY per USD = 100,000 USD;
    #                   100,000 USD x 0.145 kgCO2e/USD = 14,500 kg = 14.5 tCO2e
    assert li.activity_amount == pytest.approx(645.08 * 1_000 / fx) == pytest.approx(100_000)
    assert li.tco2e_per_year == pytest.approx(100_000 * clothing / 1000) == pytest.approx(14.5)
    assert li.subcategory == "clothing"


def test_spend_per_household(fs):
    # Factor: consumption.goods_spend.USD = 0.225 kgCO2e/USD (2021), US EPA Supply Chain GHG Emission Factors v1.2 (NAICS 339999, with
    # margins)
    goods = published(fs, "consumption.goods_spend.USD", 0.225, EPA_SUPPLY_CHAIN, "USD")
    row = {"item": "goods_spend", "amount": 1_000, "unit": "money", "basis": "per_household"}
    acc = emissions_account(minimal(consumption=[row]), fs)
    # Hand calculation: 1,000 USD x 400 households = 400,000 USD x 0.225 kgCO2e/USD = 90,000 kg = 90 tCO2e
    assert (
        only_line(acc, factor_id="consumption.goods_spend.USD").tco2e_per_year
        == pytest.approx(400 * 1_000 * goods / 1000)
        == pytest.approx(90.0)
    )


# --------------------------------------------------------------------------- removals and offsets


GRID_100MWH = [energy("grid_electricity", 100_000, "kWh")]  # 100,000 kWh x 0.177 = 17.7 tCO2e


def test_removals_by_canopy(fs):
    # Factor: removal.tree_canopy.m2_year = 1.0267 kgCO2/m2/yr, Nowak et al. 2013 (0.28 kgC/m2/yr x 44/12)
    canopy = published(fs, "removal.tree_canopy.m2_year", 1.0267, NOWAK_2013, "m2_year")
    assert canopy == pytest.approx(0.28 * 44 / 12, rel=1e-4)
    published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    m = minimal(profile={"site_area_ha": 10}, nature={"canopy_cover_pct": 20}, energy_use=GRID_100MWH)
    acc = emissions_account(m, fs)
    # Hand calculation: 20% x 10 ha x 10,000 m2/ha = 20,000 m2 x 1.0267 kg/m2/yr = 20,534 kg = 20.534 tCO2e/yr
    [r] = acc.removal_items
    assert r.kind == "tree_canopy" and r.activity_amount == pytest.approx(20_000)
    assert r.tco2e_per_year == pytest.approx(20_000 * canopy / 1000) == pytest.approx(20.534)
    assert acc.removals_tco2e_per_year == pytest.approx(20.534)
    # net = 17.7 - 20.534 = -2.834 tCO2e (removals are not capped at gross)
    assert acc.gross_tco2e_per_year == pytest.approx(17.7)
    assert acc.net_tco2e_per_year == pytest.approx(17.7 - 20.534)


def test_measured_sequestration_takes_precedence(fs):
    published(fs, "removal.tree_canopy.m2_year", 1.0267, NOWAK_2013)
    nature = {"canopy_cover_pct": 20, "tree_count": 5_000, "measured_sequestration_tco2e": 5}
    m = minimal(
        profile={"site_area_ha": 10},
        nature=nature,
        energy_use=GRID_100MWH,
        green_space=[{"name": "Wood", "space_type": "woodland", "area_m2": 10_000}],
    )
    acc = emissions_account(m, fs)
    # Hand calculation: measured 5 tCO2e replaces canopy (20.534 t), trees and woodland: removals = 5 exactly
    [r] = acc.removal_items
    assert r.kind == "measured" and r.tco2e_per_year == 5
    assert acc.removals_tco2e_per_year == 5
    assert acc.net_tco2e_per_year == pytest.approx(17.7 - 5)


def test_removals_by_tree_count_plus_woodland_when_no_canopy(fs):
    # Factors (US EPA GHG Equivalencies Calculator):
    #   removal.urban_tree.tree_year = 6 kgCO2/tree/yr (0.060 t per urban tree over 10 years / 10)
    #   removal.woodland.m2_year = 0.2026 kgCO2/m2/yr (0.82 t CO2/acre/yr / 4,046.86 m2)
    EPA_EQUIV = "US EPA, Greenhouse Gas Equivalencies Calculator"
    tree = published(fs, "removal.urban_tree.tree_year", 6, EPA_EQUIV, "tree_year")
    wood = published(fs, "removal.woodland.m2_year", 0.2026, EPA_EQUIV, "m2_year")
    m = minimal(
        nature={"tree_count": 1_000}, energy_use=GRID_100MWH, green_space=[{"name": "Wood", "space_type": "woodland", "area_m2": 10_000}]
    )
    acc = emissions_account(m, fs)
    # Hand calculation: 1,000 trees x 6 kg = 6,000 kg = 6 t; woodland 10,000 m2 x 0.2026 = 2,026 kg = 2.026 t; total 8.026 tCO2e/yr
    assert sorted(r.kind for r in acc.removal_items) == ["urban_trees", "woodland"]
    assert acc.removals_tco2e_per_year == pytest.approx(1_000 * tree / 1000 + 10_000 * wood / 1000) == pytest.approx(8.026)
    # with canopy given, canopy replaces trees and woodland (no double counting): 10% x 24 ha x 10,000 = 24,000 m2 x 1.0267 = 24.6408 t
    canopy = published(fs, "removal.tree_canopy.m2_year", 1.0267, NOWAK_2013)
    m2 = minimal(
        profile={"site_area_ha": 24},
        nature={"tree_count": 1_000, "canopy_cover_pct": 10},
        energy_use=GRID_100MWH,
        green_space=[{"name": "Wood", "space_type": "woodland", "area_m2": 10_000}],
    )
    acc2 = emissions_account(m2, fs)
    assert [r.kind for r in acc2.removal_items] == ["tree_canopy"]
    assert acc2.removals_tco2e_per_year == pytest.approx(24_000 * canopy / 1000) == pytest.approx(24.6408)


def test_offsets_kept_separate_from_removals(fs):
    published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    offsets = [{"project": "Cookstoves", "standard": "gold_standard", "vintage_year": 2023, "tco2e": 10}]
    m = minimal(nature={"measured_sequestration_tco2e": 2}, energy_use=GRID_100MWH, offsets=offsets)
    acc = emissions_account(m, fs)
    # Hand calculation: gross 17.7; removals 2 -> net 15.7; offsets 10 -> net with offsets 5.7
    assert acc.gross_tco2e_per_year == pytest.approx(17.7)
    assert acc.removals_tco2e_per_year == pytest.approx(2)
    assert acc.offsets_tco2e_per_year == pytest.approx(10)
    assert acc.net_tco2e_per_year == pytest.approx(15.7)
    assert acc.net_with_offsets_tco2e_per_year == pytest.approx(5.7)
    assert [r.kind for r in acc.removal_items] == ["measured"]
    assert len(acc.offset_items) == 1
    # per capita net excludes offsets: 15.7 / 1,000 = 0.0157
    assert acc.net_per_capita_tco2e_per_year == pytest.approx(0.0157)
    # the trajectory uses net, never net with offsets
    assert acc.trajectory.net_tco2e == pytest.approx(15.7)


# --------------------------------------------------------------------------- electricity accounting


def test_onsite_renewables_self_consumed_zero_line_exported_not_subtracted(fs):
    grid = published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    pv = {"system": "Roof PV", "technology": "solar_pv", "generated_kwh": 50_000, "self_consumed_kwh": 30_000, "exported_kwh": 20_000}
    acc = emissions_account(minimal(energy_use=GRID_100MWH, renewable_generation=[pv]), fs)
    zero = only_line(acc, factor_id="onsite.renewable.kwh")
    assert zero.tco2e_per_year == 0.0 and zero.factor_kgco2e_per_unit == 0.0
    assert zero.activity_amount == pytest.approx(30_000) and zero.energy_kwh == pytest.approx(30_000)
    # Hand calculation: gross = 100,000 kWh imported x 0.177 / 1000 = 17.7 tCO2e; the 20,000 kWh exported are not deducted
    # (an export credit would give 17.7 - 20,000 x 0.177 / 1000 = 14.16; that must NOT happen)
    assert acc.gross_tco2e_per_year == pytest.approx(100_000 * grid / 1000) == pytest.approx(17.7)
    assert acc.electricity.exported_kwh == pytest.approx(20_000)
    assert acc.electricity.onsite_self_consumed_kwh == pytest.approx(30_000)
    assert acc.electricity.onsite_generated_kwh == pytest.approx(50_000)
    # same account with no export reported: identical gross
    pv_no_export = dict(pv, exported_kwh=None)
    acc2 = emissions_account(minimal(energy_use=GRID_100MWH, renewable_generation=[pv_no_export]), fs)
    assert acc2.gross_tco2e_per_year == acc.gross_tco2e_per_year


def test_market_based_with_green_tariff(fs):
    grid = published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    green = [{"instrument": "green_tariff", "kwh": 60_000, "kgco2e_per_kwh": 0.0}]
    acc = emissions_account(minimal(energy_use=GRID_100MWH, green_electricity=green), fs)
    e = acc.electricity
    # Hand calculation: location-based = 100,000 x 0.177 / 1000 = 17.7 t;
    #                   market-based = 60,000 kWh x 0 + (100,000 - 60,000) kWh x 0.177 / 1000 = 7.08 t
    assert e.location_based_tco2e == pytest.approx(17.7)
    assert e.market_based_tco2e == pytest.approx(40_000 * grid / 1000) == pytest.approx(7.08)
    assert e.green_kwh == pytest.approx(60_000)
    # the account itself stays location-based
    assert acc.gross_tco2e_per_year == pytest.approx(17.7)
    # without instruments the market-based figure is not reported
    assert emissions_account(minimal(energy_use=GRID_100MWH), fs).electricity.market_based_tco2e is None


def test_market_based_counts_only_consumed_contracted_kwh(fs):
    """Instruments covering more kWh than were used cannot add emissions beyond the consumption they cover
    (GHG Protocol Scope 2 Guidance: instruments apply to consumption)."""
    published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    green = [{"instrument": "ppa", "kwh": 150_000, "kgco2e_per_kwh": 0.05}]
    acc = emissions_account(minimal(energy_use=GRID_100MWH, green_electricity=green), fs)
    # Hand calculation: 100,000 kWh consumed, all covered by the PPA at 0.05 kgCO2e/kWh:
    #                   100,000 x 0.05 / 1000 = 5.0 tCO2e; residual 0 kWh at grid factor
    assert acc.electricity.market_based_tco2e == pytest.approx(5.0)


# --------------------------------------------------------------------------- trajectory


def test_trajectory_linear_path_through_interim_to_zero(fs):
    grid = published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    profile = {
        "reporting_year": 2024,
        "baseline_year": 2020,
        "baseline_net_tco2e": 1_000,
        "interim_target_year": 2030,
        "interim_target_reduction_pct": 40,
        "target_net_zero_year": 2050,
    }
    acc = emissions_account(minimal(profile=profile, energy_use=[energy("grid_electricity", 5_000_000, "kWh")]), fs)
    t = acc.trajectory
    # Net = 5,000,000 kWh x 0.177 / 1000 = 885 tCO2e
    assert t.net_tco2e == pytest.approx(5_000_000 * grid / 1000) == pytest.approx(885)
    # Interim = 1,000 x (1 - 40%) = 600 t in 2030
    assert t.interim_target_tco2e == pytest.approx(600)
    # Path in 2024 = 1,000 + (600 - 1,000) x (2024 - 2020) / (2030 - 2020) = 1,000 - 160 = 840 t
    assert t.path_tco2e_at_reporting_year == pytest.approx(840)
    # Gap = 885 - 840 = 45 t = 45 / 840 = 5.357142857%
    assert t.gap_tco2e == pytest.approx(45)
    assert t.gap_pct == pytest.approx(45 / 840 * 100) == pytest.approx(5.357142857)
    # Change from baseline = (885 - 1,000) / 1,000 = -11.5%
    assert t.change_from_baseline_pct == pytest.approx(-11.5)
    path = {p.year: p.net_tco2e for p in t.path}
    assert min(path) == 2020 and max(path) == 2050 and len(path) == 31
    assert path[2020] == pytest.approx(1_000)
    assert path[2030] == pytest.approx(600)
    # 2040: 600 + (0 - 600) x (2040 - 2030) / (2050 - 2030) = 300
    assert path[2040] == pytest.approx(300)
    assert path[2050] == 0.0
    # straight segments: equal steps of 40 t/yr to 2030 and 30 t/yr after
    assert path[2021] - path[2020] == pytest.approx(-40)
    assert path[2031] - path[2030] == pytest.approx(-30)


def test_trajectory_without_baseline_starts_at_reporting_year(fs):
    published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    acc = emissions_account(minimal(energy_use=GRID_100MWH), fs)
    t = acc.trajectory
    # Baseline = this year's net (17.7 t) in 2024: on the path by definition, gap 0
    assert t.baseline_is_reporting_year and t.baseline_year == 2024
    assert t.baseline_net_tco2e == pytest.approx(17.7)
    assert t.gap_tco2e == pytest.approx(0) and t.gap_pct == pytest.approx(0)
    assert t.change_from_baseline_pct is None
    # 2037 is half-way from 2024 to 2050: 17.7 / 2 = 8.85
    assert {p.year: p.net_tco2e for p in t.path}[2037] == pytest.approx(8.85)


# --------------------------------------------------------------------------- intensities, totals, data quality


def test_intensities_per_capita_per_m2_per_job(fs):
    published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    profile = {
        "population": 100,
        "households": 40,
        "jobs": 50,
        "gfa_residential_m2": 1_000,
        "gfa_office_m2": 500,
        "gfa_retail_m2": None,
        "gfa_public_m2": None,
        "gfa_industrial_m2": None,
        "gfa_other_m2": None,
    }
    acc = emissions_account(minimal(profile=profile, energy_use=GRID_100MWH), fs)
    # Hand calculation: gross 17.7 t; per capita 17.7 / 100 = 0.177 t; per m2 17,700 kg / 1,500 m2 = 11.8 kg; per job 17.7 / 50 = 0.354 t
    assert acc.per_capita_tco2e_per_year == pytest.approx(0.177)
    assert acc.per_m2_kgco2e_per_year == pytest.approx(11.8)
    assert acc.per_job_tco2e_per_year == pytest.approx(0.354)
    no_jobs = emissions_account(minimal(profile=dict(profile, jobs=0), energy_use=GRID_100MWH), fs)
    assert no_jobs.per_job_tco2e_per_year is None


def _everything() -> NeighbourhoodInput:
    return minimal(
        energy_use=[
            energy("grid_electricity", 100_000, "kWh", quality="measured"),
            energy("natural_gas", 10_000, "m3", quality="estimated"),
            energy("district_heat", 20, "MWh"),
        ],
        renewable_generation=[{"system": "PV", "technology": "solar_pv", "generated_kwh": 5_000, "self_consumed_kwh": 5_000}],
        transport_activity=[
            {"mode": "car_petrol", "annual_amount": 100_000, "unit": "vkm", "data_quality": "calculated"},
            {"mode": "bus", "trips_per_day": 100, "average_trip_km": 4, "data_quality": "default"},
        ],
        waste=[{"stream": "mixed", "treatment": "landfill", "tonnes_per_year": 50}],
        construction_projects=[dict(PROJECT, wastage_rate_pct=5)],
        construction_materials=[
            {"project_id": "P1", "material": "concrete", "quantity": 500, "unit": "tonne", "transport_km": 30},
            {"project_id": "P1", "material": "steel_rebar", "quantity": 20_000, "unit": "kg", "transport_km": 100, "replacements": 1},
        ],
        diet_profile=[{"diet": "medium_meat", "share_pct": 70}, {"diet": "vegetarian", "share_pct": 30}],
        consumption=[
            {"item": "services_spend", "amount": 500, "unit": "money", "basis": "per_capita"},
            {"item": "flights_short_haul", "amount": 300, "unit": "pkm", "basis": "per_capita"},
        ],
        nature={"tree_count": 100},
        offsets=[{"project": "Wind", "standard": "verra_vcs", "tco2e": 3}],
    )


def test_category_totals_are_sums_of_line_items_and_gross_is_sum_of_categories(fs):
    acc = emissions_account(_everything(), fs)
    assert set(acc.by_category) == {"operational", "embodied", "consumption"}
    for cat, total in acc.by_category.items():
        lines = [li for li in acc.line_items if li.category == cat]
        assert lines, cat
        assert total.tco2e_per_year == pytest.approx(sum(li.tco2e_per_year for li in lines), rel=1e-12)
        assert sum(total.by_subcategory.values()) == pytest.approx(total.tco2e_per_year, rel=1e-12)
        for sub, v in total.by_subcategory.items():
            assert v == pytest.approx(sum(li.tco2e_per_year for li in lines if li.subcategory == sub), rel=1e-12)
    assert acc.gross_tco2e_per_year == pytest.approx(sum(c.tco2e_per_year for c in acc.by_category.values()), rel=1e-12)
    assert acc.gross_tco2e_per_year == pytest.approx(sum(li.tco2e_per_year for li in acc.line_items), rel=1e-12)
    assert sum(s.tco2e_per_year for s in acc.by_sector_scope) == pytest.approx(acc.gross_tco2e_per_year, rel=1e-12)
    assert acc.removals_tco2e_per_year == pytest.approx(sum(r.tco2e_per_year for r in acc.removal_items))
    assert acc.net_tco2e_per_year == pytest.approx(acc.gross_tco2e_per_year - acc.removals_tco2e_per_year)
    assert acc.net_with_offsets_tco2e_per_year == pytest.approx(acc.net_tco2e_per_year - 3)
    # every line's tCO2e = activity x factor / 1000 (A5/B4 lines are derived from A1-A4 and excluded)
    for li in acc.line_items:
        if li.lifecycle_module in ("A5", "B4") and li.factor_id.startswith("material."):
            continue
        rsp = 60 if li.category == "embodied" else 1
        assert li.tco2e_per_year == pytest.approx(li.activity_amount * li.factor_kgco2e_per_unit / 1000 / rsp, rel=1e-12)


def test_category_totals_by_hand(fs):
    # Operational: grid 100,000 x 0.177 = 17.7 t; waste 50 t x 497.24244 / 1000 = 24.862122 t
    grid = published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    landfill = published(fs, "waste.mixed.landfill", 497.24244, DESNZ_2025)
    # Consumption: 10% vegan x 1,000 = 100 person-years x 1054.85 = 105.485 t
    vegan = published(fs, "consumption.diet_vegan.person_year", 1054.85, SCARBOROUGH_2014)
    m = minimal(
        energy_use=GRID_100MWH,
        waste=[{"stream": "mixed", "treatment": "landfill", "tonnes_per_year": 50}],
        diet_profile=[{"diet": "vegan", "share_pct": 10}],
    )
    acc = emissions_account(m, fs)
    assert (
        acc.by_category["operational"].tco2e_per_year
        == pytest.approx(100_000 * grid / 1000 + 50 * landfill / 1000)
        == pytest.approx(42.562122)
    )
    assert acc.by_category["operational"].by_subcategory == pytest.approx({"energy": 17.7, "waste": 24.862122})
    assert acc.by_category["embodied"].tco2e_per_year == 0
    assert acc.by_category["consumption"].tco2e_per_year == pytest.approx(100 * vegan / 1000) == pytest.approx(105.485)
    # gross = 42.562122 + 0 + 105.485 = 148.047122
    assert acc.gross_tco2e_per_year == pytest.approx(148.047122)


def test_data_quality_shares_sum_to_100(fs):
    acc = emissions_account(_everything(), fs)
    shares = acc.data_quality_shares_pct
    assert set(shares) == {"measured", "calculated", "estimated", "default", "not_stated"}
    assert sum(shares.values()) == pytest.approx(100)
    assert all(v >= 0 for v in shares.values())


def test_data_quality_shares_by_hand(fs):
    grid = published(fs, "elec.grid.GB", 0.177, DESNZ_2025)
    gas = published(fs, "fuel.natural_gas.m3", 2.06672, DESNZ_2025)
    landfill = published(fs, "waste.mixed.landfill", 497.24244, DESNZ_2025)
    m = minimal(
        energy_use=[
            energy("grid_electricity", 100_000, "kWh", quality="measured"),
            energy("natural_gas", 10_000, "m3", quality="estimated"),
        ],
        waste=[{"stream": "mixed", "treatment": "landfill", "tonnes_per_year": 10}],
    )
    acc = emissions_account(m, fs)
    # Hand calculation: measured 17.7 t; estimated 20.6672 t; not stated 10 x 497.24244 / 1000 = 4.9724244 t; gross 43.3396244 t
    measured, estimated, unstated = 100_000 * grid / 1000, 10_000 * gas / 1000, 10 * landfill / 1000
    gross = measured + estimated + unstated
    assert gross == pytest.approx(43.3396244)
    s = acc.data_quality_shares_pct
    # 17.7 / 43.3396244 = 40.84022%; 20.6672 / 43.3396244 = 47.68662%; 4.9724244 / 43.3396244 = 11.47316%
    assert s["measured"] == pytest.approx(measured / gross * 100) == pytest.approx(40.84022, rel=1e-6)
    assert s["estimated"] == pytest.approx(estimated / gross * 100) == pytest.approx(47.68662, rel=1e-6)
    assert s["not_stated"] == pytest.approx(unstated / gross * 100) == pytest.approx(11.47316, rel=1e-6)
    assert s["calculated"] == 0 and s["default"] == 0
    assert sum(s.values()) == pytest.approx(100)


# --------------------------------------------------------------------------- the samples


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_samples_assess_without_error(name, fs):
    m = NeighbourhoodInput.model_validate(sample_data(name))
    acc = emissions_account(m, fs)
    pop = m.profile.population
    per_cap = {cat: acc.by_category[cat].tco2e_per_year / pop for cat in ("operational", "embodied", "consumption")}
    print(
        f"\n{name}: per capita operational {per_cap['operational']:.3f}, embodied (annualised) {per_cap['embodied']:.3f}, "
        f"consumption {per_cap['consumption']:.3f}, total {sum(per_cap.values()):.3f} tCO2e/yr"
    )
    assert acc.gross_tco2e_per_year > 0
    assert all(v > 0 for v in per_cap.values())
    assert sum(per_cap.values()) == pytest.approx(acc.per_capita_tco2e_per_year)
    assert all(li.tco2e_per_year >= 0 for li in acc.line_items)
    assert sum(acc.data_quality_shares_pct.values()) == pytest.approx(100)
    # every factor used is cited
    assert all(f.source and f.licence for f in acc.factors_used)
    # plausibility: a neighbourhood footprint of 1-30 tCO2e per resident per year
    assert 1 < acc.per_capita_tco2e_per_year < 30

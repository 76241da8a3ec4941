"""Scenario planning (nzn plan): levers, ordering, projection, cost, validation and the samples.

Every expected abatement is a hand calculation written out in the test from the
library's factors and parameters, each read by its id (``published`` /
``published_param`` also pin the published value and its source, so a silent
change of the library fails the test that relies on it). Unless a test says
otherwise the inputs are minimal (the riverside sample emptied, GB grid, USD,
1,000 residents, reporting year 2024, target 2050: ``tests.test_emissions.minimal``),
with zero growth and the grid factor held at today's value
(``grid_factor_change_pct_per_year = 0``; left blank, the GB grid would follow the
library's published trajectory).

Abatements are read from :func:`assessment.scenarios.plan.plan` (the measure's
``abatement_by_measure`` in a year at full effect), and for one lever also from
the engine run before and after the lever function alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.checks import validate_input
from assessment.checks.measures import measure_checks
from assessment.emissions.account import emissions_account
from assessment.emissions.factors import load_factors
from assessment.emissions.totals import totals
from assessment.errors import InputInvalid
from assessment.model.method import load_method
from assessment.pipeline import assess_file, results_json
from assessment.scenarios.cost import annualised_cost, capital_recovery_factor, cost_per_tco2e
from assessment.scenarios.plan import plan, scenarios_of
from assessment.scenarios.projection import ramp
from tests.conftest import SAMPLE_NAMES, SAMPLES
from tests.test_emissions import DESNZ_2025, EPA_SUPPLY_CHAIN, SCARBOROUGH_2014, minimal, published, published_param

FS = load_factors()
METHOD = load_method()
HOLD_GRID = {"grid_factor_change_pct_per_year": 0}  # grid held at today's factor; growth defaults to 0
EPA_EQUIVALENCIES = "US EPA, Greenhouse Gas Equivalencies Calculator"
CONCRETE_ONTARIO = "Concrete Ontario"
EUROCODE_1 = "EN 1991-1-1:2002"
DFT_NTS = "National Travel Survey"
WEISS_2024 = "Weiss M, Winbush T"


# --------------------------------------------------------------------------- helpers


def measure(lever: str, size: float, mid: str = "M1", scenario: str = "S", start: int = 2025, full: int = 2025, **extra) -> dict:
    return {"scenario": scenario, "measure_id": mid, "lever": lever, "size": size, "start_year": start, "full_effect_year": full, **extra}


def model(measures: list[dict], profile: dict | None = None, nature: dict | None = None, projection: dict | None = None, **tables):
    """A minimal input with these measures, checked valid by the Scenario-sheet checks (so each measure is one a planner may enter)."""
    m = minimal(
        profile=profile, nature=nature, projection=HOLD_GRID if projection is None else projection, scenario_measures=measures, **tables
    )
    assert measure_checks(m, METHOD, FS) == [], measure_checks(m, METHOD, FS)
    return m


def run(m) -> tuple:
    projection, results = plan(m, METHOD, FS)
    return projection, {r.name: r for r in results}


def abated(m, mid: str = "M1", scenario: str = "S", year: int | None = None) -> float:
    """The measure's abatement [tCO2e/yr] in ``year`` (default: the target year) from plan()."""
    _, results = run(m)
    rows = {r.year: r for r in results[scenario].years}
    return rows[year or m.profile.target_net_zero_year].abatement_by_measure[mid]


def alone(m, year: int = 2025) -> tuple[float, object]:
    """Net before minus net after the first measure's lever function, through the engine itself (no projection)."""
    (planned,) = [p for ps in scenarios_of(m, METHOD, FS).values() for p in ps][:1]
    after = planned.apply(m, year, FS)
    return totals(m, FS).net - totals(after, FS).net, after


def energy_row(carrier: str, amount: float, unit: str, use: str = "residential", group: str = "homes") -> dict:
    return {"group": group, "use_type": use, "carrier": carrier, "amount": amount, "unit": unit}


def car(mode: str, vkm: float, **extra) -> dict:
    return {"mode": mode, "annual_amount": vkm, "unit": "vkm", **extra}


# Library values used below, each pinned to its published value and source.
GRID_GB = published(FS, "elec.grid.GB", 0.177, DESNZ_2025, "kWh")
GAS_KWH = published(FS, "fuel.natural_gas.kwh", 0.18296, DESNZ_2025, "kWh")
GAS_M3 = published(FS, "fuel.natural_gas.m3", 2.06672, DESNZ_2025, "m3")
PETROL = published(FS, "transport.car_petrol.vkm", 0.16272, DESNZ_2025, "vkm")
DIESEL = published(FS, "transport.car_diesel.vkm", 0.17304, DESNZ_2025, "vkm")
RAIL = published(FS, "transport.rail.pkm", 0.03546, DESNZ_2025, "pkm")
WALK = FS.get("transport.walk.pkm").kgco2e_per_unit  # 0: GPC, active travel has no tailpipe emissions
CAR_OCCUPANCY = published_param(FS, "occupancy.car.persons_per_vehicle", 1.55, DFT_NTS)
EV_KWH_PER_VKM = published_param(FS, "energy.car_electric.kwh_per_vkm", 0.21, WEISS_2024)
GAS_GROSS_KWH_PER_M3 = published_param(FS, "cv.natural_gas.gross_kwh_per_m3", 11.296, DESNZ_2025)
CONCRETE_DENSITY = published_param(FS, "density.concrete.kg_per_m3", 2447, EUROCODE_1)
TREE = published(FS, "removal.urban_tree.tree_year", 6, EPA_EQUIVALENCIES, "tree_year")


# --------------------------------------------------------------------------- 1. one hand calculation per lever family


def test_building_retrofit_energy_times_one_minus_share_times_saving():
    energy = [
        energy_row("grid_electricity", 200_000, "kWh"),
        energy_row("natural_gas", 500_000, "kWh"),
        energy_row("grid_electricity", 10_000, "kWh", use="street_lighting", group="lamps"),
    ]
    m = model([measure("building_retrofit", 40, performance=25)], energy_use=energy)
    # Hand calculation: cut = s x p = 0.40 x 0.25 = 0.10 of every building row (street lighting is not a building):
    # 0.10 x (200,000 kWh x 0.177 [elec.grid.GB] + 500,000 kWh x 0.18296 [fuel.natural_gas.kwh]) / 1000
    # = 0.10 x (35,400 + 91,480) / 1000 = 12.688 tCO2e/yr
    expected = 0.40 * 0.25 * (200_000 * GRID_GB + 500_000 * GAS_KWH) / 1000
    assert expected == pytest.approx(12.688)
    assert abated(m) == pytest.approx(expected, rel=1e-9)
    assert abated(m, year=2025) == pytest.approx(expected, rel=1e-9)  # full effect from the start year
    # the same figure from the engine run before and after the lever function alone
    direct, after = alone(m)
    assert direct == pytest.approx(expected, rel=1e-9)
    assert [r.amount for r in after.energy_use] == pytest.approx([180_000, 450_000, 10_000])


def test_building_retrofit_applies_to_one_use_only():
    energy = [energy_row("grid_electricity", 200_000, "kWh"), energy_row("grid_electricity", 100_000, "kWh", use="office", group="offices")]
    m = model([measure("building_retrofit", 50, performance=30, applies_to="office")], energy_use=energy)
    # Hand calculation: offices only: 0.50 x 0.30 x 100,000 kWh x 0.177 [elec.grid.GB] / 1000 = 2.655 tCO2e/yr
    assert abated(m) == pytest.approx(0.50 * 0.30 * 100_000 * GRID_GB / 1000) == pytest.approx(2.655)


def test_heat_pump_removes_fuel_and_adds_grid_electricity():
    param = METHOD.levers.get("heat_pump").parameters["boiler_seasonal_efficiency"].parameter  # named in modules/levers.toml
    efficiency = load_factors().param(param).value  # its value and citation are in the factor library
    # BRE SAP 2012 Table 4b: condensing gas boiler seasonal efficiency 84 %
    assert efficiency == 0.84 and "SAP 2012" in load_factors().param(param).source
    energy = [energy_row("natural_gas", 10_000, "m3"), energy_row("natural_gas", 1_000, "m3", use="office", group="offices")]
    m = model([measure("heat_pump", 50, performance=3, applies_to="residential")], energy_use=energy)
    # Hand calculation (homes only; the office gas is not touched):
    #   gas removed = 0.5 x 10,000 m3 = 5,000 m3 x 2.06672 kgCO2e/m3 [fuel.natural_gas.m3] = 10,333.6 kgCO2e
    #   heat pump electricity = 5,000 m3 x 11.296 kWh/m3 [cv.natural_gas.gross_kwh_per_m3] x 0.84 [boiler_seasonal_efficiency] / COP 3
    #                         = 15,814.4 kWh, x 0.177 kgCO2e/kWh [elec.grid.GB] = 2,799.15 kgCO2e
    #   abatement = (10,333.6 - 2,799.15) / 1000 = 7.53445 tCO2e/yr
    added_kwh = 0.5 * 10_000 * GAS_GROSS_KWH_PER_M3 * efficiency / 3
    assert added_kwh == pytest.approx(15_814.4, rel=1e-9)
    expected = (0.5 * 10_000 * GAS_M3 - added_kwh * GRID_GB) / 1000
    assert expected == pytest.approx(7.5344512)
    assert abated(m) == pytest.approx(expected, rel=1e-9)
    _, after = alone(m)
    gas = [r.amount for r in after.energy_use if r.carrier.value == "natural_gas"]
    elec = [r for r in after.energy_use if r.carrier.value == "grid_electricity"]
    assert gas == pytest.approx([5_000, 1_000])
    assert len(elec) == 1 and elec[0].unit.value == "kWh" and elec[0].use_type.value == "residential"
    assert elec[0].amount == pytest.approx(added_kwh, rel=1e-12)


def test_rooftop_pv_replaces_grid_imports_up_to_the_grid_use():
    energy = [energy_row("grid_electricity", 100_000, "kWh"), energy_row("grid_electricity", 50, "MWh", use="office", group="offices")]
    small = model([measure("rooftop_pv", 40, performance=1000)], energy_use=energy)
    # Hand calculation: 40 kWp x 1,000 kWh/kWp = 40,000 kWh < 150,000 kWh of grid use (100,000 kWh + 50 MWh):
    # 40,000 kWh x 0.177 [elec.grid.GB] / 1000 = 7.08 tCO2e/yr
    assert abated(small) == pytest.approx(40_000 * GRID_GB / 1000) == pytest.approx(7.08)
    big = model([measure("rooftop_pv", 200, performance=1000)], energy_use=energy)
    # Hand calculation: 200 kWp x 1,000 = 200,000 kWh, capped at the 150,000 kWh imported; the 50,000 kWh surplus
    # is exported and not subtracted: 150,000 x 0.177 / 1000 = 26.55 tCO2e/yr
    assert abated(big) == pytest.approx(150_000 * GRID_GB / 1000) == pytest.approx(26.55)
    _, after = alone(big)
    assert [r.amount for r in after.energy_use] == pytest.approx([0, 0], abs=1e-9)
    pv = after.renewable_generation[-1]
    assert (pv.generated_kwh, pv.self_consumed_kwh, pv.exported_kwh) == pytest.approx((200_000, 150_000, 50_000))
    # the exported 50,000 kWh does not push the account below zero
    assert emissions_account(after, FS).gross_tco2e_per_year == pytest.approx(0, abs=1e-9)


# modules/levers.toml: rooftop PV replaces "the buildings' grid electricity use"; street lighting (night) is not supplied.
def test_rooftop_pv_does_not_offset_street_lighting():
    energy = [
        energy_row("grid_electricity", 100_000, "kWh"),
        energy_row("grid_electricity", 100_000, "kWh", use="street_lighting", group="lamps"),
    ]
    m = model([measure("rooftop_pv", 200, performance=1000)], energy_use=energy)
    # Hand calculation: 200,000 kWh generated, capped at the buildings' 100,000 kWh: 100,000 x 0.177 / 1000 = 17.7 tCO2e/yr
    assert abated(m) == pytest.approx(100_000 * GRID_GB / 1000)
    _, after = alone(m)
    assert after.energy_use[1].amount == 100_000  # street lighting unchanged


def test_mode_shift_moves_car_passenger_km_to_the_target_mode():
    transport = [car("car_petrol", 1_000_000), car("car_diesel", 200_000, occupancy=1.2)]
    shares = [{"mode": "car", "share_pct": 60}, {"mode": "walk", "share_pct": 40}]
    m = model([measure("mode_shift", 20, switch_to="rail")], transport_activity=transport, mode_shares=shares)
    # Hand calculation: car pkm = 1,000,000 vkm x 1.55 [occupancy.car.persons_per_vehicle] + 200,000 vkm x 1.2 (row's own occupancy)
    #                          = 1,790,000 pkm; 20 % = 358,000 pkm go by rail at 0.03546 kgCO2e/pkm [transport.rail.pkm]
    # car emissions removed = 0.2 x (1,000,000 x 0.16272 [transport.car_petrol.vkm] + 200,000 x 0.17304 [transport.car_diesel.vkm])
    # abatement = (39,465.6 - 358,000 x 0.03546) / 1000 = 26.77092 tCO2e/yr
    moved_pkm = 0.2 * (1_000_000 * CAR_OCCUPANCY + 200_000 * 1.2)
    expected = (0.2 * (1_000_000 * PETROL + 200_000 * DIESEL) - moved_pkm * RAIL) / 1000
    assert expected == pytest.approx(26.77092)
    assert abated(m) == pytest.approx(expected, rel=1e-9)
    _, after = alone(m)
    rail = [r for r in after.transport_activity if r.mode.value == "rail"]
    assert len(rail) == 1 and rail[0].unit.value == "pkm" and rail[0].annual_amount == pytest.approx(358_000)
    assert [r.annual_amount for r in after.transport_activity[:2]] == pytest.approx([800_000, 160_000])
    # the car trip share moves in the same proportion: 60 % x 0.2 = 12 points to rail
    assert {r.mode.value: r.share_pct for r in after.mode_shares} == pytest.approx({"car": 48, "walk": 40, "rail": 12})


def test_waste_diversion_moves_landfilled_tonnes_and_counts_mixed_organics_as_food():
    waste = [
        {"stream": "mixed", "treatment": "landfill", "tonnes_per_year": 1000},
        {"stream": "paper", "treatment": "landfill", "tonnes_per_year": 200},
    ]
    m = model(
        [
            measure("waste_diversion", 30, applies_to="mixed", switch_to="anaerobic_digestion"),
            measure("waste_diversion", 50, scenario="T", applies_to="paper", switch_to="recycling"),
        ],
        waste=waste,
    )
    mixed_landfill = published(FS, "waste.mixed.landfill", 497.24244, DESNZ_2025, "tonne")
    food_ad = published(FS, "waste.food.anaerobic_digestion", 8.98311, DESNZ_2025, "tonne")
    paper_landfill = published(FS, "waste.paper.landfill", 1164.4894, DESNZ_2025, "tonne")
    paper_recycling = published(FS, "waste.paper.recycling", 4.68568, DESNZ_2025, "tonne")
    _, results = run(m)
    # Hand calculation: 30 % of 1,000 t mixed landfill = 300 t to AD, counted as food waste (waste.food.anaerobic_digestion):
    # 300 x (497.24244 [waste.mixed.landfill] - 8.98311) / 1000 = 146.4778 tCO2e/yr; the paper is not touched
    assert (
        results["S"].years[-1].abatement_by_measure["M1"]
        == pytest.approx(300 * (mixed_landfill - food_ad) / 1000)
        == pytest.approx(146.477799)
    )
    # Hand calculation: 50 % of 200 t paper landfill = 100 t to recycling: 100 x (1,164.4894 - 4.68568) / 1000 = 115.98 tCO2e/yr
    assert (
        results["T"].years[-1].abatement_by_measure["M1"]
        == pytest.approx(100 * (paper_landfill - paper_recycling) / 1000)
        == pytest.approx(115.980372)
    )
    _, after = alone(m)
    assert [(r.stream.value, r.treatment.value, r.tonnes_per_year) for r in after.waste] == [
        ("mixed", "landfill", pytest.approx(700)),
        ("paper", "landfill", 200),
        ("food", "anaerobic_digestion", pytest.approx(300)),
    ]


def test_waste_reduction_cuts_tonnes_whatever_the_treatment():
    waste = [
        {"stream": "paper", "treatment": "landfill", "tonnes_per_year": 200},
        {"stream": "paper", "treatment": "recycling", "tonnes_per_year": 100},
    ]
    m = model([measure("waste_reduction", 10, applies_to="paper")], waste=waste)
    # Hand calculation: 0.1 x (200 t x 1,164.4894 [waste.paper.landfill] + 100 t x 4.68568 [waste.paper.recycling]) / 1000 = 23.3366
    # tCO2e/yr
    expected = 0.1 * (200 * FS.get("waste.paper.landfill").kgco2e_per_unit + 100 * FS.get("waste.paper.recycling").kgco2e_per_unit) / 1000
    assert abated(m) == pytest.approx(expected) == pytest.approx(23.336644)


def _concrete_input(share: float, start: int):
    projects = [
        {
            "project_id": p,
            "name": p,
            "project_type": "new_build",
            "building_type": "residential",
            "gfa_m2": 1000,
            "completion_year": year,
            "reference_study_period_years": 50,
            "wastage_rate_pct": 0,
        }
        for p, year in (("P1", 2025), ("P2", 2026))
    ]
    materials = [{"project_id": p, "material": "concrete", "quantity": 1000, "unit": "tonne"} for p in ("P1", "P2")]
    return model(
        [measure("low_carbon_concrete", share, start=start, full=start, switch_to="concrete_30mpa_slag35")],
        construction_projects=projects,
        construction_materials=materials,
    )


def test_low_carbon_concrete_replaces_concrete_of_projects_completing_from_the_start_year():
    general = published(FS, "material.concrete", 118.79306, DESNZ_2025, "tonne")
    slag = published(FS, "material.concrete_30mpa_slag35", 221.39, CONCRETE_ONTARIO, "m3")
    m = _concrete_input(50, 2026)
    # Hand calculation: P1 completes in 2025, before the start year 2026: unchanged. P2 (completes 2026): 50 % of 1,000 t
    # = 500 t becomes slag concrete, priced per m3: 500 t x 1000 kg/t / 2,447 kg/m3 [density.concrete.kg_per_m3] = 204.33 m3.
    # Annualised over the 50-year study period (no wastage):
    # (500 t x 118.79306 [material.concrete] - 204.33 m3 x 221.39 [material.concrete_30mpa_slag35]) / 1000 / 50 = 0.28319 tCO2e/yr
    expected = (500 * general - 500 * 1000 / CONCRETE_DENSITY * slag) / 1000 / 50
    assert expected == pytest.approx(0.2831901, rel=1e-6)
    assert abated(m, year=2026) == pytest.approx(expected, rel=1e-9)
    assert abated(m, year=2025) == 0  # before the start year
    _, after = alone(m, 2026)
    assert [(r.project_id, r.material, r.quantity) for r in after.construction_materials] == [
        ("P1", "concrete", 1000),
        ("P2", "concrete", pytest.approx(500)),
        ("P2", "concrete_30mpa_slag35", pytest.approx(500)),
    ]


def test_diet_shift_share_times_one_minus_s_plus_100_s():
    high = published(FS, "consumption.diet_high_meat.person_year", 2624.35, SCARBOROUGH_2014)
    medium = published(FS, "consumption.diet_medium_meat.person_year", 2054.95, SCARBOROUGH_2014)
    low = published(FS, "consumption.diet_low_meat.person_year", 1704.55, SCARBOROUGH_2014)
    vegan = published(FS, "consumption.diet_vegan.person_year", 1054.85, SCARBOROUGH_2014)
    diets = [{"diet": "high_meat", "share_pct": 30}, {"diet": "medium_meat", "share_pct": 40}, {"diet": "low_meat", "share_pct": 30}]
    m = model(
        [measure("diet_shift", 20, switch_to="vegan"), measure("diet_shift", 20, scenario="T", switch_to="low_meat")], diet_profile=diets
    )
    _, results = run(m)
    # Hand calculation, 1,000 residents, s = 0.2 to vegan: shares become 24 / 32 / 24 and vegan 20 (a new row):
    # 1,000 x 0.2 x (0.3 x 2,624.35 + 0.4 x 2,054.95 + 0.3 x 1,704.55 - 1,054.85) / 1000 = 213.16 tCO2e/yr
    to_vegan = 1000 * 0.2 * (0.3 * high + 0.4 * medium + 0.3 * low - vegan) / 1000
    assert results["S"].years[-1].abatement_by_measure["M1"] == pytest.approx(to_vegan) == pytest.approx(213.16)
    # to low meat (already a group): low-meat share = 30 x 0.8 + 20 = 44:
    # 1,000 x 0.2 x (0.3 x 2,624.35 + 0.4 x 2,054.95 + 0.3 x 1,704.55 - 1,704.55) / 1000 = 83.22 tCO2e/yr
    to_low = 1000 * 0.2 * (0.3 * high + 0.4 * medium + 0.3 * low - low) / 1000
    assert results["T"].years[-1].abatement_by_measure["M1"] == pytest.approx(to_low) == pytest.approx(83.22)
    _, after = alone(m)
    assert {r.diet.value: r.share_pct for r in after.diet_profile} == pytest.approx(
        {"high_meat": 24, "medium_meat": 32, "low_meat": 24, "vegan": 20}
    )


def test_tree_planting_adds_young_trees_at_the_seedling_rate():
    m = model([measure("tree_planting", 250)], nature={"tree_count": 100})
    # Hand calculation: 250 trees x 6 kgCO2/tree-year [removal.urban_tree.tree_year] / 1000 = 1.5 tCO2e/yr removed
    assert abated(m) == pytest.approx(250 * TREE / 1000) == pytest.approx(1.5)
    ramped = model([measure("tree_planting", 10, start=2025, full=2027)], nature={"tree_count": 100})
    # Ramp 2025-2027 in thirds, whole trees: round(10/3) = 3, round(20/3) = 7, then 10 trees: x 6 / 1000
    assert [abated(ramped, year=y) for y in (2024, 2025, 2026, 2027, 2050)] == pytest.approx([0, 0.018, 0.042, 0.06, 0.06])


def test_flight_and_spending_reduction():
    short = published(FS, "flight.short_haul.pkm", 0.12786, DESNZ_2025, "pkm")
    long = published(FS, "flight.long_haul.pkm", 0.15282, DESNZ_2025, "pkm")
    goods = published(FS, "consumption.goods_spend.USD", 0.225, EPA_SUPPLY_CHAIN, "USD")
    clothing = published(FS, "consumption.clothing_spend.USD", 0.145, EPA_SUPPLY_CHAIN, "USD")
    consumption = [
        {"item": "flights_short_haul", "amount": 1_000_000, "unit": "pkm", "basis": "total"},
        {"item": "flights_long_haul", "amount": 2_000_000, "unit": "pkm", "basis": "total"},
        {"item": "goods_spend", "amount": 1_000_000, "unit": "money", "basis": "total"},
        {"item": "clothing_spend", "amount": 500_000, "unit": "money", "basis": "total"},
    ]
    m = model(
        [
            measure("flight_reduction", 25, scenario="A", applies_to="flights_short_haul"),
            measure("flight_reduction", 10, scenario="B"),
            measure("spending_reduction", 10, scenario="C"),
        ],
        consumption=consumption,
    )
    _, results = run(m)
    at = lambda s: results[s].years[-1].abatement_by_measure["M1"]  # noqa: E731
    # 0.25 x 1,000,000 pkm x 0.12786 [flight.short_haul.pkm] / 1000 = 31.965 tCO2e/yr
    assert at("A") == pytest.approx(0.25 * 1_000_000 * short / 1000) == pytest.approx(31.965)
    # every flight: 0.1 x (1,000,000 x 0.12786 + 2,000,000 x 0.15282 [flight.long_haul.pkm]) / 1000 = 43.35 tCO2e/yr
    assert at("B") == pytest.approx(0.1 * (1_000_000 * short + 2_000_000 * long) / 1000) == pytest.approx(43.35)
    # every spend item, flights excluded: 0.1 x (1,000,000 USD x 0.225 [goods_spend] + 500,000 USD x 0.145 [clothing_spend]) / 1000 = 29.75
    assert at("C") == pytest.approx(0.1 * (1_000_000 * goods + 500_000 * clothing) / 1000) == pytest.approx(29.75)


def test_ev_switch_moves_distance_to_grid_charged_electric_cars():
    m = model([measure("ev_switch", 50)], transport_activity=[car("car_petrol", 1_000_000)])
    # Hand calculation: 500,000 vkm move from petrol (0.16272 kgCO2e/vkm, transport.car_petrol.vkm) to electric cars drawing
    # 0.21 kWh/vkm [energy.car_electric.kwh_per_vkm] x 0.177 kgCO2e/kWh [elec.grid.GB]:
    # 500,000 x (0.16272 - 0.03717) / 1000 = 62.775 tCO2e/yr
    assert abated(m) == pytest.approx(0.5 * 1_000_000 * (PETROL - EV_KWH_PER_VKM * GRID_GB) / 1000) == pytest.approx(62.775)


def test_a_ramp_year_has_the_ramped_share_of_the_size():
    energy = [energy_row("grid_electricity", 200_000, "kWh")]
    m = model([measure("building_retrofit", 40, performance=25, start=2025, full=2028)], energy_use=energy)
    full = 0.40 * 0.25 * 200_000 * GRID_GB / 1000  # 3.54 tCO2e/yr
    # straight line from the start year: 1/4, 2/4, 3/4, then the whole size from 2028
    assert [abated(m, year=y) for y in (2024, 2025, 2026, 2027, 2028, 2040)] == pytest.approx(
        [0, full / 4, full / 2, 3 * full / 4, full, full]
    )
    assert [ramp(2025, 2028, y) for y in (2024, 2025, 2028, 2030)] == [0.0, 0.25, 1.0, 1.0]


# --------------------------------------------------------------------------- projection: growth and grid


def test_bau_grows_travel_with_population_and_energy_with_floor_area():
    m = model(
        [measure("ev_switch", 0)],
        projection={"population_growth_pct_per_year": 2, "floor_area_growth_pct_per_year": 1, "grid_factor_change_pct_per_year": -3},
        energy_use=[energy_row("grid_electricity", 100_000, "kWh")],
        transport_activity=[car("car_petrol", 1_000_000)],
    )
    projection, _ = run(m)
    bau = {r.year: r.net_tco2e for r in projection.bau}
    # Hand calculation for 2030 (t = 6): 100,000 kWh x 1.01^6 x 0.177 x 0.97^6 + 1,000,000 vkm x 1.02^6 x 0.16272, / 1000
    expected = (100_000 * 1.01**6 * GRID_GB * 0.97**6 + 1_000_000 * 1.02**6 * PETROL) / 1000
    assert bau[2030] == pytest.approx(expected, rel=1e-9)
    assert projection.grid_trajectory == "stated"
    assert projection.grid_kgco2e_per_kwh[2030] == pytest.approx(GRID_GB * 0.97**6)


def test_blank_grid_change_follows_the_library_trajectory():
    m = model([measure("rooftop_pv", 10, performance=1000)], projection={}, energy_use=[energy_row("grid_electricity", 100_000, "kWh")])
    projection, results = run(m)
    t = {y: FS.param(f"grid_trajectory.GB.{y}").value for y in (2021, 2025, 2030)}
    # Hand calculation: T(2024) interpolated 3/4 of the way from 2021 to 2025; the 2030 factor is today's x T(2030) / T(2024)
    t2024 = t[2021] + (t[2025] - t[2021]) * 3 / 4
    assert projection.grid_trajectory == "library"
    assert projection.grid_kgco2e_per_kwh[2030] == pytest.approx(GRID_GB * t[2030] / t2024, rel=1e-9)
    # PV abatement in 2030: 10 kWp x 1,000 kWh/kWp x that year's grid factor
    row = next(r for r in results["S"].years if r.year == 2030)
    assert row.abatement_by_measure["M1"] == pytest.approx(10_000 * GRID_GB * t[2030] / t2024 / 1000, rel=1e-9)


# --------------------------------------------------------------------------- 2. ordering


def test_demand_reduction_applies_before_fuel_switching_whatever_the_sheet_order():
    # the sheet lists the EV switch first, the mode shift second
    m = model(
        [measure("ev_switch", 50, mid="EV"), measure("mode_shift", 20, mid="SHIFT", switch_to="walk")],
        transport_activity=[car("car_petrol", 1_000_000)],
    )
    projection, results = run(m)
    s = results["S"]
    assert [k.id for k in s.measures] == ["SHIFT", "EV"] and [k.order for k in s.measures] == [1, 2]
    last = s.years[-1].abatement_by_measure
    # Hand calculation: mode shift first: 0.2 x 1,000,000 vkm x (0.16272 [transport.car_petrol.vkm]) / 1000, walking at 0 = 32.544
    assert last["SHIFT"] == pytest.approx(0.2 * 1_000_000 * (PETROL - CAR_OCCUPANCY * WALK) / 1000) == pytest.approx(32.544)
    # then the EV switch acts on the 800,000 vkm left: s_ev x (1 - s_shift) x vkm x (petrol - 0.21 kWh/vkm x 0.177)
    # = 0.5 x 0.8 x 1,000,000 x (0.16272 - 0.03717) / 1000 = 50.22 tCO2e/yr
    assert last["EV"] == pytest.approx(0.5 * (1 - 0.2) * 1_000_000 * (PETROL - EV_KWH_PER_VKM * GRID_GB) / 1000) == pytest.approx(50.22)
    # the abatements add up to BAU minus the scenario
    assert last["SHIFT"] + last["EV"] == pytest.approx(projection.bau[-1].net_tco2e - s.years[-1].net_tco2e, rel=1e-12)


def test_two_measures_of_the_same_lever_compound_in_sheet_order():
    m = model(
        [measure("mode_shift", 20, mid="A", switch_to="rail"), measure("mode_shift", 10, mid="B", switch_to="rail")],
        transport_activity=[car("car_petrol", 1_000_000)],
    )
    projection, results = run(m)
    last = results["S"].years[-1].abatement_by_measure
    # saving per vkm shifted to rail: 0.16272 - 1.55 persons x 0.03546 [transport.rail.pkm] = 0.107757 kgCO2e
    per_vkm = PETROL - CAR_OCCUPANCY * RAIL
    # Hand calculation: A = 20 % of 1,000,000 vkm = 21.5514 t; B = 10 % of the 800,000 vkm left = 8.62056 t (not 10 % of 1,000,000)
    assert last["A"] == pytest.approx(0.2 * 1_000_000 * per_vkm / 1000) == pytest.approx(21.5514)
    assert last["B"] == pytest.approx(0.1 * 0.8 * 1_000_000 * per_vkm / 1000) == pytest.approx(8.62056)
    # 72 % of the petrol distance is left: BAU - scenario = 0.28 x 1,000,000 x per_vkm
    assert projection.bau[-1].net_tco2e - results["S"].years[-1].net_tco2e == pytest.approx(0.28 * 1_000_000 * per_vkm / 1000)


def test_pv_listed_first_still_applies_after_heat_pumps_and_covers_their_electricity():
    energy = [energy_row("grid_electricity", 10_000, "kWh"), energy_row("natural_gas", 10_000, "m3")]
    m = model([measure("rooftop_pv", 20, mid="PV", performance=1000), measure("heat_pump", 50, mid="HP", performance=3)], energy_use=energy)
    last = run(m)[1]["S"].years[-1].abatement_by_measure
    # Hand calculation: heat pumps first (fuel switching) add 15,814.4 kWh (test_heat_pump_...), so the 20,000 kWh of PV are all
    # self-consumed (10,000 + 15,814.4 kWh imported): 20,000 x 0.177 / 1000 = 3.54 tCO2e/yr. Applied first, PV would be capped at 10,000
    # kWh.
    assert last["PV"] == pytest.approx(20_000 * GRID_GB / 1000) == pytest.approx(3.54)


# --------------------------------------------------------------------------- 3. properties (hypothesis)


PROPS = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
RICH = dict(
    energy_use=[
        energy_row("grid_electricity", 200_000, "kWh"),
        energy_row("natural_gas", 10_000, "m3"),
        energy_row("grid_electricity", 20_000, "kWh", use="street_lighting", group="lamps"),
        energy_row("natural_gas", 100_000, "kWh", use="office", group="offices"),
    ],
    transport_activity=[
        car("car_petrol", 1_000_000),
        {"mode": "car_diesel", "trips_per_day": 500, "average_trip_km": 8},
        car("taxi", 50_000),
        {"mode": "bus", "annual_amount": 100_000, "unit": "pkm"},
        car("car_electric", 50_000),
    ],
    mode_shares=[
        {"mode": "car", "share_pct": 50},
        {"mode": "taxi", "share_pct": 5},
        {"mode": "bus", "share_pct": 15},
        {"mode": "walk", "share_pct": 30},
    ],
    waste=[
        {"stream": "mixed", "treatment": "landfill", "tonnes_per_year": 800},
        {"stream": "paper", "treatment": "landfill", "tonnes_per_year": 100},
        {"stream": "food", "treatment": "landfill", "tonnes_per_year": 50},
        {"stream": "mixed", "treatment": "incineration", "tonnes_per_year": 300},
    ],
    construction_projects=[
        {
            "project_id": "P1",
            "name": "Block",
            "project_type": "new_build",
            "building_type": "residential",
            "gfa_m2": 5000,
            "completion_year": 2028,
        }
    ],
    construction_materials=[
        {"project_id": "P1", "material": "concrete", "quantity": 2000, "unit": "tonne"},
        {"project_id": "P1", "material": "steel_rebar", "quantity": 50_000, "unit": "kg"},
    ],
    diet_profile=[
        {"diet": "high_meat", "share_pct": 30},
        {"diet": "medium_meat", "share_pct": 40},
        {"diet": "low_meat", "share_pct": 20},
        {"diet": "vegetarian", "share_pct": 10},
    ],
    consumption=[
        {"item": "goods_spend", "amount": 500, "unit": "money", "basis": "per_capita"},
        {"item": "flights_short_haul", "amount": 800, "unit": "pkm", "basis": "per_capita"},
        {"item": "clothing_spend", "amount": 100_000, "unit": "money", "basis": "total"},
    ],
)
SHORT = {"target_net_zero_year": 2030}  # seven projection years keep the properties fast

pct = st.floats(min_value=0, max_value=100, allow_nan=False)
LEVERS = {
    "building_retrofit": st.fixed_dictionaries({"performance": pct, "applies_to": st.sampled_from([None, "residential", "office"])}),
    "heat_pump": st.fixed_dictionaries({"performance": st.floats(1, 10), "applies_to": st.sampled_from([None, "residential"])}),
    "rooftop_pv": st.fixed_dictionaries({"performance": st.floats(100, 3000)}),
    "mode_shift": st.fixed_dictionaries(
        {
            "switch_to": st.sampled_from(["walk", "bus", "rail", "e_bike", "metro_tram"]),
            "applies_to": st.sampled_from([None, "car_petrol", "taxi"]),
        }
    ),
    "ev_switch": st.fixed_dictionaries({"applies_to": st.sampled_from([None, "car_diesel"])}),
    "waste_diversion": st.sampled_from(
        [
            {"applies_to": "mixed", "switch_to": "anaerobic_digestion"},
            {"applies_to": "mixed", "switch_to": "composting"},
            {"applies_to": "paper", "switch_to": "recycling"},
            {"switch_to": "incineration"},
        ]
    ),
    "waste_reduction": st.fixed_dictionaries({"applies_to": st.sampled_from([None, "mixed"])}),
    "diet_shift": st.fixed_dictionaries({"switch_to": st.sampled_from(["vegan", "vegetarian", "low_meat", "high_meat", "pescatarian"])}),
    "flight_reduction": st.just({}),
    "spending_reduction": st.just({}),
    "low_carbon_concrete": st.fixed_dictionaries({"switch_to": st.sampled_from(["concrete_30mpa_slag35", "concrete_closed_loop"])}),
    "tree_planting": st.just({}),
}
SIZE = {"rooftop_pv": st.floats(0, 500), "tree_planting": st.floats(0, 5000)}


@st.composite
def a_measure(draw, mid: str, lever: str | None = None, size: float | None = None) -> dict:
    lever = lever or draw(st.sampled_from(sorted(LEVERS)))
    extra = {k: v for k, v in draw(LEVERS[lever]).items() if v is not None}
    start = draw(st.integers(2025, 2030))
    full = draw(st.integers(start, 2030))
    return measure(lever, draw(SIZE.get(lever, pct)) if size is None else size, mid=mid, start=start, full=full, **extra)


@st.composite
def a_scenario(draw) -> list[dict]:
    n = draw(st.integers(1, 6))
    return [draw(a_measure(f"M{i}")) for i in range(n)]


growth_settings = st.fixed_dictionaries(
    {
        "population_growth_pct_per_year": st.floats(-5, 5),
        "floor_area_growth_pct_per_year": st.floats(-5, 5),
        "grid_factor_change_pct_per_year": st.one_of(st.none(), st.floats(-10, 5)),
    }
)


def rich(measures: list[dict], projection: dict):
    return minimal(profile=SHORT, nature={"tree_count": 300}, projection=projection, scenario_measures=measures, **RICH)


GUARD = {
    "building_retrofit": {"performance": 30},
    "heat_pump": {"performance": 3},
    "rooftop_pv": {"performance": 1000},
    "mode_shift": {"switch_to": "walk"},
    "waste_diversion": {"switch_to": "incineration"},
    "diet_shift": {"switch_to": "vegan"},
    "low_carbon_concrete": {"switch_to": "concrete_30mpa_slag35"},
}


@pytest.mark.parametrize("lever", sorted(LEVERS))
def test_rich_input_is_changed_by_every_lever(lever):
    """Guard for the properties: every lever of the catalogue, alone, is a valid measure that changes the rich input."""
    assert set(LEVERS) == {lv.id for lv in METHOD.levers.levers}
    m = rich([measure(lever, 50, **GUARD.get(lever, {}))], HOLD_GRID)
    assert measure_checks(m, METHOD, FS) == []
    assert abs(alone(m)[0]) > 1e-6


@PROPS
@given(measures=a_scenario(), projection=growth_settings)
def test_abatements_add_up_to_bau_minus_scenario_and_gross_is_never_negative(measures, projection):
    m = rich(measures, projection)
    proj, results = plan(m, METHOD, FS)
    bau = {r.year: r for r in proj.bau}
    (s,) = results
    assert [r.year for r in s.years] == list(range(2024, 2031))
    for row in s.years:
        b = bau[row.year]
        assert set(row.abatement_by_measure) == {k["measure_id"] for k in measures}
        assert sum(row.abatement_by_measure.values()) == pytest.approx(b.net_tco2e - row.net_tco2e, rel=1e-9, abs=1e-6)
        assert row.gross_tco2e >= 0 and all(v >= 0 for v in row.by_category_tco2e.values())
        assert row.net_tco2e == pytest.approx(row.gross_tco2e - row.removals_tco2e, abs=1e-9)
        assert b.gross_tco2e >= 0
        # before any measure starts, the scenario is BAU
        if row.year < min(k["start_year"] for k in measures):
            assert row.net_tco2e == b.net_tco2e and all(v == 0 for v in row.abatement_by_measure.values())


@PROPS
@given(measures=a_scenario(), zero=a_measure("ZERO", size=0), at=st.integers(0, 6), projection=growth_settings)
def test_a_measure_of_size_zero_changes_nothing(measures, zero, at, projection):
    with_zero = [*measures[:at], zero, *measures[at:]]
    m = rich([*measures, *({**k, "scenario": "Z"} for k in with_zero), {**zero, "scenario": "Only zero"}], projection)
    proj, results = plan(m, METHOD, FS)
    by = {r.name: r for r in results}
    for bau, only, plain, z in zip(proj.bau, by["Only zero"].years, by["S"].years, by["Z"].years):
        # a scenario of one zero measure is BAU; adding a zero measure to a scenario leaves its figures and the others' abatements alone
        assert (only.gross_tco2e, only.removals_tco2e, only.net_tco2e) == (bau.gross_tco2e, bau.removals_tco2e, bau.net_tco2e)
        assert only.abatement_by_measure == {"ZERO": 0.0} and z.abatement_by_measure["ZERO"] == 0.0
        assert z.net_tco2e == pytest.approx(plain.net_tco2e, rel=1e-12, abs=1e-9)
        assert {k: v for k, v in z.abatement_by_measure.items() if k != "ZERO"} == pytest.approx(
            plain.abatement_by_measure, rel=1e-12, abs=1e-9
        )


ABATING = {  # levers and options that reduce net emissions on the rich input at any size
    "building_retrofit": {"performance": 40},
    "diet_shift": {"switch_to": "vegan"},
    "waste_diversion": {"applies_to": "paper", "switch_to": "recycling"},
    "rooftop_pv": {"performance": 950},
    "tree_planting": {},
    "mode_shift": {"switch_to": "walk"},
    "flight_reduction": {},
    "ev_switch": {},
}


@PROPS
@given(
    lever=st.sampled_from(sorted(ABATING)),
    sizes=st.tuples(st.floats(0, 100), st.floats(0, 100)),
    start=st.integers(2025, 2030),
    span=st.integers(0, 5),
    projection=growth_settings,
)
def test_a_larger_measure_never_abates_less(lever, sizes, start, span, projection):
    a, b = sorted(sizes)
    scale = {"rooftop_pv": 5.0, "tree_planting": 50.0}.get(lever, 1.0)  # kWp and trees: 0-500 kWp, 0-5,000 trees
    full = min(start + span, 2030)
    m = rich(
        [
            measure(lever, a * scale, mid="M", scenario="small", start=start, full=full, **ABATING[lever]),
            measure(lever, b * scale, mid="M", scenario="large", start=start, full=full, **ABATING[lever]),
        ],
        projection,
    )
    _, results = plan(m, METHOD, FS)
    by = {r.name: r for r in results}
    for small, large in zip(by["small"].years, by["large"].years):
        assert small.abatement_by_measure["M"] >= -1e-9  # these levers never add emissions
        assert large.abatement_by_measure["M"] >= small.abatement_by_measure["M"] - 1e-9 * max(1.0, abs(small.net_tco2e))
        assert large.net_tco2e <= small.net_tco2e + 1e-9 * max(1.0, abs(small.net_tco2e))


# --------------------------------------------------------------------------- 4. cost


def test_capital_recovery_factor_by_hand():
    # Hand calculation: r = 3.5 %, n = 18 years: (1.035)^18 = 1.857489; CRF = 0.035 x 1.857489 / 0.857489 = 0.0758168
    r, n = 0.035, 18
    assert capital_recovery_factor(3.5, 18) == pytest.approx(r * (1 + r) ** n / ((1 + r) ** n - 1), rel=1e-12)
    assert capital_recovery_factor(3.5, 18) == pytest.approx(0.0758168, rel=1e-6)
    # published annuity table value: 5 %, 20 years -> 0.08024 (A/P factor in any engineering-economics table)
    assert capital_recovery_factor(5, 20) == pytest.approx(0.08024, rel=1e-4)
    # no discounting: straight-line 1/n
    assert capital_recovery_factor(0, 25) == pytest.approx(1 / 25)


def test_annualised_cost_and_cost_per_tonne():
    # capital x CRF + annual: 100,000 x 0.0758168 - 1,000 = 6,581.68 a year
    assert annualised_cost(100_000, -1_000, 18, 3.5) == pytest.approx(100_000 * 0.0758168 - 1_000, rel=1e-6)
    assert annualised_cost(None, 500, None, 3.5) == 500
    assert annualised_cost(None, None, None, 3.5) is None
    assert cost_per_tco2e(6_000, 12) == pytest.approx(500)
    assert cost_per_tco2e(-6_000, 12) == pytest.approx(-500)  # a measure that saves money has a negative cost per tonne
    assert cost_per_tco2e(6_000, 0) is None and cost_per_tco2e(6_000, -1) is None and cost_per_tco2e(None, 12) is None


def test_measure_cost_per_tonne_in_the_plan():
    energy = [energy_row("grid_electricity", 200_000, "kWh"), energy_row("natural_gas", 500_000, "kWh")]
    m = model(
        [
            measure(
                "building_retrofit", 40, performance=25, start=2025, full=2030, capital_cost=100_000, annual_cost=-1_000, lifetime_years=18
            ),
            measure("building_retrofit", 10, mid="M2", performance=10, start=2026, full=2026),
        ],
        projection={**HOLD_GRID, "discount_rate_pct": 3.5},
        energy_use=energy,
    )
    _, results = run(m)
    k = {x.id: x for x in results["S"].measures}
    # Hand calculation: full-effect abatement 12.688 tCO2e/yr (test_building_retrofit_...), the same every year from 2030 to 2050
    # (M2, a later family-mate, acts on what M1 left, so it does not change M1's figure)
    mean = 0.40 * 0.25 * (200_000 * GRID_GB + 500_000 * GAS_KWH) / 1000
    yearly = 100_000 * capital_recovery_factor(3.5, 18) - 1_000  # 6,581.68
    assert k["M1"].mean_abatement_tco2e_per_year == pytest.approx(mean)
    assert k["M1"].annualised_cost == pytest.approx(yearly)
    assert k["M1"].cost_per_tco2e == pytest.approx(yearly / mean) == pytest.approx(518.73, rel=1e-4)
    assert k["M2"].annualised_cost is None and k["M2"].cost_per_tco2e is None
    # cumulative: ramp years 2025-2029 at 1/6 .. 5/6, then 21 full years
    assert k["M1"].cumulative_abatement_tco2e == pytest.approx(mean * (sum(range(1, 6)) / 6 + 21))


# --------------------------------------------------------------------------- 5. validation


def _bad_json(tmp_path: Path, change) -> InputInvalid:
    data = json.loads((SAMPLES / "riverside-retrofit.json").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(InputInvalid) as exc:
        validate_input(path, METHOD, factors=FS)
    return exc.value


def _extra(**k) -> dict:
    return {"scenario": "Extra", "measure_id": "X1", "size": 50, "start_year": 2026, "full_effect_year": 2030, **k}


BAD_MEASURES = {
    # case: (change to the riverside sample, where, code, phrase in the message)
    "unknown lever": (
        lambda d: d["scenario_measures"][0].update(lever="ev_swich"),
        "$.scenario_measures[0].lever",
        "unknown-lever",
        "ev_switch",
    ),
    "switch_to not accepted": (
        lambda d: d["scenario_measures"][3].update(switch_to="car_petrol"),
        "$.scenario_measures[3].switch_to",
        "lever-code",
        "use one of: bus, metro_tram, rail, cycle, walk, e_bike",
    ),
    "switch_to missing": (
        lambda d: d["scenario_measures"][3].pop("switch_to"),
        "$.scenario_measures[3].switch_to",
        "lever-needs-code",
        "mode_shift",
    ),
    "performance missing for heat_pump": (
        lambda d: d["scenario_measures"][1].pop("performance"),
        "$.scenario_measures[1].performance",
        "lever-needs",
        "heat_pump",
    ),
    "COP below 1": (
        lambda d: d["scenario_measures"][1].update(performance=0.5),
        "$.scenario_measures[1].performance",
        "lever-range",
        "between 1 and 10",
    ),
    "start year not after the reporting year": (
        lambda d: d["scenario_measures"][0].update(start_year=2024),
        "$.scenario_measures[0].start_year",
        "measure-start",
        "2024",
    ),
    "full effect before start": (
        lambda d: d["scenario_measures"][0].update(full_effect_year=2024),
        "$.scenario_measures[0].full_effect_year",
        "measure-years",
        "2024",
    ),
    "changes nothing": (
        lambda d: d["scenario_measures"].append(_extra(lever="waste_diversion", applies_to="glass", switch_to="recycling")),
        "$.scenario_measures[14].applies_to",
        "lever-no-effect",
        "changes nothing",
    ),
    "no factor for the switch": (
        lambda d: d["scenario_measures"].append(_extra(lever="waste_diversion", switch_to="recycling")),
        "$.scenario_measures[14].switch_to",
        "missing-factor",
        "waste.mixed.recycling",
    ),
    "column the lever does not take": (
        lambda d: d["scenario_measures"].append(_extra(lever="tree_planting", switch_to="walk")),
        "$.scenario_measures[14].switch_to",
        "lever-extra",
        "takes no switch_to",
    ),
    "duplicate id": (
        lambda d: d["scenario_measures"].append(_extra(scenario="Committed", measure_id="C1", lever="ev_switch")),
        "$.scenario_measures[14].measure_id",
        "duplicate",
        "C1",
    ),
    "capital cost without lifetime": (
        lambda d: d["scenario_measures"][1].pop("lifetime_years"),
        "$.scenario_measures[1].lifetime_years",
        "lifetime-needed",
        "lifetime",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_MEASURES))
def test_a_bad_measure_is_reported_at_its_cell(tmp_path, case):
    change, where, code, phrase = BAD_MEASURES[case]
    err = _bad_json(tmp_path, change)
    hits = [i for i in err.issues if i.where == where and i.code == code]
    assert hits, f"no {code} at {where}; got {[(i.where, i.code) for i in err.issues]}"
    assert phrase in hits[0].message()


def test_concrete_of_projects_complete_before_the_start_year_changes_nothing(tmp_path):
    m = _concrete_input(50, 2027)  # P1 completes 2025, P2 2026: no project left to build in 2027
    path = tmp_path / "late.json"
    path.write_text(m.model_dump_json(), encoding="utf-8")
    with pytest.raises(InputInvalid) as exc:
        validate_input(path, METHOD, factors=FS)
    assert [(i.where, i.code) for i in exc.value.issues] == [("$.scenario_measures[0].lever", "lever-no-effect")]


def test_a_bad_measure_in_a_workbook_names_the_cell(tmp_path):
    from openpyxl import load_workbook
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, get_column_letter

    from assessment.io.template import write_template

    path = tmp_path / "t.xlsx"
    write_template(path, METHOD, FS)
    wb = load_workbook(path)
    for name, value in dict(
        neighbourhood_id="t-1",
        name="Test",
        city="Leeds",
        country="UK",
        grid_region="GB",
        reporting_year=2024,
        target_net_zero_year=2040,
        population=1200,
        site_area_ha=8,
        gfa_residential_m2=50000,
    ).items():
        ((sheet, ref),) = list(wb.defined_names[name].destinations)
        wb[sheet][ref.replace("$", "")] = value
    energy = wb["Energy"].tables["energy_use"]
    col, head = coordinate_from_string(energy.ref.split(":")[0])
    for j, value in enumerate(["Homes", "residential", "natural gas", 50_000, "m3"]):  # group, use, carrier, amount, unit
        wb["Energy"].cell(row=head + 1, column=column_index_from_string(col) + j, value=value)
    ws = wb["Scenario"]
    table = ws.tables["scenario_measures"]
    col, head = coordinate_from_string(table.ref.split(":")[0])
    c0 = column_index_from_string(col)
    headers = [str(ws.cell(row=head, column=c0 + j).value).split(" [")[0] for j in range(len(table.tableColumns))]
    row = {"Scenario": "Plan", "Measure id": "HP1", "Lever": "heat_pump", "Size": 50, "Start year": 2026, "Full-effect year": 2030}
    for key, value in row.items():
        ws.cell(row=head + 1, column=c0 + headers.index(key), value=value)
    wb.save(path)
    with pytest.raises(InputInvalid) as exc:
        validate_input(path, METHOD, factors=FS)
    cell = f"Scenario!{get_column_letter(c0 + headers.index('Performance'))}{head + 1}"
    hits = [i for i in exc.value.issues if i.code == "lever-needs"]
    assert [i.where for i in hits] == [cell], [str(i) for i in exc.value.issues]
    # with the performance filled in, the workbook validates and plans
    ws.cell(row=head + 1, column=c0 + headers.index("Performance"), value=3)
    wb.save(path)
    m = validate_input(path, METHOD, factors=FS).model
    assert m.scenario_measures[0].performance == 3
    assert [r.name for r in plan(m, METHOD, FS)[1]] == ["Plan"]


# --------------------------------------------------------------------------- 6-7. the samples


@pytest.fixture(scope="module")
def sample_results():
    out = {}
    for name in SAMPLE_NAMES:
        loaded, result = assess_file(SAMPLES / f"{name}.json")
        out[name] = (loaded, result, json.loads(results_json(result)))
    return out


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_scenarios_in_the_results_json(sample_results, name):
    loaded, _, data = sample_results[name]
    p = loaded.model.profile
    years = list(range(p.reporting_year, p.target_net_zero_year + 1))
    assert len(data["scenarios"]) >= 2
    assert [s["name"] for s in data["scenarios"]] == list(dict.fromkeys(k.scenario for k in loaded.model.scenario_measures))
    bau = {r["year"]: r["net_tco2e"] for r in data["projection"]["bau"]}
    assert list(bau) == years
    families = list(METHOD.levers.families)
    for s in data["scenarios"]:
        ids = {k.measure_id for k in loaded.model.scenario_measures if k.scenario == s["name"]}
        assert [y["year"] for y in s["years"]] == years
        for y in s["years"]:
            assert {"gross_tco2e", "net_tco2e", "abatement_by_measure"} <= set(y)
            assert set(y["abatement_by_measure"]) == ids
            assert sum(y["abatement_by_measure"].values()) == pytest.approx(bau[y["year"]] - y["net_tco2e"], rel=1e-9, abs=1e-6)
            assert y["gross_tco2e"] >= 0
        last = s["years"][-1]
        assert s["residual_tco2e_at_target"] == pytest.approx(max(0.0, last["net_tco2e"]))
        nz = s["net_zero_year"]
        assert nz == next((y["year"] for y in s["years"] if y["net_tco2e"] <= 0), None)
        measures = s["measures"]
        assert {k["id"] for k in measures} == ids
        assert [families.index(k["family"]) for k in measures] == sorted(families.index(k["family"]) for k in measures)
        for k in measures:
            assert {"id", "lever", "abatement_tco2e_at_target", "cost_per_tco2e"} <= set(k)
            assert k["abatement_tco2e_at_target"] == pytest.approx(last["abatement_by_measure"][k["id"]])
            if k["annualised_cost"] is not None and k["mean_abatement_tco2e_per_year"] and k["mean_abatement_tco2e_per_year"] > 0:
                assert k["cost_per_tco2e"] == pytest.approx(k["annualised_cost"] / k["mean_abatement_tco2e_per_year"])
            else:
                assert k["cost_per_tco2e"] is None
        after = s["scores_after"]
        assert set(after["modules"]) == {mod.id for mod in METHOD.modules}
        assert set(after["pillars"]) and after["rating"]
    # at least one measure of each sample has a cost per tonne
    assert any(k["cost_per_tco2e"] is not None for s in data["scenarios"] for k in s["measures"])


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_first_bau_year_is_the_scorecard_account(sample_results, name):
    _, result, _ = sample_results[name]
    first = result.projection.bau[0]
    acc = result.emissions
    assert first.year == result.profile.reporting_year
    assert first.net_tco2e == pytest.approx(acc.net_tco2e_per_year, rel=1e-12)
    assert first.gross_tco2e == pytest.approx(acc.gross_tco2e_per_year, rel=1e-12)
    assert first.removals_tco2e == pytest.approx(acc.removals_tco2e_per_year, rel=1e-12)


def test_first_bau_year_is_the_account_with_overrides_and_a_grid_trajectory():
    override = [{"factor_id": "elec.grid.GB", "kgco2e_per_unit": 0.25, "unit": "kWh", "source": "test override"}]
    m = minimal(
        projection={},
        factor_overrides=override,
        scenario_measures=[measure("ev_switch", 50)],
        nature={"tree_count": 40},
        energy_use=[energy_row("grid_electricity", 100_000, "kWh")],
        transport_activity=[car("car_petrol", 10_000)],
    )
    projection, _ = plan(m, METHOD, FS)
    # Hand calculation: 100,000 kWh x 0.25 (override) + 10,000 vkm x 0.16272 [transport.car_petrol.vkm] - 40 trees x 6
    # [removal.urban_tree.tree_year]
    assert projection.bau[0].net_tco2e == pytest.approx((100_000 * 0.25 + 10_000 * PETROL - 40 * TREE) / 1000)
    assert projection.bau[0].net_tco2e == pytest.approx(emissions_account(m, FS).net_tco2e_per_year, rel=1e-12)
    assert projection.grid_trajectory == "library" and projection.grid_kgco2e_per_kwh[2024] == pytest.approx(0.25)


@pytest.mark.parametrize("lang", ["en", "zh", "en+zh"])
def test_no_two_measures_of_a_scenario_share_a_chart_label(lang):
    """Issue #18 review: Harbourside's A1 and A2 both shift car travel (to cycling, to rail) and both read "Shift car
    travel to other modes" in the wedge, waterfall and cost curve. A lever used twice is told apart by its target."""
    from assessment.i18n import language
    from assessment.report.context import measure_labels

    method = load_method()
    for name in SAMPLE_NAMES:
        with language(lang):
            _loaded, result = assess_file(SAMPLES / f"{name}.json")
            for s in result.scenarios:
                labels = measure_labels(s.measures, {m.id: method.levers.get(m.lever) for m in s.measures}, lang)
                assert len(set(labels.values())) == len(labels), (name, s.name, labels)

"""Properties of the emissions account (hypothesis).

* linearity: scaling every amount of one energy, transport or waste row by k
  scales that row's tCO2e by k (emissions = activity x factor);
* the same energy in kWh, MWh or GJ gives the same tCO2e;
* no line item is negative for any valid amounts;
* category totals equal the sums of their line items, gross equals the sum of
  the categories, and gross is never negative.

Only activity combinations the shipped library can price are generated: each
candidate (carrier x unit, mode x basis, stream x treatment) is tried once on
a one-row model at import and kept if it assesses.
"""

from __future__ import annotations

import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assessment.emissions.account import MissingFactors, emissions_account
from assessment.emissions.factors import load_factors
from assessment.io.rules import CARRIER_DIMENSIONS, ENERGY_DIMENSION
from assessment.model.enums import Carrier, Diet, EnergyUnit, TransportMode, WasteStream, WasteTreatment
from tests.test_emissions import minimal

FS = load_factors()
SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _assesses(**tables) -> bool:
    try:
        emissions_account(minimal(**tables), FS)
    except MissingFactors:
        return False
    return True


def _energy_row(carrier: str, amount: float, unit: str) -> dict:
    return {"group": "g", "use_type": "residential", "carrier": carrier, "amount": amount, "unit": unit}


def _transport_row(mode: str, basis: str, amount: float, km: float = 5.0) -> dict:
    if basis == "trips":
        return {"mode": mode, "trips_per_day": amount, "average_trip_km": km}
    return {"mode": mode, "annual_amount": amount, "unit": basis}


ENERGY_COMBOS = [
    (c.value, u.value)
    for c in Carrier
    for u in EnergyUnit
    if ENERGY_DIMENSION[u] in CARRIER_DIMENSIONS[c] and _assesses(energy_use=[_energy_row(c.value, 1.0, u.value)])
]
TRANSPORT_COMBOS = [
    (m.value, b) for m in TransportMode for b in ("vkm", "pkm", "trips") if _assesses(transport_activity=[_transport_row(m.value, b, 1.0)])
]
WASTE_COMBOS = [(s.value, t.value) for s in WasteStream for t in WasteTreatment if FS.get(f"waste.{s.value}.{t.value}") is not None]
ENERGY_UNIT_CARRIERS = sorted({c for c, u in ENERGY_COMBOS if u in ("kWh", "MWh", "GJ")})
MATERIALS = [
    ("concrete", "tonne"),
    ("steel_rebar", "kg"),
    ("brick", "tonne"),
    ("insulation_xps", "m3"),
    ("glass", "tonne"),
    ("wood", "tonne"),
]


def test_combination_lists_are_broad():
    # guard against the filter silently dropping everything
    assert len(ENERGY_COMBOS) >= 20
    assert {"grid_electricity", "natural_gas", "district_heat"} <= {c for c, _ in ENERGY_COMBOS}
    assert len(TRANSPORT_COMBOS) >= 15
    assert ("car_petrol", "vkm") in TRANSPORT_COMBOS and ("bus", "pkm") in TRANSPORT_COMBOS and ("bus", "trips") in TRANSPORT_COMBOS
    assert len(WASTE_COMBOS) >= 20


amounts = st.floats(min_value=0.0, max_value=1e8, allow_nan=False, allow_infinity=False)
positive = st.floats(min_value=1e-3, max_value=1e8, allow_nan=False, allow_infinity=False)
scales = st.floats(min_value=0.0, max_value=1e3, allow_nan=False, allow_infinity=False)


def _row_total(acc, prefix: str) -> float:
    return sum(li.tco2e_per_year for li in acc.line_items if li.source_path.startswith(prefix))


# --------------------------------------------------------------------------- linearity


@SETTINGS
@given(combo=st.sampled_from(ENERGY_COMBOS), amount=positive, k=scales)
def test_energy_line_is_linear_in_amount(combo, amount, k):
    carrier, unit = combo
    base = emissions_account(minimal(energy_use=[_energy_row(carrier, amount, unit)]), FS)
    scaled = emissions_account(minimal(energy_use=[_energy_row(carrier, amount * k, unit)]), FS)
    t0, t1 = _row_total(base, "energy_use[0]"), _row_total(scaled, "energy_use[0]")
    assert t1 == pytest.approx(k * t0, rel=1e-9, abs=1e-12)


@SETTINGS
@given(combo=st.sampled_from(TRANSPORT_COMBOS), amount=positive, k=scales, km=st.floats(min_value=0.1, max_value=100))
def test_transport_line_is_linear_in_amount(combo, amount, k, km):
    mode, basis = combo
    base = emissions_account(minimal(transport_activity=[_transport_row(mode, basis, amount, km)]), FS)
    scaled = emissions_account(minimal(transport_activity=[_transport_row(mode, basis, amount * k, km)]), FS)
    t0, t1 = _row_total(base, "transport_activity[0]"), _row_total(scaled, "transport_activity[0]")
    assert t1 == pytest.approx(k * t0, rel=1e-9, abs=1e-12)


@SETTINGS
@given(combo=st.sampled_from(WASTE_COMBOS), tonnes=positive, k=scales)
def test_waste_line_is_linear_in_tonnes(combo, tonnes, k):
    stream, treatment = combo
    row = lambda t: {"stream": stream, "treatment": treatment, "tonnes_per_year": t}  # noqa: E731
    base = emissions_account(minimal(waste=[row(tonnes)]), FS)
    scaled = emissions_account(minimal(waste=[row(tonnes * k)]), FS)
    t0, t1 = _row_total(base, "waste[0]"), _row_total(scaled, "waste[0]")
    factor = FS.get(f"waste.{stream}.{treatment}").kgco2e_per_unit
    assert t0 == pytest.approx(tonnes * factor / 1000, rel=1e-12)
    assert t1 == pytest.approx(k * t0, rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------- units


@SETTINGS
@given(carrier=st.sampled_from(ENERGY_UNIT_CARRIERS), kwh=amounts)
def test_kwh_mwh_gj_give_same_result(carrier, kwh):
    # 1 MWh = 1,000 kWh; 1 GJ = 1,000 / 3.6 kWh (1 kWh = 3.6 MJ exactly)
    results = [
        emissions_account(minimal(energy_use=[_energy_row(carrier, amount, unit)]), FS).gross_tco2e_per_year
        for amount, unit in ((kwh, "kWh"), (kwh / 1000.0, "MWh"), (kwh * 0.0036, "GJ"))
    ]
    assert results[1] == pytest.approx(results[0], rel=1e-9, abs=1e-12)
    assert results[2] == pytest.approx(results[0], rel=1e-9, abs=1e-12)


# --------------------------------------------------------------------------- whole accounts


@st.composite
def models(draw):
    energy = [_energy_row(c, draw(amounts), u) for c, u in draw(st.lists(st.sampled_from(ENERGY_COMBOS), max_size=4))]
    transport = [
        _transport_row(m, b, draw(amounts), draw(st.floats(min_value=0, max_value=50)))
        for m, b in draw(st.lists(st.sampled_from(TRANSPORT_COMBOS), max_size=4))
    ]
    waste = [
        {"stream": s, "treatment": t, "tonnes_per_year": draw(amounts)}
        for s, t in draw(st.lists(st.sampled_from(WASTE_COMBOS), max_size=3))
    ]
    projects, materials = [], []
    if draw(st.booleans()):
        projects.append(
            {
                "project_id": "P1",
                "name": "Block",
                "project_type": "new_build",
                "building_type": "residential",
                "gfa_m2": 1000,
                "completion_year": 2024,
                "wastage_rate_pct": draw(st.none() | st.floats(min_value=0, max_value=50)),
                "reference_study_period_years": draw(st.none() | st.integers(min_value=1, max_value=200)),
                "site_diesel_litres": draw(st.none() | amounts),
                "site_electricity_kwh": draw(st.none() | amounts),
            }
        )
        for code, unit in draw(st.lists(st.sampled_from(MATERIALS), max_size=4)):
            materials.append(
                {
                    "project_id": "P1",
                    "material": code,
                    "quantity": draw(st.floats(min_value=0, max_value=1e6)),
                    "unit": unit,
                    "transport_km": draw(st.none() | st.floats(min_value=0, max_value=2000)),
                    "transport_mode": draw(st.none() | st.sampled_from(["truck", "rail", "ship"])),
                    "replacements": draw(st.none() | st.floats(min_value=0, max_value=5)),
                }
            )
    diets = draw(st.lists(st.sampled_from([d.value for d in Diet]), unique=True, max_size=6))
    diet_profile = [{"diet": d, "share_pct": draw(st.floats(min_value=0, max_value=100))} for d in diets]
    consumption = []
    for item in draw(
        st.lists(st.sampled_from(["food_spend", "clothing_spend", "goods_spend", "services_spend", "electronics_spend"]), max_size=3)
    ):
        consumption.append(
            {
                "item": item,
                "amount": draw(amounts),
                "unit": "money",
                "basis": draw(st.sampled_from(["per_capita", "per_household", "total"])),
            }
        )
    for item in draw(st.lists(st.sampled_from(["flights_domestic", "flights_short_haul", "flights_long_haul"]), max_size=2)):
        consumption.append({"item": item, "amount": draw(st.floats(min_value=0, max_value=1e5)), "unit": "pkm", "basis": "per_capita"})
    renewables = []
    if draw(st.booleans()):
        gen = draw(amounts)
        renewables.append(
            {"system": "PV", "technology": "solar_pv", "generated_kwh": gen, "self_consumed_kwh": gen / 2, "exported_kwh": gen / 2}
        )
    profile = {
        "currency": draw(st.sampled_from(["USD", "CNY", "GBP", "EUR"])),
        "population": draw(st.integers(min_value=1, max_value=100_000)),
    }
    profile["households"] = max(1, profile["population"] // 2)
    nature = draw(st.sampled_from([{}, {"canopy_cover_pct": 15}, {"tree_count": 500}, {"measured_sequestration_tco2e": 12.5}]))
    return minimal(
        profile=profile,
        nature=nature,
        energy_use=energy,
        transport_activity=transport,
        waste=waste,
        construction_projects=projects,
        construction_materials=materials,
        diet_profile=diet_profile,
        consumption=consumption,
        renewable_generation=renewables,
    )


@SETTINGS
@given(m=models())
def test_no_line_item_is_negative(m):
    acc = emissions_account(m, FS)
    for li in acc.line_items:
        assert math.isfinite(li.tco2e_per_year)
        assert li.tco2e_per_year >= 0, (li.factor_id, li.source_path, li.tco2e_per_year)
        assert li.upfront_tco2e is None or li.upfront_tco2e >= 0
    for r in acc.removal_items:
        assert r.tco2e_per_year >= 0


@SETTINGS
@given(m=models())
def test_totals_equal_sums_and_gross_never_negative(m):
    acc = emissions_account(m, FS)
    for cat, total in acc.by_category.items():
        lines = [li.tco2e_per_year for li in acc.line_items if li.category == cat]
        assert total.tco2e_per_year == pytest.approx(math.fsum(lines), rel=1e-9, abs=1e-9)
        assert math.fsum(total.by_subcategory.values()) == pytest.approx(total.tco2e_per_year, rel=1e-9, abs=1e-9)
    assert acc.gross_tco2e_per_year == pytest.approx(math.fsum(c.tco2e_per_year for c in acc.by_category.values()), rel=1e-9, abs=1e-9)
    assert acc.gross_tco2e_per_year == pytest.approx(math.fsum(li.tco2e_per_year for li in acc.line_items), rel=1e-9, abs=1e-9)
    assert acc.gross_tco2e_per_year >= 0
    assert acc.net_tco2e_per_year == pytest.approx(acc.gross_tco2e_per_year - acc.removals_tco2e_per_year, rel=1e-9, abs=1e-9)
    assert acc.per_capita_tco2e_per_year == pytest.approx(acc.gross_tco2e_per_year / m.profile.population, rel=1e-9, abs=1e-12)
    shares = acc.data_quality_shares_pct
    if acc.gross_tco2e_per_year > 0:
        assert math.fsum(shares.values()) == pytest.approx(100, rel=1e-9)

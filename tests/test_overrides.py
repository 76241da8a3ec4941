"""Every override is honoured or refused (issue #17, items 1-3).

Rules checked:
* an override of any factor or parameter id of the library either changes the result of an input that uses it or
  is refused at its own cell with the reason (property over every id of the library, on both samples);
* a direct per-vkm factor for electric cars is used instead of kWh per vkm x the grid factor, and is listed in
  ``factors_used`` and the report;
* parameters (calorific values, densities) are overridable, with their source, and listed with the overrides;
* override units convert with pint (t <-> kg, MJ <-> kWh); only an incompatible dimension is refused, at the unit cell.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from assessment import assess, validate_input
from assessment.checks import input_issues
from assessment.emissions.factors import load_factors
from assessment.model.inputs import ConstructionMaterial, FactorOverride
from assessment.model.method import load_method
from assessment.report import report_html
from tests.conftest import SAMPLE_NAMES, SAMPLES

FACTORS = load_factors()
METHOD = load_method()


@cache
def _read(name: str):
    return validate_input(SAMPLES / f"{name}.json")


def _with(read, overrides, **update):
    return dataclasses.replace(read, model=read.model.model_copy(update={"factor_overrides": overrides, **update}))


def _override(fid: str, value: float, unit: str, source: str = "test source, table 1") -> FactorOverride:
    return FactorOverride(factor_id=fid, kgco2e_per_unit=value, unit=unit, source=source)


def _issues(read):
    return input_issues(read, METHOD, FACTORS)


def _footprint(r):
    """Everything an override can move: the emission lines, removals, embodied targets and the scenario nets."""
    e = r.emissions
    return (
        [(li.factor_id, li.activity_amount, li.tco2e_per_year, li.energy_kwh, li.upfront_tco2e) for li in e.line_items],
        [(x.factor_id, x.tco2e_per_year) for x in e.removal_items],
        [(b.id, b.kgco2e_per_m2) for p in e.embodied_projects for b in p.benchmarks],
        [y.net_tco2e for s in r.scenarios for y in s.years] + ([y.net_tco2e for y in r.projection.bau] if r.projection else []),
    )


ALL_IDS = sorted(FACTORS.factors) + sorted(FACTORS.parameters)


@cache
def _base(name: str, keep_measures: bool):
    read = _read(name)
    if not keep_measures:
        read = _with(read, [], scenario_measures=[])
    return read, _footprint(assess(read))


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_override_is_honoured_or_refused(name):
    """Property over every factor and parameter id of the library: an override (the library value x 1.37, or 0.5
    where it is 0, in the library's unit) on the sample is refused at its own cell, or it changes the result.
    Grid-trajectory parameters only act on the scenarios, so they are tried with the sample's measures."""
    refused = honoured = 0
    for fid in ALL_IDS:
        keep = fid.startswith("grid_trajectory.")
        read, base = _base(name, keep)
        lib = FACTORS.get(fid) or FACTORS.param(fid)
        old = lib.kgco2e_per_unit if FACTORS.get(fid) else lib.value
        trial = _with(read, [_override(fid, old * 1.37 if old else 0.5, lib.unit)])
        issues = _issues(trial)
        if issues:
            assert all(i.where.endswith("factor_overrides[0].factor_id") for i in issues), (fid, [(i.where, i.message()) for i in issues])
            assert "change nothing" in issues[0].message()
            refused += 1
            continue
        assert _footprint(assess(trial)) != base, f"{fid}: the override validated but changed nothing"
        honoured += 1
    assert honoured > 40 and refused > 100, (honoured, refused)


def test_electric_car_per_vkm_factor_is_used_and_listed():
    """Riverside: 1,400,000 vkm of electric cars. With a published 0.05 kgCO2e/vkm override the line is
    1,400,000 x 0.05 / 1,000 = 70.0 tCO2e, on factor transport.car_electric.vkm (not kWh/vkm x the grid factor),
    and factors_used and the report show it with the library value 0.04047."""
    read = _read("riverside-retrofit")
    r = assess(_with(read, [_override("transport.car_electric.vkm", 0.05, "vkm", "EV maker's published figure, 2025")]))
    ev = [li for li in r.emissions.line_items if li.source_path.startswith("transport_activity[1]")]
    assert len(ev) == 1 and ev[0].factor_id == "transport.car_electric.vkm"
    assert ev[0].tco2e_per_year == pytest.approx(70.0)
    used = next(f for f in r.emissions.factors_used if f.id == "transport.car_electric.vkm")
    assert used.overridden and used.library_value == pytest.approx(0.04047)
    listed = r.emissions.overrides[0]
    assert listed.kind == "factor" and listed.library_value == pytest.approx(0.04047) and listed.source_ref
    html = report_html(r, METHOD, "riverside-retrofit.json", "2026-12-01")
    assert "transport.car_electric.vkm" in html and "EV maker&#39;s published figure, 2025" in html


def test_calorific_value_override_in_mj():
    """A gas supplier's gross CV of 37.98 MJ/m3 = 37.98 / 3.6 = 10.55 kWh/m3 (1 kWh = 3.6 MJ). Riverside's
    1,150,000 m3 of household gas: delivered energy 1,150,000 x 10.55 = 12,132,500 kWh (library CV 11.296:
    12,990,400 kWh); the emissions stay 1,150,000 x 2.06672 / 1,000 = 2,376.73 tCO2e (a per-m3 factor)."""
    read = _read("riverside-retrofit")
    r = assess(_with(read, [_override("cv.natural_gas.gross_kwh_per_m3", 37.98, "MJ/m3", "Supplier statement 2024")]))
    gas = next(li for li in r.emissions.line_items if li.source_path == "energy_use[1].amount")
    assert gas.energy_kwh == pytest.approx(12_132_500)
    assert gas.tco2e_per_year == pytest.approx(2_376.728)
    o = r.emissions.overrides[0]
    assert o.kind == "parameter" and o.value_in_library_unit == pytest.approx(10.55) and o.library_value == pytest.approx(11.296)


def test_new_material_per_tonne_with_its_density():
    """A material the library lacks, given per tonne (150 kgCO2e/t), installed in m3 with its density 1,800 kg/m3:
    200 m3 x 1.8 t/m3 = 360 t x 150 = 54,000 kgCO2e = 54.0 tCO2e of A1-A3 upfront."""
    read = _read("harbourside-newbuild")
    project = read.model.construction_projects[0].project_id
    row = ConstructionMaterial(project_id=project, material="hempcrete_block", quantity=200, unit="m3")
    trial = _with(
        read,
        [
            _override("material.hempcrete_block", 150, "tonne", "EPD 123"),
            _override("density.hempcrete_block.kg_per_m3", 1800, "kg/m3", "EPD 123"),
        ],
        construction_materials=[*read.model.construction_materials, row],
    )
    assert _issues(trial) == []
    r = assess(trial)
    lines = [li for li in r.emissions.line_items if li.factor_id == "material.hempcrete_block" and li.lifecycle_module == "A1-A3"]
    assert sum(li.upfront_tco2e for li in lines) == pytest.approx(54.0)
    assert {o.kind for o in r.emissions.overrides} == {"factor", "parameter"}


def test_override_units_convert_and_only_dimensions_are_refused():
    """material.steel_rebar is 0.683355 kgCO2e/kg in the library; 683.355 per tonne is the same value (1 t = 1,000 kg),
    so the result is unchanged; per kWh is another dimension and is refused at the unit cell."""
    read = _read("harbourside-newbuild")
    rebar = next((c for c in read.model.construction_materials if c.material == "steel_rebar"), None)
    if rebar is None:
        project = read.model.construction_projects[0].project_id
        read = _with(
            read,
            [],
            construction_materials=[
                *read.model.construction_materials,
                ConstructionMaterial(project_id=project, material="steel_rebar", quantity=10, unit="tonne"),
            ],
        )
    base = assess(read).emissions.gross_tco2e_per_year
    same = _with(read, [_override("material.steel_rebar", 683.355, "tonne", "ÖKOBAUDAT, per tonne")])
    # the same value changes nothing, so it is refused as unused; 10% more is honoured and converted
    assert [i.where.split(".", 1)[-1] for i in _issues(same)] == ["factor_overrides[0].factor_id"]
    more = _with(read, [_override("material.steel_rebar", 751.6905, "tonne", "EPD per tonne")])
    assert _issues(more) == []
    r = assess(more)
    assert r.emissions.overrides[0].value_in_library_unit == pytest.approx(0.7516905)
    assert r.emissions.gross_tco2e_per_year > base
    wrong = _with(read, [_override("material.steel_rebar", 0.7, "kWh")])
    issues = _issues(wrong)
    assert [i.where.split(".", 1)[-1] for i in issues] == ["factor_overrides[0].unit"] and "cannot be converted" in issues[0].message()


def test_unused_override_is_refused_with_the_reason():
    """Riverside burns no coal: an override of fuel.coal.kwh would change nothing and is refused at its id cell."""
    issues = _issues(_with(_read("riverside-retrofit"), [_override("fuel.coal.kwh", 0.4, "kWh")]))
    assert [i.where.split(".", 1)[-1] for i in issues] == ["factor_overrides[0].factor_id"]
    assert "fuel.coal.kwh" in issues[0].message() and "change nothing" in issues[0].message()


def test_boiler_efficiency_of_the_heat_pump_lever_is_overridable():
    """The heat-pump lever's boiler seasonal efficiency (0.84, BRE SAP 2012 Table 4b) is a factor-library parameter:
    Riverside's heat-pump measures replace gas, and heat = gas kWh x efficiency, so 0.90 means more heat to supply by
    the heat pumps, more electricity and a smaller abatement; validation honours it because the scenarios change."""
    read = _read("riverside-retrofit")
    base = assess(read)
    trial = _with(read, [_override("efficiency.boiler.seasonal", 0.90, "fraction of fuel energy delivered as heat", "Boiler survey")])
    assert _issues(trial) == []
    r = assess(trial)
    hp = lambda res: next(m for s in res.scenarios for m in s.measures if m.lever == "heat_pump")  # noqa: E731
    assert hp(r).abatement_tco2e_at_target < hp(base).abatement_tco2e_at_target
    assert r.emissions.overrides[0].kind == "parameter" and r.emissions.overrides[0].library_value == pytest.approx(0.84)

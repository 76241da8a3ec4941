"""GWP set as a setting and proxy factors named (issue #17, items 5 and 6).

References behind the expected numbers:
* DESNZ, Greenhouse gas reporting: conversion factors 2025, natural gas per kWh (gross CV): 0.18296 kgCO2e, of
  which CO2 0.18259, CH4 0.00028 and N2O 0.00009 kgCO2e, combined with IPCC AR5 GWP-100 (CH4 28, N2O 265;
  IPCC AR5 WG1 ch.8 Table 8.7);
* GHG Protocol, IPCC Global Warming Potential Values v2.0 (Aug 2024), from IPCC AR6 WG1 Table 7.15: CH4 fossil
  29.8, CH4 non-fossil 27.0, N2O 273 (factors-verified.md section 7);
* the proxy rule of ``assessment.emissions.regions.is_proxy_region`` (its docstring).
"""

from __future__ import annotations

import dataclasses
import json
from functools import cache

import pytest
from typer.testing import CliRunner

from assessment import assess, validate_input
from assessment.cli import app
from assessment.emissions.factors import Factor, load_factors
from assessment.emissions.gwp import has_gas_split, load_gwp, recombined
from assessment.emissions.regions import is_proxy_region, neighbourhood_regions
from assessment.model.enums import GwpSet
from assessment.pipeline import results_json
from tests.conftest import SAMPLE_NAMES, SAMPLES

FACTORS = load_factors()
runner = CliRunner()

# DESNZ 2025 natural gas, kWh gross CV, parts in kgCO2e under AR5
CO2, CH4_AR5, N2O_AR5 = 0.18259, 0.00028, 0.00009
# By hand: CH4 0.00028 / 28 x 29.8 = 0.000298; N2O 0.00009 / 265 x 273 = 0.0000927169811...
GAS_AR6 = CO2 + 0.000298 + 0.00009 * 273 / 265  # = 0.1829807169811... kgCO2e/kWh
GAS_KWH = 900_000  # Harbourside, energy_use[2]: shops and cafes, natural gas


@cache
def _read(name: str):
    return validate_input(SAMPLES / f"{name}.json")


@cache
def _result(name: str, gwp: str | None = None):
    return assess(_read(name), gwp=gwp)


def _with_profile(read, **update):
    profile = read.model.profile.model_copy(update=update)
    return dataclasses.replace(read, model=read.model.model_copy(update={"profile": profile}))


def _gas_line(result):
    (li,) = [li for li in result.emissions.line_items if li.factor_id == "fuel.natural_gas.kwh"]
    return li


# --------------------------------------------------------------------------- GWP set


def test_gwp_table_is_the_verified_one():
    """AR5 28 / 265 (the set DESNZ combines with); AR6 29.8 fossil, 27.0 non-fossil, 273 (GHG Protocol v2.0)."""
    t = load_gwp()
    assert (t.sets["AR5"].ch4_fossil, t.sets["AR5"].ch4_non_fossil, t.sets["AR5"].n2o) == (28, 28, 265)
    assert (t.sets["AR6"].ch4_fossil, t.sets["AR6"].ch4_non_fossil, t.sets["AR6"].n2o) == (29.8, 27.0, 273)
    assert set(t.sets) == {g.value for g in GwpSet}
    for s in t.sets.values():
        assert s.source and s.url.startswith("https://") and s.licence


def test_every_factor_with_gases_has_a_methane_origin():
    """The fossil / non-fossil choice is data: every factor keeping its gases falls under gwp-100.toml's rules, and
    its parts add up to its published total (within the rounding of the published figures, 0.2%)."""
    t = load_gwp()
    split = [f for f in FACTORS.factors.values() if f.kgco2e_ch4 is not None and f.gwp_set in t.sets]
    assert len(split) > 70
    for f in split:
        assert t.ch4_origin(f.id, f.category) is not None, f.id
        assert f.kgco2e_co2 + f.kgco2e_ch4 + f.kgco2e_n2o == pytest.approx(f.kgco2e_per_unit, rel=2e-3, abs=1e-5), f.id
    assert t.ch4_origin("fuel.natural_gas.kwh", "fuel") == "fossil"
    assert t.ch4_origin("fuel.wood_logs.kwh", "fuel") == "non_fossil"
    assert t.ch4_origin("waste.mixed.landfill", "waste") == "non_fossil"


def test_natural_gas_factor_by_hand_under_both_sets():
    """AR6: 0.18259 + 0.00028 / 28 x 29.8 + 0.00009 / 265 x 273 = 0.18259 + 0.000298 + 0.0000927170 = 0.1829807
    kgCO2e/kWh (fossil methane); AR5 leaves the published 0.18296."""
    f = FACTORS.get("fuel.natural_gas.kwh")
    assert (f.kgco2e_co2, f.kgco2e_ch4, f.kgco2e_n2o, f.gwp_set) == (CO2, CH4_AR5, N2O_AR5, "AR5")
    ar6 = FACTORS.with_gwp("AR6").get("fuel.natural_gas.kwh")
    assert ar6.kgco2e_ch4 == pytest.approx(0.000298, rel=1e-12)
    assert ar6.kgco2e_n2o == pytest.approx(0.0000927169811, rel=1e-9)
    assert ar6.kgco2e_per_unit == pytest.approx(0.1829807169811, rel=1e-12)
    assert ar6.gwp_set == "AR6"
    assert FACTORS.with_gwp("AR5") is FACTORS, "AR5 is the library's own basis: nothing changes"
    assert FACTORS.with_gwp("AR6").with_gwp("AR6").get("fuel.natural_gas.kwh") == ar6, "applying AR6 twice is applying it once"


def test_non_fossil_methane_uses_27():
    """A waste factor's methane is non-fossil: 28.0 kgCO2e of CH4 under AR5 (1 kg CH4) is 27.0 under AR6."""
    f = Factor("waste.test.landfill", "waste", "t", "tonne", 30.0, 1.0, 28.0, 1.0, "AR5", "GB", 2025, "s", "", "u", "l", "", "x")
    new = recombined(f, "AR6")
    assert new["kgco2e_ch4"] == pytest.approx(27.0)
    assert new["kgco2e_n2o"] == pytest.approx(273 / 265)
    assert new["kgco2e_per_unit"] == pytest.approx(1.0 + 27.0 + 273 / 265)


def test_ar6_through_the_whole_pipeline_on_a_line_with_all_three_gases():
    """Harbourside's shops and cafes burn 900,000 kWh of natural gas:
    AR5 900,000 x 0.18296 / 1,000 = 164.664 tCO2e; AR6 900,000 x 0.1829807170 / 1,000 = 164.6826453 tCO2e."""
    ar5, ar6 = _gas_line(_result("harbourside-newbuild")), _gas_line(_result("harbourside-newbuild", "AR6"))
    assert ar5.tco2e_per_year == pytest.approx(GAS_KWH * 0.18296 / 1000, rel=1e-12) == pytest.approx(164.664)
    assert ar6.tco2e_per_year == pytest.approx(GAS_KWH * GAS_AR6 / 1000, rel=1e-12) == pytest.approx(164.6826453, rel=1e-9)
    assert ar6.factor_kgco2e_per_unit == pytest.approx(GAS_AR6, rel=1e-12)
    # the profile field gives the same as the argument
    by_profile = assess(_with_profile(_read("harbourside-newbuild"), gwp_set=GwpSet.AR6))
    assert _gas_line(by_profile).tco2e_per_year == ar6.tco2e_per_year
    assert by_profile.emissions.gwp_set == "AR6" == _result("harbourside-newbuild", "AR6").emissions.gwp_set
    used = {f.id: f for f in by_profile.emissions.factors_used}
    assert used["fuel.natural_gas.kwh"].gas_split and used["fuel.natural_gas.kwh"].gwp_set == "AR6"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_ar5_default_leaves_results_unchanged(name):
    """AR5 is the default and the library's own basis: explicit AR5 gives the same results JSON, byte for byte, and
    every line uses its published factor."""
    default = _result(name)
    assert default.emissions.gwp_set == "AR5"
    assert results_json(_result(name, "AR5")) == results_json(default)
    for li in default.emissions.line_items:
        f = FACTORS.get(li.factor_id)
        if f is not None and not f.overridden:
            assert li.factor_kgco2e_per_unit == f.kgco2e_per_unit, li.factor_id


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_factor_without_a_gas_split_is_used_as_published_and_flagged(name):
    """Landfill (DESNZ total CO2e only), the China grid (MEE, CO2 only), diets and spend factors: the same value
    under AR6 as published, and ``gas_split`` false in ``factors_used``."""
    ar5, ar6 = _result(name), _result(name, "AR6")
    used = {f.id: f for f in ar6.emissions.factors_used}
    for a, b in zip(ar5.emissions.line_items, ar6.emissions.line_items):
        assert a.factor_id == b.factor_id
        f = FACTORS.get(a.factor_id)
        derived = a.activity_unit.startswith("tCO2e")  # A5 wastage, B4: a share of A1-A4, whose A4 transport has gases
        if (f is None or not has_gas_split(f)) and not derived:
            assert b.tco2e_per_year == a.tco2e_per_year, a.factor_id
            if f is not None:
                assert not used[f.id].gas_split and used[f.id].gwp_set == f.gwp_set
    assert not used["waste.mixed.landfill"].gas_split
    assert used["waste.mixed.landfill"].kgco2e_per_unit == FACTORS.get("waste.mixed.landfill").kgco2e_per_unit
    assert ar6.emissions.gross_tco2e_per_year > ar5.emissions.gross_tco2e_per_year  # fossil CH4 and N2O weigh more


def test_riverside_grid_line_is_unchanged_by_the_set():
    """The MEE Southwest grid factor is CO2 only (0.2472 kgCO2/kWh): no CH4 or N2O to recombine."""
    for gwp in ("AR5", "AR6"):
        used = {f.id: f for f in _result("riverside-retrofit", gwp).emissions.factors_used}
        assert used["elec.grid.CN-Southwest"].kgco2e_per_unit == 0.2472
        assert not used["elec.grid.CN-Southwest"].gas_split


def test_cli_gwp_option(tmp_path):
    """``nzn assess --gwp AR6`` states AR6 and uses the recombined gas factor; ``--gwp AR4`` is refused (exit 2)."""
    out = tmp_path / "r.json"
    res = runner.invoke(app, ["assess", str(SAMPLES / "harbourside-newbuild.json"), "--gwp", "AR6", "--json", str(out), "-q"])
    assert res.exit_code == 0, res.output
    data = json.loads(out.read_text())
    assert data["emissions"]["gwp_set"] == "AR6"
    (gas,) = [li for li in data["emissions"]["line_items"] if li["factor_id"] == "fuel.natural_gas.kwh"]
    assert gas["tco2e_per_year"] == pytest.approx(GAS_KWH * GAS_AR6 / 1000, rel=1e-12)
    bad = runner.invoke(app, ["assess", str(SAMPLES / "harbourside-newbuild.json"), "--gwp", "AR4", "--json", str(tmp_path / "x.json")])
    assert bad.exit_code == 2 and "AR5, AR6" in bad.output
    assert not (tmp_path / "x.json").exists()


def test_report_states_the_set():
    """The method page names the set; the factors table marks factors used as published."""
    from assessment.model.method import load_method
    from assessment.report import report_html

    html = report_html(_result("harbourside-newbuild", "AR6"), load_method(), "h.json", "2026-01-01")
    assert "IPCC AR6 (2021), 100-year" in html and "no gas split" in html


# --------------------------------------------------------------------------- proxies


def test_proxy_rule():
    """GB matches the United Kingdom; CN and CN-Southwest match Chengdu; another grid region of the same country,
    a world average and another country's factor are proxies; on-site and workbook factors never are."""
    uk = frozenset({"GB"})
    chengdu = frozenset({"CN-Southwest", "CN"})
    assert not is_proxy_region("GB", uk)
    assert not is_proxy_region("CN-Southwest", chengdu) and not is_proxy_region("CN", chengdu)
    assert is_proxy_region("CN-North", chengdu)
    assert is_proxy_region("GB", chengdu) and is_proxy_region("US", chengdu)
    assert is_proxy_region("GLOBAL", chengdu) and is_proxy_region("GLOBAL", uk)
    assert not is_proxy_region("US+CA", frozenset({"US"})) and is_proxy_region("US+CA", uk)
    assert is_proxy_region("US-CA", frozenset({"US"}))
    assert not is_proxy_region("site", chengdu) and not is_proxy_region("workbook", chengdu)


def test_neighbourhood_regions_of_the_samples():
    assert neighbourhood_regions(_read("riverside-retrofit").model.profile) == {"CN-Southwest", "CN"}
    assert neighbourhood_regions(validate_input(SAMPLES / "riverside-retrofit-zh.json").model.profile) == {"CN-Southwest", "CN"}
    assert neighbourhood_regions(_read("harbourside-newbuild").model.profile) == {"GB"}


def test_report_names_the_proxy_share_and_lines():
    """The data-quality page states the share on proxy factors and names the largest (Riverside: the UK diets), in words
    (issue #18 item 4: the factor consumption.diet_high_meat.person_year reads as its diet label, not its key)."""
    from assessment.model.method import load_method
    from assessment.numbers import percent
    from assessment.report import report_html

    r = _result("riverside-retrofit")
    html = report_html(r, load_method(), "r.json", "2026-01-01")
    assert "Proxy factors" in html and percent(r.emissions.proxy_share_pct) in html
    page = html.split("Proxy factors", 1)[1].split("</section>", 1)[0]
    assert "diet: high meat (100 g or more a day)" in page  # assessment.model.enums.Diet.high_meat's label
    assert "consumption.diet_high_meat.person_year" not in page


def test_riverside_uk_transport_is_proxy_and_its_grid_is_not():
    """Riverside (Chengdu, Southwest grid): DESNZ (GB) transport lines are proxies; the MEE CN-Southwest grid lines
    are not."""
    items = _result("riverside-retrofit").emissions.line_items
    transport = [li for li in items if li.factor_id.startswith("transport.") and li.tco2e_per_year > 0]
    walk = [li for li in items if li.factor_id in ("transport.walk.pkm", "transport.cycle.pkm")]  # GPC zero convention
    assert walk and all(li.proxy and li.factor_region == "GLOBAL" and li.tco2e_per_year == 0 for li in walk)
    grid = [li for li in items if li.factor_id == "elec.grid.CN-Southwest"]
    assert transport and all(li.proxy and li.factor_region == "GB" for li in transport)
    assert grid and not any(li.proxy for li in grid) and {li.factor_region for li in grid} == {"CN-Southwest"}
    spend = [li for li in items if li.factor_id.endswith("_spend.USD")]
    assert spend and all(li.proxy and li.factor_region == "US" for li in spend)


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_proxy_share_is_the_proxy_lines_over_gross(name):
    e = _result(name).emissions
    proxy = sum(li.tco2e_per_year for li in e.line_items if li.proxy)
    assert e.proxy_share_pct == pytest.approx(proxy / e.gross_tco2e_per_year * 100.0, rel=1e-12)
    assert 0 < e.proxy_share_pct < 100
    used = {f.id: f for f in e.factors_used}
    for li in e.line_items:
        if li.factor_id in used:
            assert used[li.factor_id].proxy == li.proxy


def test_harbourside_uk_factors_are_not_proxies():
    """Harbourside (United Kingdom): DESNZ factors match; only the US spend factors and world averages are proxies."""
    e = _result("harbourside-newbuild").emissions
    assert {li.factor_region for li in e.line_items if li.proxy and li.tco2e_per_year > 0} == {"US"}


def test_an_override_is_not_a_proxy():
    """A factor the workbook supplies is the user's own figure for the neighbourhood: region 'workbook', not a proxy."""
    from assessment.model.inputs import FactorOverride

    read = _read("riverside-retrofit")
    o = FactorOverride(factor_id="transport.bus.pkm", kgco2e_per_unit=0.05, unit="pkm", source="Chengdu bus operator, 2024")
    r = assess(dataclasses.replace(read, model=read.model.model_copy(update={"factor_overrides": [o]})))
    bus = [li for li in r.emissions.line_items if li.factor_id == "transport.bus.pkm"]
    assert bus and all(li.factor_region == "workbook" and not li.proxy for li in bus)
    assert r.emissions.proxy_share_pct < _result("riverside-retrofit").emissions.proxy_share_pct

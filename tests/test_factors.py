"""The emission-factor library: citations, licences, ids, per-gas splits, the `nzn factors` CLI and workbook overrides.

The CSV files are read directly (csv module) as well as through ``load_factors()``
so that a problem the loader would hide (a duplicate silently replaced, a blank
cell) is caught at the source.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assessment.checks.factors import factor_checks
from assessment.cli import app
from assessment.emissions.account import emissions_account
from assessment.emissions.factors import FACTOR_COLUMNS, PARAMETER_COLUMNS, TARGET_COLUMNS, load_factors
from assessment.model.inputs import NeighbourhoodInput
from assessment.paths import factors_dir
from tests.conftest import SAMPLES

runner = CliRunner()

FACTOR_DIR = Path(factors_dir())
FACTOR_FILES = sorted(p for p in FACTOR_DIR.glob("*.csv") if not p.name.startswith(("parameters", "targets")))
PARAMETER_FILES = sorted(FACTOR_DIR.glob("parameters*.csv"))
TARGET_FILES = sorted(FACTOR_DIR.glob("targets*.csv"))

DESNZ_2025 = "Department for Energy Security and Net Zero (DESNZ), Greenhouse gas reporting: conversion factors 2025"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _all_factor_rows() -> list[tuple[str, dict[str, str]]]:
    return [(f"{p.name}:{i + 2}", r) for p in FACTOR_FILES for i, r in enumerate(_rows(p))]


def _all_parameter_rows() -> list[tuple[str, dict[str, str]]]:
    return [(f"{p.name}:{i + 2}", r) for p in PARAMETER_FILES for i, r in enumerate(_rows(p))]


# --------------------------------------------------------------------------- the files themselves


def test_library_files_exist_and_have_the_documented_header():
    assert FACTOR_FILES, "no factor CSV files found"
    assert PARAMETER_FILES, "no parameter CSV files found"
    for p in FACTOR_FILES:
        with p.open(newline="", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == FACTOR_COLUMNS, p.name
    for p in PARAMETER_FILES:
        with p.open(newline="", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == PARAMETER_COLUMNS, p.name
    for p in TARGET_FILES:
        with p.open(newline="", encoding="utf-8") as fh:
            assert tuple(next(csv.reader(fh))) == TARGET_COLUMNS, p.name


def test_every_factor_row_has_source_year_url_and_licence():
    problems = []
    for where, r in _all_factor_rows():
        for col in ("source", "year", "url", "licence"):
            if not (r.get(col) or "").strip():
                problems.append(f"{where} {r.get('id')}: empty {col}")
        year = (r.get("year") or "").strip()
        if not re.fullmatch(r"\d{4}", year):
            problems.append(f"{where} {r.get('id')}: year {year!r} is not a four-digit integer")
        elif not 1990 <= int(year) <= 2030:
            problems.append(f"{where} {r.get('id')}: year {year} outside 1990-2030")
        url = (r.get("url") or "").strip()
        if url and not url.startswith(("https://", "http://")):
            problems.append(f"{where} {r.get('id')}: url {url!r} is not a web address")
    assert not problems, "\n".join(problems)


def test_every_parameter_row_has_source_and_licence():
    problems = []
    for where, r in _all_parameter_rows():
        for col in ("source", "licence"):
            if not (r.get(col) or "").strip():
                problems.append(f"{where} {r.get('id')}: empty {col}")
    assert not problems, "\n".join(problems)


def test_factor_and_parameter_ids_are_unique():
    factor_ids = [r["id"].strip() for _, r in _all_factor_rows()]
    parameter_ids = [r["id"].strip() for _, r in _all_parameter_rows()]
    dup_f = sorted({i for i in factor_ids if factor_ids.count(i) > 1})
    dup_p = sorted({i for i in parameter_ids if parameter_ids.count(i) > 1})
    assert not dup_f, f"duplicate factor ids: {dup_f}"
    assert not dup_p, f"duplicate parameter ids: {dup_p}"
    # the loader keeps every row (no silent replacement)
    fs = load_factors()
    assert len(fs.factors) == len(factor_ids)
    assert len(fs.parameters) == len(parameter_ids)


ICE_PATTERNS = (
    re.compile(r"\bICE\b"),  # the acronym, case-sensitive ("price", "service" must not match)
    re.compile(r"inventory\s+of\s+carbon", re.I),
    re.compile(r"circular\s*ecology", re.I),
)


def test_no_row_cites_ice():
    """The ICE database (Circular Ecology) may not be redistributed: no factor or parameter may come from it."""
    hits = []
    for where, r in _all_factor_rows() + _all_parameter_rows():
        for col, text in r.items():
            for pat in ICE_PATTERNS:
                if text and pat.search(text):
                    hits.append(f"{where} {r.get('id')} [{col}]: {pat.pattern}")
    assert not hits, "\n".join(hits)


def test_per_gas_parts_sum_to_total_within_one_percent():
    checked, problems = 0, []
    for where, r in _all_factor_rows():
        parts = [(r.get(c) or "").strip() for c in ("kgco2e_co2", "kgco2e_ch4", "kgco2e_n2o")]
        if not any(parts):
            continue
        total = float(r["kgco2e_per_unit"])
        s = sum(float(p) for p in parts if p)
        checked += 1
        if total == 0:
            if s != 0:
                problems.append(f"{where} {r['id']}: total 0 but parts sum to {s}")
        elif abs(s - total) > 0.01 * abs(total):
            problems.append(f"{where} {r['id']}: parts {parts} sum to {s:g}, total {total:g}")
    assert checked > 50, "expected many rows with a per-gas split (DESNZ gives CO2, CH4, N2O)"
    assert not problems, "\n".join(problems)


def test_per_gas_split_of_grid_gb_by_hand():
    # Published: DESNZ 2025, UK electricity generated: CO2 0.17489 + CH4 0.0009 + N2O 0.00122 = 0.17701 ~ 0.177 kgCO2e/kWh total
    f = load_factors().get("elec.grid.GB")
    assert (f.kgco2e_per_unit, f.kgco2e_co2, f.kgco2e_ch4, f.kgco2e_n2o) == (0.177, 0.17489, 0.0009, 0.00122)
    assert DESNZ_2025 in f.source
    assert f.kgco2e_co2 + f.kgco2e_ch4 + f.kgco2e_n2o == pytest.approx(0.17701, abs=1e-12)


def test_default_wastage_rates_apply_to_some_material():
    """Each ``a5.wastage_rate.<key>`` default is looked up by the engine as the material code or its first
    ``_``-separated part (embodied.wastage_rate); a key matching no material factor is a default that can never apply."""
    fs = load_factors()
    codes = set(fs.material_codes())
    reachable = codes | {c.split("_")[0] for c in codes}
    rates = {pid.removeprefix("a5.wastage_rate."): p.value for pid, p in fs.parameters.items() if pid.startswith("a5.wastage_rate.")}
    assert rates, "library ships default wastage rates"
    assert all(0 <= v < 1 for v in rates.values()), rates
    unreachable = sorted(k for k in rates if k not in reachable)
    assert not unreachable, f"wastage defaults that match no material code: {unreachable} (material codes: {sorted(codes)})"


def test_every_density_parameter_for_a_material_matches_a_material_factor():
    fs = load_factors()
    codes = set(fs.material_codes())
    fuels = {k.split(".")[1] for k in fs.factors if k.startswith("fuel.")}
    for pid in fs.parameters:
        if pid.startswith("density."):
            key = pid.split(".")[1]
            assert key in codes or key in fuels, pid


# --------------------------------------------------------------------------- CLI


def test_cli_factors_list_json_returns_every_factor():
    res = runner.invoke(app, ["factors", "list", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    fs = load_factors()
    assert data["factors_version"] == fs.version
    assert {f["id"] for f in data["factors"]} == set(fs.factors)
    assert len(data["factors"]) == len(fs.factors)
    row = next(f for f in data["factors"] if f["id"] == "elec.grid.GB")
    assert row["kgco2e_per_unit"] == 0.177 and row["unit"] == "kWh" and row["licence"] == "OGL-3.0"


def test_cli_factors_list_category_filters():
    res = runner.invoke(app, ["factors", "list", "--json", "--category", "material"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    fs = load_factors()
    expected = {f.id for f in fs.factors.values() if f.category == "material"}
    assert expected, "library has material factors"
    assert {f["id"] for f in data["factors"]} == expected
    assert all(f["category"] == "material" and f["id"].startswith("material.") for f in data["factors"])


def test_cli_factors_list_unknown_category_exits_2():
    res = runner.invoke(app, ["factors", "list", "--category", "no-such-category"])
    assert res.exit_code == 2
    assert "material" in res.output  # lists the categories that exist


def test_cli_factors_show_prints_source():
    res = runner.invoke(app, ["factors", "show", "elec.grid.GB"])
    assert res.exit_code == 0, res.output
    f = load_factors().get("elec.grid.GB")
    assert "elec.grid.GB" in res.output
    assert f.source in res.output
    assert f.url in res.output
    assert "0.177" in res.output


def test_cli_factors_show_unknown_id_exits_2_with_did_you_mean():
    res = runner.invoke(app, ["factors", "show", "elec.grid.GBR"])
    assert res.exit_code == 2
    assert "elec.grid.GBR" in res.output
    assert "did you mean" in res.output
    assert "elec.grid.GB" in res.output.split("did you mean", 1)[1]


# --------------------------------------------------------------------------- workbook overrides


def _minimal(**tables) -> NeighbourhoodInput:
    data = json.loads((SAMPLES / "riverside-retrofit.json").read_text(encoding="utf-8"))
    for key, value in list(data.items()):
        if isinstance(value, list):
            data[key] = []
    data["nature"] = {}
    data["profile"].update(grid_region="GB", currency="USD")
    data.update(tables)
    return NeighbourhoodInput.model_validate(data)


ELEC_ROW = {"group": "homes", "use_type": "residential", "carrier": "grid_electricity", "amount": 100_000, "unit": "kWh"}


def test_override_replaces_grid_factor_and_is_recorded():
    fs = load_factors()
    lib = fs.get("elec.grid.GB")
    # Published library value: elec.grid.GB = 0.177 kgCO2e/kWh (DESNZ 2025, UK electricity generated)
    assert lib.kgco2e_per_unit == 0.177 and DESNZ_2025 in lib.source
    override = {
        "factor_id": "elec.grid.GB",
        "kgco2e_per_unit": 0.25,
        "unit": "kWh",
        "source": "Supplier fuel-mix disclosure 2025 (test)",
        "year": 2025,
    }
    m = _minimal(energy_use=[ELEC_ROW], factor_overrides=[override])
    acc = emissions_account(m, fs)
    [li] = acc.line_items
    # Hand calculation with the override: 100,000 kWh x 0.25 kgCO2e/kWh / 1000 = 25 tCO2e (library value would give 17.7 t)
    assert li.factor_id == "elec.grid.GB"
    assert li.factor_kgco2e_per_unit == 0.25
    assert li.tco2e_per_year == pytest.approx(25.0)
    assert acc.gross_tco2e_per_year == pytest.approx(25.0)
    assert acc.electricity.location_based_tco2e == pytest.approx(25.0)
    [used] = [u for u in acc.factors_used if u.id == "elec.grid.GB"]
    assert used.overridden is True
    assert used.kgco2e_per_unit == 0.25
    assert used.library_value == lib.kgco2e_per_unit == 0.177
    assert used.source == "Supplier fuel-mix disclosure 2025 (test)"
    # the library itself is untouched (FactorSet is immutable; overrides make a new set)
    assert load_factors().get("elec.grid.GB").kgco2e_per_unit == 0.177
    assert load_factors().get("elec.grid.GB").overridden is False


def test_without_override_factor_is_not_marked_overridden():
    fs = load_factors()
    acc = emissions_account(_minimal(energy_use=[ELEC_ROW]), fs)
    [used] = [u for u in acc.factors_used if u.id == "elec.grid.GB"]
    assert used.overridden is False and used.library_value is None
    # Hand calculation: 100,000 kWh x 0.177 kgCO2e/kWh (elec.grid.GB, DESNZ 2025) / 1000 = 17.7 tCO2e
    assert acc.gross_tco2e_per_year == pytest.approx(17.7)


def test_override_for_a_new_material_code_is_used(method):
    """The factor checks accept an override for a material code the library lacks (``material.<new>``);
    the engine must then use it rather than fail."""
    project = {
        "project_id": "P1",
        "name": "Block A",
        "project_type": "new_build",
        "building_type": "residential",
        "gfa_m2": 1000,
        "completion_year": 2024,
        "wastage_rate_pct": 0,
    }
    material = {"project_id": "P1", "material": "hempcrete_block", "quantity": 10, "unit": "tonne"}
    override = {
        "factor_id": "material.hempcrete_block",
        "kgco2e_per_unit": 50.0,
        "unit": "tonne",
        "source": "Manufacturer EPD (test)",
        "year": 2024,
    }
    m = _minimal(construction_projects=[project], construction_materials=[material], factor_overrides=[override])
    fs = load_factors()
    # the input passes the loader's cross-checks (no unknown-material, no unknown-factor issue)
    assert not [c for c in factor_checks(m, fs) if c[0][0] in ("construction_materials", "factor_overrides")]
    acc = emissions_account(m, fs)
    # Hand calculation: 10 t x 50 kgCO2e/t / 1000 = 0.5 tCO2e upfront; / 60 years (rsp.building.years) = 0.008333 tCO2e/yr
    [li] = acc.line_items
    assert li.upfront_tco2e == pytest.approx(0.5)
    assert li.tco2e_per_year == pytest.approx(0.5 / 60)
